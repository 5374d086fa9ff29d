"""Finding, checking, selecting and ordering rules, and the pipeline's rules stage.

Rules come from two places, the same for the built-in pack and for anyone else's:

- the entry-point group ``cleaner.rules``: each entry point is named after its rule and points to
  the rule class (``comments = "cleaner_rules.comments:Comments"``);
- ``options.rules_path``: folders of unpackaged ``*.py`` modules; every :class:`~cleaner.rule.Rule`
  subclass defined in them is a rule.

Every rule is checked at load (a unique name equal to its module name, a docstring, examples, one
of the four bases). A pack that fails to import or a rule that fails the checks is logged and
skipped: a broken third-party pack never stops a run.

Order is deterministic: by ``priority`` (lower first: header rules that fill metadata come first,
footer rules last), then by name. Each rule sees the document as the rules before it left it.

The reference page ``docs/reference/rules.md`` is generated from the rules' docstrings and
examples; regenerate it after changing a rule with ``python -m cleaner.registry --write-docs``
(a test fails while it is stale).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import logging
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from cleaner.config import Options
from cleaner.document import Document
from cleaner.rule import BlockRule, DocumentRule, LineRule, Rule, SpanRule, apply_rules

__all__ = [
    "ENTRY_POINT_GROUP",
    "RuleSet",
    "describe",
    "discover",
    "load_rules",
    "render_docs",
    "select_rules",
    "validate_rule",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "cleaner.rules"
BASES = (LineRule, SpanRule, BlockRule, DocumentRule)
DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "reference" / "rules.md"


def validate_rule(cls: object, module: str | None = None) -> list[str]:
    """The problems that keep ``cls`` from being a usable rule (empty when there are none).

    ``module`` is the name the rule's module must have (its last dotted part or file stem).
    """
    if not (inspect.isclass(cls) and issubclass(cls, Rule)):
        return [f"{cls!r} is not a subclass of cleaner.rule.Rule"]
    problems = []
    if not cls.name or not cls.name.isidentifier():
        problems.append(f"{cls.__qualname__} needs a `name` that is a Python identifier")
    if cls in BASES or not issubclass(cls, BASES):
        problems.append(
            f"{cls.__qualname__} must subclass LineRule, SpanRule, BlockRule or DocumentRule"
        )
    if not (cls.__doc__ or "").strip() or cls.__doc__ in {b.__doc__ for b in BASES}:
        problems.append(
            f"{cls.name or cls.__qualname__} needs a docstring saying what it drops and keeps"
        )
    if not cls.examples:
        problems.append(f"{cls.name or cls.__qualname__} needs `examples` (before, after) pairs")
    elif not all(isinstance(e, tuple) and len(e) == 2 for e in cls.examples):
        problems.append(f"{cls.name}: each example must be a (before, after) pair of strings")
    if module is not None and cls.name and module.rsplit(".", 1)[-1] != cls.name:
        problems.append(
            f"rule {cls.name!r} lives in module {module!r}; name the module after the rule"
        )
    if not cls.languages or not cls.tags:
        problems.append(f"{cls.name or cls.__qualname__} needs `tags` and `languages`")
    return problems


def discover(options: Options | None = None) -> list[type[Rule]]:
    """Every valid rule class from the entry points and ``options.rules_path``, in load order.

    Entry points come first (sorted by name), then the folders' modules (sorted by path). A rule
    whose name is taken already is logged and skipped.
    """
    options = options or Options()
    found: dict[str, type[Rule]] = {}
    for cls, where in [*_from_entry_points(), *_from_paths(options.rules_path)]:
        if cls.name in found and found[cls.name] is not cls:
            log.error(
                "rule %r from %s is skipped: a rule of that name is loaded already (%s).",
                cls.name,
                where,
                found[cls.name].__module__,
            )
            continue
        found[cls.name] = cls
    return list(found.values())


def load_rules(options: Options | None = None) -> list[Rule]:
    """The rules a run applies: discovered, selected (``select`` / ``ignore``), ordered, built."""
    options = options or Options()
    classes = select_rules(discover(options), options.select, options.ignore)
    return [cls() for cls in sorted(classes, key=lambda c: (c.priority, c.name))]


def select_rules(
    rules: Sequence[type[Rule]], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[type[Rule]]:
    """Keep the rules named (or tagged) in ``select`` (all when empty), minus those in ``ignore``.

    Entries may be comma-separated. An entry that is neither a rule name nor a tag is an error,
    so that a typo never silently selects nothing.
    """
    chosen, dropped = _split(select), _split(ignore)
    known = {r.name for r in rules} | {t for r in rules for t in r.tags}
    unknown = sorted((chosen | dropped) - known)
    if unknown:
        raise ValueError(
            f"unknown rule or tag: {', '.join(unknown)}; `clean --list-rules` lists the rules "
            "and their tags."
        )

    def named(rule: type[Rule], names: set[str]) -> bool:
        return rule.name in names or bool(names.intersection(rule.tags))

    return [r for r in rules if (not chosen or named(r, chosen)) and not named(r, dropped)]


class RuleSet:
    """The pipeline's rules stage: ``RuleSet(options)(doc) -> doc``.

    Documents with ``error`` set pass through untouched, and so does everything when
    ``options.rules`` is off.
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.rules = load_rules(self.options) if self.options.rules else []

    def __call__(self, doc: Document) -> Document:
        if doc.error or not self.rules:
            return doc
        return apply_rules(doc, self.rules, self.options)


