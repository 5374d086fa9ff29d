"""Benchmark paragraph dedup against plain datasketch on the corpus of ``make_corpus.py``.

Reports, for boilerclean's :class:`cleaner.dedup.Deduplicator` (defaults: threshold 0.8, 128
permutations, word 5-grams, min 50 characters) and for the baseline in the same run:

- paragraphs per CPU second (user + system of this process: one core), and the CPU seconds;
- memory, per paragraph: the bytes the dedup index holds in RAM (its numpy arrays; the shingle
  sets are in a memory-mapped file on disk), the growth of anonymous RSS (``RssAnon``: excludes
  file-backed memmap pages) at its peak over the timed run, and, in separate passes under
  ``tracemalloc``, what stays allocated at the end and how the peak grows per paragraph;
- recall per Jaccard bucket of the planted copies (a copy counts as found when the later of the
  pair in input order was removed) and precision (a removed paragraph is right when its exact
  Jaccard similarity to the copy named as kept is at least threshold - 0.05).

The baseline is datasketch used plainly: ``MinHash(num_perm=128)`` updated once per lower-cased
word 5-gram, ``MinHashLSH(threshold=0.8, num_perm=128)`` queried then inserted per paragraph; a
paragraph with a candidate is removed as a copy of its earliest candidate. It runs on the first
``--baseline-paragraphs`` paragraphs (all with ``0``); its speed is per paragraph, so it compares
directly.

    python benchmarks/dedup/run.py --corpus /tmp/boilerclean-dedup-bench [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from make_corpus import jaccard

from cleaner.config import Options
from cleaner.dedup import Deduplicator
from cleaner.document import Document

BUCKETS = ((0.80, 0.85), (0.85, 0.90), (0.90, 0.95), (0.95, 1.0001))


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def rss_anon() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) * 1024
    return 0


def read_docs(path: Path, limit: int) -> Iterator[Document]:
    """Documents of the corpus, lazily, up to ``limit`` paragraphs (0: all)."""
    seen = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            yield Document(id=row["id"], source=row["text"])
            seen += row["text"].count("\n") + 1
            if limit and seen >= limit:
                return


def batched(docs: Iterator[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_ours(path: Path, limit: int, options: Options) -> dict[str, Any]:
    """The dedup stage as the pipeline runs it, in one process: ``prepare_batch`` over batches of
    ``options.batch_size`` documents (the worker side), then the ordered decision pass."""
    dedup = Deduplicator(options)
    removed: dict[str, str] = {}
    start_rss = rss_anon()
    peak = 0
    paragraphs = 0
    t0 = cpu()
    batches = batched(read_docs(path, limit), options.batch_size)
    prepared = (d for batch in batches for d in dedup.prepare_batch(batch))
    for i, doc in enumerate(dedup(prepared)):
        paragraphs += doc.source.count("\n") + 1
        for r in doc.removed:
            if r.dup_of and r.text.strip():
                para = doc.source.count("\n", 0, r.start)
                removed[f"{doc.id}#{para}"] = r.dup_of
        if i % 500 == 0:
            peak = max(peak, rss_anon() - start_rss)
    seconds = cpu() - t0
    peak = max(peak, rss_anon() - start_rss)
    summary = dedup.summary()
    held = summary["paragraph_index_bytes"] + dedup.doc_ids.nbytes
    dedup.close()
    return {
        "paragraphs": paragraphs,
        "cpu_seconds": round(seconds, 2),
        "paragraphs_per_cpu_second": round(paragraphs / seconds),
        "index_bytes_per_paragraph": round(held / paragraphs, 1),
        "peak_rss_anon_growth_per_paragraph": round(peak / paragraphs, 1),
        "removed": removed,
        "summary": {k: v for k, v in summary.items() if not k.endswith("_top")},
    }


def run_memory(path: Path, limit: int, options: Options) -> dict[str, float]:
    """Bytes traced by tracemalloc (numpy arrays included): what the dedup holds at the end, and
    the peak over the run, for the first ``limit`` paragraphs (a separate, slower pass)."""
    import gc
    import tracemalloc

    dedup = Deduplicator(options)
    dedup.prepare_batch([Document(id="warm-up", source="warm up the tables")])  # not counted
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    paragraphs = 0
    batches = batched(read_docs(path, limit), options.batch_size)
    for doc in dedup(d for batch in batches for d in dedup.prepare_batch(batch)):
        paragraphs += doc.source.count("\n") + 1
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    index = dedup.summary()["paragraph_index_bytes"] + dedup.doc_ids.nbytes
    dedup.close()
    return {"paragraphs": paragraphs, "held": held - base, "peak": peak - base, "index": index}


def memory_figures(path: Path, limit: int, total: int, options: Options) -> dict[str, float]:
    """Memory per paragraph at the full size, and the peak's growth per paragraph between a
    third of the corpus and all of it (the constant working set of a batch cancels out)."""
    small = run_memory(path, (limit or total) // 3, options)
    full = run_memory(path, limit, options)
    n = full["paragraphs"]
    slope = (full["peak"] - small["peak"]) / (n - small["paragraphs"])
    return {
        "index_bytes_per_paragraph": round(full["index"] / n, 1),
        "traced_bytes_held_per_paragraph": round(full["held"] / n, 1),
        "traced_peak_bytes_per_paragraph": round(full["peak"] / n, 1),
        "traced_peak_growth_per_paragraph": round(slope, 1),
        "traced_peak_constant_mb": round((full["peak"] - slope * n) / 2**20, 1),
    }


def run_baseline(path: Path, limit: int, min_chars: int) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    removed: dict[str, str] = {}
    start_rss = rss_anon()
    peak = 0
    paragraphs = 0
    t0 = cpu()
    for i, doc in enumerate(read_docs(path, limit)):
        for k, text in enumerate(doc.source.split("\n")):
            paragraphs += 1
            if len(text) < min_chars:
                continue
            words = text.lower().split()
            m = MinHash(num_perm=128)
            for j in range(max(1, len(words) - 4)):
                m.update(" ".join(words[j : j + 5]).encode("utf-8"))
            name = f"{doc.id}#{k}"
            found = lsh.query(m)
            if found:
                removed[name] = min(found, key=_order)
            lsh.insert(name, m)
        if i % 500 == 0:
            peak = max(peak, rss_anon() - start_rss)
    seconds = cpu() - t0
    peak = max(peak, rss_anon() - start_rss)
    return {
        "paragraphs": paragraphs,
        "cpu_seconds": round(seconds, 2),
        "paragraphs_per_cpu_second": round(paragraphs / seconds),
        "peak_rss_anon_growth_per_paragraph": round(peak / paragraphs, 1),
        "removed": removed,
    }


def _order(name: str) -> tuple[int, int]:
    doc, _, para = name.rpartition("#")
    return int(doc.rpartition(":")[2]), int(para)


def texts_of(path: Path) -> dict[str, str]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            for k, text in enumerate(row["text"].split("\n")):
                out[f"{row['id']}#{k}"] = text
    return out


def score(
    result: dict[str, Any], truth: list[dict[str, Any]], texts: dict[str, str], threshold: float
) -> dict[str, Any]:
    """Recall per Jaccard bucket on planted copies, and precision of every removal."""
    removed = result["removed"]
    recall = {}
    total_hit = total = 0
    for lo, hi in BUCKETS:
        hit = n = 0
        for t in truth:
            if not lo <= t["jaccard"] < hi:
                continue
            later = max(t["copy"], t["original"], key=_order)
            if later not in result["names"]:
                continue
            n += 1
            hit += later in removed
        label = f"{lo:.2f}-{min(hi, 1.0):.2f}"
        recall[label] = {"copies": n, "recall": round(hit / n, 4) if n else None}
        total_hit += hit
        total += n
    good = sum(
        jaccard(texts[name], texts[kept]) >= threshold - 0.05 for name, kept in removed.items()
    )
    return {
        "recall_by_jaccard": recall,
        "recall_jaccard_0.8_plus": round(total_hit / total, 4) if total else None,
        "removed": len(removed),
        "precision": round(good / len(removed), 4) if removed else None,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="/tmp/boilerclean-dedup-bench")
    ap.add_argument("--limit", type=int, default=0, help="paragraphs for boilerclean (0: all)")
    ap.add_argument("--baseline-paragraphs", type=int, default=30_000)
    ap.add_argument("--num-perm", type=int, help="override the default --dedup-num-perm")
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc passes")
    ap.add_argument("--json", help="write the figures here too")
    args = ap.parse_args(argv)
    folder = Path(args.corpus)
    corpus = folder / "corpus.jsonl"
    with open(folder / "truth.jsonl", encoding="utf-8") as f:
        truth = [json.loads(line) for line in f]
    texts = texts_of(corpus)
    options = Options()
    if args.num_perm:
        options = options.replace(dedup_num_perm=args.num_perm)
    report: dict[str, Any] = {"corpus": str(corpus), "paragraphs_in_corpus": len(texts)}
    names = list(texts)
    for label, limit, run in (
        ("boilerclean", args.limit, lambda lim: run_ours(corpus, lim, options)),
        (
            "datasketch_baseline",
            args.baseline_paragraphs,
            lambda lim: run_baseline(corpus, lim, 50),
        ),
    ):
        result = run(limit)
        result["names"] = set(names[: result["paragraphs"]])
        figures = {k: v for k, v in result.items() if k not in ("removed", "names")}
        figures.update(score(result, truth, texts, options.dedup_threshold))
        report[label] = figures
        print(label, json.dumps(figures, indent=1), flush=True)
    if not args.no_memory:
        figures = memory_figures(corpus, args.limit, len(texts), options)
        report["boilerclean"]["memory"] = figures
        print("boilerclean memory", json.dumps(figures, indent=1), flush=True)
    ours, base = report["boilerclean"], report["datasketch_baseline"]
    report["speedup_paragraphs_per_cpu_second"] = round(
        ours["paragraphs_per_cpu_second"] / base["paragraphs_per_cpu_second"], 1
    )
    print("speedup", report["speedup_paragraphs_per_cpu_second"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
