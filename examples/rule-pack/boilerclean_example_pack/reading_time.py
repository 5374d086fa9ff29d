"""reading_time: "5 min read" lines."""

from __future__ import annotations

from cleaner.rule import Context, LineRule, Pattern

_N = r"(?:ca\.\s*|~\s*)?\d{1,3}"
# One alternative per phrasing; each needs a number and a reading-time word.
READING_TIME = Pattern(
    "|".join(
        [
            rf"{_N}\s*-?\s*min(?:ute)?s?\.?\s+read",  # en: 5 min read
            rf"(?:estimated\s+)?reading\s+time\s*:?\s*{_N}\s*min(?:ute)?s?\.?",  # en
            rf"(?:temps\s+de\s+)?lecture\s*:?\s*{_N}\s*min(?:ute)?s?\.?",  # fr
            rf"{_N}\s*min(?:ute)?s?\.?\s+de\s+lecture",  # fr: 5 min de lecture
            rf"lesezeit\s*:?\s*{_N}\s*min(?:uten|\.)?",  # de: Lesezeit: 5 Minuten
            rf"{_N}\s*min(?:uten|\.)?\s+lesezeit",  # de: 5 Min. Lesezeit
            rf"(?:tempo\s+di\s+)?lettura\s*:?\s*{_N}\s*min(?:uti|\.)?",  # it
            rf"{_N}\s*min(?:uti|\.)?\s+di\s+lettura",  # it: 5 minuti di lettura
        ]
    )
)


class ReadingTime(LineRule):
    """Drop reading-time lines: ``5 min read``, ``Lesezeit: 5 Minuten``, ``Lecture : 5 min``.

    The whole line must be the reading time (surrounding ``·`` or ``|`` allowed); a byline that
    carries one (``By Anna Smith · 5 min read``) and a sentence about reading (``The report takes
    five minutes to read.``) stay.
    """

    name = "reading_time"
    version = "1"
    tags = ("metadata_line", "reading_time")
    languages = ("en", "fr", "de", "it")
    examples = (
        (
            "5 min read\nThe council approved the budget on Monday after a long debate.\n",
            "The council approved the budget on Monday after a long debate.\n",
        ),
        (
            "Lesezeit: 5 Minuten\n\nDer Rat beschloss den Haushalt am Montag.\n",
            "Der Rat beschloss den Haushalt am Montag.\n",
        ),
        (
            "Temps de lecture : 3 min\nLe conseil a voté le budget lundi.\n",
            "Le conseil a voté le budget lundi.\n",
        ),
        (
            "By Anna Smith · 5 min read\nThe report takes five minutes to read.\n",
            "By Anna Smith · 5 min read\nThe report takes five minutes to read.\n",
        ),
    )

    def drop(self, line: str, ctx: Context) -> bool:
        line = line.strip(" ·|•-–—")
        return len(line) <= 60 and READING_TIME.fullmatch(line, ctx.timeout) is not None
