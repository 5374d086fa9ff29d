"""Hypothesis strategies for testing boilerplate rules on real text.

Each function returns a :class:`~hypothesis.strategies.SearchStrategy`; options are keyword-only.
Content comes from real prose in twenty languages and eight scripts shipped with the kit
(``cleaner/testing/data/``: the Debian Administrator's Handbook, GNOME Help and UD Hindi-PUD,
see the README there), never from lorem ipsum, so that a rule which also eats real sentences
is caught on the kind of sentence it would eat. Boilerplate comes from the rule's own
``examples``.

Use them in your own property tests::

    from hypothesis import given
    from cleaner.testing import strategies as cst

    @given(cst.content_documents(languages=["en", "de"]))
    def test_keeps_articles(text):
        assert not run_rule(MyRule(), text).removed

or let :func:`cleaner.testing.rule_contract` run the standard checks with them.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from cleaner.rule import Rule, is_content
from cleaner.testing import _data
from cleaner.testing._engine import nonblank, run_rule

__all__ = [
    "Block",
    "Placement",
    "Planted",
    "boilerplate_blocks",
    "boilerplate_lines",
    "content_documents",
    "content_lines",
    "headings",
    "hostile_text",
    "lookalike_lines",
    "mixed_documents",
    "mojibake",
    "near_duplicates",
    "place",
    "placements",
    "planted_documents",
    "prose_languages",
]

Where = Literal["top", "middle", "end"]
RuleLike = Rule | type[Rule]


def prose_languages() -> tuple[str, ...]:
    """The ISO 639-1 codes of the shipped prose samples, English first.

    >>> "ja" in prose_languages() and "ar" in prose_languages()
    True
    """
    return _data.available_languages()


# -- content ---------------------------------------------------------------------------------


def content_lines(
    *, languages: Iterable[str] | None = None, sentences: bool = True
) -> SearchStrategy[str]:
    """One real paragraph line of running text (no newline), in one of ``languages``.

    Paragraphs are 80-450 characters of real prose (40+ in Chinese, Japanese, Korean); with
    ``sentences`` single sentences of 20+ characters are drawn too. ``languages`` defaults to
    every sample (:func:`prose_languages`); an unknown code is a :class:`ValueError`.
    Excludes headings and anything made up. Shrinks towards the first language asked for and
    its shortest line.
    """
    langs = _data.resolve_languages(languages)
    return st.sampled_from(langs).flatmap(lambda lang: st.sampled_from(_lines(lang, sentences)))


def headings(*, languages: Iterable[str] | None = None) -> SearchStrategy[str]:
    """A real section or page title: short, often without final punctuation, never boilerplate.

    Titles come from the same documents as :func:`content_lines` (``Configuring the printer``,
    ``システム``, ``Зміна назви принтера``). Shrinks towards the shortest title of the first
    language.
    """
    langs = [lang for lang in _data.resolve_languages(languages) if _data.headings(lang)]
    return st.sampled_from(langs).flatmap(lambda lang: st.sampled_from(_data.headings(lang)))


def lookalike_lines(*, languages: Iterable[str] | None = None) -> SearchStrategy[str]:
    """Content lines that look like boilerplate to a careless rule, and must stay.

    Draws real headings, short real sentences, list items made of a real sentence behind a
    bullet or number, and (when English is among ``languages``) the seeds' look-alike lines:
    prose that mentions comments, photos, sources, links or ratings
    (``The comments section of the filing was left blank, the regulator said.``).
    Excludes real boilerplate. Shrinks towards the shortest heading of the first language.
    """
    langs = _data.resolve_languages(languages)
    return st.one_of(headings(languages=langs), _lookalike_sentences(langs))


def _lookalike_sentences(langs: Sequence[str]) -> SearchStrategy[str]:
    """The look-alikes that are not headings: short sentences, list items, seed look-alikes."""
    options: list[SearchStrategy[str]] = []
    with_sentences = [lang for lang in langs if _data.sentences(lang)]
    if with_sentences:
        short = st.sampled_from(with_sentences).flatmap(
            lambda lang: st.sampled_from(_data.sentences(lang))
        )
        options.append(short)
        bullets = st.sampled_from(("• ", "- ", "1. ", "* ", "— "))
        options.append(st.tuples(bullets, short).map("".join))
    if "en" in langs:
        options.append(st.sampled_from(_data.lookalikes()))
    return st.one_of(options) if options else content_lines(languages=langs, sentences=False)


def content_documents(
    *,
    languages: Iterable[str] | None = None,
    min_paragraphs: int = 1,
    max_paragraphs: int = 6,
    lookalikes: bool = True,
) -> SearchStrategy[str]:
    """A document with no boilerplate at all: real paragraphs in one language, laid out as
    scraped articles are.

    An optional title, then sections of an optional heading and paragraphs (with
    ``lookalikes``, some are :func:`lookalike_lines`), separated by one or two newlines, with
    or without a final newline. A heading is always followed by a paragraph, and the document
    never ends with a heading; no line occurs twice (a repeated line is a job for dedup). A
    correct rule removes nothing from it. Shrinks towards one short paragraph of the first
    language, without a title.
    """
    if not 1 <= min_paragraphs <= max_paragraphs:
        raise ValueError("content_documents needs 1 <= min_paragraphs <= max_paragraphs.")
    langs = _data.resolve_languages(languages)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        lang = draw(st.sampled_from(langs))
        body: SearchStrategy[str] = content_lines(languages=[lang])
        if lookalikes:
            body = st.one_of(body, _lookalike_sentences([lang]))
        titles = _data.headings(lang)
        paras = draw(st.lists(body, min_size=min_paragraphs, max_size=max_paragraphs, unique=True))
        spare = [t for t in titles if t not in paras]
        heads = draw(st.lists(st.sampled_from(spare), max_size=len(paras) + 1, unique=True))
        heads = heads if spare else []
        lines: list[str] = []
        if len(heads) > 0 and draw(st.booleans()):
            lines.append(heads.pop())
        for para in paras:
            if heads and draw(st.integers(0, 3)) == 3:
                lines.append(heads.pop())
            lines.append(para)
        return _layout(draw, lines)

    return build()


def _lines(lang: str, sentences: bool) -> tuple[str, ...]:
    lines = _data.paragraphs(lang) + (_data.sentences(lang) if sentences else ())
    return tuple(sorted(lines, key=lambda t: (len(t), t)))


def _layout(draw: st.DrawFn, lines: Sequence[str]) -> str:
    separator = draw(st.sampled_from(("\n", "\n\n")))
    return separator.join(lines) + draw(st.sampled_from(("\n", "")))


# -- boilerplate from a rule's examples -------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A run of lines that one of a rule's examples changes, and where in the article it sits.

    ``before`` are the lines as they stand in the example's input, ``after`` what the rule
    leaves of them (empty when it drops them whole); ``where`` is ``top`` when no kept line
    precedes them in the example, ``end`` when none follows, ``middle`` otherwise.
    ``context_before`` / ``context_after`` are the kept lines right next to them in the example
    (a caption under an article card, the title a repeated title repeats), which a rule may
    need to see to recognise the block.
    """

    before: tuple[str, ...]
    after: tuple[str, ...]
    where: Where
    context_before: tuple[str, ...] = ()
    context_after: tuple[str, ...] = ()

    def lines(self, placement: Placement) -> tuple[list[str], list[str]]:
        """The lines to plant and the lines a correct rule leaves, for ``placement``."""
        head = list(self.context_before) if placement.context else []
        tail = list(self.context_after) if placement.context else []
        return head + list(self.before) + tail, head + list(self.after) + tail


