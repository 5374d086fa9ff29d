"""factbox: the label line of a fact box."""

from __future__ import annotations

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
    )

    def drop(self, line: str, ctx: Context) -> bool:
        return len(line) <= 40 and fold(line) in LABELS
