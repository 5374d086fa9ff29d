"""The datatrove pipeline equivalent to ``clean`` with every stage on, for the side-by-side figures.

Runs in datatrove's own virtual environment (it pins trafilatura < 1.12, so it cannot share the
project's)::

    python3 -m venv /work/venv-datatrove
    /work/venv-datatrove/bin/pip install "datatrove[processing]" spacy pyarrow
    /work/venv-datatrove/bin/python benchmarks/throughput/dt_pipeline.py CORPUS WORKDIR

Stages, each a ``LocalPipelineExecutor(tasks=1, workers=1)`` run in this process, in order:

1. ``JsonlReader`` -> ``FTFYFormatter`` (its defaults) -> ``GopherRepetitionFilter`` ->
   ``GopherQualityFilter`` -> ``C4QualityFilter`` (defaults; English) -> paragraphs ->
   ``JsonlWriter`` (the deduplication input) -> ``MinhashDedupSignature``;
2. ``MinhashDedupBuckets`` (14 tasks, one per bucket, its minimum; run one after the other);
3. ``MinhashDedupCluster``;
4. ``JsonlReader`` (the paragraphs again) -> ``MinhashDedupFilter`` -> ``ParquetWriter`` (zstd).

MinHash uses datatrove's defaults (word 5-grams, 14 buckets x 8 hashes = 112 permutations) and its
English word tokenizer, which is spaCy's blank ``en`` pipeline (no model download; offline).

Two choices keep the work the same as boilerclean's, and are flags:

- ``--filters annotate`` (default): every filter's decision is computed and stored in the
  document's metadata, and every document goes on, as boilerclean computes quality signals on every
  document without dropping any; ``--filters drop`` runs the filters as datatrove normally does
  (dropped documents skip the later stages: less work for datatrove);
- ``--dedup paragraph`` (default): boilerclean deduplicates paragraphs, datatrove's MinHash
  deduplicates documents, so each non-empty line of at least 50 characters (boilerclean's
  ``--dedup-min-chars``) becomes one datatrove document for the MinHash stages; shorter lines are
  left out of the MinHash stages (less work for datatrove). ``--dedup document`` deduplicates whole
  documents instead.

Prints one JSON object: CPU seconds (user + system of this process) per stage, documents counted,
peak RSS. The caller measures the whole process as well (``run.py``).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.filters import (
    C4QualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters import FTFYFormatter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

MIN_CHARS = 50


class Annotate(PipelineStep):
    """Run filters for their decisions only: store them in metadata, keep every document."""

    name = "annotate"

    def __init__(self, filters: list[BaseFilter]):
        super().__init__()
        self.filters = filters

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        for doc in data:
            for f in self.filters:
                result = f.filter(doc)
                keep = result[0] if isinstance(result, tuple) else result
                doc.metadata[type(f).__name__] = bool(keep)
            yield doc


class Paragraphs(PipelineStep):
    """One document per non-empty line of at least ``MIN_CHARS`` characters."""

    name = "paragraphs"

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        for doc in data:
            for i, line in enumerate(doc.text.split("\n")):
                if len(line.strip()) >= MIN_CHARS:
                    yield Document(text=line, id=f"{doc.id}#{i}", metadata={})


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("corpus", help="folder of corpus-*.jsonl (make_corpus.py)")
    ap.add_argument("workdir", help="scratch folder (emptied first)")
    ap.add_argument("--filters", choices=["annotate", "drop"], default="annotate")
    ap.add_argument("--dedup", choices=["paragraph", "document"], default="paragraph")
    args = ap.parse_args(argv)
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    config = MinhashConfig()
    filters: list[BaseFilter] = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter()]
    first: list[Any] = [
        JsonlReader(args.corpus, glob_pattern="corpus-*.jsonl"),
        FTFYFormatter(),
        *(filters if args.filters == "drop" else [Annotate(filters)]),
    ]
    if args.dedup == "paragraph":
        first.append(Paragraphs())
    first += [
        JsonlWriter(str(work / "dedup-input"), output_filename="${rank}.jsonl", compression=None),
        MinhashDedupSignature(output_folder=str(work / "signatures"), config=config),
    ]
    phases = {
        "read+ftfy+filters+signatures": first,
        "buckets": [
            MinhashDedupBuckets(
                input_folder=str(work / "signatures"),
                output_folder=str(work / "buckets"),
                config=config,
            )
        ],
        "cluster": [
            MinhashDedupCluster(
                input_folder=str(work / "buckets"),
                output_folder=str(work / "remove_ids"),
                config=config,
            )
        ],
        "filter+parquet": [
            JsonlReader(str(work / "dedup-input")),
            MinhashDedupFilter(input_folder=str(work / "remove_ids")),
            ParquetWriter(str(work / "output"), compression="zstd"),
        ],
    }
    seconds: dict[str, float] = {}
    start_all = cpu()
    for name, steps in phases.items():
        start = cpu()
        tasks = config.num_buckets if name == "buckets" else 1  # its minimum: one per bucket
        executor = LocalPipelineExecutor(
            pipeline=steps, tasks=tasks, workers=1, logging_dir=str(work / "logs" / name)
        )
        executor.run()
        seconds[name] = round(cpu() - start, 3)
    stats = json.loads((work / "logs/filter+parquet/stats.json").read_text())
    result = {
        "cpu_s_by_phase": seconds,
        "cpu_s_pipeline": round(cpu() - start_all, 3),
        "filters": args.filters,
        "dedup": args.dedup,
        "minhash": str(config),
        "last_phase_stats": stats,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