@dataclass(frozen=True)
class Placement:
    """Where a block goes in an article (``top``, ``middle``, ``end``) and whether its
    example's neighbouring lines go with it."""

    where: Where
    context: bool


@dataclass(frozen=True)
class Planted:
    """A document with boilerplate planted in it, and what a correct rule leaves of it.

    ``expected`` is ``text`` with every planted block replaced by its ``after`` lines;
    compare the two line by line, ignoring blank lines and surrounding white space (the engine
    tidies blank lines around removals).
    """

    text: str
    expected: str
    blocks: tuple[Block, ...]


def boilerplate_blocks(rule: RuleLike) -> tuple[Block, ...]:
    """The blocks of lines that ``rule``'s examples change, in example order.

    Lines are compared with :class:`difflib.SequenceMatcher` over the non-blank lines of each
    example's before and after.

    >>> from cleaner.rule import LineRule
    >>> class Ad(LineRule):
    ...     '''Drop "Advertisement" lines.'''
    ...     name = "ad"
    ...     examples = [("Title\\nAdvertisement\\nText.\\n", "Title\\nText.\\n")]
    >>> block = boilerplate_blocks(Ad)[0]
    >>> block.before, block.after, block.where, block.context_before, block.context_after
    (('Advertisement',), (), 'middle', ('Title',), ('Text.',))
    """
    blocks: list[Block] = []
    for before, after in rule.examples:
        old, new = nonblank(before), nonblank(after)
        opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
        kept = {i for tag, i1, i2, _, _ in opcodes if tag == "equal" for i in range(i1, i2)}
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal" or i1 == i2:
                continue
            where: Where = "middle"
            if not any(i < i1 for i in kept):
                where = "top"
            elif not any(i >= i2 for i in kept):
                where = "end"
            block = Block(
                tuple(old[i1:i2]),
                tuple(line.strip() for line in new[j1:j2]),
                where,
                (old[i1 - 1],) if i1 - 1 in kept else (),
                (old[i2],) if i2 in kept else (),
            )
            if block not in blocks:
                blocks.append(block)
    return tuple(blocks)


