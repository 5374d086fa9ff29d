"""The repair stage: mojibake repair with ftfy, configured for training data, then Unicode and
white-space hygiene that never touches the inside of a line.

What it does, in order (each step is named in ``fixes`` only when it changed something):

1. ``line_breaks``: every line boundary that :meth:`str.splitlines` knows (``\\r\\n``, ``\\r``,
   ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``, U+2028, U+2029) becomes ``\\n``. NEXT LINE (U+0085) is
   left for ftfy: in scraped text it is nearly always a mojibaked ellipsis "…".
2. ``nfc``: Unicode NFC, so that ftfy sees composed letters (mojibake written in NFD, such as
   ``A`` + combining tilde for "Ã", is only recognised once composed).
3. ftfy, conservatively (:data:`FTFY_CONFIG`); its explanation steps are listed as
   ``action:parameter`` (``encode:sloppy-windows-1252``, ``decode:utf-8``,
   ``apply:unescape_html``...).
4. ``control_chars``: control characters (Unicode category Cc) other than ``\\n`` and ``\\t``
   are removed; these are the C1 characters that ftfy could not map (bytes 0x81, 0x8D, 0x8F,
   0x90, 0x9D have no Windows-1252 meaning) and anything an HTML entity decoded to.
5. ``whitespace``: trailing white space on each line is removed, runs of blank lines become one
   blank line, blank lines at the start and end of the document go (a final newline stays if
   there was one).

What it deliberately leaves alone: the inside of every line beyond encoding repair. Curly
quotes, guillemets, dashes, ligatures, fullwidth forms, non-breaking spaces, zero-width joiners,
runs of inner spaces and leading indentation all stay as they are (``"(LLM).Il"`` stays too).

>>> text, fixes = repair_text("cafÃ© crÃ¨me  “brûlée”   \\r\\n\\r\\n\\r\\nend")
>>> text
'café crème  “brûlée”\\n\\nend'
>>> fixes
['line_breaks', 'apply:decode_inconsistent_utf8', 'whitespace']
>>> repair_text("Tom &amp; Jerry")
('Tom & Jerry', ['apply:unescape_html'])
>>> repair_text("Already clean: l’été, «\\u00a0guillemets\\u00a0», ﬁn, ＡＢＣ, 東京。")
('Already clean: l’été, «\\xa0guillemets\\xa0», ﬁn, ＡＢＣ, 東京。', [])

The fast path
-------------
ftfy runs at about 1-2 MB of text per CPU second, and most of that time goes into its mojibake
heuristic (``ftfy.badness.is_bad``), which it evaluates even on text that is perfectly clean.
:func:`repair_text` gives ftfy only the segments that ftfy could change. ``ftfy.fix_text``
fixes text in independent segments (each line with its ``\\n``, long lines cut every
``max_decode_length`` code points), so fixing only some segments and leaving the others as they
are gives the same result, byte for byte, as running ftfy on everything
(``tests/test_repair.py`` checks this with hypothesis). A segment is left alone only when
every fixer in :data:`FTFY_CONFIG` is provably the identity on it:

* ``fix_encoding`` (with its sub-steps) changes nothing unless ``is_bad(segment)`` is true,
  i.e. unless ``BADNESS_RE`` matches. Every alternative of ``BADNESS_RE`` contains a
  mandatory single-character node made only of non-ASCII characters; the *anchor* of an
  alternative is such a node, chosen to be rare in clean text, and :data:`_ANCHORS` is the
  union of all anchors, read from the compiled pattern itself (:func:`_badness_branches`). A
  segment with no anchor character cannot match. For each anchor character found, the
  alternatives that have it as their anchor are matched at the start positions they would
  have (:func:`_anchor_checks`: the alternatives, compiled per character and offset from
  ftfy's parsed pattern), which answers ``is_bad`` for that spot exactly; a segment denser in
  anchors than a quarter of its length gets one ``BADNESS_RE`` search instead.
* ``fix_c1_controls``: C1 controls (U+0080-U+009F) are an alternative of ``BADNESS_RE`` of
  their own, so they are anchors.
* ``remove_control_chars`` and ``remove_terminal_escapes``: the characters of
  ``ftfy.chardata.CONTROL_CHARS`` (ESC, which starts every terminal escape, is one) send a
  segment to ftfy unconditionally; so do UTF-16 surrogates (``fix_surrogates``).
* ``unescape_html``: a match of ftfy's own ``HTML_ENTITY_RE`` sends the segment to ftfy when
  unescaping is on for the document.
* normalization: the text is NFC before ftfy sees it, so NFC is the identity.

The other ftfy fixers are off, so they need no test. Text that is pure ASCII and has no
entity or control character, and text whose lines hold no anchor at all, never reaches ftfy.

What keeps clean text cheap (about 45 MB/s on the benchmark corpus, against 12 before):

* one regex scan of the whole document for suspect characters (:func:`_dirty_segments`), not
  one per line; each suspect character is checked where it stands, and a segment found dirty
  is skipped to its end;
* on the segments that do go to ftfy, its passes are replayed step for step
  (:func:`_fix_segment`): ftfy repeats its pass, and inside it the encoding step, until the
  text stops changing, so its last round runs a full ``is_bad`` over text that is already
  fixed; that round is skipped when the same per-line checks prove it the identity;
* the stage's own steps test before they work: line breaks with eight ``in`` tests, white
  space with a search that jumps from newline to newline (:func:`_untidy`), NFC with
  ``unicodedata.is_normalized``; and line breaks, control characters and NFC are checked a
  second time only when ftfy saw part of the text (every control character makes its segment
  go to ftfy, so text that ftfy did not see has none).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from importlib import import_module
from typing import Any

import ftfy
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from ftfy.chardata import CONTROL_CHARS, HTML_ENTITY_RE

from cleaner.config import Options
from cleaner.document import Document

__all__ = ["FTFY_CONFIG", "Repairer", "repair_text"]

# The standard library's own regular-expression parser and compiler, to read ftfy's pattern
# and compile parts of it (see _badness_branches); private modules, hence typed loosely.
try:
    _SRE: Any = import_module("re._constants")
    _SRE_PARSER: Any = import_module("re._parser")
    _SRE_COMPILER: Any = import_module("re._compiler")
except ImportError:  # pragma: no cover - a Python without them: no fast path
    _SRE = _SRE_PARSER = _SRE_COMPILER = None

#: ftfy's configuration for training data. The reasoning follows datatrove's
#: ``pipeline/formatters/ftfy.py`` ("fixing unreadable/wrong encoding text is good. Enforcing a
#: specific/strict formatting isn't"): every fix that undoes an encoding accident is on, every
#: fix that only changes how correct text is written is off, so that a model trained on the
#: output still sees the characters people really write.
FTFY_CONFIG = ftfy.TextFixerConfig(
    # Decoding "&amp;" or "&#8217;" left in scraped text is repair. "auto" in ftfy turns it off
    # from the first line with a "<" on; here it is decided once per document (see
    # _config_for): a document that contains "<" may be markup or talk about markup, and
    # keeps its entities everywhere.
    unescape_html=True,
    # ANSI colour codes in logs and terminal captures are not text.
    remove_terminal_escapes=True,
    # The point of the stage: mojibake repair, with ftfy's sub-steps. restore_byte_a0 and
    # replace_lossy_sequences only act inside text that already tested as mojibake.
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    # Off: these enforce one way of writing correct text. "ﬁ" and the Croatian digraph "ǌ" are
    # real characters; fullwidth forms are the correct punctuation in Chinese and Japanese
    # (ftfy would turn "，" into ","); curly quotes are what most published text uses (ftfy's
    # defaults changed 186 of 317 clean documents measured here, all by uncurling quotes).
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    # Off in ftfy because this stage does it itself, before ftfy, so that ftfy's segments are
    # real lines (ftfy only splits on "\n").
    fix_line_breaks=False,
    # A lone surrogate cannot even be written as UTF-8; pairs are UTF-16 leftovers.
    fix_surrogates=True,
    # NUL, BOM, interlinear annotation marks...: "they're literally useless" (datatrove).
    remove_control_chars=True,
    # The input is NFC already (step 2); this keeps ftfy's own output NFC when a decoded
    # sequence comes out decomposed.
    normalization="NFC",
    max_decode_length=1_000_000,
    explain=True,
)

# -- steps of our own ---------------------------------------------------------------------------

# str.splitlines() boundaries except U+0085 NEXT LINE, which ftfy reads as mojibake of "…".
_LINE_BREAK_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\u2028\u2029"
# What _line_breaks does, as one pattern (tests/test_repair.py checks them against each other).
_LINE_BREAKS_RE = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\u2028\u2029]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Cc minus \t and \n
# Three or more newlines; spelt so that the regex engine can search for the literal prefix.
_BLANK_RUNS_RE = re.compile("\n\n\n+")
# White space (what str.rstrip strips) just before a newline, found from the newline.
_TRAILING_SPACE_RE = re.compile(r"\n(?<=[^\S\n]\n)")


def _line_breaks(text: str) -> str:
    r"""Every line boundary becomes ``\n``.

    ``in`` and ``str.replace`` (C, a few GB/s) instead of a regex substitution (about ten
    times slower on text in which the regex engine cannot skip ahead).

    >>> _line_breaks("a\r\nb\rc\u2028d\x0ce\x85f\r\r\n")
    'a\nb\nc\nd\ne\x85f\n\n'
    """
    present = [char for char in _LINE_BREAK_CHARS if char in text]
    if not present:
        return text
    text = text.replace("\r\n", "\n")
    for char in present:
        text = text.replace(char, "\n")
    return text


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _whitespace(text: str) -> str:
    r"""Trailing white space off each line, blank-line runs to one, no blank lines at the ends.

    White space inside a line, leading indentation and a final newline stay.

    >>> _whitespace("\n \nTitle \t\n\n\n\n  indented  text\u00a0\n\n")
    'Title\n\n  indented  text\n'
    """
    if not _untidy(text):
        return text
    lines = [line.rstrip() for line in text.split("\n")]
    body = _BLANK_RUNS_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    if body and text.endswith("\n"):
        body += "\n"
    return body


def _untidy(text: str) -> bool:
    r"""Whether :func:`_whitespace` would change ``text``: white space before a ``\n`` or at
    the end, three ``\n`` in a row, a ``\n`` first, two last.

    The white space test starts at each ``\n`` and looks one character back, so the regex
    engine jumps from newline to newline instead of testing a character class everywhere.

    >>> _untidy("Title\n\nBody\n"), _untidy("Title \nBody"), _untidy("Title\nBody\u3000")
    (False, True, True)
    """
    return bool(
        _TRAILING_SPACE_RE.search(text)
        or "\n\n\n" in text
        or text.startswith("\n")
        or text.endswith("\n\n")
        or (text[-1:].isspace() and not text.endswith("\n"))
    )


# -- the fast path ------------------------------------------------------------------------------


def _badness_branches() -> list[tuple[set[int], int, int, Any]]:
    """The top-level alternatives of ``BADNESS_RE``, each with its anchor: the anchor's code
    points, its smallest and largest offset from the start of a match, the parsed alternative.

    Reads the compiled pattern with the standard library's regular-expression parser. Every
    top-level alternative must have a mandatory node made only of non-ASCII characters; of
    those, the one with the fewest characters that clean text uses a lot is taken (see
    :func:`_commonness`). If ftfy ever ships a pattern that breaks this assumption, this
    raises and the stage falls back to running ftfy on everything.
    """
    parsed = _SRE_PARSER.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    top = parsed.data
    branches = top[0][1][1] if len(top) == 1 and top[0][0] is _SRE.BRANCH else [parsed]
    result = []
    for branch in branches:
        best: tuple[tuple[int, int, int], set[int], int, int] | None = None
        low = high = 0
        for op, arg in branch.data:
            members = _node_members(op, arg)
            if members is not None and min(members) >= 0x80:
                score = (*_commonness(members), len(members))
                if best is None or score < best[0]:
                    best = (score, members, low, high)
            widths = _node_widths(op, arg)
            if widths is None:
                break
            low, high = low + widths[0], high + widths[1]
        if best is None:
            raise ValueError(f"no anchor in an alternative of ftfy's BADNESS_RE: {branch}")
        result.append((best[1], best[2], best[3], branch))
    return result


def _badness_anchors(branches: list[tuple[set[int], int, int, Any]]) -> tuple[str, int, int]:
    """Anchor characters of ``BADNESS_RE``, the anchors' largest offset, the longest match."""
    anchors = set().union(*(members for members, _, _, _ in branches))
    before = max(high for _, _, high, _ in branches)
    width = int(_SRE_PARSER.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1])
    return "".join(map(chr, sorted(anchors))), before, width


