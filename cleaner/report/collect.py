"""One streaming pass over a finished output that gathers everything the report shows.

The output is read in record batches, a few columns at a time, so a run of millions of documents
never sits in memory: what is kept is counts per rule, family, language and signal, fixed-size
histograms, and bounded samples. Samples are chosen by a hash of the document id (the documents
with the smallest hashes win), so they are spread over the whole run, the same on every re-run,
and independent of the order of part files.

What it deliberately leaves alone: it does not re-run any stage (the output is the truth), and it
keeps no per-paragraph state except the ``dup_of`` counts of the dedup removals, which the
most-copied-paragraphs table needs.

>>> float(bins_for("words")[-1]), float(bins_for("symbol_ratio")[-1])
(6.0, 1.0)
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cleaner.document import rebuild
from cleaner.schema import QUALITY_FIELDS, SCHEMA, to_table

#: Signals drawn as histograms (those the presets of ``cleaner.quality`` threshold come on top).
MAIN_SIGNALS = [
    "words",
    "mean_word_length",
    "symbol_ratio",
    "non_alpha_words",
    "terminal_punct_lines",
    "bullet_lines",
    "ellipsis_lines",
    "dup_line_chars",
    "dup_paragraph_chars",
    "top_2gram",
    "dup_5gram",
    "stop_word_share",
    "lang_share",
    "removed_share",
]
#: Count signals get logarithmic bins: 10**0 .. 10**6.
COUNT_SIGNALS = {name for name, type_ in QUALITY_FIELDS if pa.types.is_integer(type_)}
#: Removals of these rules are the dedup stage's, with ``dup_of`` set.
DEDUP_FAMILY = "dedup"
#: Documents longer than this (repaired characters) are not embedded in the document view.
MAX_SAMPLE_CHARS = 100_000
#: How many characters of context a rule sample shows on each side of the removal.
CONTEXT_CHARS = 160


def bins_for(signal: str) -> np.ndarray:
    """Fixed histogram bin edges for ``signal``, so that batches can be summed as they come.

    Counts use log10 edges (a value v is binned as log10(v + 1)); ``mean_word_length`` 0 to 15;
    every other signal is a share between 0 and 1.
    """
    if signal in COUNT_SIGNALS:
        return np.linspace(0.0, 6.0, 37)
    if signal == "mean_word_length":
        return np.linspace(0.0, 15.0, 31)
    return np.linspace(0.0, 1.0, 41)


def doc_hash(key: str) -> int:
    """A stable 64-bit hash of ``key``: the sampling order (smallest first).

    >>> doc_hash("a") == doc_hash("a") != doc_hash("b")
    True
    """
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


@dataclass
class RuleStats:
    """What one rule (or family) did over the run."""

    removals: int = 0
    documents: int = 0
    chars: int = 0
    languages: Counter[str] = field(default_factory=Counter)


@dataclass
class ReportData:
    """Everything the report renders, aggregated; JSON-able through :meth:`as_dict`."""

    output: str
    summary: dict[str, Any]
    options: dict[str, Any]
    documents: int = 0
    errors: int = 0
    dropped: int = 0
    chars_repaired: int = 0
    chars_out: int = 0
    bytes_out_text: int = 0
    bytes_on_disk: int = 0
    documents_touched: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    rules: dict[str, RuleStats] = field(default_factory=dict)
    families: dict[str, RuleStats] = field(default_factory=dict)
    rule_info: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    rule_samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    drop_reasons: Counter[str] = field(default_factory=Counter)
    histograms: dict[str, tuple[list[int], list[float]]] = field(default_factory=dict)
    signal_counts: dict[str, int] = field(default_factory=dict)
    dedup_removals: int = 0
    dedup_chars: int = 0
    dedup_documents: int = 0
    cluster_sizes: Counter[int] = field(default_factory=Counter)
    most_copied: list[dict[str, Any]] = field(default_factory=list)
    error_list: list[tuple[str, str]] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    sample_skipped_long: int = 0


def iter_batches(
    output: str | os.PathLike[str], columns: list[str], batch_size: int = 2048
) -> Iterator[pa.RecordBatch]:
    """The rows of a finished output (Parquet or JSONL file, or part directory), in batches.

    Only ``columns`` are read from Parquet, one row group's worth at a time.
    """
    path = Path(output)
    files = sorted(p for p in path.glob("part-*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if file.suffix == ".jsonl":
            yield from _jsonl_batches(file, columns, batch_size)
        else:
            parquet = pq.ParquetFile(file)
            yield from parquet.iter_batches(batch_size=batch_size, columns=columns)


def _jsonl_batches(file: Path, columns: list[str], batch_size: int) -> Iterator[pa.RecordBatch]:
    rows: list[dict[str, Any]] = []
    with open(file, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if len(rows) >= batch_size:
                yield from to_table(rows).select(columns).to_batches()
                rows = []
    if rows:
        yield from to_table(rows).select(columns).to_batches()


def read_options(output: str | os.PathLike[str]) -> dict[str, Any]:
    """The run options stored in the output's Parquet metadata (empty for JSONL outputs)."""
    path = Path(output)
    files = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
    if not files or files[0].suffix != ".parquet":
        return {}
    meta = pq.ParquetFile(files[0]).schema_arrow.metadata or {}
    raw = meta.get(b"boilerclean.options")
    return dict(json.loads(raw)) if raw else {}


