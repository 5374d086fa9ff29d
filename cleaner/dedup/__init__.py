"""Paragraph (and document) deduplication across a corpus: exact, then MinHash LSH.

The same paragraph recurs across a crawl: wire copy, templates, footers with small variations,
reposts with a word changed. :class:`Deduplicator` removes the later copies and says which copy was
kept and why: each removal has rule ``dedup_exact`` (same text once case, digits, punctuation and
spacing are folded) or ``dedup_near`` (estimated Jaccard similarity of the word n-gram shingles at
least ``dedup_threshold``), ``dup_of`` = ``<document id>#<paragraph index>`` of the kept copy and
``similarity`` = the estimated similarity to it.

How it splits the work: :meth:`Deduplicator.prepare` runs in worker processes and computes, per
live paragraph of at least ``dedup_min_chars`` characters, a 64-bit hash of the normalised text and
a MinHash signature (:mod:`cleaner.dedup.shingle`); :meth:`Deduplicator.__call__` runs in the main
process over the documents in stable input order and decides with the index
(:mod:`cleaner.dedup.index`). A cluster is a connected component of paragraphs linked by equal
normalised text or by an estimated similarity at or above the threshold; every paragraph goes into
the index, removed or not, so streaming and batch agree; the kept copy is the first in input order
(``--dedup-keep first``) or the longest (``longest``: the stage then holds every document until the
end of the stream).

What it deliberately leaves alone: paragraphs shorter than ``dedup_min_chars`` (headings such as
"Conclusion" recur legitimately), repetition inside one paragraph, and documents with ``error``.

>>> from cleaner.config import Options
>>> from cleaner.document import Document
>>> dedup = Deduplicator(Options(dedup_min_chars=10))
>>> a = Document(id="c/a.txt", source="Shared wire story about the harbour.\\nOwn line A.\\n")
>>> b = Document(id="c/b.txt", source="Own line B.\\nSHARED wire story about the harbour!\\n")
>>> out = list(dedup(dedup.prepare(d) for d in (a, b)))
>>> out[1].text
'Own line B.\\n'
>>> r = out[1].removed[0]
>>> r.rule, r.dup_of, r.similarity
('dedup_exact', 'c/a.txt#0', 1.0)
>>> dedup.close()
"""

from __future__ import annotations

import hashlib
import heapq
import os
import shutil
import tempfile
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate, compress
from operator import add
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.config import Options
from cleaner.dedup.index import Growable, Index, band_keys, lsh_params
from cleaner.dedup.shingle import Batch, Shingler, distinct
from cleaner.document import (
    Document,
    Paragraph,
    ParagraphMode,
    Removal,
    cut_spans,
    merged_spans,
    paragraph_bounds,
)

__all__ = ["Deduplicator"]

#: A batch is decided when it holds this many paragraphs (or BATCH_DOCS documents).
BATCH_PARAGRAPHS = 8192
BATCH_DOCS = 2048
#: How many of the most-copied clusters the run summary lists.
TOP_CLUSTERS = 20
SNIPPET_CHARS = 120

_SCRATCH = "dedup"


