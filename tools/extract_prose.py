"""Extract real prose paragraphs and headings per language for the labelled corpus.

Two Debian packages with translated prose are read:

- ``debian-handbook`` (The Debian Administrator's Handbook, GPL-2.0+ or CC-BY-SA-3.0), HTML in 26
  languages: each ``div.para`` becomes one paragraph, section titles become headings;
- ``gnome-user-docs`` (GNOME Help, CC-BY-SA-3.0), Mallard pages in 40 languages: consecutive
  ``<p>`` of a page are joined into paragraph lines, page titles become headings. It fills the
  languages whose handbook translation is partial (Korean above all).

Paragraphs still in English inside a translation, and paragraphs that are mostly commands, are
dropped with py3langid and a few shape checks. Nothing is invented or edited beyond
whitespace.

Usage (the packages are unpacked into a temporary directory, never committed)::

    apt-get download debian-handbook gnome-user-docs
    dpkg-deb -x debian-handbook_*.deb /tmp/x && dpkg-deb -x gnome-user-docs_*.deb /tmp/x
    python tools/extract_prose.py /tmp/x tests/corpus/sources

Writes ``<lang>.json`` per language: ``{"sources": {id: description}, "paragraphs",
"sentences", "headings"}``, each item a ``[text, source id]`` pair; a deterministic sample
(sorted files, fixed seeds) kept small. Sentences come only from paragraphs NOT chosen as
content, so no corpus line repeats another.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import py3langid
from lxml import etree, html

HANDBOOK = "usr/share/doc/debian-handbook/html"
HANDBOOK_VERSION = "11.20220922"
GNOME = "usr/share/help"
GNOME_VERSION = "43.0-2"
MALLARD = "http://projectmallard.org/1.0/"
LICENCES = {"dh": "GPL-2.0+ or CC-BY-SA-3.0", "gud": "CC-BY-SA-3.0"}
# handbook directory per ISO 639-1 code
_HB = {
    "en-US": "en",
    "de-DE": "de",
    "fr-FR": "fr",
    "es-ES": "es",
    "it-IT": "it",
    "pt-BR": "pt",
    "nl-NL": "nl",
    "pl-PL": "pl",
    "ru-RU": "ru",
    "tr-TR": "tr",
    "sv-SE": "sv",
    "ja-JP": "ja",
    "zh-CN": "zh",
    "ko-KR": "ko",
    "id-ID": "id",
}
CJK = {"ja", "zh", "ko"}
HANDBOOK_DIRS = {lang: d for d, lang in _HB.items()}
GNOME_DIRS = {lang: lang for lang in HANDBOOK_DIRS} | {
    "en": "C",
    "pt": "pt_BR",
    "zh": "zh_CN",
    "nb": "nb",
}
LANGS = list(HANDBOOK_DIRS)
MAX_PARAGRAPHS = 340
MIN_PARAGRAPHS = 310
MAX_HEADINGS = 120
MAX_SENTENCES = 150


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def is_prose(text: str, lang: str, minimum: int = 0) -> bool:
    """True for a paragraph of running text in ``lang`` (not a command, not untranslated)."""
    minimum = minimum or (40 if lang in CJK else 80)
    if not (minimum <= len(text) <= 600):
        return False
    if re.search(r"[$#]\s|/etc/|/usr/|\.conf\b|--|[{}<>|=]", text):
        return False
    code, _ = py3langid.classify(text)
    return bool(code == lang or (lang == "nb" and code == "no"))


def split_sentences(text: str, lang: str) -> list[str]:
    if lang in {"ja", "zh"}:
        parts = re.split(r"(?<=[。！？])", text)
    else:
        parts = re.split(r"(?<=[.!?])\s+(?=[\"'«„(]?[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω가-힣0-9])", text)
    return [p.strip() for p in parts if len(p.strip()) >= 20]


def handbook(root: Path, directory: str, lang: str) -> tuple[list[str], list[str]]:
    """In-language paragraphs and section titles of one handbook translation."""
    paragraphs: list[str] = []
    headings: list[str] = []
    for page in sorted((root / HANDBOOK / directory).glob("*.html")):
        tree = html.parse(str(page))
        for node in tree.xpath('//div[@class="para"]'):
            if node.xpath("ancestor::table or ancestor::div[contains(@class,'note')]"):
                continue
            text = clean(node.text_content())
            if is_prose(text, lang):
                paragraphs.append(text)
        for node in tree.xpath("//h2[@class='title'] | //h3[@class='title']"):
            text = re.sub(r"^[\d.\s]+", "", clean(node.text_content()))
            if is_heading(text, lang):
                headings.append(text)
    return paragraphs, headings


def gnome_help(root: Path, directory: str, lang: str) -> tuple[list[str], list[str]]:
    """In-language paragraph lines (consecutive ``<p>`` joined) and titles of GNOME Help."""
    paragraphs: list[str] = []
    headings: list[str] = []
    target = 50 if lang in CJK else 140
    for page in sorted((root / GNOME / directory / "gnome-help").glob("*.page")):
        tree = etree.parse(str(page))
        buffer: list[str] = []
        for node in tree.iter(f"{{{MALLARD}}}p", f"{{{MALLARD}}}title"):
            if node.xpath("ancestor::m:info", namespaces={"m": MALLARD}):
                continue
            text = clean("".join(node.itertext()))
            if node.tag.endswith("title"):
                if is_heading(text, lang):
                    headings.append(text)
                continue
            if len(text) < 20 or not is_prose(text, lang, minimum=20):
                buffer = []
                continue
            buffer.append(text)
            joined = " ".join(buffer) if lang not in {"ja", "zh"} else "".join(buffer)
            if len(joined) >= target:
                if is_prose(joined, lang):
                    paragraphs.append(joined)
                buffer = []
    return paragraphs, headings


def is_heading(text: str, lang: str) -> bool:
    if not (3 <= len(text) <= 80) or re.search(r"[/<>{}$=_]", text):
        return False
    if lang in CJK or len(text) < 25:
        return lang == "en" or not re.fullmatch(r"[A-Za-z0-9 ,.:;'()&-]+", text)
    return bool(py3langid.classify(text)[0] == lang)


def extract(root: Path, lang: str) -> dict[str, object]:
    """The pool of one language: content paragraphs, look-alike sentences, headings."""
    sources: dict[str, str] = {}
    paragraphs: list[list[str]] = []
    headings: list[list[str]] = []
    rng = random.Random(f"prose-{lang}")
    for sid, directory, reader, description in (
        ("dh", HANDBOOK_DIRS.get(lang), handbook, f"debian-handbook {HANDBOOK_VERSION}"),
        ("gud", GNOME_DIRS.get(lang), gnome_help, f"gnome-user-docs {GNOME_VERSION}"),
    ):
        if (
            directory is None
            or not (root / (HANDBOOK if sid == "dh" else GNOME) / directory).is_dir()
        ):
            continue
        found, titles = reader(root, directory, lang)
        found = list(dict.fromkeys(found))
        rng.shuffle(found)
        sources[sid] = f"{description} ({directory}), {LICENCES[sid]}"
        paragraphs += [[p, sid] for p in found]
        headings += [[h, sid] for h in dict.fromkeys(titles)]
    # keep >= MIN_PARAGRAPHS as content, leave the rest (up to 40 more) for look-alike sentences
    keep = max(MIN_PARAGRAPHS, min(MAX_PARAGRAPHS, len(paragraphs) - 60))
    chosen = paragraphs[:keep]
    sentences = [[s, sid] for p, sid in paragraphs[keep:] for s in split_sentences(p, lang)]
    sentences = list({s[0]: s for s in sentences}.values())
    rng.shuffle(headings)
    return {
        "sources": sources,
        "paragraphs": chosen,
        "sentences": sentences[:MAX_SENTENCES],
        "headings": headings[:MAX_HEADINGS],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("Usage: extract_prose.py UNPACKED_DEBIAN_HANDBOOK_DIR OUTPUT_DIR", file=sys.stderr)
        return 2
    root, out = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        data = extract(root, lang)
        (out / f"{lang}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
        )
        print(lang, len(data["paragraphs"]), len(data["sentences"]), len(data["headings"]))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
