"""Output writers: Parquet (the default) and JSONL, always atomic.

A writer never leaves a half-written file at the output path. A single-file output is written to a
hidden temporary name beside it (``.<name>.<pid>.tmp``) and renamed over the output only when the
run completes, so a crash, Ctrl-C or SIGKILL leaves either no file or the previous complete one. A
directory output (``-o DIR/``, an existing directory, or ``--shard-size``) writes its part files
into a hidden temporary folder inside ``DIR`` and moves them in at the end, writing
``_summary.json`` last: a directory whose ``_summary.json`` lists its parts is complete.

Parquet files use the explicit :data:`cleaner.schema.SCHEMA`, zstd compression, row groups of
``row_group_size`` rows (10,000 by default: small enough for a reader to stream, large enough for
good compression; a group ends sooner only if its text would pass 2 GB, the most one Arrow string
column holds), built column by column (:class:`Columns`), and carry the run summary in the file's
key/value metadata under ``boilerclean.summary`` (JSON), next to ``boilerclean.version`` and
``boilerclean.options``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence, Sized
from operator import attrgetter, is_, is_not, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cleaner import __version__
from cleaner.document import Document, Removal, cut_out
from cleaner.schema import QUALITY, QUALITY_FIELDS, REMOVAL, SCHEMA, to_table

if TYPE_CHECKING:
    from cleaner.config import Options

SUMMARY_KEY = "boilerclean.summary"


class Sink(Protocol):
    def write(self, doc: Document) -> None: ...
    def close(self, summary: dict[str, Any]) -> list[str]: ...
    def abort(self) -> None: ...


def is_directory_output(output: str | os.PathLike[str], shard_size: int | None) -> bool:
    """Whether ``output`` names a directory: ends with ``/``, exists as one, or has shards.

    >>> is_directory_output("out.parquet", None), is_directory_output("out/", None)
    (False, True)
    """
    text = os.fspath(output)
    return text.endswith(("/", os.sep)) or Path(text).is_dir() or shard_size is not None


def open_sink(
    output: str | os.PathLike[str],
    *,
    format: str = "parquet",
    shard_size: int | None = None,
    row_group_size: int = 10_000,
    options: dict[str, Any] | None = None,
) -> Sink:
    """The writer for ``output``: one file, or part files in a directory (see module docstring)."""
    meta = {
        "boilerclean.version": __version__,
        "boilerclean.options": json.dumps(options or {}, sort_keys=True, default=str),
    }
    if is_directory_output(output, shard_size):
        return ShardedSink(Path(output), format, shard_size, row_group_size, meta)
    return FileSink(Path(output), format, row_group_size, meta)


def _leaf_columns(name: str, type_: pa.DataType) -> list[str]:
    """The Parquet column paths under the Arrow field ``name``, as pyarrow names them.

    >>> _leaf_columns("meta", pa.map_(pa.string(), pa.string()))
    ['meta.key_value.key', 'meta.key_value.value']
    """
    if pa.types.is_struct(type_):
        return [
            path for field in type_ for path in _leaf_columns(f"{name}.{field.name}", field.type)
        ]
    if pa.types.is_map(type_):
        return [f"{name}.key_value.key", *_leaf_columns(f"{name}.key_value.value", type_.item_type)]
    if pa.types.is_list(type_):
        return _leaf_columns(f"{name}.list.element", type_.value_type)
    return [name]


#: Every column but ``text``. Each document's text is its own, so a dictionary of them is never
#: used (pyarrow builds one for the first megabyte of a row group, then falls back to plain pages),
#: and their min/max statistics are too long to be kept. Leaving both out of ``text`` saves about
#: a tenth of the write time.
_NOT_TEXT = [path for f in SCHEMA for path in _leaf_columns(f.name, f.type) if path != "text"]


class _PartWriter:
    """Writes documents to one file in row groups, to whatever path it is given.

    Parquet rows are gathered column by column (:class:`Columns`) and written as one table per row
    group; JSONL rows are written as they come.
    """

    def __init__(self, path: Path, format: str, row_group_size: int, meta: dict[str, str]):
        if format not in ("parquet", "jsonl"):
            raise ValueError(f"unknown output format {format!r}: use parquet or jsonl")
        self.path = path
        self.format = format
        self.row_group_size = row_group_size
        self.columns = Columns()
        self.count = 0
        self._parquet: pq.ParquetWriter | None = None
        self._jsonl: Any = None
        if format == "parquet":
            schema = SCHEMA.with_metadata({**(SCHEMA.metadata or {}), **meta})
            self._parquet = pq.ParquetWriter(
                path,
                schema,
                compression="zstd",
                compression_level=3,
                use_dictionary=_NOT_TEXT,
                write_statistics=_NOT_TEXT,
            )
        else:
            self._jsonl = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def write(self, doc: Document) -> None:
        self.count += 1
        if self._jsonl is not None:
            self._jsonl.write(json.dumps(doc.row(), ensure_ascii=False) + "\n")
            return
        if not self.columns.fits(doc):
            self.flush()
        self.columns.add(doc)
        if len(self.columns) >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        if self._parquet is not None and len(self.columns):
            self._parquet.write_table(self.columns.table(), row_group_size=self.row_group_size)
            self.columns = Columns()

    def close(self, summary: dict[str, Any] | None) -> None:
        self.flush()
        if self._parquet is not None:
            if summary is not None:
                self._parquet.add_key_value_metadata(
                    {SUMMARY_KEY: json.dumps(summary, sort_keys=True, default=str)}
                )
            self._parquet.close()
        else:
            self._jsonl.flush()
            os.fsync(self._jsonl.fileno())
            self._jsonl.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            if self._parquet is not None:
                self._parquet.close()
            elif self._jsonl is not None:
                self._jsonl.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class FileSink:
    """One output file, renamed into place at :meth:`close`."""

    def __init__(self, path: Path, format: str, row_group_size: int, meta: dict[str, str]):
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path.parent, f".{path.name}.")
        self.path = path
        self.tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
        self.part = _PartWriter(self.tmp, format, row_group_size, meta)

    def write(self, doc: Document) -> None:
        self.part.write(doc)

    def close(self, summary: dict[str, Any]) -> list[str]:
        self.part.close(summary)
        if self.part.format == "jsonl":
            _write_json_atomic(self.path.parent / f"{self.path.name}.summary.json", summary)
        os.replace(self.tmp, self.path)
        return [str(self.path)]

    def abort(self) -> None:
        self.part.abort()


class ShardedSink:
    """Part files ``part-00000.<ext>``... in a directory, plus ``_summary.json`` written last."""

    def __init__(
        self,
        directory: Path,
        format: str,
        shard_size: int | None,
        row_group_size: int,
        meta: dict[str, str],
    ):
        directory.mkdir(parents=True, exist_ok=True)
        _remove_stale(directory, ".boilerclean-")
        self.directory = directory
        self.tmp = directory / f".boilerclean-{os.getpid()}.tmp"
        self.tmp.mkdir()
        self.format = format
        self.shard_size = shard_size
        self.row_group_size = min(row_group_size, shard_size or row_group_size)
        self.meta = meta
        self.parts: list[_PartWriter] = []

    def _current(self) -> _PartWriter:
        if not self.parts or (self.shard_size and self.parts[-1].count >= self.shard_size):
            if self.parts:
                self.parts[-1].close(None)
            ext = "parquet" if self.format == "parquet" else "jsonl"
            name = f"part-{len(self.parts):05d}.{ext}"
            self.parts.append(
                _PartWriter(self.tmp / name, self.format, self.row_group_size, self.meta)
            )
        return self.parts[-1]

    def write(self, doc: Document) -> None:
        self._current().write(doc)

    def close(self, summary: dict[str, Any]) -> list[str]:
        if not self.parts:
            self._current()
        self.parts[-1].close(summary)
        for old in self.directory.glob("part-*"):
            old.unlink()
        (self.directory / "_summary.json").unlink(missing_ok=True)
        names = []
        for part in self.parts:
            os.replace(part.path, self.directory / part.path.name)
            names.append(part.path.name)
        shutil.rmtree(self.tmp, ignore_errors=True)
        _write_json_atomic(self.directory / "_summary.json", {**summary, "parts": names})
        return [str(self.directory / name) for name in names]

    def abort(self) -> None:
        for part in self.parts:
            part.abort()
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_run(
    docs: Iterable[Document],
    output: str | os.PathLike[str],
    options: Options,
    finish: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """Write a run's documents to ``output`` (dropped ones to ``options.rejected`` when set).

    Counts every document in the run summary; once ``docs`` is exhausted, ``finish(summary)`` adds
    the engine's own figures (read stats, dedup clusters...) before the outputs close, so they are
    stored with them. On any exception, nothing is left at the output paths. Both engines (the
    local pipeline and Ray) write through here.
    """
    from cleaner.summary import Summary

    sink_args: dict[str, Any] = {
        "format": options.format,
        "row_group_size": options.row_group_size,
        "options": options.as_dict(),
    }
    sink = open_sink(output, shard_size=options.shard_size, **sink_args)
    rejected = open_sink(options.rejected, **sink_args) if options.rejected else None
    counts = Summary()
    try:
        for doc in docs:
            counts.add(doc)
            (rejected if doc.dropped and rejected is not None else sink).write(doc)
        result = counts.as_dict()
        finish(result)
        outputs = rejected.close({**result, "role": "rejected"}) if rejected is not None else []
        result["outputs"] = sink.close(result) + outputs
        return result
    except BaseException:
        sink.abort()
        if rejected is not None:
            rejected.abort()
        raise


def read_summary(output: str | os.PathLike[str]) -> dict[str, Any]:
    """The run summary of a finished output: a Parquet file, a part directory or a JSONL file."""
    path = Path(output)
    if path.is_dir():
        return dict(json.loads((path / "_summary.json").read_text(encoding="utf-8")))
    if path.suffix == ".jsonl":
        sidecar = path.parent / f"{path.name}.summary.json"
        return dict(json.loads(sidecar.read_text(encoding="utf-8")))
    meta = pq.ParquetFile(path).metadata.metadata or {}
    raw = meta.get(SUMMARY_KEY.encode())
    if raw is None:
        raise ValueError(f"{path} has no boilerclean run summary: was it written by `clean`?")
    return dict(json.loads(raw))


def read_table(output: str | os.PathLike[str]) -> pa.Table:
    """The rows of a finished output (file or part directory) as one table of :data:`SCHEMA`."""
    path = Path(output)
    files = sorted(path.glob("part-*")) if path.is_dir() else [path]
    tables = []
    for file in files:
        if file.suffix == ".jsonl":
            with open(file, encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle if line.strip()]
            tables.append(to_table(rows))
        else:
            tables.append(pq.read_table(file, schema=SCHEMA))
    return pa.concat_tables(tables) if tables else SCHEMA.empty_table()


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _remove_stale(directory: Path, prefix: str) -> None:
    """Remove temporary files of earlier runs that died (their process no longer exists)."""
    for tmp in directory.glob(f"{prefix}*.tmp"):
        pid = tmp.name[: -len(".tmp")].rsplit(".", 1)[-1].rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- documents to Arrow, column by column ------------------------------------------------------

#: The most UTF-8 bytes one string column of a table can hold (its offsets are 32-bit).
MAX_COLUMN_BYTES = 2**31 - 1


def documents_table(docs: Iterable[Document]) -> pa.Table:
    """Documents as one table of :data:`SCHEMA`: the rows of :meth:`Document.row`, built faster.

    >>> table = documents_table([Document(id="a", source="Hi.\\n", original_chars=4)])
    >>> table.num_rows, table.column("text").to_pylist(), table.column("removed").to_pylist()
    (1, ['Hi.\\n'], [[]])
    """
    columns = Columns()
    for doc in docs:
        columns.add(doc)
    return columns.table()


class Columns:
    """Documents on their way into one Arrow table, built column by column.

    This gives the same table as :func:`cleaner.schema.to_table` over ``doc.row()`` (a test
    compares the two), without a dict per row: every column is built from one flat list with
    numpy and ``Array.from_buffers`` (several times cheaper than ``Table.from_pylist``), and
    ``pa.array`` is never called, because its first call imports pandas (half a CPU second of
    start-up) to check whether its input is a pandas object. The documents are read only by
    :meth:`table`: a document must not change after it is added.
    """

    #: The most UTF-8 bytes one string column may hold (see :meth:`fits`).
    max_bytes = MAX_COLUMN_BYTES

    def __init__(self) -> None:
        self.docs: list[Document] = []
        self.source_chars = 0

    def __len__(self) -> int:
        return len(self.docs)

    def fits(self, doc: Document) -> bool:
        """Whether ``doc`` can join without a string column passing :attr:`max_bytes`.

        Its cleaned text and removed texts are parts of its ``source``, and a code point is at
        most 4 UTF-8 bytes, so this bound is safe without encoding anything.
        """
        return not self.docs or 4 * (self.source_chars + len(doc.source)) <= self.max_bytes

    def add(self, doc: Document) -> None:
        """Add ``doc`` as the next row."""
        self.docs.append(doc)
        self.source_chars += len(doc.source)

    def table(self) -> pa.Table:
        """The rows added so far as a table of :data:`SCHEMA`."""
        docs = self.docs
        texts: list[str | None] = []
        removed: list[Removal] = []
        removed_ends = [0]
        for doc in docs:
            spans = doc.removed
            if len(spans) > 1:
                spans = sorted(spans, key=_start)
            texts.append(None if doc.error else cut_out(doc.source, spans) if spans else doc.source)
            removed += spans
            removed_ends.append(len(removed))
        fixes = [fix for doc in docs for fix in doc.fixes]
        flags = [flag for doc in docs for flag in doc.flags]
        metas = [doc.meta for doc in docs]
        arrays = [
            _strings([doc.id for doc in docs]),
            _strings([doc.path for doc in docs]),
            _strings([doc.url for doc in docs]),
            _strings([doc.title for doc in docs]),
            _strings([doc.site for doc in docs]),
            _strings([doc.date for doc in docs]),
            _strings([doc.author for doc in docs]),
            _strings([doc.lang for doc in docs]),
            _numbers([doc.lang_score for doc in docs], pa.float32()),
            _strings(texts),
            _numbers([doc.original_chars for doc in docs], pa.int64()),
            _list(removed_ends, _removals(removed), _REMOVED),
            _list(_ends(doc.fixes for doc in docs), _strings(fixes), _STRING_LIST),
            _list(_ends(doc.flags for doc in docs), _strings(flags), _STRING_LIST),
            _quality([doc.quality for doc in docs]),
            _booleans([doc.dropped for doc in docs]),
            _strings([doc.drop_reason for doc in docs]),
            _list(
                _ends(metas),
                _struct(
                    _META_ENTRY,
                    [[k for m in metas for k in m], [v for m in metas for v in m.values()]],
                ),
                _META,
            ),
            _strings([doc.error for doc in docs]),
        ]
        return pa.Table.from_arrays(arrays, schema=SCHEMA)


def _ends(items: Iterable[Sized]) -> list[int]:
    """Where each item's elements end in the flat list of all of them: the list offsets."""
    return [0, *itertools.accumulate(map(len, items))]


