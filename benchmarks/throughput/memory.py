"""Peak memory of ``clean`` against input size: is it bounded, and what grows?

Runs ``clean PREFIX -o OUT.parquet -j N -q`` (dedup on: the default) on prefixes of the corpus of
growing size (the first N MB of documents, see ``run.subset``) and reports for each the peak of
the process tree's summed ``VmRSS``, its anonymous part (``RssAnon``: what the processes
allocated, without file pages such as the dedup index's memory-mapped signature files), and the
CPU seconds. Two extrapolations to a 1 GB (1000 MB) input folder: a least-squares line through
all points, and the slope between the two largest inputs (the marginal growth, once start-up and
the fixed buffers are behind; the better estimate when the curve bends).

What grows by design: the dedup index keeps, per paragraph seen, its LSH band keys in RAM and its
signature and shingles in memory-mapped files on disk; everything else (reading, the worker
batches, the writer's row group) is bounded by the batch and row-group sizes.

    python benchmarks/throughput/memory.py --corpus benchmarks/throughput/data/corpus \\
        --mb 10 30 100 [--workers 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import CLEAN, machine, measure, subset  # noqa: E402


def fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares ``(intercept, slope)`` of ``ys`` over ``xs``.

    >>> fit([1, 2, 3], [3, 5, 7])
    (1.0, 2.0)
    """
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    return my - slope * mx, slope


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", default=str(HERE / "data/corpus"))
    ap.add_argument("--mb", type=float, nargs="+", default=[10, 30, 100])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--work", help="scratch folder (default: a new temporary one)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="boilerclean-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    points: list[dict[str, Any]] = []
    for mb in args.mb:
        folder = subset(Path(args.corpus), mb, work)
        size = json.loads((folder / "manifest.json").read_text())["text_bytes"] / 1e6
        out = work / "out.parquet"
        r = measure([CLEAN, str(folder), "-o", str(out), "-j", str(args.workers), "-q"])
        out.unlink()
        r["text_mb"] = round(size, 2)
        points.append(r)
        print(json.dumps(r), flush=True)
    result: dict[str, Any] = {"machine": machine(), "workers": args.workers, "points": points}
    xs = [p["text_mb"] for p in points]
    for key in ("peak_tree_rss_mb", "peak_tree_anon_mb"):
        a, b = fit(xs, [p[key] for p in points])
        result[key.replace("peak_", "growth_") + "_per_input_mb"] = round(b, 3)
        result[key + "_at_1000mb_extrapolated"] = round(a + 1000 * b, 1)
    if len(points) >= 2:
        # The slope between the two largest inputs: past the start-up and the fixed buffers
        # (the writer's row group fills at about 10,000 documents), only what grows is left.
        p, q = points[-2], points[-1]
        span = q["text_mb"] - p["text_mb"]
        for key in ("peak_tree_rss_mb", "peak_tree_anon_mb"):
            slope = (q[key] - p[key]) / span
            name = key.replace("peak_", "marginal_growth_")
            result[name + "_per_input_mb"] = round(slope, 3)
            at_1000 = q[key] + (1000 - q["text_mb"]) * slope
            result[key + "_at_1000mb_from_marginal"] = round(at_1000, 1)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
