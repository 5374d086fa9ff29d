"""Language identification per document and per paragraph, offline, with py3langid's model.

The model (a naive Bayes classifier over byte n-grams, trained on 97+ languages) ships inside the
``py3langid`` package: nothing is downloaded at run time. py3langid walks its n-gram automaton one
byte at a time in Python (about 3 MB/s); we run the same automaton over every position at once
with NumPy: the automaton's deepest state is 6 bytes long, so the state after any byte is the state
reached by walking the 6 bytes that end there from the start state (the table is stored as the
16-bit row and the feature each (row, byte) leads to, and the first two bytes are one lookup in a
64K table). The feature counts are then exactly py3langid's (a test checks this), and the scoring
is py3langid's own formula (log-counts times the model's table, probabilities normalised with its
length temperature), computed with the same NumPy operations as for one document, so a batch gives
bit for bit the same languages, confidences and shares.

:meth:`LanguageIdentifier.identify_batch` reads a batch of documents as one byte string: each
document's sample is followed by the byte 0xFF, which never occurs in UTF-8 and sends every state
of the automaton back to the start, so each document is read as if alone.

To stay cheap on long documents, identification reads a **sample**: the first
:data:`PREFIX_CHARS` characters of each paragraph (of at most :data:`MAX_PARAGRAPHS` paragraphs
spread evenly over the document). The document's language and confidence come from at most
:data:`DOC_SAMPLE_BYTES` of that sample, taken evenly from every sampled paragraph. The
**main-language share** classifies each paragraph of at least :data:`MIN_PARAGRAPH_CHARS`
characters among the document's :data:`CANDIDATES` most likely languages, and is the share of
those paragraphs' characters that are in the document's language. What it leaves alone: short
paragraphs (titles, captions) are not judged, and languages the model confuses (no/da, hr/sr/bs,
id/ms) can split a document's share.

Building the automaton's tables from the compressed model costs about 0.6 CPU s, so the first
process keeps them (116 MB of ``.npy`` files) in a cache folder (``$BOILERCLEAN_CACHE``, else
``$XDG_CACHE_HOME/boilerclean`` or ``~/.cache/boilerclean``; ``BOILERCLEAN_CACHE=off`` turns
it off) and later ones read them in about 0.07 CPU s. The tables are the same either way.

>>> ident = identifier()
>>> ident.identify("Questo è un articolo scritto in italiano, con frasi complete e chiare.").lang
'it'
"""

from __future__ import annotations

import io
import lzma
import math
import os
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

PREFIX_CHARS = 200
MAX_PARAGRAPHS = 24
DOC_SAMPLE_BYTES = 1200
MIN_PARAGRAPH_CHARS = 60
CANDIDATES = 4
_DEPTH = 6
_FEATURE_BITS = 17  # the model has 100,053 features
_FEATURE_MASK = (1 << _FEATURE_BITS) - 1
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_RESET = b"\xff"  # never in UTF-8; every state of the automaton goes back to the start on it


@dataclass(frozen=True, slots=True)
class Identification:
    """The document's language (ISO 639-1 where the code exists, else 639-3), its confidence
    (0..1) and the share of judged paragraph characters in that language."""

    lang: str | None
    score: float | None
    share: float | None


