"""Cheap necessary conditions that let the rules skip a regular expression on most lines.

A pattern call costs a few microseconds, most of it the timeout's bookkeeping; a set lookup on a
line's first or last character costs a tenth of that. The sets hold ASCII characters only; a
non-ASCII character is let through to the pattern or asked of the ``regex`` module itself, so
that a test never depends on which Unicode version Python's ``str`` methods and the ``regex``
module's case folding know: a line a test turns away could never have matched the pattern it
guards. :func:`footer_after` answers ``ctx.zone == "footer"`` for every line of a document from
one lookup.

>>> opens = openings(["read more", "à lire aussi"])
>>> opens("READ MORE | x"), opens("Reading list"), opens("Rebel news"), opens("À lire")
(True, True, False, True)
>>> opens("Ärger"), opens("Новости"), opens("Réalité"), opens("ſee")
(False, False, True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from cleaner.rule import Context

__all__ = ["ascii_variants", "footer_after", "may_close", "may_open", "openings"]


def ascii_variants(chars: Iterable[str]) -> frozenset[str]:
    """The ASCII characters that match the first character of one of ``chars``, ignoring case
    as the rules' patterns do (``regex.IGNORECASE``): the characters a match can open with.

    Asked of the ``regex`` module itself, so that its case folding decides.

    >>> sorted(ascii_variants(["photo", "©", "(c)"]))
    ['(', 'P', 'p']
    """
    one = _first_class(chars)
    return frozenset(c for c in map(chr, range(128)) if one.fullmatch(c))


def _first_class(chars: Iterable[str]) -> regex.Pattern[str]:
    """One character class of the first characters of ``chars``, ignoring case as the rules'
    patterns do (matches nothing when there are none)."""
    firsts = sorted({text[0] for text in chars if text})
    body = "[" + "".join(regex.escape(c) for c in firsts) + "]" if firsts else "(?!)"
    return regex.compile(body, regex.IGNORECASE | regex.UNICODE)


def may_open(line: str, ascii_chars: frozenset[str]) -> bool:
    """Whether ``line`` opens with one of ``ascii_chars`` or with a non-ASCII character."""
    first = line[:1]
    return first in ascii_chars or not first.isascii()


def may_close(line: str, ascii_chars: frozenset[str]) -> bool:
    """Whether ``line`` ends with one of ``ascii_chars`` or with a non-ASCII character."""
    last = line[-1:]
    return last in ascii_chars or not last.isascii()


def openings(terms: Iterable[str], size: int = 3) -> Callable[[str], bool]:
    """A test that a line can open with one of ``terms``, as a pattern matching the terms
    ignoring case at the start of the line requires.

    A line whose first ``size`` characters are ASCII must have them (lower-cased) as the first
    characters of a term, or open with a character of :func:`ascii_variants` of the terms that
    are shorter or have a space or a non-ASCII character among their first characters (the
    pattern's ``\\s+`` between words may stand for any white space). Any other line must open
    with a character that matches a term's first character ignoring case: the ``regex``
    module says which, once per character (a line in another script costs a dict lookup).
    """
    terms = [term.strip() for term in terms]
    heads, others = set(), []
    for term in terms:
        head = term[:size]
        if len(head) == size and head.isascii() and not any(c.isspace() for c in head):
            heads.add(head.lower())
        else:
            others.append(term)
    known, firsts = frozenset(heads), ascii_variants(others)
    one, seen = _first_class(terms), dict[str, bool]()

    def opens(line: str) -> bool:
        head = line[:size]
        if head.isascii():
            return head.lower() in known or head[:1] in firsts
        first = head[0]
        ok = seen.get(first)
        if ok is None:
            ok = one.fullmatch(first) is not None
            if len(seen) < _SEEN:
                seen[first] = ok
        return ok

    return opens


_SEEN = 4096  # first characters remembered per test: scripts' letters, not every code point


def footer_after(ctx: Context) -> int:
    """The position of the current document's last content line: the lines after it are in the
    footer zone (``ctx.zone == "footer"``), asked once per rule and document instead of once
    per line (kept in ``ctx.state``)."""
    last: int | None = ctx.state.get("footer_after")
    if last is None:
        last = ctx.state["footer_after"] = ctx.content_bounds()[1]
    return last
