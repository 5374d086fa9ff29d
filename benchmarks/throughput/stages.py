"""Per-stage CPU cost of the text pipeline on a corpus, in one process, stage by stage.

Runs the same stages as ``clean INPUT -o OUT.parquet -j 1`` (read, repair, rules, dedup signatures,
dedup decisions, quality signals, Parquet write), in the same order and batches, but with a CPU
clock (``time.process_time``: user + system of this process, robust to a shared machine) around
each stage, and reports per stage the CPU seconds, MB/s per core over the corpus' text bytes (UTF-8
of the input documents' text, MB = 10^6 bytes), and its share of the total. The quality stage is
called through its ``batch`` method on batches of ``batch_size`` documents when it has one (as the
pipeline's workers call it). Building the stages (imports, rule compilation, language model
loading) is reported on its own line: it is a constant per worker process, not a per-byte cost.

Documents are processed in chunks of ``--chunk`` documents, so memory stays bounded: each chunk is
read, then passes every stage in turn (the dedup index lives across chunks, so the decisions are
the same as in one stream).

    python benchmarks/throughput/stages.py benchmarks/throughput/data/corpus [--json out.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.config import Options
from cleaner.document import Document

STAGES = ["read", "repair", "rules", "dedup signatures", "dedup decisions", "quality", "write"]


class Clock:
    """CPU seconds per stage name: ``with clock("rules"): ...`` adds the block's CPU time."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._name = ""
        self._start = 0.0

    def __call__(self, name: str) -> Clock:
        self._name = name
        return self

    def __enter__(self) -> None:
        self._start = time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.seconds[self._name] += time.process_time() - self._start


def chunks(docs: Iterator[Document], size: int, clock: Clock) -> Iterator[list[Document]]:
    """Lists of up to ``size`` documents; the reading is timed as ``read``."""
    while True:
        with clock("read"):
            chunk = list(itertools.islice(docs, size))
        if not chunk:
            return
        yield chunk


def run(inputs: list[str], options: Options, chunk_size: int) -> dict[str, Any]:
    from cleaner.dedup import Deduplicator
    from cleaner.pipeline import run_stages
    from cleaner.quality import Quality
    from cleaner.readers import ReadStats, iter_documents
    from cleaner.registry import RuleSet
    from cleaner.repair import Repairer
    from cleaner.writer import open_sink

    clock = Clock()
    start = time.process_time()
    stage_fns: dict[str, Any] = {
        "repair": Repairer(options),
        "rules": RuleSet(options),
        "quality": Quality(options),
    }
    dedup = Deduplicator(options) if options.dedup != "off" else None
    if dedup is not None:
        dedup.shingler  # noqa: B018 - built here so that its cost counts as setup
    setup = time.process_time() - start

    out_dir = Path(tempfile.mkdtemp(prefix="boilerclean-stages-"))
    sink = open_sink(out_dir / "out.parquet", options=options.as_dict())
    docs = iter_documents(inputs, options, ReadStats())
    text_bytes = 0
    count = 0
    batch = options.batch_size
    for chunk in chunks(docs, chunk_size, clock):
        text_bytes += sum(len(d.source.encode("utf-8")) for d in chunk if d.source)
        count += len(chunk)
        for name in ("repair", "rules"):
            with clock(name):
                chunk = [run_stages(d, [(name, stage_fns[name])]) for d in chunk]
        if dedup is not None:
            with clock("dedup signatures"):
                for i in range(0, len(chunk), batch):
                    dedup.prepare_batch(chunk[i : i + batch])
            with clock("dedup decisions"):
                chunk = list(dedup(iter(chunk)))
                for doc in chunk:
                    doc.scratch.clear()
        with clock("quality"):
            quality = stage_fns["quality"]
            if hasattr(quality, "batch"):  # the batched stage, as the pipeline's workers call it
                for i in range(0, len(chunk), batch):
                    quality.batch(chunk[i : i + batch])
            else:
                chunk = [run_stages(d, [("quality", quality)]) for d in chunk]
        with clock("write"):
            for doc in chunk:
                sink.write(doc)
    with clock("write"):
        sink.close({})
    if dedup is not None:
        dedup.close()
    total = sum(clock.seconds.values())
    mb = text_bytes / 1e6
    return {
        "documents": count,
        "text_mb": round(mb, 3),
        "setup_cpu_s": round(setup, 3),
        "stages": {
            name: {
                "cpu_s": round(sec, 3),
                "mb_per_s": round(mb / sec, 2) if sec else None,
                "share": round(sec / total, 4) if total else None,
            }
            for name, sec in clock.seconds.items()
        },
        "total_cpu_s": round(total, 3),
        "total_mb_per_s": round(mb / total, 3) if total else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['documents']} documents, {result['text_mb']} MB of text; "
        f"setup {result['setup_cpu_s']} CPU s (once per process)",
        f"{'stage':18} {'CPU s':>8} {'MB/s/core':>10} {'share':>7}",
    ]
    for name, s in result["stages"].items():
        rate = f"{s['mb_per_s']:.2f}" if s["mb_per_s"] else "-"
        share = f"{100 * s['share']:.1f}%" if s["share"] is not None else "-"
        lines.append(f"{name:18} {s['cpu_s']:8.2f} {rate:>10} {share:>7}")
    lines.append(
        f"{'all stages':18} {result['total_cpu_s']:8.2f} {result['total_mb_per_s']:10.2f}"
        f"  peak RSS {result['peak_rss_mb']} MB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--chunk", type=int, default=2000, help="documents per chunk")
    ap.add_argument("--no-repair", action="store_true")
    ap.add_argument("--quality", default="off", help="quality preset (default off)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    options = Options(workers=1, repair=not args.no_repair, quality=args.quality)
    result = run(args.inputs, options, args.chunk)
    result["command"] = " ".join(["python", *sys.argv])
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
