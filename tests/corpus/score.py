"""Score the rule stage on the labelled corpus, per language and per family.

Each corpus document (``tests/corpus/<lang>.jsonl``) is joined into one text, run through the
real rules stage (``cleaner.registry.RuleSet(Options())``, the stage the pipeline runs after
repair), and compared line by line with its labels:

- a ``boilerplate`` line counts as *removed* when nothing of it is left (only whitespace);
- a ``content`` or ``lookalike`` line counts as *kept* when it is left exactly unchanged.

Boilerplate is reported for the ``train`` strings (rules may be built from them) and the
``holdout`` strings (whole sources kept back) separately. Usage::

    python tests/corpus/score.py [--split train|holdout|all] [--markdown] [--lang de ...]
                                 [--misses N]

``--misses N`` prints up to N missed boilerplate lines and N damaged content/look-alike lines
per language, to see what a rule should catch or leave alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
GATES = {"removed": 0.95, "content": 0.995, "lookalike": 0.98}


@dataclass
class Tally:
    """Counts of lines and of good outcomes, keyed by (lang, label, family, split)."""

    total: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    good: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def share(self, lang: str | None = None, label: str | None = None,
              family: str | None = None, split: str | None = None) -> float | None:  # fmt: skip
        """Share of good outcomes among the matching lines; None when there are none."""
        keys = [
            k
            for k in self.total
            if (lang is None or k[0] == lang)
            and (label is None or k[1] == label)
            and (family is None or k[2] == family)
            and (split is None or split == "all" or k[3] == split)
        ]
        total = sum(self.total[k] for k in keys)
        return sum(self.good[k] for k in keys) / total if total else None


def corpus_files(langs: Iterable[str] | None = None) -> list[Path]:
    wanted = set(langs or [])
    return [p for p in sorted(CORPUS.glob("*.jsonl")) if not wanted or p.stem in wanted]


def documents(paths: Iterable[Path]) -> Iterator[dict[str, object]]:
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for raw in handle:
                if raw.strip():
                    yield json.loads(raw)


def rule_stage() -> object:
    """The pipeline's rules stage, built once from default options."""
    from cleaner.config import Options
    from cleaner.registry import RuleSet

    return RuleSet(Options())


def evaluate(langs: Iterable[str] | None = None, misses: int = 0) -> Tally:
    """Run the rules stage on every corpus document and tally the outcome of every line."""
    from cleaner.document import Document

    stage = rule_stage()
    tally = Tally()
    for record in documents(corpus_files(langs)):
        lines: list[dict[str, str]] = record["lines"]  # type: ignore[assignment]
        lang = str(record["lang"])
        doc = Document(id=str(record["id"]), source="\n".join(ln["text"] for ln in lines))
        doc = stage(doc)  # type: ignore[operator]
        if doc.error:
            raise RuntimeError(f"The rules stage failed on {record['id']}: {doc.error}")
        left = {line.index: line.text for line in doc.lines(alive=False)}
        for index, ln in enumerate(lines):
            label = ln["label"]
            if label == "blank":
                continue
            after = left.get(index, "")
            good = not after.strip() if label == "boilerplate" else after == ln["text"]
            key = (lang, label, ln.get("family") or "-", ln.get("split") or "-")
            tally.total[key] += 1
            tally.good[key] += good
            if not good and misses:
                bucket = tally.misses.setdefault(f"{lang} {label}", [])
                if len(bucket) < misses:
                    bucket.append(
                        f"{ln.get('family') or ''} {ln['text'][:120]!r} -> {after[:80]!r}"
                    )
    return tally


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r) for r in [header, *rows])


def report(tally: Tally, split: str = "all", markdown: bool = False) -> str:
    """Per-language and per-family tables of the three shares."""
    langs = sorted({k[0] for k in tally.total})
    families = sorted({k[2] for k in tally.total if k[1] == "boilerplate"})
    splits = ["train", "holdout"] if split == "all" else [split]
    header = ["lang"] + [f"bp removed ({s})" for s in splits] + ["content kept", "lookalikes kept"]
    rows = []
    for lang in [*langs, "all"]:
        key = None if lang == "all" else lang
        row = [lang] + [percent(tally.share(key, "boilerplate", split=s)) for s in splits]
        row += [percent(tally.share(key, "content")), percent(tally.share(key, "lookalike"))]
        rows.append(row)
    parts = ["Per language (% of lines)", table(header, rows, markdown), ""]
    header = ["family"] + [f"bp removed ({s})" for s in splits] + ["lines"]
    rows = []
    for family in families:
        row = [family] + [percent(tally.share(None, "boilerplate", family, s)) for s in splits]
        count = sum(
            n
            for k, n in tally.total.items()
            if k[1] == "boilerplate" and k[2] == family and (split == "all" or k[3] == split)
        )
        rows.append([*row, str(count)])
    parts += ["Per family, all languages (% of boilerplate lines removed)"]
    parts += [table(header, rows, markdown)]
    for name, examples in sorted(tally.misses.items()):
        parts += ["", f"Misses: {name}", *("  " + e for e in examples)]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["train", "holdout", "all"], default="all")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--lang", nargs="*", help="only these languages")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses per language")
    args = parser.parse_args(argv)
    tally = evaluate(args.lang, misses=args.misses)
    print(report(tally, args.split, args.markdown))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(CORPUS.parent.parent))
    raise SystemExit(main())
