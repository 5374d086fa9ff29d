"""Language identification per document and per paragraph, offline, with py3langid's model.

The model (a naive Bayes classifier over byte n-grams, trained on 97+ languages) ships inside the
``py3langid`` package: nothing is downloaded at run time. py3langid walks its n-gram automaton one
byte at a time in Python (about 3 MB/s); we run the same automaton over every position at once
with NumPy: the automaton's deepest state is 6 bytes long, so the state after any byte is the state
reached by walking the 6 bytes that end there from the start state. The feature counts are then
exactly py3langid's (a test checks this), and the scoring is py3langid's own formula (log-counts
times the model's table, probabilities normalised with its length temperature).

To stay cheap on long documents, identification reads a **sample**: the first
:data:`PREFIX_CHARS` characters of each paragraph (of at most :data:`MAX_PARAGRAPHS` paragraphs
spread evenly over the document). The document's language and confidence come from at most
:data:`DOC_SAMPLE_BYTES` of that sample, taken evenly from every sampled paragraph. The
**main-language share** classifies each paragraph of at least :data:`MIN_PARAGRAPH_CHARS`
characters among the document's :data:`CANDIDATES` most likely languages, and is the share of
those paragraphs' characters that are in the document's language. What it leaves alone: short
paragraphs (titles, captions) are not judged, and languages the model confuses (no/da, hr/sr/bs,
id/ms) can split a document's share.

>>> ident = identifier()
>>> ident.identify("Questo è un articolo scritto in italiano, con frasi complete e chiare.").lang
'it'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

PREFIX_CHARS = 200
MAX_PARAGRAPHS = 24
DOC_SAMPLE_BYTES = 1200
MIN_PARAGRAPH_CHARS = 60
CANDIDATES = 4
_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Identification:
    """The document's language (ISO 639-1 where the code exists, else 639-3), its confidence
    (0..1) and the share of judged paragraph characters in that language."""

    lang: str | None
    score: float | None
    share: float | None


class LanguageIdentifier:
    """py3langid's model with a vectorised feature extractor (load it once per process)."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE
        from py3langid.langid import LanguageIdentifier as Py3LangId

        model = Py3LangId.from_model_file(MODEL_FILE, norm_probs=True)
        nextmove = np.asarray(model.tk_nextmove, dtype=np.int32)
        rowbase = np.asarray(model.tk_row, dtype=np.int32) << 8
        self._nextmove = nextmove
        self._rowbase = rowbase
        self._next_rowbase = rowbase[nextmove]  # flat index -> row of the state it leads to
        self._output = np.asarray(model.tk_output, dtype=np.int32)
        self._ptc = np.asarray(model.nb_ptc, dtype=np.float32)
        self._pc = np.asarray(model.nb_pc, dtype=np.float32)
        self.labels: list[str] = list(model.nb_classes)
        # py3langid folds duplicate labels (script variants of one language) into the first.
        first: dict[str, int] = {}
        self._alias: list[tuple[int, int]] = []
        for i, label in enumerate(self.labels):
            if label in first:
                self._alias.append((first[label], i))
            else:
                first[label] = i
        self._dfa_check()

    def _dfa_check(self) -> None:
        """Fail loudly if a py3langid release changes the automaton's depth."""
        if len(self._rowbase) != len(self._output):
            raise RuntimeError(
                "py3langid's model has an unexpected shape; boilerclean's fast language "
                "identification was written for py3langid 0.4 and must be checked against it."
            )

    def features(self, data: bytes) -> np.ndarray:
        """The model's feature index at each byte of ``data`` that completes one, in order.

        Equal, as a multiset, to what py3langid's byte-by-byte walk visits.
        """
        return self._hits(data)[1]

    def _hits(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(byte positions, feature indices) of the features found in ``data``."""
        b = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
        n = len(b)
        head = []
        state = 0
        for byte in b[: min(n, _DEPTH - 1)].tolist():
            state = int(self._nextmove[self._rowbase[state] + byte])
            head.append(state)
        states = np.asarray(head, dtype=np.int32)
        m = n - _DEPTH + 1
        if m > 0:
            flat = b[:m] + self._rowbase[0]
            for k in range(1, _DEPTH):
                flat = self._next_rowbase[flat]
                flat += b[k : m + k]
            states = np.concatenate((states, self._nextmove[flat]))
        out = self._output[states]
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
        paragraphs = [p for p in map(str.strip, text.split("\n")) if p]
        if not paragraphs:
            return Identification(None, None, None)
        if len(paragraphs) > MAX_PARAGRAPHS:
            step = len(paragraphs) / MAX_PARAGRAPHS
            paragraphs = [paragraphs[int(i * step)] for i in range(MAX_PARAGRAPHS)]
        quota = max(48, DOC_SAMPLE_BYTES // len(paragraphs))
        pieces = [_encode(p[:PREFIX_CHARS])[:quota] for p in paragraphs]
        sample = b"\n".join(pieces)
        bounds = np.cumsum([len(piece) + 1 for piece in pieces])
        positions, feats = self._hits(sample)
        para = np.searchsorted(bounds, positions, side="right")
        probs = self.probabilities(feats, len(sample))
        order = np.argsort(-probs, kind="stable")
        lang_i = int(order[0])
        share = self._share(paragraphs, para, feats, order[:CANDIDATES], lang_i)
        return Identification(self.labels[lang_i], float(probs[lang_i]), share)

    def _share(
        self,
        paragraphs: list[str],
        para: np.ndarray,
        feats: np.ndarray,
        candidates: np.ndarray,
        main: int,
    ) -> float:
        lengths = np.array([len(p) for p in paragraphs], dtype=np.float64)
        judged = lengths >= MIN_PARAGRAPH_CHARS
        if not judged.any():
            return 1.0
        keep = judged[para]
        para, feats = para[keep], feats[keep]
        if not len(feats):
            return 1.0
        nfeat = len(self._ptc)
        keys, counts = np.unique(para.astype(np.int64) * nfeat + feats, return_counts=True)
        rows, cols = keys // nfeat, keys % nfeat
        weights = np.log1p(counts.astype(np.float32))
        scores = np.empty((len(paragraphs), len(candidates)), dtype=np.float32)
        for j, cand in enumerate(candidates.tolist()):
            contrib = self._ptc[cols, cand] * weights
            scores[:, j] = np.bincount(rows, weights=contrib, minlength=len(paragraphs))
        scores += self._pc[candidates]
        winners = candidates[scores.argmax(axis=1)]
        labels = np.array(self.labels, dtype=object)
        same = (labels[winners] == self.labels[main]) & judged
        return float(lengths[same].sum() / lengths[judged].sum())


def _encode(text: str) -> bytes:
    """py3langid's input normalisation: lowercase an all-caps text, UTF-8."""
    if text.isupper():
        text = text.lower()
    return text.encode("utf-8", errors="surrogatepass")


@cache
def identifier() -> LanguageIdentifier:
    """The process's identifier (loading the model takes about a second)."""
    return LanguageIdentifier()