class LanguageIdentifier:
    """py3langid's model with a vectorised feature extractor (load it once per process)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        tables = _cached_tables(cache_dir if cache_dir is not None else _cache_dir())
        self._start_row = int(tables["start_row"][0])
        self._next_row = tables["next_row"]
        self._next_out = tables["next_out"]
        self._pair_row = tables["pair_row"]
        self._ptc = tables["ptc"]
        self._pc = tables["pc"]
        self.labels: list[str] = [str(label) for label in tables["labels"].tolist()]
        # py3langid folds duplicate labels (script variants of one language) into the first.
        first: dict[str, int] = {}
        self._alias: list[tuple[int, int]] = []
        for i, label in enumerate(self.labels):
            if label in first:
                self._alias.append((first[label], i))
            else:
                first[label] = i
        canonical = {label: i for i, label in reversed(list(enumerate(self.labels)))}
        self._canonical = np.array([canonical[label] for label in self.labels], dtype=np.intp)

    @staticmethod
    def _dfa_check(nextmove: np.ndarray, rows: np.ndarray, output: np.ndarray) -> None:
        """Fail loudly if a py3langid release changes the automaton's shape."""
        if (
            len(rows) != len(output)
            or rows.max() >= 1 << 16
            or nextmove.max() >= len(rows)
            or output.max() > _FEATURE_MASK
        ):
            raise RuntimeError(
                "py3langid's model has an unexpected shape; boilerclean's fast language "
                "identification was written for py3langid 0.4 and must be checked against it."
            )
        if np.any(nextmove[(np.unique(rows) << 8) + _RESET[0]] != 0):
            raise RuntimeError(
                "py3langid's model reads the byte 0xFF: boilerclean's batched language "
                "identification needs it to reset the automaton and must be checked against it."
            )

    def features(self, data: bytes) -> np.ndarray:
        """The model's feature index at each byte of ``data`` that completes one, in order.

        Equal, as a multiset, to what py3langid's byte-by-byte walk visits.
        """
        return self._hits(data)[1]

    def _hits(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(byte positions, feature indices) of the features found in ``data``."""
        m = len(data)
        if not m:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int32)
        # After _DEPTH - 1 reset bytes every position has a full window of _DEPTH bytes, and a
        # window that reaches back into the resets is walked from the start state, as it must.
        padded = _RESET * (_DEPTH - 1) + data
        b = np.frombuffer(padded, dtype=np.uint8)
        # The row after the first two bytes of each window, from a 64K-entry table.
        pairs = np.ndarray((m,), dtype=">u2", buffer=padded, strides=(1,))
        rows = self._pair_row[pairs]
        for k in range(2, _DEPTH):
            flat = rows.astype(np.int32) << 8
            flat += b[k : m + k]
            if k < _DEPTH - 1:
                rows = self._next_row[flat]
        out = self._next_out[flat]
        positions = np.flatnonzero(out >= 0)
        return positions, out[positions]

    def _fold(self, scores: np.ndarray, probs: bool) -> np.ndarray:
        for i, j in self._alias:
            if probs:
                scores[..., i] += scores[..., j]
                scores[..., j] = 0.0
            else:
                scores[..., i] = np.maximum(scores[..., i], scores[..., j])
                scores[..., j] = -np.inf
        return scores

    def probabilities(self, feats: np.ndarray, nbytes: int) -> np.ndarray:
        """py3langid's normalised probabilities for a text whose features are ``feats``."""
        if not len(feats):
            return np.full(len(self.labels), 1.0 / len(self.labels), dtype=np.float32)
        idx, counts = np.unique(feats, return_counts=True)
        scores = np.log1p(counts.astype(np.float32)) @ self._ptc[idx] + self._pc
        scores *= 1.0 / math.sqrt(nbytes or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        return self._fold(scores, probs=True)

    def classify(self, text: str) -> tuple[str, float]:
        """``(language, confidence)`` for a whole text, as py3langid would give it.

        >>> identifier().classify("Der schnelle braune Fuchs springt über den faulen Hund.")[0]
        'de'
        """
        data = _encode(text)
        probs = self.probabilities(self.features(data), len(data))
        i = int(probs.argmax())
        return self.labels[i], float(probs[i])

    def identify(self, text: str) -> Identification:
        """Language, confidence and main-language share of ``text`` (see the module doc)."""
        return self.identify_batch([[p for p in map(str.strip, text.split("\n")) if p]])[0]

    def identify_batch(self, documents: Sequence[list[str]]) -> list[Identification]:
        """:meth:`identify` for a batch of documents, each given as its non-empty stripped lines.

        The samples of all documents are joined, separated by a byte that sends the automaton
        back to its start (so each document is read as if alone), and scored together.
        """
        sample = _Sample(documents)
        if not sample.paragraphs:
            return [Identification(None, None, None)] * len(documents)
        positions, feats = self._hits(sample.data)
        para = sample.paragraph_of_bytes()[positions]
        doc = sample.para_doc[para]
        keys, counts = _pair_counts(doc, feats)
        probs = self._doc_probabilities(keys >> _FEATURE_BITS, keys & _FEATURE_MASK, counts, sample)
        order = np.argsort(-probs, axis=1, kind="stable")
        main = order[:, 0]
        shares = self._shares(sample, para, feats, order[:, :CANDIDATES], main)
        best = np.take_along_axis(probs, main[:, None], axis=1)[:, 0].tolist()
        labels = self.labels
        return [
            Identification(labels[i], score, share) if has else Identification(None, None, None)
            for has, i, score, share in zip(
                sample.has, main.tolist(), best, shares.tolist(), strict=True
            )
        ]

    def _doc_probabilities(
        self, rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, sample: _Sample
    ) -> np.ndarray:
        """:meth:`probabilities` of every document of the batch, one row each, from the count of
        each (document, feature) pair (``rows`` are the documents, ``cols`` the features)."""
        ndocs = len(sample.has)
        weights = np.log1p(counts.astype(np.float32))
        cuts = np.searchsorted(rows, np.arange(ndocs + 1)).tolist()
        scores = np.zeros((ndocs, len(self.labels)), dtype=np.float32)
        rows_of = np.empty((max(np.diff(cuts), default=0), len(self.labels)), dtype=np.float32)
        for d in range(ndocs):
            a, b = cuts[d], cuts[d + 1]
            if a < b:
                # mode="clip" (the indices are valid) lets take write into rows_of unbuffered
                np.take(self._ptc, cols[a:b], axis=0, out=rows_of[: b - a], mode="clip")
                np.matmul(weights[a:b], rows_of[: b - a], out=scores[d])
        scores += self._pc
        scores *= sample.scale[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        self._fold(scores, probs=True)
        empty = np.diff(cuts) == 0
        scores[empty] = np.float32(1.0 / len(self.labels))  # no feature at all: uniform, unfolded
        return scores

    def _shares(
        self,
        sample: _Sample,
        para: np.ndarray,
        feats: np.ndarray,
        candidates: np.ndarray,
        main: np.ndarray,
    ) -> np.ndarray:
        """Per document: the share of judged paragraph characters in the document's language."""
        ndocs = len(sample.has)
        lengths = sample.lengths
        judged = lengths >= MIN_PARAGRAPH_CHARS
        keep = judged[para]
        para, feats = para[keep], feats[keep]
        share = np.ones(ndocs, dtype=np.float64)
        if not len(feats):
            return share
        keys, counts = _pair_counts(para, feats)
        rows, cols = keys >> _FEATURE_BITS, keys & _FEATURE_MASK
        weights = np.log1p(counts.astype(np.float32))
        para_cands = candidates[sample.para_doc].astype(np.int32)  # (paragraphs, CANDIDATES)
        npara = len(lengths)
        # rows are sorted: repeating each paragraph's candidates is para_cands[rows], faster
        heads = np.flatnonzero(np.diff(rows, prepend=-1))
        flat = np.repeat(para_cands[rows[heads]], np.diff(np.append(heads, len(rows))), axis=0)
        flat += (cols.astype(np.int32) * len(self.labels))[:, None]  # < 2**31: 14.2M cells
        contrib = np.take(self._ptc.ravel(), flat)
        contrib *= weights[:, None]
        # Each sum is exact in float64 (see the module doc), so any grouping gives the same.
        summed = np.zeros((npara, candidates.shape[1]), dtype=np.float64)
        summed[rows[heads]] = np.add.reduceat(contrib.astype(np.float64), heads, axis=0)
        scores = summed.astype(np.float32)
        scores += self._pc[para_cands]
        winners = np.take_along_axis(para_cands, scores.argmax(axis=1)[:, None], axis=1)[:, 0]
        same = (self._canonical[winners] == self._canonical[main[sample.para_doc]]) & judged
        weights_judged = np.where(judged, lengths, 0.0)
        total = np.bincount(sample.para_doc, weights=weights_judged, minlength=ndocs)
        inside = np.bincount(sample.para_doc, weights=np.where(same, lengths, 0.0), minlength=ndocs)
        with_feats = np.zeros(ndocs, dtype=bool)
        with_feats[sample.para_doc[rows]] = True
        scored = with_feats & (total > 0)
        share[scored] = inside[scored] / total[scored]
        return share


def _pair_counts(groups: np.ndarray, feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (group, feature) pairs, sorted, packed as ``group << _FEATURE_BITS | feature``,
    and how often each occurs."""
    keys = (groups.astype(np.int64) << _FEATURE_BITS) | feats
    keys.sort()
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    heads = np.flatnonzero(new)
    return keys[heads], np.diff(np.append(heads, len(keys)))


class _Sample:
    """The bytes language identification reads for a batch of documents (see the module doc)."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        datas: list[bytes] = []
        pieces: list[bytes] = []
        chosen: list[str] = []  # the sampled paragraphs of every document, in order
        counts: list[int] = []
        self.has = [bool(paragraphs) for paragraphs in documents]
        scale: list[float] = []
        for paragraphs in documents:
            if not paragraphs:
                counts.append(0)
                scale.append(1.0)
                continue
            if len(paragraphs) > MAX_PARAGRAPHS:
                step = len(paragraphs) / MAX_PARAGRAPHS
                paragraphs = [paragraphs[int(i * step)] for i in range(MAX_PARAGRAPHS)]
            quota = max(48, DOC_SAMPLE_BYTES // len(paragraphs))
            mine = [
                (q.lower() if (q := p[:PREFIX_CHARS]).isupper() else q).encode(
                    "utf-8", "surrogatepass"
                )[:quota]
                for p in paragraphs
            ]  # _encode, inlined
            data = b"\n".join(mine)
            pieces += mine
            chosen += paragraphs
            counts.append(len(paragraphs))
            datas.append(data)
            scale.append(1.0 / math.sqrt(len(data) or 1))
        # Each document's sample ends with _RESET, and the whole starts with one.
        self.data = _RESET + b"".join(data + _RESET for data in datas)
        self.paragraphs = len(pieces)
        sizes = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)) + 1
        self.sizes = sizes  # bytes of each sampled paragraph with the byte after it
        self.lengths = np.fromiter(map(len, chosen), dtype=np.float64, count=len(chosen))
        self.para_doc = np.repeat(np.arange(len(documents)), counts)
        self.scale = np.array(scale, dtype=np.float32)

    def paragraph_of_bytes(self) -> np.ndarray:
        """Per byte of :attr:`data`: the index of the sampled paragraph it belongs to (a
        paragraph owns the separator after it; the leading reset byte belongs to the first)."""
        owner = np.empty(len(self.data), dtype=np.intp)
        owner[: len(_RESET)] = 0
        owner[len(_RESET) :] = np.repeat(np.arange(len(self.sizes)), self.sizes)
        return owner


def _build_tables(model: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The identifier's tables, worked out from py3langid's model arrays.

    One table entry per (row, byte): the row of the state it leads to (16 bits: half the memory
    of a state table) and that state's feature, so the walk never looks states up; the row after
    any two bytes from the start; the model's class scores as float32.
    """
    nextmove = model["nextmove"]
    rows = model["nextmove_row"].astype(np.int32)
    output = model["out_feat"]
    LanguageIdentifier._dfa_check(nextmove, rows, output)
    start_row = int(rows[0])
    next_row = model["nextmove_row"][nextmove]  # uint16, checked above
    one = next_row[(start_row << 8) + np.arange(256)].astype(np.int32)
    return {
        "start_row": np.array([start_row], dtype=np.int64),
        "next_row": next_row,
        "next_out": output[nextmove],
        "pair_row": next_row[((one << 8)[:, None] + np.arange(256)).ravel()],
        "ptc": model["ptc"].astype(np.float32),
        "pc": model["pc"].astype(np.float32),
        "labels": np.asarray(model["classes"]),
    }


_CACHE_FORMAT = 1  # raise when _build_tables changes


def _cache_dir() -> Path | None:
    """Where the built tables are kept between processes: ``$BOILERCLEAN_CACHE`` (``off``: not
    kept), else ``$XDG_CACHE_HOME/boilerclean``, else ``~/.cache/boilerclean``."""
    setting = os.environ.get("BOILERCLEAN_CACHE")
    if setting:
        return None if setting == "off" else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return (Path(base) if base else Path.home() / ".cache") / "boilerclean"
    except RuntimeError:  # no home directory: nothing is kept
        return None


def _cached_tables(folder: Path | None) -> dict[str, np.ndarray]:
    """The identifier's tables, read from ``folder`` when a previous process kept them there for
    this very model file (its size and modification time name the entry), else built from the
    model (decompressing it costs about 0.5 CPU s; reading the kept tables about 0.05 s) and
    kept there. A folder that cannot be read or written only costs that time: the tables are
    the same either way."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    model_path = MODEL_DIR / MODEL_FILE
    if folder is not None:
        stat = model_path.stat()
        entry = folder / f"langid-{_CACHE_FORMAT}-{stat.st_size}-{stat.st_mtime_ns}"
        try:
            return {name: np.load(entry / f"{name}.npy") for name in _TABLES}
        except (OSError, ValueError):
            pass
    tables = _build_tables(_load_model())
    if folder is not None:
        _keep(entry, tables)
    return tables


_TABLES = ("start_row", "next_row", "next_out", "pair_row", "ptc", "pc", "labels")


def _keep(entry: Path, tables: dict[str, np.ndarray]) -> None:
    """Write ``tables`` as ``entry/<name>.npy``, all or nothing (a folder renamed into place)."""
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        temporary.mkdir(parents=True, exist_ok=True)
        for name in _TABLES:
            np.save(temporary / f"{name}.npy", tables[name], allow_pickle=False)
        temporary.rename(entry)
    except OSError:  # read-only, full, or another process kept it first
        shutil.rmtree(temporary, ignore_errors=True)


def _load_model() -> dict[str, np.ndarray]:
    """The arrays of py3langid's model file (an LZMA-compressed ``.npz``), read directly.

    This is what ``py3langid.langid.LanguageIdentifier.from_model_file`` reads, without the
    Python lists and arrays it builds for its own byte-by-byte walk (which we do not use):
    decompressing is then the only real cost.
    """
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path = MODEL_DIR / MODEL_FILE
    try:
        raw = lzma.decompress(path.read_bytes())
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return {name: _npz_member(raw, archive.getinfo(f"{name}.npy")) for name in _ARRAYS}
    except (OSError, KeyError, ValueError, lzma.LZMAError, zipfile.BadZipFile) as exc:
        raise RuntimeError(
            f"cannot read py3langid's model {path} ({exc}); boilerclean's language "
            "identification was written for py3langid 0.4: reinstall it (pip install "
            "'py3langid>=0.4,<0.5')."
        ) from exc


def _npz_member(raw: bytes, info: zipfile.ZipInfo) -> np.ndarray:
    """The array stored (uncompressed, as ``np.savez`` writes it) in the member ``info`` of the
    ``.npz`` archive ``raw``, as a read-only view into ``raw``: no copy of the 68 MB model."""
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{info.filename} is compressed")
    local = info.header_offset
    names = int.from_bytes(raw[local + 26 : local + 28], "little")
    extra = int.from_bytes(raw[local + 28 : local + 30], "little")
    start = local + 30 + names + extra
    header = io.BytesIO(raw[start : start + 4096])
    version = np.lib.format.read_magic(header)
    if version != (1, 0):
        raise ValueError(f"{info.filename} has .npy format {version}")
    shape, fortran, dtype = np.lib.format.read_array_header_1_0(header)
    if fortran or dtype.hasobject:
        raise ValueError(f"{info.filename} is not a plain C-ordered array")
    count = math.prod(shape)
    array = np.frombuffer(raw, dtype=dtype, count=count, offset=start + header.tell())
    return array.reshape(shape)


def _encode(text: str) -> bytes:
    """py3langid's input normalisation: lowercase an all-caps text, UTF-8."""
    if text.isupper():
        text = text.lower()
    return text.encode("utf-8", errors="surrogatepass")


@cache
def identifier() -> LanguageIdentifier:
    """The process's identifier: about 0.07 CPU s when the tables are kept in the cache folder
    (see :func:`_cached_tables`), about 0.6 CPU s (mostly LZMA) the first time."""
    return LanguageIdentifier()
