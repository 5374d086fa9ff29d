"""The pipeline: read, extract, repair, rules, dedup, quality, write; one code path for all callers.

The CLI, :func:`clean_text`, :func:`clean_documents`, :func:`clean_table` and a distributed engine's
map function all run the same stages. Per-document stages run in worker processes, in batches, with
a bounded number of batches in flight (memory stays flat however large the input); the corpus-level
dedup decision runs in the main process over the stream in input order, so the output is the same
with any number of workers::

    worker:  extract -> repair -> rules -> dedup signatures
    main:    dedup (ordered, corpus-wide)
    worker:  quality
    main:    write

A stage that raises on a document turns that document into an error row (``error`` set, named after
the stage); it never stops the run.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

import pyarrow as pa

from cleaner.config import Options
from cleaner.document import Document

Stage = Callable[[Document], Document]
BatchStage = Callable[[list[Document]], list[Document]]
T = TypeVar("T")
R = TypeVar("R")


class Stages:
    """The work of one process on a batch: before dedup, then after dedup.

    Before: extract, repair and rules per document (:func:`build_stages`), then the dedup
    signatures of the whole batch in one vectorised pass. After: the quality stage, also per batch
    (language id and signals are computed for many documents at once).
    """

    def __init__(self, options: Options):
        from cleaner.quality import Quality

        self.before = build_stages(options)
        self.signatures: BatchStage | None = None
        if options.dedup != "off":
            from cleaner.dedup import Deduplicator

            self.signatures = Deduplicator(options).prepare_batch
        self.quality: BatchStage = Quality(options).batch

    def run_before(self, batch: list[Document]) -> list[Document]:
        docs = [run_stages(doc, self.before) for doc in batch]
        return self.signatures(docs) if self.signatures is not None else docs

    def run_after(self, batch: list[Document]) -> list[Document]:
        return self.quality(batch)


def build_stages(options: Options) -> list[tuple[str, Stage]]:
    """The per-document stages before the corpus-wide dedup, built from ``options``."""
    from cleaner.extract import Extractor
    from cleaner.registry import RuleSet
    from cleaner.repair import Repairer

    return [
        ("extract", Extractor(options)),
        ("repair", Repairer(options)),
        ("rules", RuleSet(options)),
    ]


def run_stages(doc: Document, stages: Sequence[tuple[str, Stage]]) -> Document:
    """Run ``stages`` on one document; an exception becomes the document's ``error``."""
    for name, stage in stages:
        if doc.error:
            break
        try:
            doc = stage(doc)
        except Exception as exc:  # a bad document must never stop the run
            doc.error = f"{name} failed: {type(exc).__name__}: {exc}"
    return doc


