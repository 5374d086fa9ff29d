"""The output schema: one row per document, the same columns in Parquet and JSONL.

The schema is explicit (never inferred from the first batch), so that an empty run, a run of errors
only and a full run all write the same types, and downstream readers (pandas, polars, DuckDB,
Hugging Face datasets, Spark) see one stable table. ``docs/reference/schema.md`` documents every
column; a test fails when the two disagree.

>>> SCHEMA.names[:4]
['id', 'path', 'url', 'title']
>>> SCHEMA.field("removed").type.value_type.names
['rule', 'start', 'end', 'text', 'dup_of', 'similarity']
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1"

REMOVAL = pa.struct(
    [
        pa.field("rule", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("dup_of", pa.string()),
        pa.field("similarity", pa.float32()),
    ]
)

#: Quality signals, one field each (see ``docs/explanation/quality.md``); null until computed.
QUALITY_FIELDS: list[tuple[str, pa.DataType]] = [
    ("chars", pa.int64()),
    ("words", pa.int64()),
    ("lines", pa.int64()),
    ("mean_word_length", pa.float32()),
    ("symbol_ratio", pa.float32()),
    ("non_alpha_words", pa.float32()),
    ("terminal_punct_lines", pa.float32()),
    ("bullet_lines", pa.float32()),
    ("ellipsis_lines", pa.float32()),
    ("dup_lines", pa.float32()),
    ("dup_line_chars", pa.float32()),
    ("dup_paragraphs", pa.float32()),
    ("dup_paragraph_chars", pa.float32()),
    ("top_2gram", pa.float32()),
    ("top_3gram", pa.float32()),
    ("top_4gram", pa.float32()),
    ("dup_5gram", pa.float32()),
    ("dup_6gram", pa.float32()),
    ("dup_7gram", pa.float32()),
    ("dup_8gram", pa.float32()),
    ("dup_9gram", pa.float32()),
    ("dup_10gram", pa.float32()),
    ("stop_words", pa.int64()),
    ("stop_word_share", pa.float32()),
    ("lang_share", pa.float32()),
    ("removed_share", pa.float32()),
    ("removed_rules_share", pa.float32()),
    ("removed_dedup_share", pa.float32()),
]
QUALITY = pa.struct([pa.field(name, type_) for name, type_ in QUALITY_FIELDS])

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("path", pa.string()),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("site", pa.string()),
        pa.field("date", pa.string()),
        pa.field("author", pa.string()),
        pa.field("lang", pa.string()),
        pa.field("lang_score", pa.float32()),
        pa.field("text", pa.string()),
        pa.field("original_chars", pa.int64(), nullable=False),
        pa.field("removed", pa.list_(REMOVAL), nullable=False),
        pa.field("fixes", pa.list_(pa.string()), nullable=False),
        pa.field("flags", pa.list_(pa.string()), nullable=False),
        pa.field("quality", QUALITY),
        pa.field("dropped", pa.bool_(), nullable=False),
        pa.field("drop_reason", pa.string()),
        pa.field("meta", pa.map_(pa.string(), pa.string()), nullable=False),
        pa.field("error", pa.string()),
    ],
    metadata={"boilerclean.schema_version": SCHEMA_VERSION},
)

COLUMNS: list[str] = SCHEMA.names


def to_table(rows: list[dict[str, object]]) -> pa.Table:
    """Rows (as from :meth:`cleaner.document.Document.row`) to a table of :data:`SCHEMA`."""
    if not rows:
        return SCHEMA.empty_table()
    fixed = []
    for row in rows:
        meta = row.get("meta") or {}
        fixed.append({**row, "meta": list(meta.items()) if isinstance(meta, dict) else meta})
    return pa.Table.from_pylist(fixed, schema=SCHEMA)