def _anchor_checks(
    branches: list[tuple[set[int], int, int, Any]],
) -> dict[str, tuple[tuple[int, re.Pattern[str]], ...]]:
    """For each anchor character: the offsets it can have in a match, each with a compiled
    pattern of exactly the alternatives of ``BADNESS_RE`` that can have it there.

    Matching these at ``position - offset`` answers whether a match of ``BADNESS_RE`` has its
    anchor at ``position``, with one or two short matches instead of a search over the whole
    window (about 10 times faster). Compiled from the parsed alternatives themselves with the
    standard library's compiler, multi-line so that ``^`` matches at every line start.
    """
    flags = BADNESS_RE.flags | re.MULTILINE
    by_char: dict[str, dict[int, list[int]]] = {}
    for index, (members, low, high, _) in enumerate(branches):
        for code in members:
            for offset in range(low, high + 1):
                by_char.setdefault(chr(code), {}).setdefault(offset, []).append(index)
    compiled: dict[tuple[int, ...], re.Pattern[str]] = {}

    def pattern(indices: tuple[int, ...]) -> re.Pattern[str]:
        if indices not in compiled:
            alternatives = [branches[index][3] for index in indices]
            state = alternatives[0].state
            tree = _SRE_PARSER.SubPattern(state, [(_SRE.BRANCH, (None, alternatives))])
            compiled[indices] = _SRE_COMPILER.compile(tree, flags)
        return compiled[indices]

    return {
        char: tuple((offset, pattern(tuple(indices))) for offset, indices in offsets.items())
        for char, offsets in by_char.items()
    }


