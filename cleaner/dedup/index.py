"""The dedup index: numpy arrays only, no Python object per paragraph or per band.

What it holds per indexed item (a paragraph, or a whole document at ``document`` scope), in RAM:

- LSH band keys: one uint64 per band, ``(32-bit band hash << 32) | item id``, in sorted runs merged
  like a binary counter (a log-structured merge); a band lookup is a ``searchsorted`` range per run.
  A 32-bit band hash collides by chance with probability ~ items / 2**32 per band, which only
  costs a verification (every candidate is verified against the signatures).
- exact hashes: a sorted run of 64-bit normalised-text hashes with the first item id of each;
- per item: union-find parent, component size, text length, exact hash, document ordinal and
  paragraph index (28 bytes).

The MinHash signatures (``num_perm`` uint32 per item) live in memory-mapped chunk files on disk and
are read back only to verify candidates and to report similarities.

The invariant that makes streaming, batch and incremental runs agree: every item is added (removed
or not), items get ids in the stable input order, and the root of every union-find component is a
copy that was kept.

>>> runs = SortedRuns()
>>> runs.add(np.array([5, 1, 9], dtype=np.uint64), np.array([0, 1, 2], dtype=np.uint32))
>>> runs.find(np.array([9, 4, 1], dtype=np.uint64)).tolist()
[2, -1, 1]
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from cleaner.dedup.shingle import fmix64

#: Weights (false positive, false negative) given to datasketch's LSH parameter optimisation. A
#: false positive only costs a verification against the signatures; a false negative is a missed
#: copy, so misses weigh far more (see docs/explanation/dedup.md for the measured effect).
LSH_WEIGHTS = (0.05, 0.95)
#: Bands are chosen over at most this many permutations: the band count sets the RAM per item
#: (8 bytes per band), while further permutations only sharpen the similarity estimate.
BAND_PERMUTATIONS = 128
#: At most this many earlier items are taken from one LSH bucket per band (the earliest ones), so
#: that a bucket of thousands of near-identical template lines cannot make a lookup quadratic.
BUCKET_CAP = 64
#: Rows per signature chunk file.
CHUNK_ROWS = 1 << 16
FORMAT_VERSION = 1

_ID_MASK = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` from datasketch's own optimisation, weighted by :data:`LSH_WEIGHTS`, over
    the first :data:`BAND_PERMUTATIONS` permutations.

    >>> lsh_params(0.8, 256)
    (16, 8)
    """
    from datasketch.lsh import _optimal_param

    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"--dedup-threshold must lie in (0, 1], got {threshold}.")
    bands, rows = _optimal_param(threshold, min(num_perm, BAND_PERMUTATIONS), *LSH_WEIGHTS)
    return int(bands), int(rows)


def _band_multipliers(bands: int, rows: int) -> np.ndarray:
    rng = np.random.Generator(np.random.PCG64(0x5EED_BA4D))
    return rng.integers(0, 1 << 63, size=(bands, rows), dtype=np.uint64) * np.uint64(2) + np.uint64(
        1
    )


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """32-bit LSH band keys, ``uint32 [items, bands]``: a hash of each band of ``rows`` values.

    The band index is part of the hash, so keys of different bands can share one table.
    """
    m = len(signatures)
    if not m:
        return np.zeros((0, bands), dtype=np.uint32)
    sig = signatures[:, : bands * rows].astype(np.uint64).reshape(m, bands, rows)
    mixed = (sig * _band_multipliers(bands, rows)[None]).sum(axis=2, dtype=np.uint64)
    mixed += np.arange(bands, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)
    return (fmix64(mixed) >> _SHIFT).astype(np.uint32)


