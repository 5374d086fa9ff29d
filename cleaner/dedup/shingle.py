"""Normalisation, shingles and MinHash signatures, vectorised over many paragraphs at once.

What a paragraph looks like to dedup: case is folded (``str.casefold`` per character), every decimal
digit counts as ``0``, and the text is cut into *tokens*: runs of letters, marks and numbers, where
each character of a script written without spaces (Han, kana, Bopomofo, Thai, Lao, Khmer, Myanmar)
is a token of its own. Punctuation, symbols and white space only separate tokens. So one rule gives
word n-grams for space-separated scripts and character n-grams for the others, and two paragraphs
that differ only in case, spacing, digits or punctuation have the same tokens: an *exact* duplicate.

Nothing here loops in Python per character, token or shingle. The text of a whole batch becomes one
array of code points; one lookup in a packed table gives each its folded value and class; a
polynomial hash over the array (wrapping uint64 arithmetic) gives each token's hash from two prefix
sums; ``ngram`` consecutive token hashes combine into a shingle hash. The 32-bit shingle hashes then
go through datasketch's ``affine32`` scheme exactly (MurmurHash3 ``fmix32``, then ``a * h + b mod
2**32`` with datasketch's own permutation parameters for the seed), one permutation at a time over
all shingles of the batch, with a minimum per paragraph. A signature is therefore the
``hashvalues`` of ``datasketch.MinHash(num_perm, seed=seed, scheme="affine32")`` updated with
these shingle hashes (:func:`lean_minhash` builds that object; a test checks the equality).

It deliberately leaves alone: stemming, stop words, transliteration, and Unicode normalisation
beyond case folding (repair already applied NFC).

>>> normalise("Hello,  World! It's 2024.")
'hello world it s 0000'
>>> normalise("東京タワー is tall")
'東 京 タ ワ ー is tall'
>>> s = Shingler(num_perm=16, ngram=2, seed=1)
>>> batch = s.batch(["The cat sat.", "the CAT  sat!", "A dog ran."])
>>> bool((batch.signatures[0] == batch.signatures[1]).all())
True
>>> bool(batch.hashes[0] == batch.hashes[1])
True
>>> float((batch.signatures[0] == batch.signatures[2]).mean())
0.0
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

_U64 = np.uint64
_MASK64 = (1 << 64) - 1
# Base of the polynomial code-point hash (odd, so that it is invertible modulo 2**64).
_POLY = 0x9E3779B97F4A7C15 * 0x100000001B3 & _MASK64 | 1
_POLY_INV = pow(_POLY, -1, 1 << 64)
_LEN_SALT = _U64(0xD6E8FEB86659FD93)
# Multipliers that combine the token hashes of one shingle (odd, fixed).
_MIX = np.array(
    [(0x2545F4914F6CDD1D * (2 * i + 1) + 0x632BE59BD9B4E019 * i) & _MASK64 | 1 for i in range(64)],
    dtype=np.uint64,
)

# Character classes.
SEP, WORD, SPACELESS, DIGIT, NEWLINE = 0, 1, 2, 3, 4

#: Code point ranges of scripts written without spaces: each letter or mark there is a token.
SPACELESS_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # ideographic iteration and number marks
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3038, 0x303B),
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo extended
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAA7F),  # Myanmar extended-A
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _category_class(cp: int) -> int:
    char = chr(cp)
    if char == "\n":
        return NEWLINE
    cat = unicodedata.category(char)
    if cat[0] not in "LMN":
        return SEP
    if any(lo <= cp <= hi for lo, hi in SPACELESS_RANGES):
        return SPACELESS
    return DIGIT if cat == "Nd" else WORD


@lru_cache(maxsize=1)
def _bmp_table() -> np.ndarray:
    """:func:`_category_class` of every code point below 0x10000, built in one pass: the
    two-letter categories of all code points are read as one byte array."""
    cats = "".join(map(unicodedata.category, _bmp_chars())).encode("ascii")
    pairs = np.frombuffer(cats, dtype=np.uint8).reshape(-1, 2)
    major, minor = pairs[:, 0], pairs[:, 1]
    word = (major == ord("L")) | (major == ord("M")) | (major == ord("N"))
    table = np.where(word, np.uint8(WORD), np.uint8(SEP))
    table[(major == ord("N")) & (minor == ord("d"))] = DIGIT
    for lo, hi in SPACELESS_RANGES:
        part = table[lo : min(hi, 0xFFFF) + 1]
        part[part != SEP] = SPACELESS
    table[ord("\n")] = NEWLINE
    return table


@lru_cache(maxsize=1)
def _bmp_chars() -> list[str]:
    return list(map(chr, range(1 << 16)))


def classify(cps: np.ndarray) -> np.ndarray:
    """The character class of each code point (uint32 array) as a uint8 array."""
    table = _bmp_table()
    astral = cps >= 0x10000
    if not astral.any():
        return table[cps]
    out = table[np.where(astral, 0, cps)]
    for cp in np.unique(cps[astral]).tolist():
        out[cps == cp] = _category_class(cp)
    return out


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as dedup sees them (a readable form of what :class:`Shingler` hashes).

    >>> tokens("Ünïcode—TEXT, v2.0")
    ['ünïcode', 'text', 'v0', '0']
    """
    cps = _code_points(text)
    cls = classify(cps)
    start, end = _token_bounds(cls)
    cps = np.where(cls == DIGIT, ord("0"), cps)
    return ["".join(map(chr, cps[s:e].tolist())) for s, e in zip(start, end, strict=True)]