def _node_members(op: Any, arg: Any) -> set[int] | None:
    """The code points a single-character node matches, or None if it is not one."""
    if op is _SRE.LITERAL:
        return {arg}
    if op is not _SRE.IN:
        return None
    members: set[int] = set()
    for item_op, item_arg in arg:
        if item_op is _SRE.LITERAL:
            members.add(item_arg)
        elif item_op is _SRE.RANGE:
            members.update(range(item_arg[0], item_arg[1] + 1))
        else:  # a category (\s, \w), a negation: not a fixed set of characters
            return None
    return members


def _node_widths(op: Any, arg: Any) -> tuple[int, int] | None:
    """Fewest and most code points a node can consume, or None when unbounded or unknown."""
    if op in (_SRE.LITERAL, _SRE.IN, _SRE.ANY):
        return 1, 1
    if op is _SRE.AT:
        return 0, 0
    if op in (_SRE.MAX_REPEAT, _SRE.MIN_REPEAT):
        low, high, sub = arg
        if high is _SRE.MAXREPEAT:
            return None
        low_width, high_width = sub.getwidth()
        return int(low * low_width), int(high * high_width)
    return None


# How often clean text uses a character, on ftfy's own scale: its badness categories say which
# characters are ordinary in some language ("common", the accented and Greek/Cyrillic letters),
# which are punctuation that clean text uses (curly quotes are in the start/end punctuation),
# and which are rare outside mojibake (C1 controls, "bad", box drawing). A character in no
# category is weighed by its Unicode category.
_WEIGHTS = {
    "common": 4,
    "lower_common": 4,
    "lower_accented": 4,
    "kaomoji": 4,
    "upper_common": 3,
    "upper_accented": 3,
    "start_punctuation": 3,
    "end_punctuation": 3,
    "currency": 2,
    "law": 2,
    "numeric": 2,
    "c1": 1,
    "bad": 1,
    "box": 1,
}
_CATEGORY_RES = {
    name: re.compile(f"[{chars}]")
    for name, chars in MOJIBAKE_CATEGORIES.items()
    if name in _WEIGHTS
}