def describe(options: Options | None = None) -> str:
    """The text of ``clean --list-rules``: one line per rule, in the order they run."""
    rules = load_rules(options or Options())
    rows = [(r.name, ",".join(r.tags), _languages(r.languages), r.summary()) for r in rules]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(_HEADER[:3])]
    lines = []
    for row in [_HEADER, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return "\n".join(lines)


_HEADER = ("name", "tags", "languages", "summary")


def _languages(codes: Sequence[str], shown: int = 6) -> str:
    """A rule's languages for the terminal: all of them when few, else a count.

    >>> _languages(["en", "fr", "it"]), _languages([f"l{i}" for i in range(40)])
    ('en,fr,it', 'l0,l1,l2,l3,l4,l5 +34 more')
    """
    if len(codes) <= shown:
        return ",".join(codes)
    return f"{','.join(codes[:shown])} +{len(codes) - shown} more"


def render_docs(rules: Sequence[Rule | type[Rule]]) -> str:
    """``docs/reference/rules.md``: each rule's docstring, metadata and examples, in run order."""
    out = [
        "# Rules",
        "",
        "Generated from the rules' docstrings by `python -m cleaner.registry --write-docs`;",
        "edit the rule, not this page. Rules run in this order (by `priority`, then name);",
        "each sees the document as the rules before it left it.",
        "",
        "| rule | tags | languages | priority | summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        out.append(
            f"| [`{r.name}`](#{r.name}) | {', '.join(r.tags)} | {', '.join(r.languages)} "
            f"| {r.priority} | {r.summary()} |"
        )
    for r in rules:
        kind = next(b.__name__ for b in BASES if isinstance(r, b) or _subclass(r, b))
        out += ["", f"## {r.name}", "", f"{kind}, version {r.version}; module `{_module(r)}`.", ""]
        out.append(inspect.cleandoc(r.__doc__ or ""))
        for i, (before, after) in enumerate(r.examples, 1):
            out += ["", f"Example {i}, before:", "", "```text", before.rstrip("\n"), "```"]
            out += ["", "after:", "", "```text", after.rstrip("\n"), "```"]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cleaner.registry --write-docs | --check-docs [PATH]``."""
    parser = argparse.ArgumentParser(prog="python -m cleaner.registry", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-docs", action="store_true", help="regenerate the rules page")
    group.add_argument("--check-docs", action="store_true", help="fail when the page is stale")
    group.add_argument("--list", action="store_true", help="print the rules as --list-rules")
    parser.add_argument("path", nargs="?", default=str(DOCS_PATH))
    args = parser.parse_args(argv)
    if args.list:
        print(describe())
        return 0
    text = render_docs(load_rules())
    path = Path(args.path)
    if args.write_docs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return 0
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        print(f"{path} is stale; run `python -m cleaner.registry --write-docs`.", file=sys.stderr)
        return 1
    return 0


def _split(names: Iterable[str]) -> set[str]:
    return {part.strip() for name in names for part in name.split(",") if part.strip()}


def _subclass(r: object, base: type) -> bool:
    return inspect.isclass(r) and issubclass(r, base)


def _module(r: Rule | type[Rule]) -> str:
    return (r if inspect.isclass(r) else type(r)).__module__


def _from_entry_points() -> list[tuple[type[Rule], str]]:
    out = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        where = f"entry point {ep.name} = {ep.value}"
        try:
            cls = ep.load()
        except Exception as exc:
            log.error("rule pack %s cannot be loaded and is skipped: %r", where, exc)
            continue
        problems = validate_rule(cls, getattr(cls, "__module__", None))
        if not problems and cls.name != ep.name:
            problems = [f"the entry point is named {ep.name!r}, the rule {cls.name!r}"]
        if problems:
            log.error("rule from %s is skipped: %s.", where, "; ".join(problems))
            continue
        out.append((cls, where))
    return out


def _from_paths(folders: Iterable[str]) -> list[tuple[type[Rule], str]]:
    out = []
    for folder in folders:
        if not Path(folder).is_dir():
            raise ValueError(
                f"--rules-path {folder} is not a folder; name a folder of rule modules."
            )
        for path in sorted(Path(folder).glob("*.py")):
            if path.name.startswith("_"):
                continue
            module = _import_file(path)
            if module is None:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__ or not issubclass(cls, Rule):
                    continue
                problems = validate_rule(cls, path.stem)
                if problems:
                    log.error("rule in %s is skipped: %s.", path, "; ".join(problems))
                    continue
                out.append((cls, str(path)))
    return out


def _import_file(path: Path) -> ModuleType | None:
    name = f"cleaner_rules_path.{path.parent.name}.{path.stem}"
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        log.error("rule module %s cannot be imported and is skipped: %r", path, exc)
        return None
    return module


if __name__ == "__main__":
    raise SystemExit(main())
