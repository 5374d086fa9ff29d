"""Benchmark the Ray engine's paragraph dedup: time, CPU seconds, peak memory of driver and workers.

The corpus is the dedup benchmark's (``benchmarks/dedup/make_corpus.py``: real English sentences of
the Python documentation recombined into paragraphs, 20 % planted exact and edited copies, one
paragraph per line of a JSONL record). The first documents up to ``--paragraphs`` paragraphs are
streamed from the file into a Ray dataset (the driver holds one block at a time) and cleaned with
``clean_dataset`` on a local Ray cluster of ``--cpus`` CPUs. Rules and repair are off (``--full``
turns them on) so that the figures are those of dedup and its plumbing; the per-document stages
are the local engine's code either way.

Reported (JSON on stdout, and to ``--json``):

- ``wall_seconds`` of the whole run and ``dedup_seconds`` of :func:`dedup_paragraphs` alone;
- ``cpu_seconds``: user + system of the driver plus every Ray process it started (sampled from
  ``/proc/<pid>/stat`` every ``--interval`` seconds, the last value per process);
- ``driver_peak_rss_mb``: the driver's ``ru_maxrss`` (it includes the object store pages the
  driver wrote with ``ray.put`` while streaming the input), and ``driver_peak_anon_mb``: the
  peak over samples of its private memory (``RssAnon``);
- ``workers_peak_pss_mb``: the peak over samples of the summed proportional set size (``Pss`` of
  ``/proc/<pid>/smaps_rollup``: shared pages such as the object store are split between the
  processes that map them, so the sum does not count them twice) of every Ray process, and
  ``workers_idle_pss_mb``, the same sum on the idle cluster just after ``ray.init``;
  ``worker_peak_rss_mb``: the largest RSS of one Ray process;
- ``load_before``: the 1-minute load average when the run started (the machine is shared).

With ``--check-local`` the same documents also go through the local engine (one process) and the
rows are compared (the local run's wall and CPU seconds are reported too): the run fails if any
differs. With ``--local`` only the local engine runs
(``--cpus`` worker processes), with the same documents and options, for comparison.

    python benchmarks/ray/run.py --corpus /tmp/boilerclean-ray-bench/corpus.jsonl \\
        --paragraphs 100000 --cpus 2 --json /tmp/ray-100k-2.json
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.config import Options
from cleaner.document import Document

TICKS = os.sysconf("SC_CLK_TCK")


def documents(corpus: Path, paragraphs: int) -> Iterator[Document]:
    """The corpus's documents, in file order, until ``paragraphs`` paragraphs."""
    seen = 0
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            if seen >= paragraphs:
                return
            record = json.loads(line)
            text = record["text"]
            seen += sum(1 for p in text.split("\n") if p.strip())
            yield Document(id=str(record["id"]), source=text, original_chars=len(text))


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Ray's GCS, raylet, workers...)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def sample(pid: int) -> tuple[float, int, int]:
    """(CPU seconds, Pss kB, RSS kB) of one process; zeros when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        pss = rss = 0
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
        return cpu, pss, rss
    except OSError:
        return 0.0, 0, 0


def anon_kb() -> int:
    """This process's private (anonymous) resident memory, kB: its RSS without the object store
    pages that ``ray.put`` wrote (shared memory, counted in ``ru_maxrss``)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """Samples the Ray processes' memory and CPU time every ``interval`` seconds."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.stop = threading.Event()
        self.cpu: dict[int, float] = {}
        self.peak_pss_kb = 0
        self.peak_rss_kb = 0
        self.driver_anon_kb = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            total = 0
            for pid in descendants(me):
                cpu, pss, rss = sample(pid)
                if cpu:
                    self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu)
                total += pss
                self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, total)
            self.driver_anon_kb = max(self.driver_anon_kb, anon_kb())
            self.stop.wait(self.interval)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="corpus.jsonl of make_corpus.py")
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    ap.add_argument("--block-docs", type=int, default=2048, help="documents per Ray block")
    ap.add_argument("--full", action="store_true", help="rules and repair on")
    ap.add_argument("--check-local", action="store_true", help="compare with the local engine")
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("--profile", action="store_true", help="seconds per dedup step (no overlap)")
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--local", action="store_true", help="the local engine instead (--cpus worker processes)"
    )
    args = ap.parse_args(argv)
    if args.local:
        return run_local(args)

    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    import ray

    from cleaner.engines.ray import _unpack, clean_dataset, documents_dataset, peak_rss_mb

    options = Options(workers=1) if args.full else Options(workers=1, rules=False, repair=False)
    load = os.getloadavg()[0]
    sampler = Sampler(args.interval)
    sampler.start()
    began = time.time()
    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    time.sleep(2 * args.interval)
    baseline = sum(sample(pid)[1] for pid in descendants(os.getpid()))  # an idle cluster
    ready = time.time()
    summary: dict[str, Any] = {}
    ds = documents_dataset(documents(args.corpus, args.paragraphs), block_docs=args.block_docs)
    out = clean_dataset(ds, options, documents=True, summary=summary, profile=args.profile)
    rows = []
    docs = 0
    for batch in out.iter_batches(batch_format="pyarrow", batch_size=None):
        got = _unpack(batch)[1]
        docs += len(got)
        if args.check_local:
            rows += [d.row() for d in got]
    wall = time.time() - ready
    sampler.stop.set()
    sampler.join()
    driver_cpu = sum(os.times()[:2])
    result: dict[str, Any] = {
        "paragraphs_target": args.paragraphs,
        "paragraphs_dedup_items": summary.get("paragraphs_seen"),
        "documents": docs,
        "cpus": args.cpus,
        "full_pipeline": args.full,
        "load_before": round(load, 2),
        "ray_init_seconds": round(ready - began, 1),
        "wall_seconds": round(wall, 1),
        "dedup_seconds": summary.get("seconds"),
        "cpu_seconds": round(driver_cpu + sum(sampler.cpu.values()), 1),
        "cpu_seconds_driver": round(driver_cpu, 1),
        "driver_peak_rss_mb": round(peak_rss_mb(), 1),
        "driver_peak_anon_mb": round(sampler.driver_anon_kb / 1024, 1),
        "workers_peak_pss_mb": round(sampler.peak_pss_kb / 1024, 1),
        "workers_idle_pss_mb": round(baseline / 1024, 1),
        "worker_peak_rss_mb": round(sampler.peak_rss_kb / 1024, 1),
        "removed_exact": summary.get("removed_exact"),
        "removed_near": summary.get("removed_near"),
        "partitions": summary.get("partitions"),
        "component_rounds": summary.get("component_rounds"),
        "steps": summary.get("steps"),
    }
    ray.shutdown()
    if args.check_local:
        from cleaner.pipeline import clean_documents

        wall0, cpu0 = time.time(), sum(os.times()[:2])
        local = [d.row() for d in clean_documents(documents(args.corpus, args.paragraphs), options)]
        result["local_wall_seconds"] = round(time.time() - wall0, 1)
        result["local_cpu_seconds"] = round(sum(os.times()[:2]) - cpu0, 1)
        result["identical_to_local"] = local == rows
        if local != rows:
            raise SystemExit(f"the Ray output differs from the local engine's: {result}")
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def run_local(args: argparse.Namespace) -> dict[str, Any]:
    """The same documents and options through the local engine (``Pipeline``), for comparison."""
    import resource

    from cleaner.pipeline import Pipeline

    workers = args.cpus if args.cpus > 1 else 1
    base = Options() if args.full else Options(rules=False, repair=False)
    pipeline = Pipeline(base.replace(workers=workers))
    load = os.getloadavg()[0]
    began = time.time()
    docs = sum(1 for _ in pipeline.run(documents(args.corpus, args.paragraphs)))
    wall = time.time() - began
    dedup = pipeline.summary().get("dedup", {})
    pipeline.close()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, joined by now
    result = {
        "engine": "local",
        "paragraphs_target": args.paragraphs,
        "paragraphs_dedup_items": dedup.get("paragraphs_seen"),
        "documents": docs,
        "cpus": workers,
        "full_pipeline": args.full,
        "load_before": round(load, 2),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1),
        "main_peak_rss_mb": round(me.ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(kids.ru_maxrss / 1024, 1),
        "removed_exact": dedup.get("removed_exact"),
        "removed_near": dedup.get("removed_near"),
    }
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
