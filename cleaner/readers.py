"""Reading inputs: folders and files in, one :class:`~cleaner.document.Document` per document out.

:func:`iter_documents` walks the inputs named on the command line and yields documents in a fixed
order; :func:`read_file` reads one file; :func:`documents_from_table` turns a ``pyarrow.Table``
into documents for the Python API. Reading never raises for a bad input: a file or record that
cannot be read becomes a document with ``error`` set (and empty text), so that the output accounts
for every document. Files with an unknown extension, excluded files and symlink loops are not
documents: they are skipped and counted in :class:`ReadStats`.

Formats, by extension (each may also end in ``.gz`` or ``.zst``; compressed streams are read
incrementally, and a damaged stream gives the records read before the damage plus one error row):

- ``.txt``, ``.md``: one text document per file. UTF-8 (with or without BOM) and UTF-16/32 with a
  BOM are read as such; other bytes are decoded by a guess (see :func:`decode_bytes`) and the
  guess is recorded in ``fixes`` as ``decode:<codec>``. Binary content is an error row.
- ``.html``, ``.htm``: one HTML document (``kind="html"``) for :mod:`cleaner.extract`.
- ``.jsonl``: one document per non-blank line; the text is the field ``options.text_field``.
- ``.parquet``: one document per row, read in row batches; the text is the column
  ``options.text_field``.
- ``.warc`` (``.warc.gz`` too): one HTML document per ``response`` record with an HTML content
  type; every other record is skipped and counted.

Document ids follow DESIGN.md: ``<root name>/<path relative to the root>`` for a file found in a
folder, the file's own name for a file named directly, plus ``:<n>`` for records (the physical
line number in JSONL, the 1-based row in Parquet, the 1-based record number in WARC).

Records (JSONL lines, Parquet rows) carry their other fields along: ``url``, ``title``, ``site``,
``date``, ``author`` and ``lang`` fill the columns of the same name; every other non-null field
goes to ``meta`` as a string (strings as they are, anything else JSON-encoded, so a list of tags
is carried as ``["a", "b"]``). A record is routed through HTML extraction when its text field is
named ``html``, when it has ``"format": "html"``, or when it has no text field but an ``html``
field; the HTML then is not copied into ``meta``.

>>> docs = list(documents_from_table(pa.table({"text": ["Hello."], "url": ["https://e.org/"]})))
>>> docs[0].id, docs[0].source, docs[0].url
('table:1', 'Hello.', 'https://e.org/')
"""

from __future__ import annotations

import codecs
import collections
import datetime
import fnmatch
import io
import json
import logging
import os
import re
import shutil
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

from cleaner.config import Options
from cleaner.document import Document

log = logging.getLogger(__name__)

TEXT_EXTENSIONS = (".txt", ".md")
HTML_EXTENSIONS = (".html", ".htm")
RECORD_EXTENSIONS = (".jsonl", ".parquet", ".warc")
COMPRESSIONS = (".gz", ".zst")
#: Record fields that fill the output column of the same name instead of ``meta``.
COLUMN_FIELDS = ("url", "title", "site", "date", "author", "lang")

Format = Literal["text", "html", "jsonl", "parquet", "warc"]

