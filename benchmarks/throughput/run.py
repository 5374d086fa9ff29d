"""End-to-end throughput of ``clean`` (1 and 2 workers) and of the equivalent datatrove pipeline.

Every command runs as a subprocess, one after the other, in the same invocation. For each one:

- ``cpu_s``: user + system CPU seconds of the whole process tree (``RUSAGE_CHILDREN`` before and
  after: it includes every worker process, reaped by its parent), robust to other load on a shared
  machine, unlike wall time;
- ``mb_per_cpu_s``: the corpus' text (UTF-8 bytes of the input documents' ``text``, from the
  corpus' ``manifest.json``, MB = 10^6 bytes) per CPU second: per-core throughput. With one worker
  (``-j 1``) the whole pipeline runs in one process, so this is the figure per core;
- ``peak_tree_rss_mb``: the peak of the summed RSS of the process and its descendants, sampled every
  0.2 s from ``/proc``; ``peak_tree_anon_mb``: the same for anonymous memory only (``RssAnon``:
  without file pages such as the dedup index's memory-mapped files, which the kernel can drop);
  ``peak_process_rss_mb``: the largest single process' sampled peak;
- ``wall_s``: for the record only.

The datatrove pipeline is ``dt_pipeline.py`` run with datatrove's own interpreter (see that file);
its ratio to ``clean -j 1`` is reported as CPU seconds / CPU seconds on the same corpus, both run
here one after the other. datatrove is about 50 times slower, so by default the comparison runs on
the first ``--datatrove-mb`` (10) MB of the corpus (both tools on that same slice); ``0`` compares
on the whole corpus.

    python benchmarks/throughput/run.py --corpus benchmarks/throughput/data/corpus \\
        --json benchmarks/throughput/data/results.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CLEAN = str(Path(sys.executable).with_name("clean"))
DATATROVE_PYTHON = "/work/venv-datatrove/bin/python"


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tree_pids(root: int) -> set[int]:
    """``root`` and its descendants, from ``/proc``."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def tree_memory(root: int) -> dict[str, int]:
    """Bytes of the tree of ``root``: summed ``VmRSS`` and ``RssAnon`` (anonymous memory: what
    the processes allocated, without file pages such as memory-mapped index files, which the
    kernel can drop and reread), and the largest single process' ``VmRSS``."""
    out = {"rss": 0, "anon": 0, "largest": 0}
    for pid in tree_pids(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
                out["rss"] += rss
                out["largest"] = max(out["largest"], rss)
            elif line.startswith("RssAnon:"):
                out["anon"] += int(line.split()[1]) * 1024
    return out


def measure(cmd: list[str], stdout: Any = subprocess.DEVNULL) -> dict[str, Any]:
    """Run ``cmd``; its tree's CPU seconds, peak RSS and wall time."""
    peak = {"rss": 0, "anon": 0, "largest": 0}
    before_cpu = children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            for key, value in tree_memory(proc.pid).items():
                peak[key] = max(peak[key], value)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {
        "command": " ".join(cmd),
        "cpu_s": round(children_cpu() - before_cpu, 2),
        "wall_s": round(wall, 1),
        "peak_tree_rss_mb": round(peak["rss"] / 1e6, 1),
        "peak_tree_anon_mb": round(peak["anon"] / 1e6, 1),
        "peak_process_rss_mb": round(peak["largest"] / 1e6, 1),
    }


def clean_run(corpus: str, work: Path, workers: int, extra: list[str]) -> dict[str, Any]:
    out = work / f"clean-j{workers}.parquet"
    result = measure([CLEAN, corpus, "-o", str(out), "-j", str(workers), "-q", *extra])
    result["output_bytes"] = out.stat().st_size
    return result


def same_output(paths: list[Path]) -> bool:
    """Whether the outputs have the same ``id`` and ``text`` columns, row for row."""
    import pyarrow.parquet as pq

    tables = [pq.read_table(p, columns=["id", "text"]) for p in paths]
    return all(t.equals(tables[0]) for t in tables[1:])


def datatrove_run(python: str, corpus: str, work: Path, extra: list[str]) -> dict[str, Any]:
    script = str(HERE / "dt_pipeline.py")
    with tempfile.TemporaryFile("w+") as out:
        result = measure([python, script, corpus, str(work / "datatrove"), *extra], stdout=out)
        out.seek(0)
        report = json.loads(out.read().strip().splitlines()[-1])
    report.pop("last_phase_stats", None)
    result["inside"] = report
    shutil.rmtree(work / "datatrove", ignore_errors=True)
    return result


def subset(corpus: Path, mb: float, work: Path) -> Path:
    """The first documents of ``corpus`` up to ``mb`` MB of text, as a corpus folder of its own."""
    folder = work / f"subset-{mb:g}mb"
    folder.mkdir(parents=True, exist_ok=True)
    total = docs = 0
    with open(folder / "corpus-00000.jsonl", "w", encoding="utf-8") as out:
        for shard in sorted(corpus.glob("corpus-*.jsonl")):
            with open(shard, encoding="utf-8") as lines:
                for line in lines:
                    if total >= mb * 1e6:
                        break
                    out.write(line)
                    total += len(json.loads(line)["text"].encode("utf-8"))
                    docs += 1
    manifest = {"text_bytes": total, "counts": {"docs": docs}, "subset_of": str(corpus)}
    (folder / "manifest.json").write_text(json.dumps(manifest) + "\n", "utf-8")
    return folder


def compare(args: argparse.Namespace, corpus: Path, work: Path) -> dict[str, Any]:
    """``clean -j 1`` and the datatrove pipeline on the same corpus, one after the other."""
    mb = json.loads((corpus / "manifest.json").read_text())["text_bytes"] / 1e6
    out: dict[str, Any] = {"corpus": str(corpus), "text_mb": round(mb, 3)}
    one = clean_run(str(corpus), work, 1, args.clean_args.split())
    one["mb_per_cpu_s"] = round(mb / one["cpu_s"], 3)
    (work / "clean-j1.parquet").unlink()
    print(f"clean -j 1 on {corpus}: {one}", flush=True)
    dt = datatrove_run(args.datatrove_python, str(corpus), work, args.datatrove_args.split())
    dt["mb_per_cpu_s"] = round(mb / dt["cpu_s"], 4)
    print(f"datatrove on {corpus}: {dt}", flush=True)
    out.update({"clean -j 1": one, "datatrove": dt})
    out["ratio_clean_vs_datatrove"] = round(dt["cpu_s"] / one["cpu_s"], 1)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", default=str(HERE / "data/corpus"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--clean-args", default="", help="extra flags for clean, one string")
    ap.add_argument("--datatrove-python", default=DATATROVE_PYTHON)
    ap.add_argument("--datatrove-args", default="", help="extra flags for dt_pipeline.py")
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument(
        "--datatrove-mb",
        type=float,
        default=10,
        help="compare with datatrove on the first N MB of the corpus (0: all of it)",
    )
    ap.add_argument("--work", help="scratch folder (default: a new temporary one)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    manifest = json.loads((Path(args.corpus) / "manifest.json").read_text())
    mb = manifest["text_bytes"] / 1e6
    work = Path(args.work or tempfile.mkdtemp(prefix="boilerclean-throughput-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "corpus": args.corpus,
        "text_mb": round(mb, 3),
        "documents": manifest["counts"]["docs"],
        "machine": machine(),
        "runs": {},
    }
    for workers in args.workers:
        r = clean_run(args.corpus, work, workers, args.clean_args.split())
        r["mb_per_cpu_s"] = round(mb / r["cpu_s"], 3)
        results["runs"][f"clean -j {workers}"] = r
        print(f"clean -j {workers}: {r}", flush=True)
    outputs = [work / f"clean-j{w}.parquet" for w in args.workers]
    if len(outputs) > 1:
        results["same_output_for_every_worker_count"] = same_output(outputs)
    for path in outputs:
        path.unlink()
    if not args.no_datatrove:
        corpus = Path(args.corpus)
        if args.datatrove_mb:
            corpus = subset(corpus, args.datatrove_mb, work)
        results["datatrove_comparison"] = compare(args, corpus, work)
    results["machine"]["load_after"] = os.getloadavg()
    results["machine"]["calibration_cpu_s_after"] = calibration()
    text = json.dumps(results, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", "utf-8")


def calibration() -> float:
    """CPU seconds of a fixed pure-Python workload: compare runs made under different loads.

    On a shared machine a CPU second buys less work when the other hardware thread of the core is
    busy; this figure, taken before and after the runs, shows how much.
    """
    start = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    words = " ".join(str(i) for i in range(200_000)).split()
    sorted(words)
    return round(time.process_time() - start, 3)


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "cpu": model,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_before": os.getloadavg(),
        "calibration_cpu_s_before": calibration(),
    }


if __name__ == "__main__":
    main()