@cache
def _weight(char: str) -> int:
    weights = [_WEIGHTS[name] for name, regex in _CATEGORY_RES.items() if regex.match(char)]
    if weights:
        return max(weights)
    category = unicodedata.category(char)
    return 4 if category == "Ll" else 3 if category.startswith("L") else 2


def _commonness(members: set[int]) -> tuple[int, int]:
    """How likely clean text is to contain one of ``members``: the weight of the commonest
    member, and how many members have that weight. Smaller is rarer."""
    weights = [_weight(chr(cp)) for cp in members]
    top = max(weights)
    return top, weights.count(top)


def _class(chars: str) -> str:
    r"""A regular-expression character class matching exactly ``chars``, runs of consecutive
    code points written as ranges (a class of 2,000 single escapes takes a while to parse).

    >>> print(_class("abcx\u00e9"))
    [\U00000061-\U00000063\U00000078\U000000e9]
    """
    codes = sorted(set(map(ord, chars)))
    parts = []
    start = 0
    for index, code in enumerate(codes):
        if index + 1 == len(codes) or codes[index + 1] != code + 1:
            first = codes[start]
            parts.append(f"\\U{first:08x}" + (f"-\\U{code:08x}" if code > first else ""))
            start = index + 1
    return "[" + "".join(parts) + "]"


