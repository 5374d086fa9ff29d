"""Quality signals of cleaned texts: counts, ratios and repetition, right for every script.

The signals are the ones the Gopher, C4 and FineWeb heuristics use (see
``docs/explanation/quality.md`` for each one's source), computed so that they mean the same thing
in every language:

* **Words** are found by script. In scripts written with spaces a word is a run of letters, digits
  and combining marks, with ``-``, ``.`` and ``,`` allowed between two such characters (``e-mail``,
  ``U.S``, ``3,5``); apostrophes split (``l'intelligenza`` is ``l`` + ``intelligenza``, as the
  French and Italian stop-word lists expect). In scripts written without spaces there is no
  dictionary-free word boundary, so the unit is the character: each Han or Hiragana character is
  one word (the convention word processors use for East Asian text), a run of Katakana is one word
  (Unicode's word-boundary rule WB13: Katakana loanwords are written as runs), and in Thai, Lao,
  Khmer and Myanmar each letter with its combining vowel and tone marks is one unit. Thresholds
  that count words are scaled for those languages in :mod:`cleaner.quality.presets`.
* **Lines** are the non-empty lines of the text, stripped; **paragraphs** are blocks separated by
  blank lines (Gopher's definition), so hard-wrapped text has paragraph-level repetition too.
* **Repetition** over n-grams of lowercased words is measured in word characters: ``top_2gram`` is
  the share of word characters covered by the most frequent 2-gram (count times length; 0 when no
  2-gram repeats); ``dup_5gram`` is the share of word characters inside a repeated occurrence of
  any 5-gram (every occurrence after the first; overlaps counted once).

Speed comes from doing the work for a **batch** of texts at once (:func:`batch_signals`): the
texts are tokenized as one array of code points, words become 64-bit hashes, and each n-gram
length costs one sort of the n-grams that can still repeat (an n-gram repeats only where its
(n-1)-gram prefix does), with no Python loop per word; a document's hash salt keeps its n-grams
apart from the other documents'. Line signals are a short Python loop per line. The values are
the same, document by document, whatever the batch. Deliberately left alone: no signal here
rejects anything (that is :mod:`cleaner.quality.presets`), and nothing edits the text.

>>> s = compute_signals("The cat sat on the mat.\\nThe cat sat on the mat.\\n", "en")
>>> s["words"], s["lines"], s["dup_lines"], s["stop_words"]
(12, 2, 0.5, 4)
>>> compute_signals("中文文本。", "zh")["words"]
4
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# Character classes of the tokenizer, as bit flags: RUN characters (letters, digits, marks) extend
# each other into one word, LET ones count as letters.
_RUN, _LET = 1, 2
OTHER = 0
WORDCHAR = _RUN
LETTER = _RUN | _LET
SINGLE = 4 | _LET
KATAKANA = 8 | _LET
SEA_BASE = 16 | _LET
SEA_MARK = 32
JOINER = 64

#: Scripts written without spaces between words (code point ranges, inclusive).
_HAN_KANA_SINGLE = [
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3041, 0x309F),  # Hiragana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x323AF),  # CJK extensions B..H
]
_KATAKANA = [(0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)]
_SEA = [(0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF), (0xAA60, 0xAA7F)]
_JOINERS = "-.,"

#: Languages written without spaces: their stop words are counted as substrings of the text.
NO_SPACE_LANGS = frozenset({"zh", "ja", "th", "lo", "km", "my", "wuu", "yue"})

#: The stop words Gopher checks for (Rae et al. 2021, Appendix A), used for English.
GOPHER_STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")

TERMINAL = frozenset(".!?。！？｡؟۔।॥።፧၊။។៕՜՞;")
CLOSERS = "\"'”’»›」』)]）】〕〉》\u3009"
_BULLETS = frozenset("•●○◦▪▫■□‣⁃∙➢➤►▶✓✔✗❖→·")
_BULLET_PAIRS = frozenset(f"{c} " for c in "-*–+")
_BULLET_FIRST = _BULLETS | {p[0] for p in _BULLET_PAIRS}
_CLOSER_SET = frozenset(CLOSERS)
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t\r\f\v]*\n")
_STOP_DIR = Path(__file__).parent / "stopwords"

#: Names of the repetition signals, in the column order of :func:`repetition_batch`.
REPETITION = [f"top_{n}gram" for n in (2, 3, 4)] + [f"dup_{n}gram" for n in range(5, 11)]


_TABLE_END = 0x20000  # above it only the script ranges below are set (CJK extensions)


def _all_chars() -> str:
    """Every code point below :data:`_TABLE_END`, in order, as one string."""
    return np.arange(_TABLE_END, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def char_table() -> np.ndarray:
    """The tokenizer's class of every code point (built once per process, in C-level passes:
    ``unicodedata.category`` mapped over all code points below :data:`_TABLE_END`)."""
    categories = "".join(map(unicodedata.category, _all_chars())).encode("ascii")
    major = np.frombuffer(categories, dtype=np.uint8)[0::2]
    minor = np.frombuffer(categories, dtype=np.uint8)[1::2]
    table = np.zeros(0x110000, dtype=np.uint8)
    head = table[:_TABLE_END]
    connector = (major == ord("P")) & (minor == ord("c"))  # Pc
    head[(major == ord("N")) | (major == ord("M")) | connector] = WORDCHAR
    head[major == ord("L")] = LETTER
    for a, b in _HAN_KANA_SINGLE:
        table[a : b + 1] = SINGLE
    for a, b in _KATAKANA:
        table[a : b + 1] = KATAKANA
    for a, b in _SEA:
        block = table[a : b + 1]
        marks = major[a : b + 1] == ord("M")
        used = block != OTHER
        block[used & ~marks] = SEA_BASE
        block[used & marks] = SEA_MARK
    table[0xFE00:0xFE10] = OTHER  # variation selectors: not words on their own
    table[0xE0100:0xE01F0] = OTHER
    for ch in _JOINERS:
        table[ord(ch)] = JOINER
    return table


@cache
def lower_class_table() -> np.ndarray:
    """Per code point: its lowercase (``str.lower`` where that is one character) in the low 24
    bits, the tokenizer's class of that lowercase in the high 8."""
    chars = _all_chars()
    lowered = list(map(str.lower, chars))
    sizes = np.fromiter(map(len, lowered), dtype=np.int8, count=len(lowered))
    for cp in np.flatnonzero(sizes != 1).tolist():  # İ lowercases to two characters: kept as is
        lowered[cp] = chars[cp]
    lower = np.arange(0x110000, dtype=np.uint32)
    joined = "".join(lowered).encode("utf-32-le", "surrogatepass")
    lower[:_TABLE_END] = np.frombuffer(joined, dtype=np.uint32)
    return (char_table()[lower].astype(np.uint32) << 24) | lower