def rule_families() -> dict[str, dict[str, list[str]]]:
    """``{rule name: {"tags": [...], "languages": [...]}}`` of every installed rule.

    Tolerates a missing or broken rule registry: the report then groups by rule name only.
    """
    try:
        from cleaner.config import Options
        from cleaner.registry import discover

        classes = discover(Options())
    except Exception:  # a report must not fail because a rule pack does
        return {}
    return {cls.name: {"tags": list(cls.tags), "languages": list(cls.languages)} for cls in classes}


def families_of(rule: str, info: dict[str, dict[str, list[str]]]) -> list[str]:
    """The families (tags) of ``rule``; dedup stages form the ``dedup`` family.

    >>> families_of("dedup_near", {}), families_of("x", {"x": {"tags": ["a", "b"]}})
    (['dedup'], ['a', 'b'])
    >>> families_of("gone", {})
    ['(not installed)']
    """
    if rule.startswith("dedup_"):
        return [DEDUP_FAMILY]
    tags = info.get(rule, {}).get("tags")
    return list(tags) if tags else ["(not installed)"]


COLUMNS = [
    "id",
    "title",
    "url",
    "lang",
    "text",
    "removed",
    "quality",
    "dropped",
    "drop_reason",
    "error",
]


class Collector:
    """Feed it record batches (:meth:`add_batch`), then :meth:`finish` gives the report data."""

    def __init__(
        self,
        output: str,
        summary: dict[str, Any],
        options: dict[str, Any],
        *,
        sample_docs: int = 100,
        samples_per_rule: int = 5,
        max_errors: int = 10_000,
    ) -> None:
        self.data = ReportData(output=output, summary=summary, options=options)
        self.data.rule_info = rule_families()
        self.sample_docs = sample_docs
        self.samples_per_rule = samples_per_rule
        self.max_errors = max_errors
        # heaps of (-hash, tiebreak, item): the largest hash sits on top, ready to be replaced
        self._docs: list[tuple[int, str, dict[str, Any]]] = []
        self._rule_heaps: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        self._rule_docs: dict[str, dict[str, dict[str, Any]]] = {}
        self._dup_counts: Counter[str] = Counter()
        self._dup_text: dict[str, str] = {}
        self._hist: dict[str, np.ndarray] = {}

    # -- one batch ---------------------------------------------------------------------------
    def add_batch(self, batch: pa.RecordBatch) -> None:
        self._add_quality(batch)
        rows = batch.to_pylist()
        for row in rows:
            self._add_row(row)

    def _add_row(self, row: dict[str, Any]) -> None:
        d = self.data
        d.documents += 1
        if row["error"]:
            d.errors += 1
            if len(d.error_list) < self.max_errors:
                d.error_list.append((row["id"], row["error"]))
            return
        text = row["text"] or ""
        removed = row["removed"] or []
        removed_chars = sum(r["end"] - r["start"] for r in removed)
        d.chars_out += len(text)
        d.bytes_out_text += len(text.encode("utf-8", "surrogatepass"))
        d.chars_repaired += len(text) + removed_chars
        lang = row["lang"] or "unknown"
        d.languages[lang] += 1
        if row["dropped"]:
            d.dropped += 1
            d.drop_reasons[(row["drop_reason"] or "unspecified").split(" ", 1)[0]] += 1
        if removed:
            d.documents_touched += 1
        self._count_removals(row, removed, lang)
        h = doc_hash(row["id"])
        if len(text) + removed_chars <= MAX_SAMPLE_CHARS:
            _offer(self._docs, self.sample_docs, h, row["id"], row)
        else:
            d.sample_skipped_long += 1

    def _count_removals(
        self, row: dict[str, Any], removed: list[dict[str, Any]], lang: str
    ) -> None:
        d = self.data
        rules_seen: set[str] = set()
        families_seen: set[str] = set()
        for r in removed:
            name = r["rule"]
            chars = r["end"] - r["start"]
            stats = d.rules.setdefault(name, RuleStats())
            stats.removals += 1
            stats.chars += chars
            if name not in rules_seen:
                rules_seen.add(name)
                stats.documents += 1
                stats.languages[lang] += 1
            for family in families_of(name, d.rule_info):
                fam = d.families.setdefault(family, RuleStats())
                fam.removals += 1
                fam.chars += chars
                if family not in families_seen:
                    families_seen.add(family)
                    fam.documents += 1
                    fam.languages[lang] += 1
            if r["dup_of"]:
                d.dedup_removals += 1
                d.dedup_chars += chars
                self._dup_counts[r["dup_of"]] += 1
                self._dup_text.setdefault(r["dup_of"], r["text"][:300])
            key = f"{row['id']}@{r['start']}"
            _offer(
                self._rule_heaps.setdefault(name, []),
                self.samples_per_rule,
                doc_hash(key),
                key,
                {"row": row, "removal": r},
            )
        if any(r["dup_of"] for r in removed):
            d.dedup_documents += 1

    def _add_quality(self, batch: pa.RecordBatch) -> None:
        quality = batch.column("quality")
        ok = pc.is_null(batch.column("error"))
        if quality.null_count == len(quality):
            return
        quality = quality.filter(ok)
        for name, _ in QUALITY_FIELDS:
            values = quality.field(name).drop_null().to_numpy(zero_copy_only=False)
            if not len(values):
                continue
            values = values.astype(np.float64)
            if name in COUNT_SIGNALS:
                values = np.log10(np.maximum(values, 0) + 1)
            edges = bins_for(name)
            values = np.clip(values, edges[0], edges[-1])
            counts, _ = np.histogram(values, bins=edges)
            self._hist[name] = self._hist.get(name, np.zeros(len(edges) - 1, np.int64)) + counts
            self.data.signal_counts[name] = self.data.signal_counts.get(name, 0) + len(values)

    # -- the end -----------------------------------------------------------------------------
    def finish(self) -> ReportData:
        d = self.data
        d.histograms = {
            name: ([int(c) for c in counts], [float(e) for e in bins_for(name)])
            for name, counts in self._hist.items()
        }
        d.cluster_sizes = Counter(n + 1 for n in self._dup_counts.values())
        d.most_copied = [
            {"dup_of": key, "copies": n + 1, "text": self._dup_text.get(key, "")}
            for key, n in self._dup_counts.most_common(20)
        ]
        chosen: dict[str, dict[str, Any]] = {}
        for name, heap in sorted(self._rule_heaps.items()):
            samples = []
            for _, _, item in sorted(heap, key=lambda e: -e[0]):
                row, removal = item["row"], item["removal"]
                samples.append(_in_context(row, removal))
                if _repaired_chars(row) <= MAX_SAMPLE_CHARS:
                    chosen.setdefault(row["id"], row)
            d.rule_samples[name] = samples
        for _, _, row in sorted(self._docs, key=lambda e: -e[0]):
            chosen.setdefault(row["id"], row)
        d.sample = [chosen[key] for key in sorted(chosen)]
        return d


