"""Speed of the rules stage alone: CPU seconds and MB/s per core on the seeds and the corpus.

Runs ``RuleSet(Options())(Document(id, source=text))`` on every document in one process and
reports the CPU time of the rules stage (``time.process_time()``: user + system of this
process, so other jobs on the machine do not count) and the throughput in MB (UTF-8 bytes of
the documents) per CPU second.

- ``seeds``: the 7 files in ``seeds/``, ``--passes`` times over (100 by default: 2.5 MB);
- ``corpus``: the documents of ``tests/corpus/*.jsonl``, their lines joined with newlines as
  ``tests/corpus/score.py`` does, ``--corpus-passes`` times over (1 by default);
- ``--input FILE``: the documents of a file ``clean`` reads (say
  ``benchmarks/throughput/data/corpus/corpus-00000.jsonl``), repaired first as the pipeline does
  (the repair is not timed); MB are those of the input text, as ``stages.py`` counts them.

Passes go over all the documents in turn, so no document follows itself (the rule pack keeps
per-document notes for the last document only). Each set is run once cold, then measured
``--repeat`` times (5 by default), and the fastest and the median of those runs are reported: on
a machine shared with other jobs, CPU seconds still vary by 30 % from run to run, and the
fastest is the least disturbed. The cold run is shown apart: it includes one-time work of the
process (the rule pack compiles its catalog's pattern groups on first use).

``--engine PATH`` runs another copy of ``cleaner/rule.py`` in its place (the rule pack then
subclasses that copy's bases), to compare engines on the same machine and rules::

    python benchmarks/rules/run.py
    python benchmarks/rules/run.py --engine /tmp/rule_old.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def use_engine(path: str) -> None:
    """Load ``path`` as ``cleaner.rule`` before anything else imports the real one."""
    if "cleaner.rule" in sys.modules:
        raise RuntimeError("--engine must be loaded before cleaner.rule is imported.")
    spec = importlib.util.spec_from_file_location("cleaner.rule", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path} is not a Python file; give the path of a copy of rule.py.")
    module = importlib.util.module_from_spec(spec)
    sys.modules["cleaner.rule"] = module
    spec.loader.exec_module(module)


def seed_texts() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]


def corpus_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                record = json.loads(raw)
                out.append((record["id"], "\n".join(ln["text"] for ln in record["lines"])))
    return out


def input_texts(path: str) -> tuple[list[tuple[str, str]], float]:
    """The repaired texts of the documents of ``path``, and the MB of their input text."""
    from cleaner.config import Options
    from cleaner.readers import ReadStats, iter_documents
    from cleaner.repair import Repairer

    options = Options()
    repair = Repairer(options)
    docs = list(iter_documents([path], options, ReadStats()))
    megabytes = sum(len(d.source.encode("utf-8")) for d in docs if d.source) / 1e6
    return [(d.id, repair(d).source) for d in docs if not d.error], megabytes


def measure(texts: list[tuple[str, str]], passes: int) -> tuple[float, float]:
    """CPU seconds of the rules stage over ``passes`` passes of ``texts``, and the MB done."""
    from cleaner.config import Options
    from cleaner.document import Document
    from cleaner.registry import RuleSet

    stage = RuleSet(Options())
    stage(Document("warm-up", source=texts[0][1]))
    megabytes = passes * sum(len(text.encode("utf-8")) for _, text in texts) / 1e6
    start = time.process_time()
    for _ in range(passes):
        for doc_id, text in texts:
            doc = stage(Document(doc_id, source=text))
            if doc.error:
                raise RuntimeError(f"the rules stage failed on {doc_id}: {doc.error}")
    return time.process_time() - start, megabytes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=100, help="passes over the seeds")
    parser.add_argument("--corpus-passes", type=int, default=1, help="passes over the corpus")
    parser.add_argument("--engine", help="a copy of cleaner/rule.py to run instead")
    parser.add_argument("--only", choices=("seeds", "corpus"), help="run one of the two sets")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each set (best shown)")
    parser.add_argument("--input", help="time the rules on this file's documents instead")
    args = parser.parse_args(argv)
    if args.engine:
        use_engine(args.engine)
    if args.input:
        texts, input_mb = input_texts(args.input)
        cold, _ = measure(texts, 1)
        runs = [measure(texts, 1)[0] for _ in range(max(args.repeat, 1))]
        print(
            f"{args.input}: {len(texts)} documents, {input_mb:.2f} MB of input text; cold "
            f"{cold:.2f} CPU s = {input_mb / cold:.2f} MB/s; best of {len(runs)}: "
            f"{min(runs):.2f} CPU s = {input_mb / min(runs):.2f} MB/s per core"
        )
        return 0
    sets = {"seeds": (seed_texts, args.passes), "corpus": (corpus_texts, args.corpus_passes)}
    for name, (load, passes) in sets.items():
        if args.only and name != args.only:
            continue
        texts = load()
        cold, megabytes = measure(texts, passes)
        runs = [measure(texts, passes)[0] for _ in range(max(args.repeat, 1))]
        best, median = min(runs), statistics.median(runs)
        print(
            f"{name}: {len(texts)} documents x {passes} = {megabytes:.2f} MB; cold "
            f"{cold:.2f} CPU s = {megabytes / cold:.2f} MB/s; best of {len(runs)}: "
            f"{best:.2f} CPU s = {megabytes / best:.2f} MB/s per core "
            f"(median {median:.2f} CPU s = {megabytes / median:.2f} MB/s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
