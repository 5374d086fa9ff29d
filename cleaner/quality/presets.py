"""Quality filter presets: the published Gopher, C4 and FineWeb thresholds, per language.

A preset is an ordered list of checks. Each check has a config key that names its signal and
direction (``min_words``: drop when ``words`` is below the threshold), the comparison that fails,
and the published threshold. Languages whose words are counted differently (see
:mod:`cleaner.quality.signals`) get their own thresholds where the signal depends on language;
every threshold can be overridden from a TOML file (``--quality-config``)::

    [gopher]
    min_words = 40          # every language
    [gopher.ja]
    min_words = 120         # Japanese only
    max_mean_word_length = false   # turn a check off

The first failing check, in the preset's order, is the reason:
``"<preset>:<signal> <value> <op> <threshold>"``. Checks act on whole documents only: removing lines
is the rules' job (C4's "drop lines without terminal punctuation" would delete every heading, and
its bad-words list is a topic filter, not a quality one; neither is applied).

>>> p = load_presets()["gopher"]
>>> p.decide({"words": 12, "mean_word_length": 4.0}, "en")
'gopher:words 12 < 50'
>>> p.threshold("min_words", "zh"), p.threshold("min_words", "it")
(75, 50)
"""

from __future__ import annotations

import operator
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Number = int | float

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Check:
    """Drop a document when ``signal <op> threshold``; ``key`` is its config name."""

    key: str
    signal: str
    op: str
    default: Number | None


#: Signals that only presets use (not columns of the output): computed on demand from the text.
EXTRA_SIGNALS = ("sentences", "lorem_ipsum", "curly_brackets", "short_lines")

# Gopher: Rae et al. 2021, "Scaling Language Models", Appendix A (Table A1), as implemented in
# datatrove's gopher_quality_filter.py and gopher_repetition_filter.py.
GOPHER = [
    Check("min_words", "words", "<", 50),
    Check("max_words", "words", ">", 100_000),
    Check("min_mean_word_length", "mean_word_length", "<", 3),
    Check("max_mean_word_length", "mean_word_length", ">", 10),
    Check("max_symbol_ratio", "symbol_ratio", ">", 0.1),
    Check("max_bullet_lines", "bullet_lines", ">", 0.9),
    Check("max_ellipsis_lines", "ellipsis_lines", ">", 0.3),
    Check("max_non_alpha_words", "non_alpha_words", ">", 0.2),
    Check("min_stop_words", "stop_words", "<", 2),
    Check("max_dup_lines", "dup_lines", ">", 0.3),
    Check("max_dup_paragraphs", "dup_paragraphs", ">", 0.3),
    Check("max_dup_line_chars", "dup_line_chars", ">", 0.2),
    Check("max_dup_paragraph_chars", "dup_paragraph_chars", ">", 0.2),
    Check("max_top_2gram", "top_2gram", ">", 0.2),
    Check("max_top_3gram", "top_3gram", ">", 0.18),
    Check("max_top_4gram", "top_4gram", ">", 0.16),
    Check("max_dup_5gram", "dup_5gram", ">", 0.15),
    Check("max_dup_6gram", "dup_6gram", ">", 0.14),
    Check("max_dup_7gram", "dup_7gram", ">", 0.13),
    Check("max_dup_8gram", "dup_8gram", ">", 0.12),
    Check("max_dup_9gram", "dup_9gram", ">", 0.11),
    Check("max_dup_10gram", "dup_10gram", ">", 0.10),
]

# C4: Raffel et al. 2020, section 2.2, document-level heuristics only. The paper says "fewer than
# 3 sentences"; the TFDS code (and datatrove) use 5: set min_sentences = 5 to match the code.
C4 = [
    Check("min_sentences", "sentences", "<", 3),
    Check("max_lorem_ipsum", "lorem_ipsum", ">", 0),
    Check("max_curly_brackets", "curly_brackets", ">", 0),
]

# FineWeb: Penedo et al. 2024, section 3.3 custom filters (datatrove fineweb_quality_filter.py).
# The paper's duplicated-line threshold is 0.1; datatrove's code default is 0.01.
FINEWEB = [
    Check("min_terminal_punct_lines", "terminal_punct_lines", "<=", 0.12),
    Check("max_dup_line_chars", "dup_line_chars", ">=", 0.1),
    Check("max_short_lines", "short_lines", ">=", 0.67),
]

#: Parameters (not checks) a preset reads, with their defaults.
PARAMS: dict[str, dict[str, Number]] = {"fineweb": {"short_line_length": 30}}

# Per-language thresholds where the signal depends on the language. Words in scripts without
# spaces are characters (Han, Kana) or letter clusters (Thai): a word of Chinese or Japanese is
# about 1.5 such units and a Thai word about 2, so word counts are scaled by those factors.
# Mean word length there measures how much of the text is in other scripts: its lower bound (1)
# cannot fail and is off; its upper bound of 3 drops documents mostly made of Latin tokens.
# Korean and Vietnamese write shorter space-separated words (Hangul syllable blocks, Vietnamese
# syllables): their lower bound is 2.
_CJK: dict[str, Number | None] = {
    "min_words": 75,
    "max_words": 150_000,
    "min_mean_word_length": None,
    "max_mean_word_length": 3,
}
_THAI: dict[str, Number | None] = {
    "min_words": 100,
    "max_words": 200_000,
    "min_mean_word_length": None,
    "max_mean_word_length": 3,
}
_SHORT_WORDS: dict[str, Number | None] = {"min_mean_word_length": 2}


def _short_line(length: int) -> dict[str, Number | None]:
    return {"short_line_length": length}


