"""navigation: breadcrumbs, menus, skip links, previous/next links, back to top."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Navigation(CatalogRule):
    """Drop navigation lines: skip links, menus, previous/next post links, back to top.

    A line goes when it is, whole, a navigation string of the catalog: WordPress's ``Skip to
    content``, ``Older posts``, ``« Newer Posts``, ``Proudly powered by {x}``, MediaWiki's
    ``Jump to:``, ``Main page``, ``Random page``, ``(Redirected from {x})``, Mezzanine's
    ``Feeds``. One-word items (``Home``, ``Next``, ``Archives``) go only in the header or footer
    zone or next to another widget line. Headings and sentences that use the same words stay
    (``Next steps``, ``Return to the previous screen to try again.``).
    """

    name = "navigation"
    version = "1"
    tags = ("navigation", "breadcrumbs")
    family = "navigation"
    languages = catalog_languages("navigation")
    examples = (
        (
            "Skip to content\nHome\n"
            "The chip ships in May, the company said on Monday in a statement.\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Vorheriger Beitrag\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda.\n"
            "Articolo precedente\n",
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda.\n",
        ),
        (
            "Next steps\nReturn to the previous screen to try again.\nRetour à l'écran précédent\n"
            "Zurück zur Übersicht der Einstellungen\n",
            "Next steps\nReturn to the previous screen to try again.\nRetour à l'écran précédent\n"
            "Zurück zur Übersicht der Einstellungen\n",
        ),
    )
