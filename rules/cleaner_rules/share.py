"""share: share and like bars."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Share(CatalogRule):
    """Drop share and like bars: ``Share this:``, ``Share on Facebook``, ``Bei WhatsApp teilen``.

    A line goes when it is, whole, a share-button label of the catalog (Shariff's per-service
    labels, Mezzanine's, Jetpack-style ``Share this:`` / ``Like this:`` / ``Like Loading...``).
    One-word labels (``Tweet``, ``share``) go only in the header or footer zone, right after the
    first paragraph, or next to another widget line. Prose and headings about sharing stay
    (``Share files by email``, ``Partager une imprimante``): the label must be the whole line.
    """

    name = "share"
    version = "1"
    tags = ("share", "social")
    family = "share"
    languages = catalog_languages("share")
    weak_after_lead = True
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Share this:\nShare on Facebook\nShare on Twitter\n",
            "The chip ships in May, the company said on Monday in a statement.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Partager sur LinkedIn\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n"
            "Compartir en Telegram\n",
            "El procesador se entregará en mayo, anunció la empresa el lunes en un comunicado.\n",
        ),
        (
            "Share files by email\nPartager une imprimante\nDateien per E-Mail teilen\n",
            "Share files by email\nPartager une imprimante\nDateien per E-Mail teilen\n",
        ),
    )