def _repaired_chars(row: dict[str, Any]) -> int:
    return len(row["text"] or "") + sum(r["end"] - r["start"] for r in row["removed"] or [])


def _offer(heap: list[tuple[int, str, Any]], size: int, h: int, key: str, item: Any) -> None:
    """Keep ``item`` if its hash is among the ``size`` smallest seen so far."""
    entry = (-h, key, item)
    if len(heap) < size:
        heapq.heappush(heap, entry)
    elif size and -h > heap[0][0]:
        heapq.heapreplace(heap, entry)


def _in_context(row: dict[str, Any], removal: dict[str, Any]) -> dict[str, Any]:
    """One removal with the repaired text just before and after it (up to a line each side)."""
    source = rebuild(row["text"] or "", row["removed"])
    start, end = removal["start"], removal["end"]
    before = source[max(0, start - CONTEXT_CHARS) : start]
    before = before[before.rfind("\n", 0, len(before) - 1) + 1 :]
    after = source[end : end + CONTEXT_CHARS]
    cut = after.find("\n")
    after = after if cut < 0 else after[: cut + 1]
    return {
        "id": row["id"],
        "before": before,
        "text": removal["text"][:400],
        "after": after,
        "dup_of": removal["dup_of"],
    }


def collect(
    output: str | os.PathLike[str],
    summary: dict[str, Any],
    *,
    sample_docs: int = 100,
    samples_per_rule: int = 5,
) -> ReportData:
    """Read ``output`` once and aggregate what the report shows (see the module docstring)."""
    collector = Collector(
        os.fspath(output),
        summary,
        read_options(output),
        sample_docs=sample_docs,
        samples_per_rule=samples_per_rule,
    )
    columns = [c for c in COLUMNS if c in SCHEMA.names]
    for batch in iter_batches(output, columns):
        collector.add_batch(batch)
    data = collector.finish()
    path = Path(output)
    files = [p for p in path.glob("part-*") if p.is_file()] if path.is_dir() else [path]
    data.bytes_on_disk = sum(p.stat().st_size for p in files)
    return data
