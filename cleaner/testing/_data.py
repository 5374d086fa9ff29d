"""The real prose shipped in ``data/``: paragraphs, sentences and headings per language.

Loaded once, lazily, and sorted shortest first so that strategies drawing from the lists with
``sampled_from`` shrink towards short, readable counterexamples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def available_languages() -> tuple[str, ...]:
    """The languages with a prose sample: English first, then by ISO 639-1 code.

    >>> available_languages()[:3]
    ('en', 'ar', 'cs')
    """
    codes = sorted(path.stem for path in (DATA / "prose").glob("*.json"))
    return tuple(sorted(codes, key=lambda code: (code != "en", code)))


@cache
def _pool(lang: str) -> dict[str, tuple[str, ...]]:
    raw = json.loads((DATA / "prose" / f"{lang}.json").read_text(encoding="utf-8"))
    return {
        kind: tuple(sorted({text for text, _ in raw[kind]}, key=lambda t: (len(t), t)))
        for kind in ("paragraphs", "sentences", "headings")
    }


def paragraphs(lang: str) -> tuple[str, ...]:
    """The real paragraph lines of ``lang``, shortest first."""
    return _pool(lang)["paragraphs"]


def sentences(lang: str) -> tuple[str, ...]:
    """Single real sentences of ``lang`` (from paragraphs not in :func:`paragraphs`)."""
    return _pool(lang)["sentences"]


def headings(lang: str) -> tuple[str, ...]:
    """Real section and page titles of ``lang``."""
    return _pool(lang)["headings"]


@cache
def lookalikes() -> tuple[str, ...]:
    """The seeds' look-alike content lines (English prose that mentions boilerplate words)."""
    raw = json.loads((DATA / "lookalikes.json").read_text(encoding="utf-8"))
    return tuple(sorted({item["text"] for item in raw["keep"]}, key=lambda t: (len(t), t)))


def resolve_languages(languages: Iterable[str] | None) -> tuple[str, ...]:
    """Check ``languages`` against the samples; ``None`` or ``("*",)`` means all of them.

    >>> resolve_languages(["ja", "en"])
    ('ja', 'en')
    >>> resolve_languages(["xx"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no prose sample for language(s) xx; the samples cover ar, cs, de, el, en, ...
    """
    known = available_languages()
    if languages is None:
        return known
    chosen = tuple(dict.fromkeys(languages))
    if not chosen or chosen == ("*",):
        return known
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise ValueError(
            f"no prose sample for language(s) {', '.join(unknown)}; the samples cover "
            f"{', '.join(sorted(known))}."
        )
    return chosen
