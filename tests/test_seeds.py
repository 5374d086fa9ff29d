"""Acceptance on the seed corpus: labels, look-alikes, golden files, and the rebuild property.

The seeds' labels are checked on the real output: ``clean seeds -o out.parquet`` with default
options, run as a user would, and the Parquet read back. ``labels.json`` and ``lookalikes.json``
are copies of the shared acceptance data kept in ``tests/golden/`` (a test checks the copies
against the shared originals when those are present). The golden files
``tests/golden/<seed>.txt`` (cleaned text) and ``<seed>.json`` (removals and metadata) change
only with ``pytest --update-golden``; review the diff before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from cleaner.document import rebuild
from cleaner.pipeline import clean_documents

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared" / "seeds"
LABELS: dict[str, dict[str, Any]] = json.loads((GOLDEN / "labels.json").read_text("utf-8"))
LOOKALIKES: dict[str, Any] = json.loads((GOLDEN / "lookalikes.json").read_text("utf-8"))
SEEDS = sorted(LABELS)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The output rows of ``clean seeds -o out.parquet``, by seed file name."""
    out = tmp_path_factory.mktemp("seeds") / "out.parquet"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "seeds", "-o", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    return {Path(row["id"]).name: row for row in table.to_pylist()}


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


def test_every_seed_has_a_row(rows: dict[str, dict[str, Any]]) -> None:
    assert set(SEEDS) <= set(rows), "every labelled seed is in the sample corpus"
    assert all(row["error"] is None and not row["dropped"] for row in rows.values())


@pytest.mark.parametrize("seed", SEEDS)
def test_labels_hold_on_the_cli_output(rows: dict[str, dict[str, Any]], seed: str) -> None:
    label, row = LABELS[seed], rows[seed]
    lines = lines_of(row["text"])
    assert [line for line in label.get("remove", []) if line in lines] == []
    assert [line for line in label.get("keep", []) if line not in lines] == []
    for line in label.get("keep_exactly_once", []):
        assert lines.count(line) == 1, line
    for item in label.get("strip_label", []):
        assert item["line"] not in lines
        assert item["line"][len(item["label"]) :].strip() in lines
    for key, value in label.get("metadata", {}).items():
        assert row[key] == value, key


@pytest.mark.parametrize("seed", SEEDS)
def test_rebuild_gives_the_repaired_text_back(rows: dict[str, dict[str, Any]], seed: str) -> None:
    raw = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
    (repaired,) = clean_documents([raw], rules=False, dedup="off", workers=1)
    assert rebuild(rows[seed]["text"], rows[seed]["removed"]) == repaired.text


def plant(source: str, keep: set[str], text: str, where: str) -> str:
    """``source`` with the line ``text`` added at the top, in the middle or after the end.

    ``middle`` is after the middle content line, ``end`` after the last content line (before
    any trailing boilerplate), with the document's own paragraph separator.
    """
    separator = "\n\n" if "\n\n" in source else "\n"
    if where == "top":
        return text + separator + source
    lines = source.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip() in keep]
    anchor = content[len(content) // 2] if where == "middle" else content[-1]
    pos = sum(len(line) + 1 for line in lines[:anchor]) + len(lines[anchor])
    return source[:pos] + separator + text + source[pos:]


def test_lookalikes_hold_when_planted_into_every_seed() -> None:
    cases = []
    for seed in SEEDS:
        source = (ROOT / "seeds" / seed).read_text(encoding="utf-8")
        keep = set(LABELS[seed]["keep"])
        for expect in ("remove", "keep"):
            for item in LOOKALIKES[expect]:
                planted = plant(source, keep, item["text"], item["where"])
                cases.append((seed, expect, item, planted))
    # dedup off: the planted copies of one seed are near-duplicates of each other by design
    docs = clean_documents([c[3] for c in cases], dedup="off", workers=1)
    failures = []
    for (seed, expect, item, _), doc in zip(cases, docs, strict=True):
        lines = lines_of(doc.text)
        if (item["text"] in lines) != (expect == "keep"):
            failures.append(f"{seed}: {expect} {item['text']!r} ({item['where']})")
        label = LABELS[seed]
        lost = [line for line in label["keep"] if line not in lines]
        left = [line for line in label["remove"] if line in lines]
        if lost or left:
            failures.append(f"{seed} with {item['text']!r}: lost {lost}, left {left}")
    assert failures == []


def golden_record(row: dict[str, Any]) -> dict[str, Any]:
    removed = [{k: r[k] for k in ("rule", "start", "end", "text")} for r in row["removed"]]
    meta = {k: row[k] for k in ("title", "url", "site")}
    return {**meta, "flags": row["flags"], "removed": removed}


@pytest.mark.parametrize("seed", SEEDS)
def test_golden_files(rows: dict[str, dict[str, Any]], seed: str, update_golden: bool) -> None:
    stem = GOLDEN / Path(seed).stem
    text_path, json_path = stem.with_suffix(".txt"), stem.with_suffix(".json")
    record = json.dumps(golden_record(rows[seed]), ensure_ascii=False, indent=1) + "\n"
    if update_golden:
        text_path.write_bytes(rows[seed]["text"].encode("utf-8"))
        json_path.write_text(record, encoding="utf-8")
    assert text_path.exists(), f"no golden file {text_path}; run `pytest --update-golden`"
    assert rows[seed]["text"] == text_path.read_bytes().decode("utf-8"), (
        f"{seed}: cleaned text differs from {text_path}; if the change is right, run "
        "`python -m pytest tests/test_seeds.py --update-golden` and review the diff"
    )
    assert record == json_path.read_text(encoding="utf-8"), (
        f"{seed}: removals or metadata differ from {json_path}; if right, --update-golden"
    )


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared acceptance data is not beside the repo")
def test_the_acceptance_data_copies_match_the_shared_originals() -> None:
    for name in ("labels.json", "lookalikes.json"):
        assert (GOLDEN / name).read_bytes() == (SHARED / name).read_bytes(), name
