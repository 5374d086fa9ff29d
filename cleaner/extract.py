"""HTML extraction: trafilatura's main text and metadata for ``kind="html"`` documents.

The :class:`Extractor` stage turns an HTML page into the article text that the repair and rule
stages work on, one paragraph per line (trafilatura's plain-text output), and fills ``title``,
``url``, ``date``, ``author`` and ``site`` from the page where the input did not set them: input
metadata (a WARC record's target URI, a JSONL ``url`` field) wins over what the page says.

Settings, and why: reader comments are left out (``include_comments=False``: they are the
boilerplate this project removes); tables are kept (their text is content); links and images are
dropped (no markup in training text); trafilatura's fallback extractors run unless
``--html-fast`` asks for its fast mode. Text documents pass through untouched, and so do
documents that already carry an error.

A page with no main text (an empty body, content built by scripts) becomes an error row,
``no main text: ...``; an HTML file with nothing in it at all is an empty text row, as an empty
text file is.
"""

from __future__ import annotations

from cleaner.config import Options
from cleaner.document import Document

#: trafilatura metadata attribute -> Document column.
_METADATA = (
    ("title", "title"),
    ("url", "url"),
    ("date", "date"),
    ("author", "author"),
    ("sitename", "site"),
)


class Extractor:
    """Pipeline stage: HTML in ``doc.source`` -> main text, ``doc.kind = "text"``.

    >>> page = ("<html><head><title>Rain in Lyon</title></head><body><article>"
    ...         "<p>Heavy rain fell on Lyon on Tuesday, flooding two streets near the river.</p>"
    ...         "<p>The city opened a shelter for residents of the lower quarters overnight.</p>"
    ...         "</article></body></html>")
    >>> doc = Extractor(Options())(Document(id="a.html", kind="html", source=page))
    >>> print(doc.source)
    Heavy rain fell on Lyon on Tuesday, flooding two streets near the river.
    The city opened a shelter for residents of the lower quarters overnight.
    >>> doc.kind, doc.title, doc.original_chars
    ('text', 'Rain in Lyon', 145)
    """

    def __init__(self, options: Options) -> None:
        self.fast = options.html_fast

    def __call__(self, doc: Document) -> Document:
        if doc.kind != "html" or doc.error:
            return doc
        html, doc.source, doc.kind = doc.source, "", "text"
        if not html.strip():
            doc.original_chars = 0
            return doc
        import trafilatura  # on the first HTML document: text-only runs never pay for it

        try:
            result = trafilatura.bare_extraction(
                html,
                url=doc.url,
                fast=self.fast,
                include_comments=False,
                include_tables=True,
                include_links=False,
                include_images=False,
                with_metadata=True,
            )
        except Exception as exc:  # lxml or trafilatura failing on a hostile page
            doc.original_chars = 0
            doc.error = (
                f"HTML extraction failed ({type(exc).__name__}: {exc}); the page is skipped."
            )
            return doc
        text = (getattr(result, "text", None) or "").strip("\n")
        if result is None or not text.strip():
            doc.original_chars = 0
            doc.error = (
                "no main text: trafilatura found no article text in this HTML (an empty body, "
                "or content that a browser would build with JavaScript)."
            )
            return doc
        doc.source = text
        doc.original_chars = len(text)
        for attribute, column in _METADATA:
            value = getattr(result, attribute, None)
            if value and getattr(doc, column) is None:
                setattr(doc, column, str(value))
        return doc