try:
    _BRANCHES = _badness_branches()
    _ANCHORS, _BEFORE, _WIDTH = _badness_anchors(_BRANCHES)
except (ValueError, AttributeError, ImportError, TypeError):  # pragma: no cover - ftfy changed
    _BRANCHES, _ANCHORS, _BEFORE, _WIDTH = [], "", -1, 0
try:
    _CHECKS = _anchor_checks(_BRANCHES)
except (ValueError, AttributeError, ImportError, TypeError, RuntimeError):  # pragma: no cover
    _CHECKS = {}  # the window search of _is_dirty is used instead, just slower

#: Characters that send their segment to ftfy without further test: what remove_control_chars
#: deletes (ESC among them, so terminal escapes too) and UTF-16 surrogates.
_ALWAYS = "".join(map(chr, sorted(CONTROL_CHARS))) + "".join(map(chr, range(0xD800, 0xE000)))
_SUSPECT_RE = re.compile(_class(_ALWAYS + _ANCHORS))
_ALWAYS_SET = frozenset(_ALWAYS)
_ALWAYS_RE = re.compile(_class(_ALWAYS))
_SUSPECT_OR_AMP_RE = re.compile(_class(_ALWAYS + _ANCHORS + "&"))


def _config_for(text: str) -> ftfy.TextFixerConfig:
    """ftfy's configuration for one document: entities are decoded unless it contains "<"."""
    return FTFY_CONFIG._replace(unescape_html="<" not in text)


def _offsets(text: str, max_length: int) -> Iterator[tuple[int, str]]:
    """The pieces ``ftfy.fix_text`` fixes independently, in order, with their offsets: each
    line with its ``\\n``, cut every ``max_length`` code points; they join back to ``text``.

    >>> list(_offsets("ab\\ncdefg", 3))
    [(0, 'ab\\n'), (3, 'cde'), (6, 'fg')]
    """
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        end = min(end, pos + max_length)
        yield pos, text[pos:end]
        pos = end


