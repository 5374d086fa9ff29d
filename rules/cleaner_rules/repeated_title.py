"""repeated_title: later copies of the title line."""

from __future__ import annotations

from cleaner.document import Document, Removal
from cleaner.rule import Context, DocumentRule, remove_range
from cleaner_rules.title import looks_like_title


class RepeatedTitle(DocumentRule):
    """Drop the later copies of a title: the first line repeated verbatim further down.

    When the first live line reads like a title (see the ``title`` rule), every later line equal
    to it (ignoring case and surrounding spaces) goes; the first copy stays. A copy with other
    characters around it (a bullet, a quote, a number) is a list item or a quotation and stays,
    other repeated lines are left to the dedup stage, and a heading that only resembles the
    title stays.
    """

    name = "repeated_title"
    version = "1"
    tags = ("repeated_title",)
    languages = ("*",)
    priority = 95
    examples = (
        (
            "Chips Rise Again\n\nChips Rise Again\n\nThe chip ships in May.\n",
            "Chips Rise Again\n\nThe chip ships in May.\n",
        ),
        (
            "Chips Rise Again\n\nThe chip ships in May.\n\n• Chips Rise Again\n",
            "Chips Rise Again\n\nThe chip ships in May.\n\n• Chips Rise Again\n",
        ),
        (
            "Les puces repartent\n\nLes puces repartent-elles vraiment ?\n",
            "Les puces repartent\n\nLes puces repartent-elles vraiment ?\n",
        ),
        (
            "Il chip di Alibaba\n\nIl chip di Alibaba è prodotto in Cina.\n",
            "Il chip di Alibaba\n\nIl chip di Alibaba è prodotto in Cina.\n",
        ),
    )

    def apply(self, doc: Document, ctx: Context) -> list[Removal] | None:
        if len(ctx.lines) < 2 or not looks_like_title(ctx.lines[0].text):
            return None
        texts = ctx.texts()
        title = texts[0].casefold()
        # case folding turns one character into one to three: other lengths cannot be a copy
        longest, shortest = len(title), (len(title) + 2) // 3
        for line, text in zip(ctx.lines[1:], texts[1:], strict=True):
            if shortest <= len(text) <= longest and text.casefold() == title:
                end = line.end + 1 if line.end < len(doc.source) else line.end
                remove_range(doc, self.name, line.start, end)
        return None
