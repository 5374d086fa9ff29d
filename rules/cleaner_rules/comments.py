"""comments: comment sections and comment forms."""

from __future__ import annotations

from functools import lru_cache

import regex

from cleaner.rule import Context, Pattern, fold, load_data, terms_pattern, word_count
from cleaner_rules._catalog import MAY_TIMEOUT, CatalogRule, catalog_languages
from cleaner_rules._prefilter import footer_after, may_close, may_open

_ROWS = load_data(__file__, "comments")
PHRASES = frozenset(fold(r.text) for r in _ROWS if r.kind == "phrase")
HEADINGS = frozenset(fold(r.text) for r in _ROWS if r.kind == "heading")
_WORDS = terms_pattern(r.text for r in _ROWS if r.kind == "word")
WORD = Pattern(_WORDS)
COUNTER = Pattern(rf"(?:\d+\s+{_WORDS}|{_WORDS}\s*(?:[(\[]\s*\d+\s*[)\]]|:\s*\d+))")
SENTENCES = regex.compile(r"(?<=[.!?])\s+")
MAX_CHARS = 2 * max(len(p) for p in PHRASES)
# how a counter can open (``12 Comments``) or close (``Comments (12)``, ``Comments: 12``)
_COUNTER_OPENS = frozenset("0123456789")
_COUNTER_CLOSES = frozenset("0123456789)]")


class Comments(CatalogRule):
    """Drop comment-section widgets: counters, the comment form's sentences, footer prompts.

    A line goes when it is a comment counter (``Comments (0)``, ``12 Comments``), when every
    sentence in it is a known widget sentence (``Leave a Reply``, ``Your email address will not
    be published. Required fields are marked *``, in en, fr and it), or, after the last content
    paragraph only, when it is a bare heading (``Comments``) or a short prompt of at most eight
    words that names comments and does not end in a full stop (``Please sign in to leave a
    comment``). Prose that mentions comments stays (``Comments from analysts were mixed.``, ``The
    comments section of the filing was left blank``), and so does anything in the body that is not
    a counter or a widget sentence.
    """

    name = "comments"
    version = "1"
    tags = ("comments",)
    family = "comments"
    languages = tuple(sorted({*catalog_languages("comments"), "en", "fr", "it"}))
    examples = (
        ("The chip ships in May.\nComments (0)\nLeave a Reply\n", "The chip ships in May.\n"),
        ("Comments from analysts were mixed.\n", "Comments from analysts were mixed.\n"),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Bisher keine Kommentare\n"
            "Kommentar gelöscht.\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n"
            "まだコメントはありません\n",
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n",
        ),
        (
            "Kommentare in Konfigurationsdateien\n"
            "Les commentaires des analystes étaient partagés.\n",
            "Kommentare in Konfigurationsdateien\n"
            "Les commentaires des analystes étaient partagés.\n",
        ),
    )

    def shape(self, line: str, ctx: Context) -> bool:
        if len(line) > MAX_CHARS:
            return False
        if widget(line, ctx.timeout):
            return True
        return ctx.index > footer_after(ctx) and footer_prompt(line, ctx.timeout)

    def may_shape(self, line: str) -> bool:
        return len(line) <= MAX_CHARS and (
            widget(line, MAY_TIMEOUT) or footer_prompt(line, MAY_TIMEOUT)
        )


# Both answers depend on the line alone, and widget lines repeat from page to page of a site:
# they are cached across documents (a line that timed out is not cached: it is asked again).
@lru_cache(maxsize=1 << 14)
def widget(line: str, timeout: float) -> bool:
    """Whether ``line`` goes wherever it stands: widget sentences only, or a comment counter.

    Cheap tests go first: the sentence split only runs when a sentence can end before the end
    of the line, and the counter pattern only on a line of at most four words that begins or
    ends as a counter does (a digit, a closing bracket; any non-ASCII character may be one).

    >>> widget("Leave a Reply", 0.5), widget("No comments yet. Be the first to comment", 0.5)
    (True, True)
    >>> widget("Comments (12)", 0.5), widget("12 Comments", 0.5), widget("Comments in May", 0.5)
    (True, True, False)
    """
    if fold(line) in PHRASES:
        return True
    body = line[:-1]
    if ("." in body or "!" in body or "?" in body) and all(
        fold(s) in PHRASES for s in SENTENCES.split(line)
    ):
        return True
    return (
        (may_open(line, _COUNTER_OPENS) or may_close(line, _COUNTER_CLOSES))
        and word_count(line) <= 4
        and COUNTER.fullmatch(line, timeout) is not None
    )


@lru_cache(maxsize=1 << 12)
def footer_prompt(line: str, timeout: float) -> bool:
    """Whether ``line`` goes after the last content paragraph: a bare comments heading, or a
    short prompt naming comments that does not end in a full stop.

    >>> footer_prompt("Comments", 0.5), footer_prompt("Please sign in to leave a comment", 0.5)
    (True, True)
    >>> footer_prompt("Comments from analysts were mixed.", 0.5)
    False
    """
    folded = fold(line)
    if folded in HEADINGS:
        return True
    short = word_count(line) <= 8 and line[-1] not in ".…"
    return short and WORD.search(folded, timeout) is not None
