"""related: related-article teasers and embedded article cards."""

from __future__ import annotations

from cleaner.rule import TERMINAL, Context, Pattern, load_data, terms_pattern, word_count
from cleaner_rules._catalog import MAY_TIMEOUT, CatalogRule, catalog_languages
from cleaner_rules._prefilter import openings
from cleaner_rules.captions import is_caption

_ROWS = load_data(__file__, "related")
_LABELS = terms_pattern(r.text for r in _ROWS)
_OPENS = openings(r.text for r in _ROWS)  # a teaser opens with its label
TEASER = Pattern(rf"(?:{_LABELS})\s*(?:[|:»>–—-]\s*\S.*|[:.!]?)")
# a headline followed by a bare counter (comments, shares), as article cards print them
CARD = Pattern(r"(?P<headline>\S.*[^\d\s.,:;!?])\s+\d{1,4}")


class Related(CatalogRule):
    """Drop related-article teasers and embedded article cards.

    A teaser is a line of at most 30 words that opens with a teaser label and a separator
    (``ALSO READ | headline``, ``Leggi anche: headline``, ``READ MORE | headline``) or is the label
    alone. An article card is a headline of 5+ words ending in a bare counter (``... artificiale
    1``) whose next line is an image caption or credit: the card's picture. Headings that end in
    a number but stand alone (``Why the iPhone 16``) stay, and so does prose that merely says
    "read more" in the middle of a sentence: the label must open the line.
    """

    name = "related"
    version = "1"
    tags = ("related", "teasers")
    family = "related"
    languages = tuple(sorted({*catalog_languages("related"), "en", "fr", "it"}))
    priority = 40  # before captions: a card is recognised by the caption under it
    examples = (
        (
            "The chip ships in May.\nALSO READ | Nvidia sales rise\nIt is made in China.\n",
            "The chip ships in May.\nIt is made in China.\n",
        ),
        (
            "Rivals react to the new chip 3\nPhoto: AFP\nThe chip ships in May.\n",
            "Photo: AFP\nThe chip ships in May.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Das könnte Sie auch interessieren\n"
            "Der Chip kommt im Juni auf den Markt, teilte das Unternehmen am Montag mit.\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Der Chip kommt im Juni auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda in una nota.\n"
            "Leggi anche: Le vendite di Nvidia crescono\n"
            "Il processore sarà consegnato a giugno, ha annunciato lunedì l'azienda in una nota.\n",
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda in una nota.\n"
            "Il processore sarà consegnato a giugno, ha annunciato lunedì l'azienda in una nota.\n",
        ),
        (
            "Verwandte Pakete installieren\n"
            "Lisez aussi la documentation du paquet avant de commencer.\n",
            "Verwandte Pakete installieren\n"
            "Lisez aussi la documentation du paquet avant de commencer.\n",
        ),
    )

    def shape(self, line: str, ctx: Context) -> bool:
        teaser = _OPENS(line)
        card = line[-1].isdigit() and line[-1] not in TERMINAL
        if not (teaser or card):
            return False  # most lines: no pattern to try, no words to count
        words = word_count(line)
        if words > 30:
            return False
        if teaser and TEASER.fullmatch(line, ctx.timeout):
            return True
        if words < 5 or not card:
            return False
        match = CARD.fullmatch(line, ctx.timeout)
        return match is not None and ctx.next is not None and is_caption(ctx.next, ctx.timeout)

    def may_shape(self, line: str) -> bool:
        """:meth:`shape` without the caption under a card (the line's own tests)."""
        teaser = _OPENS(line)
        card = line[-1].isdigit() and line[-1] not in TERMINAL
        if not (teaser or card):
            return False
        words = word_count(line)
        if words > 30:
            return False
        if teaser and TEASER.fullmatch(line, MAY_TIMEOUT):
            return True
        return card and words >= 5 and CARD.fullmatch(line, MAY_TIMEOUT) is not None
