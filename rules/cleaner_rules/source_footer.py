"""source_footer: source and attribution lines after the article."""

from __future__ import annotations

from cleaner.rule import (
    TERMINAL,
    Context,
    Pattern,
    fold,
    load_data,
    terms_pattern,
    word_count,
)
from cleaner_rules._catalog import MAY_TIMEOUT, CatalogRule, catalog_languages
from cleaner_rules._prefilter import footer_after, openings

_ROWS = load_data(__file__, "source_footer")
HEADINGS = frozenset(fold(r.text) for r in _ROWS if r.kind == "heading")
_LABELS = terms_pattern(r.text for r in _ROWS if r.kind == "label")
_OPENS = openings(r.text for r in _ROWS if r.kind == "label")
SOURCE = Pattern(rf"(?:{_LABELS})\s*:\s*(?P<value>\S.*)")
URL = Pattern(r"(?:https?://|www\.)\S+")


class SourceFooter(CatalogRule):
    """Drop source and attribution lines after the last content paragraph; the source to ``site``.

    In the footer zone only, a line goes when it is a source label, a colon and a short value of
    at most six words not ending in a full stop (``Source: NETWORKWORLD``, ``Fonte: ANSA``), or a
    heading of a list of sources (``Fonte e immagini``). The value fills ``site`` (a URL fills
    ``url``) unless the input had one. Prose about sources stays everywhere (``Sources told
    Reuters...``, ``Source code for the compiler was released on Monday.``), and so do source
    lines in the body, where they may introduce a quotation.
    """

    name = "source_footer"
    version = "1"
    tags = ("source_footer", "attribution", "metadata")
    family = "source_footer"
    strong_anywhere = False  # attribution belongs after the article
    languages = tuple(sorted({*catalog_languages("source_footer"), "en", "fr", "it"}))
    priority = 60
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\nSource: Reuters\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "The chip ships in May, the company said on Monday.\nSource code is out.\n",
            "The chip ships in May, the company said on Monday.\nSource code is out.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Quelle: dpa\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Source : AFP\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Quellen für Pakete hinzufügen\n"
            "Sources des paquets\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Quellen für Pakete hinzufügen\n"
            "Sources des paquets\n",
        ),
    )

    def shape(self, line: str, ctx: Context) -> bool:
        if ctx.index <= footer_after(ctx) or len(line) > 200:
            return False
        if fold(line) in HEADINGS:
            return True
        m = SOURCE.fullmatch(line, ctx.timeout) if ":" in line and _OPENS(line) else None
        if m is None or word_count(m["value"]) > 6 or m["value"][-1] in TERMINAL - {"'", ")"}:
            return False
        url = URL.fullmatch(m["value"], ctx.timeout)
        ctx.set_meta("url" if url else "site", m["value"])
        return True

    def may_shape(self, line: str) -> bool:
        """:meth:`shape` wherever the line stands (its heading and label tests)."""
        if len(line) > 200:
            return False
        if fold(line) in HEADINGS:
            return True
        m = SOURCE.fullmatch(line, MAY_TIMEOUT) if ":" in line and _OPENS(line) else None
        return (
            m is not None
            and word_count(m["value"]) <= 6
            and (m["value"][-1] not in TERMINAL - {"'", ")"})
        )
