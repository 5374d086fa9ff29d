"""Output writers: Parquet (the default) and JSONL, always atomic.

A writer never leaves a half-written file at the output path. A single-file output is written to a
hidden temporary name beside it (``.<name>.<pid>.tmp``) and renamed over the output only when the
run completes, so a crash, Ctrl-C or SIGKILL leaves either no file or the previous complete one. A
directory output (``-o DIR/``, an existing directory, or ``--shard-size``) writes its part files
into a hidden temporary folder inside ``DIR`` and moves them in at the end, writing
``_summary.json`` last: a directory whose ``_summary.json`` lists its parts is complete.

Parquet files use the explicit :data:`cleaner.schema.SCHEMA`, zstd compression, row groups of
``row_group_size`` rows (10,000 by default: small enough for a reader to stream, large enough for
good compression), and carry the run summary in the file's key/value metadata under
``boilerclean.summary`` (JSON), next to ``boilerclean.version`` and ``boilerclean.options``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from cleaner import __version__
from cleaner.document import Document
from cleaner.schema import SCHEMA, to_table

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


class _PartWriter:
    """Writes rows of one file in row groups, to whatever path it is given."""

    def __init__(self, path: Path, format: str, row_group_size: int, meta: dict[str, str]):
        if format not in ("parquet", "jsonl"):
            raise ValueError(f"unknown output format {format!r}: use parquet or jsonl")
        self.path = path
        self.format = format
        self.row_group_size = row_group_size
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self._parquet: pq.ParquetWriter | None = None
        self._jsonl: Any = None
        if format == "parquet":
            schema = SCHEMA.with_metadata({**(SCHEMA.metadata or {}), **meta})
            self._parquet = pq.ParquetWriter(
                path, schema, compression="zstd", compression_level=3, write_statistics=True
            )
        else:
            self._jsonl = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self._parquet is not None:
            self._parquet.write_table(to_table(self.rows), row_group_size=self.row_group_size)
        else:
            for row in self.rows:
                self._jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.rows = []

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
        self.part.write(doc.row())

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
        self._current().write(doc.row())

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