class Deduplicator:
    """The dedup stage: ``prepare`` per document in workers, then ``__call__`` over the stream.

    ``prepare_batch`` is ``prepare`` for a worker's whole batch of documents in one vectorised pass
    (several times cheaper per document than one call each); pipelines should prefer it.
    ``close()`` saves the index when ``options.index`` is set (and removes the temporary one
    otherwise); an existing index at that path is loaded first, so a later run removes copies of
    what earlier runs saw without reading them again.
    """

    def __init__(self, options: Options):
        if options.dedup not in ("paragraph", "document", "both", "off"):
            raise ValueError(
                f"--dedup must be paragraph, document, both or off, not {options.dedup!r}."
            )
        if options.dedup_keep not in ("first", "longest"):
            raise ValueError(f"--dedup-keep must be first or longest, not {options.dedup_keep!r}.")
        if options.dedup == "both" and options.dedup_keep == "longest":
            raise ValueError(
                "--dedup both cannot keep the longest copy; use --dedup-keep first, or one scope."
            )
        self.options = options
        self.scopes = {
            "paragraph": ("paragraph",),
            "document": ("document",),
            "both": ("document", "paragraph"),
            "off": (),
        }[options.dedup]
        self._shingler: Shingler | None = None
        self._folder: Path | None = None
        self._indexes: dict[str, Index] = {}
        self._doc_ids: DocIds | None = None
        self._stats = {"paragraphs": 0, "documents": 0, "exact": 0, "near": 0}
        self._doc_stats = {"exact": 0, "near": 0}
        self._top: dict[tuple[str, int], tuple[int, str]] = {}
        self._top_min: int | None = None  # the smallest size in a full _top, while it holds
        self._closed = False

    # -- worker side ------------------------------------------------------------------------
    @property
    def shingler(self) -> Shingler:
        if self._shingler is None:
            o = self.options
            self._shingler = Shingler(num_perm=o.dedup_num_perm, ngram=o.dedup_ngram, seed=o.seed)
        return self._shingler

    def prepare(self, doc: Document) -> Document:
        """Hash the live paragraphs of ``doc`` into ``doc.scratch["dedup"]`` (numpy arrays only).

        Runs after the rules, in any process: the result depends on the document and the options
        alone. :meth:`prepare_batch` does the same for many documents at a lower cost per document.
        """
        self.prepare_batch([doc])
        return doc

    def prepare_batch(self, docs: list[Document]) -> list[Document]:
        """:meth:`prepare` for a list of documents, hashed in one vectorised pass.

        Documents with ``error`` are left alone. If the pass fails, each document is prepared on
        its own and one that fails gets ``error`` set, as a pipeline stage would.
        """
        todo = [d for d in docs if not d.error] if self.scopes else []
        try:
            self._prepare(todo)
        except Exception:
            if len(todo) == 1:
                raise
            for doc in todo:
                try:
                    self._prepare([doc])
                except Exception as exc:  # one bad document must not stop the batch
                    doc.error = f"dedup failed: {type(exc).__name__}: {exc}"
        return docs

    def _prepare(self, docs: list[Document]) -> None:
        o = self.options
        views = [_live_views(d, o.paragraphs) for d in docs]
        para_l: list[int] = []
        start_l: list[int] = []
        end_l: list[int] = []
        texts: list[str] = []
        for v in views:
            para_l += v[0]
            start_l += v[1]
            end_l += v[2]
            texts += v[3]
        lengths = np.fromiter(map(len, texts), dtype=np.uint32, count=len(texts))
        if "document" in self.scopes:  # the document signature needs every paragraph's
            batch = self.shingler.batch(texts)
            has = batch.tokens > 0
            sel = np.flatnonzero(has & (lengths >= o.dedup_min_chars))
            rows = sel
        else:  # only paragraphs long enough are hashed
            long = np.flatnonzero(lengths >= o.dedup_min_chars)
            batch = self.shingler.batch([texts[i] for i in long.tolist()])
            rows = np.flatnonzero(batch.tokens > 0)
            sel = long[rows]
        # Everything for the selected paragraphs of the whole batch at once, then a slice per doc.
        para = np.array(para_l, dtype=np.int64)[sel].astype(np.uint32)
        start = np.array(start_l, dtype=np.int64)[sel]
        end = np.array(end_l, dtype=np.int64)[sel]
        shingles, offsets = _subset(batch, rows)
        hashes, sigs, lens = batch.hashes[rows], batch.signatures[rows], lengths[sel]
        doc_ends = np.cumsum([len(v[3]) for v in views], dtype=np.int64)
        cut = np.searchsorted(sel, doc_ends).tolist()
        lo, pos = 0, 0
        cuts = offsets[cut].tolist()
        o_lo = 0
        for doc, hi, o_hi, stop in zip(docs, cut, cuts, doc_ends.tolist(), strict=True):
            data: dict[str, Any] = {
                "para": para[lo:hi],
                "start": start[lo:hi],
                "end": end[lo:hi],
                "hash": hashes[lo:hi],
                "sig": sigs[lo:hi],
                "shingles": (shingles[o_lo:o_hi], offsets[lo : hi + 1] - o_lo),
                "len": lens[lo:hi],
            }
            if "document" in self.scopes:
                self._prepare_document(data, batch, lengths, slice(pos, stop), has[pos:stop])
            doc.scratch[_SCRATCH] = data
            lo, pos, o_lo = hi, stop, o_hi

    def _prepare_document(
        self, data: dict[str, Any], batch: Batch, lengths: np.ndarray, here: slice, has: np.ndarray
    ) -> None:
        total = int(lengths[here][has].sum())
        data["doc_ok"] = bool(has.any()) and total >= self.options.dedup_min_chars
        # The union of the paragraphs' shingle sets: the minimum of their signatures.
        data["doc_sig"] = np.full(self.options.dedup_num_perm, 0xFFFFFFFF, dtype=np.uint32)
        if has.any():
            data["doc_sig"] = batch.signatures[here][has].min(axis=0)
        rows = np.flatnonzero(has) + here.start
        union = distinct(_subset(batch, rows)[0])
        data["doc_shingles"] = (union, np.array([0, len(union)], dtype=np.int64))
        digest = hashlib.blake2b(batch.hashes[here][has].tobytes(), digest_size=8).digest()
        data["doc_hash"] = np.uint64(int.from_bytes(digest, "little") or 1)
        data["doc_len"] = total

    # -- main-process side ------------------------------------------------------------------
    def _index(self, scope: str) -> Index:
        if scope not in self._indexes:
            o = self.options
            bands, rows = lsh_params(o.dedup_threshold, o.dedup_num_perm)
            self._indexes[scope] = Index(
                self.folder / scope, o.dedup_num_perm, o.dedup_threshold, bands, rows
            )
        return self._indexes[scope]

    @property
    def folder(self) -> Path:
        if self._folder is None:
            if self.options.index:
                self._folder = Path(self.options.index)
                self._folder.mkdir(parents=True, exist_ok=True)
            else:
                self._folder = Path(tempfile.mkdtemp(prefix="boilerclean-dedup-"))
                weakref.finalize(self, shutil.rmtree, self._folder, True)
        return self._folder

    @property
    def doc_ids(self) -> DocIds:
        if self._doc_ids is None:
            self._doc_ids = DocIds(self.folder / "doc_ids")
        return self._doc_ids

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Decide duplicates over ``docs`` in their (stable) order and yield them in that order."""
        if not self.scopes:
            yield from docs
            return
        for scope in self.scopes:
            self._index(scope)
        if self.options.dedup_keep == "longest":
            yield from self._longest(docs)
            return
        buffer: list[Document] = []
        paragraphs = 0
        for doc in docs:
            buffer.append(doc)
            data = doc.scratch.get(_SCRATCH)
            paragraphs += len(data["para"]) if data else 0
            if paragraphs >= BATCH_PARAGRAPHS or len(buffer) >= BATCH_DOCS:
                self._decide(buffer, apply=True)
                yield from buffer
                buffer, paragraphs = [], 0
        self._decide(buffer, apply=True)
        yield from buffer

    def _longest(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Keep the longest copy: every document is held until the stream ends."""
        held: list[Document] = []
        batch: list[Document] = []
        starts = {scope: self._indexes[scope].count for scope in self.scopes}
        for doc in docs:
            held.append(doc)
            batch.append(doc)
            if len(batch) >= BATCH_DOCS:
                self._decide(batch, apply=False)
                batch = []
        self._decide(batch, apply=False)
        live = [d for d in held if not d.error and _SCRATCH in d.scratch]
        for scope in self.scopes:
            index = self._indexes[scope]
            start = starts[scope]
            kept = index.rekeep_longest(start)
            ids = np.arange(start, index.count)
            dup = np.where(kept != ids, kept, -1)
            exact = (dup >= 0) & (index.hash.view[start:] == index.hash.view[kept])
            added = (
                live if scope == "paragraph" else [d for d in live if d.scratch[_SCRATCH]["doc_ok"]]
            )
            self._apply_decisions(scope, added, start, dup, exact)
        for doc in held:
            doc.scratch.pop(_SCRATCH, None)
        yield from held

    def _decide(self, docs: list[Document], *, apply: bool) -> None:
        live = [d for d in docs if not d.error and _SCRATCH in d.scratch]
        self.doc_ids.add_all(live)
        if "document" in self.scopes:
            self._decide_documents(live, apply)
        if "paragraph" in self.scopes:
            todo = [d for d in live if not d.scratch[_SCRATCH].get("doc_dup")]
            self._decide_paragraphs(todo, apply)
        for doc in docs:
            if apply:
                doc.scratch.pop(_SCRATCH, None)
            elif _SCRATCH in doc.scratch:  # held until the end: keep only what removals need
                for key in ("sig", "shingles", "hash", "len", "doc_sig", "doc_shingles"):
                    doc.scratch[_SCRATCH].pop(key, None)

    def _decide_paragraphs(self, docs: list[Document], apply: bool) -> None:
        index = self._index("paragraph")
        datas = [d.scratch[_SCRATCH] for d in docs]
        counts = [len(x["para"]) for x in datas]
        self._stats["paragraphs"] += sum(counts)
        if not sum(counts):
            return
        sig = np.concatenate([x["sig"] for x in datas])
        start = index.count
        joined, exact = index.add(
            np.concatenate([x["hash"] for x in datas]),
            _concat([x["shingles"] for x in datas]),
            band_keys(sig, index.bands, index.rows),
            np.concatenate([x["len"] for x in datas]),
            np.repeat([self.doc_ids.ordinal(d) for d in docs], counts).astype(np.uint32),
            np.concatenate([x["para"] for x in datas]),
        )
        if apply:
            self._apply_decisions("paragraph", docs, start, joined, exact)

    def _decide_documents(self, docs: list[Document], apply: bool) -> None:
        index = self._index("document")
        eligible = [d for d in docs if d.scratch[_SCRATCH]["doc_ok"]]
        self._stats["documents"] += len(eligible)
        if not eligible:
            return
        datas = [d.scratch[_SCRATCH] for d in eligible]
        sig = np.stack([x["doc_sig"] for x in datas])
        start = index.count
        joined, exact = index.add(
            np.array([x["doc_hash"] for x in datas], dtype=np.uint64),
            _concat([x["doc_shingles"] for x in datas]),
            band_keys(sig, index.bands, index.rows),
            np.array([x["doc_len"] for x in datas], dtype=np.uint32),
            np.array([self.doc_ids.ordinal(d) for d in eligible], dtype=np.uint32),
            np.zeros(len(eligible), dtype=np.uint32),
        )
        if apply:
            self._apply_decisions("document", eligible, start, joined, exact)

    def _apply_decisions(
        self, scope: str, docs: list[Document], start: int, dup: np.ndarray, exact: np.ndarray
    ) -> None:
        """Record removals for items ``start ...`` (in the order of ``docs``) that have a dup."""
        index = self._indexes[scope]
        rows = np.flatnonzero(dup >= 0)
        if not len(rows):
            return
        sims = index.similarity(start + rows, dup[rows])
        sims[exact[rows]] = 1.0
        per_doc = np.array([len(d.scratch[_SCRATCH]["para"]) for d in docs])
        if scope == "document":
            per_doc = np.ones(len(docs), dtype=np.int64)
        owner = np.repeat(np.arange(len(docs)), per_doc)
        offset = np.concatenate([[0], np.cumsum(per_doc)[:-1]])
        covered: bytearray | None = None  # what is removed of the current document so far
        last = -1
        owners, kept_ids, exacts = owner[rows].tolist(), dup[rows].tolist(), exact[rows].tolist()
        offsets = offset.tolist()
        names = self._names(index, dup[rows], scope)
        for row, sim, o, kept, is_exact, dup_of in zip(
            rows.tolist(), sims.tolist(), owners, kept_ids, exacts, names, strict=True
        ):
            doc = docs[o]
            if o != last:
                covered, last = _covered(doc), o
            assert covered is not None
            rule = "dedup_exact" if is_exact else "dedup_near"
            data = doc.scratch[_SCRATCH]
            if scope == "document":
                data["doc_dup"] = True
                spans = [(0, len(doc.source))]
                snippet = doc.text[:SNIPPET_CHARS]
            else:
                k = row - offsets[o]
                spans = [(int(data["start"][k]), int(data["end"][k]))]
                snippet = doc.source[spans[0][0] : spans[0][1]][:SNIPPET_CHARS]
            for s, e in spans:
                _remove(
                    doc,
                    s,
                    e,
                    rule,
                    dup_of,
                    round(sim, 4),
                    whole=scope == "document",
                    covered=covered,
                )
            stats = self._doc_stats if scope == "document" else self._stats
            stats["exact" if is_exact else "near"] += 1
            self._count_top(scope, index, kept, snippet)

    def _names(self, index: Index, items: np.ndarray, scope: str) -> list[str]:
        """:meth:`_name` of each of ``items``, with the index arrays read once for all."""
        ordinals = index.doc.data[items].astype(np.int64)
        offsets = self.doc_ids.offsets.data
        blob = self.doc_ids.blob
        ids = [
            blob[lo:hi].decode("utf-8")
            for lo, hi in zip(
                offsets[ordinals].tolist(), offsets[ordinals + 1].tolist(), strict=True
            )
        ]
        if scope == "document":
            return ids
        paras = index.para.data[items].tolist()
        return [f"{doc_id}#{para}" for doc_id, para in zip(ids, paras, strict=True)]

    def _name(self, index: Index, item: int, scope: str) -> str:
        doc_id = self.doc_ids.get(int(index.doc.data[item]))
        return doc_id if scope == "document" else f"{doc_id}#{int(index.para.data[item])}"

    def _count_top(self, scope: str, index: Index, root: int, snippet: str) -> None:
        size = int(index.size.data[index.find(root)])
        key = (scope, root)
        if key in self._top or len(self._top) < 2 * TOP_CLUSTERS:
            self._top[key] = (size, self._top.get(key, (0, snippet))[1])
            self._top_min = None
            return
        if self._top_min is not None and size <= self._top_min:
            return  # not larger than the smallest listed cluster: nothing would change
        smallest = min(self._top, key=lambda k: self._top[k][0])
        self._top_min = self._top[smallest][0]
        if size > self._top[smallest][0]:
            del self._top[smallest]
            self._top[key] = (size, snippet)
            self._top_min = None

    # -- summary and close ------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts, cluster sizes and the most-copied paragraphs, for the run summary."""
        out: dict[str, Any] = {
            "scope": self.options.dedup,
            "threshold": self.options.dedup_threshold,
            "keep": self.options.dedup_keep,
            "paragraphs_seen": self._stats["paragraphs"],
            "removed_exact": self._stats["exact"],
            "removed_near": self._stats["near"],
        }
        if "document" in self.scopes:
            out["documents_seen"] = self._stats["documents"]
            out["documents_removed_exact"] = self._doc_stats["exact"]
            out["documents_removed_near"] = self._doc_stats["near"]
        for scope, index in self._indexes.items():
            roots = index.roots()
            sizes = index.size.view[np.flatnonzero(roots == np.arange(len(roots)))]
            sizes = sizes[sizes > 1]
            hist: dict[str, int] = {}
            for lo, hi in ((2, 2), (3, 5), (6, 10), (11, 100), (101, None)):
                sel = (sizes >= lo) if hi is None else ((sizes >= lo) & (sizes <= hi))
                label = f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}")
                hist[label] = int(sel.sum())
            out[f"{scope}_clusters"] = {"count": len(sizes), "sizes": hist}
            top: dict[int, tuple[int, str, str]] = {}
            for (sc, root), (_, snippet) in self._top.items():
                kept = int(roots[root])
                if sc == scope and kept not in top:
                    name = self._name(index, kept, scope)
                    top[kept] = (int(index.size.data[kept]), name, snippet)
            out[f"{scope}_top"] = [
                {"kept": name, "copies": size, "text": snippet}
                for size, name, snippet in heapq.nlargest(TOP_CLUSTERS, top.values())
            ]
            out[f"{scope}_index_bytes"] = index.nbytes
        return out

    def close(self) -> None:
        """Save the index to ``options.index`` (if set); remove a temporary one."""
        if self._closed:
            return
        self._closed = True
        if self.options.index and self._folder is not None:
            for index in self._indexes.values():
                index.save()
                index.close()
            self.doc_ids.save()
        elif self._folder is not None:
            for index in self._indexes.values():
                index.close()
            self._indexes.clear()
            shutil.rmtree(self._folder, ignore_errors=True)