_REMOVED = SCHEMA.field("removed").type
_STRING_LIST = SCHEMA.field("fixes").type
_META = SCHEMA.field("meta").type
_META_ENTRY = _META.field(0).type
_QUALITY_NAMES = [name for name, _ in QUALITY_FIELDS]
_NUMPY = {pa.int64(): np.int64, pa.float32(): np.float32}
_start = attrgetter("start")


def _removals(removed: list[Removal]) -> pa.Array:
    columns: list[list[Any]] = [
        [r.rule for r in removed],
        [r.start for r in removed],
        [r.end for r in removed],
        [r.text for r in removed],
        [r.dup_of for r in removed],
        [r.similarity for r in removed],
    ]
    return _struct(REMOVAL, columns)


def _quality(values: list[dict[str, Any] | None]) -> pa.Array:
    """The ``quality`` struct column: null where a document has none, a missing key is null."""
    blank = (None,) * len(_QUALITY_NAMES)
    try:
        get = itemgetter(*_QUALITY_NAMES)
        rows = [blank if q is None else get(q) for q in values]
    except KeyError:
        rows = [blank if q is None else tuple(map(q.get, _QUALITY_NAMES)) for q in values]
    columns = list(zip(*rows, strict=True)) or [()] * len(_QUALITY_NAMES)
    return _struct(QUALITY, columns, _validity(values))


