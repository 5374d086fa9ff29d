"""The output schema and its documentation agree, column by column."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa

from cleaner.schema import QUALITY, REMOVAL, SCHEMA

DOC = Path(__file__).parents[1] / "docs" / "reference" / "schema.md"


def type_name(t: pa.DataType) -> str:
    if t == REMOVAL:
        return "removal"
    if t == QUALITY:
        return "struct<quality>"
    if pa.types.is_list(t):
        return f"list<{type_name(t.value_type)}>"
    if pa.types.is_map(t):
        return f"map<{type_name(t.key_type)}, {type_name(t.item_type)}>"
    if t == pa.float32():
        return "float32"
    return str(t)


def documented(section: str) -> list[tuple[str, str, bool]]:
    text = DOC.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] not in ("column", "field") and not set(cells[0]) <= {"-"}:
            rows.append((cells[0], cells[1], cells[2] == "yes"))
    return rows


def actual(fields: list[pa.Field]) -> list[tuple[str, str, bool]]:
    return [(f.name, type_name(f.type), f.nullable) for f in fields]


def test_columns_match_docs() -> None:
    assert documented("Columns") == actual(list(SCHEMA))


def test_removal_fields_match_docs() -> None:
    assert documented("removed") == actual(list(REMOVAL))


def test_quality_fields_match_docs() -> None:
    assert documented("quality") == actual(list(QUALITY))


def test_design_columns_in_order() -> None:
    design = (
        "id, path, url, title, site, date, author, lang, lang_score, text, original_chars, "
        "removed, fixes, flags, quality, dropped, drop_reason, meta, error"
    )
    assert SCHEMA.names == re.split(r",\s*", design)