def normalise(text: str) -> str:
    """The normalised text: tokens joined by single spaces (two texts with the same normalised
    text are exact duplicates)."""
    return " ".join(tokens(text))


def fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer (a bijection that mixes every bit), on a uint64 array."""
    x = x ^ (x >> _U64(33))
    x = x * _U64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> _U64(33))
    x = x * _U64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> _U64(33))


def fmix32(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch's ``affine32`` scheme applies it."""
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x85EBCA6B)
    x = x ^ (x >> np.uint32(13))
    x = x * np.uint32(0xC2B2AE35)
    return x ^ (x >> np.uint32(16))


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's ``affine32`` permutation parameters ``(a, b)`` for ``num_perm`` and ``seed``.

    The same draws as ``datasketch.MinHash(num_perm, seed=seed, scheme="affine32").permutations``
    (a test checks it), without importing datasketch: its import pulls in scipy, two seconds in
    every worker process.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def lean_minhash(signature: np.ndarray, seed: int) -> Any:
    """The ``datasketch.LeanMinHash`` of a signature (for interoperation; not used on the hot path).

    >>> s = Shingler(num_perm=8, seed=3)
    >>> lean_minhash(s.batch(["one two three"]).signatures[0], seed=3).jaccard(
    ...     lean_minhash(s.batch(["One, two; three!"]).signatures[0], seed=3))
    1.0
    """
    from datasketch import LeanMinHash, MinHash

    return LeanMinHash(
        MinHash(num_perm=len(signature), seed=seed, hashvalues=signature, scheme="affine32")
    )


@dataclass
class Batch:
    """Hashes of a batch of paragraphs: one row per paragraph.

    ``tokens`` is the number of tokens (a paragraph with none has no shingle; its signature is all
    ``0xFFFFFFFF``, datasketch's empty value, and its hash is 0), ``hashes`` the 64-bit hash of the
    token sequence (exact duplicates), ``signatures`` the MinHash signatures, and ``shingles`` the
    set of 32-bit shingle hashes of each paragraph (sorted, distinct), paragraph ``i`` holding
    ``shingles[offsets[i]:offsets[i + 1]]``: dedup verifies LSH candidates with their Jaccard.
    """

    tokens: np.ndarray  # int64 [m]
    hashes: np.ndarray  # uint64 [m]
    signatures: np.ndarray  # uint32 [m, num_perm]
    shingles: np.ndarray  # uint32 [total]
    offsets: np.ndarray  # int64 [m + 1]


