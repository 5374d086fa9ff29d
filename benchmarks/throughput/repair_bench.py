"""The repair stage's fast path against ftfy on every document, on the benchmark corpus.

``cleaner.repair.repair_text`` runs ftfy only on the segments that a cheap test says ftfy could
change (see ``docs/explanation/repair.md``); ``fast=False`` runs ftfy on everything. This prints
both rates (MB/s per core: CPU seconds of this process, best of ``--rounds``), ftfy's own
``fix_text`` with the same configuration for reference, and checks that the two paths give
identical outputs on every document read.

``--baseline PATH`` also times another version of ``cleaner/repair.py`` (for instance one taken
out of git: ``git show 80c16b9:cleaner/repair.py > /tmp/old_repair.py``) in the same process,
alternating with the current one, and checks that both give the same output: the fair way to
compare two versions on a machine whose load changes.

    python benchmarks/throughput/repair_bench.py benchmarks/throughput/data/corpus --docs 3000
    python benchmarks/throughput/repair_bench.py benchmarks/throughput/data/corpus --docs 3000 \
        --baseline /tmp/old_repair.py
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    """The smallest CPU time of ``rounds`` calls, and the last result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def load(path: Path) -> Any:
    """The module at ``path``, imported under a name of its own."""
    spec = importlib.util.spec_from_file_location("repair_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path} is not a Python file; give the path of a cleaner/repair.py.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare(path: Path, texts: list[str], mb: float, rounds: int) -> dict[str, Any]:
    """Best CPU time of the baseline's and the current ``repair_text``, calls alternating."""
    from cleaner.repair import repair_text

    baseline = load(path).repair_text
    times: dict[str, list[float]] = {"baseline": [], "current": []}
    outputs: dict[str, Any] = {}
    for _ in range(rounds):
        for name, fn in (("baseline", baseline), ("current", repair_text)):
            spent, outputs[name] = best(lambda fn=fn: [fn(t) for t in texts], 1)
            times[name].append(spent)
    return {
        "baseline": str(path),
        "baseline_mb_per_s": round(mb / min(times["baseline"]), 2),
        "current_mb_per_s": round(mb / min(times["current"]), 2),
        "speedup_over_baseline": round(min(times["baseline"]) / min(times["current"]), 2),
        "identical_to_baseline": outputs["baseline"] == outputs["current"],
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--baseline", help="another cleaner/repair.py to time against this one")
    args = ap.parse_args(argv)
    import ftfy

    from cleaner.repair import FTFY_CONFIG, repair_text

    texts: list[str] = []
    for path in sorted(Path(args.corpus).glob("corpus-*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in itertools.islice(lines, args.docs)]
        if len(texts) >= args.docs:
            break
    texts = texts[: args.docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    fast_s, fast = best(lambda: [repair_text(t) for t in texts], args.rounds)
    slow_s, slow = best(lambda: [repair_text(t, fast=False) for t in texts], args.rounds)
    ftfy_s, _ = best(lambda: [ftfy.fix_text(t, FTFY_CONFIG) for t in texts], 1)
    result = {
        "documents": len(texts),
        "text_mb": round(mb, 3),
        "fast_path_mb_per_s": round(mb / fast_s, 2),
        "ftfy_everywhere_mb_per_s": round(mb / slow_s, 2),
        "ftfy_fix_text_alone_mb_per_s": round(mb / ftfy_s, 2),
        "speedup": round(slow_s / fast_s, 1),
        "identical_outputs": fast == slow,
        "documents_with_ftfy_fixes": sum(1 for _, fixes in fast if fixes),
    }
    if args.baseline:
        result.update(compare(Path(args.baseline), texts, mb, args.rounds))
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