def boilerplate_lines(rule: RuleLike) -> SearchStrategy[str]:
    """One line that ``rule``'s examples remove or edit, exactly as it stands there.

    Raises :class:`ValueError` when no example changes a line: such a rule gives a contract
    nothing to plant. Shrinks towards the first such line of the first example.
    """
    lines = [line for block in boilerplate_blocks(rule) for line in block.before]
    if not lines:
        raise ValueError(
            f"rule {rule.name!r}: none of its examples removes or changes a line; add an "
            "example whose `after` differs from its `before`."
        )
    return st.sampled_from(list(dict.fromkeys(lines)))


def placements(block: Block) -> tuple[Placement, ...]:
    """The placements tried for ``block``, most faithful to its example first.

    Its own position without, then with its neighbouring lines; then, with them, the top and
    the end of the article (a rule that keys on the first line, or on the footer zone).
    """
    candidates = [
        Placement(block.where, False),
        Placement(block.where, True),
        Placement("top", True),
        Placement("end", True),
    ]
    if not (block.context_before or block.context_after):
        candidates = [c for c in candidates if not c.context] + [Placement("top", False)]
    return tuple(dict.fromkeys(candidates))


def place(
    rule: Rule, block: Block, *, languages: Iterable[str] | None = None, options: Any = None
) -> Placement | None:
    """The first of :func:`placements` at which ``rule`` turns ``block`` into its ``after``
    inside a real article (the two shortest content paragraphs of the first language), or
    ``None`` when there is none: the rule then depends on something its example does not show.
    """
    lang = next(
        lang for lang in _data.resolve_languages(languages) if len(_content_paragraphs(lang)) >= 2
    )
    paras = list(_content_paragraphs(lang)[:2])
    for placement in placements(block):
        text, expected = _assemble(paras, [(block, placement, 1)])
        got = [line.strip() for line in nonblank(run_rule(rule, text, options).text)]
        if got == [line.strip() for line in nonblank(expected)]:
            return placement
    return None