def _struct(
    type_: pa.StructType, columns: Sequence[Sequence[Any]], validity: pa.Buffer | None = None
) -> pa.Array:
    children = [
        _strings(values) if field.type == pa.string() else _numbers(values, field.type)
        for field, values in zip(type_, columns, strict=True)
    ]
    length = len(columns[0]) if columns else 0
    return pa.Array.from_buffers(type_, length, [validity], children=children)


def _list(ends: list[int], child: pa.Array, type_: pa.DataType) -> pa.Array:
    offsets = pa.py_buffer(np.array(ends, dtype=np.int32))
    return pa.Array.from_buffers(type_, len(ends) - 1, [None, offsets], children=[child])


def _validity(values: Sequence[Any]) -> pa.Buffer | None:
    """The validity bitmap of ``values`` (None where no value is None)."""
    if None not in values:
        return None
    valid = np.fromiter(map(is_not, values, itertools.repeat(None)), dtype=bool, count=len(values))
    return pa.py_buffer(np.packbits(valid, bitorder="little"))


def _strings(values: Sequence[str | None]) -> pa.Array:
    n = len(values)
    nulls = values.count(None)
    if nulls == n:
        return pa.nulls(n, pa.string())
    texts: Sequence[str] = [v or "" for v in values] if nulls else values  # type: ignore[assignment]
    if all(map(str.isascii, texts)):  # O(1) each in CPython; then one byte per character
        data = "".join(texts).encode("ascii")
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    else:
        encoded = [v.encode() for v in texts]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] > MAX_COLUMN_BYTES:
        raise ValueError(f"a string column of {offsets[-1]} bytes does not fit one Arrow array")
    return pa.StringArray.from_buffers(
        n,
        pa.py_buffer(offsets.astype(np.int32)),
        pa.py_buffer(data),
        _validity(values) if nulls else None,
        nulls,
    )