def _all_segments(text: str, max_length: int) -> list[tuple[int, int]]:
    """Start and end of every segment, in order."""
    return [(start, start + len(piece)) for start, piece in _offsets(text, max_length)]


def _dirty_segments(text: str, entities: bool, max_length: int) -> list[tuple[int, int]]:
    r"""Start and end of every segment of ``text`` (see :func:`_offsets`) that ftfy,
    configured as :data:`FTFY_CONFIG`, could change, in order.

    One scan of the whole text for suspect characters (anchors, :data:`_ALWAYS`, and "&" when
    ``entities``); each one found is tested where it stands, inside its segment, and a segment
    found dirty is skipped to its end. A segment is left out only when every configured fixer is
    the identity on it (see the module docstring).

    >>> text = "clean “quoted” line\nÃ©tÃ©\nplain\n"
    >>> [text[start:end] for start, end in _dirty_segments(text, False, 1_000_000)]
    ['Ã©tÃ©\n']
    """
    if _BEFORE < 0:
        return _all_segments(text, max_length)
    suspect = _SUSPECT_OR_AMP_RE if entities else _SUSPECT_RE
    dirty: list[tuple[int, int]] = []
    line_start = seg_start = seg_end = budget = 0
    match = suspect.search(text)
    while match is not None:
        pos = match.start()
        if pos >= seg_end:  # the first suspect character of a new segment
            newline = text.rfind("\n", seg_end, pos)
            if newline >= 0:
                line_start = newline + 1
            elif seg_end == 0 or text[seg_end - 1] == "\n":
                line_start = seg_end
            line_end = text.find("\n", pos) + 1 or len(text)
            seg_start = line_start + (pos - line_start) // max_length * max_length
            seg_end = min(line_end, seg_start + max_length)
            # Checking one character costs about as much as BADNESS_RE over 2 characters; past
            # a quarter of the segment's length in checks, one search of all of it is cheaper.
            budget = (seg_end - seg_start) // 4
        if _is_dirty(text, pos, seg_start, seg_end, line_start, entities, budget):
            dirty.append((seg_start, seg_end))
            match = suspect.search(text, seg_end)
        elif budget == 0:  # the whole segment was searched, and it is clean
            match = suspect.search(text, seg_end)
        else:
            budget -= 1
            match = suspect.search(text, pos + 1)
    return dirty


def _is_dirty(
    text: str, pos: int, start: int, end: int, line_start: int, entities: bool, budget: int
) -> bool:
    """Whether the suspect character at ``pos`` makes the segment ``text[start:end]`` one that
    ftfy could change. With no ``budget`` left, the answer is for the whole rest of the segment.

    The checks of :data:`_CHECKS` are matched with ``pos`` and ``endpos`` inside the segment,
    which is the same as matching in the segment itself: they look at no character outside
    the range, and their one ``^`` (multi-line) matches exactly at the segment's start, a line
    start. A segment cut out of a line longer than ``max_decode_length`` does not start a
    line: it is sent to ftfy without a test (such lines are very rare).
    """
    char = text[pos]
    if char in _ALWAYS_SET or start != line_start:
        return True
    if char == "&" and HTML_ENTITY_RE.match(text, pos, end):
        return True
    if budget == 0:
        return bool(
            BADNESS_RE.search(text[start:end])
            or _ALWAYS_RE.search(text, pos, end)
            or (entities and HTML_ENTITY_RE.search(text, pos, end))
        )
    if char == "&":
        return False
    checks = _CHECKS.get(char)
    if checks is None:
        # Without the checks: the window a match through pos lies in. Its "^" may match at a
        # window start that is no line start: a segment sent to ftfy for nothing, never missed.
        return bool(BADNESS_RE.search(text[max(start, pos - _BEFORE) : min(end, pos + _WIDTH)]))
    for offset, pattern in checks:
        if pos - offset >= start and pattern.match(text, pos - offset, end):
            return True
    return False