def planted_documents(
    rule: RuleLike,
    *,
    languages: Iterable[str] | None = None,
    max_paragraphs: int = 5,
    options: Any = None,
) -> SearchStrategy[Planted]:
    """Real articles with ``rule``'s boilerplate planted where its examples put it.

    Each document has 2 to ``max_paragraphs`` real content paragraphs (sentences of 10+
    words, so that the engine's header / body / footer zones fall where they would in an
    article) in one language, and one to three :func:`boilerplate_blocks` planted whole:
    ``top`` blocks before the first paragraph, ``end`` blocks after the last, ``middle``
    blocks between two paragraphs, with the example's neighbouring lines where the rule needs
    them (see :func:`place`; a block no placement suits is planted at its own position).
    Comes with the expected result. Raises :class:`ValueError` when the examples change
    nothing. Shrinks towards the first block planted in two short paragraphs of the first
    language.
    """
    blocks = boilerplate_blocks(rule)
    if not blocks:
        raise ValueError(
            f"rule {rule.name!r}: none of its examples removes or changes a line, so there "
            "is nothing to plant; add an example whose `after` differs from its `before`."
        )
    instance = rule() if isinstance(rule, type) else rule
    placed = [
        (block, place(instance, block, languages=languages, options=options)) for block in blocks
    ]
    chosen_from = [(b, p or Placement(b.where, False)) for b, p in placed]
    langs = [
        lang for lang in _data.resolve_languages(languages) if len(_content_paragraphs(lang)) >= 2
    ]

    @st.composite
    def build(draw: st.DrawFn) -> Planted:
        lang = draw(st.sampled_from(langs))
        paras = draw(
            st.lists(
                st.sampled_from(_content_paragraphs(lang)),
                min_size=2,
                max_size=max(2, max_paragraphs),
                unique=True,
            )
        )
        picks = draw(st.lists(st.sampled_from(chosen_from), min_size=1, max_size=3, unique=True))
        picks.sort(key=chosen_from.index)
        planted: list[tuple[Block, Placement, int]] = []
        seen: set[str] = set(paras)
        for block, placement in picks:
            lines = block.lines(placement)[0]
            if seen.intersection(lines):
                continue  # the same line twice would test dedup, not this block
            seen.update(lines)
            planted.append((block, placement, draw(st.integers(1, len(paras) - 1))))
        separator = draw(st.sampled_from(("\n\n", "\n")))
        end = draw(st.sampled_from(("\n", "")))
        text, expected = _assemble(paras, planted, separator, end)
        return Planted(text, expected, tuple(block for block, _, _ in planted))

    return build()


def _assemble(
    paras: Sequence[str],
    planted: Sequence[tuple[Block, Placement, int]],
    separator: str = "\n\n",
    end: str = "\n",
) -> tuple[str, str]:
    """The text and the expected text of ``paras`` with the blocks planted in them."""
    gaps: dict[int, list[tuple[list[str], list[str]]]] = {}
    for block, placement, middle in planted:
        gap = {"top": 0, "end": len(paras)}.get(placement.where, middle)
        gaps.setdefault(gap, []).append(block.lines(placement))
    text: list[str] = []
    expected: list[str] = []
    for i in range(len(paras) + 1):
        for lines, kept in gaps.get(i, ()):
            text.extend(lines)
            expected.extend(kept)
        if i < len(paras):
            text.append(paras[i])
            expected.append(paras[i])
    return separator.join(text) + end, separator.join(expected) + end


def mixed_documents(
    rule: RuleLike, *, languages: Iterable[str] | None = None, max_lines: int = 10
) -> SearchStrategy[str]:
    """Documents of 1 to ``max_lines`` lines mixing ``rule``'s boilerplate lines, real
    content, look-alike lines and blank lines in any order.

    There is no expected result: these are for properties that hold on any text (idempotence,
    subtraction, recorded removals). When the examples change nothing, only content is
    drawn. Shrinks towards a single boilerplate line.
    """
    parts: list[SearchStrategy[str]] = []
    if boilerplate_blocks(rule):
        parts.append(boilerplate_lines(rule))
    parts += [
        content_lines(languages=languages),
        lookalike_lines(languages=languages),
        st.just(""),
    ]

    @st.composite
    def build(draw: st.DrawFn) -> str:
        lines = draw(st.lists(st.one_of(parts), min_size=1, max_size=max_lines))
        return "\n".join(lines) + draw(st.sampled_from(("\n", "")))

    return build()


def _content_paragraphs(lang: str) -> tuple[str, ...]:
    return tuple(p for p in _data.paragraphs(lang) if is_content(p))


# -- damaged and hostile text -----------------------------------------------------------------


def _sloppy(error: UnicodeDecodeError) -> tuple[str, int]:
    # bytes that a code page leaves undefined come through as Latin-1, as browsers show them
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("boilerclean-sloppy", _sloppy)  # type: ignore[arg-type]

MOJIBAKE_ENCODINGS = ("cp1252", "latin-1", "cp1251", "mac_roman", "cp437", "iso8859_2")


