"""consent: cookie and consent banners."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Consent(CatalogRule):
    """Drop cookie and consent banners: their sentences and their buttons.

    A line goes when it is, whole, a string of a consent manager's interface (Klaro's: ``Hi!
    Could we please enable some additional services for Example?...``, ``Accept all``, ``Let me
    choose``, ``I decline``, in every language Klaro ships). One-word buttons go only in the
    header or footer zone or next to another banner line. Prose about cookies and consent stays
    (``The browser stores cookies for each site you visit.``), and so do headings that mention
    them: the banner string must be the whole line.
    """

    name = "consent"
    version = "1"
    tags = ("consent", "cookies")
    family = "consent"
    languages = catalog_languages("consent")
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Cookie Consent\nAccept all\nI decline\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n"
            "Alle akzeptieren\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Accepter tout\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "The browser stores cookies for each site you visit.\n"
            "Accepter les cookies\nCookies im Browser löschen\n",
            "The browser stores cookies for each site you visit.\n"
            "Accepter les cookies\nCookies im Browser löschen\n",
        ),
    )
