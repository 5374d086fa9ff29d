"""Apply ONE rule to a text the way the pipeline applies it, letting its exceptions through.

The engine's :func:`cleaner.rule.apply_rules` catches a rule's exception and only flags the
document (one broken rule must not lose a document in a real run); a test wants to see it.
This adapter runs :func:`cleaner.rule.apply_rule` and then :func:`cleaner.rule.tidy` (when
anything was removed) itself, as ``apply_rules`` does, and leaves out the ``collateral`` flag.
"""

from __future__ import annotations

from cleaner.config import Options
from cleaner.document import Document
from cleaner.rule import Rule, apply_rule, tidy


def run_rule(rule: Rule, text: str, options: Options | None = None) -> Document:
    """Apply ``rule`` alone to ``text`` as the pipeline does, letting exceptions through.

    >>> from cleaner.rule import LineRule
    >>> class Ad(LineRule):
    ...     '''Drop "Advertisement" lines.'''
    ...     name = "ad"
    ...     def drop(self, line, ctx):
    ...         return line == "Advertisement"
    >>> doc = run_rule(Ad(), "Title\\n\\nAdvertisement\\n\\nText.\\n")
    >>> doc.text, [(r.rule, r.text) for r in doc.removed]
    ('Title\\n\\nText.\\n', [('ad', 'Advertisement\\n\\n')])
    """
    doc = Document(id="contract", source=text)
    apply_rule(rule, doc, options or Options())
    if doc.removed:
        tidy(doc)
    return doc


def nonblank(text: str) -> list[str]:
    """The lines of ``text`` that hold more than white space."""
    return [line for line in text.split("\n") if line.strip()]