def _numbers(values: Sequence[Any], type_: pa.DataType) -> pa.Array:
    """An int64 or float32 column; floats are rounded to float32 as ``pa.array`` does."""
    n = len(values)
    wide = np.int64 if type_ == pa.int64() else np.float64
    data = _dense(values, wide)
    nulls = 0
    if data is None:  # None among the values: count them, and make them 0 under the bitmap
        nulls = sum(map(is_, values, itertools.repeat(None)))
        if nulls == n:
            return pa.nulls(n, type_)
        data = np.array([0 if v is None else v for v in values], dtype=wide)
    data = data.astype(_NUMPY[type_], copy=False)
    return pa.Array.from_buffers(
        type_, n, [_validity(values) if nulls else None, pa.py_buffer(data)], nulls
    )


def _dense(values: Sequence[Any], dtype: type[np.generic]) -> np.ndarray | None:
    """``values`` as one numpy array, or None when some value is None.

    numpy refuses None as an integer and reads it as NaN as a float: a NaN is checked for None
    (a real NaN stays a value, as in ``pa.array``).
    """
    try:
        data = np.array(values, dtype=dtype)
    except TypeError:
        return None
    if dtype is np.float64 and np.isnan(data).any() and None in values:
        return None
    return data


def _booleans(values: list[bool]) -> pa.Array:
    bits = np.packbits(np.array(values, dtype=bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)], 0)