class DocIds:
    """Document ids by ordinal, in one byte blob plus offsets (no Python str per document)."""

    def __init__(self, path: Path):
        self.path = path.with_suffix(".npz")
        self.blob = bytearray()
        self.offsets = Growable(np.int64, np.zeros(1, dtype=np.int64))
        if self.path.exists():
            saved = np.load(self.path)
            self.blob = bytearray(saved["blob"].tobytes())
            self.offsets = Growable(np.int64, saved["offsets"])

    def add(self, doc: Document) -> None:
        """Give ``doc`` the next ordinal (kept in its dedup scratch)."""
        doc.scratch[_SCRATCH]["ordinal"] = self.offsets.size - 1
        self.blob += doc.id.encode("utf-8")
        self.offsets.append(np.array([len(self.blob)], dtype=np.int64))

    def add_all(self, docs: list[Document]) -> None:
        """:meth:`add` for each of ``docs`` in turn, with one append to the offsets."""
        first = self.offsets.size - 1
        ids = [doc.id.encode("utf-8") for doc in docs]
        for k, doc in enumerate(docs):
            doc.scratch[_SCRATCH]["ordinal"] = first + k
        ends = np.cumsum([len(b) for b in ids], dtype=np.int64) + len(self.blob)
        self.blob += b"".join(ids)
        self.offsets.append(ends)

    @staticmethod
    def ordinal(doc: Document) -> int:
        return int(doc.scratch[_SCRATCH]["ordinal"])

    def get(self, ordinal: int) -> str:
        lo, hi = self.offsets.data[ordinal], self.offsets.data[ordinal + 1]
        return self.blob[lo:hi].decode("utf-8")

    @property
    def nbytes(self) -> int:
        return len(self.blob) + self.offsets.data.nbytes

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp.npz")
        blob = np.frombuffer(bytes(self.blob), dtype=np.uint8)
        np.savez(tmp, blob=blob, offsets=self.offsets.view)
        os.replace(tmp, self.path)


