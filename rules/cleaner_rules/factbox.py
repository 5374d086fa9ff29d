"""factbox: the label line of a fact box."""

from __future__ import annotations

from functools import lru_cache

from cleaner.rule import Context, LineRule, fold, load_data

LABELS = frozenset(fold(r.text) for r in load_data(__file__, "factbox"))


class Factbox(LineRule):
    """Drop the label of a fact box (``Did you know?``, ``Le saviez-vous ?``, ``Lo sapevi?``).

    Only a line that is exactly a known label goes; the facts under it are content and stay, and
    so do questions that merely look alike (``Did the new chip pass its first production test?``)
    and ordinary headings.
    """

    name = "factbox"
    version = "1"
    tags = ("factbox",)
    languages = ("en", "fr", "it")
    examples = (
        (
            "The chip ships in May.\nDid you know?\nIt is made in China.\n",
            "The chip ships in May.\nIt is made in China.\n",
        ),
        (
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Le saviez-vous ?\n"
            "Le processeur sera livré en juin, a annoncé l'entreprise lundi dans un communiqué.\n",
            "Le processeur sera livré en mai, a annoncé l'entreprise lundi dans un communiqué.\n"
            "Le processeur sera livré en juin, a annoncé l'entreprise lundi dans un communiqué.\n",
        ),
        (
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda in una nota.\n"
            "Lo sapevi?\n"
            "Il processore sarà consegnato a giugno, ha annunciato lunedì l'azienda in una nota.\n",
            "Il processore sarà consegnato a maggio, ha annunciato lunedì l'azienda in una nota.\n"
            "Il processore sarà consegnato a giugno, ha annunciato lunedì l'azienda in una nota.\n",
        ),
        (
            "Did the new chip pass its first production test?\n"
            "Le saviez-vous, ce processeur chauffe peu.\n"
            "Lo sapevi che il chip scalda poco\n",
            "Did the new chip pass its first production test?\n"
            "Le saviez-vous, ce processeur chauffe peu.\n"
            "Lo sapevi che il chip scalda poco\n",
        ),
    )

    def drop(self, line: str, ctx: Context) -> bool:
        return len(line) <= 40 and is_label(line)


@lru_cache(maxsize=1 << 12)
def is_label(line: str) -> bool:
    """Whether ``line`` is a fact box label (cached: short lines repeat from page to page).

    >>> is_label("DID YOU KNOW?"), is_label("Did the chip pass its test?")
    (True, False)
    """
    return fold(line) in LABELS