def _needs_ftfy(segment: str, entities: bool) -> bool:
    r"""Whether ftfy (configured as :data:`FTFY_CONFIG`) could change ``segment``, one line.

    False only when every configured fixer is the identity on it (see the module docstring).

    >>> _needs_ftfy("l’été “au” café\n", False), _needs_ftfy("lâ€™Ã©tÃ©\n", False)
    (False, True)
    """
    return bool(_dirty_segments(segment, entities, FTFY_CONFIG.max_decode_length))


# The fixers of one pass of ftfy.fix_and_explain after fix_encoding, in its order.
_PASS_FIXERS = (
    "fix_c1_controls",
    "fix_latin_ligatures",
    "fix_character_width",
    "uncurl_quotes",
    "fix_line_breaks",
    "fix_surrogates",
    "remove_terminal_escapes",
    "remove_control_chars",
)
# One step of ftfy.fix_encoding_and_explain; private in ftfy, hence looked up with a fallback.
_ENCODING_STEP: Any = getattr(ftfy, "_fix_encoding_one_step_and_explain", None)
_FTFY_CONTROL_RE = re.compile(_class("".join(map(chr, sorted(CONTROL_CHARS)))))


def _settled(text: str, entities: bool) -> bool:
    """Whether one more pass of ftfy would provably change nothing in ``text``, a piece of
    one line that is NFC: :func:`_needs_ftfy`, which only holds within one line."""
    newline = text.find("\n")
    return (newline < 0 or newline == len(text) - 1) and not _dirty_segments(
        text, entities, FTFY_CONFIG.max_decode_length
    )


def _fix_segment(text: str, config: ftfy.TextFixerConfig) -> tuple[str, list[tuple[str, str]]]:
    r"""``ftfy.fix_and_explain(text, config)``, step for step, minus the work that provably
    changes nothing.

    ftfy repeats its pass over a segment, and inside it the one step of encoding repair,
    until the text stops changing; the last round, on text that is already fixed, costs as
    much as the first (a full ``is_bad`` search). Here the last round is skipped when
    :func:`_settled` proves it the identity, and ``remove_control_chars`` (a slow
    ``str.translate``) only runs when there is a character for it to remove.

    >>> _fix_segment("lâ€™Ã©tÃ©\n", _config_for(""))
    ('l’été\n', [('encode', 'sloppy-windows-1252'), ('decode', 'utf-8')])
    """
    if config.unescape_html == "auto" or config.normalization != "NFC" or not config.explain:
        fixed, explanation = ftfy.fix_and_explain(text, config)
        return fixed, list(explanation or ())
    entities = bool(config.unescape_html)
    steps: list[tuple[str, str]] = []
    while True:
        original = text
        text = _apply("unescape_html", text, config, steps)
        if config.fix_encoding:
            text = _fix_encoding(text, config, steps)
        for name in _PASS_FIXERS:
            text = _apply(name, text, config, steps)
        fixed = unicodedata.normalize("NFC", text)
        if fixed != text:
            steps.append(("normalize", "NFC"))
        text = fixed
        if text == original or _settled(text, entities):
            return text, steps


def _apply(name: str, text: str, config: ftfy.TextFixerConfig, steps: list[Any]) -> str:
    """ftfy's ``_try_fix``: the fixer ``name`` if it is on, recorded when it changed the text."""
    if not getattr(config, name):
        return text
    if name == "remove_control_chars" and not _FTFY_CONTROL_RE.search(text):
        return text
    fixed: str = getattr(ftfy.fixes, name)(text)
    if fixed != text:
        steps.append(("apply", name))
    return fixed


def _fix_encoding(text: str, config: ftfy.TextFixerConfig, steps: list[Any]) -> str:
    """``ftfy.fix_encoding_and_explain``: its one step until nothing changes, stopping
    without a last step when that step would find the text not ``is_bad`` (see
    :func:`_settled`)."""
    if _ENCODING_STEP is None:  # pragma: no cover - an ftfy without it
        fixed, plan = ftfy.fix_encoding_and_explain(text, config)
        steps.extend(plan or ())
        return str(fixed)
    while True:
        previous = text
        if _settled(text, False):
            return text
        text, plan = _ENCODING_STEP(text, config)
        steps.extend(plan or ())
        if text == previous:
            return text