_CHUNK = 1 << 20
_COUNT_LIMIT = 1 << 32  # an oversized document is counted up to here, then "more than"
_PARQUET_BATCH_ROWS = 1024
# Bytes that plain text practically never holds: C0 controls other than tab, newline, vertical
# tab, form feed, carriage return and escape.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_MAX_CONTROL_SHARE = 0.05
# A text whose letters are mostly ASCII is in a Latin script; its other bytes then come from a
# Latin code page, and on the web that is overwhelmingly Windows-1252 (which is also what HTML
# means by "latin-1", per the WHATWG encoding standard).
_MAX_NON_ASCII_LETTER_SHARE = 0.3
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ASCII_LETTERS = bytes(range(0x41, 0x5B)) + bytes(range(0x61, 0x7B))
_CP1252_PUNCTUATION = frozenset("\u00a0’‘“”„‚–—…•€«»‹›°§©®™·¡¿£¢¥†‡×")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WINDOWS_1252_ALIASES = frozenset({"ascii", "iso8859-1", "latin-1", "iso8859_1", "latin_1"})


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we can read."""


class _TooLarge(Exception):
    def __init__(self, size: int, exact: bool = True) -> None:
        super().__init__(size)
        self.size = size
        self.exact = exact


# -- statistics ------------------------------------------------------------------------------


@dataclass
class ReadStats:
    """What the reader saw: files read, bytes read from disk, and what it skipped, by reason.

    >>> a = ReadStats(files=1, bytes=10)
    >>> a.skipped["extension .png"] += 2
    >>> a.merge(ReadStats(files=2, bytes=5, skipped=collections.Counter({"excluded": 1})))
    >>> a.as_dict()
    {'files': 3, 'bytes': 15, 'skipped': {'excluded': 1, 'extension .png': 2}}
    """

    files: int = 0
    bytes: int = 0
    skipped: collections.Counter[str] = field(default_factory=collections.Counter)

    def merge(self, other: ReadStats) -> None:
        """Add ``other``'s counts to these."""
        self.files += other.files
        self.bytes += other.bytes
        self.skipped.update(other.skipped)

    def as_dict(self) -> dict[str, Any]:
        """The counts for the run summary (skip reasons sorted, so the summary is stable)."""
        return {
            "files": self.files,
            "bytes": self.bytes,
            "skipped": dict(sorted(self.skipped.items())),
        }


# -- finding files ---------------------------------------------------------------------------


def file_format(name: str) -> tuple[Format, str | None] | None:
    """The format and compression (``".gz"``, ``".zst"`` or None) of a file name, or None.

    >>> file_format("a.jsonl.zst"), file_format("Page.HTM"), file_format("x.png")
    (('jsonl', '.zst'), ('html', None), None)
    """
    lower = name.lower()
    compression = next((c for c in COMPRESSIONS if lower.endswith(c)), None)
    if compression:
        lower = lower[: -len(compression)]
    if lower.endswith(TEXT_EXTENSIONS):
        return "text", compression
    if lower.endswith(HTML_EXTENSIONS):
        return "html", compression
    for ext in RECORD_EXTENSIONS:
        if lower.endswith(ext):
            return ext[1:], compression  # type: ignore[return-value]
    return None


def _extension(name: str) -> str:
    """The extension named in a skip reason: ``.png``, ``.tar.gz``, or ``(none)``."""
    suffixes = Path(name).suffixes[-2:]
    if len(suffixes) == 2 and suffixes[1].lower() not in COMPRESSIONS:
        suffixes = suffixes[1:]
    return "".join(suffixes).lower() or "(none)"


def _selected(rel: str, options: Options, stats: ReadStats) -> bool:
    """Whether ``rel`` passes ``--include`` / ``--exclude`` (fnmatch; ``*`` also matches ``/``)."""
    if options.include and not any(fnmatch.fnmatchcase(rel, p) for p in options.include):
        stats.skipped["not included"] += 1
        return False
    if any(fnmatch.fnmatchcase(rel, p) for p in options.exclude):
        stats.skipped["excluded"] += 1
        return False
    return True


