"""The boilerplate string catalog, compiled once: whole-line matching of widget strings.

The catalog (``data/catalog/<family>.tsv``, see its README) holds the real interface strings of
the software that prints boilerplate, in many languages, with ``{n}`` for a number and ``{x}``
for anything else. Rules may only be built from its ``train`` rows; ``holdout`` rows are the
generalisation check of the labelled corpus and are never read here.

A line *is* a catalog string when, after :func:`norm` (case folding, NFKC, bullets, arrows,
pipes, brackets and trailing punctuation trimmed), it equals one of the strings, or matches one
with placeholders filled by a number or by a short value (at most :data:`MAX_VALUE_WORDS`
words). A string merely occurring inside a longer line is never a match.

Lookup is O(1) per line: exact strings are a dict; strings with placeholders are grouped by
their first two folded characters (or, when they open with a placeholder, their last two), and
only the groups of the line's own prefix / suffix are tried, string by string, longest first,
and only the strings whose literal start and end the line has (each string's pattern compiled
when first needed; a string with one ``{x}`` matched without one).
A match is *strong* when the string has at least two words of its own (``Leave a Reply``,
``Posted in {x}``), three characters in scripts without spaces, or a colon label, and *weak*
otherwise (``Home``, ``Print``, ``By {x}``): rules drop weak matches only where the position or
the neighbourhood says the line is a widget.

>>> match("Leave a Reply")
{'comments': True}
>>> match("  » Category: News  ")
{'tags': True}
>>> match("Posted in the early days of the project, when the code was still being written by hand")
{}
>>> match("Home")
{'navigation': False}
"""

from __future__ import annotations

import bisect
import csv
import operator
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import regex

from cleaner.document import Document, Line
from cleaner.rule import TERMINAL, Context, LineRule, _drop_line, fold, is_content, word_count

CATALOG = Path(__file__).resolve().parent / "data" / "catalog"
FAMILIES = (
    "ads",
    "byline",
    "captions",
    "comments",
    "consent",
    "feed_header",
    "navigation",
    "newsletter",
    "ratings",
    "related",
    "share",
    "source_footer",
    "tags",
    "toolbar",
)
MAX_CHARS = 240  # longer lines are never widget strings (the longest train string is shorter)
MAX_LINE = 300  # nor lines a family's own shapes take (captions with their credit)
WIDGET_WORDS, WIDGET_CHARS = 8, 80  # an unlisted line inside a widget block
# A placeholder holds a name, a date, a headline: not a paragraph. After a weak label (``By``,
# ``De``), only a name.
MAX_VALUE_WORDS = 14
MAX_WEAK_VALUE_WORDS = 4
# Bullets, arrows, pipes and brackets that themes put around widget strings, beyond fold()'s set.
_EDGES = " \t.,;:!?*…()[]|/\\-–—•·\"'¡¿«»‹›←→↑↓⇐⇒▲▼►◄▶◀>＞<#=~_。、・｜「」【】『』〈〉《》"
_NO_SPACE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
_PLACEHOLDER = regex.compile(r"\{[nx]\}")
_PLACEHOLDER_PARTS = regex.compile(r"(\{[nx]\})")
_SPACE_PUNCT = regex.compile(r"[\s\p{P}\p{S}]")
_NUMBER = r"\d{1,9}(?:[.,\s]\d{1,3}){0,3}"
_NUMBER_ONLY = regex.compile(_NUMBER, regex.UNICODE)  # a {n} value, for strings without a pattern
_VALUE = r"\S(?:.{0,148}\S)?"
_VALUE_CHARS = 150  # the most characters _VALUE takes
_OTHER_SPACE = regex.compile(r"[^\S ]")  # white space other than a space, as the patterns see it
# every ASCII character but the space that may be white space to a pattern (or to str.split)
_ASCII_SPACES = tuple("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")


def _other_space(key: str) -> bool:
    """Whether ``key`` holds white space other than a space (:data:`_OTHER_SPACE`); an ASCII
    key without any of :data:`_ASCII_SPACES` is answered without the pattern."""
    if key.isascii() and not any(c in key for c in _ASCII_SPACES):
        return False
    return _OTHER_SPACE.search(key) is not None


@dataclass(frozen=True, slots=True)
class Entry:
    """One catalog row."""

    family: str
    lang: str
    text: str
    source: str


