"""Tests of paragraph/document dedup (cleaner.dedup): hashing, decisions, determinism, index."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.config import Options
from cleaner.dedup import Deduplicator
from cleaner.dedup import shingle as sh
from cleaner.dedup.index import SortedRuns, band_keys, lsh_params
from cleaner.document import Document, Removal, rebuild

# Real prose (Python documentation, PSF licence) so that shingles behave like the corpus's.
P1 = (
    "The garbage collector tracks objects that may take part in reference cycles and frees "
    "them when they become unreachable, which happens periodically while the program runs."
)
P2 = (
    "A module can contain executable statements as well as function definitions; these "
    "statements are intended to initialize the module and run only the first time it is imported."
)
P3 = (
    "Iterators are required to have a next method that returns the next item from the stream, "
    "and raises StopIteration when there are no further items available to the caller."
)
P1_EDITED = P1.replace("program runs", "program executes")  # one word at the end changed
P1_NOISY = P1.upper().replace(",", "") + " !"


def run(docs: list[Document], **options: object) -> list[Document]:
    dedup = Deduplicator(Options(**options))  # type: ignore[arg-type]
    try:
        return list(dedup(dedup.prepare(d) for d in docs))
    finally:
        dedup.close()


def doc(name: str, *paragraphs: str) -> Document:
    return Document(id=f"c/{name}", source="\n".join(paragraphs) + "\n")


# -- normalisation and shingles -------------------------------------------------------------


def test_tokens_fold_case_digits_punctuation_and_split_spaceless_scripts() -> None:
    assert sh.tokens("Hello, WORLD -- it's 2024!") == ["hello", "world", "it", "s", "0000"]
    assert sh.tokens("東京は晴れ。Tokyo") == ["東", "京", "は", "晴", "れ", "tokyo"]
    assert sh.tokens("สวัสดีครับ") == list("สวัสดีครับ")  # Thai: character tokens, marks included
    assert sh.tokens("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]  # Devanagari marks stay inside words


def reference_shingle_hashes(text: str, n: int) -> list[int]:
    """The shingle hashes computed one at a time in plain Python (the spec of the numpy code)."""
    mod = 1 << 64

    def mix(v: int) -> int:
        return int(sh.fmix64(np.array([v % mod], dtype=np.uint64))[0])

    def token_hash(tok: str) -> int:
        v = sum(ord(c) * pow(sh._POLY, j, mod) for j, c in enumerate(tok)) % mod
        return mix(v ^ (len(tok) * int(sh._LEN_SALT)) % mod)

    hashes = [token_hash(t) for t in sh.tokens(text)]
    grams = [hashes[i : i + n] for i in range(len(hashes) - n + 1)] or ([hashes] if hashes else [])
    return [mix(sum(h * int(sh._MIX[j]) for j, h in enumerate(g))) >> 32 for g in grams]


@pytest.mark.parametrize("ngram", [1, 3, 5])
def test_signatures_equal_datasketch_affine32_minhash(ngram: int) -> None:
    texts = [P1, "東京タワーは日本の電波塔です", "two words", "", "----", P2 + "\n" + P3]
    batch = sh.Shingler(num_perm=64, ngram=ngram, seed=7).batch(texts)
    for text, signature in zip(texts, batch.signatures, strict=True):
        m = MinHash(num_perm=64, seed=7, scheme="affine32", hashfunc=lambda x: x)
        hashes = reference_shingle_hashes(text.replace("\n", " "), ngram)
        if hashes:
            m.update_batch(hashes)
        assert (m.hashvalues == signature).all(), text
    assert batch.tokens.tolist()[3:5] == [0, 0]


def test_batch_does_not_depend_on_its_neighbours() -> None:
    s = sh.Shingler()
    alone = s.batch([P2])
    together = s.batch([P1, P2, P3])
    assert (alone.signatures[0] == together.signatures[1]).all()
    assert alone.hashes[0] == together.hashes[1]


def test_exact_hash_folds_noise_and_signature_estimates_jaccard() -> None:
    batch = sh.Shingler().batch([P1, P1_NOISY, P1_EDITED, P2])
    assert batch.hashes[0] == batch.hashes[1] != batch.hashes[2]
    lean = [sh.lean_minhash(s, seed=1) for s in batch.signatures]
    assert lean[0].jaccard(lean[1]) == 1.0
    assert lean[0].jaccard(lean[2]) > 0.8
    assert lean[0].jaccard(lean[3]) < 0.1


def test_band_keys_and_sorted_runs() -> None:
    bands, rows = lsh_params(0.8, 128)
    assert bands * rows <= 128
    sig = sh.Shingler().batch([P1, P1_NOISY, P2]).signatures
    keys = band_keys(sig, bands, rows)
    assert keys.shape == (3, bands) and (keys[0] == keys[1]).all()
    runs = SortedRuns()
    for i in range(5):  # several adds exercise the merges
        runs.add((keys[:, :1].astype(np.uint64) << np.uint64(32)).ravel() + np.uint64(i))
    query, ids = runs.ranges(keys[:1, 0], cap=3)
    assert query.tolist() == [0, 0, 0] and sorted(ids.tolist()) == [0, 0, 1]


# -- decisions ------------------------------------------------------------------------------


def test_exact_and_near_copies_are_removed_with_dup_of_and_similarity() -> None:
    docs = [
        doc("a", P1, P2),
        doc("b", P3, P1_NOISY),
        doc("c", P1_EDITED, "Conclusion", P2),
    ]
    out = run(docs)
    assert out[0].removed == []
    assert out[1].text == P3 + "\n"
    (r,) = out[1].removed
    assert (r.rule, r.dup_of, r.similarity) == ("dedup_exact", "c/a#0", 1.0)
    assert out[2].text == "Conclusion\n"
    near, exact = sorted(out[2].removed, key=lambda r: r.start)
    assert (near.rule, near.dup_of) == ("dedup_near", "c/a#0")
    assert near.similarity is not None and 0.8 <= near.similarity < 1.0
    assert (exact.rule, exact.dup_of, exact.similarity) == ("dedup_exact", "c/a#1", 1.0)
    for d in out:
        assert rebuild(d.text, d.removed) == d.source
        assert "dedup" not in d.scratch


def test_short_paragraphs_are_not_deduplicated() -> None:
    out = run([doc("a", "Conclusion", P1), doc("b", "Conclusion", P2)])
    assert out[1].text == "Conclusion\n" + P2 + "\n"
    out = run([doc("a", "Conclusion", P1), doc("b", "Conclusion", P2)], dedup_min_chars=5)
    assert out[1].text == P2 + "\n"


def test_threshold_one_removes_only_exact_copies() -> None:
    out = run([doc("a", P1), doc("b", P1_EDITED), doc("c", P1_NOISY)], dedup_threshold=1.0)
    assert out[1].removed == []
    assert [r.rule for r in out[2].removed] == ["dedup_exact"]


def test_copies_inside_one_document_and_one_batch() -> None:
    out = run([doc("a", P1, P2, P1_NOISY, P1)])
    assert out[0].text == P1 + "\n" + P2 + "\n"
    assert {r.dup_of for r in out[0].removed} == {"c/a#0"}


def test_keep_longest_keeps_the_longest_copy() -> None:
    longer = P1 + " Always."
    failed = Document(id="c/x", source=P1, error="could not decode")
    docs = [doc("a", P1), failed, doc("b", P2), doc("c", longer), doc("d", "tiny")]
    out = run(docs, dedup_keep="longest")
    assert out[3].removed == [] and failed.removed == []
    (r,) = out[0].removed
    assert (r.rule, r.dup_of) == ("dedup_near", "c/c#0")
    out = run(
        [doc("a", P2, P1), doc("b", P2, longer), doc("c", P2)],
        dedup_keep="longest",
        dedup="document",
    )
    assert [d.text == "" for d in out] == [True, False, False]  # b is the longer copy of a
    assert out[0].removed[0].dup_of == "c/b"


def test_document_scope_removes_whole_duplicate_documents() -> None:
    out = run(
        [doc("a", P1, P2), doc("b", P3, P1), doc("c", P1_NOISY, P2.lower()), doc("d", P2)],
        dedup="document",
    )
    assert out[1].removed == [] and out[3].removed == []
    assert out[2].text == ""
    assert {(r.rule, r.dup_of) for r in out[2].removed} == {("dedup_exact", "c/a")}
    both = run([doc("a", P1, P2), doc("c", P1_NOISY, P2), doc("d", P3, P2)], dedup="both")
    assert both[1].text == "" and both[2].text == P3 + "\n"
    assert both[2].removed[0].dup_of == "c/a#1"


def test_off_and_error_documents_pass_through() -> None:
    failed = Document(id="c/x", source=P1, error="could not decode")
    out = run([doc("a", P1), failed, doc("b", P1)], dedup="off")
    assert all(d.removed == [] for d in out)
    out = run([doc("a", P1), failed, doc("b", P1)])
    assert out[1] is failed and failed.removed == []
    assert out[2].text == ""


def test_removal_respects_rule_removals_and_tidies_blank_lines() -> None:
    source = f"Title\n\n{P2}\n\n{P1} Share this\n\nEnd\n"
    d = Document(id="c/b", source=source)
    cut = source.index(" Share this")
    d.remove(Removal("share", cut, cut + len(" Share this"), " Share this"))
    out = run([doc("a", P1), d])[1]
    assert out.text == f"Title\n\n{P2}\n\nEnd\n"
    assert rebuild(out.text, out.removed) == source
    last = run([doc("a", P1), Document(id="c/c", source=f"Intro\n\n{P1}\n")])[1]
    assert last.text == "Intro\n"
    first = run([doc("a", P1), Document(id="c/d", source=f"{P1}\n\nOutro")])[1]
    assert first.text == "Outro"


def test_blocks_mode_removes_hard_wrapped_copies() -> None:
    wrapped = P1.replace(" which ", "\nwhich ")
    docs = [
        Document(id="c/a", source=P1 + "\n\nnext\n"),
        Document(id="c/b", source=f"x\n\n{wrapped}\n"),
    ]
    out = run(docs, paragraphs="blocks")
    assert out[1].text == "x\n"
    assert out[1].removed[0].dup_of == "c/a#0"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.sampled_from([P1, P2, P3, P1_NOISY, P1_EDITED, "", "  ", "short"]), max_size=8),
        min_size=1,
        max_size=4,
    )
)
def test_rebuild_holds_and_no_blank_runs_appear(layouts: list[list[str]]) -> None:
    docs = [Document(id=f"c/{i}", source="\n".join(lines)) for i, lines in enumerate(layouts)]
    before = [max(1, blank_run(d.text)) for d in docs]
    for d, limit in zip(run(docs), before, strict=True):
        assert rebuild(d.text, d.removed) == d.source
        assert blank_run(d.text) <= limit


def blank_run(text: str) -> int:
    """The longest run of blank (white-space only) lines between two lines with text."""
    longest = run = 0
    for line in text.split("\n")[1:-1]:
        run = run + 1 if not line.strip() else 0
        longest = max(longest, run)
    return longest


# -- determinism and the index --------------------------------------------------------------


def corpus(n: int = 60) -> list[Document]:
    rnd = np.random.default_rng(3)
    pool = [P1, P2, P3, P1_NOISY, P1_EDITED, P2.upper(), P3.replace("caller", "reader")]
    words = (P1 + " " + P2 + " " + P3).split()
    docs = []
    for i in range(n):
        paras = []
        for _ in range(int(rnd.integers(1, 6))):
            if rnd.random() < 0.4:
                paras.append(pool[int(rnd.integers(len(pool)))])
            else:
                paras.append(" ".join(rnd.choice(words, size=int(rnd.integers(8, 30)))))
        docs.append(Document(id=f"c/{i}.txt", source="\n".join(paras) + "\n"))
    return docs


def _prepare(d: Document) -> Document:
    return Deduplicator(Options()).prepare(d)


def removals(docs: list[Document]) -> list[list[dict[str, object]]]:
    return [[r.as_dict() for r in sorted(d.removed, key=lambda r: r.start)] for d in docs]


def test_same_output_with_one_or_two_worker_processes_and_across_runs() -> None:
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters: another PYTHONHASHSEED
    results = []
    for workers in (1, 2):
        with ctx.Pool(workers) as pool:
            prepared = pool.map(_prepare, corpus(), chunksize=7)
        dedup = Deduplicator(Options())
        results.append(removals(list(dedup(prepared))))
        dedup.close()
    dedup = Deduplicator(Options())
    results.append(removals(list(dedup(dedup.prepare(d) for d in corpus()))))
    dedup.close()
    assert results[0] == results[1] == results[2]
    assert sum(map(len, results[0])) > 10


def test_prepare_batch_equals_prepare_per_document() -> None:
    dedup = Deduplicator(Options(dedup="both"))
    single = [dedup.prepare(d).scratch["dedup"] for d in corpus(12)]
    batch = [d.scratch["dedup"] for d in dedup.prepare_batch(corpus(12))]
    for one, many in zip(single, batch, strict=True):
        assert one.keys() == many.keys()
        for key, value in one.items():
            if isinstance(value, tuple):
                assert all(np.array_equal(a, b) for a, b in zip(value, many[key], strict=True))
            else:
                assert np.array_equal(value, many[key]), key


def variants() -> list[Document]:
    """Many one-word variants of one paragraph: LSH buckets far above a small cap."""
    words = P1.split()
    docs = []
    for i in range(40):
        edited = [*words]
        edited[i % len(words)] = f"word{i}"
        docs.append(Document(id=f"v/{i}", source=" ".join(edited) + "\n" + P3 + f" {i}\n"))
    return docs


@pytest.mark.parametrize("cap", [64, 2])
def test_batches_do_not_change_decisions(monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    monkeypatch.setattr("cleaner.dedup.index.BUCKET_CAP", cap)
    expected = removals(run(corpus() + variants()))
    assert sum(map(len, expected)) > 40
    monkeypatch.setattr("cleaner.dedup.BATCH_DOCS", 3)
    assert removals(run(corpus() + variants())) == expected


def test_incremental_index_removes_copies_of_earlier_runs(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = run([doc("old", P1, P2)], index=str(index))
    assert first[0].removed == []
    assert (index / "paragraph" / "meta.json").exists()
    second = run([doc("new", P3, P1_NOISY), doc("newer", P2, P1_EDITED)], index=str(index))
    assert second[0].text == P3 + "\n"
    assert second[0].removed[0].dup_of == "c/old#0"
    assert second[1].text == ""
    assert {r.dup_of for r in second[1].removed} == {"c/old#0", "c/old#1"}
    third = run([doc("last", P3)], index=str(index))
    assert third[0].removed[0].dup_of == "c/new#0"
    with pytest.raises(ValueError, match="--dedup-num-perm"):
        run([doc("x", P3)], index=str(index), dedup_num_perm=64)


def test_summary_counts_clusters_and_most_copied() -> None:
    dedup = Deduplicator(Options())
    list(dedup(dedup.prepare(d) for d in [doc("a", P1, P2), doc("b", P1), doc("c", P1_EDITED, P2)]))
    s = dedup.summary()
    dedup.close()
    assert (s["paragraphs_seen"], s["removed_exact"], s["removed_near"]) == (5, 2, 1)
    assert s["paragraph_clusters"]["count"] == 2
    assert s["paragraph_clusters"]["sizes"]["3-5"] == 1
    top = s["paragraph_top"][0]
    assert (top["kept"], top["copies"]) == ("c/a#0", 3)
    assert top["text"].startswith(P1[:40])


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab \n\t", max_size=40), st.sampled_from(["lines", "blocks"]))
def test_fast_paragraph_view_equals_the_document_model(text: str, mode: str) -> None:
    from cleaner.dedup import _live_paragraphs

    d = Document(id="x", source=text)
    assert _live_paragraphs(d, mode) == d.paragraphs(mode)  # type: ignore[arg-type]


def test_bucket_cap_takes_the_earliest_items_whatever_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight items in one LSH bucket, cap 2: item 7 (a copy of item 5) is checked against items
    0 and 1 only, whether the items come in one batch or one at a time (several sorted runs)."""
    from cleaner.dedup.index import Index

    monkeypatch.setattr("cleaner.dedup.index.BUCKET_CAP", 2)
    sets = [np.arange(k * 100, k * 100 + 10, dtype=np.uint32) for k in range(7)] + [
        np.arange(500, 510, dtype=np.uint32)
    ]
    keys = np.arange(8 * 16, dtype=np.uint32).reshape(8, 16) + 1000
    keys[:, 0] = 42

    def add(index: Index, items: range) -> list[int]:
        flat = np.concatenate([sets[k] for k in items])
        offsets = np.concatenate([[0], np.cumsum([len(sets[k]) for k in items])])
        ones = np.ones(len(items), dtype=np.uint32)
        hashes = np.array([k + 1 for k in items], dtype=np.uint64)
        joined, _ = index.add(hashes, (flat, offsets), keys[list(items)], ones, ones, ones)
        return joined.tolist()

    together = add(Index(tmp_path / "a", 128, 0.8, 16, 8), range(8))
    single = Index(tmp_path / "b", 128, 0.8, 16, 8)
    one_by_one = [add(single, range(k, k + 1))[0] for k in range(8)]
    assert together == one_by_one == [-1] * 8
    monkeypatch.setattr("cleaner.dedup.index.BUCKET_CAP", 8)
    assert add(Index(tmp_path / "c", 128, 0.8, 16, 8), range(8))[7] == 5
