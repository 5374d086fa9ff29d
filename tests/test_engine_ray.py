"""The Ray engine (cleaner.engines.ray) gives the local engine's output, row for row.

One local Ray cluster (2 CPUs, no dashboard) serves the whole module. The corpora: the seeds
through the CLI's readers and writer, and a generated corpus of real seed words with exact copies
(with case, digit and punctuation noise), near copies, chains of edits whose members arrive out of
order (so that a later paragraph joins two clusters and an exact copy of the later cluster's first
paragraph then names the earlier one), template families larger than the LSH bucket cap, short
paragraphs, documents without text and failed documents. It runs with the default batching and,
to exercise the replay of the local index's batches and sorted runs on a small corpus, with tiny
batches and a tiny bucket cap.
"""

from __future__ import annotations

import copy
import os
import random
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

pytest.importorskip(
    "ray.data", reason="the Ray engine needs the extra: pip install 'boilerclean[ray]'"
)

from cleaner.cli import run
from cleaner.config import Options
from cleaner.document import Document
from cleaner.engines import ray as engine
from cleaner.pipeline import Pipeline, clean_table
from cleaner.writer import read_table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module", autouse=True)
def cluster() -> Any:
    import ray

    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


def words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return sorted(set(re.findall(r"[A-Za-z]{3,}", text)))


def edit(rng: random.Random, text: str, vocab: list[str], n: int = 1) -> str:
    w = text.split()
    for _ in range(n):
        w[rng.randrange(len(w))] = rng.choice(vocab)
    return " ".join(w)


def noisy(rng: random.Random, text: str) -> str:
    """An exact copy for dedup: case, digits and punctuation change, the tokens do not."""
    if rng.random() < 0.5:
        text = text.upper()
    if rng.random() < 0.5:
        text = text.replace(" ", ", ", 1) + "!"
    return re.sub(r"\d", "7", text)


