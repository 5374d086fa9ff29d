"""print_page: print / e-mail / share toolbar lines."""

from __future__ import annotations

from cleaner.rule import Context, LineRule, Pattern, terms_pattern

# Toolbar labels as article pages show them, in English, French, German and Italian.
PRINT = ["print", "print this page", "print this article", "printer-friendly version",
         "imprimer", "imprimer cette page", "imprimer l'article", "version imprimable",
         "drucken", "seite drucken", "artikel drucken", "druckversion",
         "stampa", "stampa questa pagina", "stampa l'articolo", "versione stampabile"]  # fmt: skip
OTHER = ["email", "e-mail", "share", "save", "envoyer", "partager", "courriel",
         "teilen", "senden", "merken", "invia", "condividi", "salva"]  # fmt: skip
_SEPARATOR = r"\s*[|·•/–-]\s*|\s+"
TOOLBAR = Pattern(
    rf"(?:(?:{terms_pattern(OTHER)})(?:{_SEPARATOR}))*(?:{terms_pattern(PRINT)})"
    rf"(?:(?:{_SEPARATOR})(?:{terms_pattern(PRINT + OTHER)}))*"
)


class PrintPage(LineRule):
    """Drop print-toolbar lines: a print label alone, or with e-mail / share labels beside it.

    ``Print this page``, ``Imprimer | Envoyer | Partager``, ``Drucken · Teilen``, ``Stampa``.
    The whole line must be toolbar labels, one of them a print label: a sentence that speaks
    of printing (``Print this page to keep the form.``) stays, and so does a line of share
    labels without a print label (that is a share bar, another rule's family).
    """

    name = "print_page"
    version = "1"
    tags = ("toolbar", "print")
    languages = ("en", "fr", "de", "it")
    examples = (
        (
            "Print this page\n\nThe council approved the budget on Monday after a long debate.\n",
            "The council approved the budget on Monday after a long debate.\n",
        ),
        (
            "Le conseil a voté le budget lundi.\n\nImprimer | Envoyer | Partager\n",
            "Le conseil a voté le budget lundi.\n",
        ),
        (
            "Der Rat beschloss den Haushalt am Montag.\nDrucken · Teilen\nEr gilt ab Januar.\n",
            "Der Rat beschloss den Haushalt am Montag.\nEr gilt ab Januar.\n",
        ),
        (
            "Print this page to keep a copy of the form.\n",
            "Print this page to keep a copy of the form.\n",
        ),
    )

    def drop(self, line: str, ctx: Context) -> bool:
        return len(line) <= 80 and TOOLBAR.fullmatch(line, ctx.timeout) is not None
