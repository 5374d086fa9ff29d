"""Quality signals of one cleaned text: counts, ratios and repetition, right for every script.

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

Everything runs over NumPy arrays of code points (no Python loop per word), which is what makes
10 MB/s per core possible. Deliberately left alone: no signal here rejects anything (that is
:mod:`cleaner.quality.presets`), and nothing edits the text.

>>> s = compute_signals("The cat sat on the mat.\\nThe cat sat on the mat.\\n", "en")
>>> s["words"], s["lines"], s["dup_lines"], s["stop_words"]
(12, 2, 0.5, 4)
>>> compute_signals("中文文本。", "zh")["words"]
4
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# Character classes of the tokenizer.
OTHER, LETTER, WORDCHAR, SINGLE, KATAKANA, SEA_BASE, SEA_MARK, JOINER = range(8)

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
_BULLET_RE = re.compile(r"[•●○◦▪▫■□‣⁃∙➢➤►▶✓✔✗❖→·]|[-*–+] ")
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t\r\f\v]*\n")
_STOP_DIR = Path(__file__).parent / "stopwords"


@cache
def char_table() -> np.ndarray:
    """The tokenizer's class of every code point (built once per process, about 0.1 s)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for cp in range(0x20000):
        cat = unicodedata.category(chr(cp))
        if cat[0] == "L":
            table[cp] = LETTER
        elif cat[0] in "NM" or cat == "Pc":
            table[cp] = WORDCHAR
    for a, b in _HAN_KANA_SINGLE:
        table[a : b + 1] = SINGLE
    for a, b in _KATAKANA:
        table[a : b + 1] = KATAKANA
    for a, b in _SEA:
        block = table[a : b + 1]
        marks = np.array([unicodedata.category(chr(c))[0] == "M" for c in range(a, b + 1)])
        used = block != OTHER
        block[used & ~marks] = SEA_BASE
        block[used & marks] = SEA_MARK
    table[0xFE00:0xFE10] = OTHER  # variation selectors: not words on their own
    table[0xE0100:0xE01F0] = OTHER
    for ch in _JOINERS:
        table[ord(ch)] = JOINER
    return table


def _continues() -> np.ndarray:
    """``CONT[previous class, class]``: does a character extend the word before it?"""
    cont = np.zeros((8, 8), dtype=bool)
    for p in (LETTER, WORDCHAR):
        for c in (LETTER, WORDCHAR):
            cont[p, c] = True
    cont[KATAKANA, KATAKANA] = True
    cont[SEA_BASE, SEA_MARK] = cont[SEA_MARK, SEA_MARK] = True
    return cont.ravel()


_CONT = _continues()
_INSIDE = np.array([c in (LETTER, WORDCHAR) for c in range(8)])
_IS_LETTER = np.array([c in (LETTER, SINGLE, KATAKANA, SEA_BASE) for c in range(8)])
_RNG = np.random.default_rng(20240601)
_POS_MULT = _RNG.integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)