# Word hashes are polynomial: sum of code point * R**k over the word's k-th character, taken from
# prefix sums (mod 2**64) and shifted back to the word's start by R's inverse.
_KEEP = 1 << 22  # longest tables kept between batches (32 MB each)
_R = np.uint64(0x9E3779B97F4A7C15)
_R_INV = np.uint64(pow(int(_R), -1, 2**64))
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_GRAM = np.uint64(1_000_003)
_DOC_SALT = np.uint64(0x94D049BB133111EB)


class _Powers:
    """``R**i`` and ``R**-i`` mod 2**64 for i below n, kept between calls up to :data:`_KEEP`
    (a batch longer than that gets its own, so one huge text does not pin memory)."""

    def __init__(self) -> None:
        self.pow, self.inv = self._make(1 << 16)

    @staticmethod
    def _make(size: int) -> tuple[np.ndarray, np.ndarray]:
        power = np.ones(size, dtype=np.uint64)
        inverse = np.ones(size, dtype=np.uint64)
        np.cumprod(np.full(size - 1, _R, dtype=np.uint64), out=power[1:])
        np.cumprod(np.full(size - 1, _R_INV, dtype=np.uint64), out=inverse[1:])
        return power, inverse

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.pow) < n:
            if n > _KEEP:
                return self._make(n)
            self.pow, self.inv = self._make(min(max(n, 2 * len(self.pow)), _KEEP))
        return self.pow[:n], self.inv[:n]


