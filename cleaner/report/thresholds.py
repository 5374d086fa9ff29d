"""The thresholds of a quality preset, as ``{signal: [(label, value), ...]}`` to draw on charts.

The presets live in :mod:`cleaner.quality.presets`; this module only reads them, and reads them
loosely: a preset may give a signal a bound as a number under ``min_<signal>`` / ``max_<signal>``
(or ``<signal>_min`` / ``<signal>_max``), a ``(low, high)`` pair, or a ``{"min": .., "max": ..}``
mapping, as a mapping or a dataclass. Anything it cannot read is left out of the charts rather
than failing the report: the thresholds are an aid to reading the histograms, not the filter.

>>> limits = normalise({"max_symbol_ratio": 0.1, "words": (50, 100000), "lang_share": {"min": 0.6}})
>>> limits["symbol_ratio"], limits["lang_share"]
([('max 0.1', 0.1)], [('min 0.6', 0.6)])
>>> limits["words"]
[('min 50', 50.0), ('max 100000', 100000.0)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from cleaner.schema import QUALITY_FIELDS

SIGNALS = {name for name, _ in QUALITY_FIELDS}


def preset_thresholds(preset: str) -> dict[str, list[tuple[str, float]]]:
    """The bounds of ``preset`` per signal; empty for ``off`` or when presets are not available."""
    if not preset or preset == "off":
        return {}
    try:
        from cleaner.quality import presets as module
    except Exception:  # the quality package may be absent or broken: draw no thresholds
        return {}
    for name in ("PRESETS", "presets", "THRESHOLDS"):
        table = getattr(module, name, None)
        if isinstance(table, Mapping) and preset in table:
            return normalise(table[preset])
    getter = getattr(module, "get_preset", None) or getattr(module, "load_preset", None)
    if callable(getter):
        try:
            return normalise(getter(preset))
        except Exception:
            return {}
    return {}


def normalise(spec: Any) -> dict[str, list[tuple[str, float]]]:
    """Read bounds from a preset in any of the shapes the module docstring lists."""
    if dataclasses.is_dataclass(spec) and not isinstance(spec, type):
        spec = dataclasses.asdict(spec)
    if not isinstance(spec, Mapping):
        spec = getattr(spec, "thresholds", None)
        if not isinstance(spec, Mapping):
            return {}
    out: dict[str, list[tuple[str, float]]] = {}
    for key, value in spec.items():
        if isinstance(value, Mapping) and key not in SIGNALS:
            for sub_signal, bounds in normalise(value).items():
                out.setdefault(sub_signal, []).extend(bounds)
            continue
        signal, kind = _split(str(key))
        if signal is None:
            continue
        for bound_kind, number in _bounds(kind, value):
            out.setdefault(signal, []).append((f"{bound_kind} {_num(number)}", number))
    return dict(sorted(out.items()))


def _split(key: str) -> tuple[str | None, str | None]:
    if key in SIGNALS:
        return key, None
    for kind in ("min", "max"):
        for candidate in (key.removeprefix(f"{kind}_"), key.removesuffix(f"_{kind}")):
            if candidate != key and candidate in SIGNALS:
                return candidate, kind
    return None, None


def _bounds(kind: str | None, value: Any) -> list[tuple[str, float]]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [(kind or "limit", float(value))]
    if isinstance(value, Mapping):
        return [(k, float(value[k])) for k in ("min", "max") if _is_number(value.get(k))]
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return [(k, float(v)) for k, v in zip(("min", "max"), value, strict=True) if _is_number(v)]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _num(value: float) -> str:
    return f"{value:g}"
