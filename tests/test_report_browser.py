"""The report of the seeds run, opened in headless Chromium (Debian's package; .ci/run installs it).

The browser tests are skipped only when no Chromium is installed, and say so; the checks on the
embedded document sample run everywhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from cleaner.config import Options
from cleaner.report import write_report
from cleaner.report.browser import dump_dom, find_chromium, ready_ms, screenshot
from cleaner.writer import read_table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SECTIONS = ("overview", "rules", "dedup", "quality", "documents", "errors")

needs_browser = pytest.mark.skipif(
    find_chromium() is None,
    reason="no Chromium installed: .ci/run installs Debian's `chromium` package "
    "(apt-get install chromium); install it, or set CHROMIUM, to run the browser test",
)


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    from cleaner.cli import run

    where = tmp_path_factory.mktemp("seeds-report")
    out = where / "seeds.parquet"
    run([SEEDS], out, Options(workers=1))
    report = write_report(out, where / "report.html")
    return report, read_table(out).to_pylist()


def expected_removals(row: dict) -> list[tuple[str, str]]:
    return [(r["rule"], r["text"]) for r in sorted(row["removed"], key=lambda r: r["start"])]


def test_seeds_report_embeds_every_removal(seeds_report: tuple[Path, list[dict]]) -> None:
    report, rows = seeds_report
    page = report.read_text(encoding="utf-8")
    block = re.search(r'id="report-data">(.*?)</script>', page, re.S)
    assert block
    data = json.loads(block.group(1))
    docs = {d["id"]: d for d in data["docs"]}
    assert sum(len(row["removed"]) for row in rows) > 0, "the seeds run removes boilerplate"
    for row in rows:
        segs = docs[row["id"]]["segs"]
        got = [(data["rules"][s[1]], s[0]) for s in segs if s[1] >= 0]
        assert got == expected_removals(row)


@needs_browser
def test_seeds_report_in_chromium(seeds_report: tuple[Path, list[dict]], tmp_path: Path) -> None:
    report, rows = seeds_report
    raw = dump_dom(report)
    assert ready_ms(raw) is not None, "the page's script ran to the end"
    first = lxml_html.fromstring(raw)
    for section in SECTIONS:
        (node,) = first.xpath(f'//section[@id="{section}"]')
        assert node.xpath(".//h2"), f"section {section} has its heading"
    assert first.xpath('//section[@id="rules"]//svg'), "the rules chart is drawn"
    assert first.xpath('//section[@id="quality"]//svg'), "the quality histograms are drawn"
    assert len(first.xpath('//div[@id="doc-list"]/a')) == len(rows)
    for row in rows:
        dom = lxml_html.fromstring(dump_dom(report, "doc=" + quote(row["id"])))
        (view,) = dom.xpath('//div[@id="doc-view"]')
        assert view.xpath('.//h3[@class="doc-id"]/text()') == [row["id"]]
        marks = view.xpath('.//mark[contains(@class, "rm")]')
        got = []
        for mark in marks:
            (label,) = mark.xpath('./span[@class="lbl"]/text()')
            assert label == mark.get("data-rule"), "each removal is labelled by its rule"
            got.append((label, mark.text_content()[len(label) :]))
        assert got == expected_removals(row), row["id"]
    png = screenshot(report, tmp_path / "seeds-report.png", size=(1280, 6000))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    keep = os.environ.get("BOILERCLEAN_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)