_POWERS = _Powers()


class Tokens:
    """The words of a batch of texts, as arrays over all of them.

    Per word: ``starts``/``ends`` (code point offsets into the texts joined by newlines),
    ``lengths``, ``hashes`` (64-bit, of the lowercased word: equal for equal words in any text)
    and ``has_letter``; ``bounds[d]:bounds[d + 1]`` are the words of text ``d``. Built with array
    operations only: one table lookup gives each code point's lowercase and class (``str.lower``
    does the texts with ``İ``, which lowercases to two characters, or ``Σ``, which depends on
    context), and word hashes come from prefix sums of ``code point * R**i``.

    >>> t = Tokens(["Hello, e-mail 3,5", "l'amico 東京タワー"])
    >>> t.bounds.tolist(), t.lengths.tolist()
    ([0, 3, 8], [5, 6, 3, 1, 5, 1, 1, 3])
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self._doc: np.ndarray | None = None
        self._csum: np.ndarray | None = None
        sizes = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        if any("\u0130" in t or "\u03a3" in t for t in texts):
            # İ lowercases to two characters and Σ by context: let str.lower do those texts.
            texts = [t.lower() if "\u0130" in t or "\u03a3" in t else t for t in texts]
            sizes = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        cps = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
        n = len(cps)
        coded = np.take(lower_class_table(), cps, mode="clip")  # clip: no bounds check needed
        cls = np.zeros(n + 2, dtype=np.uint8)  # OTHER on both sides
        cls[1:-1] = coded.view(np.uint8)[3::4]
        # A joiner between two RUN characters becomes WORDCHAR, any other one OTHER.
        joiner = (cls == JOINER).view(np.uint8)
        inner = cls[:-2] & cls[2:] & joiner[1:-1] & _RUN
        cls ^= joiner * np.uint8(JOINER)  # now OTHER
        cls[1:-1] |= inner
        run = (cls & _RUN).view(bool)
        cont = run[:-1] & run[1:]  # cont[k]: character k continues the word of character k - 1
        if n and cls.max() >= KATAKANA:
            kana = cls == KATAKANA
            mark = cls == SEA_MARK
            cont |= kana[:-1] & kana[1:]
            cont |= (mark | (cls == SEA_BASE))[:-1] & mark[1:]
        word = cls[1:-1] != OTHER
        self.starts = np.flatnonzero(word & ~cont[:-1])
        self.ends = np.flatnonzero(word & ~cont[1:]) + 1
        self.count = len(self.starts)
        self.lengths = self.ends - self.starts
        self.bounds = np.searchsorted(self.starts, offsets)
        self.bounds[-1] = self.count
        if self.count:
            power, inverse = _POWERS.upto(n)
            prefix = np.empty(n + 1, dtype=np.uint64)
            prefix[0] = 0
            # The class bits are a function of the lowercase: hashing them changes nothing.
            np.multiply(coded, power, out=prefix[1:])
            np.cumsum(prefix, out=prefix)
            raw = (prefix[self.ends] - prefix[self.starts]) * inverse[self.starts]
            raw += self.lengths.astype(np.uint64) * _MIX
            raw ^= raw >> np.uint64(31)
            raw *= _MIX
            raw ^= raw >> np.uint64(29)
            self.hashes = raw
            self.has_letter = self._has_letter(cls)
        else:
            self.hashes = np.zeros(0, dtype=np.uint64)
            self.has_letter = np.zeros(0, dtype=bool)

    def _has_letter(self, cls: np.ndarray) -> np.ndarray:
        """Per word: does it hold a letter? A word that starts with one does; only the others
        (numbers, mostly) are read character by character."""
        has = (cls[self.starts + 1] & _LET).astype(bool)
        others = np.flatnonzero(~has)
        if len(others):
            lengths = self.lengths[others]
            firsts = np.zeros(len(others), dtype=np.intp)
            np.cumsum(lengths[:-1], out=firsts[1:])
            inside = np.arange(int(lengths.sum())) - np.repeat(firsts, lengths)
            chars = np.repeat(self.starts[others] + 1, lengths) + inside
            letters = (cls[chars] & _LET).astype(bool)
            has[others] = np.logical_or.reduceat(letters, firsts)
        return has

    def doc_of_words(self) -> np.ndarray:
        """The index of the text each word belongs to (worked out once)."""
        if self._doc is None:
            self._doc = np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))
        return self._doc

    def char_sums(self) -> np.ndarray:
        """Word characters before each word, and in all (``count + 1`` values, worked out once)."""
        if self._csum is None:
            self._csum = np.zeros(self.count + 1, dtype=np.int64)
            np.cumsum(self.lengths, out=self._csum[1:])
        return self._csum


class Words:
    """The words of one text: per word its hash (of the lowercased word), length and whether it
    has a letter (:class:`Tokens` of a single text).

    >>> w = Words("Hello, e-mail 3,5 l'amico 東京タワー")
    >>> w.count, w.lengths.tolist(), w.has_letter.tolist()
    (8, [5, 6, 3, 1, 5, 1, 1, 3], [True, True, False, True, True, True, True, True])
    """

    def __init__(self, text: str) -> None:
        self.tokens = Tokens([text])
        self.count = self.tokens.count
        self.lengths = self.tokens.lengths
        self.hashes = self.tokens.hashes
        self.has_letter = self.tokens.has_letter

    @property
    def chars(self) -> int:
        return int(self.lengths.sum())


class _Grams:
    """N-grams that may repeat: start positions (ascending) and their hashes."""

    def __init__(self, starts: np.ndarray, hashes: np.ndarray) -> None:
        self.starts = starts
        self.hashes = hashes
        self.new = np.zeros(0, dtype=bool)  # set by runs(): where a run starts, in sorted order

    def runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indices sorted by hash then position, where each run of equal hashes starts in that
        order, the run's size). Equal hashes are the same n-gram."""
        m = len(self.hashes)
        bits = max(1, (m - 1).bit_length())
        low = np.uint64((1 << bits) - 1)
        keys = self.hashes & ~low
        keys |= _COUNTER.upto(m)
        keys.sort()
        order = (keys & low).astype(np.intp)
        keys >>= np.uint64(bits)
        new = np.empty(m, dtype=bool)
        new[:1] = True
        np.not_equal(keys[1:], keys[:-1], out=new[1:])
        inside = np.flatnonzero(~new)  # continues the run before it
        if inside.size and not np.array_equal(
            self.hashes[order[inside]], self.hashes[order[inside - 1]]
        ):
            # Two n-grams share the high bits of their hashes: sort on the whole hash instead.
            order = np.argsort(self.hashes, kind="stable")
            ordered = self.hashes[order]
            np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
        self.new = new
        heads = np.flatnonzero(new)
        sizes = np.empty(len(heads), dtype=np.intp)
        np.subtract(heads[1:], heads[:-1], out=sizes[:-1])
        sizes[-1:] = m - heads[-1:]
        return order, heads, sizes


