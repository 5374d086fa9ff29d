"""title: a plain-text document's first line, when it is a title, into the ``title`` column."""

from __future__ import annotations

from cleaner.document import Document, Removal
from cleaner.rule import Context, DocumentRule, word_count


def looks_like_title(line: str) -> bool:
    """A short line of 2 to 25 words that does not end like a sentence or a label.

    >>> looks_like_title("Alibaba Develops AI Chip Focused on Inferencing")
    True
    >>> looks_like_title("The chip ships in May.")
    False
    """
    line = line.strip()
    return 2 <= word_count(line) <= 25 and len(line) <= 200 and line[-1] not in ".,;:…|。，；："


class Title(DocumentRule):
    """Put the first line of a plain-text document into ``title`` when it reads like a title.

    The first line the other rules left counts when it has 2 to 25 words, does not end with a
    full stop, comma, colon or ellipsis (of any script: ``。``), and more text follows. Nothing
    is removed: the title stays in the text, where the writer put it; this rule only fills the
    metadata, and never over a title that the input (HTML, JSONL) or a ``Title:`` header field gave.
    """

    name = "title"
    version = "1"
    tags = ("title", "metadata")
    languages = ("*",)
    priority = 90
    examples = (
        (
            "Chips Rise Again\n\nThe chip ships in May.\n",
            "Chips Rise Again\n\nThe chip ships in May.\n",
        ),
    )

    def skips(self, doc: Document, whole: bool) -> bool:
        """Whether the document has a title already: ``set_meta`` never overwrites it."""
        return bool(doc.title)

    def apply(self, doc: Document, ctx: Context) -> list[Removal] | None:
        if len(ctx.lines) >= 2 and looks_like_title(ctx.lines[0].text):
            ctx.set_meta("title", ctx.lines[0].text.strip())
        return None