class Growable:
    """A 1-d numpy array that grows by appending (capacity grows by half, not doubling)."""

    def __init__(self, dtype: Any, data: np.ndarray | None = None):
        self.data = np.zeros(0, dtype=dtype) if data is None else data.astype(dtype)
        self.size = len(self.data)

    def append(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self.data):
            grown = np.zeros(max(need, len(self.data) * 3 // 2, 1024), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : need] = values
        self.size = need

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


class SortedRuns:
    """Sorted uint64 keys, optionally with uint32 values, as runs merged like a binary counter.

    Adding is amortised O(log n) per key; a lookup is one ``searchsorted`` per run (O(log n) runs).
    """

    def __init__(self) -> None:
        self.keys: list[np.ndarray] = []
        self.values: list[np.ndarray | None] = []

    def add(self, keys: np.ndarray, values: np.ndarray | None = None) -> None:
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self.keys.append(keys[order])
        self.values.append(None if values is None else values[order])
        while len(self.keys) > 1 and len(self.keys[-2]) <= 2 * len(self.keys[-1]):
            k2, v2 = self.keys.pop(), self.values.pop()
            k1, v1 = self.keys.pop(), self.values.pop()
            keys = np.concatenate([k1, k2])
            if v1 is None or v2 is None:
                keys.sort(kind="stable")  # timsort: a linear merge of two sorted runs
                self.keys.append(keys)
                self.values.append(None)
            else:
                order = np.argsort(keys, kind="stable")
                self.keys.append(keys[order])
                self.values.append(np.concatenate([v1, v2])[order])

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The value stored with each key (the earliest run's), or -1 (int64)."""
        out = np.full(len(keys), -1, dtype=np.int64)
        for run, values in zip(self.keys, self.values, strict=True):
            if values is None:
                raise TypeError("find() needs a table with values")
            pos = np.searchsorted(run, keys)
            pos_ok = np.minimum(pos, len(run) - 1)
            hit = (run[pos_ok] == keys) & (out < 0)
            out[hit] = values[pos_ok[hit]]
        return out

    def ranges(self, keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
        """``(query index, id)`` of every stored ``key << 32 | id`` whose high half is a key."""
        order = np.argsort(keys, kind="stable")  # sorted queries make searchsorted cache-friendly
        lo = keys[order].astype(np.uint64) << _SHIFT
        hi = lo | _ID_MASK
        queries, ids = [], []
        for run in self.keys:
            start = np.searchsorted(run, lo, side="left")
            count = np.minimum(np.searchsorted(run, hi, side="right") - start, cap)
            total = int(count.sum())
            if not total:
                continue
            q = np.repeat(np.arange(len(keys)), count)
            offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            queries.append(order[q])
            ids.append((run[start[q] + offset] & _ID_MASK).astype(np.int64))
        if not queries:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(queries), np.concatenate(ids)

    def merged(self) -> tuple[np.ndarray, np.ndarray | None]:
        """Everything as one sorted run (for saving)."""
        if not self.keys:
            return np.zeros(0, dtype=np.uint64), None
        keys = np.concatenate(self.keys)
        if self.values[0] is None:
            keys.sort(kind="stable")
            return keys, None
        order = np.argsort(keys, kind="stable")
        values = np.concatenate([v for v in self.values if v is not None])
        return keys[order], values[order]

    @property
    def nbytes(self) -> int:
        values = sum(v.nbytes for v in self.values if v is not None)
        return sum(k.nbytes for k in self.keys) + values


class SignatureStore:
    """Signatures in memory-mapped chunk files of :data:`CHUNK_ROWS` rows each, under ``folder``."""

    def __init__(self, folder: Path, num_perm: int, count: int = 0):
        self.folder = folder
        self.num_perm = num_perm
        self.count = 0
        self.chunks: list[np.memmap] = []
        for c in range(-(-count // CHUNK_ROWS)):
            self.chunks.append(self._open(c, "r+"))
        self.count = count

    def _path(self, c: int) -> Path:
        return self.folder / f"signatures-{c:05d}.u32"

    def _open(self, c: int, mode: Literal["r+", "w+"]) -> np.memmap:
        shape = (CHUNK_ROWS, self.num_perm)
        return np.memmap(self._path(c), dtype=np.uint32, mode=mode, shape=shape)

    def append(self, signatures: np.ndarray) -> None:
        pos = 0
        while pos < len(signatures):
            c, row = divmod(self.count, CHUNK_ROWS)
            if c == len(self.chunks):
                self.chunks.append(self._open(c, "w+"))
            take = min(CHUNK_ROWS - row, len(signatures) - pos)
            self.chunks[c][row : row + take] = signatures[pos : pos + take]
            pos += take
            self.count += take

    def get(self, ids: np.ndarray) -> np.ndarray:
        out = np.empty((len(ids), self.num_perm), dtype=np.uint32)
        chunk, row = np.divmod(ids, CHUNK_ROWS)
        for c in np.unique(chunk).tolist():
            sel = chunk == c
            out[sel] = self.chunks[c][row[sel]]
        return out

    def flush(self) -> None:
        for chunk in self.chunks:
            chunk.flush()


@dataclass
class Decisions:
    """What the index decided for a batch: ``dup_of`` is the kept item's id or -1 (kept)."""

    dup_of: np.ndarray  # int64 [m]
    exact: np.ndarray  # bool [m]
    similarity: np.ndarray  # float32 [m]


class Index:
    """Exact + MinHash-LSH index over items with ids in stable input order; see the module doc."""

    ARRAYS = ("parent", "size", "length", "hash", "doc", "para")

    def __init__(self, folder: Path, num_perm: int, threshold: float, bands: int, rows: int):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.num_perm, self.threshold, self.bands, self.rows = num_perm, threshold, bands, rows
        self.parent = Growable(np.uint32)
        self.size = Growable(np.uint32)
        self.length = Growable(np.uint32)
        self.hash = Growable(np.uint64)
        self.doc = Growable(np.uint32)
        self.para = Growable(np.uint32)
        self.exact = SortedRuns()
        self.lsh = SortedRuns()
        self.loaded = 0  # items that came from an earlier run
        meta = folder / "meta.json"
        if meta.exists():
            self._load(json.loads(meta.read_text(encoding="utf-8")))
        self.sigs = SignatureStore(folder, num_perm, self.loaded)

    @property
    def count(self) -> int:
        return self.parent.size

    # -- persistence ------------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        return {"num_perm": self.num_perm, "bands": self.bands, "rows": self.rows}

    def _load(self, meta: dict[str, Any]) -> None:
        mine = self.params()
        theirs = {key: meta.get(key) for key in mine}
        if meta.get("version") != FORMAT_VERSION or theirs != mine:
            raise ValueError(
                f"the dedup index in {self.folder} was built with {theirs} (format "
                f"{meta.get('version')}), but this run uses {mine} (format {FORMAT_VERSION}); "
                "run with the same --dedup-num-perm and --dedup-threshold, or use a new --index."
            )
        for name in self.ARRAYS:
            setattr(self, name, Growable(getattr(self, name).data.dtype, self._read(name)))
        self.exact.add(self._read("exact_keys"), self._read("exact_ids"))
        self.lsh.add(self._read("lsh"))
        self.loaded = self.count

    def _read(self, name: str) -> np.ndarray:
        return np.load(self.folder / f"{name}.npy")

    def save(self) -> None:
        self.sigs.flush()
        for name in self.ARRAYS:
            self._write(name, getattr(self, name).view)
        keys, ids = self.exact.merged()
        self._write("exact_keys", keys)
        self._write("exact_ids", ids if ids is not None else np.zeros(0, dtype=np.uint32))
        self._write("lsh", self.lsh.merged()[0])
        meta = {"version": FORMAT_VERSION, "count": self.count, **self.params()}
        tmp = self.folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.folder / "meta.json")

    def _write(self, name: str, array: np.ndarray) -> None:
        tmp = self.folder / f"{name}.tmp.npy"
        np.save(tmp, array)
        os.replace(tmp, self.folder / f"{name}.npy")

    @property
    def nbytes(self) -> int:
        """Bytes of RAM the index holds (signatures on disk excluded)."""
        arrays = sum(getattr(self, name).data.nbytes for name in self.ARRAYS)
        return arrays + self.exact.nbytes + self.lsh.nbytes

    # -- union-find -------------------------------------------------------------------------
    def find(self, x: int) -> int:
        parent = self.parent.data
        while True:
            p = int(parent[x])
            if p == x:
                return x
            gp = int(parent[p])
            parent[x] = gp
            x = gp

    def roots(self) -> np.ndarray:
        """The root of every item (full path compression, vectorised)."""
        parent = self.parent.view
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent.astype(np.int64)
            parent[:] = up

    # -- adding a batch ---------------------------------------------------------------------
    def add(
        self,
        hashes: np.ndarray,
        signatures: np.ndarray,
        keys: np.ndarray,
        lengths: np.ndarray,
        doc: np.ndarray,
        para: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add a batch in input order; return ``(neighbour root, exact)`` per item.

        ``neighbour root`` is the kept copy (component root) an item joined, or -1 if it matched
        nothing earlier; ``exact`` tells whether it matched by normalised text.
        """
        m = len(hashes)
        n0 = self.count
        ids = np.arange(n0, n0 + m, dtype=np.int64)
        self.parent.append(ids.astype(np.uint32))
        self.size.append(np.ones(m, dtype=np.uint32))
        self.length.append(lengths)
        self.hash.append(hashes)
        self.doc.append(doc)
        self.para.append(para)
        self.sigs.append(signatures)

        exact_of = self._exact(hashes, n0)
        fresh = exact_of < 0
        pairs_i, pairs_q = self._candidates(keys, fresh, n0)
        if len(pairs_i):
            sim = _similarity(signatures[pairs_i], self.sigs.get(pairs_q))
            ok = sim >= self.threshold
            pairs_i, pairs_q = pairs_i[ok], pairs_q[ok]

        joined = np.full(m, -1, dtype=np.int64)
        exact = np.zeros(m, dtype=bool)
        order = np.argsort(pairs_i, kind="stable")
        pairs_i, pairs_q = pairs_i[order].tolist(), pairs_q[order].tolist()
        edges: dict[int, list[int]] = {}
        for i, q in zip(pairs_i, pairs_q, strict=True):
            edges.setdefault(i, []).append(q)
        for i in np.flatnonzero(exact_of >= 0).tolist():
            edges[i] = [int(exact_of[i])]
        for i in sorted(edges):
            root = self._union(n0 + i, edges[i])
            joined[i] = root
            exact[i] = int(exact_of[i]) == root
        self.exact.add(hashes[fresh & (hashes != 0)], ids[fresh & (hashes != 0)].astype(np.uint32))
        packed = (keys[fresh].astype(np.uint64) << _SHIFT) | ids[fresh, None].astype(np.uint64)
        self.lsh.add(packed.ravel())
        return joined, exact

    def _exact(self, hashes: np.ndarray, n0: int) -> np.ndarray:
        """The id of the first earlier item with the same hash, or -1."""
        found = self.exact.find(hashes) if self.exact.keys else np.full(len(hashes), -1)
        _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        first_in_batch = first[inverse.ravel()]
        in_batch = (found < 0) & (first_in_batch < np.arange(len(hashes)))
        found[in_batch] = n0 + first_in_batch[in_batch]
        found[hashes == 0] = -1
        return found.astype(np.int64)

    def _candidates(
        self, keys: np.ndarray, fresh: np.ndarray, n0: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unique ``(batch row, earlier id)`` pairs that share a band key."""
        rows = np.flatnonzero(fresh)
        if not len(rows):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        flat = keys[rows].ravel()
        owner = np.repeat(rows, self.bands)
        q, ids = self.lsh.ranges(flat, BUCKET_CAP)
        parts_i, parts_q = [owner[q]], [ids]
        # Pairs inside the batch: the earliest BUCKET_CAP earlier rows of the same key.
        order = np.lexsort((owner, flat))
        k_sorted, o_sorted = flat[order], owner[order]
        new_group = np.ones(len(k_sorted), dtype=bool)
        new_group[1:] = k_sorted[1:] != k_sorted[:-1]
        group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(k_sorted)), 0))
        rank = np.arange(len(k_sorted)) - group_start
        take = np.minimum(rank, BUCKET_CAP)
        total = int(take.sum())
        if total:
            later = np.repeat(np.arange(len(k_sorted)), take)
            offset = np.arange(total) - np.repeat(np.cumsum(take) - take, take)
            earlier = group_start[later] + offset
            parts_i.append(o_sorted[later])
            parts_q.append(n0 + o_sorted[earlier])
        pi, pq = np.concatenate(parts_i), np.concatenate(parts_q)
        keep = pq < n0 + pi  # never pair a row with itself (same row in two bands' keys)
        packed = np.unique((pi[keep].astype(np.uint64) << _SHIFT) | pq[keep].astype(np.uint64))
        return (packed >> _SHIFT).astype(np.int64), (packed & _ID_MASK).astype(np.int64)

    def _union(self, item: int, neighbours: list[int]) -> int:
        roots = {self.find(q) for q in neighbours}
        root = min(roots)
        parent, size = self.parent.data, self.size.data
        for other in roots:
            if other != root:
                parent[other] = root
                size[root] += size[other]
        parent[item] = root
        size[root] += 1
        return root

    # -- keep longest -----------------------------------------------------------------------
    def rekeep_longest(self, start: int) -> np.ndarray:
        """Make the longest copy (ties: the first) the root of every component that has no item
        before ``start`` (items of earlier runs were already written, so their kept copy stays).

        Returns the kept id of every item from ``start`` on.
        """
        roots = self.roots()
        n = len(roots)
        ids = np.arange(n)
        comp_min = np.full(n, n, dtype=np.int64)
        np.minimum.at(comp_min, roots, ids)
        order = np.lexsort((ids, -self.length.view.astype(np.int64), roots))
        first = np.ones(n, dtype=bool)
        first[1:] = roots[order][1:] != roots[order][:-1]
        longest = np.empty(n, dtype=np.int64)
        longest[roots[order][first]] = order[first]
        kept = np.where(comp_min[roots] < start, roots, longest[roots])
        new_roots = np.unique(kept[start:])
        sizes = np.bincount(kept, minlength=n).astype(np.uint32)
        self.parent.data[: self.count] = kept.astype(np.uint32)
        self.size.data[new_roots] = sizes[new_roots]
        return kept[start:]

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Estimated Jaccard similarity of items ``a[i]`` and ``b[i]`` from their signatures."""
        if not len(a):
            return np.zeros(0, dtype=np.float32)
        return _similarity(self.sigs.get(a), self.sigs.get(b))


def _similarity(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x == y).mean(axis=1, dtype=np.float32)