class _Counter:
    """0, 1, 2 ... as uint64, kept between calls."""

    def __init__(self) -> None:
        self.values = np.arange(1 << 16, dtype=np.uint64)

    def upto(self, n: int) -> np.ndarray:
        if len(self.values) < n:
            if n > _KEEP:
                return np.arange(n, dtype=np.uint64)
            self.values = np.arange(min(max(n, 2 * len(self.values)), _KEEP), dtype=np.uint64)
        return self.values[:n]


_COUNTER = _Counter()


def repetition_batch(tokens: Tokens) -> np.ndarray:
    """Gopher's n-gram repetition signals of every text, as shares of word characters: one row
    per text, columns named by :data:`REPETITION` (see the module doc)."""
    texts = len(tokens.bounds) - 1
    out = np.zeros((texts, len(REPETITION)), dtype=np.float64)
    if tokens.count < 2:
        return out
    doc = tokens.doc_of_words()
    room = tokens.bounds[doc + 1] - np.arange(tokens.count)  # words from here to the text's end
    csum = tokens.char_sums()
    total = np.diff(csum[tokens.bounds])
    safe = np.maximum(total, 1)
    salted = tokens.hashes + (doc.astype(np.uint64) + np.uint64(1)) * _DOC_SALT
    valid = room[:-1] >= 2  # a 2-gram starting there stays inside its text
    pairs = salted[:-1] * _GRAM
    pairs += salted[1:]
    grams = _Grams(np.flatnonzero(valid), pairs[valid])
    for n in range(2, 11):
        if n > 2:
            keep = room[grams.starts] >= n
            starts = grams.starts[keep]
            grams = _Grams(starts, grams.hashes[keep] * _GRAM + salted[starts + n - 1])
        if not len(grams.starts):
            break
        order, heads, sizes = grams.runs()
        repeated = sizes > 1
        if not repeated.any():
            break
        if n <= 4:
            first = grams.starts[order[heads[repeated]]]
            chars = csum[first + n] - csum[first]
            best = np.zeros(texts, dtype=np.int64)
            np.maximum.at(best, doc[first], (sizes[repeated] << 32) | chars)
            out[:, n - 2] = (best >> 32) * (best & 0xFFFFFFFF) / safe
        else:
            later = np.zeros(len(order), dtype=bool)
            later[order] = ~grams.new
            dup = grams.starts[later]
            stop = np.minimum(dup + n, np.append(dup[1:], tokens.count))
            covered = np.bincount(doc[dup], weights=csum[stop] - csum[dup], minlength=texts)
            out[:, n - 2] = covered / safe
        # In sorted order an n-gram repeats unless it starts a run and the next one starts one.
        single = grams.new.copy()
        single[:-1] &= grams.new[1:]
        member = np.zeros(len(order), dtype=bool)
        member[order] = ~single
        grams = _Grams(grams.starts[member], grams.hashes[member])
    return out


