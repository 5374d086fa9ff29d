"""``clean --check-rules PATH``: run the rule contract on a folder of rules, no test file needed.

``PATH`` is a folder of rule modules (a package folder such as ``rules/cleaner_rules`` or a
plain folder as given to ``--rules-path``) or one module file. Every rule class defined in
those modules is checked at load (as the registry checks rules) and then against every check
of :mod:`cleaner.testing.contract`; a readable report goes to stdout. Modules whose names
start with ``_`` or ``test_`` are not rule modules and are skipped.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import TextIO

from cleaner.rule import BlockRule, DocumentRule, LineRule, Rule, SpanRule

__all__ = ["check_rules", "find_rules"]

_BASES = (Rule, LineRule, SpanRule, BlockRule, DocumentRule)


def find_rules(path: str | Path) -> tuple[list[type[Rule]], list[str]]:
    """The rule classes defined in the modules at ``path``, and the problems met loading them.

    A folder with an ``__init__.py`` is imported as a package (its parent goes on
    ``sys.path``), so that its modules' relative imports and data files work; any other
    folder's modules, and a single file, are imported by path.
    """
    path = Path(path)
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.glob("*.py") if not p.name.startswith(("_", "test_")))
    else:
        return [], [f"{path} is neither a folder nor a Python file; name a folder of rules."]
    rules: list[type[Rule]] = []
    problems: list[str] = []
    for file in files:
        try:
            module = _import(file)
        except Exception as exc:
            problems.append(f"{file}: cannot be imported: {type(exc).__name__}: {exc}")
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, Rule) and cls not in _BASES:
                rules.append(cls)
    return rules, problems


def check_rules(path: str, *, out: TextIO | None = None) -> int:
    """Run the contract on every rule found at ``path``; print a report; 0 when all pass.

    Returns 1 when a rule fails a check or a module cannot be imported, when ``path`` holds
    no rule, or when hypothesis (the ``testing`` extra) is not installed.
    """
    out = out or sys.stdout
    try:
        from cleaner.testing.contract import RuleContract
    except ImportError as exc:
        print(
            f"--check-rules needs the testing extra ({exc}); install it with "
            '`pip install "boilerclean[testing]"`.',
            file=out,
        )
        return 1
    from cleaner.registry import validate_rule

    rules, problems = find_rules(path)
    for problem in problems:
        print(f"ERROR {problem}", file=out)
    if not rules and not problems:
        print(f"no rule classes found in {path}.", file=out)
        return 1
    failed = len(problems)
    for cls in rules:
        start = time.perf_counter()
        module = Path(inspect.getfile(cls)).stem
        invalid = validate_rule(cls, module)
        print(f"\n{cls.name or cls.__qualname__} ({inspect.getfile(cls)})", file=out)
        if invalid:
            failed += 1
            for problem in invalid:
                print(f"  FAIL  load: {problem}", file=out)
            continue
        contract = RuleContract(cls)
        contract.settings_overrides = {"database": None}
        results = contract.run()
        for result in results:
            label = {"passed": "ok  ", "failed": "FAIL", "skipped": "skip"}[result.outcome]
            line = f"  {label}  {result.check} ({result.seconds:.1f} s)"
            if result.outcome == "skipped":
                line += f": {result.message}"
            print(line, file=out)
            if result.outcome == "failed":
                print(_indent(result.message, "        "), file=out)
        bad = sum(r.outcome == "failed" for r in results)
        failed += bool(bad)
        took = time.perf_counter() - start
        print(f"  -> {'FAILED' if bad else 'passed'} ({took:.1f} s)", file=out)
    total = len(rules)
    print(
        f"\n{total - min(failed, total)} of {total} rule(s) pass the contract"
        + (f"; {len(problems)} module(s) could not be imported." if problems else "."),
        file=out,
    )
    return 1 if failed else 0


def _import(file: Path) -> ModuleType:
    folder = file.parent
    if (folder / "__init__.py").exists():
        root = str(folder.parent)
        if root not in sys.path:
            sys.path.insert(0, root)
        return importlib.import_module(f"{folder.name}.{file.stem}")
    name = f"cleaner_check_rules.{folder.name}.{file.stem}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"{file} is not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())
