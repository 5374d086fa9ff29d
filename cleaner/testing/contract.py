"""The rule contract: the checks every rule must pass, as one test class or one call.

A rule author's worst mistake is a rule that also removes real content, on text they never
looked at. The contract runs the rule, alone and the way the pipeline runs it (the engine's
``apply_rule`` then ``tidy``), on its own examples, on real prose in twenty languages, on
documents with its boilerplate planted in them and on hostile text, and fails with a message
that names the problem and shows the (shrunk) input::

    # tests/test_my_rule.py
    from cleaner.testing import rule_contract
    from my_pack.reading_time import ReadingTime

    TestReadingTime = rule_contract(ReadingTime)

The checks (each a ``test_*`` method of the class, and a name for :meth:`RuleContract.run`):

========================  ========================================================================
``examples``              every ``(before, after)`` example comes out exactly as ``after``
``idempotent``            a second pass over the rule's output changes nothing
``total``                 the rule never raises, on any text (a rule that raises is skipped for the
                          whole document in a real run)
``subtractive``           output lines are a subsequence of input lines (rules that claim it:
                          line and block rules, and document rules whose examples only drop lines)
``removals``              every change is a recorded removal named after the rule, inside the
                          document, holding the text it removed, not overlapping another, aligned
                          to whole lines (or, for span edits, inside one line); the source is
                          never edited
``keeps_content``         real articles with no boilerplate come out unchanged
``keeps_sample_prose``    every shipped paragraph, sentence and heading of every language survives
                          (deterministic: no sample is left to chance)
``removes_planted``       boilerplate from the examples, planted at its place in real articles, is
                          removed and nothing else is
``hostile_input``         on hostile text the rule finishes within ``time_bound`` seconds and never
                          hits the engine's regex timeout
========================  ========================================================================

What counts as too slow: a rule fails ``hostile_input`` when one hostile document takes more
than ``time_bound`` seconds of wall time (default 2 s, generous: a good rule takes
milliseconds), or when any of its pattern calls hits the engine's per-call timeout
(``Options.rule_timeout``, 0.5 s), which the engine reports by flagging the document
``timeout:<rule>``. In a real run the engine would then silently leave that line alone; a
rule whose pattern times out on ordinary hostile text is a bad rule. Where the platform can
``fork``, each hostile document runs in a worker process that is killed past the bound, so
that even a pattern without a timeout (plain :mod:`re`) cannot hang the test run.
"""

from __future__ import annotations

import inspect
import itertools
import multiprocessing
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyFailure

from cleaner.config import Options
from cleaner.document import Document, rebuild
from cleaner.rule import BlockRule, LineRule, Rule, SpanRule, is_content
from cleaner.testing import _data
from cleaner.testing import strategies as cst
from cleaner.testing._engine import run_rule
from cleaner.testing.profiles import contract_settings

__all__ = [
    "CHECKS",
    "CheckResult",
    "ContractFailure",
    "ContractSkip",
    "RuleContract",
    "claims_subtractive",
    "rule_contract",
    "run_rule",
]

#: The contract's checks, in the order they run.
CHECKS = (
    "examples",
    "idempotent",
    "total",
    "subtractive",
    "removals",
    "keeps_content",
    "keeps_sample_prose",
    "removes_planted",
    "hostile_input",
)
_SHOW = 400  # characters of an input shown in a message before it is cut


class ContractFailure(AssertionError):
    """A rule broke its contract; the message names the check, the problem and the input."""


class ContractSkip(Exception):
    """A check that does not apply to this rule (the message says why)."""


@dataclass
class CheckResult:
    """The outcome of one check: ``passed``, ``failed`` or ``skipped``, with its message."""

    check: str
    outcome: str
    message: str = ""
    seconds: float = 0.0