def repetition(words: Words) -> dict[str, float]:
    """Gopher's n-gram repetition signals of one text (see :func:`repetition_batch`).

    >>> w = Words("a b c d e f a b c d e f")
    >>> r = repetition(w)
    >>> r["top_2gram"], r["dup_5gram"], r["dup_10gram"]
    (0.3333333333333333, 0.5, 0.0)
    """
    return dict(zip(REPETITION, repetition_batch(words.tokens)[0].tolist(), strict=True))


def _duplicates(items: list[str]) -> tuple[int, int]:
    """Number of items that repeat an earlier one, and their characters."""
    distinct = set(items)
    return len(items) - len(distinct), sum(map(len, items)) - sum(map(len, distinct))


@cache
def stop_words(lang: str) -> tuple[str, ...]:
    """The stop words of ``lang``, most frequent first (empty when we ship no list).

    >>> stop_words("it")[:4]
    ('di', 'e', 'che', 'il')
    >>> stop_words("xx")
    ()
    """
    path = _STOP_DIR / f"{lang}.txt"
    if not re.fullmatch(r"[a-z]{2,3}", lang) or not path.is_file():
        return ()
    return tuple(w for w in path.read_text(encoding="utf-8").split("\n") if w)


@cache
def check_words(lang: str) -> tuple[str, ...]:
    """The eight words of ``lang`` that the generalised Gopher stop-word check counts.

    For English they are Gopher's own eight; for other languages the eight most frequent words of
    the language's stop-word list.

    >>> check_words("en")
    ('the', 'be', 'to', 'of', 'and', 'that', 'have', 'with')
    >>> check_words("fr")
    ('de', 'la', 'le', 'et', 'l', 'à', 'les', 'est')
    """
    if lang == "en":
        return GOPHER_STOP_WORDS
    return stop_words(lang)[:8]


