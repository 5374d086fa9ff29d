"""Rebuild the stop-word lists in this folder (a maintainer's script, not used at run time).

Usage, in a scratch virtualenv (neither package is a dependency of boilerclean)::

    npm pack stopwords-iso@1.1.0 && tar xzf stopwords-iso-1.1.0.tgz
    pip install wordfreq==3.1.1
    python build_lists.py package/stopwords-iso.json

Each list is the words of the stopwords-iso list for that language (MIT) that also appear among
wordfreq's 2000 most frequent words of the language, in wordfreq's order (most frequent first),
at most 150 of them. Words holding an apostrophe, a space or a hyphen are left out: the tokenizer
splits there, so they could never match. Thai has no wordfreq list: its file is the stopwords-iso
list with the eight words named in ``THAI_TOP`` moved to the front (see README.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: boilerclean / py3langid code -> wordfreq code, where they differ.
WORDFREQ_CODE = {"no": "nb", "tl": "fil", "hr": "sh"}
THAI_TOP = ["ที่", "และ", "ใน", "ของ", "การ", "เป็น", "ได้", "มี"]
LIMIT = 150


def main(argv: list[str]) -> None:
    import wordfreq  # only needed here

    iso: dict[str, list[str]] = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    out = Path(__file__).parent
    available: Any = wordfreq.available_languages()
    for lang, words in sorted(iso.items()):
        usable = {w.lower() for w in words if not any(c in w for c in "'’ -")}
        if lang == "th":
            rest = sorted(usable - set(THAI_TOP))
            ranked = THAI_TOP + rest[: LIMIT - len(THAI_TOP)]
        else:
            code = WORDFREQ_CODE.get(lang, lang)
            if code not in available:
                continue
            ranked = [w for w in wordfreq.top_n_list(code, 2000) if w in usable][:LIMIT]
        if len(ranked) < 8:
            continue
        (out / f"{lang}.txt").write_text("\n".join(ranked) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