class Words:
    """The words of a text: per word its hash (of the lowercased word), length and whether it
    has a letter. Built with array operations only.

    >>> w = Words("Hello, e-mail 3,5 l'amico 東京タワー")
    >>> w.count, w.lengths.tolist(), w.has_letter.tolist()
    (8, [5, 6, 3, 1, 5, 1, 1, 3], [True, True, False, True, True, True, True, True])
    """

    def __init__(self, text: str) -> None:
        cps = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
        cls = char_table()[cps]
        n = len(cls)
        if n:
            joiner = cls == JOINER
            if joiner.any():
                prev = np.concatenate(([OTHER], cls[:-1]))
                nxt = np.concatenate((cls[1:], [OTHER]))
                inner = (
                    joiner & np.isin(prev, (LETTER, WORDCHAR)) & np.isin(nxt, (LETTER, WORDCHAR))
                )
                cls = np.where(joiner, np.where(inner, WORDCHAR, OTHER), cls).astype(np.uint8)
        word = cls != OTHER
        prev_cls = np.concatenate(([OTHER], cls[:-1])) if n else cls
        cont = _CONT[prev_cls.astype(np.intp) * 8 + cls] & word
        start_mask = word & ~cont
        self.starts = np.flatnonzero(start_mask)
        next_cont = np.concatenate((cont[1:], [False])) if n else cont
        self.ends = np.flatnonzero(word & ~next_cont) + 1
        self.count = len(self.starts)
        self.lengths = (self.ends - self.starts).astype(np.int64)
        if self.count:
            token = np.cumsum(start_mask) - 1
            pos = (np.arange(n) - self.starts[np.maximum(token, 0)]) & 63
            vals = np.where(word, cps.astype(np.uint64) * _POS_MULT[pos], np.uint64(0))
            sums = np.add.reduceat(vals, self.starts)
            self.hashes = sums * np.uint64(0x9E3779B97F4A7C15) + self.lengths.astype(np.uint64)
            letters = np.add.reduceat((_IS_LETTER[cls] & word).astype(np.int32), self.starts)
            self.has_letter = letters > 0
        else:
            self.hashes = np.zeros(0, dtype=np.uint64)
            self.has_letter = np.zeros(0, dtype=bool)

    @property
    def chars(self) -> int:
        return int(self.lengths.sum())


def _ngram_hashes(hashes: np.ndarray, n: int) -> np.ndarray:
    out = hashes[: len(hashes) - n + 1].copy()
    for k in range(1, n):
        out = out * np.uint64(1_000_003) + hashes[k : len(hashes) - n + 1 + k]
    return out


def _ngram_chars(csum: np.ndarray, n: int, starts: np.ndarray) -> np.ndarray:
    return csum[starts + n] - csum[starts]


def repetition(words: Words) -> dict[str, float]:
    """Gopher's n-gram repetition signals as shares of word characters (see the module doc).

    >>> w = Words("a b c d e f a b c d e f")
    >>> r = repetition(w)
    >>> r["top_2gram"], r["dup_5gram"], r["dup_10gram"]
    (0.3333333333333333, 0.5, 0.0)
    """
    out = {f"top_{n}gram": 0.0 for n in (2, 3, 4)}
    out.update({f"dup_{n}gram": 0.0 for n in range(5, 11)})
    total = words.chars
    if not total:
        return out
    csum = np.concatenate(([0], np.cumsum(words.lengths)))
    for n in (2, 3, 4):
        if words.count < n:
            break
        grams = _ngram_hashes(words.hashes, n)
        _, first, counts = np.unique(grams, return_index=True, return_counts=True)
        top = counts.max()
        if top < 2:
            continue
        lengths = _ngram_chars(csum, n, first[counts == top])
        out[f"top_{n}gram"] = float(top * lengths.max()) / total
    # A repeated n-gram (n > 5) contains a repeated 5-gram, so only positions whose 5-gram
    # repeats can start one: look at those alone.
    if words.count < 5:
        return out
    grams5 = _ngram_hashes(words.hashes, 5)
    _, inverse, counts5 = np.unique(grams5, return_inverse=True, return_counts=True)
    candidates = np.flatnonzero(counts5[inverse] > 1)
    for n in range(5, 11):
        candidates = candidates[candidates <= words.count - n]
        if not len(candidates):
            break
        grams = _ngram_hashes(words.hashes, n)[candidates] if n > 5 else grams5[candidates]
        _, first = np.unique(grams, return_index=True)
        repeated = np.ones(len(candidates), dtype=bool)
        repeated[first] = False
        starts = candidates[repeated]
        if not len(starts):
            break
        cover = np.zeros(words.count + 1, dtype=np.int32)
        np.add.at(cover, starts, 1)
        np.add.at(cover, starts + n, -1)
        covered = np.cumsum(cover[:-1]) > 0
        out[f"dup_{n}gram"] = float(words.lengths[covered].sum()) / total
    return out