class _HashMap:
    """A growing map of 64-bit keys to small flags, looked up for a whole array at once: each key
    sits in the first of a few direct-mapped tables (each indexed by its own multiplicative hash
    of the key) where its slot is free, so a lookup is one gather and compare per table.

    >>> m = _HashMap()
    >>> m.add([3, 5, 3], 1)
    >>> m.add([5, 7], 2)
    >>> m.get(np.array([5, 4, 3, 7], dtype=np.uint64)).tolist()
    [3, 0, 1, 2]
    """

    BITS = 14

    def __init__(self) -> None:
        self.tables: list[np.ndarray] = []
        self.flags: list[np.ndarray] = []
        self.where: dict[int, tuple[int, int]] = {}  # key: (table, slot)
        self._taken: set[tuple[int, int]] = set()

    @staticmethod
    def _multiplier(k: int) -> int:
        return (0x9E3779B97F4A7C15 * (2 * k + 1)) & (2**64 - 1)

    def _slot(self, key: int, k: int) -> int:
        return ((key * self._multiplier(k)) & (2**64 - 1)) >> (64 - self.BITS)

    def _new_table(self) -> None:
        # An empty slot holds a key whose own slot is another one, so it never matches: 0 (whose
        # slot is 0) everywhere but in slot 0, which gets the first key whose slot is not 0.
        k = len(self.tables)
        table = np.zeros(1 << self.BITS, dtype=np.uint64)
        table[0] = next(key for key in range(1, 1 << 20) if self._slot(key, k))
        self.tables.append(table)
        self.flags.append(np.zeros(1 << self.BITS, dtype=np.uint8))

    def add(self, keys: Sequence[int], flag: int) -> None:
        """Set ``flag`` (a bit below :data:`_FULL`) on each of ``keys``."""
        for key in keys:
            if key not in self.where:
                for k in itertools.count():
                    if k == len(self.tables):
                        self._new_table()
                    slot = self._slot(key, k)
                    if (k, slot) not in self._taken:
                        break
                    self.flags[k][slot] |= _FULL  # the key lies in a later table
                self._taken.add((k, slot))
                self.tables[k][slot] = key
                self.where[key] = (k, slot)
            k, slot = self.where[key]
            self.flags[k][slot] |= flag

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The flags of each of ``keys`` (0 for a key not in the map). Only the keys whose slot
        was taken by another key are looked up in the next table."""
        found = np.zeros(len(keys), dtype=np.uint8)
        shift = np.uint64(64 - self.BITS)
        at = None  # the positions still looked up (None: all)
        for k, table in enumerate(self.tables):
            part = keys if at is None else keys[at]
            slots = (part * np.uint64(self._multiplier(k))) >> shift
            hit = table[slots] == part
            flags = self.flags[k][slots]
            mine = flags & np.uint8(_FULL - 1)
            mine *= hit
            if at is None:
                found = mine
            else:
                found[at] = mine
            further = np.flatnonzero((flags >= _FULL) & ~hit)
            if not len(further):
                break
            at = further if at is None else at[further]
        return found


_FULL = 128  # flag of a slot whose key is not the only one mapped there
_CHECK, _STOP = 1, 2


class _StopIndex:
    """The check words (flag 1) and stop words (flag 2) of every spaced language met so far, in
    one :class:`_HashMap` of word hash XOR a per-language salt, so that one lookup serves every
    language of a batch."""

    def __init__(self) -> None:
        self.words = _HashMap()
        self.salts: dict[str, int] = {}

    def salt(self, lang: str) -> int:
        """The salt of ``lang``, adding its words to the map on first use."""
        if lang not in self.salts:
            salt = int.from_bytes(hashlib.blake2b(lang.encode(), digest_size=8).digest(), "big")
            self.words.add([h ^ salt for h in _word_hashes(check_words(lang))], _CHECK)
            self.words.add([h ^ salt for h in _word_hashes(stop_words(lang))], _STOP)
            self.salts[lang] = salt
        return self.salts[lang]


@cache
def _word_hashes(words: tuple[str, ...]) -> list[int]:
    return Words(" ".join(words)).hashes.tolist()


_STOP_INDEX = _StopIndex()


@cache
def _caseless(words: tuple[str, ...]) -> bool:
    """No word has a cased character (nor the dot that lowercasing ``İ`` adds)."""
    return all(w == w.lower() == w.upper() and "\u0307" not in w for w in words)


@cache
def _substring_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex matching, at each position, the longest of ``words`` that starts there (what an
    alternation of the words, longest first, matches), written as a trie so that the engine
    tests one character class per position instead of every word."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: dict[str, Any]) -> str:
    """The pattern of a trie node's continuations, longest first (greedy, then backtracking)."""
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a shorter word ends here: the continuation is optional
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


