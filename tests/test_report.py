"""The HTML run report, built from real Parquet / JSONL outputs written by the project's writers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner.document import Document, Removal, rebuild
from cleaner.report import write_report
from cleaner.report.render import segments
from cleaner.writer import open_sink

SOURCE = (
    "Headline 𝔸 with an astral letter\n"
    "\n"
    "The body of the story stays in the text.\n"
    "Comments (0)\n"
    "Share on Facebook </script><!-- \n"
    "A paragraph copied from another outlet word for word.\n"
)


def make_docs(n: int) -> list[Document]:
    """``n`` documents with rule and dedup removals, signals, one dropped and one failed input."""
    docs = []
    for i in range(n):
        doc = Document(id=f"root/{i:05d}.txt", source=SOURCE, lang="en" if i % 3 else "fr")
        doc.title = f"Story {i}"
        for rule, line in (("comments", "Comments (0)\n"), ("share", "Share on Facebook")):
            start = SOURCE.index(line)
            end = SOURCE.index("\n", start) + 1
            doc.remove(Removal(rule, start, end, SOURCE[start:end]))
        if i:
            start = SOURCE.index("A paragraph")
            doc.remove(
                Removal("dedup_exact", start, len(SOURCE), SOURCE[start:], "root/00000.txt#4", 1.0)
            )
        doc.quality = {"words": 20 + i, "symbol_ratio": 0.05, "removed_share": 0.4}
        if i == 1:
            doc.dropped, doc.drop_reason = True, "gopher:words 21 < 50"
        docs.append(doc)
    docs.append(Document(id="root/broken.bin", error="binary content: NUL bytes at offset 3"))
    return docs


def write_output(path: Path, docs: list[Document], **kwargs: object) -> Path:
    sink = open_sink(path, options={"quality": "gopher", "workers": 1}, **kwargs)  # type: ignore[arg-type]
    for doc in docs:
        sink.write(doc)
    sink.close({"documents": len(docs), "read": {"bytes": 999}, "versions": {"pyarrow": "x"}})
    return path


def payload(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    )
    assert found, "the page embeds its document sample as JSON"
    return json.loads(found.group(1))


def test_report_sections_and_document_view(tmp_path: Path) -> None:
    docs = make_docs(6)
    out = write_output(tmp_path / "out.parquet", docs)
    report = write_report(out, tmp_path / "report.html")
    page = report.read_text(encoding="utf-8")
    for section in ("overview", "rules", "families", "dedup", "quality", "documents", "errors"):
        assert f'id="{section}"' in page
    assert "root/broken.bin" in page and "NUL bytes at offset 3" in page
    assert "gopher:words" in page  # drop reasons
    assert "max_symbol_ratio: drop &gt; 0.1" in page or "max_symbol_ratio: drop > 0.1" in page
    data = payload(page)
    shown = {d["id"]: d for d in data["docs"]}
    for doc in docs:
        if doc.error:
            assert doc.id not in shown
            continue
        view = shown[doc.id]
        assert "".join(seg[0] for seg in view["segs"]) == doc.source
        removals = [(data["rules"][s[1]], s[0]) for s in view["segs"] if s[1] >= 0]
        assert removals == [(r.rule, r.text) for r in sorted(doc.removed, key=lambda r: r.start)]


def test_report_is_self_contained(tmp_path: Path) -> None:
    out = write_output(tmp_path / "out.parquet", make_docs(3))
    page = write_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)
    assert "http://" not in page.replace("http://www.w3.org", "")
    # the text "</script><!--" of a document must not end the data block early
    assert page.count("</script>") == 2
    assert "<svg" in page and "@font-face" not in page


def test_report_from_metadata_part_directory_and_jsonl(tmp_path: Path) -> None:
    docs = make_docs(5)
    parts = write_output(tmp_path / "parts", docs, shard_size=2)
    jsonl = write_output(tmp_path / "out.jsonl", docs, format="jsonl")
    for out in (parts, jsonl):
        data = payload(write_report(out, tmp_path / f"{out.name}.html").read_text("utf-8"))
        assert sorted(d["id"] for d in data["docs"]) == sorted(d.id for d in docs if not d.error)


def test_sample_is_bounded_and_stable(tmp_path: Path) -> None:
    out = write_output(tmp_path / "out.parquet", make_docs(300), row_group_size=64)
    first = payload(write_report(out, tmp_path / "a.html", sample_docs=20).read_text("utf-8"))
    again = payload(write_report(out, tmp_path / "b.html", sample_docs=20).read_text("utf-8"))
    ids = [d["id"] for d in first["docs"]]
    assert ids == [d["id"] for d in again["docs"]]
    # 20 by hash, plus at most 5 per rule for the rule samples (3 rules)
    assert 20 <= len(ids) <= 35
    assert len({i[:8] for i in ids}) > 1, "the sample is spread over the run, not its start"


def test_segments_rebuild_the_repaired_text() -> None:
    removed = [
        {"rule": "a", "start": 0, "end": 2, "text": "𝔸\n", "dup_of": None},
        {"rule": "b", "start": 5, "end": 7, "text": "zz", "dup_of": "x#1"},
    ]
    text = "keep"
    segs = segments(text, removed, {"a": 0, "b": 1})
    assert "".join(s[0] for s in segs) == rebuild(text, removed) == "𝔸\nkeezzp"
    assert [s[1] for s in segs] == [0, -1, 1, -1]


def test_missing_output_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="give the Parquet file"):
        write_report(tmp_path / "nope.parquet", tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_report_of_errors_only(tmp_path: Path) -> None:
    docs = [Document(id=f"root/{i}.bin", error=f"binary content {i}") for i in range(3)]
    page = write_report(write_output(tmp_path / "o.parquet", docs), tmp_path / "r.html")
    text = page.read_text(encoding="utf-8")
    assert "No rule removed anything" in text and "No document was dropped" in text
    assert all(f"binary content {i}" in text for i in range(3))
    assert payload(text)["docs"] == []