def _live_paragraphs(doc: Document, mode: ParagraphMode) -> list[Paragraph]:
    """``doc.paragraphs(mode)``, with a fast path for a document that nothing was removed from."""
    if doc.removed:
        return doc.paragraphs(mode)
    src = doc.source
    return [
        Paragraph(i, start, end, src[start:end].strip())
        for i, (start, end) in enumerate(paragraph_bounds(src, mode))
    ]


def _live_views(
    doc: Document, mode: ParagraphMode
) -> tuple[list[int], list[int], list[int], list[str]]:
    """``(index, start, end, text)`` lists of :func:`_live_paragraphs`, built without a
    :class:`Paragraph` per paragraph and, in ``lines`` mode, by list comprehensions over the
    lines; only the paragraphs that a removal touches are cut (one search per removal, not one
    per paragraph).

    >>> d = Document(id="x", source="one\\n\\n  two  \\nthree\\n")
    >>> d.remove(Removal("r", 10, 17, "  \\nthre"))
    >>> _live_views(d, "lines")
    ([0, 1, 2], [0, 5, 13], [3, 12, 18], ['one', 'two', 'e'])
    """
    if mode != "lines":
        paras = _live_paragraphs(doc, mode)
        return (
            [p.index for p in paras],
            [p.start for p in paras],
            [p.end for p in paras],
            [p.text for p in paras],
        )
    src = doc.source
    lines = src.split("\n")
    sizes = list(map(len, lines))
    starts = list(accumulate(map((1).__add__, sizes), initial=0))
    stripped = list(map(str.strip, lines))
    # The paragraphs, dead or alive: the lines with something besides white space (all in C).
    texts = list(filter(None, stripped))
    index = list(range(len(texts)))
    begin = list(compress(starts, stripped))
    end = list(map(add, begin, compress(sizes, stripped)))
    if not doc.removed:
        return index, begin, end, texts
    # Only the paragraphs that a removal touches are cut; one that is left empty is dead, as
    # is one inside a single (merged) removal, without cutting.
    spans = merged_spans(doc.removed)
    dead: set[int] = set()
    partial: set[int] = set()
    for s, e in spans:
        for k in range(max(bisect_right(begin, s) - 1, 0), bisect_left(begin, e)):
            if s <= begin[k] and end[k] <= e:
                dead.add(k)
            else:
                partial.add(k)
    for k in partial - dead:
        texts[k] = cut_spans(src, begin[k], end[k], spans).strip()
        if not texts[k]:
            dead.add(k)
    if dead:
        alive = bytearray(b"\x01") * len(index)
        for k in dead:
            alive[k] = 0
        return (
            list(compress(index, alive)),
            list(compress(begin, alive)),
            list(compress(end, alive)),
            list(compress(texts, alive)),
        )
    return index, begin, end, texts


