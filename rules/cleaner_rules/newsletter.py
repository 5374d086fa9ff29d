"""newsletter: newsletter and subscription prompts."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Newsletter(CatalogRule):
    """Drop newsletter and subscription prompts: the box's heading, its sentence, its field.

    A line goes when it is, whole, a subscription string of the catalog (django-newsletter,
    Jetpack-style ``Enter your email address to subscribe to this blog...``, ``Join 2,345 other
    subscribers``, ``Subscribe to our newsletter``). One-word strings (``Subscribe``,
    ``Newsletter``) go only in the header or footer zone or next to another widget line.
    Prose about subscriptions stays (``Subscribe to the debian-announce list to hear about
    security updates.``), and so does a heading that only mentions a newsletter.
    """

    name = "newsletter"
    version = "1"
    tags = ("newsletter", "subscription")
    family = "newsletter"
    languages = catalog_languages("newsletter")
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Subscribe to our newsletter\nJoin 2,345 other subscribers\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda.\n"
            "Iscriviti alla nostra newsletter\n",
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda.\n",
        ),
        (
            "De processor wordt in mei geleverd, maakte het bedrijf maandag bekend.\n"
            "Schrijf je in voor onze nieuwsbrief\n",
            "De processor wordt in mei geleverd, maakte het bedrijf maandag bekend.\n",
        ),
        (
            "Subscribe to the debian-announce list to hear about security updates.\n"
            "Abonnez-vous à la liste debian-news pour suivre le projet.\n"
            "Newsletter des Projekts lesen\n",
            "Subscribe to the debian-announce list to hear about security updates.\n"
            "Abonnez-vous à la liste debian-news pour suivre le projet.\n"
            "Newsletter des Projekts lesen\n",
        ),
    )