def _walk(folder: Path, stats: ReadStats) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Files under ``folder`` as (path, relative parts), sorted by relative path part by part.

    Directory symlinks are followed, except one that leads back to a folder on the way down to
    it (a loop): that one is skipped and counted. A folder that cannot be listed is counted too.
    """
    root_stat = folder.stat()
    chain = [(root_stat.st_dev, root_stat.st_ino)]

    def visit(directory: Path, parts: tuple[str, ...]) -> Iterator[tuple[Path, tuple[str, ...]]]:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            log.warning("cannot list folder %s: %s", directory, exc)
            stats.skipped["unreadable folder"] += 1
            return
        for entry in entries:
            path = directory / entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if not is_dir:
                yield path, (*parts, entry.name)
                continue
            try:
                st = os.stat(path)
            except OSError:
                stats.skipped["unreadable folder"] += 1
                continue
            key = (st.st_dev, st.st_ino)
            if key in chain:
                log.warning("skipping %s: it links back to a folder above it", path)
                stats.skipped["symlink loop"] += 1
                continue
            chain.append(key)
            yield from visit(path, (*parts, entry.name))
            chain.pop()

    yield from visit(folder, ())


def _root_name(folder: str | os.PathLike[str]) -> str:
    return Path(os.path.abspath(folder)).name or "root"


def iter_documents(
    inputs: Sequence[str | os.PathLike[str]],
    options: Options,
    stats: ReadStats | None = None,
) -> Iterator[Document]:
    """Every document in ``inputs`` (folders walked recursively, files read one by one).

    Inputs are read in the order given; a folder's files in sorted order of their relative paths
    (compared part by part, so a subfolder's files stay together), so two runs over the same
    tree give the same order. ``options.include`` / ``options.exclude`` are fnmatch patterns on
    the path relative to the folder (``*.txt``, ``news/**``); a file named directly is matched by
    its name. An input that does not exist is an error row.
    """
    stats = stats if stats is not None else ReadStats()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            root = _root_name(given)
            for file, parts in _walk(path, stats):
                rel = "/".join(parts)
                if _selected(rel, options, stats):
                    yield from _read_listed(
                        file, f"{root}/{rel}", os.path.join(given, *parts), options, stats
                    )
        elif os.path.lexists(path):
            if _selected(path.name, options, stats):
                yield from _read_listed(path, path.name, os.fspath(given), options, stats)
        else:
            yield Document(
                id=path.name or os.fspath(given),
                path=os.fspath(given),
                error=f"no such file or folder: {os.fspath(given)}; check the input path.",
            )


def _read_listed(
    file: Path, doc_id: str, shown: str, options: Options, stats: ReadStats
) -> Iterator[Document]:
    if file_format(file.name) is None:
        stats.skipped[f"extension {_extension(file.name)}"] += 1
        return
    yield from read_file(file, doc_id, options, stats, path=shown)


# -- reading one file ------------------------------------------------------------------------


def read_file(
    file: str | os.PathLike[str],
    doc_id: str,
    options: Options,
    stats: ReadStats | None = None,
    *,
    path: str | None = None,
) -> Iterator[Document]:
    """The documents of one file whose format :func:`file_format` knows, ids based on ``doc_id``.

    ``path`` is the ``path`` column (default: ``file`` as a string). Never raises for a bad file:
    every failure is an error row, after the records read before it.
    """
    stats = stats if stats is not None else ReadStats()
    shown = path if path is not None else os.fspath(file)
    known = file_format(os.path.basename(file))
    if known is None:
        raise ValueError(f"{shown} has an extension the reader does not know; see file_format().")
    fmt, compression = known
    stats.files += 1
    src = _Source(Path(file), doc_id, shown, options, stats)
    try:
        if fmt in ("text", "html"):
            yield src.single(fmt, compression)
        elif fmt == "jsonl":
            yield from src.jsonl(compression)
        elif fmt == "parquet":
            yield from src.parquet(compression)
        else:
            yield from src.warc(compression)
    except Exception as exc:  # the last resort: a bad input must never stop the run
        yield src.error(f"cannot read {shown}: {_describe(exc)}.", record=src.damaged_at)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".")
    if isinstance(exc, (_Damaged, EOFError)) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_STREAM_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    zlib.error,
    zstandard.ZstdError,
)


class _Source:
    """One file being read: its id, options and counters, and a reader per format."""

    def __init__(self, file: Path, doc_id: str, shown: str, options: Options, stats: ReadStats):
        self.file = file
        self.id = doc_id
        self.shown = shown
        self.options = options
        self.stats = stats
        self.cap = options.max_doc_bytes
        self.damaged_at: int | None = None  # record number an unexpected failure points at

    def error(self, message: str, record: int | None = None) -> Document:
        doc_id = self.id if record is None else f"{self.id}:{record}"
        return Document(id=doc_id, path=self.shown, error=message)

    def too_large(self, big: _TooLarge, what: str = "document") -> str:
        more = "" if big.exact else "more than "
        return (
            f"{what} is {more}{big.size} bytes, over --max-doc-bytes {self.cap}; raise "
            "--max-doc-bytes or split the input."
        )

    @contextmanager
    def open(self, compression: str | None, *, buffered: bool = True) -> Iterator[IO[bytes]]:
        """The file as a binary stream, decompressed incrementally; counts the bytes read.

        Unbuffered, a read returns what is decoded so far before the damage (a buffered
        ``read(n)`` drops it when the damage comes within the same call).
        """
        with open(self.file, "rb") as raw:
            try:
                if compression and not buffered:
                    yield cast(IO[bytes], _Decompressing(raw, compression))
                elif compression:
                    yield io.BufferedReader(_Decompressing(raw, compression), buffer_size=_CHUNK)
                else:
                    yield raw
            finally:
                self.stats.bytes += raw.tell()

    # single-document files ----------------------------------------------------------------
    def single(self, fmt: Format, compression: str | None) -> Document:
        try:
            if compression is None:
                size = os.stat(self.file).st_size
                if size > self.cap:
                    return self.error(self.too_large(_TooLarge(size)))
            with self.open(compression) as stream:
                data = _read_capped(stream, self.cap)
        except _TooLarge as big:
            return self.error(self.too_large(big))
        except PermissionError:
            return self.error(
                f"cannot read {self.shown}: permission denied; give the user running clean "
                "read access to it."
            )
        except _STREAM_ERRORS as exc:
            return self.error(f"cannot read {self.shown}: {_describe(exc)}.")
        kind: Literal["text", "html"] = "html" if fmt == "html" else "text"
        try:
            text, codec = decode_bytes(data, html=kind == "html")
        except BinaryContent as exc:
            return self.error(f"binary content: {exc}")
        doc = Document(id=self.id, path=self.shown, source=text, kind=kind)
        doc.original_chars = len(text)
        if codec:
            doc.fixes.append(f"decode:{codec}")
        return doc

    # JSON lines ------------------------------------------------------------------------------
    def jsonl(self, compression: str | None) -> Iterator[Document]:
        with self.open(compression) as stream:
            number = 0
            while True:
                self.damaged_at = number + 1
                try:
                    line = _read_line(stream, self.cap)
                except _TooLarge as big:
                    number += 1
                    yield self.error(self.too_large(big, f"line {number}"), number)
                    continue
                except _STREAM_ERRORS as exc:
                    yield self.error(
                        f"the file is damaged after line {number} ({_describe(exc)}); the "
                        "lines before were read.",
                        number + 1,
                    )
                    return
                if not line:
                    return
                number += 1
                if not line.strip():
                    continue
                yield self.json_record(line, number)

    def json_record(self, line: bytes, number: int) -> Document:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self.error(
                f"line {number} is not valid UTF-8 ({exc.reason} at byte {exc.start}); JSON "
                "lines must be UTF-8.",
                number,
            )
        try:
            record = json.loads(text.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            return self.error(
                f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or "
                "remove the line.",
                number,
            )
        if not isinstance(record, dict):
            return self.error(
                f"line {number} is a JSON {type(record).__name__}, not an object; each line "
                "must be one JSON object.",
                number,
            )
        return record_document(
            record,
            f"{self.id}:{number}",
            text_field=self.options.text_field,
            path=self.shown,
            max_bytes=self.cap,
        )

    # Parquet -----------------------------------------------------------------------------------
    def parquet(self, compression: str | None) -> Iterator[Document]:
        if compression is None:
            self.stats.bytes += os.stat(self.file).st_size
            yield from self.parquet_rows(pq.ParquetFile(self.file))
            return
        # Parquet needs random access (its index is at the end): decompress to a temporary file.
        with tempfile.TemporaryFile() as tmp:
            try:
                with self.open(compression) as stream:
                    shutil.copyfileobj(stream, tmp, _CHUNK)
            except _STREAM_ERRORS as exc:
                yield self.error(f"cannot decompress {self.shown}: {_describe(exc)}.")
                return
            tmp.seek(0)
            yield from self.parquet_rows(pq.ParquetFile(tmp))

    def parquet_rows(self, table: pq.ParquetFile) -> Iterator[Document]:
        names = table.schema_arrow.names
        text_field = self.options.text_field
        if text_field not in names and "html" not in names:
            yield self.error(
                f"{self.shown} has no column {text_field!r} (its columns: {', '.join(names)}); "
                "name the text column with --text-field."
            )
            return
        number = 0
        for batch in table.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                number += 1
                self.damaged_at = number + 1
                yield record_document(
                    row,
                    f"{self.id}:{number}",
                    text_field=text_field,
                    path=self.shown,
                    max_bytes=self.cap,
                )

    # WARC ----------------------------------------------------------------------------------------
    def warc(self, compression: str | None) -> Iterator[Document]:
        """WARC records, numbered from 1 in file order; damage ends the file with one error row.

        warcio is lenient: it ends a truncated file or record silently. So compressed input is
        decompressed here (strictly, through :class:`_Strict`, whose errors warcio cannot take
        for a clean end), a record whose content is shorter than its Content-Length header
        counts as damage, and so do bytes left over after the last record warcio could parse.
        """
        from warcio.archiveiterator import ArchiveIterator  # 0.1 s of imports: only for WARC

        with self.open(compression, buffered=False) as stream:
            strict = _Strict(stream)
            records = ArchiveIterator(strict)
            number = 0
            previous: Any = None
            while True:
                at = self.damaged_at = number + 1
                try:
                    record = next(records, None)
                    damage = _damage(previous) if previous is not None else None
                    if damage:
                        at = number
                        raise _Damaged(f"record {number} {damage}")
                    if record is None:
                        # warcio also ends quietly on a record header cut off half-way
                        if getattr(records, "offset", strict.delivered) < strict.delivered:
                            raise _Damaged(f"record {at} is cut off in its header")
                        return
                    number = at
                    previous = record
                    doc = self.warc_record(record, number)
                except Exception as exc:
                    yield self.error(
                        f"the WARC file is damaged at record {at} ({_describe(exc)}); the "
                        "records before it were read.",
                        at,
                    )
                    return
                if doc is not None:
                    yield doc

    def warc_record(self, record: Any, number: int) -> Document | None:
        if record.rec_type != "response":
            self.stats.skipped[f"warc {record.rec_type} record"] += 1
            return None
        content_type = (
            record.http_headers.get_header("Content-Type") if record.http_headers else None
        )
        mime = (content_type or "none").split(";")[0].strip().lower()
        if mime not in ("text/html", "application/xhtml+xml"):
            self.stats.skipped[f"warc response {mime}"] += 1
            return None
        doc_id = f"{self.id}:{number}"
        too_large: _TooLarge | None = None
        try:
            data = _read_capped(record.content_stream(), self.cap)
        except _TooLarge as big:
            data, too_large = b"", big
        damage = _damage(record)
        if damage:
            raise _Damaged(f"record {number} {damage}")
        if too_large:
            return self.error(self.too_large(too_large, "record"), number)
        headers = record.rec_headers
        try:
            html, codec = decode_bytes(data, html=True, declared=_charset_of(content_type))
        except BinaryContent as exc:
            return self.error(f"binary content: {exc}", number)
        doc = Document(
            id=doc_id,
            path=self.shown,
            kind="html",
            source=html,
            url=headers.get_header("WARC-Target-URI"),
        )
        doc.original_chars = len(html)
        if codec:
            doc.fixes.append(f"decode:{codec}")
        for key, header in (("warc_record_id", "WARC-Record-ID"), ("warc_date", "WARC-Date")):
            value = headers.get_header(header)
            if value:
                doc.meta[key] = value
        doc.meta["http_status"] = str(record.http_headers.get_statuscode())
        return doc


def _read_capped(stream: IO[bytes], cap: int) -> bytes:
    """All of ``stream``, or :class:`_TooLarge` with its full size if that is over ``cap``.

    The rest of an oversized stream is counted in chunks, never held in memory, and only up to
    :data:`_COUNT_LIMIT` (a compressed stream can expand without end).
    """
    data = stream.read(cap + 1)
    if len(data) <= cap:
        return data
    size = len(data)
    del data
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size >= _COUNT_LIMIT:
            raise _TooLarge(size, exact=False)
    raise _TooLarge(size)


def _read_line(stream: IO[bytes], cap: int) -> bytes:
    """The next line (with its newline; ``b""`` at the end), or :class:`_TooLarge`."""
    line = stream.readline(cap + 1)
    if len(line) <= cap or line.endswith(b"\n"):
        return line
    size = len(line)
    del line
    while chunk := stream.readline(_CHUNK):
        if chunk.endswith(b"\n"):
            size += len(chunk) - 1
            break
        size += len(chunk)
    raise _TooLarge(size)


class _Damaged(OSError):
    """A compressed stream or a WARC record ends before its end."""


class _Strict:
    """A stream whose premature end is :class:`_Damaged`, never :class:`EOFError`.

    warcio takes an ``EOFError`` while it parses a record header for the clean end of the file.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.delivered = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except EOFError as exc:
            raise _Damaged(str(exc)) from exc
        self.delivered += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        try:
            data = self._stream.readline(size)
        except EOFError as exc:
            raise _Damaged(str(exc)) from exc
        self.delivered += len(data)
        return data

    def tell(self) -> int:
        return self._stream.tell()

    def close(self) -> None:
        self._stream.close()


def _damage(record: Any) -> str | None:
    """What is wrong with a warcio record's length, or None (reads the record to its end).

    Content-Length is mandatory in WARC: a record without one was cut off in its header, and one
    with fewer bytes than it announces was cut off in its content.
    """
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    length = record.rec_headers.get_header("Content-Length") or ""
    if not length.strip().isdigit() or not hasattr(raw, "limit"):
        return "has no valid Content-Length header (cut off in its header?)"
    if raw.limit > 0:
        return f"is {raw.limit} bytes shorter than its Content-Length"
    return None


class _Decompressing(io.RawIOBase):
    """Incremental decompression, member after member, that reports a stream cut off mid-member.

    The standard readers lose what they decoded in the read that meets the damage (gzip) or end
    a truncated stream silently (zstandard's ``stream_reader``). Here every byte decoded before
    the damage is returned first, and the next read raises :class:`EOFError`. Input is fed in
    small pieces, so a highly compressed stream cannot expand into memory all at once.
    """

    _FEED = 8192

    def __init__(self, raw: IO[bytes], compression: str) -> None:
        super().__init__()
        self._raw = raw
        self._gzip = compression == ".gz"
        self._name = "gzip" if self._gzip else "zstd"
        self._zstd = None if self._gzip else zstandard.ZstdDecompressor()
        self._obj = self._new()
        self._in_member = False
        self._out = b""
        self._pos = 0

    def _new(self) -> Any:
        if self._zstd is not None:
            return self._zstd.decompressobj()
        return zlib.decompressobj(wbits=31)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._pos >= len(self._out):
            chunk = self._raw.read(self._FEED)
            if not chunk:
                if self._in_member:
                    raise EOFError(f"the {self._name} data is cut off: the file is truncated")
                return 0
            self._out, self._pos = self._decompress(chunk), 0
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos : self._pos + n]
        self._pos += n
        return n

    def _decompress(self, data: bytes) -> bytes:
        pieces = []
        while data:
            if not self._in_member and self._gzip:
                data = data.lstrip(b"\0")  # gzip allows zero padding between members
                if not data:
                    break
            try:
                pieces.append(self._obj.decompress(data))
            except (zlib.error, zstandard.ZstdError) as exc:
                reason = str(exc).split(": ")[-1]
                raise _Damaged(f"this is not valid {self._name} data ({reason})") from exc
            self._in_member = not self._obj.eof
            if not self._obj.eof:
                break
            data = self._obj.unused_data
            self._obj = self._new()
        return b"".join(pieces)


# -- records -----------------------------------------------------------------------------------


def record_document(
    record: Mapping[str, Any],
    doc_id: str,
    *,
    text_field: str = "text",
    path: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    """One record (a JSON object, a table row) as a document; see the module docstring for fields.

    >>> doc = record_document({"text": "Hi", "title": "T", "id": 7, "tags": ["a"]}, "f.jsonl:1")
    >>> doc.source, doc.title, doc.meta
    ('Hi', 'T', {'id': '7', 'tags': '["a"]'})
    >>> record_document({"body": "Hi"}, "f.jsonl:2").error
    "the record has no field 'text' (its fields: body); name the text field with --text-field."
    >>> record_document({"html": "<p>Hi</p>"}, "f.jsonl:3").kind
    'html'
    """
    fmt = record.get("format")
    as_html = text_field == "html" or (isinstance(fmt, str) and fmt.lower() == "html")
    source_field = text_field
    if text_field not in record and isinstance(record.get("html"), (str, bytes)):
        source_field, as_html = "html", True
    doc = Document(id=doc_id, path=path, kind="html" if as_html else "text")
    if source_field not in record:
        fields = ", ".join(record) or "none"
        doc.error = (
            f"the record has no field {text_field!r} (its fields: {fields}); name the text field "
            "with --text-field."
        )
        return doc
    value = record[source_field]
    if isinstance(value, bytes):
        try:
            value, codec = decode_bytes(value, html=as_html)
        except BinaryContent as exc:
            doc.error = f"binary content: {exc}"
            return doc
        if codec:
            doc.fixes.append(f"decode:{codec}")
    if value is None:
        value = ""
    if not isinstance(value, str):
        doc.error = (
            f"the field {source_field!r} holds a {type(value).__name__}, not text; name the text "
            "field with --text-field."
        )
        return doc
    if max_bytes is not None and len(value) > max_bytes // 4:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            doc.error = (
                f"record is {size} bytes, over --max-doc-bytes {max_bytes}; raise "
                "--max-doc-bytes or split the input."
            )
            return doc
    doc.source = value
    doc.original_chars = len(value)
    for key, item in record.items():
        if key == source_field or item is None:
            continue
        if key in COLUMN_FIELDS and not isinstance(item, (list, dict)):
            setattr(doc, key, _as_string(item))
        else:
            doc.meta[str(key)] = _as_string(item)
    return doc


def _as_string(value: Any) -> str:
    """A field value as the string carried in ``meta``: strings as they are, others as JSON.

    >>> _as_string("x"), _as_string(3), _as_string(True), _as_string(datetime.date(2024, 1, 2))
    ('x', '3', 'true', '2024-01-02')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return json.dumps(value, ensure_ascii=False, default=str)


def documents_from_table(
    table: pa.Table, *, text_field: str = "text", root: str = "table"
) -> Iterator[Document]:
    """One document per row of ``table`` (for ``clean_table``), ids ``<root>:<n>`` (1-based).

    A string ``id`` column gives the ids instead (a null id falls back to ``<root>:<n>``); every
    other column is handled as a record field (see :func:`record_document`). Rows are converted
    one batch at a time.

    >>> t = pa.table({"id": ["a", None], "text": ["x", "y"], "lang": ["en", "fr"]})
    >>> [(d.id, d.source, d.lang) for d in documents_from_table(t)]
    [('a', 'x', 'en'), ('table:2', 'y', 'fr')]
    """
    number = 0
    for batch in table.to_batches():
        for row in batch.to_pylist():
            number += 1
            given = row.pop("id", None)
            doc_id = _as_string(given) if given is not None else f"{root}:{number}"
            yield record_document(row, doc_id, text_field=text_field)


# -- decoding ----------------------------------------------------------------------------------


def decode_bytes(
    data: bytes, *, html: bool = False, declared: str | None = None
) -> tuple[str, str | None]:
    """Decode a document's bytes: ``(text, codec)``, codec None for UTF-8 and BOM-marked input.

    Order: a UTF-8/16/32 byte-order mark decides (and is dropped); NUL bytes or many control
    bytes mean binary content (:class:`BinaryContent`); valid UTF-8 is UTF-8; then a declared
    charset (HTTP header, or for HTML a ``<meta charset>``) is tried; then Windows-1252 when the
    text is Latin-script and every byte fits it; then charset-normalizer's best guess. Declared
    ``latin-1`` and ``ascii`` are read as Windows-1252, as browsers do. The codec, when there is
    one, is recorded by the callers as a ``decode:<codec>`` fix.

    >>> decode_bytes("naïve".encode("utf-16"))
    ('naïve', None)
    >>> decode_bytes("Le café était très noir, déjà.".encode("cp1252"))
    ('Le café était très noir, déjà.', 'cp1252')
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    Traceback (most recent call last):
    ...
    cleaner.readers.BinaryContent: NUL bytes at byte 8; this is not a text file.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as exc:
                raise BinaryContent(
                    f"the file starts with a {codec} byte-order mark but is not valid {codec} "
                    f"({exc.reason} at byte {exc.start}); re-encode it as UTF-8."
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BinaryContent(f"NUL bytes at byte {nul}; this is not a text file.")
    if data:
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls / len(data) > _MAX_CONTROL_SHARE:
            raise BinaryContent(
                f"{controls} of {len(data)} bytes are control characters; this is not a text file."
            )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if declared is None and html:
        found = _META_CHARSET.search(data[:4096])
        declared = found.group(1).decode("ascii") if found else None
    for candidate in (_known_codec(declared), _cp1252_if_plausible(data)):
        if candidate:
            try:
                return data.decode(candidate), candidate
            except UnicodeDecodeError:
                continue
    import charset_normalizer  # imported when first needed: most inputs are UTF-8

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise BinaryContent("no text encoding fits these bytes; this is not a text file.")
    return str(best), codecs.lookup(best.encoding).name


def _known_codec(name: str | None) -> str | None:
    """Python's name for a declared charset (``latin-1`` read as ``cp1252``), or None."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in _WINDOWS_1252_ALIASES:
        return "cp1252"
    return None if codec == "utf-8" else codec


def _cp1252_if_plausible(data: bytes) -> str | None:
    """``"cp1252"`` when ``data`` reads as Latin-script text in it, else None.

    Plausible: mostly ASCII letters, and every other character a Latin letter or common
    Western punctuation. Cyrillic or Greek code pages fail the first test, Central European
    ones mostly the second (Polish ``ą`` and ``ł`` come out as ``¹`` and ``³``).
    """
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    ascii_letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if non_ascii / max(1, non_ascii + ascii_letters) > _MAX_NON_ASCII_LETTER_SHARE:
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    for char in set(text):
        if char < "\x80" or char in _CP1252_PUNCTUATION:
            continue
        if not (
            unicodedata.category(char).startswith("L") and "LATIN" in unicodedata.name(char, "")
        ):
            return None
    return "cp1252"


def _charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header.

    >>> _charset_of('text/html; charset="ISO-8859-1"')
    'ISO-8859-1'
    """
    if not content_type:
        return None
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return found.group(1) if found else None


__all__ = [
    "COLUMN_FIELDS",
    "BinaryContent",
    "ReadStats",
    "decode_bytes",
    "documents_from_table",
    "file_format",
    "iter_documents",
    "read_file",
    "record_document",
]
