"""Tests that dedup's fast paths give what the slow, obvious ones give (cleaner.dedup).

The LSH shape without scipy equals datasketch's own optimisation; the import of the stage pulls
in neither datasketch nor scipy; the paragraph view of the workers equals the document model's.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch.lsh import _optimal_param
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dedup import reference_shingle_hashes

from cleaner.dedup import _live_views
from cleaner.dedup import shingle as sh
from cleaner.dedup.index import LSH_WEIGHTS, lsh_errors, lsh_params
from cleaner.document import Document, Removal

THRESHOLDS = [round(float(t), 2) for t in np.arange(0.05, 1.0001, 0.05)] + [0.01, 0.33, 0.87, 0.99]


@pytest.mark.parametrize("num_perm", [2, 3, 16, 64, 100, 128, 256])
def test_lsh_params_equal_datasketch_optimal_param(num_perm: int) -> None:
    perms = min(num_perm, 128)
    for threshold in THRESHOLDS:
        lsh_params.cache_clear()
        expected = _optimal_param(threshold, perms, *LSH_WEIGHTS)
        assert lsh_params(threshold, num_perm) == expected, (threshold, num_perm)


def test_lsh_errors_equal_datasketch_integrals() -> None:
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    for threshold in (0.1, 0.5, 0.8, 0.95):
        bands, rows, fp = lsh_errors(threshold, 128, 1.0, 0.0)
        _, _, fn = lsh_errors(threshold, 128, 0.0, 1.0)
        for k in range(0, len(bands), 11):
            b, r = int(bands[k]), int(rows[k])
            assert fp[k] == pytest.approx(_false_positive_probability(threshold, b, r), abs=1e-13)
            assert fn[k] == pytest.approx(_false_negative_probability(threshold, b, r), abs=1e-13)


def test_lsh_params_rejects_a_threshold_outside_zero_one() -> None:
    with pytest.raises(ValueError, match="dedup-threshold"):
        lsh_params(1.5, 128)


def test_dedup_stage_imports_neither_scipy_nor_datasketch() -> None:
    code = (
        "import sys\n"
        "from cleaner.config import Options\n"
        "from cleaner.dedup import Deduplicator\n"
        "from cleaner.document import Document\n"
        "d = Deduplicator(Options(dedup_min_chars=5))\n"
        "docs = [Document(id=str(i), source='one two three four five six\\n') for i in range(3)]\n"
        "out = list(d(d.prepare_batch(docs)))\n"
        "d.close()\n"
        "assert [len(x.removed) for x in out] == [0, 1, 1], out\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'datasketch')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@st.composite
def documents_with_removals(draw: st.DrawFn) -> Document:
    text = draw(st.text(alphabet="ab \n\t\r\u00a0\x85\u2028", max_size=60))
    doc = Document(id="x", source=text)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    for s, e in zip(cuts[::2], cuts[1::2], strict=False):
        if s < e:
            doc.remove(Removal("r", s, e, text[s:e]))
    return doc


@settings(max_examples=200, deadline=None)
@given(documents_with_removals(), st.sampled_from(["lines", "blocks"]))
def test_live_views_equal_the_document_models_paragraphs(doc: Document, mode: str) -> None:
    paras = doc.paragraphs(mode)  # type: ignore[arg-type]
    expected = (
        [p.index for p in paras],
        [p.start for p in paras],
        [p.end for p in paras],
        [p.text for p in paras],
    )
    assert _live_views(doc, mode) == expected  # type: ignore[arg-type]


def _reference_signature(text: str, ngram: int, num_perm: int, seed: int) -> list[int]:
    """The MinHash of ``text`` one shingle at a time, in plain Python, from the shingle hashes of
    :func:`test_dedup.reference_shingle_hashes` (one token at a time)."""
    values = set(reference_shingle_hashes(text.replace("\n", " "), ngram))
    permuted = [int(x) for x in sh.fmix32(np.array(sorted(values), dtype=np.uint32))]
    a, b = sh.permutations(num_perm, seed)
    return [
        min(((int(ai) * v + int(bi)) & 0xFFFFFFFF for v in permuted), default=0xFFFFFFFF)
        for ai, bi in zip(a, b, strict=True)
    ]


ALPHABET = "aZ9 ,.\n\t東京タワー\U0001f600\U00010400\U00020000ÀßİΣς٣\u0e01\u0e48\u00a0"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=5), st.sampled_from([1, 3]))
def test_batch_equals_the_one_token_at_a_time_reference(texts: list[str], ngram: int) -> None:
    batch = sh.Shingler(num_perm=8, ngram=ngram, seed=3).batch(texts)
    for i, text in enumerate(texts):
        tokens = sh.tokens(text.replace("\n", " "))
        assert batch.tokens[i] == len(tokens)
        assert batch.signatures[i].tolist() == _reference_signature(text, ngram, 8, 3)
        for j, other in enumerate(texts):
            same = tokens == sh.tokens(other.replace("\n", " "))
            assert (batch.hashes[i] == batch.hashes[j]) == same


def test_lookup_tables_equal_the_per_character_definitions() -> None:
    fold = sh._fold_table()
    classes = sh._bmp_table()
    assert fold.tolist() == [sh._fold_one(cp) for cp in range(1 << 16)]
    assert classes.tolist() == [sh._category_class(cp) for cp in range(1 << 16)]
