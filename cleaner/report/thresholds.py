"""The thresholds of a quality preset, as ``{signal: [(label, value), ...]}`` to draw on charts.

The presets live in :mod:`cleaner.quality.presets` (``load_presets``: a preset is a list of checks,
each with a signal, a comparison and a threshold). This module only reads them: the thresholds
drawn are those in force for documents of any language (the preset's defaults, with the run's
``--quality-config`` applied when that file can still be read). Per-language thresholds (CJK word
counts, say) are listed in ``docs/explanation/quality.md``, not drawn: one line per chart keeps
the histograms readable.

When the quality package or the config file cannot be loaded, the charts get no lines rather than
the report failing: thresholds are an aid to reading the histograms, not the filter.

>>> limits = preset_thresholds("gopher")
>>> limits["symbol_ratio"]
[('max_symbol_ratio: drop > 0.1', 0.1)]
>>> [label for label, _ in limits["words"]]
['min_words: drop < 50', 'max_words: drop > 100000']
>>> preset_thresholds("off")
{}
"""

from __future__ import annotations

from typing import Any


def preset_thresholds(preset: str, config: str | None = None) -> dict[str, list[tuple[str, float]]]:
    """The bounds of ``preset`` per signal; empty for ``off`` or when presets are not available."""
    if not preset or preset == "off":
        return {}
    try:
        from cleaner.quality.presets import load_presets

        try:
            presets: dict[str, Any] = load_presets(config)
        except (OSError, ValueError):  # the run's config file moved or changed since
            presets = load_presets(None)
        chosen = presets[preset]
        out: dict[str, list[tuple[str, float]]] = {}
        for check in chosen.checks:
            value = chosen.threshold(check.key, None)
            if value is None or isinstance(value, bool):
                continue
            label = f"{check.key}: drop {check.op} {value:g}"
            out.setdefault(check.signal, []).append((label, float(value)))
        return out
    except Exception:  # the quality package may be absent or changed: draw no thresholds
        return {}