def claims_subtractive(rule: Rule | type[Rule]) -> bool:
    """Whether ``rule`` only ever drops whole lines: what the ``subtractive`` check holds it to.

    Line and block rules do by construction; span rules do not; a document rule does when
    each of its examples only drops lines (its after-lines are a subsequence of its
    before-lines).
    """
    cls = rule if inspect.isclass(rule) else type(rule)
    if issubclass(cls, SpanRule):
        return False
    if issubclass(cls, (LineRule, BlockRule)):
        return True
    return all(_is_subsequence(_lines(after), _lines(before)) for before, after in cls.examples)


class RuleContract:
    """The contract for one rule: each ``check_<name>`` method runs one check.

    ``languages`` are the prose samples used as content (default: all of them, since a rule
    for English must still leave Russian alone); ``subtractive`` overrides
    :func:`claims_subtractive`; ``time_bound`` is the wall-clock seconds one hostile document
    may take; ``options`` are the run options the rule sees (default :class:`Options`);
    ``settings`` are hypothesis settings (``{"max_examples": 10}``) that override the profile
    for this contract's checks (see :mod:`cleaner.testing.profiles`).
    """

    def __init__(
        self,
        rule: Rule | type[Rule],
        *,
        languages: Iterable[str] | None = None,
        subtractive: bool | None = None,
        time_bound: float = 2.0,
        options: Options | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.rule: Rule = rule() if inspect.isclass(rule) else rule
        self.name = self.rule.name
        self.languages = _data.resolve_languages(languages)
        self.subtractive = claims_subtractive(self.rule) if subtractive is None else subtractive
        self.time_bound = time_bound
        self.options = options or Options()
        self.settings_overrides: dict[str, Any] = dict(settings or {})

    # -- running --------------------------------------------------------------------------
    def run(self, checks: Sequence[str] = CHECKS) -> list[CheckResult]:
        """Run ``checks`` (names from :data:`CHECKS`) and collect their outcomes."""
        results = []
        for check in checks:
            if check not in CHECKS:
                raise ValueError(f"unknown check {check!r}; the checks are {', '.join(CHECKS)}.")
            start = time.perf_counter()
            try:
                getattr(self, f"check_{check}")()
            except ContractSkip as skip:
                results.append(CheckResult(check, "skipped", str(skip)))
            except Exception as exc:
                results.append(CheckResult(check, "failed", _describe(exc)))
            else:
                results.append(CheckResult(check, "passed"))
            results[-1].seconds = time.perf_counter() - start
        return results

    def _given(self, strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
        test = given(strategy)(check)
        with warnings.catch_warnings():
            # hostile inputs are large on purpose; our own message shows them cut short
            warnings.filterwarnings("ignore", "Generating overly large repr")
            hypothesis_settings(contract_settings(**self.settings_overrides))(test)()

    # -- the checks -----------------------------------------------------------------------
    def check_examples(self) -> None:
        """Every example of the rule comes out exactly as its ``after``."""
        if not self.rule.examples:
            raise ContractFailure(
                f"rule {self.name!r} has no `examples`: add (before, after) pairs that show "
                "what it removes and what it keeps."
            )
        problems = []
        for i, (before, after) in enumerate(self.rule.examples, 1):
            try:
                got = run_rule(self.rule, before, self.options)
            except Exception as exc:
                problems.append(f"example {i} raises {exc!r} on {_show(before)}")
                continue
            if got.text != after:
                problems.append(
                    f"example {i}:\n    before:   {_show(before)}\n    expected: {_show(after)}"
                    f"\n    got:      {_show(got.text)}"
                )
            else:
                self._assert_removals(before, got)
        if problems:
            raise ContractFailure(
                f"rule {self.name!r} does not do what its examples say:\n  " + "\n  ".join(problems)
            )

    def check_idempotent(self) -> None:
        """A second pass over the rule's output changes nothing."""
        self._given(self._texts(), self._idempotent)

    def _idempotent(self, text: str) -> None:
        once = run_rule(self.rule, text, self.options).text
        twice = run_rule(self.rule, once, self.options).text
        if twice != once:
            raise ContractFailure(
                f"rule {self.name!r} is not idempotent: a second pass over its own output "
                f"removed more.\n  input:       {_show(text)}\n  first pass:  {_show(once)}"
                f"\n  second pass: {_show(twice)}"
            )

    def check_total(self) -> None:
        """The rule never raises, on any text."""
        strategy = st.one_of(
            st.text(),
            self._mixed(),
            cst.hostile_text(max_length=2_000, seeds=self._seeds()),
        )
        self._given(strategy, self._total)

    def _total(self, text: str) -> None:
        try:
            run_rule(self.rule, text, self.options)
        except Exception as exc:
            raise ContractFailure(
                f"rule {self.name!r} raised {type(exc).__name__}: {exc} (a rule must never "
                f"raise; the engine would skip it for the whole document).\n  input: "
                f"{_show(text)}\n{_traceback(exc)}"
            ) from exc

    def check_subtractive(self) -> None:
        """Output lines are a subsequence of input lines, for rules that claim it."""
        if not self.subtractive:
            raise ContractSkip(
                f"rule {self.name!r} edits inside lines (a span rule, or examples that change "
                "a line), so it does not claim to be subtractive"
            )
        self._given(self._texts(), self._sub)

    def _sub(self, text: str) -> None:
        out = _lines(run_rule(self.rule, text, self.options).text)
        if not _is_subsequence(out, _lines(text)):
            missing = next(
                line
                for i, line in enumerate(out)
                if not _is_subsequence(out[: i + 1], _lines(text))
            )
            raise ContractFailure(
                f"rule {self.name!r} is not subtractive: its output has the line "
                f"{_show(missing)}, which is not an input line in that order (it claims to "
                f"drop whole lines only).\n  input:  {_show(text)}"
            )

    def check_removals(self) -> None:
        """Every change is a recorded removal with the rule's name and valid offsets."""
        strategy = st.one_of(self._texts(), cst.hostile_text(max_length=500, seeds=self._seeds()))
        self._given(strategy, lambda text: self._assert_removals(text))

    def _assert_removals(self, text: str, doc: Document | None = None) -> None:
        fail = _failer(self.name, "recorded its removals wrongly", text)
        if doc is None:
            try:
                doc = run_rule(self.rule, text, self.options)
            except ValueError as exc:
                if not str(exc).startswith("removal "):
                    raise
                fail(f"the document refused one of them: {exc}")
                raise  # unreachable: fail() raises
        if doc.source != text:
            fail("it edited the document's source instead of recording removals")
        spans = sorted(doc.removed, key=lambda r: r.start)
        for r in spans:
            where = f"removal [{r.start}, {r.end}) {r.text!r}"
            if r.rule != self.name:
                fail(f"{where} is recorded under the name {r.rule!r}, not {self.name!r}")
            if not 0 <= r.start < r.end <= len(text):
                fail(f"{where} lies outside the document ({len(text)} characters)")
            if text[r.start : r.end] != r.text:
                fail(f"{where} does not hold the text at its offsets, {text[r.start : r.end]!r}")
            whole = _line_aligned(text, r.start, r.end)
            if self.subtractive and not whole:
                fail(
                    f"{where} does not cover whole lines (it starts or ends inside a line), "
                    "though the rule drops whole lines only: are its offsets computed on "
                    "another text than the document's source?"
                )
            if not whole and "\n" in r.text.rstrip("\n"):
                fail(f"{where} spans several lines without covering them whole")
        for a, b in itertools.pairwise(spans):
            if b.start < a.end:
                fail(f"removals [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap")
        if rebuild(doc.text, doc.removed) != text:
            fail("the document cannot be rebuilt from its text and removals")

    def check_keeps_content(self) -> None:
        """Real articles without boilerplate come out unchanged."""
        self._given(cst.content_documents(languages=self.languages), self._keeps)

    def _keeps(self, text: str) -> None:
        doc = run_rule(self.rule, text, self.options)
        if doc.removed:
            taken = "\n".join(f"    - {_show(r.text)}" for r in doc.removed)
            raise ContractFailure(
                f"rule {self.name!r} removed content from a document that has no boilerplate:"
                f"\n{taken}\n  input: {_show(text)}"
            )

    def check_keeps_sample_prose(self) -> None:
        """Every shipped paragraph, sentence and heading survives (no sampling)."""
        lost: list[tuple[str, str]] = []
        for lang in self.languages:
            paras = list(_data.paragraphs(lang)) + list(_data.sentences(lang))
            paras += list(_data.lookalikes()) if lang == "en" else []
            titles = list(_data.headings(lang))
            lines: list[str] = []
            for i, para in enumerate(paras):
                if i % 3 == 0 and titles:
                    lines.append(titles[(i // 3) % len(titles)])
                lines.append(para)
            text = "\n\n".join(lines) + "\n"
            doc = run_rule(self.rule, text, self.options)
            lost += [(lang, r.text.strip()) for r in doc.removed if r.text.strip()]
        if lost:
            smallest = min(lost, key=lambda item: (len(item[1]), item[1]))
            alone = run_rule(self.rule, smallest[1] + "\n", self.options)
            note = (
                "it goes even alone, as a one-line document"
                if alone.removed
                else "alone it stays: it goes in the context of the sample document"
            )
            shown = "\n".join(f"    - [{lang}] {_show(t, 160)}" for lang, t in lost[:8])
            more = f"\n    ... and {len(lost) - 8} more" if len(lost) > 8 else ""
            raise ContractFailure(
                f"rule {self.name!r} removed real content from the prose samples "
                f"({len(lost)} line(s)):\n{shown}{more}\n  smallest counterexample "
                f"[{smallest[0]}]: {_show(smallest[1])} ({note})"
            )

    def check_removes_planted(self) -> None:
        """Planted boilerplate goes, and everything else stays."""
        blocks = cst.boilerplate_blocks(self.rule)
        if not blocks:
            raise ContractSkip(
                f"none of the examples of rule {self.name!r} changes a line, so there is "
                "nothing to plant"
            )
        for block in blocks:
            if cst.place(self.rule, block, languages=self.languages, options=self.options):
                continue
            paras = list(_data_paragraphs(self.languages))
            text, expected = cst._assemble(paras, [(block, cst.Placement(block.where, False), 1)])
            self._planted_check(cst.Planted(text, expected, (block,)), placed=False)
        self._given(self._planted(), lambda planted: self._planted_check(planted))

    def _planted_check(self, planted: cst.Planted, placed: bool = True) -> None:
        got = [
            line.strip() for line in _lines(run_rule(self.rule, planted.text, self.options).text)
        ]
        want = [line.strip() for line in _lines(planted.expected)]
        if got != want:
            left = [line for line in got if line not in want]
            lost = [line for line in want if line not in got]
            parts = []
            if left:
                parts.append("left boilerplate behind: " + ", ".join(_show(x, 120) for x in left))
            if lost:
                parts.append("removed content: " + ", ".join(_show(x, 120) for x in lost))
            where = (
                ""
                if placed
                else " (the block's example does not work inside a real article at any of "
                "the placements tried: top, middle, end, with or without its neighbouring "
                "lines; does the rule depend on something its example does not show?)"
            )
            raise ContractFailure(
                f"rule {self.name!r} got a planted document wrong{where}: "
                f"{'; '.join(parts) or 'the lines differ in order'}.\n  input:    "
                f"{_show(planted.text)}\n  expected: {_show(planted.expected)}"
            )

    def check_hostile_input(self) -> None:
        """The rule finishes within the time bound on hostile text, without regex timeouts."""
        with _Guard(self.rule, self.options, self.time_bound) as guard:
            self._given(
                cst.hostile_text(seeds=self._seeds()),
                lambda text: self._hostile(guard, text),
            )

    def _hostile(self, guard: _Guard, text: str) -> None:
        seconds, flags, error = guard.run(text)
        problem = None
        if error:
            problem = f"it raised on hostile text:\n{error}"
        elif seconds is None:
            problem = (
                f"it did not finish within {self.time_bound + _GRACE:.1f} s and was killed: a "
                "pattern without a timeout that backtracks catastrophically?"
            )
        elif f"timeout:{self.name}" in flags:
            problem = (
                f"a pattern call hit the engine's regex timeout ({self.options.rule_timeout} s "
                "per call): catastrophic backtracking? (in a real run the line would be left "
                "alone and the document flagged)"
            )
        elif seconds > self.time_bound:
            problem = f"it took {seconds:.2f} s, over the bound of {self.time_bound} s"
        if problem:
            raise ContractFailure(
                f"rule {self.name!r} is too slow on hostile input: {problem}\n  input "
                f"({len(text)} characters): {_show(text, 200)}"
            )

    # -- strategies -----------------------------------------------------------------------
    def _seeds(self) -> list[str]:
        return [line for block in cst.boilerplate_blocks(self.rule) for line in block.before]

    def _mixed(self) -> st.SearchStrategy[str]:
        return cst.mixed_documents(self.rule, languages=self.languages)

    def _texts(self) -> st.SearchStrategy[str]:
        """Mixed documents, and planted ones when the examples give something to plant."""
        if not cst.boilerplate_blocks(self.rule):
            return self._mixed()
        return st.one_of(self._mixed(), self._planted().map(lambda p: p.text))

    def _planted(self) -> st.SearchStrategy[cst.Planted]:
        return cst.planted_documents(self.rule, languages=self.languages, options=self.options)


def rule_contract(
    rule: Rule | type[Rule],
    *,
    languages: Iterable[str] | None = None,
    subtractive: bool | None = None,
    time_bound: float = 2.0,
    options: Options | None = None,
    settings: Mapping[str, Any] | None = None,
) -> type:
    """A pytest test class that holds ``rule`` to the contract: assign it to a ``Test*`` name.

    >>> from cleaner.rule import LineRule
    >>> class Ad(LineRule):
    ...     '''Drop "Advertisement" lines.'''
    ...     name = "ad"
    ...     examples = [("Title\\nAdvertisement\\nText.\\n", "Title\\nText.\\n")]
    ...     def drop(self, line, ctx):
    ...         return line == "Advertisement"
    >>> TestAd = rule_contract(Ad)
    >>> sorted(name for name in vars(TestAd) if name.startswith("test_"))[:3]
    ['test_examples', 'test_hostile_input', 'test_idempotent']

    The keyword options are those of :class:`RuleContract`. A check that does not apply
    (``subtractive`` for a span rule) is reported as skipped.
    """
    contract = RuleContract(
        rule,
        languages=languages,
        subtractive=subtractive,
        time_bound=time_bound,
        options=options,
        settings=settings,
    )

    def method(check: str) -> Callable[[Any], None]:
        def test(self: Any) -> None:
            try:
                getattr(contract, f"check_{check}")()
            except ContractSkip as skip:
                _pytest_skip(str(skip))

        test.__name__ = f"test_{check}"
        test.__doc__ = getattr(RuleContract, f"check_{check}").__doc__
        return test

    namespace: dict[str, Any] = {f"test_{c}": method(c) for c in CHECKS}
    namespace["contract"] = contract
    namespace["__doc__"] = (
        f"The rule contract for {contract.name!r} ({type(contract.rule).__name__})."
    )
    caller = inspect.currentframe()
    module = (
        caller.f_back.f_globals.get("__name__", __name__) if caller and caller.f_back else __name__
    )
    namespace["__module__"] = module
    return type(f"TestContract_{contract.name}", (), namespace)


def _pytest_skip(reason: str) -> None:
    try:
        import pytest
    except ImportError:  # pragma: no cover - the class is only collected by pytest
        raise ContractSkip(reason) from None
    pytest.skip(reason)


def _data_paragraphs(languages: Sequence[str]) -> list[str]:
    """The reference article of :func:`cleaner.testing.strategies.place`."""
    for lang in languages:
        paras = [p for p in _data.paragraphs(lang) if is_content(p)]
        if len(paras) >= 2:
            return paras[:2]
    raise ValueError("no language with two content paragraphs")


# -- the guard that bounds hostile runs ---------------------------------------------------------

_GRACE = 1.0  # seconds past the bound before a silent worker is killed


class _Guard:
    """Runs the rule on one text at a time in a forked worker and kills it past the bound.

    Without ``fork`` (Windows), the rule runs in-process and only its time is checked after
    the fact: a pattern without a timeout can then hang the run.
    """

    def __init__(self, rule: Rule, options: Options, bound: float) -> None:
        self.rule, self.options, self.bound = rule, options, bound
        self.forking = "fork" in multiprocessing.get_all_start_methods()
        self._proc: Any = None
        self._conn: Connection | None = None

    def __enter__(self) -> _Guard:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def run(self, text: str) -> tuple[float | None, list[str], str | None]:
        """``(seconds or None when killed, flags, error)`` of the rule on ``text``."""
        if not self.forking:
            return _timed(self.rule, self.options, text)
        if self._proc is None or not self._proc.is_alive():
            self._start()
        assert self._conn is not None
        self._conn.send(text)
        if self._conn.poll(self.bound + _GRACE):
            result: tuple[float | None, list[str], str | None] = self._conn.recv()
            return result
        self._stop()
        return None, [], None

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        parent, child = context.Pipe()
        self._proc = context.Process(
            target=_serve, args=(self.rule, self.options, child), daemon=True
        )
        self._proc.start()
        child.close()
        self._conn = parent

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
            self._proc = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _serve(rule: Rule, options: Options, conn: Connection) -> None:
    while True:
        try:
            text = conn.recv()
        except EOFError:
            return
        conn.send(_timed(rule, options, text))


def _timed(rule: Rule, options: Options, text: str) -> tuple[float | None, list[str], str | None]:
    start = time.perf_counter()
    try:
        doc = run_rule(rule, text, options)
    except Exception as exc:
        return time.perf_counter() - start, [], f"{type(exc).__name__}: {exc}\n{_traceback(exc)}"
    return time.perf_counter() - start, list(doc.flags), None


# -- helpers -------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it: Iterator[str] = iter(long)
    return all(any(item == other for other in it) for item in short)


def _line_aligned(text: str, start: int, end: int) -> bool:
    starts_line = start == 0 or text[start - 1] == "\n" or text[start] == "\n"
    ends_line = end == len(text) or text[end - 1] == "\n"
    return starts_line and ends_line


def _show(text: str, limit: int = _SHOW) -> str:
    if len(text) <= limit:
        return repr(text)
    return f"{text[: limit // 2]!r} ... {text[-limit // 4 :]!r} ({len(text)} characters)"


def _failer(name: str, what: str, text: str) -> Callable[[str], None]:
    def fail(problem: str) -> None:
        stop = "" if problem.endswith(("?", ".")) else "."
        raise ContractFailure(f"rule {name!r} {what}: {problem}{stop}\n  input: {_show(text)}")

    return fail


def _traceback(exc: BaseException) -> str:
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "".join(lines[-6:]).rstrip()


def _describe(exc: BaseException) -> str:
    """A failure's message with hypothesis's note naming the falsifying example."""
    notes = []
    for note in getattr(exc, "__notes__", []):
        if note.startswith(("Explanation:", "Failed to reproduce exception")):
            break  # coverage explanations and tracebacks: noise in a rule author's report
        if note.strip():
            notes.append(note)
    if isinstance(exc, BaseExceptionGroup):
        parts = [_describe(e) for e in exc.exceptions]
        if isinstance(exc, FlakyFailure):
            parts.append(
                "(hypothesis could not reproduce this failure every time: for a time limit "
                "this means the shrunk input sits near the limit; longer inputs of the same "
                "shape stall for sure)"
            )
        head = f"{len(parts)} distinct failures:\n\n" if len(exc.exceptions) > 1 else ""
        return head + "\n\n".join([*parts, *notes])
    message = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
    return "\n".join([message, *notes])