def stop_word_batch(tokens: Tokens, langs: Sequence[str | None]) -> list[tuple[int, int] | None]:
    """Per text: (occurrences of its language's eight check words, occurrences of any of its stop
    words), or None when we have no list for the language: the stop-word check then does not
    apply, rather than rejecting a language we know nothing about."""
    out: list[tuple[int, int] | None] = [None] * len(langs)
    salts = np.zeros(len(langs), dtype=np.uint64)
    spaced = np.zeros(len(langs), dtype=bool)
    for i, lang in enumerate(langs):
        if not lang or not stop_words(lang):
            continue
        if lang in NO_SPACE_LANGS:
            text = tokens.texts[i]
            # Lowercasing changes only cased characters: a caseless list matches the same.
            low = text if _caseless(stop_words(lang)) else text.lower()
            out[i] = (
                len(_substring_re(check_words(lang)).findall(low)),
                len(_substring_re(stop_words(lang)).findall(low)),
            )
        else:
            spaced[i] = True
            salts[i] = _STOP_INDEX.salt(lang)
    if spaced.any():
        owner = tokens.doc_of_words()
        flags = _STOP_INDEX.words.get(tokens.hashes ^ salts[owner])
        if not spaced.all():
            flags *= spaced[owner]
        texts = len(langs)
        checks = np.bincount(owner, weights=flags & _CHECK, minlength=texts).astype(np.int64)
        stops = np.bincount(owner, weights=flags >> 1, minlength=texts).astype(np.int64)
        checks_of, stops_of = checks.tolist(), stops.tolist()
        for i in np.flatnonzero(spaced).tolist():
            out[i] = (checks_of[i], stops_of[i])
    return out


def stop_word_counts(text: str, words: Words, lang: str | None) -> tuple[int | None, int | None]:
    """(occurrences of the language's eight check words, occurrences of any of its stop words) in
    one text; ``(None, None)`` without a list for the language (see :func:`stop_word_batch`)."""
    found = stop_word_batch(words.tokens, [lang])[0]
    return found if found is not None else (None, None)