def _duplicates(items: list[str]) -> tuple[int, int]:
    """Number of items that repeat an earlier one, and their characters."""
    dup = dup_chars = 0
    for item, count in Counter(items).items():
        if count > 1:
            dup += count - 1
            dup_chars += len(item) * (count - 1)
    return dup, dup_chars


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


@cache
def _hash_set(words: tuple[str, ...]) -> frozenset[int]:
    return frozenset(Words(" ".join(words)).hashes.tolist())


@cache
def _substring_re(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


def stop_word_counts(text: str, words: Words, lang: str | None) -> tuple[int | None, int | None]:
    """(occurrences of the language's eight check words, occurrences of any of its stop words).

    ``(None, None)`` when we have no list for the language: the stop-word check then does not
    apply, rather than rejecting a language we know nothing about.
    """
    if not lang or not stop_words(lang):
        return None, None
    if lang in NO_SPACE_LANGS:
        low = text.lower()
        return (
            len(_substring_re(check_words(lang)).findall(low)),
            len(_substring_re(stop_words(lang)).findall(low)),
        )
    hashes = words.hashes.tolist()
    check = _hash_set(check_words(lang))
    every = _hash_set(stop_words(lang))
    return sum(map(check.__contains__, hashes)), sum(map(every.__contains__, hashes))


def line_signals(text: str) -> dict[str, Any]:
    """Line and paragraph signals: shares of non-empty lines, duplicate characters over the
    length of the text."""
    lines = [line for line in map(str.strip, text.split("\n")) if line]
    n = len(lines)
    size = len(text) or 1
    paragraphs = [p for p in map(str.strip, _PARAGRAPH_SPLIT.split(text)) if p]
    dup_l, dup_lc = _duplicates(lines)
    dup_p, dup_pc = _duplicates(paragraphs)
    terminal = sum(
        1
        for line in lines
        if line.rstrip(CLOSERS)[-1:] in TERMINAL and not line.endswith(("...", "…"))
    )
    bullets = sum(1 for line in lines if _BULLET_RE.match(line))
    ellipsis = sum(1 for line in lines if line.endswith(("...", "…")))
    return {
        "lines": n,
        "terminal_punct_lines": terminal / n if n else 0.0,
        "bullet_lines": bullets / n if n else 0.0,
        "ellipsis_lines": ellipsis / n if n else 0.0,
        "dup_lines": dup_l / n if n else 0.0,
        "dup_line_chars": dup_lc / size,
        "dup_paragraphs": dup_p / len(paragraphs) if paragraphs else 0.0,
        "dup_paragraph_chars": dup_pc / size,
    }


def compute_signals(text: str, lang: str | None, lang_share: float | None = None) -> dict[str, Any]:
    """Every signal of :data:`cleaner.schema.QUALITY_FIELDS` except the removed shares.

    ``lang`` chooses the stop-word list; ``lang_share`` is passed through (it comes from language
    identification). Shares with an empty denominator are 0.
    """
    words = Words(text)
    n = words.count
    hashes = text.count("#")
    ellipses = text.count("...") + text.count("…")
    check, every = stop_word_counts(text, words, lang)
    out: dict[str, Any] = {
        "chars": len(text),
        "words": n,
        "mean_word_length": words.chars / n if n else 0.0,
        # Gopher drops on either ratio above 0.1: their maximum carries the same decision.
        "symbol_ratio": max(hashes, ellipses) / n if n else 0.0,
        "non_alpha_words": float(n - int(words.has_letter.sum())) / n if n else 0.0,
    }
    out.update(line_signals(text))
    out.update(repetition(words))
    out["stop_words"] = check
    out["stop_word_share"] = (every / n if n else 0.0) if every is not None else None
    out["lang_share"] = lang_share
    return out