def read_catalog(split: str = "train", families: Iterable[str] = FAMILIES) -> list[Entry]:
    """The catalog rows of ``split`` for ``families``, in file order."""
    rows = []
    for family in families:
        with (CATALOG / f"{family}.tsv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["split"] == split:
                    rows.append(Entry(family, row["lang"], row["text"], row["source"]))
    return rows


def norm(text: str) -> str:
    """The form lines and catalog strings are compared in.

    >>> norm("« Older Posts")
    'older posts'
    >>> norm("【タグ】")
    'タグ'

    Turkish capitals fold both ways: ``İ`` and ``I`` meet ``i`` and ``ı`` (the combining dot
    that case folding leaves is dropped, and dotless ``ı`` compared as ``i``).

    >>> norm("İLİŞKİLİ GİRDİLER") == norm("İlişkili girdiler")
    True
    """
    text = fold(text)
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = text.replace("\u0307", "").replace("ı", "i")
    return text.strip(_EDGES)


def strong(text: str) -> bool:
    """Whether a catalog string is distinctive enough to be dropped wherever it stands.

    >>> strong("Leave a Reply"), strong("Posted in {x}"), strong("Tag: {x}"), strong("Home")
    (True, True, True, False)
    >>> strong("コメント"), strong("検索")
    (True, False)
    """
    literal = _PLACEHOLDER.sub(" ", text).strip()
    words = literal.split()
    if _NO_SPACE.search(literal):
        return len(_SPACE_PUNCT.sub("", literal)) >= 3
    if literal.endswith(":") and "{" in text and len(literal) > 3:
        return True
    return len([w for w in words if any(c.isalnum() for c in w)]) >= 2


_Flags = dict[str, tuple[bool, int]]  # group name -> (strong, most words a value may have)
# A sentence ends inside a value: a word, a full stop and more text (not ``B.4.5. Rights``).
_BREAK = regex.compile(r"\p{Ll}{2}[.;]\s+\S|。\s*\S")


def _breaks(value: str) -> bool:
    """Whether a sentence ends inside ``value`` (:data:`_BREAK`), asked of the pattern only
    when the value holds one of the characters a match needs.

    >>> _breaks("Kyle Wiggers"), _breaks("files are copied. then reboot"), _breaks("B.4.5. Rights")
    (False, True, False)
    """
    return ("." in value or ";" in value or "。" in value) and (
        _BREAK.search(value, timeout=0.5) is not None
    )


def _pattern(key: str, name: str) -> str:
    """A regex for one normalised catalog string with placeholders (values in ``<name>v<i>``)."""
    out = []
    for i, part in enumerate(_PLACEHOLDER_PARTS.split(key)):
        if part == "{n}":
            out.append(_NUMBER)
        elif part == "{x}":
            out.append(f"(?P<{name}v{i}>{_VALUE})")
        elif part:
            out.append(r"\s+".join(regex.escape(w) for w in part.split(" ")))
    return "".join(out)


# A label: a catalog string that ends in a colon, alone or before its value.
_LABEL = regex.compile(r"(?P<label>[^{}:]{2,40}?)\s*[:：]\s*(?:\{x\})?")
MAX_LABEL_VALUE_WORDS = 6
# Families whose bare headings also head a value: ``Tags: a, b``, ``Autor: X``, ``Source: Y``.
LABEL_FAMILIES = frozenset({"tags", "captions", "byline", "source_footer", "feed_header"})


def _label_value(value: str) -> bool:
    """Whether the text after a label's colon is a short value (a name, a list of tags).

    >>> _label_value(" AFP"), _label_value(" the files are copied to the disk. then reboot")
    (True, False)
    """
    value = value.strip()
    return bool(value) and word_count(value) <= MAX_LABEL_VALUE_WORDS and not _breaks(value)


def _good_values(values: Iterable[str], most: int, raw: str) -> bool:
    """Whether every value a placeholder took is short and not a sentence (or two).

    A value is a name, a title, a date or a site: one of three words or more that starts in
    lower case (in the line as written) is a clause of a sentence, as in ``Return to the
    previous screen to try again.``; after a weak label it must be a name (``De Jan``, not
    ``De opdrachtregel gebruiken``).
    """
    for value in values:
        if word_count(value) > most or _breaks(value):
            return False
        if (len(value.split()) >= 3 or most <= MAX_WEAK_VALUE_WORDS) and _starts_lower(raw, value):
            return False
    return True


def _starts_lower(raw: str, value: str) -> bool:
    """Whether ``value`` (normalised) begins with a lower-case letter where it stands in ``raw``.

    >>> _starts_lower("Geri dön Bir Sürümün Yaşam Döngüsü", "bir sürümün yaşam döngüsü")
    False
    """
    first = value.split()[0] if value.split() else value
    for word in raw.split():
        if norm(word) == first:
            return word[:1].islower()
    return False


class _Group:
    """The strings of one family that share a two-character prefix (or suffix), tried in turn,
    longest first, as an alternation of them would be; each string's pattern is built and
    compiled on first use: most are never needed in a run.

    ``heads`` / ``tails`` are the first / last literal words of its strings (empty when a
    string opens / ends with a placeholder): a key that starts with none of the heads or ends
    with none of the tails cannot match, and is turned away at once. Each string is then tried
    only on keys that start with its literal text before the first placeholder and end with the
    one after the last (the patterns' ``\\s+`` between words meets a single space in a key
    without double spaces). ``texts`` holds the catalog rows behind each string, whose
    strength is worked out only when the group is first needed.
    """

    def __init__(self, family: str, texts: dict[str, list[str]]) -> None:
        self.family, self.texts = family, texts
        self.heads = tuple({_edge_word(k, 0) for k in texts})
        self.tails = tuple({_edge_word(k, -1) for k in texts})
        self.flags: _Flags = {}
        self.most_words = -1  # no line with more words can match: skip the regex
        # (name, string, literal head, literal tail, first word, last word), longest first
        self.strings: list[tuple[str, str, str, str, str, str]] = []
        self.simple: set[str] = set()  # names of the strings with one {x} and no {n}
        self.numbered: set[str] = set()  # names of the strings with one {n} and no {x}
        self.compiled: dict[str, regex.Pattern[str]] = {}

    def may_match(self, key: str) -> bool:
        """Whether ``key`` opens with one of the heads and ends with one of the tails."""
        return key.startswith(self.heads) and key.endswith(self.tails)

    def prepare(self) -> None:
        """Order the strings (longest first), work out their flags and the word limit."""
        ordered = sorted(self.texts, key=lambda k: (-len(k), k))
        names = {f"k{i}": k for i, k in enumerate(ordered)}
        for n, k in names.items():
            parts = _PLACEHOLDER.split(k)
            self.strings.append((n, k, parts[0], parts[-1], _edge_word(k, 0), _edge_word(k, -1)))
            if k.count("{x}") == 1 and "{n}" not in k:
                self.simple.add(n)
            elif k.count("{n}") == 1 and "{x}" not in k:
                self.numbered.add(n)
        self.flags = {n: _flags(any(strong(t) for t in self.texts[k])) for n, k in names.items()}
        self.most_words = max(
            word_count(_PLACEHOLDER.sub(" ", k))
            + self.flags[n][1] * k.count("{x}")
            + k.count("{n}")
            for n, k in names.items()
        )

    def too_long(self, words: int) -> bool:
        """Whether a key of ``words`` words has more than any of the strings can take."""
        if self.most_words < 0:
            self.prepare()
        return words > self.most_words

    def fullmatch(self, key: str) -> tuple[str, list[str]] | None:
        """The name of the first string (longest first) that ``key`` is, whole, and the values
        its ``{x}`` placeholders took.

        A string with one ``{x}`` and no ``{n}`` is matched without its pattern when the key's
        only white space is single spaces: the pattern's literal words then meet the key's
        start and end exactly, and the value in between is what ``{x}`` takes if it has 1 to
        150 characters and no space at either end. A string with one ``{n}`` and no ``{x}``
        likewise, the value between asked of the one number pattern they share.
        """
        if self.most_words < 0:
            self.prepare()
        single = "  " not in key
        plain: bool | None = None  # single spaces are the key's only white space
        for name, string, head, tail, first, last in self.strings:
            if single:
                if not (key.startswith(head) and key.endswith(tail)):
                    continue
            elif not (key.startswith(first) and key.endswith(last)):
                continue
            if name in self.numbered:
                if plain is None:
                    plain = single and not _other_space(key)
                if plain:
                    value = key[len(head) : len(key) - len(tail)]
                    if len(head) + len(tail) < len(key) and _NUMBER_ONLY.fullmatch(value):
                        return name, []
                    continue
            elif name in self.simple:
                if plain is None:
                    plain = single and not _other_space(key)
                if plain:
                    value = key[len(head) : len(key) - len(tail)]
                    if (
                        len(head) + len(tail) < len(key)
                        and len(value) <= _VALUE_CHARS
                        and value[0] != " "
                        and value[-1] != " "
                        and "\n" not in value
                    ):
                        return name, [value]
                    continue
            pattern = self.compiled.get(name)
            if pattern is None:
                pattern = self.compiled[name] = regex.compile(
                    f"(?P<{name}>{_pattern(string, name)})", regex.UNICODE
                )
            m = pattern.fullmatch(key, timeout=0.5)
            if m is not None:
                prefix = name + "v"
                values = [
                    v for g, v in m.groupdict().items() if v is not None and g.startswith(prefix)
                ]
                return name, values
        return None


def _edge_word(key: str, side: int) -> str:
    """The first (``side`` 0) or last (-1) literal word of a string with placeholders, or ``""``
    when a placeholder opens (ends) it: what a line must start (end) with to match it.

    >>> _edge_word("posted in {x}", 0), _edge_word("posted in {x}", -1), _edge_word("{n} votes", -1)
    ('posted', '', 'votes')
    """
    parts = _PLACEHOLDER.split(key)
    return parts[side].split(" ")[side]


class Matcher:
    """Every train string of the catalog, indexed for whole-line lookup.

    Whether a string is strong (see :func:`strong`) is worked out when a line first meets it.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        # exact string -> family -> the catalog rows behind it; strengths in self._exact
        self.exact_texts: dict[str, dict[str, list[str]]] = defaultdict(dict)
        self._exact: dict[str, dict[str, bool]] = {}
        self.labels: dict[str, set[str]] = defaultdict(set)
        grouped: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(dict)
        for entry in entries:
            key = norm(entry.text)
            if not key or _PLACEHOLDER.sub("", key).strip(_EDGES) == "":
                continue  # nothing literal left: it would match anything
            label = _LABEL.fullmatch(entry.text.strip())
            if label and norm(label["label"]):
                self.labels[norm(label["label"])].add(entry.family)
            elif entry.family in LABEL_FAMILIES and "{" not in key and len(key.split()) <= 3:
                self.labels[key].add(entry.family)  # ``Tags`` heads ``Tags: a, b`` too
            if "{" not in key:
                self.exact_texts[key].setdefault(entry.family, []).append(entry.text)
                continue
            head, tail = key.split("{", 1)[0], key.rsplit("}", 1)[1]
            where = ("head", head[:2]) if head else ("tail", tail[-2:])
            grouped[(where[0], where[1], entry.family)].setdefault(key, []).append(entry.text)
        self.groups: dict[tuple[str, str], list[_Group]] = defaultdict(list)
        for (side, affix, family), texts in grouped.items():
            self.groups[(side, affix)].append(_Group(family, texts))
        # the groups by the first / last characters of their strings
        self.heads = {a: g for (side, a), g in self.groups.items() if side == "head"}
        self.tails = {a: g for (side, a), g in self.groups.items() if side == "tail"}

    def exact(self, key: str) -> dict[str, bool]:
        """family -> strong, for a key that is a catalog string without placeholders."""
        found = self._exact.get(key)
        if found is None:
            texts = self.exact_texts.get(key, {})
            found = {family: any(strong(t) for t in rows) for family, rows in texts.items()}
            self._exact[key] = found
        return found

    def lookup(self, key: str, question: bool = False, raw: str = "") -> dict[str, bool]:
        """family -> strong, for the normalised line ``key`` (empty when no string matches).

        A ``question`` (the line ends in a question mark) fills no weak label's placeholder:
        ``¿Por qué...?`` is a subheading, not a byline. ``raw`` is the line as written (for
        the case of values).
        """
        found = dict(self.exact(key)) if key in self.exact_texts else {}
        if ":" in key:
            head, value = key.split(":", 1)
            for family in self.labels.get(norm(head), ()):
                if _label_value(value):
                    found[family] = True
        heads, tails, none = self.heads, self.tails, ()
        candidates = [
            group
            for group in (
                *heads.get(key[:2], none),
                *heads.get(key[:1], none),
                *tails.get(key[-2:], none),
                *tails.get(key[-1:], none),
            )
            if key.startswith(group.heads) and key.endswith(group.tails)  # group.may_match
        ]
        words = word_count(key) if candidates else 0
        for group in candidates:
            if group.too_long(words):
                continue
            matched = group.fullmatch(key)
            if matched is None:
                continue
            (name, values), family = matched, group.family
            is_strong, most = group.flags[name]
            if not _good_values(values, most, raw) or (not is_strong and question):
                continue
            found[family] = found.get(family, False) or is_strong
        return found


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The train catalog, compiled on first use."""
    return Matcher(read_catalog("train"))


def _flags(is_strong: bool) -> tuple[bool, int]:
    return is_strong, MAX_VALUE_WORDS if is_strong else MAX_WEAK_VALUE_WORDS


def match(line: str) -> dict[str, bool]:
    """family -> whether the match is strong, for a whole line (empty: not a catalog string).

    A line ending in a comma or semicolon continues a sentence: never a widget. Results are
    cached by line: the family rules of a document ask about the same lines in turn.
    """
    if len(line) > MAX_CHARS:
        return {}
    return _line_match(line)


@lru_cache(maxsize=1 << 16)
def _line_match(line: str) -> dict[str, bool]:
    line = line.strip()
    if len(line) > MAX_CHARS or not line or line[-1] in ",;":
        return {}
    key = norm(line)
    if not key or len(key) > MAX_CHARS:
        return {}
    return matcher().lookup(key, line[-1] in "?？", line)


class _Info:
    """What the family rules share about one document: its original lines and their matches.

    Kept for the last document asked (the rules of one document run one after another), so that
    every family rule sees the original neighbours of a line, whatever earlier rules removed,
    and no line is matched twice.
    """

    def __init__(self, doc: Document) -> None:
        self.source = doc.source
        self.texts = texts = doc.source.split("\n")
        self.found = [
            _NONE if len(text) > MAX_CHARS or not text.strip() else _line_match(text)
            for text in texts
        ]
        self.listed = [i for i, found in enumerate(self.found) if found]  # the catalog strings
        self._bounds: tuple[int, int] | None = None
        self._bounds_known = False
        self.widget = self._widget_blocks() if self.listed else {}
        # whether a line or a line next to it is a catalog string: nothing else can go
        self.near = near = [False] * len(texts)
        for i in self.listed:
            near[max(i - 1, 0) : i + 2] = _NEAR[: min(i + 2, len(texts)) - max(i - 1, 0)]
        self.lines_of = self._family_lines()
        self._listed_flags: dict[str, list[bool]] = {}
        # (index, stripped text) of the non-blank lines of at most MAX_LINE characters
        self._short: list[tuple[int, str]] | None = None
        self._shaped: dict[str, list[int] | None] = {}  # family -> shaped()

    def listed_of(self, family: str) -> list[bool]:
        """For each line, whether it is :attr:`near` a catalog string and :attr:`lines_of`
        lists it for ``family`` (kept per family)."""
        flags = self._listed_flags.get(family)
        if flags is None:
            flags = [False] * len(self.texts)
            for i in self.lines_of.get(family, ()):
                flags[i] = self.near[i]
            self._listed_flags[family] = flags
        return flags

    def _family_lines(self) -> dict[str, list[int]]:
        """family -> the sorted indexes of the whole lines a family rule without a ``shape``
        may drop: its catalog strings, and the unlisted lines of its widgets or next to one
        of its strings. Any other whole line, :meth:`CatalogRule.drop` turns away."""
        out: dict[str, set[int]] = defaultdict(set)
        found, last = self.found, len(self.found) - 1
        for i in self.listed:
            for family in found[i]:
                out[family].add(i)
                if i > 0 and not found[i - 1]:
                    out[family].add(i - 1)
                if i < last and not found[i + 1]:
                    out[family].add(i + 1)
        for i, family in self.widget.items():
            out[family].add(i)
        return {family: sorted(lines) for family, lines in out.items()}

    @property
    def bounds(self) -> tuple[int, int] | None:
        """:meth:`_content_bounds`, computed when first asked (a document without catalog
        strings seldom asks)."""
        if not self._bounds_known:
            self._bounds, self._bounds_known = self._content_bounds(), True
        return self._bounds

    def _content_bounds(self) -> tuple[int, int] | None:
        """The first and last content lines that are no catalog string (``None``: there are
        none), searched from each end: the lines between are never tested."""
        texts, found = self.texts, self.found

        def content(i: int) -> bool:
            text = texts[i]
            return (len(text) > MAX_CHARS or not found[i]) and is_content(text)

        first = next((i for i in range(len(texts)) if content(i)), None)
        if first is None:
            return None
        return first, next(i for i in range(len(texts) - 1, first - 1, -1) if content(i))

    def _widget_blocks(self) -> dict[int, str]:
        """Unlisted lines of blocks that are widgets as a whole: index -> the family.

        A block (lines with no blank line between) made only of short lines (see
        :func:`_short`) and catalog strings is a widget when it holds a catalog string and
        stands after the article, or when at least half of its lines (two or more) are
        catalog strings. Its unlisted lines take the family of the nearest catalog line, except
        the document's first line: a title above a byline stays.
        """
        out: dict[int, str] = {}
        texts, found, end = self.texts, self.found, len(self.texts)
        first = next((i for i, text in enumerate(texts) if text.strip()), -1)  # the title's place
        stop = 0
        for listed_line in self.listed:  # only the blocks that hold a catalog string
            if listed_line < stop:
                continue
            start = listed_line
            while start > stop and texts[start - 1].strip():
                start -= 1
            stop = listed_line + 1
            while stop < end and texts[stop].strip():
                stop += 1
            block = range(start, stop)
            listed = [i for i in block if found[i]]
            if all(found[i] or _short(texts[i].strip()) for i in block):
                after = self.bounds is None or start > self.bounds[1]
                if (after or 2 * len(listed) >= len(block) >= 2) and len(listed) < len(block):
                    for i in block:
                        if not found[i] and i != first:
                            nearest = min((abs(j - i), j) for j in listed)[1]
                            out[i] = min(found[nearest])
        return out

    def shaped(self, rule: CatalogRule) -> list[int] | None:
        """The indexes of the lines of the document that :meth:`CatalogRule.may_shape` of
        ``rule`` lets through (stripped, at most :data:`MAX_LINE` characters), kept per
        family; ``None`` when one of them timed out (any line may then be the shape's).

        The answers are kept by family and line across documents, up to :data:`_MAY_SIZE`
        lines a family (then forgotten all at once).
        """
        family = rule.family
        if family in self._shaped:
            return self._shaped[family]
        if self._short is None:
            self._short = [
                (i, text)
                for i, text in enumerate(text.strip() for text in self.texts)
                if text and len(text) <= MAX_LINE
            ]
        known = _MAY.get(family)
        if known is None:
            known = _MAY[family] = {}
        out: list[int] = []
        for i, text in self._short:
            ok = known.get(text)
            if ok is None:
                try:
                    ok = rule.may_shape(text)
                except TimeoutError:
                    self._shaped[family] = None
                    return None
                if len(known) >= _MAY_SIZE:
                    known.clear()
                known[text] = ok
            if ok:
                out.append(i)
        self._shaped[family] = out
        return out

    def same_block(self, index: int) -> list[dict[str, bool]]:
        """The matches of the lines just before and after ``index`` (blank: nothing)."""
        texts, found = self.texts, self.found
        return [found[i] for i in (index - 1, index + 1) if 0 <= i < len(texts)]


_NONE: dict[str, bool] = {}
_INDEX = operator.attrgetter("index")
_NEAR = [True] * 3
_LAST: _Info | None = None
_MAY: dict[str, dict[str, bool]] = {}  # family -> line -> CatalogRule.may_shape
_MAY_SIZE = 200_000
#: the timeout of the patterns :meth:`CatalogRule.may_shape` runs (``Options.rule_timeout``'s
#: default; a line that times out counts as one the shape may take)
MAY_TIMEOUT = 0.5


def _positions(lines: list[Line], indexes: Iterable[int]) -> list[int]:
    """The positions in ``lines`` (sorted by index) of the lines with the sorted ``indexes``
    that are there."""
    out, lo = [], 0
    for index in indexes:
        i = bisect.bisect_left(lines, index, lo=lo, key=_INDEX)
        if i < len(lines) and lines[i].index == index:
            out.append(i)
        lo = i
    return out


def info(doc: Document) -> _Info:
    """The shared :class:`_Info` of ``doc``."""
    global _LAST
    if _LAST is None or _LAST.source is not doc.source:
        _LAST = _Info(doc)
    return _LAST


def line_match(line: str, ctx: Context) -> dict[str, bool]:
    """:func:`match` of the current line, from the document's shared matches when unchanged."""
    shared = info(ctx.doc)
    index = ctx.line.index
    if index < len(shared.texts) and ctx.line.text == shared.texts[index]:
        return shared.found[index]
    return match(line)


def neighbours(ctx: Context) -> list[tuple[dict[str, bool], bool]]:
    """The matches of the nearest non-blank lines before and after the current one in the
    original text, each with whether it is in the same block (no blank line between)."""
    shared = info(ctx.doc)
    texts = shared.texts
    out = []
    for step in (-1, 1):
        i = ctx.line.index + step
        while 0 <= i < len(texts) and not texts[i].strip():
            i += step
        if 0 <= i < len(texts):
            out.append((shared.found[i], abs(i - ctx.line.index) == 1))
    return out


def supported(ctx: Context, family: str = "") -> bool:
    """Whether the widget goes on next to the current line: a line of the same block (just
    before or after) is a catalog string, or the nearest line across a blank one is a string of
    the same ``family`` (the next button of the same bar). A heading after a widget of another
    kind, across a blank line, is not supported."""
    sides = neighbours(ctx)
    return any(found and (same_block or family in found) for found, same_block in sides)


def catalog_languages(family: str) -> tuple[str, ...]:
    """The languages the train strings of ``family`` cover (``mul`` names count for none)."""
    return tuple(sorted({e.lang for e in read_catalog("train", (family,)) if e.lang != "mul"}))


def after_first_paragraph(ctx: Context) -> bool:
    """Whether the current line sits in the run of short lines right after the first content
    paragraph, where themes put their share bars and print/e-mail/font-size toolbars."""
    first, _ = ctx.content_bounds()
    if ctx.index <= first:
        return False
    return all(not is_content(ctx.lines[i].text) for i in range(first + 1, ctx.index))


def _short(line: str) -> bool:
    """A line short enough to be a widget's (at most :data:`WIDGET_WORDS` words), not ending
    like a sentence or a question: one-line paragraphs and subheadings stay."""
    return (
        bool(line)
        and len(line) <= WIDGET_CHARS
        and line[-1] not in TERMINAL
        and word_count(line) <= WIDGET_WORDS
    )


def zone(ctx: Context) -> str:
    """``ctx.zone``, with the catalog's own long sentences (a consent banner's, a comment
    form's) not counted as content: the footer starts after the last paragraph of the article.

    Computed once per document on the original text (source line indexes), for all the family
    rules.
    """
    bounds = info(ctx.doc).bounds
    if bounds is None:
        return "body"
    index = ctx.line.index
    return "header" if index < bounds[0] else "footer" if index > bounds[1] else "body"


class CatalogRule(LineRule):
    """Drop lines that are one of the train strings of one family of the catalog.

    A *strong* match (a string of two or more words, or a label with a value) goes wherever it
    stands; a *weak* one (one word: ``Home``, ``Print``, ``Tags``) goes only in the header or
    footer zone or next to another catalog line (the rest of its widget), or where the family
    names in ``weak_anywhere`` / ``weak_after_lead`` allow. Subclasses set ``family`` and may
    add ``shape(line, ctx)`` for the family's own forms beyond the catalog (tried first, so
    that a shape that also fills metadata gets the line).
    """

    family: ClassVar[str] = ""
    #: strong matches go anywhere (else only where weak ones go)
    strong_anywhere: ClassVar[bool] = True
    #: weak matches go anywhere (ad markers, agency names alone on a line)
    weak_anywhere: ClassVar[bool] = False
    #: weak matches go right after the first content paragraph (toolbars, share bars)
    weak_after_lead: ClassVar[bool] = False

    def __init__(self) -> None:
        matcher()  # the catalog is indexed when the rules are built, not on the first line

    def drop(self, line: str, ctx: Context) -> bool:
        if len(line) > MAX_LINE:
            return False  # a paragraph: no family's widget line is this long
        if self.shape(line, ctx):
            return True
        near, index = info(ctx.doc).near, ctx.line.index
        if index < len(near) and not near[index]:
            return False
        return self._listed_drop(line, ctx)

    def _listed_drop(self, line: str, ctx: Context) -> bool:
        """What :meth:`drop` says of a line its ``shape`` left, which is no longer than
        :data:`MAX_LINE` and is, or stands next to, a catalog string."""
        found = line_match(line, ctx)
        if not found:
            return self.in_widget(line, ctx)
        if self.family not in found:
            return False
        if (found[self.family] and self.strong_anywhere) or self.weak_anywhere:
            return True
        if zone(ctx) != "body":
            return True
        if self.weak_after_lead and after_first_paragraph(ctx):
            return True
        return supported(ctx, self.family)

    def shape(self, line: str, ctx: Context) -> bool:
        """The family's own shapes beyond the catalog strings (none by default)."""
        return False

    def may_shape(self, line: str) -> bool:
        """Whether :meth:`shape` may take the stripped ``line`` (of at most :data:`MAX_LINE`
        characters) somewhere in some document, or raise :class:`TimeoutError` on it: a
        necessary condition that depends on the line alone (``True`` by default).

        :meth:`skips` and :meth:`_apply` ask it of each line of a document, and the answers
        are kept across documents (see :meth:`_Info.shaped`), so it may cost a pattern.
        """
        return True

    def skips(self, doc: Document, whole: bool) -> bool:
        """Whether the document holds nothing this family could drop: whole lines, no line of
        it listed in :attr:`_Info.lines_of` (see :meth:`_apply`), and no ``shape`` or none
        that :meth:`may_shape` lets through for a line of the document (:meth:`_Info.shaped`)."""
        cls = type(self)
        if not whole or cls.drop is not CatalogRule.drop:
            return False
        shared = info(doc)
        if self.family in shared.lines_of:
            return False
        return cls.shape is CatalogRule.shape or shared.shaped(self) == []

    def _apply(self, doc: Document, ctx: Context) -> None:
        """:meth:`LineRule._apply`, offering :meth:`drop`'s work only on the lines it can drop.

        ``drop`` turns away, without looking further, every line longer than
        :data:`MAX_LINE` and, once the family's ``shape`` has said no, every line that neither
        is nor stands next to a catalog string: those lines are skipped here. When no line lost
        part of its text to an earlier rule, only the lines :attr:`_Info.lines_of` lists for
        the family get past the ``shape``, and only they and the lines
        :meth:`may_shape` lets through are looked at.
        A subclass that writes its own ``drop`` gets every line.
        """
        cls = type(self)
        if cls.drop is not CatalogRule.drop:
            super()._apply(doc, ctx)
            return
        shared = info(doc)
        lines, texts, near = ctx.lines, ctx.texts(), shared.near
        shape = None if cls.shape is CatalogRule.shape else self.shape
        positions: Iterable[int] = range(len(lines))
        if ctx.whole:  # only the family's listed lines can go beyond its shape
            near = shared.listed_of(self.family)
            listed = shared.lines_of.get(self.family, [])
            shaped = [] if shape is None else shared.shaped(self)
            if shaped is not None:  # and only the lines may_shape lets through by it
                indexes = sorted({*listed, *shaped}) if shaped else listed
                positions = _positions(lines, indexes)
        alive, flag = ctx.alive, f"timeout:{self.name}"
        for i in positions:
            line, text = lines[i], texts[i]
            if len(text) > MAX_LINE or (shape is None and not near[line.index]):
                continue
            ctx.index = i
            try:
                hit = (shape is not None and shape(text, ctx)) or (
                    near[line.index] and self._listed_drop(text, ctx)
                )
            except TimeoutError:
                ctx.flag(flag)
                continue
            if hit:
                _drop_line(ctx, line)
                alive[i] = False

    def in_widget(self, line: str, ctx: Context) -> bool:
        """Whether a short line that is no catalog string is part of this family's widget.

        Widgets are blocks of short lines; other software words them otherwise, so a short
        line (at most :data:`WIDGET_WORDS` words, not ending like a sentence or a question:
        one-line paragraphs and subheadings stay) goes when the lines on both sides of it in
        the same block are catalog strings, one of this family, or, after the last content
        paragraph, when one of them is. Lines separated by a blank line are never pulled in:
        a heading after a widget stays.
        """
        shared = info(ctx.doc)
        if shared.widget.get(ctx.line.index) == self.family:
            return True
        sides = shared.same_block(ctx.line.index)
        if not any(self.family in found for found in sides):
            return False
        if not _short(line):
            return False
        return (len(sides) == 2 and all(sides)) or zone(ctx) == "footer"