def nonempty_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, stripped (also the paragraphs language id samples)."""
    return list(filter(None, map(str.strip, text.split("\n"))))


#: Names of the line and paragraph signals, in the order :func:`_line_values` gives them.
LINE_SIGNALS = [
    "lines",
    "terminal_punct_lines",
    "bullet_lines",
    "ellipsis_lines",
    "dup_lines",
    "dup_line_chars",
    "dup_paragraphs",
    "dup_paragraph_chars",
]
_NAMES = [
    "chars",
    "words",
    "lines",
    "mean_word_length",
    "symbol_ratio",
    "non_alpha_words",
    *LINE_SIGNALS[1:],
    *REPETITION,
    "stop_words",
    "stop_word_share",
    "lang_share",
]  # the output schema's quality struct, without the removed shares


def line_signals(text: str, lines: list[str] | None = None) -> dict[str, Any]:
    """Line and paragraph signals: shares of non-empty lines, duplicate characters over the
    length of the text. ``lines`` are ``nonempty_lines(text)`` when the caller has them."""
    if lines is None:
        lines = nonempty_lines(text)
    return dict(zip(LINE_SIGNALS, _line_values(text, lines), strict=True))


def _line_values(text: str, lines: list[str]) -> tuple[Any, ...]:
    """The values of :data:`LINE_SIGNALS` (see :func:`line_signals`)."""
    n = len(lines)
    size = len(text) or 1
    paragraphs = list(filter(None, map(str.strip, _PARAGRAPH_SPLIT.split(text))))
    dup_l, dup_lc = _duplicates(lines)
    dup_p, dup_pc = _duplicates(paragraphs)
    terminal = ellipsis = bullets = 0
    for line in lines:  # non-empty; terminal marks, closers and "…" are disjoint sets
        last = line[-1]
        if last in TERMINAL:
            if last == "." and line.endswith("..."):
                ellipsis += 1
            else:
                terminal += 1
        elif last == "…":
            ellipsis += 1
        elif last in _CLOSER_SET and line.rstrip(CLOSERS)[-1:] in TERMINAL:
            terminal += 1
        if line[0] in _BULLET_FIRST and (line[0] in _BULLETS or line[:2] in _BULLET_PAIRS):
            bullets += 1
    return (
        n,
        terminal / n if n else 0.0,
        bullets / n if n else 0.0,
        ellipsis / n if n else 0.0,
        dup_l / n if n else 0.0,
        dup_lc / size,
        dup_p / len(paragraphs) if paragraphs else 0.0,
        dup_pc / size,
    )


def batch_signals(
    texts: Sequence[str],
    langs: Sequence[str | None],
    shares: Sequence[float | None],
    lines: Sequence[list[str]] | None = None,
) -> list[dict[str, Any]]:
    """:func:`compute_signals` of every text, computed together (the fast way).

    ``lines`` are the texts' :func:`nonempty_lines` when the caller has them already.
    """
    tokens = Tokens(texts)
    reps = repetition_batch(tokens).tolist()
    counts = np.diff(tokens.bounds).tolist()
    chars = np.diff(tokens.char_sums()[tokens.bounds]).tolist()
    lcount = np.zeros(tokens.count + 1, dtype=np.int64)
    np.cumsum(tokens.has_letter, out=lcount[1:])
    lettered = np.diff(lcount[tokens.bounds]).tolist()
    stops = stop_word_batch(tokens, langs)
    if lines is None:
        lines = [nonempty_lines(text) for text in texts]
    out = []
    for text, n, letters, size, lined, rep, stop, share in zip(
        texts, counts, lettered, chars, lines, reps, stops, shares, strict=True
    ):
        symbols = max(text.count("#"), text.count("...") + text.count("…"))
        line_values = _line_values(text, lined)
        values = (
            len(text),
            n,
            line_values[0],
            size / n if n else 0.0,
            # Gopher drops on either ratio above 0.1: their maximum carries the same decision.
            symbols / n if n else 0.0,
            float(n - letters) / n if n else 0.0,
            *line_values[1:],
            *rep,
            stop[0] if stop is not None else None,
            (stop[1] / n if n else 0.0) if stop is not None else None,
            share,
        )
        out.append(dict(zip(_NAMES, values, strict=True)))
    return out


def compute_signals(text: str, lang: str | None, lang_share: float | None = None) -> dict[str, Any]:
    """Every signal of :data:`cleaner.schema.QUALITY_FIELDS` except the removed shares.

    ``lang`` chooses the stop-word list; ``lang_share`` is passed through (it comes from language
    identification). Shares with an empty denominator are 0.
    """
    return batch_signals([text], [lang], [lang_share])[0]
