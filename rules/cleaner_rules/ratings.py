"""ratings: star-rating widgets (kk Star Ratings, Rate my Post and the like)."""

from __future__ import annotations

from functools import lru_cache

from cleaner.rule import Context, Pattern, fold, load_data, terms_pattern, word_count
from cleaner_rules._catalog import MAY_TIMEOUT, CatalogRule, catalog_languages
from cleaner_rules._prefilter import openings

_ROWS = load_data(__file__, "ratings")
PHRASES = frozenset(fold(r.text) for r in _ROWS if r.kind == "phrase")
PROMPT = Pattern(terms_pattern((r.text for r in _ROWS if r.kind == "prompt"), prefix=True))
_PROMPT_OPENS = openings(r.text for r in _ROWS if r.kind == "prompt")
MAX_CHARS = max(len(p) for p in PHRASES) + 10
_LABELS = terms_pattern(r.text for r in _ROWS if r.kind == "counter")
_NUMBER = r"\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?"
COUNTER = Pattern(rf"[\[(]?\s*(?:{_LABELS}\s*:?\s*{_NUMBER}\s*[.,;|]?\s*){{1,4}}[\])]?")


class Ratings(CatalogRule):
    """Drop star-rating widgets: the rating prompt and the vote counter.

    A line goes when it begins with a rating prompt and is short (at most 12 words, not ending
    in a full stop: ``Click to rate this post!``, ``Clicca per votare questo articolo!``), when it
    is a vote counter made only of labels and numbers (``[Total: 0 Average: 0]``, ``Average rating
    4.2 / 5. Vote count: 7``), or when it is a known widget sentence. Sentences that talk about
    rating stay (``Users who click to rate a product are shown a short survey afterwards.``): the
    prompt must open the line, and the counter must be the whole line.
    """

    name = "ratings"
    version = "1"
    tags = ("ratings",)
    family = "ratings"
    languages = tuple(sorted({*catalog_languages("ratings"), "en", "fr", "it"}))
    examples = (
        (
            "The chip ships in May.\nClick to rate this post!\n[Total: 0 Average: 0]\n",
            "The chip ships in May.\n",
        ),
        (
            "Users who click to rate a product see a survey.\n",
            "Users who click to rate a product see a survey.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Klicke, um diesen Beitrag zu bewerten!\n"
            "Durchschnittliche Bewertung 4.2 / 5. Anzahl Bewertungen: 7\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n"
            "¡Haz clic para puntuar esta entrada!\n",
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
        ),
        (
            "Bewertung der Sicherheitsrisiken\nLa valoración de los riesgos es el primer paso.\n",
            "Bewertung der Sicherheitsrisiken\nLa valoración de los riesgos es el primer paso.\n",
        ),
    )

    def shape(self, line: str, ctx: Context) -> bool:
        return len(line) <= 200 and widget(line, ctx.timeout)

    def may_shape(self, line: str) -> bool:
        return len(line) <= 200 and widget(line, MAY_TIMEOUT)


# The answer depends on the line alone, and widget lines repeat from page to page of a site:
# cached across documents (a line that timed out is not cached: it is asked again).
@lru_cache(maxsize=1 << 14)
def widget(line: str, timeout: float) -> bool:
    """Whether ``line`` is a rating widget's sentence, prompt or vote counter.

    The prompt pattern only runs on a line that opens like a prompt, the counter pattern only
    on a short line that opens or closes with a bracket or closes with a digit.

    >>> widget("Click to rate this post!", 0.5), widget("[Total: 0 Average: 0]", 0.5)
    (True, True)
    >>> widget("Users who click to rate a product see a survey.", 0.5)
    False
    """
    if len(line) <= MAX_CHARS and fold(line) in PHRASES:
        return True
    if (
        _PROMPT_OPENS(line)
        and line[-1] != "."
        and word_count(line) <= 12
        and PROMPT.match(line, timeout)
    ):
        return True
    if len(line) > 80 or not (line[0] in "[(" or line[-1] in "])" or line[-1].isdigit()):
        return False
    return COUNTER.fullmatch(line, timeout) is not None
