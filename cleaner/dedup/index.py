"""The dedup index: numpy arrays only, no Python object per paragraph or per band.

What it holds per indexed item (a paragraph, or a whole document at ``document`` scope), in RAM:

- LSH band keys: one uint64 per band, ``(32-bit band hash << 32) | item id``, in sorted runs merged
  like a binary counter (a log-structured merge), one set of runs per band; a band lookup is a
  ``searchsorted`` range per run.
  A 32-bit band hash collides by chance with probability ~ items / 2**32 per band, which only
  costs a verification (every candidate is verified against the signatures).
- exact hashes: the same structure over ``(high 32 bits of the text hash << 32) | item id`` for
  the first item of each text; a hit is confirmed against the item's full 64-bit hash;
- per item: union-find parent, component size, text length, exact hash, document ordinal,
  paragraph index and the offset of its shingle set (36 bytes).

The shingle sets (the distinct 32-bit shingle hashes of each item, about 4 bytes per word) live in
one append-only file on disk, memory-mapped; they are read back only to verify LSH candidates and to
report similarities, by the Jaccard similarity of the two sets. The MinHash signatures serve only
to make the band keys and are not kept.

The invariant that makes streaming, batch and incremental runs agree: every item is added (removed
or not), items get ids in the stable input order, and the root of every union-find component is a
copy that was kept.

>>> runs = SortedRuns()
>>> runs.add(pack(np.array([5, 1, 9, 5]), np.array([0, 1, 2, 3])))
>>> query, ids = runs.ranges(np.array([9, 4, 5], dtype=np.uint32), cap=8)
>>> query.tolist(), ids.tolist()
([0, 2, 2], [2, 0, 3])
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.dedup.shingle import distinct, fmix64

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
FORMAT_VERSION = 2

_ID_MASK = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


#: Two parameter choices whose weighted errors differ by less than this are a near tie that the
#: quadrature below could order differently from datasketch's (``scipy.integrate.quad``, which
#: agrees with it to about 1e-15): such a tie is settled by datasketch's own function.
LSH_TIE = 1e-12


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` of datasketch's own optimisation (``datasketch.lsh._optimal_param``),
    weighted by :data:`LSH_WEIGHTS`, over the first :data:`BAND_PERMUTATIONS` permutations.

    datasketch integrates the false positive and negative probabilities with scipy, whose import
    costs most of a second of CPU in every process. The integrands are polynomials of degree
    ``bands * rows <= num_perm``, so a Gauss-Legendre rule with ``num_perm // 2 + 2`` nodes
    integrates them exactly up to rounding: :func:`lsh_errors` gives the same errors for all
    ``(bands, rows)`` at once, and the first minimum is datasketch's answer. Only a near tie
    (closer than :data:`LSH_TIE`) imports datasketch to decide it; a test compares the two on a
    grid of thresholds and permutation counts.

    >>> lsh_params(0.8, 256)
    (16, 8)
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"--dedup-threshold must lie in (0, 1], got {threshold}.")
    perms = min(num_perm, BAND_PERMUTATIONS)
    bands, rows, error = lsh_errors(threshold, perms, *LSH_WEIGHTS)
    best = int(np.argmin(error))
    others = np.delete(error, best)
    if len(others) and float(others.min()) - float(error[best]) < LSH_TIE:
        from datasketch.lsh import _optimal_param

        b, r = _optimal_param(threshold, perms, *LSH_WEIGHTS)
        return int(b), int(r)
    return int(bands[best]), int(rows[best])


def lsh_errors(
    threshold: float, num_perm: int, fp_weight: float, fn_weight: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(bands, rows, weighted error)`` of every LSH shape that fits ``num_perm``, in the order
    datasketch's ``_optimal_param`` tries them (bands, then rows, ascending).

    The error is ``fp_weight`` times the integral of ``1 - (1 - s**r)**b`` over ``[0, threshold]``
    plus ``fn_weight`` times that of ``(1 - s**r)**b`` over ``[threshold, 1]``.

    >>> b, r, fp = lsh_errors(0.5, 2, 1.0, 0.0)  # the false positive integrals alone
    >>> list(zip(b.tolist(), r.tolist())), [round(x, 6) for x in fp.tolist()]
    ([(1, 1), (1, 2), (2, 1)], [0.125, 0.041667, 0.208333])
    """
    from numpy.polynomial.legendre import leggauss

    shapes = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in shapes], dtype=np.int64)
    rows = np.array([r for _, r in shapes], dtype=np.int64)
    x, w = leggauss(num_perm // 2 + 2)
    b, r = bands[:, None].astype(np.float64), rows[:, None].astype(np.float64)
    s = threshold / 2 * (x + 1)
    fp = ((1 - (1 - s**r) ** b) @ w) * (threshold / 2)
    s = threshold + (1 - threshold) / 2 * (x + 1)
    fn = (((1 - s**r) ** b) @ w) * ((1 - threshold) / 2)
    return bands, rows, fp * fp_weight + fn * fn_weight


@lru_cache(maxsize=8)
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
    out = np.empty((m, bands), dtype=np.uint32)
    multipliers = _band_multipliers(bands, rows)
    for band in range(bands):  # one band at a time keeps the uint64 working arrays small
        mixed = np.full(m, band, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for row in range(rows):
            mixed += signatures[:, band * rows + row].astype(np.uint64) * multipliers[band, row]
        out[:, band] = fmix64(mixed) >> _SHIFT
    return out


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
    """Sorted uint64 entries ``key << 32 | id`` in runs merged like a binary counter.

    Adding is amortised O(log n) per entry; a lookup is one ``searchsorted`` per run (O(log n)
    runs). A merge briefly holds the merged run twice, which is why the index keeps one of these
    per LSH band rather than one for all bands.
    """

    def __init__(self) -> None:
        self.runs: list[np.ndarray] = []

    def add(self, entries: np.ndarray) -> None:
        if not len(entries):
            return
        self.runs.append(np.sort(entries))
        while len(self.runs) > 1 and len(self.runs[-2]) <= 2 * len(self.runs[-1]):
            newer = self.runs.pop()
            merged = np.concatenate([self.runs.pop(), newer])
            del newer
            merged.sort(kind="stable")  # timsort: a linear merge of two sorted runs
            self.runs.append(merged)

    def ranges(self, keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
        """``(query index, id)`` of the stored entries whose key is one of ``keys`` (uint32); at
        most ``cap`` per key and run, the lowest ids first."""
        # Searching in key order is several times faster (numpy reuses the previous position as
        # a hint); the results go back to query order before they are used.
        order = np.argsort(keys)
        lo = keys[order].astype(np.uint64) << _SHIFT
        hi = lo | _ID_MASK
        queries, ids = [], []
        for run in self.runs:
            found = np.searchsorted(run, lo, side="left")
            # Most keys are in no run: the end of the range is searched for the others only.
            hit = np.flatnonzero((run[np.minimum(found, len(run) - 1)] >> _SHIFT) == (lo >> _SHIFT))
            hit = hit[found[hit] < len(run)]
            stop = found.copy()
            stop[hit] = np.searchsorted(run, hi[hit], side="right")
            start = np.empty(len(keys), dtype=np.int64)
            count = np.empty(len(keys), dtype=np.int64)
            start[order] = found
            count[order] = stop
            count = np.minimum(count - start, cap)
            total = int(count.sum())
            if not total:
                continue
            q = np.repeat(np.arange(len(keys)), count)
            offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            queries.append(q)
            ids.append((run[start[q] + offset] & _ID_MASK).astype(np.int64))
        if not queries:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(queries), np.concatenate(ids)

    def merged(self) -> np.ndarray:
        """Everything as one sorted run (for saving)."""
        out = np.concatenate(self.runs) if self.runs else np.zeros(0, dtype=np.uint64)
        out.sort(kind="stable")
        return out

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self.runs)


def pack(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Entries ``key << 32 | id`` for :class:`SortedRuns`."""
    return (keys.astype(np.uint64) << _SHIFT) | ids.astype(np.uint64)


class ShingleStore:
    """The shingle sets of all items: one append-only uint32 file, memory-mapped for reading.

    Item ``i`` holds ``file[offsets[i]:offsets[i + 1]]`` (sorted, distinct). Data past the saved
    offsets (a run that stopped before saving) is cut off when the store opens.
    """

    PAIRS_PER_PASS = 4096

    def __init__(self, path: Path, offsets: np.ndarray | None = None):
        self.path = path
        start = np.zeros(1, dtype=np.int64) if offsets is None else offsets
        self.offsets = Growable(np.int64, start)
        with open(path, "ab") as f:
            f.truncate(int(self.offsets.view[-1]) * 4)
        self._file = open(path, "ab")  # noqa: SIM115 (kept open for the run; closed by close())
        self._map: np.ndarray = np.zeros(0, dtype=np.uint32)

    def append(self, shingles: np.ndarray, offsets: np.ndarray) -> None:
        """Add items whose sets are ``shingles[offsets[i]:offsets[i + 1]]``."""
        self._file.write(np.ascontiguousarray(shingles, dtype=np.uint32).tobytes())
        self.offsets.append(self.offsets.view[-1] + offsets[1:] - offsets[0])

    def _data(self) -> np.ndarray:
        total = int(self.offsets.view[-1])
        if len(self._map) < total:
            self._file.flush()
            self._map = np.memmap(self.path, dtype=np.uint32, mode="r", shape=(total,))
        return self._map

    def jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Jaccard similarity of the sets of items ``a[k]`` and ``b[k]`` (float32)."""
        out = np.ones(len(a), dtype=np.float32)
        for lo in range(0, len(a), self.PAIRS_PER_PASS):
            hi = min(lo + self.PAIRS_PER_PASS, len(a))
            out[lo:hi] = self._jaccard(a[lo:hi], b[lo:hi])
        return out

    def _jaccard(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        data, off = self._data(), self.offsets.data
        k = len(a)
        size_a, size_b = off[a + 1] - off[a], off[b + 1] - off[b]
        keys = np.concatenate([_tagged(data, off[a], size_a), _tagged(data, off[b], size_b)])
        keys.sort()
        same = keys[1:] == keys[:-1]  # sets are distinct inside, so a repeat is a shared hash
        shared = np.bincount((keys[1:][same] >> _SHIFT).astype(np.int64), minlength=k)
        union = size_a + size_b - shared
        return np.where(union > 0, shared / np.maximum(union, 1), 1.0).astype(np.float32)

    def close(self) -> None:
        self._file.close()
        self._map = np.zeros(0, dtype=np.uint32)


def _same_key_earlier(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(later, earlier)`` positions with equal keys, ``earlier < later``; the
    :data:`BUCKET_CAP` earliest of each key only.

    >>> [x.tolist() for x in _same_key_earlier(np.array([7, 3, 7, 7], dtype=np.uint32))]
    [[2, 3, 3], [0, 0, 2]]
    """
    entries = np.sort((keys.astype(np.uint64) << _SHIFT) | np.arange(len(keys), dtype=np.uint64))
    key, pos = entries >> _SHIFT, (entries & _ID_MASK).astype(np.int64)
    starts = np.ones(len(entries), dtype=bool)
    starts[1:] = key[1:] != key[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(entries)), 0))
    take = np.minimum(np.arange(len(entries)) - first, BUCKET_CAP)
    total = int(take.sum())
    later = np.repeat(np.arange(len(entries)), take)
    earlier = first[later] + np.arange(total) - np.repeat(np.cumsum(take) - take, take)
    return pos[later], pos[earlier]


def _tagged(data: np.ndarray, start: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The elements of each set, as ``pair index << 32 | element``."""
    total = int(size.sum())
    pair = np.repeat(np.arange(len(start), dtype=np.uint64), size)
    pos = np.repeat(start - (np.cumsum(size) - size), size) + np.arange(total)
    return (pair << _SHIFT) | data[pos].astype(np.uint64)


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
        self.lsh = [SortedRuns() for _ in range(bands)]
        self.loaded = 0  # items that came from an earlier run
        self._offsets: np.ndarray | None = None
        meta = folder / "meta.json"
        if meta.exists():
            self._load(json.loads(meta.read_text(encoding="utf-8")))
        self.shingles = ShingleStore(folder / "shingles.u32", self._offsets)

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
        self.exact.add(self._read("exact"))
        for band, runs in enumerate(self.lsh):
            runs.add(self._read(f"lsh-{band:02d}"))
        self.loaded = self.count
        self._offsets = self._read("shingle_offsets")

    def _read(self, name: str) -> np.ndarray:
        return np.load(self.folder / f"{name}.npy")

    def save(self) -> None:
        self._write("shingle_offsets", self.shingles.offsets.view)
        for name in self.ARRAYS:
            self._write(name, getattr(self, name).view)
        self._write("exact", self.exact.merged())
        for band, runs in enumerate(self.lsh):
            self._write(f"lsh-{band:02d}", runs.merged())
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
        lsh = sum(runs.nbytes for runs in self.lsh)
        return arrays + self.shingles.offsets.data.nbytes + self.exact.nbytes + lsh

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
        shingles: tuple[np.ndarray, np.ndarray],
        keys: np.ndarray,
        lengths: np.ndarray,
        doc: np.ndarray,
        para: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add a batch in input order; return ``(neighbour root, exact)`` per item.

        ``shingles`` is ``(flat sets, offsets)`` as in :class:`ShingleStore.append`; ``keys`` the
        band keys. ``neighbour root`` is the kept copy (component root) an item joined, or -1 if it
        matched nothing earlier; ``exact`` tells whether it matched by normalised text.
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
        self.shingles.append(*shingles)

        exact_of = self._exact(hashes, n0)
        fresh = exact_of < 0
        pairs_i, pairs_q = self._candidates(keys, fresh, n0)
        if len(pairs_i):
            sim = self.shingles.jaccard(n0 + pairs_i, pairs_q)
            ok = sim >= np.float32(self.threshold)
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
        first = fresh & (hashes != 0)
        self.exact.add(pack(hashes[first] >> _SHIFT, ids[first]))
        for band, runs in enumerate(self.lsh):
            runs.add(pack(keys[fresh, band], ids[fresh]))
        return joined, exact

    def _exact(self, hashes: np.ndarray, n0: int) -> np.ndarray:
        """The id of the first earlier item with the same hash, or -1."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        q, ids = self.exact.ranges((hashes >> _SHIFT).astype(np.uint32), cap=8)
        hit = self.hash.data[ids] == hashes[q]
        if hit.any():
            # Several earlier items may share the high 32 bits; the full hash decides, and of
            # equal texts only the first was stored.
            found[q[hit]] = ids[hit]
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        first_in_batch = np.empty(len(order), dtype=np.int64)
        first_in_batch[order] = order[group_start]  # stable: the first row of each hash
        in_batch = (found < 0) & (first_in_batch < np.arange(len(hashes)))
        found[in_batch] = n0 + first_in_batch[in_batch]
        found[hashes == 0] = -1
        return found.astype(np.int64)

    def _candidates(
        self, keys: np.ndarray, fresh: np.ndarray, n0: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unique ``(batch row, earlier id)`` pairs that share a band key.

        Per row and band, only the :data:`BUCKET_CAP` earliest items of the bucket count, over
        the whole index: each sorted run and the batch give their earliest, then the cap applies
        to the union, so the result does not depend on how the input was cut into batches.
        """
        rows = np.flatnonzero(fresh)
        if not len(rows):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        found_row, found_band, found_id = [], [], []
        for band, runs in enumerate(self.lsh):
            band_keys = keys[rows, band]
            q, ids = runs.ranges(band_keys, BUCKET_CAP)
            later, earlier = _same_key_earlier(band_keys)
            for r, i in ((rows[q], ids), (rows[later], n0 + rows[earlier])):
                found_row.append(r)
                found_band.append(np.full(len(r), band, dtype=np.int64))
                found_id.append(i)
        row, band_of, ids = (np.concatenate(x) for x in (found_row, found_band, found_id))
        group = row * self.bands + band_of
        entries = np.sort((group.astype(np.uint64) << _SHIFT) | ids.astype(np.uint64))
        starts = np.ones(len(entries), dtype=bool)
        starts[1:] = (entries[1:] >> _SHIFT) != (entries[:-1] >> _SHIFT)
        first = np.maximum.accumulate(np.where(starts, np.arange(len(entries)), 0))
        entries = entries[np.arange(len(entries)) - first < BUCKET_CAP]
        pi = (entries >> _SHIFT).astype(np.int64) // self.bands
        pq = (entries & _ID_MASK).astype(np.int64)
        packed = distinct((pi.astype(np.uint64) << _SHIFT) | pq.astype(np.uint64))
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
        """Jaccard similarity of the shingle sets of items ``a[i]`` and ``b[i]``."""
        return self.shingles.jaccard(a, b)

    def close(self) -> None:
        self.shingles.close()
