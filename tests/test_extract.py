"""HTML extraction: the article stays, comments, navigation and footer go, input metadata wins."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.config import Options
from cleaner.document import Document
from cleaner.extract import Extractor
from cleaner.readers import iter_documents

ARTICLE = [
    "Water levels on the Tarn dropped by almost a metre overnight, the regional flood agency said "
    "on Thursday, as a week of heavy storms finally moved east.",
    "Residents of the lower town, who were asked to leave their homes on Monday, will be allowed "
    "back from Friday morning once engineers have inspected the embankments.",
    '"We were lucky that the second dam held," said deputy mayor Paul Ferrand, who spent three '
    "nights at the emergency centre in the school gymnasium.",
    "The agency warned that the ground remains saturated and that further rain forecast for next "
    "week could cause rivers to rise quickly again.",
]
BOILERPLATE = [
    "First! The council should have cleared the drains months ago.",
    "My cellar is still full of water, nobody has come to help us yet.",
    "Storm damage in pictures",
    "How to claim flood insurance",
    "All rights reserved.",
    "Cookie settings",
    "Sport",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>River levels fall after week of storms | The Valley Courier</title>
<meta property="og:site_name" content="The Valley Courier">
<meta name="author" content="Maria Jensen">
<meta property="article:published_time" content="2024-03-14T08:30:00Z">
<link rel="canonical" href="https://valleycourier.example/news/river-levels-fall">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>River levels fall after week of storms</h1>
<p class="byline">By Maria Jensen</p>
<p>{ARTICLE[0]}</p>
<p>{ARTICLE[1]}</p>
<p>{ARTICLE[2]}</p>
<table><tr><th>Gauge</th><th>Monday</th><th>Thursday</th></tr>
<tr><td>Millau</td><td>4.2 m</td><td>3.3 m</td></tr></table>
<p>{ARTICLE[3]}</p>
</article>
<section id="comments" class="comments">
<h2>Comments (2)</h2>
<div class="comment"><p class="comment-author">floodwatcher99</p><p>{BOILERPLATE[0]}</p></div>
<div class="comment"><p class="comment-author">anna_k</p><p>{BOILERPLATE[1]}</p></div>
</section>
</main>
<aside class="related"><h3>Related articles</h3><ul><li><a href="/a">{BOILERPLATE[2]}</a></li>
<li><a href="/b">{BOILERPLATE[3]}</a></li></ul></aside>
<footer><p>© 2024 The Valley Courier. {BOILERPLATE[4]}</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">{BOILERPLATE[5]}</a></p></footer>
</body></html>
"""


def extract(source: str, **options: object) -> Document:
    return Extractor(Options(**options))(Document(id="p.html", kind="html", source=source))  # type: ignore[arg-type]


@pytest.mark.parametrize("fast", [False, True])
def test_article_kept_comments_and_chrome_dropped(fast: bool) -> None:
    doc = extract(PAGE, html_fast=fast)
    assert doc.error is None and doc.kind == "text"
    lines = doc.source.split("\n")
    for paragraph in ARTICLE:
        assert paragraph in lines  # one paragraph per line
    for junk in BOILERPLATE:
        assert junk not in doc.source
    assert "Millau" in doc.source  # tables are kept
    assert "<" not in doc.source
    assert doc.original_chars == len(doc.source)


def test_metadata_from_the_page() -> None:
    doc = extract(PAGE)
    assert doc.title == "River levels fall after week of storms"
    assert doc.url == "https://valleycourier.example/news/river-levels-fall"
    assert doc.date == "2024-03-14"
    assert doc.author == "Maria Jensen"
    assert doc.site == "The Valley Courier"


def test_input_metadata_wins() -> None:
    doc = Document(
        id="c.warc:2", kind="html", source=PAGE, url="https://crawl.example/x", title="Given"
    )
    Extractor(Options())(doc)
    assert (doc.url, doc.title) == ("https://crawl.example/x", "Given")
    assert doc.author == "Maria Jensen"  # not set by the input: filled from the page


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Only a title</title></head></html>",
        "<html><head><title>x</title></head><body></body></html>",
        "<html><body><script>document.write('hello')</script></body></html>",
    ],
)
def test_page_without_main_text_is_an_error(html: str) -> None:
    doc = extract(html)
    assert doc.error is not None and doc.error.startswith("no main text: ")
    assert doc.source == "" and doc.original_chars == 0


def test_empty_html_is_an_empty_row_like_an_empty_text_file() -> None:
    doc = extract("  \n")
    assert (doc.error, doc.source, doc.kind) == (None, "", "text")


def test_text_documents_and_errors_pass_untouched() -> None:
    text = Document(id="a.txt", source="<p>not html</p>\n")
    assert Extractor(Options())(text).source == "<p>not html</p>\n"
    failed = Document(id="b.html", kind="html", error="binary content: NUL bytes")
    assert Extractor(Options())(failed).error == "binary content: NUL bytes"


def test_warc_to_extracted_text(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    with open(f, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://mirror.example/river",
                "response",
                payload=io.BytesIO(PAGE.encode()),
                http_headers=http,
            )
        )
    (doc,) = list(iter_documents([f], Options()))
    Extractor(Options())(doc)
    assert doc.error is None and doc.id == "crawl.warc.gz:1"
    assert doc.url == "https://mirror.example/river"  # the WARC target URI, not the canonical link
    assert ARTICLE[0] in doc.source and BOILERPLATE[0] not in doc.source
