"""tags: tag, category, "filed under" and "posted in" lines."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Tags(CatalogRule):
    """Drop tag and category lines: ``Tags: chips, AI``, ``Posted in News``, ``Kategorie: IT``.

    A line goes when it is, whole, a tag or category string of the catalog with its value
    (WordPress's ``View all posts in {x}``, ``Category: {x}``, ``Tag: {x}``, MediaWiki's
    ``Categories`` box, Mezzanine's labels), or a tag label with a short list of values. A bare
    ``Tags`` or ``Categories`` goes only in the header or footer zone or next to another widget
    line. Prose about tags and categories stays (``Packages are sorted into categories.``), and
    so do headings (``Categories of packages``).
    """

    name = "tags"
    version = "1"
    tags = ("tags", "categories")
    family = "tags"
    languages = catalog_languages("tags")
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Category: Technology\nTags\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Catégorie : Technologie\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n"
            "カテゴリー: 技術\n",
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n",
        ),
        (
            "Packages are sorted into categories.\nCategorie di pacchetti\n"
            "Kategorien von Paketen\n",
            "Packages are sorted into categories.\nCategorie di pacchetti\n"
            "Kategorien von Paketen\n",
        ),
    )
