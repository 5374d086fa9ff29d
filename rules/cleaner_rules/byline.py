"""byline: author boxes and bylines with dates."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Byline(CatalogRule):
    """Drop bylines and author boxes: ``By Jane Doe``, ``Posted on 3 May 2024``, ``Autor: X``.

    A line goes when it is, whole, a byline string of the catalog with a short value (a name, a
    date): WordPress's ``Posted on {x}``, ``View all posts by {x}``, ``Author: {x}``,
    Mezzanine's ``Posted by``, MediaWiki's ``This page has been accessed {x} times.``. Short
    labels (``By {x}``, ``Von {x}``, ``Par {x}``) take a name of at most four words, and go only
    in the header or footer zone or next to another widget line. Sentences that start like a
    byline stay (``By default, the installer uses the whole disk.``), and so do headings
    (``De muisaanwijzer beweegt niet``).
    """

    name = "byline"
    version = "1"
    tags = ("byline", "author", "date")
    family = "byline"
    languages = catalog_languages("byline")
    priority = 45
    examples = (
        (
            "By Jane Doe\nPosted on 3 May 2024\n"
            "The chip ships in May, the company said on Monday in a statement.\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Autor: Jan Novák\n"
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "Publicado el 3 de mayo de 2024\n"
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
        ),
        (
            "By default, the installer uses the whole disk.\n"
            "Par défaut, le système démarre en mode graphique.\n"
            "De muisaanwijzer beweegt niet\n",
            "By default, the installer uses the whole disk.\n"
            "Par défaut, le système démarre en mode graphique.\n"
            "De muisaanwijzer beweegt niet\n",
        ),
    )