def corpus(seed: int = 7, docs: int = 600) -> list[Document]:
    rng = random.Random(seed)
    vocab = words()
    prose = lambda k: " ".join(rng.choice(vocab) for _ in range(k))  # noqa: E731
    pool: list[str] = []
    for _ in range(docs // 3):  # distinct paragraphs
        pool.append(prose(rng.randint(50, 90)) + f" {rng.randint(10, 999)}.")
    for _ in range(docs // 20):  # chains of edits, members shuffled into the pool
        link = prose(70)
        for _ in range(rng.randint(3, 6)):
            pool.append(link)
            link = edit(rng, link, vocab, 2)
    template = prose(70)
    pool += [edit(rng, template, vocab) for _ in range(90)]  # a family above the bucket cap
    pool += [prose(rng.randint(2, 6)) for _ in range(20)]  # short: never deduplicated
    out = []
    for d in range(docs):
        paras = []
        for _ in range(rng.randint(1, 6)):
            p = rng.choice(pool)
            r = rng.random()
            if r < 0.25:
                p = noisy(rng, p)
            elif r < 0.4:
                p = edit(rng, p, vocab)
            paras.append(p)
        sep = "\n\n" if rng.random() < 0.2 else "\n"
        out.append(Document(id=f"gen/{d:05d}.txt", source=sep.join(paras) + "\n"))
    out[5] = Document(id="gen/empty.txt", source="")
    out[9] = Document(id="gen/failed.txt", error="cannot read gen/failed.txt: a test failure.")
    return out


def local_rows(
    docs: list[Document], options: Options, summary: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    pipeline = Pipeline(options)
    rows = [d.row() for d in pipeline.run(copy.deepcopy(docs))]
    if summary is not None:
        summary.update(pipeline.summary().get("dedup", {}))
    pipeline.close()
    return rows


def ray_rows(
    docs: list[Document], options: Options, summary: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    ds = engine.documents_dataset(copy.deepcopy(docs), block_docs=97)
    out = engine.clean_dataset(ds, options, documents=True, summary=summary)
    rows = []
    for batch in out.iter_batches(batch_format="pyarrow", batch_size=None):
        rows += [d.row() for d in engine._unpack(batch)[1]]
    return rows


def assert_same(local: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in got] == [r["id"] for r in local]
    for a, b in zip(local, got, strict=True):
        assert b["text"] == a["text"], a["id"]
        assert b["removed"] == a["removed"], a["id"]
        assert b == a


def test_generated_corpus_default_batches() -> None:
    docs = corpus()
    options = Options(workers=1, rules=False)
    expected: dict[str, Any] = {}
    local = local_rows(docs, options, expected)
    summary: dict[str, Any] = {}
    got = ray_rows(docs, options, summary)
    assert_same(local, got)
    for key in ("paragraphs_seen", "removed_exact", "removed_near", "paragraph_clusters"):
        assert summary[key] == expected[key], key
    rules = [r["rule"] for row in local for r in row["removed"]]
    assert rules.count("dedup_exact") > 100 and rules.count("dedup_near") > 50
    assert summary["paragraph_clusters"]["sizes"]["11-100"] >= 1  # the template family
    # A removal that names a copy it is not an exact copy of (the cluster grew after the copy).
    assert any(
        r["rule"] == "dedup_near" and r["similarity"] < 0.8 for row in local for r in row["removed"]
    )


def test_generated_corpus_tiny_batches_and_bucket_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many batches and sorted runs, and buckets far above the cap: candidates depend on both."""
    import cleaner.dedup as dedup
    import cleaner.dedup.index as index

    monkeypatch.setattr(dedup, "BATCH_PARAGRAPHS", 150)
    monkeypatch.setattr(dedup, "BATCH_DOCS", 37)
    monkeypatch.setattr(index, "BUCKET_CAP", 3)
    docs = corpus(seed=11, docs=500)
    options = Options(workers=1, rules=False, dedup_threshold=0.7)
    assert_same(local_rows(docs, options), ray_rows(docs, options))


def test_seeds_through_the_cli_entry(tmp_path: Path) -> None:
    options = Options(workers=1)
    local = run([str(SEEDS)], tmp_path / "local.parquet", options)
    summary = engine.run_ray([str(SEEDS)], tmp_path / "ray.parquet", options)
    a = read_table(tmp_path / "local.parquet").to_pylist()
    b = read_table(tmp_path / "ray.parquet").to_pylist()
    assert_same(a, b)
    assert summary["documents"] == local["documents"] == len(a)
    assert summary["dedup"]["removed_exact"] == local["dedup"]["removed_exact"]
    assert summary["ray"]["driver_peak_rss_mb"] > 0


def test_seeds_doubled_with_copies(tmp_path: Path) -> None:
    """The seeds twice, the second time under other names: every paragraph has a copy."""
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        (folder / p.name).write_bytes(p.read_bytes())
        (folder / f"copy_{p.name}").write_bytes(p.read_bytes().upper())
    options = Options(workers=1)
    run([str(folder)], tmp_path / "local.parquet", options)
    engine.run_ray([str(folder)], tmp_path / "ray.parquet", options)
    a = read_table(tmp_path / "local.parquet").to_pylist()
    b = read_table(tmp_path / "ray.parquet").to_pylist()
    assert_same(a, b)
    assert sum(r["rule"].startswith("dedup") for row in a for r in row["removed"]) > 20


def test_clean_dataset_of_records_matches_clean_table(cluster: Any) -> None:
    docs = corpus(seed=3, docs=120)
    table = pa.table(
        {
            "text": [d.source if not d.error else None for d in docs],
            "url": [f"https://example.org/{n}" for n in range(len(docs))],
        }
    )
    options = Options(workers=1, rules=False)
    expected = clean_table(table, options=options).to_pylist()
    ds = cluster.data.from_arrow([table.slice(0, 50), table.slice(50)])
    got = engine.clean_dataset(ds, options).to_arrow_refs()
    rows = [row for ref in got for row in cluster.get(ref).to_pylist()]
    assert_same(expected, rows)


def test_dedup_off_and_unsupported_options() -> None:
    docs = corpus(seed=5, docs=40)
    options = Options(workers=1, rules=False, dedup="off")
    assert_same(local_rows(docs, options), ray_rows(docs, options))
    with pytest.raises(ValueError, match="paragraphs only"):
        engine.check_options(Options(dedup="document"))
    with pytest.raises(ValueError, match="--index"):
        engine.check_options(Options(index="x"))


def test_empty_input_and_one_document() -> None:
    options = Options(workers=1, rules=False)
    assert ray_rows([], options) == []
    one = [Document(id="one.txt", source="A single paragraph that is long enough to dedup.\n" * 2)]
    assert_same(local_rows(one, options), ray_rows(one, options))


def test_band_candidates_are_the_local_index_lookups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Crowded buckets (6 keys per band, cap 5), batches of uneven sizes: the band step's pairs
    are exactly those the local index looks up (its cap: the earliest items of each bucket)."""
    import numpy as np

    import cleaner.dedup.index as local_index
    from cleaner.dedup.index import Index

    monkeypatch.setattr(local_index, "BUCKET_CAP", 5)

    rng = np.random.default_rng(0)
    bands, sizes = 4, [5, 40, 3, 17, 60, 2, 9, 33, 1, 25, 80, 4]
    index = Index(tmp_path, num_perm=8, threshold=0.8, bands=bands, rows=2)
    recorded: list[tuple[np.ndarray, np.ndarray]] = []
    lookup = index._candidates

    def spy(keys: np.ndarray, fresh: np.ndarray, n0: int) -> tuple[np.ndarray, np.ndarray]:
        pi, pq = lookup(keys, fresh, n0)
        recorded.append((n0 + pi, pq))
        return pi, pq

    index._candidates = spy  # type: ignore[method-assign]
    keys = [rng.integers(0, 6, size=(m, bands)).astype(np.uint32) for m in sizes]
    for k in keys:
        m = len(k)
        hashes = rng.integers(1, 1 << 62, size=m).astype(np.uint64)
        one_shingle = (np.zeros(m, np.uint32), np.arange(m + 1, dtype=np.int64))
        ones = np.ones(m, np.uint32)
        index.add(hashes, one_shingle, k, ones, ones, np.arange(m, dtype=np.uint32))
    index.close()
    local = {(int(i), int(q)) for pi, pq in recorded for i, q in zip(pi, pq, strict=True)}

    total = sum(sizes)
    ids = np.arange(total, dtype=np.int64)
    rows = {
        "band": np.tile(np.arange(bands, dtype=np.int64), total),
        "key": np.concatenate(keys).ravel(),
        "id": np.repeat(ids, bands),
    }
    (out,) = engine._bands_task(5, 1, {"bands": rows})
    ours = {(int(p >> 32), int(p & 0xFFFFFFFF)) for p in out["pairs"]["pair"].tolist()}
    assert len(local) > 500
    assert ours == local
    (more,) = engine._bands_task(6, 1, {"bands": rows})
    assert len(more["pairs"]["pair"]) > len(ours)  # the cap matters here