def _ftfy(text: str, *, fast: bool = True) -> tuple[str, list[str], bool]:
    """ftfy on every segment that it could change (on every segment if not ``fast``): the
    text, ftfy's explanation steps, and whether ftfy ran at all."""
    config = _config_for(text)
    entities = bool(config.unescape_html) and "&" in text
    if fast:
        spans = _dirty_segments(text, entities, config.max_decode_length)
    else:
        spans = _all_segments(text, config.max_decode_length)
    if not spans:
        return text, [], False
    # ftfy itself when not fast: the reference that the fast path is tested against.
    fix: Callable[[str, ftfy.TextFixerConfig], tuple[str, Any]] = (
        _fix_segment if fast else ftfy.fix_and_explain
    )
    pieces = []
    steps: list[str] = []
    done = 0
    for start, end in spans:
        pieces.append(text[done:start])
        fixed, explanation = fix(text[start:end], config)
        pieces.append(fixed)
        steps.extend(f"{action}:{parameter}" for action, parameter in explanation or ())
        done = end
    pieces.append(text[done:])
    return "".join(pieces), steps, True


# -- the stage ----------------------------------------------------------------------------------


def repair_text(text: str, *, fast: bool = True) -> tuple[str, list[str]]:
    """Repair ``text``; return the repaired text and the list of fixes that changed something.

    ``fixes`` holds each step once, in the order first applied (ftfy's steps from several
    lines are merged). ``fast=False`` gives every line to ftfy; the result is the same, only
    slower (it exists to prove that).

    >>> repair_text("Ã€ bientÃ´t\\n")
    ('À bientôt\\n', ['encode:sloppy-windows-1252', 'decode:utf-8'])
    >>> repair_text("\\ufeffBOM, NUL\\x00 and C1\\x81 controls")[1]
    ['transcode:fix_c1_controls', 'apply:remove_control_chars', 'control_chars']
    >>> repair_text("S\\u00c3O PAULO e (LLM).Il resta com  dois espa\\u00e7os")[0]
    'SÃO PAULO e (LLM).Il resta com  dois espaços'
    """
    fixes: list[str] = []

    def step(name: str, before: str, after: str) -> str:
        if after != before:
            fixes.append(name)
        return after

    text = step("line_breaks", text, _line_breaks(text))
    text = step("nfc", text, _nfc(text))
    text, steps, touched = _ftfy(text, fast=fast)
    fixes.extend(steps)
    # Text that ftfy did not see has no line breaks left, is NFC, and has no control character
    # (every one is in _ALWAYS or an anchor, so its segment goes to ftfy). What ftfy saw may now
    # hold any of them: an entity may decode to a line break or a control character.
    if touched:
        text = step("line_breaks", text, _line_breaks(text))
        text = step("control_chars", text, _CONTROL_RE.sub("", text))
        text = step("nfc", text, _nfc(text))
    text = step("whitespace", text, _whitespace(text))
    return text, list(dict.fromkeys(fixes))


class Repairer:
    """The pipeline stage: repairs ``doc.source`` in place and records what changed in
    ``doc.fixes``. Does nothing when ``options.repair`` is off or the document already failed.

    >>> doc = Repairer(Options())(Document(id="a", source="NicolÃ¡s  \\n\\n\\n"))
    >>> doc.source, doc.fixes
    ('Nicolás\\n', ['encode:latin-1', 'decode:utf-8', 'whitespace'])
    """

    name = "repair"

    def __init__(self, options: Options) -> None:
        self.enabled = options.repair

    def __call__(self, doc: Document) -> Document:
        if not self.enabled or doc.error is not None:
            return doc
        doc.source, fixes = repair_text(doc.source)
        doc.fixes.extend(fixes)
        return doc