def mojibake(
    text: str,
    *,
    encodings: Sequence[str] = MOJIBAKE_ENCODINGS,
    max_rounds: int = 2,
    partial: bool = True,
) -> SearchStrategy[str]:
    """``text`` as it comes out of a wrong decode: its UTF-8 bytes read as another code page.

    One to ``max_rounds`` rounds (double mojibake is common on the web), applied either to the
    whole text or, with ``partial``, to one slice of it (pages assembled from parts in
    different encodings; a short damaged slice is hard to repair, even for ftfy).
    Bytes the code page leaves undefined come through as Latin-1, as browsers show them.
    ASCII text is its own mojibake and comes back unchanged; so does any text whose damaged
    slice is ASCII. Shrinks towards one round of the first encoding over the whole text.

    >>> from hypothesis import find
    >>> find(mojibake("café"), lambda s: True)
    'cafÃ©'
    """
    for encoding in encodings:
        codecs.lookup(encoding)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        encoding = draw(st.sampled_from(list(encodings)))
        rounds = draw(st.integers(1, max(1, max_rounds)))
        start, end = 0, len(text)
        if text and partial and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
        part = text[start:end]
        for _ in range(rounds):
            part = part.encode("utf-8", "surrogatepass").decode(encoding, "boilerclean-sloppy")
        return text[:start] + part + text[end:]

    return build()


_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
NearEdit = Literal["drop", "repeat", "swap", "digit", "case", "punctuation"]
_EDITS: tuple[NearEdit, ...] = ("drop", "repeat", "swap", "digit", "case", "punctuation")


def near_duplicates(paragraph: str, *, max_edits: int = 3) -> SearchStrategy[str]:
    """Near-duplicates of ``paragraph``: the edits syndicated copies of a story carry.

    One to ``max_edits`` edits, each dropping, repeating or swapping a word (a character in
    scripts written without spaces), changing a digit, the case of a word or a punctuation
    mark. Never returns ``paragraph`` itself. Shrinks towards dropping the first word.
    Raises :class:`ValueError` for an empty paragraph.

    >>> from hypothesis import find
    >>> find(near_duplicates("Reuters reported the deal on Monday."), lambda s: True)
    'reported the deal on Monday.'
    """
    if not paragraph.strip():
        raise ValueError("near_duplicates needs a paragraph with some text in it.")
    spaced = len(paragraph.split()) > 1 and not _UNSPACED.search(paragraph)

    def tokens(text: str) -> list[str]:
        return text.split(" ") if spaced else list(text)

    def join(parts: list[str]) -> str:
        return " ".join(parts) if spaced else "".join(parts)

    def edit(text: str, kind: NearEdit, where: int) -> str:
        parts = tokens(text)
        i = where % len(parts)
        if kind == "drop" and len(parts) > 1:
            del parts[i]
        elif kind == "repeat":
            parts.insert(i, parts[i])
        elif kind == "swap" and len(parts) > 1:
            j = (i + 1) % len(parts)
            parts[i], parts[j] = parts[j], parts[i]
        elif kind == "digit":
            digits = [k for k, ch in enumerate(text) if ch.isdigit() and ch.isascii()]
            if digits:
                k = digits[where % len(digits)]
                return text[:k] + str((int(text[k]) + 1) % 10) + text[k + 1 :]
            return text + " 2"
        elif kind == "case":
            parts[i] = parts[i].swapcase()
        elif kind == "punctuation":
            marks = [k for k, ch in enumerate(text) if ch in ",.;:!?。、，"]
            if marks:
                k = marks[where % len(marks)]
                return text[:k] + ("," if text[k] != "," else ";") + text[k + 1 :]
            return text + "."
        return join(parts)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        edits = draw(
            st.lists(
                st.tuples(st.sampled_from(_EDITS), st.integers(0, 10_000)),
                min_size=1,
                max_size=max(1, max_edits),
            )
        )
        text = paragraph
        for kind, where in edits:
            text = edit(text, kind, where)
        if text == paragraph:
            parts = tokens(paragraph)
            text = join(parts[1:]) if len(parts) > 1 else paragraph + paragraph
        return text

    return build()


