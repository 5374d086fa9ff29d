"""The batched quality stage gives every document exactly what it gets alone: language id read
per document inside a joined sample, words and n-grams kept apart per document, and a bad
document that cannot break the others."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.quality import Quality
from cleaner.quality.langid import identifier
from cleaner.quality.signals import (
    Tokens,
    Words,
    _Grams,
    batch_signals,
    compute_signals,
    nonempty_lines,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("00[0-4]_*.txt"))]

# Short real-looking texts in several scripts, some repeated, so n-grams repeat across documents.
MIXED = [
    "Il gatto dorme sul divano. Il gatto dorme sul divano.\n\nPoi si sveglia e mangia.",
    "東京タワーは高い。東京タワーは高い。\n東京は日本の首都です。",
    "这是一个句子。这是另一个句子！\n标题",
    "ΟΔΟΣ οδος Σ ΑΣ.\nİstanbul İSTANBUL istanbul.",
    "ภาษาไทย ที่นี่ ภาษาไทย ที่นี่",
    "",
    "\n\n \n",
    "e-mail 3,5 l'amico -- a-b ... … #tag #tag",
    "Il gatto dorme sul divano. Il gatto dorme sul divano.\n\nPoi si sveglia e mangia.",
]


def documents() -> list[Document]:
    docs = []
    for i, text in enumerate(SEEDS + MIXED):
        doc = Document(id=f"d{i}", source=text, lang="it" if i == 3 else None)
        if len(text) > 40 and i % 2:
            doc.remove(Removal("dedup_exact" if i % 4 == 1 else "share_bar", 5, 25, text[5:25]))
        docs.append(doc)
    docs.append(Document(id="broken-before", source="text", error="cannot read"))
    return docs


def fields(doc: Document) -> tuple[object, ...]:
    return (doc.lang, doc.lang_score, doc.quality, doc.dropped, doc.drop_reason, doc.error)


@pytest.mark.parametrize("preset", ["off", "gopher", "c4", "fineweb"])
def test_batch_equals_one_document_at_a_time(preset: str) -> None:
    stage = Quality(Options(quality=preset))
    alone = [fields(stage(doc)) for doc in documents()]
    together = [fields(doc) for doc in stage.batch(documents())]
    assert together == alone


def test_language_id_reads_each_document_alone() -> None:
    ident = identifier()
    texts = SEEDS + MIXED
    together = ident.identify_batch([nonempty_lines(t) for t in texts])
    assert together == [ident.identify(t) for t in texts]
    assert together[len(SEEDS) + 5].lang is None  # empty text


def test_language_features_of_a_batch_are_those_of_each_sample() -> None:
    # The 0xFF byte between samples sends the automaton back to its start.
    ident = identifier()
    a, b = "Questo è un testo italiano.".encode(), b"This is English text."
    joined = ident.features(b"\xff" + a + b"\xff" + b + b"\xff")
    alone = np.concatenate((ident.features(a), ident.features(b)))
    assert sorted(joined.tolist()) == sorted(alone.tolist())


def test_tokens_of_a_batch_are_the_words_of_each_text() -> None:
    texts = SEEDS[:2] + MIXED
    tokens = Tokens(texts)
    for i, text in enumerate(texts):
        words = Words(text)
        a, b = tokens.bounds[i], tokens.bounds[i + 1]
        assert tokens.lengths[a:b].tolist() == words.lengths.tolist()
        assert tokens.hashes[a:b].tolist() == words.hashes.tolist()
        assert tokens.has_letter[a:b].tolist() == words.has_letter.tolist()


def test_lowercase_follows_str_lower() -> None:
    # Final sigma and the dotted capital I are lowercased by str.lower itself.
    w = Words("ΟΔΟΣ οδος İ i̇")
    assert w.hashes[0] == w.hashes[1] and w.hashes[2] == w.hashes[3]
    assert w.lengths.tolist() == [4, 4, 2, 2]
    assert Words("Straße STRASSE").hashes.tolist()[0] != Words("strasse").hashes.tolist()[0]


def test_colliding_high_bits_fall_back_to_the_whole_hash() -> None:
    # With three n-grams only the top 62 bits order them: 5 and 7 share those bits.
    grams = _Grams(np.arange(3), np.array([5, 7, 5], dtype=np.uint64))
    order, heads, sizes = grams.runs()
    assert order.tolist() == [0, 2, 1] and heads.tolist() == [0, 2] and sizes.tolist() == [2, 1]


def test_ngrams_do_not_repeat_across_documents() -> None:
    text = "a b c d e f g h i j k"
    together = batch_signals([text, text], ["en", "en"], [None, None])
    assert together[0]["dup_5gram"] == together[1]["dup_5gram"] == 0.0
    assert together[0]["top_2gram"] == 0.0


def test_a_document_that_fails_does_not_take_the_batch_down() -> None:
    docs = [Document(id="ok", source=SEEDS[0]), Document(id="bad", source="lone \ud800 surrogate")]
    Quality(Options(quality="gopher")).batch(docs)
    assert docs[0].error is None and docs[0].quality is not None and docs[0].lang == "en"
    assert docs[1].error is not None and docs[1].error.startswith("quality failed: ")


_TEXT = st.text(
    alphabet=st.sampled_from(list("ab cé-.,'\n\n\t東京タワภาที่#…!?。”ΣİA1")), max_size=120
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_batch_signals_equal_per_text_signals(texts: list[str], rnd: random.Random) -> None:
    langs = [rnd.choice(["en", "it", "ja", "zh", None, "xx"]) for _ in texts]
    together = batch_signals(texts, langs, [0.5] * len(texts))
    assert together == [compute_signals(t, lang, 0.5) for t, lang in zip(texts, langs, strict=True)]
