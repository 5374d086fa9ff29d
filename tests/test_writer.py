"""Writers: real Parquet and JSONL files read back, atomic renames, part directories."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cleaner.document import Document, Removal, rebuild
from cleaner.schema import QUALITY_FIELDS, SCHEMA, to_table
from cleaner.writer import (
    _NOT_TEXT,
    Columns,
    documents_table,
    open_sink,
    read_summary,
    read_table,
)


def docs(n: int) -> list[Document]:
    out = []
    for i in range(n):
        head = f"Paragraph {i}.\n"
        doc = Document(id=f"root/{i}.txt", source=head + "Comments (0)\n", meta={"k": "v"})
        doc.remove(Removal("comments", len(head), len(head) + 13, "Comments (0)\n"))
        doc.fixes.append("nfc")
        out.append(doc)
    out.append(Document(id="root/bad.bin", error="binary content: NUL bytes"))
    return out


def test_parquet_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    sink = open_sink(out, row_group_size=2)
    for doc in docs(5):
        sink.write(doc)
    assert not out.exists(), "the output appears only when the run completes"
    sink.close({"documents": 6})
    table = pq.read_table(out)
    assert table.schema.equals(SCHEMA, check_metadata=False)
    assert table.num_rows == 6
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"
    row = table.slice(0, 1).to_pylist()[0]
    assert row["text"] == "Paragraph 0.\n"
    assert rebuild(row["text"], row["removed"]) == "Paragraph 0.\nComments (0)\n"
    assert row["meta"] == [("k", "v")]
    assert table.column("error").to_pylist()[-1] == "binary content: NUL bytes"
    assert table.column("text").to_pylist()[-1] is None
    assert read_summary(out) == {"documents": 6}
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


def test_abort_leaves_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    first = open_sink(out)
    first.write(docs(1)[0])
    first.close({"run": 1})
    second = open_sink(out)
    for doc in docs(3):
        second.write(doc)
    second.abort()
    assert read_summary(out) == {"run": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


def test_stale_temporary_of_a_dead_run_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".out.parquet.999999999.tmp"
    stale.write_bytes(b"half")
    sink = open_sink(tmp_path / "out.parquet")
    sink.close({})
    assert not stale.exists()


def test_jsonl_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    sink = open_sink(out, format="jsonl")
    for doc in docs(2):
        sink.write(doc)
    sink.close({"documents": 3})
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        "root/0.txt",
        "root/1.txt",
        "root/bad.bin",
    ]
    assert read_summary(out) == {"documents": 3}
    assert read_table(out).num_rows == 3


def test_shards_in_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sink = open_sink(out, shard_size=2)
    for doc in docs(4):
        sink.write(doc)
    written = sink.close({"documents": 5})
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "_summary.json",
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
    assert [os.path.basename(w) for w in written] == names[1:]
    assert read_summary(out)["parts"] == names[1:]
    assert read_table(out).num_rows == 5


def test_directory_output_by_trailing_slash(tmp_path: Path) -> None:
    sink = open_sink(f"{tmp_path}/out/")
    sink.write(docs(1)[0])
    sink.close({})
    assert (tmp_path / "out" / "part-00000.parquet").exists()


def test_unknown_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="parquet or jsonl"):
        open_sink(tmp_path / "x.csv", format="csv")


def varied_docs() -> list[Document]:
    """Documents that exercise every column's corner: nulls, non-ASCII, NaN, unsorted removals."""
    out = docs(3)
    full = {name: 7 if str(t) == "int64" else 0.1 * i for i, (name, t) in enumerate(QUALITY_FIELDS)}
    text = "Zürich 東京 — 3 €\nShare this\nRelated: more\n"
    doc = Document(id="ü/1", source=text, path="p/ü", url="https://e.x/ü", title="T", lang="de")
    share, related = text.index("Share"), text.index("Related")
    doc.remove(Removal("related", related, len(text), "Related: more\n"))
    doc.remove(Removal("paragraph_dedup", share, related, "Share this\n", "a#1", 0.9))
    doc.lang_score = 0.123456789
    doc.quality = {**full, "symbol_ratio": float("nan"), "words": None}
    doc.flags.append("collateral")
    doc.meta = {"a": "1", "ß": "ç"}
    out.append(doc)
    partial = Document(id="partial", source="x", site="s", date="2020", author="au")
    partial.quality = {"chars": 1, "words": 1}  # keys missing: null, as in to_table
    partial.dropped, partial.drop_reason = True, "too short"
    out.append(partial)
    out.append(Document(id="empty", source=""))
    return out


def test_columns_give_the_table_of_the_rows() -> None:
    rows = varied_docs()
    got = documents_table(rows)
    want = to_table([d.row() for d in rows])
    got.validate(full=True)
    assert got.schema == want.schema
    for name in SCHEMA.names:  # to_pylist: NaN compares by identity in lists, repr is exact
        assert repr(got.column(name).to_pylist()) == repr(want.column(name).to_pylist()), name
    assert got.column("quality").to_pylist()[-1] is None
    assert documents_table([]).num_rows == 0


def test_a_row_group_ends_before_a_string_column_would_overflow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Columns, "max_bytes", 4 * 30)  # 30 characters of source per row group
    columns = Columns()
    assert columns.fits(Document(id="big", source="x" * 99)), "an empty table takes any row"
    out = tmp_path / "out.parquet"
    sink = open_sink(out)
    rows = [Document(id=str(i), source=f"Row number {i}.\n") for i in range(5)]  # 14-15 chars
    for doc in rows:
        sink.write(doc)
    sink.close({})
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    assert read_table(out).column("text").to_pylist() == [d.source for d in rows]


def test_only_the_text_column_goes_without_dictionary_and_statistics(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    sink = open_sink(out)
    for doc in varied_docs():
        sink.write(doc)
    sink.close({})
    group = pq.ParquetFile(out).metadata.row_group(0)
    columns = {group.column(i).path_in_schema: group.column(i) for i in range(group.num_columns)}
    assert sorted(columns) == sorted([*_NOT_TEXT, "text"]), "the leaf paths as pyarrow names them"
    assert "RLE_DICTIONARY" not in columns["text"].encodings
    assert columns["text"].statistics is None
    assert "RLE_DICTIONARY" in columns["removed.list.element.rule"].encodings
    assert all(columns[path].statistics is not None for path in _NOT_TEXT)


def test_a_nan_signal_stays_a_value_and_a_missing_one_is_null() -> None:
    names = [name for name, _ in QUALITY_FIELDS]
    rows = []
    for i, value in enumerate([float("nan"), 0.5, float("inf")]):
        doc = Document(id=str(i), source="x")
        doc.quality = dict.fromkeys(names, 1) | {"symbol_ratio": value}
        rows.append(doc)
    got = documents_table(rows).column("quality").to_pylist()
    assert repr([q["symbol_ratio"] for q in got]) == "[nan, 0.5, inf]"
    rows[1].quality = None
    got = documents_table(rows).column("quality").to_pylist()
    assert got[1] is None and repr(got[0]["symbol_ratio"]) == "nan"
    assert repr(got) == repr(to_table([d.row() for d in rows]).column("quality").to_pylist())
