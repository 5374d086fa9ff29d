"""Performance contracts that hold on any machine (nothing here is timed).

The pipeline streams: however long the input, it holds a bounded number of documents at once
(the dedup stage's decision buffer plus the batches in flight), so memory does not grow with the
input folder, and the output order is the input order with any number of workers. Speed itself
is measured by hand with ``benchmarks/throughput/`` (see ``docs/performance.md``), not in CI.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cleaner.config import Options
from cleaner.dedup import BATCH_DOCS
from cleaner.document import Document
from cleaner.pipeline import Pipeline

WORDS = [
    "river", "city", "council", "budget", "school", "harbour", "train", "station", "museum",
    "market", "festival", "library", "bridge", "weather", "season", "farmers", "bakery",
    "hospital", "election", "theatre", "stadium", "garden",
]  # fmt: skip


class Source:
    """Documents made on demand, counting how many were handed out."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.produced = 0

    def __iter__(self) -> Iterator[Document]:
        for n in range(self.count):
            self.produced += 1
            words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(12)]
            text = f"Report {n} on the {' '.join(words)}.\nThe {words[0]} opened on day {n}.\n"
            yield Document(id=f"doc{n}", source=text, original_chars=len(text))


@pytest.mark.parametrize("workers", [1, 2])
def test_pipeline_streams_with_bounded_documents_in_flight(workers: int) -> None:
    batch = 32
    count = 2 * BATCH_DOCS  # more than the bound: holding them all would fail
    source = Source(count)
    pipeline = Pipeline(Options(workers=workers, batch_size=batch))
    window = 2 * workers  # batches the pool keeps in flight before and after dedup
    bound = BATCH_DOCS + (2 * window + 4) * batch
    in_flight = 0
    ids = []
    for consumed, doc in enumerate(pipeline.run(source), 1):
        in_flight = max(in_flight, source.produced - consumed)
        ids.append(doc.id)
    pipeline.close()
    assert ids == [f"doc{n}" for n in range(count)]
    assert in_flight <= bound, (
        f"{in_flight} documents were held at once (bound {bound}): the pipeline must stream"
    )