def _subset(batch: Batch, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shingle sets of paragraphs ``rows`` of ``batch`` as ``(flat, offsets)``."""
    lo, hi = batch.offsets[rows], batch.offsets[rows + 1]
    sizes = hi - lo
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    pos = np.repeat(lo - offsets[:-1], sizes) + np.arange(int(offsets[-1]))
    return batch.shingles[pos], offsets


def _concat(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Several ``(flat, offsets)`` shingle-set lists as one (no numpy call per part).

    >>> parts = [(np.arange(3), np.array([0, 1, 3])), (np.arange(2), np.array([0, 2]))]
    >>> flat, offsets = _concat(parts)
    >>> flat.tolist(), offsets.tolist()
    ([0, 1, 2, 0, 1], [0, 1, 3, 5])
    """
    flat = np.concatenate([p[0] for p in parts])
    counts = [len(p[1]) - 1 for p in parts]
    firsts = [int(p[1][0]) for p in parts]
    sizes = [int(p[1][-1]) - first for p, first in zip(parts, firsts, strict=True)]
    shift = np.cumsum([0, *sizes[:-1]], dtype=np.int64) - np.array(firsts, dtype=np.int64)
    offsets = np.zeros(sum(counts) + 1, dtype=np.int64)
    offsets[1:] = np.concatenate([p[1][1:] for p in parts]) + np.repeat(shift, counts)
    return flat, offsets


def _remove(
    doc: Document,
    start: int,
    end: int,
    rule: str,
    dup_of: str,
    sim: float,
    *,
    whole: bool,
    covered: bytearray | None = None,
) -> None:
    """Remove what is still there of ``[start, end)`` plus its newline, tidying blank lines.

    ``covered`` is :func:`_covered` of ``doc`` when the caller keeps it (it is updated here),
    so that several removals from one document do not rebuild it each time.
    """
    src = doc.source
    if covered is None:
        covered = _covered(doc)
    if end < len(src) and src[end] == "\n":
        end += 1
    extra = None if whole else _orphan_blank(src, covered, start, end)
    spans = _uncovered(covered, start, end)
    if extra:
        spans += _uncovered(covered, *extra)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):  # a paragraph and the blank line it absorbs make one removal
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    for s, e in merged:
        doc.remove(Removal(rule, s, e, src[s:e], dup_of=dup_of, similarity=sim))
        covered[s:e] = b"\x01" * (e - s)