LANGUAGE_DEFAULTS: dict[str, dict[str, dict[str, Number | None]]] = {
    "gopher": {
        "zh": _CJK,
        "ja": _CJK,
        "wuu": _CJK,
        "yue": _CJK,
        "th": _THAI,
        "lo": _THAI,
        "km": _THAI,
        "my": _THAI,
        "ko": _SHORT_WORDS,
        "vi": _SHORT_WORDS,
    },
    "c4": {},
    "fineweb": {
        "zh": _short_line(10),
        "ja": _short_line(10),
        "ko": _short_line(15),
        "th": _short_line(15),
    },
}

PRESETS = {"gopher": GOPHER, "c4": C4, "fineweb": FINEWEB}


@dataclass
class Preset:
    """One preset with its thresholds, overridable globally and per language."""

    name: str
    checks: list[Check]
    params: dict[str, Number] = field(default_factory=dict)
    overrides: dict[str, Number | None] = field(default_factory=dict)
    by_lang: dict[str, dict[str, Number | None]] = field(default_factory=dict)
    _plans: dict[str | None, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def threshold(self, key: str, lang: str | None) -> Number | None:
        """The threshold (or parameter) ``key`` in force for ``lang``; None when it is off."""
        if lang and key in self.by_lang.get(lang, {}):
            return self.by_lang[lang][key]
        if key in self.overrides:
            return self.overrides[key]
        if lang and key in LANGUAGE_DEFAULTS[self.name].get(lang, {}):
            return LANGUAGE_DEFAULTS[self.name][lang][key]
        if key in self.params:
            return self.params[key]
        for check in self.checks:
            if check.key == key:
                return check.default
        raise KeyError(key)

    def decide(self, signals: Mapping[str, Any], lang: str | None) -> str | None:
        """The reason to drop a document with these signals, or None to keep it.

        A signal that is missing or null (e.g. stop words for a language without a list) is not
        checked: a document is never rejected for what we cannot measure.
        """
        for check, compare, limit in self._plan(lang):
            value = signals.get(check.signal)
            if value is not None and compare(value, limit):
                return f"{self.name}:{check.signal} {_fmt(value)} {check.op} {_fmt(limit)}"
        return None

    def _plan(self, lang: str | None) -> list[tuple[Check, Callable[[Any, Any], bool], Number]]:
        """The checks in force for ``lang`` with their thresholds, worked out once per language
        (the thresholds are fixed once :func:`load_presets` has returned the preset)."""
        plan = self._plans.get(lang)
        if plan is None:
            plan = []
            for check in self.checks:
                limit = self.threshold(check.key, lang)
                if limit is not None:
                    plan.append((check, _OPS[check.op], limit))
            self._plans[lang] = plan
        return plan


def _fmt(value: Number) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def load_presets(config: str | Path | None = None) -> dict[str, Preset]:
    """The presets, with the thresholds of the TOML file ``config`` (if any) applied.

    Unknown presets, keys and value types are errors that say what is allowed.
    """
    presets = {
        name: Preset(name, checks, dict(PARAMS.get(name, {}))) for name, checks in PRESETS.items()
    }
    if config is None:
        return presets
    path = Path(config)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"cannot read the quality config {path}: {exc}") from exc
    for name, table in data.items():
        if name not in presets:
            raise ValueError(
                f"{path}: unknown preset [{name}]; the presets are {', '.join(sorted(presets))}."
            )
        preset = presets[name]
        for key, value in _table(path, name, table).items():
            if isinstance(value, dict):
                if not re.fullmatch(r"[a-z]{2,3}", key):
                    raise ValueError(
                        f"{path}: [{name}.{key}] is not a language code; per-language tables "
                        f"are named by ISO 639 code, like [{name}.ja]."
                    )
                preset.by_lang[key] = {
                    k: _value(path, f"{name}.{key}", preset, k, v) for k, v in value.items()
                }
            else:
                preset.overrides[key] = _value(path, name, preset, key, value)
    return presets


def _table(path: Path, name: str, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{path}: {name} must be a table, like [{name}].")
    return table


def _value(path: Path, where: str, preset: Preset, key: str, value: Any) -> Number | None:
    known = [c.key for c in preset.checks] + list(preset.params)
    if key not in known:
        raise ValueError(
            f"{path}: unknown key {key!r} in [{where}]; the keys of {preset.name} are "
            f"{', '.join(known)}."
        )
    if value is False:
        if key in preset.params:
            raise ValueError(f"{path}: [{where}] {key} is a parameter and cannot be turned off.")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(
            f"{path}: [{where}] {key} must be a number (or false to turn the check off), "
            f"not {value!r}."
        )
    return value


_LOREM = re.compile(r"lorem ipsum", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。！？｡؟۔।॥።၊။។]+(?=[\s\"'”’»›」』)\]）]|$)")


def extra_signals(text: str, short_line_length: int) -> dict[str, Number]:
    """The signals only presets use: C4's sentence count (sentence ends inside lines that end in
    terminal punctuation), ``lorem ipsum`` and ``{`` counts, FineWeb's short-line share.

    >>> extra_signals("One. Two!\\nNo end\\n{x}\\n", 30)["sentences"]
    2
    """
    from cleaner.quality.signals import CLOSERS, TERMINAL

    lines = [line for line in map(str.strip, text.split("\n")) if line]
    sentences = sum(
        len(_SENTENCE_END.findall(line))
        for line in lines
        if line.rstrip(CLOSERS)[-1:] in TERMINAL and not line.endswith(("...", "…"))
    )
    short = sum(1 for line in lines if len(line) <= short_line_length)
    return {
        "sentences": sentences,
        "lorem_ipsum": len(_LOREM.findall(text)),
        "curly_brackets": text.count("{"),
        "short_lines": short / len(lines) if lines else 0.0,
    }
