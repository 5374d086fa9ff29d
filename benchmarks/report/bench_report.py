"""Benchmark: the report of a 100k-document run: its size, its build cost, its open time.

The 100k-row output is made here, not committed: the five seeds are cleaned by the real pipeline
once, then each synthetic row takes one seed's repaired text and a varied subset of its real
removals (so ``text`` and ``removed`` stay consistent), sometimes a dedup removal pointing at an
earlier synthetic document, jittered quality signals, and now and then an error or a drop. Rows
are written by the project's own Parquet writer.

Then ``write_report`` runs on it (CPU seconds measured), and the page is opened ``--opens`` times
in headless Chromium; the open time is the page's own ``performance.now()`` at its ready marker
(navigation start to ready), read from the dumped DOM. The wall time of the whole browser process
(start, load, exit) is printed beside it for context.

    python benchmarks/report/bench_report.py                 # 100,000 documents
    python benchmarks/report/bench_report.py --docs 5000     # a quick check
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cleaner.config import Options
from cleaner.document import Document, Removal, rebuild
from cleaner.report import write_report
from cleaner.report.browser import dump_dom, find_chromium, ready_ms
from cleaner.writer import open_sink, read_table

ROOT = Path(__file__).resolve().parents[2]
LANGS = ["en", "fr", "it", "de", "es", "pt", "nl", "pl", "ja", "zh"]


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def seed_rows(where: Path) -> list[dict[str, Any]]:
    from cleaner.cli import run

    out = where / "seeds.parquet"
    run([ROOT / "seeds"], out, Options(workers=1))
    return list(read_table(out).to_pylist())


def synthetic(row: dict[str, Any], i: int, rng: random.Random) -> Document:
    """One synthetic document from a seed row: same repaired text, varied removals and signals."""
    source = rebuild(row["text"] or "", row["removed"])
    doc_id = f"synthetic/{i:06d}/{row['id'].rsplit('/', 1)[-1]}"
    doc = Document(id=doc_id, source=source, title=row["title"], url=row["url"])
    doc.lang = row["lang"] if rng.random() < 0.7 else rng.choice(LANGS)
    if rng.random() < 0.005:
        doc.error = rng.choice(
            ["binary content: NUL bytes", "extract failed: empty page", "decode: not UTF-8"]
        )
        return doc
    kept = [r for r in row["removed"] if rng.random() < 0.8]
    for r in kept:
        doc.remove(Removal(r["rule"], r["start"], r["end"], r["text"]))
    if i >= 10 and rng.random() < 0.3:
        free = [p for p in doc.paragraphs() if len(p.text) > 80]
        if free:
            p = rng.choice(free)
            end = p.end + 1 if p.end < len(source) else p.end
            src = rng.randrange(max(1, i // 50))
            dup = Removal(
                "dedup_near",
                p.start,
                end,
                source[p.start : end],
                f"synthetic/{src:06d}/x.txt#{p.index}",
                round(rng.uniform(0.8, 1.0), 3),
            )
            with contextlib.suppress(ValueError):  # its newline was taken by a rule already
                doc.remove(dup)
    quality = dict(row["quality"] or {})
    for key, value in list(quality.items()):
        if isinstance(value, float):
            quality[key] = min(1.0, max(0.0, value * rng.uniform(0.5, 1.5)))
        elif isinstance(value, int):
            quality[key] = int(value * rng.uniform(0.2, 3.0))
    doc.quality = quality
    if rng.random() < 0.03:
        doc.dropped, doc.drop_reason = (
            True,
            rng.choice(
                [
                    "gopher:words 31 < 50",
                    "gopher:symbol_ratio 0.2 > 0.1",
                    "gopher:dup_5gram 0.3 > 0.15",
                ]
            ),
        )
    return doc


def build_output(path: Path, rows: list[dict[str, Any]], n: int) -> dict[str, Any]:
    rng = random.Random(1)
    options = Options(quality="gopher").as_dict()
    sink = open_sink(path, options=options)
    documents = errors = 0
    for i in range(n):
        doc = synthetic(rows[i % len(rows)], i, rng)
        sink.write(doc)
        documents += 1
        errors += bool(doc.error)
    summary = {"documents": documents, "errors": errors, "read": {"bytes": 0}}
    sink.close(summary)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="keep the output and report in DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        where = Path(args.keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        rows = seed_rows(where)
        out = where / f"synthetic-{args.docs}.parquet"
        t0 = time.perf_counter()
        build_output(out, rows, args.docs)
        print(
            f"output: {args.docs:,} rows, {out.stat().st_size:,} bytes, "
            f"{time.perf_counter() - t0:.1f} s to generate",
            file=sys.stderr,
        )
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        report = write_report(out, where / "report.html")
        result: dict[str, Any] = {
            "documents": args.docs,
            "report_bytes": report.stat().st_size,
            "report_cpu_seconds": round(cpu_seconds() - cpu0, 2),
            "report_wall_seconds": round(time.perf_counter() - wall0, 2),
        }
        if find_chromium() is None:
            result["open_ms"] = "no Chromium installed"
        else:
            opens, walls = [], []
            for _ in range(args.opens):
                start = time.perf_counter()
                dom = dump_dom(report)
                walls.append(time.perf_counter() - start)
                opens.append(ready_ms(dom))
            values = [v for v in opens if v is not None]
            result["open_ms"] = values
            result["open_ms_median"] = statistics.median(values) if values else None
            result["browser_process_seconds_median"] = round(statistics.median(walls), 2)
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