class Pipeline:
    """The stages for one run; iterate :meth:`run` over documents, then read :meth:`summary`.

    >>> pipeline = Pipeline(Options(workers=1))
    >>> [doc.text for doc in pipeline.run([Document(id="a", source="One line.\\n")])]
    ['One line.\\n']
    """

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.workers = self.options.workers or os.cpu_count() or 1
        self.dedup: Any = None
        if self.options.dedup != "off":
            from cleaner.dedup import Deduplicator

            self.dedup = Deduplicator(self.options)
        self._local: Stages | None = None

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Clean ``docs``, yielding them in input order.

        An input of one batch runs in this process whatever the number of workers: a pool could
        not run any of it in parallel, and starting workers costs a second of CPU each.
        """
        batches = _batched(docs, self.options.batch_size)
        if self.workers <= 1:
            yield from self._run_local(batches)
            return
        first = list(itertools.islice(batches, 2))
        batches = itertools.chain(first, batches)
        if len(first) < 2:
            yield from self._run_local(batches)
            return
        context = mp.get_context("spawn")
        with ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_init_worker, initargs=(self.options,)
        ) as pool:
            try:
                window = self.workers * 2
                before = _ordered(pool, _run_before, batches, window)
                deduped = self._dedup(_landed(sent, got) for sent, got in before)
                after = _batched(deduped, self.options.batch_size)
                for sent, got in _ordered(pool, _run_after, after, window):
                    yield from _landed(sent, got)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _run_local(self, batches: Iterable[list[Document]]) -> Iterator[Document]:
        if self._local is None:
            self._local = Stages(self.options)
        stages = self._local
        deduped = self._dedup(stages.run_before(batch) for batch in batches)
        for batch in _batched(deduped, self.options.batch_size):
            yield from stages.run_after(batch)

    def _dedup(self, batches: Iterable[list[Document]]) -> Iterator[Document]:
        docs = (doc for batch in batches for doc in batch)
        if self.dedup is None:
            yield from docs
            return
        for doc in self.dedup(docs):
            doc.scratch.clear()
            yield doc

    def summary(self) -> dict[str, Any]:
        """What the corpus-wide stages counted (dedup clusters); empty before :meth:`run`."""
        return {"dedup": self.dedup.summary()} if self.dedup is not None else {}

    def close(self) -> None:
        """Finish the corpus-wide stages (saves the dedup index when ``--index`` is set)."""
        if self.dedup is not None:
            self.dedup.close()


# -- the public API ---------------------------------------------------------------------------


def clean_documents(
    docs: Iterable[Document | str], options: Options | None = None, **changes: Any
) -> Iterator[Document]:
    """Clean an iterable of documents (or plain strings), yielding them in input order.

    Strings get ids ``text:<n>`` (1-based). ``changes`` override fields of ``options``, e.g.
    ``clean_documents(docs, dedup="off", workers=1)``.

    >>> [d.text for d in clean_documents(["Hello.", "World."], workers=1)]
    ['Hello.', 'World.']
    """
    base = options or Options(workers=1)
    pipeline = Pipeline(base.replace(**changes) if changes else base)
    items = (
        Document(id=f"text:{n}", source=d, original_chars=len(d)) if isinstance(d, str) else d
        for n, d in enumerate(docs, 1)
    )
    try:
        yield from pipeline.run(items)
    finally:
        pipeline.close()


def clean_text(text: str, options: Options | None = None, **changes: Any) -> Document:
    """Clean one text; the returned :class:`Document` holds ``text``, ``removed``, ``fixes``...

    >>> doc = clean_text("Caf\\u00c3\\u00a9 culture is back.")
    >>> doc.text, doc.fixes
    ('Café culture is back.', ['encode:latin-1', 'decode:utf-8'])
    """
    return next(clean_documents([text], options, **{"workers": 1, **changes}))


def clean_table(
    table: pa.Table, text_column: str = "text", options: Options | None = None, **changes: Any
) -> pa.Table:
    """Clean a pyarrow table of documents; one output row (see :mod:`cleaner.schema`) per input row.

    Other columns are carried into ``meta`` (or the metadata columns they name), exactly as when the
    same rows are read from a Parquet file by the CLI.
    """
    from cleaner.readers import documents_from_table
    from cleaner.writer import documents_table

    options = (options or Options(workers=1)).replace(text_field=text_column, **changes)
    docs = documents_from_table(table, text_field=text_column)
    return documents_table(clean_documents(docs, options))


# -- worker processes -------------------------------------------------------------------------

_WORKER_STAGES: Stages | None = None


def _init_worker(options: Options) -> None:
    global _WORKER_STAGES
    _WORKER_STAGES = Stages(options)


def _run_before(batch: list[Document]) -> Shipment:
    assert _WORKER_STAGES is not None
    return _shipped(batch, _WORKER_STAGES.run_before)


def _run_after(batch: list[Document]) -> Shipment:
    assert _WORKER_STAGES is not None
    return _shipped(batch, _WORKER_STAGES.run_after)


#: A worker's batch on its way back: the documents, and which of them kept the ``source`` they
#: were sent with (blanked for the trip: the main process still holds it).
Shipment = tuple[list[Document], list[int]]


def _shipped(batch: list[Document], work: BatchStage) -> Shipment:
    """Run ``work`` on ``batch`` in a worker; leave out of the reply the sources it did not change.

    The text is most of a document's bytes, and most documents come back with the same source:
    repair changes few, and nothing after repair changes any.
    """
    sources = [doc.source for doc in batch]
    docs = work(batch)
    same = [
        i
        for i, (doc, source) in enumerate(zip(docs, sources, strict=True))
        if doc.source is source or doc.source == source
    ]
    for i in same:
        docs[i].source = ""
    return docs, same


def _landed(sent: list[Document], shipment: Shipment) -> list[Document]:
    """The documents of a worker's reply, with the sources it left out put back from ``sent``."""
    docs, same = shipment
    for i in same:
        docs[i].source = sent[i].source
    return docs


def _ordered(
    pool: ProcessPoolExecutor,
    fn: Callable[[T], R],
    items: Iterable[T],
    window: int,
) -> Iterator[tuple[T, R]]:
    """``(item, fn(item))`` on ``pool``, in order, with at most ``window`` calls in flight."""
    pending: deque[tuple[T, Future[R]]] = deque()
    for item in items:
        pending.append((item, pool.submit(fn, item)))
        if len(pending) >= window:
            sent, future = pending.popleft()
            yield sent, future.result()
    while pending:
        sent, future = pending.popleft()
        yield sent, future.result()


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