_UNITS = (
    "a", "a ", "ab", " ", "word ", "-", "=", "(", ")", "*", ".", "!", "0", "[", "<", "/", "é",
    "字", "ب", "ж", "\t", "a1", "|", ":", "_", "#", "@", "%", "…", "١",
)  # fmt: skip
_TAILS = ("", "!", "?", "\x00", " x", ":", ")", "\u200f", "\n")
_COMBINING = ("\u0301", "\u0308", "\u0327", "\u20dd", "\u0489", "\u0e49", "\u093c", "\u05b4")
_BIDI = ("\u202e", "\u202d", "\u202b", "\u202a", "\u2066", "\u2067", "\u2068", "\u200f", "\u061c")
_EMOJI = (
    "😀", "👍🏽", "👩\u200d👩\u200d👧\u200d👦", "🇫🇷", "❤\ufe0f", "🏳\ufe0f\u200d🌈", "1\ufe0f\u20e3",
    "🧑🏿\u200d🚀", "\U000e0067",
)  # fmt: skip
_CONTROLS = (
    *(chr(c) for c in (*range(0, 9), 11, 12, *range(13, 32), 127)),
    "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u00ad", "\ufffd", "\ufffe",
)  # fmt: skip
_SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")


def hostile_text(
    *,
    max_length: int = 100_000,
    seeds: Iterable[str] = (),
    surrogates: bool = True,
) -> SearchStrategy[str]:
    """Text built to break or stall a rule: the inputs a crawl eventually delivers.

    Up to five pieces, joined by a newline, nothing, a space or ``\\r\\n``:

    - very long lines: one unit (``a``, ``word``, spaces, brackets, ``字``...) repeated up to
      ``max_length`` characters, with or without a tail that stops a pattern from matching
      (``!``, NUL, ``:``): the classic trigger of catastrophic backtracking;
    - ``seeds`` (pass the rule's own boilerplate lines) cut and repeated the same way, so that
      a pattern gets deep into a partial match before failing;
    - stacks of combining marks, right-to-left text with bidi controls, emoji sequences with
      joiners and skin tones, C0/C1 control characters, BOM, zero-width and line/paragraph
      separators;
    - with ``surrogates``, lone surrogate code points (a Python ``str`` holds them; they
      cannot be encoded as UTF-8, so leave them out for code paths that encode);
    - arbitrary Unicode text.

    Shrinks towards a single short line of one repeated character.
    """
    if max_length < 1:
        raise ValueError("hostile_text needs max_length >= 1.")
    seed_lines = [line for line in dict.fromkeys(s.strip() for s in seeds) if line]

    @st.composite
    def repeated(draw: st.DrawFn, units: Sequence[str]) -> str:
        unit = draw(st.sampled_from(units))
        count = draw(st.integers(1, max(1, max_length // max(1, len(unit)))))
        return (unit * count)[:max_length] + draw(st.sampled_from(_TAILS))

    @st.composite
    def seeded(draw: st.DrawFn) -> str:
        line = draw(st.sampled_from(seed_lines))
        cut = draw(st.integers(1, len(line)))
        unit = line[:cut] + draw(st.sampled_from(("", " ", "\t")))
        count = draw(st.integers(1, max(1, max_length // len(unit))))
        return (unit * count)[:max_length] + draw(st.sampled_from(_TAILS))

    def stacked(chars: Sequence[str], base: SearchStrategy[str]) -> SearchStrategy[str]:
        return st.lists(
            st.tuples(base, st.sampled_from(chars), st.integers(1, 300)), max_size=8
        ).map(lambda items: "".join(b + c * n for b, c, n in items))

    pieces: list[SearchStrategy[str]] = [
        repeated(_UNITS),
        stacked(_COMBINING, st.sampled_from(("e", "a", "ก", "क", "ש", ""))),
        stacked(_BIDI, content_lines(languages=["ar", "en"], sentences=False)),
        st.tuples(
            st.lists(st.sampled_from(_EMOJI), min_size=1, max_size=8), st.integers(1, 500)
        ).map(lambda items: "".join(items[0]) * items[1]),
        stacked(_CONTROLS, st.sampled_from(("", "x", "Comments ", "读"))),
        st.text(max_size=300),
    ]
    if seed_lines:
        pieces.insert(1, seeded())
    if surrogates:
        pieces.append(stacked(_SURROGATES, st.sampled_from(("", "a", "\ud83d"))))

    @st.composite
    def build(draw: st.DrawFn) -> str:
        parts = draw(st.lists(st.one_of(pieces), min_size=1, max_size=5))
        return draw(st.sampled_from(("\n", "", " ", "\r\n"))).join(parts)

    return build()
