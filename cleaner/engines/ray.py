"""The pipeline on a Ray cluster: the same per-document stages, the same paragraph dedup decisions.

When a corpus outgrows one machine, :func:`clean_dataset` runs the CLI's per-document code
(:class:`cleaner.pipeline.Stages`) with ``ray.data.Dataset.map_batches`` over Arrow batches, and
:func:`dedup_paragraphs` makes the decisions of :class:`cleaner.dedup.Deduplicator` across the whole
dataset without collecting it into the driver. Ray does the scheduling: every step below is a Ray
task over numpy arrays held in the object store, and the driver only holds object references and
one count per block.

How the dedup runs (``P`` partitions, each a Ray task; each arrow is a shuffle by hash):

1. **prepare** (``map_batches``): extract, repair, rules, then the dedup signatures of
   :meth:`Deduplicator.prepare_batch`, kept as band keys (:func:`cleaner.dedup.index.band_keys`)
   and shingle sets. Every document carries its input ordinal, so "first" is well defined.
2. **ids** (driver): the items of each block, counted in a task; items get dense ids in input
   order, as in the local index.
3. **exact** (-> by normalised hash): the first item of each hash is kept for the near step; every
   later one is an exact copy of it. A boilerplate line copied a million times ends here as one
   group of a million ids and never reaches the band groups.
4. **bands** (-> by band and key): the candidate pairs of the local index's LSH lookups: each
   fresh item with the first ``BUCKET_CAP`` earlier items of each of its buckets.
5. **verify** (-> by item, -> by candidate): the Jaccard similarity of the two shingle sets, kept
   when at least the threshold, as in :meth:`cleaner.dedup.index.Index.add`.
6. **components** (-> by node, repeated): connected components by alternating large-star and
   small-star rounds (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014).
7. **replay** (-> by component): the union-find of the local engine, run in input order per
   component: the kept copy a later paragraph names is the first paragraph of the component *as it
   stood then*; exact copies are resolved against the same history (-> by the copied item).
8. **apply** (-> by document block): the removals with the local engine's own code, then quality.

What it deliberately leaves alone: ``--dedup document``/``both``, ``--dedup-keep longest`` and
``--index`` (incremental runs) are the local engine's alone; they raise a ValueError here. Two
exact copies whose 64-bit hashes collide while their texts differ would get the near similarity
of the first copy rather than their own (the local engine reads it from each item's shingles).
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from cleaner.config import Options
from cleaner.document import Document

__all__ = ["clean_dataset", "dedup_paragraphs", "documents_dataset", "rows_dataset", "run_ray"]

Cols = dict[str, Any]  # column name -> numpy array, or (flat, offsets) for a ragged column
Piece = dict[str, Cols]  # named tables of one partition

#: Documents per Ray block when the driver reads inputs with the CLI's readers.
BLOCK_DOCS = 1024
#: Items per partition that size the shuffles (more items: more partitions).
ITEMS_PER_PARTITION = 200_000
_SALT = np.uint64(0x9E3779B97F4A7C15)
_U32 = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the Ray engine needs Ray Data: pip install 'boilerclean[ray]' (or 'ray[data]')."
        ) from exc
    return ray


def check_options(options: Options) -> None:
    """Raise a ValueError for options the Ray engine does not run (see the module docstring).

    >>> check_options(Options(dedup="both"))
    Traceback (most recent call last):
    ...
    ValueError: the Ray engine dedups paragraphs only; run --dedup both with the local engine.
    """
    if options.dedup not in ("paragraph", "off"):
        raise ValueError(
            f"the Ray engine dedups paragraphs only; run --dedup {options.dedup} with the "
            "local engine."
        )
    if options.dedup != "off" and options.dedup_keep != "first":
        raise ValueError(
            "the Ray engine keeps the first copy; run --dedup-keep longest with the local engine."
        )
    if options.index:
        raise ValueError("the Ray engine keeps no --index; run incremental dedup locally.")


def _configure() -> None:
    ctx = _ray().data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False


# -- documents in and out ----------------------------------------------------------------------


def _pack(ordinals: Sequence[int], docs: Sequence[Document]) -> pa.Table:
    return pa.table(
        {
            "ordinal": pa.array(ordinals, type=pa.int64()),
            "doc": pa.array([pickle.dumps(d, protocol=5) for d in docs], type=pa.binary()),
        }
    )


def _unpack(table: pa.Table) -> tuple[list[int], list[Document]]:
    if not table.num_rows:  # an empty block may come without columns
        return [], []
    ordinals = table.column("ordinal").to_pylist()
    return ordinals, [pickle.loads(b) for b in table.column("doc").to_pylist()]


def documents_dataset(docs: Iterable[Document], block_docs: int = BLOCK_DOCS) -> Any:
    """A Ray dataset of ``docs`` (columns ``ordinal``, ``doc``: a pickled Document) in their order.

    The driver streams ``docs`` (e.g. from :func:`cleaner.readers.iter_documents`, so that ids and
    order are the CLI's) into the object store one block at a time; it keeps references only.
    """
    ray = _ray()
    _configure()
    refs, ordinals, chunk = [], [], []
    for n, doc in enumerate(docs):
        ordinals.append(n)
        chunk.append(doc)
        if len(chunk) >= block_docs:
            refs.append(ray.put(_pack(ordinals, chunk)))
            ordinals, chunk = [], []
    if chunk or not refs:
        refs.append(ray.put(_pack(ordinals, chunk)))
    return ray.data.from_arrow_refs(refs)


def _records_block(table: pa.Table, first: int, text_column: str) -> pa.Table:
    from cleaner.readers import _as_string, record_document

    docs, ordinals = [], []
    for n, row in enumerate(table.to_pylist(), first):
        given = row.pop("id", None)
        doc_id = _as_string(given) if given is not None else f"table:{n + 1}"
        docs.append(record_document(row, doc_id, text_field=text_column))
        ordinals.append(n)
    return _pack(ordinals, docs)


def _records_to_documents(ds: Any, text_column: str) -> Any:
    """Records (a ``text`` column and metadata, as for ``clean_table``) as a documents dataset.

    Ids are those of :func:`cleaner.pipeline.clean_table`: the ``id`` column, else ``table:<n>``
    with ``n`` the 1-based row number in the whole dataset.
    """
    ray = _ray()
    refs = ds.to_arrow_refs()
    sizes = ray.get([_remote(_num_rows).remote(r) for r in refs])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int).tolist()
    task = _remote(_records_block)
    out = [task.remote(r, s, text_column) for r, s in zip(refs, starts, strict=True)]
    return ray.data.from_arrow_refs(out)


def _num_rows(table: pa.Table) -> int:
    return int(table.num_rows)


def rows_dataset(docs: Any) -> Any:
    """Output rows (:data:`cleaner.schema.SCHEMA`) of a documents dataset, in its order."""
    return docs.map_batches(_rows_batch, batch_format="pyarrow", batch_size=None)


def _rows_batch(table: pa.Table) -> pa.Table:
    from cleaner.writer import documents_table

    return documents_table(_unpack(table)[1])


# -- per-document stages -----------------------------------------------------------------------

_STAGES: dict[bytes, Any] = {}


def _stages(options: Options) -> Any:
    from cleaner.pipeline import Stages

    key = pickle.dumps(options)
    if key not in _STAGES:
        _STAGES.clear()
        _STAGES[key] = Stages(options)
    return _STAGES[key]


def _before_batch(table: pa.Table, options: Options) -> pa.Table:
    """extract, repair, rules and dedup signatures; signatures become band keys (smaller)."""
    from cleaner.dedup.index import band_keys, lsh_params

    ordinals, docs = _unpack(table)
    docs = _stages(options).run_before(docs) if docs else docs
    bands, rows = lsh_params(options.dedup_threshold, options.dedup_num_perm)
    datas = [d.scratch["dedup"] for d in docs if "dedup" in d.scratch]
    if datas:  # one vectorised pass for the whole batch
        keys = band_keys(np.concatenate([x.pop("sig") for x in datas]), bands, rows)
        ends = np.cumsum([len(x["para"]) for x in datas])
        for data, part in zip(datas, np.split(keys, ends[:-1]), strict=True):
            data["keys"] = part
    counts = [len(d.scratch["dedup"]["para"]) if "dedup" in d.scratch else 0 for d in docs]
    out = _pack(ordinals, docs)
    return out.append_column("items", pa.array(counts, type=pa.int64()))


def _after_batch(table: pa.Table, options: Options) -> pa.Table:
    ordinals, docs = _unpack(table)
    for doc in docs:
        doc.scratch.clear()
    return _pack(ordinals, _stages(options).run_after(docs))


def clean_dataset(
    ds: Any,
    options: Options | None = None,
    *,
    text_column: str = "text",
    documents: bool = False,
    summary: dict[str, Any] | None = None,
    profile: bool = False,
    **changes: Any,
) -> Any:
    """Clean a Ray dataset of records; one output row (:mod:`cleaner.schema`) per input row.

    ``ds`` holds records as :func:`cleaner.pipeline.clean_table` takes them (a text column, an
    optional ``id`` column, metadata columns), or, with ``documents=True``, the output of
    :func:`documents_dataset`. The result is in input order and equal, row for row, to
    ``clean_table`` on the same rows. ``summary`` (a dict) receives the dedup counts, and with
    ``profile`` the seconds of each dedup step (see :func:`dedup_paragraphs`).
    """
    _ray()
    _configure()
    options = (options or Options()).replace(text_field=text_column, **changes)
    check_options(options)
    docs = ds if documents else _records_to_documents(ds, text_column)
    prepared = docs.map_batches(
        _before_batch, fn_kwargs={"options": options}, batch_format="pyarrow", batch_size=None
    )
    if options.dedup == "off":
        decided = prepared.drop_columns(["items"])
    else:
        decided = dedup_paragraphs(prepared, options, summary=summary, profile=profile)
    finished = decided.map_batches(
        _after_batch, fn_kwargs={"options": options}, batch_format="pyarrow", batch_size=None
    )
    return finished if documents else rows_dataset(finished)


# -- numpy tables ------------------------------------------------------------------------------


def _length(cols: Cols) -> int:
    for value in cols.values():
        return len(value[1]) - 1 if isinstance(value, tuple) else len(value)
    return 0


def _take(cols: Cols, rows: np.ndarray) -> Cols:
    out: Cols = {}
    for name, value in cols.items():
        if isinstance(value, tuple):
            flat, off = value
            lo, hi = off[rows], off[rows + 1]
            sizes = hi - lo
            new = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum(sizes, out=new[1:])
            pos = np.repeat(lo - new[:-1], sizes) + np.arange(int(new[-1]))
            out[name] = (flat[pos], new)
        else:
            out[name] = value[rows]
    return out


def _concat(parts: list[Cols]) -> Cols:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    out: Cols = {}
    for name, first in parts[0].items():
        if isinstance(first, tuple):
            flat = np.concatenate([p[name][0] for p in parts])
            sizes = np.concatenate([np.diff(p[name][1]) for p in parts])
            off = np.zeros(len(sizes) + 1, dtype=np.int64)
            np.cumsum(sizes, out=off[1:])
            out[name] = (flat, off)
        else:
            out[name] = np.concatenate([p[name] for p in parts])
    return out


def _hash_part(key: np.ndarray, parts: int) -> np.ndarray:
    from cleaner.dedup.shingle import fmix64

    return (fmix64(key.astype(np.uint64) ^ _SALT) % np.uint64(parts)).astype(np.int64)


def _split(cols: Cols, part: np.ndarray, parts: int) -> list[Cols]:
    """``cols`` cut into ``parts`` tables by the partition number of each row."""
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(parts + 1))
    return [_take(cols, order[bounds[p] : bounds[p + 1]]) for p in range(parts)]


def _gather(pieces: Sequence[Piece], name: str) -> Cols:
    return _concat([p[name] for p in pieces if name in p])


def _jaccard(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Jaccard similarity of sets ``a[k]`` and ``b[k]`` (sorted, distinct uint32), as float32.

    The same arithmetic as :meth:`cleaner.dedup.index.ShingleStore.jaccard`.
    """
    k = len(a[1]) - 1
    size_a, size_b = np.diff(a[1]), np.diff(b[1])
    tag_a = np.repeat(np.arange(k, dtype=np.uint64), size_a) << _U32
    tag_b = np.repeat(np.arange(k, dtype=np.uint64), size_b) << _U32
    keys = np.concatenate([tag_a | a[0].astype(np.uint64), tag_b | b[0].astype(np.uint64)])
    keys.sort()
    same = keys[1:] == keys[:-1]
    shared = np.bincount((keys[1:][same] >> _U32).astype(np.int64), minlength=k)
    union = size_a + size_b - shared
    return np.where(union > 0, shared / np.maximum(union, 1), 1.0).astype(np.float32)


# -- Ray plumbing ------------------------------------------------------------------------------

_REMOTES: dict[tuple[Callable[..., Any], int], Any] = {}


def _remote(fn: Callable[..., Any], returns: int = 1) -> Any:
    key = (fn, returns)
    if key not in _REMOTES:
        _REMOTES[key] = _ray().remote(num_returns=returns)(fn)
    return _REMOTES[key]


def _call(fn: Callable[..., Any], returns: int, *args: Any) -> list[Any]:
    """Run ``fn`` (which returns a sequence of ``returns`` values) as a Ray task; a list of object
    references to its values."""
    if returns == 1:
        return [_remote(_single).remote(fn, *args)]
    return list(_remote(fn, returns).remote(*args))


def _single(fn: Callable[..., Sequence[Any]], *args: Any) -> Any:
    return fn(*args)[0]


def _shuffle(
    fn: Callable[..., Any], outputs: Sequence[Sequence[Any]], args: tuple[Any, ...], returns: int
) -> list[list[Any]]:
    """One reduce task per partition ``p`` over piece ``p`` of every earlier task's output."""
    parts = len(outputs[0]) if outputs else 0
    return [_call(fn, returns, *args, *[out[p] for out in outputs]) for p in range(parts)]


# -- the tasks (each runs in a Ray worker) ----------------------------------------------------


def _items_task(table: pa.Table, first_id: int, parts: int) -> tuple[Any, ...]:
    """The dedup items of one block: (names of the block, *exact pieces by hash)."""
    docs = _unpack(table)[1]
    datas = [d.scratch["dedup"] for d in docs if "dedup" in d.scratch]
    owners = [i for i, d in enumerate(docs) if "dedup" in d.scratch]
    counts = np.array([len(x["para"]) for x in datas], dtype=np.int64)
    m = int(counts.sum())
    ids = np.arange(first_id, first_id + m, dtype=np.int64)
    names = {
        "first": first_id,
        "doc_ids": np.array([d.id for d in docs], dtype=object),
        "item_doc": np.repeat(np.array(owners, dtype=np.int64), counts),
        "item_para": np.concatenate([x["para"] for x in datas] or [np.zeros(0, np.uint32)]),
    }
    if not m:
        return (names, *[{} for _ in range(parts)])
    shingles = _cat_ragged([x["shingles"] for x in datas])
    cols: Cols = {
        "id": ids,
        "hash": np.concatenate([x["hash"] for x in datas]),
        "keys": np.concatenate([x["keys"] for x in datas]),
        "shingles": shingles,
    }
    pieces = _split(cols, _hash_part(cols["hash"], parts), parts)
    return (names, *[{"items": p} for p in pieces])


def _cat_ragged(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    return _concat([{"r": p} for p in parts])["r"]


def _exact_task(parts: int, *pieces: Piece) -> tuple[Any, ...]:
    """Exact copies: the first item of each hash is fresh; the others are leaves of it.

    Returns (fresh count per batch, *band pieces by key, *node pieces by id, *leaf pieces by the
    copied item).
    """
    items = _gather(pieces, "items")
    if not _length(items):
        empty: list[Piece] = [{} for _ in range(3 * parts)]
        none = np.zeros(0, np.int64)
        return ({"hist": _size_hist(none)}, *empty)
    order = np.lexsort((items["id"], items["hash"]))
    items = _take(items, order)
    h = items["hash"]
    first = np.ones(len(h), dtype=bool)
    first[1:] = h[1:] != h[:-1]
    start = np.maximum.accumulate(np.where(first, np.arange(len(h)), 0))
    rep = items["id"][start]
    copies = np.bincount(start, minlength=len(h))[first]  # group sizes, per fresh item
    fresh = _take(items, np.flatnonzero(first))
    bands = fresh["keys"].shape[1]
    band_rows = {
        "band": np.tile(np.arange(bands, dtype=np.int64), len(fresh["id"])),
        "key": fresh["keys"].ravel(),
        "id": np.repeat(fresh["id"], bands),
    }
    bucket = (band_rows["band"].astype(np.uint64) << _U32) | band_rows["key"].astype(np.uint64)
    nodes = {"id": fresh["id"], "shingles": fresh["shingles"], "copies": copies}
    leaves = {"id": items["id"][~first], "of": rep[~first]}
    return (
        {"hist": _size_hist(copies)},
        *[{"bands": p} for p in _split(band_rows, _hash_part(bucket, parts), parts)],
        *[{"nodes": p} for p in _split(nodes, _hash_part(nodes["id"], parts), parts)],
        *[{"leaves": p} for p in _split(leaves, _hash_part(leaves["of"], parts), parts)],
    )


def _bands_task(cap: int, parts: int, *pieces: Piece) -> list[Cols]:
    """Candidate pairs ``(later, earlier)`` exactly as the local index looks them up.

    Per band and key (a bucket), sorted by id: an item is compared with the first ``cap`` items
    of the bucket that come before it (:meth:`cleaner.dedup.index.Index._candidates`: the cap
    applies to the earliest items of the whole index, so batching does not matter).
    """
    rows = _gather(pieces, "bands")
    if not _length(rows):
        return [{} for _ in range(parts)]
    order = np.lexsort((rows["id"], rows["key"], rows["band"]))
    band, key, ids = rows["band"][order], rows["key"][order], rows["id"][order]
    n = len(ids)
    idx = np.arange(n)
    new = np.ones(n, dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (band[1:] != band[:-1])
    start = np.maximum.accumulate(np.where(new, idx, 0))
    take = np.minimum(idx - start, cap)
    later = np.repeat(idx, take)
    earlier = np.repeat(start, take) + _ranks(take)
    pi, pq = ids[later], ids[earlier]
    pairs = np.unique((pi.astype(np.uint64) << _U32) | pq.astype(np.uint64))
    cols = {"pair": pairs}
    return [{"pairs": p} for p in _split(cols, _hash_part(pairs >> _U32, parts), parts)]


def _ranks(counts: np.ndarray) -> np.ndarray:
    """``0, 1, ..., c - 1`` for each count ``c``, concatenated."""
    total = int(counts.sum())
    return np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)


def _lookup(nodes: Cols, ids: np.ndarray) -> np.ndarray:
    """Row of each id in ``nodes`` (sorted by ``id``); every id must be there."""
    return np.searchsorted(nodes["id"], ids)


def _sorted_nodes(pieces: Sequence[Piece]) -> Cols:
    nodes = _gather(pieces, "nodes")
    if not _length(nodes):
        return {"id": np.zeros(0, np.int64), "shingles": (np.zeros(0, np.uint32), np.zeros(1, int))}
    return _take(nodes, np.argsort(nodes["id"], kind="stable"))


def _verify_a_task(parts: int, *pieces: Piece) -> list[Piece]:
    """Send the shingles of each pair's later item to the partition of its earlier item."""
    nodes = _sorted_nodes(pieces)
    pairs = np.unique(_gather(pieces, "pairs").get("pair", np.zeros(0, np.uint64)))
    later = (pairs >> _U32).astype(np.int64)
    earlier = (pairs & _LOW).astype(np.int64)
    sent = {"i": later, "q": earlier, "shingles": _take(nodes, _lookup(nodes, later))["shingles"]}
    return [{"sent": p} for p in _split(sent, _hash_part(earlier, parts), parts)]


def _verify_b_task(threshold: float, parts: int, *pieces: Piece) -> list[Piece]:
    """Keep the pairs whose shingle sets are similar enough; edges go out by their later item."""
    nodes = _sorted_nodes(pieces)
    sent = _gather(pieces, "sent")
    if not _length(sent):
        return [{} for _ in range(parts)]
    theirs = _take(nodes, _lookup(nodes, sent["q"]))["shingles"]
    ok = _jaccard(sent["shingles"], theirs) >= np.float32(threshold)
    edges = {"i": sent["i"][ok], "q": sent["q"][ok]}
    return [{"edges": p} for p in _split(edges, _hash_part(edges["i"], parts), parts)]


def _star_map(small: bool, parts: int, *pieces: Piece) -> list[Piece]:
    """Edges keyed for a large-star (both directions) or small-star (larger end) round."""
    e = _concat([p.get("edges") or p.get("star") or {} for p in pieces])
    if not _length(e):
        return [{} for _ in range(parts)]
    a, b = (e["i"], e["q"]) if "i" in e else (e["u"], e["v"])
    if small:
        u, v = np.maximum(a, b), np.minimum(a, b)
    else:
        u, v = np.concatenate([a, b]), np.concatenate([b, a])
    cols = {"u": u, "v": v}
    return [{"star": p} for p in _split(cols, _hash_part(u, parts), parts)]


def _star_reduce(small: bool, *pieces: Piece) -> tuple[Piece, int]:
    """One large-star or small-star step on the edges of each node ``u`` here; and a change count.

    Large-star: link every larger neighbour of ``u`` to the smallest of ``u`` and its neighbours.
    Small-star: link ``u`` and its (smaller) neighbours to the smallest of them. At the fixed
    point every component is a star around its smallest node.
    """
    e = _gather(pieces, "star")
    if not _length(e):
        return {}, 0
    pairs = np.unique(np.stack([e["u"], e["v"]], axis=1), axis=0)
    u, v = pairs[:, 0], pairs[:, 1]
    first = np.ones(len(u), dtype=bool)
    first[1:] = u[1:] != u[:-1]
    start = np.flatnonzero(first)
    m = np.minimum(np.minimum.reduceat(v, start), u[start])
    nbrs = np.diff(np.append(start, len(u)))
    m_row = np.repeat(m, nbrs)
    if small:
        changed = int((nbrs >= 2).sum())
        out_u = np.concatenate([v, u[start]])
        out_v = np.concatenate([m_row, m])
    else:
        bigger = v > u
        has_big = np.add.reduceat(bigger.astype(np.int64), start) > 0
        changed = int(((m < u[start]) & has_big).sum())
        out_u, out_v = v[bigger], m_row[bigger]
    keep = out_u != out_v
    return {"star": {"u": out_u[keep], "v": out_v[keep]}}, changed


def _labels_map(parts: int, *pieces: Piece) -> list[Piece]:
    """The final stars as labels (node, component) for both ends, by node."""
    e = _concat([p.get("star") or {} for p in pieces])
    if not _length(e):
        return [{} for _ in range(parts)]
    node = np.concatenate([e["u"], e["v"]])
    comp = np.concatenate([e["v"], e["v"]])
    cols = {"node": node, "comp": comp}
    return [{"labels": p} for p in _split(cols, _hash_part(node, parts), parts)]


def _attach_task(parts: int, *pieces: Piece) -> list[Piece]:
    """Nodes (with shingles) and edges, sent to the partition of their component."""
    labels = _gather(pieces, "labels")
    if not _length(labels):
        return [{} for _ in range(parts)]
    node, first = np.unique(labels["node"], return_index=True)
    comp = labels["comp"][first]
    nodes = _sorted_nodes(pieces)
    mine = _take(nodes, _lookup(nodes, node))
    mine["comp"] = comp
    edges = _gather(pieces, "edges") or {"i": np.zeros(0, np.int64), "q": np.zeros(0, np.int64)}
    edges["comp"] = comp[np.searchsorted(node, edges["i"])]
    node_parts = _split(mine, _hash_part(comp, parts), parts)
    edge_parts = _split(edges, _hash_part(edges["comp"], parts), parts)
    return [{"cnodes": a, "cedges": b} for a, b in zip(node_parts, edge_parts, strict=True)]


def _replay_task(block_starts: np.ndarray, parts: int, *pieces: Piece) -> tuple[Any, ...]:
    """The local engine's union-find, in input order, over whole components.

    Returns (*decision pieces by the kept item's block group, *timeline pieces by item, the
    change to the cluster size histogram): a timeline says from which item on the component of
    an item with exact copies had which first member.
    """
    nodes = _gather(pieces, "cnodes")
    edges = _gather(pieces, "cedges")
    blocks = len(block_starts)
    if not _length(edges):
        return (*[{} for _ in range(blocks + parts)], _size_hist(np.zeros(0, np.int64)))
    nodes = _take(nodes, np.argsort(nodes["id"], kind="stable"))
    # Cluster sizes: a component with its exact copies replaces its members' exact groups.
    _, comp = np.unique(nodes["comp"], return_inverse=True)
    sizes = np.bincount(comp, weights=nodes["copies"]).astype(np.int64)
    hist = _size_hist(sizes) - _size_hist(nodes["copies"])
    order = np.lexsort((edges["q"], edges["i"]))
    later, earlier = edges["i"][order].tolist(), edges["q"][order].tolist()
    parent: dict[int, int] = {}
    merged: dict[int, tuple[int, int]] = {}  # old root -> (item that merged it, new root)
    joined: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while x != root:
            x, parent[x] = parent[x], root
        return root

    k = 0
    while k < len(later):
        item, roots = later[k], set()
        while k < len(later) and later[k] == item:
            roots.add(find(earlier[k]))
            k += 1
        root = min(roots)
        for other in roots - {root}:
            parent[other] = root
            merged[other] = (item, root)
        parent[item] = root
        joined[item] = root
    near = np.array(sorted(joined), dtype=np.int64)
    kept = np.array([joined[i] for i in near.tolist()], dtype=np.int64)
    sims = _pair_sims(nodes, near, kept)
    decisions = {"id": near, "root": kept, "exact": np.zeros(len(near), bool), "sim": sims}
    # Timelines of items with exact copies: (item, from, first member) steps.
    tl_item, tl_from, tl_root = [], [], []
    for x in nodes["id"][nodes["copies"] > 1].tolist():
        at, cur = x, joined.get(x, x)
        while True:
            tl_item.append(x)
            tl_from.append(at)
            tl_root.append(cur)
            if cur not in merged:
                break
            at, cur = merged[cur]
    tl = {
        "item": np.array(tl_item, np.int64),
        "from": np.array(tl_from, np.int64),
        "root": np.array(tl_root, np.int64),
    }
    tl["sim"] = _pair_sims(nodes, tl["item"], tl["root"])
    block = np.searchsorted(block_starts, decisions["root"], side="right") - 1
    return (
        *[{"decisions": p} for p in _split(decisions, block, blocks)],
        *[{"timeline": p} for p in _split(tl, _hash_part(tl["item"], parts), parts)],
        hist,
    )


#: The cluster size buckets of the run summary (those of ``Deduplicator.summary``).
CLUSTER_BUCKETS = ((2, 2), (3, 5), (6, 10), (11, 100), (101, None))


def _size_hist(sizes: np.ndarray) -> np.ndarray:
    """How many of ``sizes`` fall in each of :data:`CLUSTER_BUCKETS`."""
    return np.array(
        [
            ((sizes >= lo) & (True if hi is None else sizes <= hi)).sum()
            for lo, hi in CLUSTER_BUCKETS
        ],
        dtype=np.int64,
    )


def _pair_sims(nodes: Cols, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sa = _take(nodes, _lookup(nodes, a))["shingles"]
    sb = _take(nodes, _lookup(nodes, b))["shingles"]
    return _jaccard(sa, sb)


def _leaves_task(block_starts: np.ndarray, *pieces: Piece) -> list[Piece]:
    """Decisions for exact copies: the first member of the copied item's component at the time."""
    leaves = _gather(pieces, "leaves")
    blocks = len(block_starts)
    if not _length(leaves):
        return [{} for _ in range(blocks)]
    tl = _gather(pieces, "timeline")
    j, of = leaves["id"], leaves["of"]
    root, sim = of.copy(), np.ones(len(j), dtype=np.float32)
    if _length(tl):
        packed = (tl["item"].astype(np.uint64) << _U32) | tl["from"].astype(np.uint64)
        order = np.argsort(packed)
        packed = packed[order]
        step = np.searchsorted(packed, (of.astype(np.uint64) << _U32) | j.astype(np.uint64)) - 1
        ok = step >= 0
        ok[ok] = (packed[step[ok]] >> _U32).astype(np.int64) == of[ok]
        root[ok] = tl["root"][order][step[ok]]
        sim[ok] = tl["sim"][order][step[ok]]
    exact = root == of
    sim[exact] = 1.0
    decisions = {"id": j, "root": root, "exact": exact, "sim": sim}
    block = np.searchsorted(block_starts, root, side="right") - 1
    return [{"decisions": p} for p in _split(decisions, block, blocks)]


def _names_task(count: int, group_starts: np.ndarray, *args: Any) -> list[Piece]:
    """``dup_of`` = ``<document id>#<paragraph index>`` of each kept item of this block group.

    ``args`` are the names of the group's ``count`` blocks, then the decision pieces.
    """
    blocks: list[dict[str, Any]] = list(args[:count])
    d = _gather(args[count:], "decisions")
    groups = len(group_starts)
    if not _length(d):
        return [{} for _ in range(groups)]
    docs = np.cumsum([0] + [len(n["doc_ids"]) for n in blocks])
    doc_ids = np.concatenate([n["doc_ids"] for n in blocks])
    item_doc = np.concatenate([n["item_doc"] + docs[k] for k, n in enumerate(blocks)])
    item_para = np.concatenate([n["item_para"] for n in blocks])
    local = d["root"] - blocks[0]["first"]
    named = doc_ids[item_doc[local]]
    paras = item_para[local].tolist()
    d["dup_of"] = np.array([f"{i}#{p}" for i, p in zip(named, paras, strict=True)], dtype=object)
    group = np.asarray(np.searchsorted(group_starts, d["id"], side="right") - 1)
    return [{"named": p} for p in _split(d, group, groups)]


def _apply_task(count: int, firsts: list[int], *args: Any) -> tuple[Any, ...]:
    """Record the removals of a group of ``count`` blocks (``args``: the blocks, then the decision
    pieces); returns the new blocks and the counts."""
    d = _gather(args[count:], "named")
    stats = {"exact": 0, "near": 0}
    out = []
    for k, table in enumerate(args[:count]):
        mine: Cols = {}
        if _length(d):
            end = firsts[k + 1] if k + 1 < count else np.iinfo(np.int64).max
            mine = _take(d, np.flatnonzero((d["id"] >= firsts[k]) & (d["id"] < end)))
        out.append(_apply_block(table, firsts[k], mine, stats))
    return (*out, stats)


def _apply_block(table: pa.Table, first_id: int, d: Cols, stats: dict[str, int]) -> pa.Table:
    """Record the removals with the local engine's own code, in item order per document."""
    from cleaner.dedup import _remove

    ordinals, docs = _unpack(table)
    if _length(d):
        order = np.argsort(d["id"])
        ids = (d["id"][order] - first_id).tolist()
        exact, sims = d["exact"][order].tolist(), d["sim"][order].tolist()
        dup_of = d["dup_of"][order].tolist()
        owners = [k for k, doc in enumerate(docs) if "dedup" in doc.scratch]
        counts = [len(docs[k].scratch["dedup"]["para"]) for k in owners]
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        for n, item in enumerate(ids):
            pos = int(np.searchsorted(starts, item, side="right") - 1)
            doc = docs[owners[pos]]
            data = doc.scratch["dedup"]
            row = item - int(starts[pos])
            rule = "dedup_exact" if exact[n] else "dedup_near"
            start, end = int(data["start"][row]), int(data["end"][row])
            _remove(doc, start, end, rule, dup_of[n], round(sims[n], 4), whole=False)
            stats["exact" if exact[n] else "near"] += 1
    for doc in docs:
        doc.scratch.clear()
    return _pack(ordinals, docs)


# -- the driver --------------------------------------------------------------------------------


def _components(edges: list[list[Any]], parts: int) -> tuple[list[list[Any]], int]:
    """Star edges (node, smallest node of its component) from ``edges``; and the round count."""
    ray = _ray()
    current = edges  # one list of pieces per map task
    for rounds in range(1, 200):
        changes = 0
        for small in (False, True):
            mapped = [_call(_star_map, parts, small, parts, *refs) for refs in current]
            reduced = _shuffle(_star_reduce, mapped, (small,), 2)
            current = [[out[0]] for out in reduced]
            changes += sum(ray.get([out[1] for out in reduced]))
        if not changes:
            return [_call(_labels_map, parts, parts, *refs) for refs in current], rounds
    raise RuntimeError("connected components did not converge in 200 rounds; please report it.")


def dedup_paragraphs(
    ds: Any,
    options: Options | None = None,
    *,
    summary: dict[str, Any] | None = None,
    profile: bool = False,
) -> Any:
    """Paragraph dedup across the whole dataset, with the decisions of the local engine.

    ``ds`` is a prepared documents dataset (columns ``ordinal``, ``doc``, ``items``: the output of
    the prepare step of :func:`clean_dataset`). Returns the documents dataset (``ordinal``,
    ``doc``) with each document's ``dedup_exact`` / ``dedup_near`` removals recorded exactly as
    :class:`cleaner.dedup.Deduplicator` records them; fills ``summary`` with the counts.
    ``profile`` waits for each step to finish and reports its seconds in ``summary["steps"]``
    (the steps then no longer overlap).
    """
    from cleaner.dedup import _SCRATCH  # noqa: F401 (the scratch key the prepare step fills)
    from cleaner.dedup.index import BUCKET_CAP

    ray = _ray()
    _configure()
    options = options or Options()
    check_options(options)
    began = time.time()
    steps: dict[str, float] = {}
    clock = [began]

    def mark(name: str, outputs: list[list[Any]]) -> None:
        if profile:
            refs = [ref for out in outputs for ref in out]
            ray.wait(refs, num_returns=len(refs), fetch_local=False)
            steps[name] = round(time.time() - clock[0], 3)
            clock[0] = time.time()

    blocks = _ordered_blocks(ds)
    mark("prepare", [blocks])
    sizes = ray.get([_remote(_items_total).remote(ref) for ref in blocks])
    total = sum(sizes)
    block_starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    if total >= 1 << 32:
        raise ValueError(
            f"{total} paragraphs to dedup in one run; ids are 32-bit as in the local index: "
            "split the corpus into runs of fewer than 4,294,967,296 paragraphs."
        )
    cpus = int(ray.cluster_resources().get("CPU", 1))
    parts = max(2 * cpus, -(-total // ITEMS_PER_PARTITION))
    items = [
        _call(_items_task, 1 + parts, ref, int(first), parts)
        for ref, first in zip(blocks, block_starts.tolist(), strict=True)
    ]
    names = [out[0] for out in items]
    mark("items", items)
    exact = _shuffle(_exact_task, [out[1:] for out in items], (parts,), 1 + 3 * parts)
    hist = sum(
        (got["hist"] for got in ray.get([out[0] for out in exact])),
        _size_hist(np.zeros(0, np.int64)),
    )
    mark("exact", exact)
    band_out = [out[1 : 1 + parts] for out in exact]
    node_out = [out[1 + parts : 1 + 2 * parts] for out in exact]
    leaf_out = [out[1 + 2 * parts :] for out in exact]
    # Each step's inputs are released as soon as the next step holds them (the object store then
    # frees them when those tasks finish): intermediate results do not pile up.
    del items, exact
    pairs = _shuffle(_bands_task, band_out, (BUCKET_CAP, parts), parts)
    mark("bands", pairs)
    del band_out
    sent = _shuffle(_verify_a_task, [*node_out, *pairs], (parts,), parts)
    edges = _shuffle(_verify_b_task, [*node_out, *sent], (options.dedup_threshold, parts), parts)
    mark("verify", edges)
    del pairs, sent
    labels, rounds = _components(edges, parts)
    mark("components", labels)
    attached = _shuffle(_attach_task, [*labels, *node_out, *edges], (parts,), parts)
    del labels, node_out, edges
    # Decisions go to groups of consecutive blocks (as many as partitions), so that the last two
    # steps exchange groups x partitions pieces, not blocks x partitions.
    nblocks = len(blocks)
    groups = min(nblocks, parts)
    first_block = [g * nblocks // groups for g in range(groups)] + [nblocks]
    starts = ray.put(block_starts[first_block[:-1]])
    replayed = _shuffle(_replay_task, attached, (starts, parts), groups + parts + 1)
    hist += sum(ray.get([out[-1] for out in replayed]))
    timelines = [out[groups:-1] for out in replayed]
    leaf_decisions = _shuffle(_leaves_task, [*leaf_out, *timelines], (starts,), groups)
    mark("replay", leaf_decisions)
    by_root = [out[:groups] for out in replayed] + leaf_decisions
    del attached, leaf_out, timelines, replayed, leaf_decisions
    members = [range(first_block[g], first_block[g + 1]) for g in range(groups)]
    named = [
        _call(
            _names_task,
            groups,
            len(members[g]),
            starts,
            *[names[b] for b in members[g]],
            *[out[g] for out in by_root],
        )
        for g in range(groups)
    ]
    applied = [
        _call(
            _apply_task,
            len(members[g]) + 1,
            len(members[g]),
            [int(block_starts[b]) for b in members[g]],
            *[blocks[b] for b in members[g]],
            *[out[g] for out in named],
        )
        for g in range(groups)
    ]
    del by_root, names, named, blocks
    stats = ray.get([out[-1] for out in applied])
    mark("apply", applied)
    if summary is not None:
        summary.update(
            {
                "scope": "paragraph",
                "threshold": options.dedup_threshold,
                "keep": options.dedup_keep,
                "paragraphs_seen": total,
                "removed_exact": sum(s["exact"] for s in stats),
                "removed_near": sum(s["near"] for s in stats),
                "paragraph_clusters": {
                    "count": int(hist.sum()),
                    "sizes": {
                        f"{lo}+" if hi is None else (str(lo) if lo == hi else f"{lo}-{hi}"): int(n)
                        for (lo, hi), n in zip(CLUSTER_BUCKETS, hist.tolist(), strict=True)
                    },
                },
                "engine": "ray",
                "partitions": parts,
                "component_rounds": rounds,
                "seconds": round(time.time() - began, 3),
            }
        )
        if profile:
            summary["steps"] = steps
    return ray.data.from_arrow_refs([ref for out in applied for ref in out[:-1]])


def _ordered_blocks(ds: Any) -> list[Any]:
    """The blocks of ``ds`` in input order (by ``ordinal``); sorted by Ray if they do not tile
    the ordinals in order (a dataset executed without ``preserve_order``)."""
    ray = _ray()
    blocks = ds.materialize().to_arrow_refs()
    spans = ray.get([_remote(_span).remote(ref) for ref in blocks])
    order = sorted(range(len(blocks)), key=lambda b: spans[b][0])
    expected = 0
    for b in order:
        first, last, rows, ordered = spans[b]
        if rows and (not ordered or first != expected or last != first + rows - 1):
            return list(ds.sort("ordinal").materialize().to_arrow_refs())
        expected += rows
    return [blocks[b] for b in order]


def _span(table: pa.Table) -> tuple[int, int, int, bool]:
    """(first ordinal, last ordinal, rows, whether the ordinals rise by one) of a block."""
    o = _column(table, "ordinal")
    if not len(o):
        return (-1, -1, 0, True)
    return (int(o[0]), int(o[-1]), len(o), bool((np.diff(o) == 1).all()))


def _items_total(table: pa.Table) -> int:
    return int(_column(table, "items").sum())


def _column(table: pa.Table, name: str) -> np.ndarray:
    if not table.num_rows:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


# -- the CLI entry -----------------------------------------------------------------------------


def run_ray(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    options: Options,
    *,
    address: str | None = None,
) -> dict[str, Any]:
    """``clean INPUT... -o OUTPUT --engine ray [--address ...]``: the run summary.

    Reads with the CLI's readers (same ids, same order), cleans on Ray (a local cluster when
    ``address`` is None and none is running), and writes with the CLI's writer, so the output is
    the local engine's file for file. ``summary["ray"]`` reports the driver's peak memory.
    """
    ray = _ray()
    check_options(options)
    from cleaner.readers import ReadStats, iter_documents
    from cleaner.writer import write_run

    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    for name in ("ray.data", "ray"):  # the CLI prints its own summary
        logging.getLogger(name).setLevel(logging.ERROR)
    start_cpu = time.process_time()
    stats = ReadStats()
    dedup: dict[str, Any] = {}
    docs = documents_dataset(iter_documents(inputs, options, stats))
    cleaned = clean_dataset(docs, options, documents=True, summary=dedup)
    rows = (
        doc
        for batch in cleaned.iter_batches(batch_format="pyarrow", batch_size=None)
        for doc in _unpack(batch)[1]
    )

    def finish(result: dict[str, Any]) -> None:
        if dedup:
            result["dedup"] = dedup
        result["read"] = stats.as_dict()
        result["cpu_seconds_main"] = round(time.process_time() - start_cpu, 3)
        result["ray"] = {
            "address": address or "local",
            "driver_peak_rss_mb": round(peak_rss_mb(), 1),
        }

    return write_run(rows, output, options, finish)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux ``ru_maxrss`` is in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
