"""The pipeline's own mechanics: documents between processes, and when a pool is worth starting."""

from __future__ import annotations

import copy
import pickle

import numpy as np

from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.pipeline import Pipeline

TEXT = "Zürich council meets.\nShare this article\nThe budget passed on Monday.\n"


def full_document() -> Document:
    doc = Document(id="a/1.txt", source=TEXT, path="a/1.txt", url="https://e.org/1", lang="de")
    share = TEXT.index("Share")
    doc.remove(Removal("share", share, share + 19, "Share this article\n"))
    doc.remove(Removal("paragraph_dedup", 0, 22, TEXT[:22], dup_of="b#0", similarity=0.75))
    doc.fixes.append("nfc")
    doc.flags.append("collateral")
    doc.quality = {"chars": 29, "words": 5, "lang_share": 0.5}
    doc.meta = {"source": "feed", "ß": "ç"}
    doc.scratch["dedup"] = {"sig": np.arange(6, dtype=np.uint32).reshape(2, 3), "n": 2}
    return doc


def test_a_document_survives_pickling_and_copying() -> None:
    doc = full_document()
    for copied in (pickle.loads(pickle.dumps(doc)), copy.deepcopy(doc)):
        assert copied == doc
        assert copied.text == doc.text == "The budget passed on Monday.\n"
        assert all(type(r) is Removal for r in copied.removed)
        assert copied.removed[1].dup_of == "b#0" and copied.removed[1].similarity == 0.75
        assert copied.scratch["dedup"]["n"] == 2
        assert np.array_equal(copied.scratch["dedup"]["sig"], doc.scratch["dedup"]["sig"])
    removal = Removal("share", 1, 2, "x", None, None)
    assert pickle.loads(pickle.dumps(removal)) == removal


def test_a_pickled_document_is_independent_of_the_original() -> None:
    doc = full_document()
    copied = pickle.loads(pickle.dumps(doc))
    copied.removed.clear()
    copied.meta["new"] = "1"
    assert len(doc.removed) == 2 and "new" not in doc.meta


def docs(count: int) -> list[Document]:
    return [
        Document(id=f"d{n}", source=f"Line {n} of the report.\n{TEXT}", original_chars=80)
        for n in range(count)
    ]


def test_one_batch_runs_in_process_with_any_number_of_workers() -> None:
    local = Pipeline(Options(workers=1, batch_size=8))
    want = [d.row() for d in local.run(docs(8))]
    pooled = Pipeline(Options(workers=2, batch_size=8))
    got = [d.row() for d in pooled.run(docs(8))]
    assert got == want
    assert pooled._local is not None, "one batch: no pool is started"


def test_two_batches_go_to_the_pool_and_give_the_same_rows() -> None:
    local = Pipeline(Options(workers=1, batch_size=4))
    want = [d.row() for d in local.run(docs(7))]
    pooled = Pipeline(Options(workers=2, batch_size=4))
    got = [d.row() for d in pooled.run(docs(7))]
    assert got == want
    assert pooled._local is None, "more than one batch: the workers clean it"