class Shingler:
    """Computes :class:`Batch` hashes for lists of paragraph texts; deterministic in every process.

    ``ngram`` tokens make a shingle; a paragraph with fewer tokens is one shingle of all of them.
    """

    def __init__(self, num_perm: int = 128, ngram: int = 5, seed: int = 1):
        if num_perm < 2 or not 1 <= ngram <= len(_MIX):
            raise ValueError(
                f"dedup needs at least 2 permutations and an n-gram size from 1 to {len(_MIX)} "
                f"(got num_perm={num_perm}, ngram={ngram}); set --dedup-num-perm / --dedup-ngram."
            )
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.a, self.b = permutations(num_perm, seed)
        _bmp_values()  # the lookup table, built once per process, here rather than in a batch
        self._pow = np.ones(1, dtype=np.uint64)
        self._ipow = np.ones(1, dtype=np.uint64)
        self._sums = np.zeros(1, dtype=np.uint64)

    def _geometric_sums(self, sizes: np.ndarray) -> np.ndarray:
        """``1 + P + ... + P**(size - 1)`` modulo 2**64 for each of ``sizes`` (P: :data:`_POLY`)."""
        top = int(sizes.max()) + 1 if len(sizes) else 1
        if len(self._sums) < top:
            pw, _ = self._powers(top)
            self._sums = np.zeros(top, dtype=np.uint64)
            np.cumsum(pw[: top - 1], out=self._sums[1:])
        return self._sums[sizes]

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self._pow) < n:
            size = max(n, 2 * len(self._pow))
            self._pow = _geometric(_POLY, size)
            self._ipow = _geometric(_POLY_INV, size)
        return self._pow[:n], self._ipow[:n]

    def batch(self, texts: list[str]) -> Batch:
        """Hash the paragraphs ``texts`` (a newline inside one is read as a space)."""
        m = len(texts)
        packed, kind = _packed("\n".join(t.replace("\n", " ") for t in texts))
        n = len(packed)
        start, end = _kind_bounds(kind)
        # Paragraph i ends at the i-th newline of the joined text: its tokens lie before it.
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=m)
        newlines = np.cumsum(lengths + 1) - 1
        first = np.zeros(m, dtype=np.int64)
        first[1:] = np.searchsorted(start, newlines[:-1])
        counts = np.diff(first, append=np.int64(len(start)))
        para_of = np.repeat(np.arange(m, dtype=np.int64), counts)

        pw, ipw = self._powers(n + 1)
        prefix = np.empty(n + 1, dtype=np.uint64)
        prefix[0] = 0
        np.multiply(packed, pw[:n], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        size = end - start
        # Each character of a token carries the token's class (WORD, or SPACELESS for a token
        # of one character) in bits 24 and up: taking out ``class << 24`` times 1 + P + ... +
        # P**(size - 1) leaves the polynomial of the values (no pass over the text masks them).
        carried = (kind[start].astype(np.uint64) << _U64(24)) * self._geometric_sums(size)
        token_hash = fmix64(
            ((prefix[end] - prefix[start]) * ipw[start] - carried)
            ^ size.astype(np.uint64) * _LEN_SALT
        )

        owner, shingles = self._shingles(token_hash, para_of, counts, first)
        # The distinct 32-bit shingle hashes of each paragraph, sorted: one sort of owner|hash.
        packed = distinct((owner.astype(np.uint64) << _U64(32)) | (fmix64(shingles) >> _U64(32)))
        owner = (packed >> _U64(32)).astype(np.int64)
        sets = (packed & _U64(0xFFFFFFFF)).astype(np.uint32)
        offsets = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=m), out=offsets[1:])
        signatures = self._minhash(fmix32(sets), owner, m)

        # Exact hash: a polynomial over the paragraph's token hashes (the same prefix-sum trick).
        t = len(token_hash)
        tpw, tipw = self._powers(t + 1)
        tprefix = np.zeros(t + 1, dtype=np.uint64)
        np.cumsum(token_hash * tpw[:t], out=tprefix[1:])
        last = first + counts
        folded = (tprefix[last] - tprefix[first]) * tipw[np.minimum(first, t)]
        hashes = fmix64(folded ^ counts.astype(np.uint64) * _LEN_SALT)
        hashes[hashes == 0] = 1
        hashes[counts == 0] = 0
        return Batch(counts, hashes, signatures, sets, offsets)

    def _shingles(
        self, token_hash: np.ndarray, para_of: np.ndarray, counts: np.ndarray, first: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(owner paragraph, 64-bit hash)`` of every shingle, grouped by paragraph in order."""
        k = self.ngram
        t = len(token_hash)
        if t >= k:
            span = t - k + 1
            ok = para_of[k - 1 :] == para_of[:span]
            combined = np.zeros(span, dtype=np.uint64)
            for j in range(k):
                combined += token_hash[j : j + span] * _MIX[j]
            full_owner, full = para_of[:span][ok], combined[ok]
        else:
            full_owner = full = np.zeros(0, dtype=np.uint64)
        short = np.flatnonzero((counts > 0) & (counts < k))
        if not len(short):
            return full_owner.astype(np.int64), full
        short_hash = np.zeros(len(short), dtype=np.uint64)
        for j in range(int(counts[short].max())):
            live = counts[short] > j
            short_hash[live] += token_hash[first[short][live] + j] * _MIX[j]
        owner = np.concatenate([full_owner.astype(np.int64), short])
        order = np.argsort(owner, kind="stable")
        return owner[order], np.concatenate([full, short_hash])[order]

    def _minhash(self, hv: np.ndarray, owner: np.ndarray, m: int) -> np.ndarray:
        """The signature of each of ``m`` paragraphs from its permuted shingle hashes ``hv``
        (grouped by paragraph, ``owner[k]`` the paragraph of ``hv[k]``).

        One permutation at a time over all shingles of the batch: ``a * h + b`` with a scalar
        ``a`` and ``b`` runs on contiguous arrays (a broadcast ``(permutations x shingles)``
        product is several times slower in numpy), and a 1-d ``minimum.reduceat`` per
        permutation takes the minimum of each paragraph. The working arrays hold one value per
        shingle, whatever the batch size.
        """
        out = np.full((m, self.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        if not len(hv):
            return out
        starts = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
        mins = np.empty((self.num_perm, len(starts)), dtype=np.uint32)
        part = np.empty(len(hv), dtype=np.uint32)
        for p, (a, b) in enumerate(zip(self.a.tolist(), self.b.tolist(), strict=True)):
            np.multiply(hv, a, out=part)
            np.add(part, b, out=part)
            np.minimum.reduceat(part, starts, out=mins[p])
        out[owner[starts]] = mins.T
        return out


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-d array (``np.unique`` without its slower general path).

    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    out = np.sort(values)
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def _fold_one(cp: int) -> int:
    """The case-folded code point (``casefold``, else ``lower``, when either is one character)."""
    for folded in (chr(cp).casefold(), chr(cp).lower()):
        if len(folded) == 1:
            return ord(folded)
    return cp


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """:func:`_fold_one` of every code point below 0x10000: ``str.casefold`` of each, read as
    one UTF-32 array once the few that fold to several characters are put right."""
    folded = list(map(str.casefold, _bmp_chars()))
    for cp in [cp for cp, f in enumerate(folded) if len(f) != 1]:
        folded[cp] = chr(_fold_one(cp))
    data = "".join(folded).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(data, dtype=np.uint32).copy()


def _code_points(text: str) -> np.ndarray:
    """Case-folded code points of ``text`` (a lookup table: far faster than ``str.casefold``)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    astral = cps >= 0x10000
    if not astral.any():
        return _fold_table()[cps]
    out = _fold_table()[np.where(astral, 0, cps)]
    for cp in np.unique(cps[astral]).tolist():
        out[cps == cp] = _fold_one(cp)
    return out


def _token_bounds(cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(start, end)`` positions of the tokens: runs of word characters, single spaceless ones."""
    word = (cls == WORD) | (cls == DIGIT)
    single = cls == SPACELESS
    n = len(cls)
    prev_word = np.zeros(n, dtype=bool)
    prev_word[1:] = word[:-1]
    next_word = np.zeros(n, dtype=bool)
    next_word[:-1] = word[1:]
    start = np.flatnonzero(single | (word & ~prev_word))
    end = np.flatnonzero(single | (word & ~next_word)) + 1
    return start, end


def _kind_bounds(kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_token_bounds` for the classes of :func:`_values` (a digit is ``WORD`` there).

    The runs of ``WORD`` are the changes of a 0/1 array, which alternate start, end, start, end;
    each spaceless character is a token of its own, both a start and an end.

    >>> [x.tolist() for x in _kind_bounds(np.array([1, 1, 0, 2, 2, 1, 0, 1], dtype=np.uint8))]
    [[0, 3, 4, 5, 7], [2, 4, 5, 6, 8]]
    """
    n = len(kind)
    spaceless = n > 0 and int(kind.max()) >= SPACELESS
    word = (kind == WORD).view(np.int8) if spaceless else kind.view(np.int8)
    edges = np.zeros(n + 1, dtype=np.int8)
    if n:
        edges[0] = word[0]
        np.subtract(word[1:], word[:-1], out=edges[1:-1])
        edges[-1] = -word[-1]
    if not spaceless:
        changes = np.flatnonzero(edges)
        return changes[0::2], changes[1::2]
    single = kind == SPACELESS
    start = np.flatnonzero((edges[:-1] == 1) | single)
    end = np.flatnonzero((edges[1:] == -1) | single) + 1
    return start, end


@lru_cache(maxsize=1)
def _bmp_values() -> np.ndarray:
    """:func:`_values` of every code point below 0x10000, packed as ``class << 24 | value``."""
    value, kind = _value_of(_fold_table())
    return (kind.astype(np.uint32) << np.uint32(24)) | value


def _value_of(folded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hashed value (``0`` for a digit) and class of folded code points: a digit is
    ``WORD`` and a newline ``SEP`` (paragraph ends are known from the text lengths)."""
    cls = classify(folded)
    digit = cls == DIGIT
    value = np.where(digit, np.uint32(ord("0")), folded)
    kind = np.where(digit, np.uint8(WORD), np.where(cls == NEWLINE, np.uint8(SEP), cls))
    return value, kind


def _values(text: str) -> tuple[np.ndarray, np.ndarray]:
    """What the hash sees of each character of ``text``: its case-folded code point with every
    decimal digit as ``0`` (uint32), and its class (uint8: ``SEP``, ``WORD`` or ``SPACELESS``).
    The same as :func:`_code_points`, :func:`classify` and the digit rule in turn, by one
    lookup in a packed table.

    >>> v, k = _values("Ab 7\\n東")
    >>> "".join(map(chr, v.tolist())), k.tolist()
    ('ab 0\\n東', [1, 1, 0, 1, 0, 2])
    """
    packed, kind = _packed(text)
    np.bitwise_and(packed, np.uint32(0xFFFFFF), out=packed)
    return packed, kind


def _packed(text: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_values` as ``class << 24 | value`` (uint32) and the class (uint8)."""
    raw = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table = _bmp_values()
    if not len(raw) or int(raw.max()) < 0x10000:
        packed = table.take(raw, mode="clip")  # clip: no bounds check, every index fits
    else:
        astral = np.flatnonzero(raw >= 0x10000)
        packed = table[np.where(raw >= 0x10000, 0, raw)]
        cps, which = np.unique(raw[astral], return_inverse=True)
        folded = np.array([_fold_one(cp) for cp in cps.tolist()], dtype=np.uint32)
        v, k = _value_of(folded)
        packed[astral] = ((k.astype(np.uint32) << np.uint32(24)) | v)[which]
    return packed, (packed >> np.uint32(24)).astype(np.uint8)


def _geometric(base: int, n: int) -> np.ndarray:
    """``[1, base, base**2, ...]`` modulo 2**64, ``n`` values."""
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)
