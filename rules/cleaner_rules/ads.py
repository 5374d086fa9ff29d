"""ads: advertisement and sponsored-content markers."""

from __future__ import annotations

from cleaner_rules._catalog import CatalogRule, catalog_languages


class Ads(CatalogRule):
    """Drop advertisement and sponsored markers: a line that is only the marker.

    A line goes when it is, whole, an ad marker of the catalog (``Advertisement``, ``Anzeige``,
    ``Publicité``, ``Story continues below advertisement``, ``広告``), wherever it stands: ad
    slots sit in the header, between paragraphs and at the end. Prose about advertising stays
    (``Advertisement revenue fell by a third last year.``), and so does any line that has more
    than the marker in it.
    """

    name = "ads"
    version = "1"
    tags = ("ads", "sponsored")
    family = "ads"
    languages = catalog_languages("ads")
    weak_anywhere = True
    examples = (
        (
            "The chip ships in May, the company said on Monday in a statement.\n"
            "Advertisement\nIt is made in China.\n",
            "The chip ships in May, the company said on Monday in a statement.\n"
            "It is made in China.\n",
        ),
        (
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\nAnzeige\n",
            "Der Chip kommt im Mai auf den Markt, teilte das Unternehmen am Montag mit.\n",
        ),
        (
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n広告\n",
            "新しいチップは五月に出荷されると、同社は月曜日の声明で発表しました。\n",
        ),
        (
            "Advertisement revenue fell by a third last year.\n"
            "La publicité en ligne a reculé de dix pour cent cette année.\n"
            "Werbung im Fernsehen ist teuer.\n",
            "Advertisement revenue fell by a third last year.\n"
            "La publicité en ligne a reculé de dix pour cent cette année.\n"
            "Werbung im Fernsehen ist teuer.\n",
        ),
    )
