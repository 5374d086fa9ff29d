"""``clean --explain FILE``: a document with every removal marked by the rule that made it.

The repaired text is printed as it is, except that each removed piece appears inline as
``[-rule: removed text-]`` (dedup removals also name the kept copy and the similarity), one
marker per removed line, so that the document keeps its line layout and reads in a terminal.
Removed newlines stay real newlines; a removed blank line shows as an empty line. After the text
come the metadata, the repair fixes, the flags and the removals counted by rule.

>>> from cleaner.document import Document, Removal
>>> doc = Document(id="a.txt", source="Body.\\nComments (0)\\n", title="A")
>>> doc.remove(Removal("comments", 6, 19, "Comments (0)\\n"))
>>> print(explain(doc))
== a.txt
Body.
[-comments: Comments (0)-]
<BLANKLINE>
== title: A
== removed: comments 1 (13 chars)
"""

from __future__ import annotations

from collections import Counter

from cleaner.document import Document, Removal

__all__ = ["explain"]

_RED, _DIM, _RESET = "\x1b[31m", "\x1b[2m", "\x1b[0m"
_META = ("url", "title", "site", "date", "author", "lang")


def explain(doc: Document, *, color: bool = False) -> str:
    """The repaired text of ``doc`` with each removal marked inline by its rule, then a summary.

    ``color`` wraps the markers in ANSI red (for a terminal); the markers themselves are always
    there, so the plain output can be searched and diffed.
    """
    out = [f"== {doc.id}"]
    if doc.error:
        return "\n".join([*out, f"== error: {doc.error}"])
    out.append(_marked(doc, color))
    for key in _META:
        value = getattr(doc, key)
        if value:
            out.append(f"== {key}: {value}")
    if doc.fixes:
        out.append(f"== fixes: {', '.join(doc.fixes)}")
    if doc.flags:
        out.append(f"== flags: {', '.join(doc.flags)}")
    if doc.dropped:
        out.append(f"== dropped: {doc.drop_reason or 'yes'}")
    if doc.removed:
        counts: Counter[str] = Counter()
        chars: Counter[str] = Counter()
        for r in doc.removed:
            counts[r.rule] += 1
            chars[r.rule] += r.end - r.start
        parts = [f"{rule} {n} ({chars[rule]} chars)" for rule, n in sorted(counts.items())]
        out.append(f"== removed: {', '.join(parts)}")
    else:
        out.append("== removed: nothing")
    return "\n".join(out)


def _marked(doc: Document, color: bool) -> str:
    pieces: list[str] = []
    pos = 0
    for r in sorted(doc.removed, key=lambda r: r.start):
        pieces.append(doc.source[pos : r.start])
        pieces.append(_mark(r, color))
        pos = r.end
    pieces.append(doc.source[pos:])
    return "".join(pieces)


def _mark(r: Removal, color: bool) -> str:
    label = r.rule
    if r.dup_of:
        label += f" of {r.dup_of}"
        if r.similarity is not None:
            label += f" ({r.similarity:.2f})"
    marked = []
    for segment in r.text.split("\n"):
        if not segment:
            marked.append("")
        elif color:
            marked.append(f"{_RED}[-{_DIM}{label}:{_RESET}{_RED} {segment}-]{_RESET}")
        else:
            marked.append(f"[-{label}: {segment}-]")
    return "\n".join(marked)
