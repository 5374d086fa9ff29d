"""The run summary: what went in, what came out, and what every rule and stage did.

It is counted in the main process as rows pass to the writer, stored in the output's metadata
(Parquet key/value metadata, or ``_summary.json``), printed at the end of a CLI run, and read back
by ``clean --report-from``. Counts only: the rows themselves hold the details.

>>> from cleaner.document import Document, Removal
>>> s = Summary()
>>> doc = Document(id="a", source="x\\nComments (0)\\n", original_chars=15)
>>> doc.remove(Removal("comments", 2, 15, "Comments (0)\\n"))
>>> s.add(doc)
>>> s.as_dict()["rules"]["comments"]
{'removals': 1, 'documents': 1, 'chars': 13}
"""

from __future__ import annotations

import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from cleaner import __version__
from cleaner.document import Document

#: How many failed inputs the summary lists by id (all of them are rows with ``error`` anyway).
ERRORS_LISTED = 1000


@dataclass
class Summary:
    documents: int = 0
    errors: int = 0
    dropped: int = 0
    chars_in: int = 0
    chars_out: int = 0
    rules: dict[str, Counter[str]] = field(default_factory=dict)
    fixes: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    drop_reasons: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    error_list: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, doc: Document) -> None:
        """Count one finished document."""
        self.documents += 1
        if doc.error:
            self.errors += 1
            if len(self.error_list) < ERRORS_LISTED:
                self.error_list.append((doc.id, doc.error))
            return
        self.chars_in += doc.original_chars
        self.chars_out += len(doc.text)
        self.dropped += doc.dropped
        if doc.drop_reason:
            self.drop_reasons[doc.drop_reason.split(" ", 1)[0]] += 1
        if doc.lang:
            self.languages[doc.lang] += 1
        self.fixes.update(fix.split(":", 1)[0] if ":" in fix else fix for fix in doc.fixes)
        self.flags.update(doc.flags)
        removed = doc.removed
        if not removed:
            return
        rules = self.rules
        for r in removed:
            counts = rules.get(r.rule)
            if counts is None:
                counts = rules[r.rule] = Counter()
            counts["removals"] += 1
            counts["chars"] += r.end - r.start
        for rule in {r.rule for r in removed}:
            rules[rule]["documents"] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "errors": self.errors,
            "dropped": self.dropped,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "rules": {
                name: {k: counts[k] for k in ("removals", "documents", "chars")}
                for name, counts in sorted(self.rules.items())
            },
            "fixes": dict(sorted(self.fixes.items())),
            "flags": dict(sorted(self.flags.items())),
            "drop_reasons": dict(sorted(self.drop_reasons.items())),
            "languages": dict(self.languages.most_common()),
            "error_list": [list(e) for e in self.error_list],
            "seconds": round(time.time() - self.started, 3),
            "versions": versions(),
            **self.extra,
        }


def versions() -> dict[str, str]:
    """Versions of boilerclean, Python and the libraries whose behaviour shapes the output."""
    out = {"boilerclean": __version__, "python": platform.python_version()}
    for name in ("trafilatura", "ftfy", "regex", "datasketch", "pyarrow"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def format_summary(summary: dict[str, Any]) -> str:
    """A few lines for the terminal at the end of a run."""
    docs = summary.get("documents", 0)
    chars_in = summary.get("chars_in", 0) or 0
    chars_out = summary.get("chars_out", 0) or 0
    removed = 1 - chars_out / chars_in if chars_in else 0.0
    read = summary.get("read", {})
    lines = [
        f"documents: {docs}  errors: {summary.get('errors', 0)}  "
        f"dropped: {summary.get('dropped', 0)}  in {summary.get('seconds', 0):.1f} s",
        f"bytes read: {read.get('bytes', 0):,}  characters in: {chars_in:,}  "
        f"out: {chars_out:,}  ({removed:.1%} removed)",
    ]
    skipped = read.get("skipped") or {}
    if skipped:
        lines.append(
            "skipped: " + ", ".join(f"{reason} ({n})" for reason, n in sorted(skipped.items()))
        )
    rules = summary.get("rules") or {}
    if rules:
        lines.append("removals by rule:")
        for name, counts in sorted(rules.items(), key=lambda kv: -kv[1]["removals"]):
            lines.append(
                f"  {name:<24} {counts['removals']:>8} in {counts['documents']} documents, "
                f"{counts['chars']:,} chars"
            )
    errors = summary.get("error_list") or []
    if errors:
        lines.append("errors:")
        for doc_id, message in errors[:10]:
            lines.append(f"  {doc_id}: {message}")
        if len(errors) > 10 or summary.get("errors", 0) > len(errors):
            lines.append(f"  ... {summary.get('errors', 0) - 10} more (rows with `error` set)")
    for path in summary.get("outputs", []):
        lines.append(f"wrote {path}")
    return "\n".join(lines)
