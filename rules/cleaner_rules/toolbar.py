"""toolbar: print, e-mail, font-size and page-tool buttons."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Toolbar(CatalogRule):
    """Drop print, e-mail, font-size and page-tool toolbars: ``Print``, ``A+ A-``, ``Tools``.

    A line goes when it is, whole, a toolbar string of the catalog (MediaWiki's ``Printable
    version``, ``Permanent link``, ``What links here``, WordPress's ``Edit``, Shariff's ``Send
    by email``, ``Print this article``, ``Font size``). One-word buttons (``Print``, ``Edit``)
    go only in the header or footer zone, right after the first paragraph (where article
    toolbars sit) or next to another widget line. Headings and prose about printing or editing
    stay (``Print envelopes``, ``Printing a document takes a few seconds.``).
    """

    name = "toolbar"
    version = "1"
    tags = ("toolbar", "print")
    family = "toolbar"
    languages = catalog_languages("toolbar")
    weak_after_lead = True
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Print\nSend by email\nIt is made in China.\n",
            "The chip ships in May, the company said on Monday in a statement.\n"
            "It is made in China.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Druckversion\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Version imprimable\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "Print envelopes\nPrinting a document takes a few seconds.\nImprimer des enveloppes\n"
            "Umschläge drucken\n",
            "Print envelopes\nPrinting a document takes a few seconds.\nImprimer des enveloppes\n"
            "Umschläge drucken\n",
        ),
    )