def _covered(doc: Document) -> bytearray:
    """One byte per character of ``doc.source``: 1 where a removal covers it."""
    covered = bytearray(len(doc.source))
    for r in doc.removed:
        covered[r.start : r.end] = b"\x01" * (r.end - r.start)
    return covered


def _uncovered(covered: bytearray, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of ``[start, end)`` that no earlier removal covers."""
    spans = []
    pos = start
    while pos < end:
        s = covered.find(0, pos, end)
        if s < 0:
            break
        e = covered.find(1, s, end)
        e = end if e < 0 else e
        spans.append((s, e))
        pos = e
    return spans


def _orphan_blank(src: str, covered: bytearray, start: int, end: int) -> tuple[int, int] | None:
    """The blank line to absorb with a removal of ``[start, end)``, so that the cleaned text gets
    no run of blank lines (nor a blank line at its start or end)."""
    newlines, before = 0, start - 1
    while before >= 0:
        if covered[before]:  # skip a removed run at once (bytearray.rfind runs in C)
            before = covered.rfind(0, 0, before)
            continue
        c = src[before]
        if c == "\n":
            newlines += 1
            if newlines == 2:
                break
        elif not c.isspace():
            break
        before -= 1
    blank_before = before < 0 or newlines == 2
    after = _skip_blank(src, covered, end)
    if after < len(src) and src[after] == "\n" and blank_before:
        stop = after + 1  # the blank lines after: all of them, so that no run of them grows
        while True:
            nxt = _skip_blank(src, covered, stop)
            if nxt >= len(src) or src[nxt] != "\n":
                return (end, stop)
            stop = nxt + 1
    if after >= len(src) and newlines == 2 and before >= 0:
        return (before + 1, start)  # a trailing blank line before
    return None


def _skip_blank(src: str, covered: bytearray, pos: int) -> int:
    """The first position from ``pos`` on that is neither removed nor white space other than a
    newline (``len(src)`` if there is none).

    >>> _skip_blank("ab \\t\\ncd", bytearray([0, 1, 0, 0, 0, 0, 0]), 1)
    4
    """
    n = len(src)
    while pos < n:
        if covered[pos]:
            nxt = covered.find(0, pos)
            pos = n if nxt < 0 else nxt
            continue
        c = src[pos]
        if c == "\n" or not c.isspace():
            return pos
        pos += 1
    return pos
