"""captions: image captions and photo credits."""

from __future__ import annotations

from functools import lru_cache

from cleaner.rule import TERMINAL, Context, Pattern, load_data, terms_pattern, word_count
from cleaner_rules._catalog import MAY_TIMEOUT, CatalogRule, catalog_languages
from cleaner_rules._prefilter import openings

_LABELS = terms_pattern(r.text for r in load_data(__file__, "captions"))
# a credit label, a colon and a short value, alone or after a caption and a separator
CREDIT = Pattern(
    rf"(?:^|.*?\s[|·•–—/-]\s*|.*?\s\|?\s*\()(?:{_LABELS})\s*:\s*(?P<value>[^:|()]+?)\)?"
)
COPYRIGHT = Pattern(r"(?:©|\(c\)|copyright)\s*\S.{0,60}")
_COPYRIGHT_OPENS = openings(["©", "(c)", "copyright"])


@lru_cache(maxsize=1 << 14)
def is_caption(line: str, timeout: float) -> bool:
    """Whether ``line`` is an image caption or credit line (see :class:`Captions`).

    The answer depends on the line alone and credit lines repeat across the pages of a site,
    so it is cached. A line with no colon that does not open like a copyright line costs no
    pattern, and a credit is only tried when what follows the last colon can be its value (no
    ``|`` nor ``(``, at most six words).

    >>> is_caption("Immagine del chip Ascend di Huawei | Crediti immagine: Huawei", 0.5)
    True
    >>> is_caption("The photo credit dispute reached the court in 2019.", 0.5)
    False
    """
    line = line.strip()
    if not line or len(line) > 300:
        return False
    colon = line.rfind(":")
    credit = colon >= 0 and _may_be_credit(line[colon + 1 :])
    opens_copyright = _COPYRIGHT_OPENS(line)
    if not (credit or opens_copyright) or word_count(line) > 30:
        return False
    if credit:
        m = CREDIT.fullmatch(line, timeout)
        if m and word_count(m["value"]) <= 5 and m["value"].strip()[-1] not in TERMINAL - {")"}:
            return True
    return (
        opens_copyright and word_count(line) <= 8 and COPYRIGHT.fullmatch(line, timeout) is not None
    )


def _may_be_credit(rest: str) -> bool:
    """Whether the text after a line's last colon can be a credit's value: the value has no
    ``:``, ``|`` or brackets, at most five words, and only a closing bracket may follow it."""
    return "|" not in rest and "(" not in rest and ")" not in rest[:-1] and len(rest.split()) <= 6


class Captions(CatalogRule):
    """Drop image credit lines and the captions that carry them.

    A line goes when it is a credit label, a colon and a short credit of at most five words
    (``Photo: AFP``, ``Crédit photo : AFP``, ``Image credit: Reuters``), or a caption of at most
    30 words ending in such a credit after a separator (``Immagine del chip | Crediti immagine:
    Huawei``), or a short copyright line (``© Reuters``). Prose that mentions photos or credits
    stays (``The photo credit dispute reached the court in 2019.``), and so does a caption whose
    value after the colon reads like a sentence: only credits are certain enough to drop.
    """

    name = "captions"
    version = "1"
    tags = ("captions", "credits")
    family = "captions"
    weak_anywhere = True  # an agency name alone on a line is a credit
    languages = tuple(sorted({*catalog_languages("captions"), "en", "fr", "it"}))
    examples = (
        (
            "The chip ships in May.\nPhoto: AFP\nIt is made in China.\n",
            "The chip ships in May.\nIt is made in China.\n",
        ),
        (
            "The photo credit dispute reached the court in 2019.\n",
            "The photo credit dispute reached the court in 2019.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Bildquelle: dpa\n"
            "Der Chip kommt im Juni auf den Markt, teilte das Unternehmen am Montag mit.\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Der Chip kommt im Juni auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n"
            "Crédito de la foto: EFE\n"
            "El procesador se entregará en junio, anunció la empresa el lunes en un comunicado.\n",
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n"
            "El procesador se entregará en junio, anunció la empresa el lunes en un comunicado.\n",
        ),
        (
            "Bilder und Fotos importieren\nCámaras y fotos\n",
            "Bilder und Fotos importieren\nCámaras y fotos\n",
        ),
    )

    def shape(self, line: str, ctx: Context) -> bool:
        return is_caption(line, ctx.timeout)

    def may_shape(self, line: str) -> bool:
        return is_caption(line, MAY_TIMEOUT)
