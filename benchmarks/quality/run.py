"""Benchmark the quality stage: CPU seconds per MB of cleaned text, one process.

The corpus is real text: the five seeds plus, when present, the plain-text translations of the
*Debian Reference* (Osamu Aoki et al., GPL-2+ / MIT, Debian packages
``debian-reference-it``, ``-fr``, ``-de``, ``-es``, ``-pt``, ``-ja``, ``-zh-cn``), split into
documents of about 4 KB at blank lines, and the seeds repeated until the corpus reaches
``--size`` bytes (10 MiB by default).
Get the translations once with::

    mkdir -p /tmp/dr && cd /tmp/dr && apt-get download debian-reference-{it,fr,de,es,pt,ja,zh-cn} \\
      && for f in *.deb; do dpkg-deb -x "$f" x; done

then run ``python benchmarks/quality/run.py --debian-reference
/tmp/dr/x/usr/share/debian-reference``.
The figure is the CPU time (user + system, ``resource.getrusage``) of the calls to ``Quality``,
without the one-off model load (reported apart), and MB are 10^6 bytes of UTF-8 text.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import statistics
import sys
import time
from pathlib import Path

from cleaner.config import Options
from cleaner.document import Document
from cleaner.quality import Quality

ROOT = Path(__file__).resolve().parents[2]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def documents(folder: Path | None, size: int) -> list[str]:
    # The five acceptance seeds only, so that the corpus stays the same when seeds are added.
    paths = sorted((ROOT / "seeds").glob("00[0-4]_*.txt"))
    seeds = [p.read_text(encoding="utf-8") for p in paths]
    docs: list[str] = []
    if folder is not None:
        for path in sorted(folder.glob("debian-reference.*.txt.gz")):
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
            block: list[str] = []
            length = 0
            for part in text.split("\n\n"):
                block.append(part)
                length += len(part)
                if length >= 4000:
                    docs.append("\n\n".join(block))
                    block, length = [], 0
    total = sum(len(d.encode("utf-8")) for d in docs)
    i = 0
    while total < size:
        docs.append(seeds[i % len(seeds)])
        total += len(docs[-1].encode("utf-8"))
        i += 1
    out, total = [], 0
    for d in docs:
        if total >= size:
            break
        out.append(d)
        total += len(d.encode("utf-8"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--debian-reference", type=Path, default=None)
    parser.add_argument("--size", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--quality", default="gopher")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=Options().batch_size,
        help="documents per Quality.batch call (default: the pipeline's batch size)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="passes over the corpus in this process; with more than one, also the best "
        "(the least disturbed by other load, as timeit reports) and the median",
    )
    args = parser.parse_args()
    docs = documents(args.debian_reference, args.size)
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    start = cpu()
    stage = Quality(Options(quality=args.quality))
    load = cpu() - start
    runs = [measure(stage, docs, args.batch_size) for _ in range(args.repeat)]
    seconds, wall, langs, dropped = runs[0]
    print(f"corpus: {len(docs)} documents, {nbytes / 1e6:.2f} MB; languages {langs}")
    print(f"model load: {load:.2f} CPU s; dropped by {args.quality}: {dropped}")
    print(f"batches of {args.batch_size} documents")
    for seconds, wall, _, _ in runs:
        print(
            f"quality: {seconds:.2f} CPU s ({wall:.2f} s wall) = "
            f"{nbytes / 1e6 / seconds:.1f} MB/s per core"
        )
    if len(runs) > 1:
        cpus = sorted(r[0] for r in runs)
        best, median = cpus[0], statistics.median(cpus)
        print(
            f"best of {len(runs)}: {best:.2f} CPU s = {nbytes / 1e6 / best:.1f} MB/s per core; "
            f"median {median:.2f} CPU s = {nbytes / 1e6 / median:.1f} MB/s per core"
        )


def measure(
    stage: Quality, docs: list[str], batch_size: int
) -> tuple[float, float, dict[str, int], int]:
    """One pass of ``stage`` over ``docs``: CPU s, wall s, documents per language, dropped."""
    wall = time.perf_counter()
    start = cpu()
    langs: dict[str, int] = {}
    dropped = 0
    for first in range(0, len(docs), batch_size):
        texts = docs[first : first + batch_size]
        batch = [Document(id=f"bench/{first + i}", source=t) for i, t in enumerate(texts)]
        for doc in stage.batch(batch):
            langs[doc.lang or "-"] = langs.get(doc.lang or "-", 0) + 1
            dropped += doc.dropped
    return cpu() - start, time.perf_counter() - wall, langs, dropped


if __name__ == "__main__":
    sys.exit(main())
