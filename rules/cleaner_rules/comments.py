"""comments: comment sections and comment forms."""

from __future__ import annotations

import regex

from cleaner.rule import Context, Pattern, fold, load_data, terms_pattern, word_count
from cleaner_rules._catalog import CatalogRule, catalog_languages

_ROWS = load_data(__file__, "comments")
PHRASES = frozenset(fold(r.text) for r in _ROWS if r.kind == "phrase")
HEADINGS = frozenset(fold(r.text) for r in _ROWS if r.kind == "heading")
_WORDS = terms_pattern(r.text for r in _ROWS if r.kind == "word")
WORD = Pattern(_WORDS)
COUNTER = Pattern(rf"(?:\d+\s+{_WORDS}|{_WORDS}\s*(?:[(\[]\s*\d+\s*[)\]]|:\s*\d+))")
SENTENCES = regex.compile(r"(?<=[.!?])\s+")
MAX_CHARS = 2 * max(len(p) for p in PHRASES)


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
        folded = fold(line)
        if folded in PHRASES or all(fold(s) in PHRASES for s in SENTENCES.split(line)):
            return True
        if word_count(line) <= 4 and COUNTER.fullmatch(line, ctx.timeout):
            return True
        if ctx.zone != "footer":
            return False
        if folded in HEADINGS:
            return True
        short = word_count(line) <= 8 and line[-1] not in ".…"
        return short and WORD.search(folded, ctx.timeout) is not None
