"""Rebuild the prose samples in ``prose/`` from the extraction of ``tools/extract_prose.py``.

Run by hand, never at import or test time (see ``README.md`` beside this file for the steps)::

    python cleaner/testing/data/build_samples.py EXTRACTED_DIR HINDI_PUD_TXT SEEDS_LOOKALIKES

``EXTRACTED_DIR`` holds the ``<lang>.json`` files that ``tools/extract_prose.py`` writes (the
same pool as ``tests/corpus/sources``); the first ``PARAGRAPHS`` paragraphs, ``SENTENCES``
sentences and ``HEADINGS`` headings of each (already shuffled there with fixed seeds) are kept.
Hindi gets the ``# text =`` sentences of UD Hindi-PUD in addition, one per line of
``HINDI_PUD_TXT``. Nothing is edited beyond what the extraction did.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PARAGRAPHS = 40
SENTENCES = 20
HEADINGS = 20
DEVANAGARI = re.compile("[\u0900-\u097f]")
HERE = Path(__file__).resolve().parent
PUD = "UD Hindi-PUD 2.14 (hi_pud-ud-test.conllu, `# text =` lines), CC-BY-SA-3.0"


def sample(pool: dict[str, object]) -> dict[str, object]:
    """The first items of each list of one language's extracted pool."""
    return {
        "sources": pool["sources"],
        "paragraphs": list(pool["paragraphs"])[:PARAGRAPHS],  # type: ignore[call-overload]
        "sentences": list(pool["sentences"])[:SENTENCES],  # type: ignore[call-overload]
        "headings": list(pool["headings"])[:HEADINGS],  # type: ignore[call-overload]
    }


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    extracted, pud, lookalikes = Path(argv[1]), Path(argv[2]), Path(argv[3])
    out = HERE / "prose"
    out.mkdir(exist_ok=True)
    for path in sorted(extracted.glob("*.json")):
        data = sample(json.loads(path.read_text(encoding="utf-8")))
        if path.stem == "hi":
            lines = [line.strip() for line in pud.read_text(encoding="utf-8").splitlines()]
            data["sources"] = {**data["sources"], "pud": PUD}  # type: ignore[dict-item]
            data["paragraphs"] = [[s, "pud"] for s in lines if s] + data["paragraphs"]  # type: ignore[operator]
            # GNOME Help's Hindi titles are partly untranslated English: keep the Devanagari ones
            data["headings"] = [h for h in data["headings"] if DEVANAGARI.search(h[0])]  # type: ignore[attr-defined]
        if not data["paragraphs"]:
            print(f"{path.stem}: no paragraphs, skipped", file=sys.stderr)
            continue
        text = json.dumps({"lang": path.stem, **data}, ensure_ascii=False, indent=0)
        (out / path.name).write_text(text + "\n", encoding="utf-8")
    keep = json.loads(lookalikes.read_text(encoding="utf-8"))["keep"]
    (HERE / "lookalikes.json").write_text(
        json.dumps({"keep": keep}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
