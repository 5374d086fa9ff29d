"""The quality stage: languages of the seeds, signals, the Gopher preset at its thresholds in six
languages, config overrides, and the repairs that keep good non-English documents."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.quality import Quality, quality_signals
from cleaner.quality.langid import identifier
from cleaner.quality.presets import GOPHER, load_presets
from cleaner.quality.signals import Words, check_words, compute_signals
from cleaner.schema import QUALITY_FIELDS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED_LANGS = {"000": "en", "001": "en", "002": "en", "003": "it", "004": "en"}


def seed(prefix: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stages() -> dict[str, Quality]:
    return {name: Quality(Options(quality=name)) for name in ("off", "gopher", "c4", "fineweb")}


# -- seeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(SEED_LANGS))
def test_seed_language_and_no_preset_drops_it(prefix: str, stages: dict[str, Quality]) -> None:
    for name, stage in stages.items():
        doc = stage(Document(id=f"seeds/{prefix}", source=seed(prefix)))
        assert doc.lang == SEED_LANGS[prefix]
        assert doc.lang_score is not None and doc.lang_score > 0.9
        assert not doc.dropped, (name, doc.drop_reason)
        assert doc.quality is not None
        assert list(doc.quality) == [name for name, _ in QUALITY_FIELDS]


def test_french_summary_shows_in_main_language_share(stages: dict[str, Quality]) -> None:
    doc = stages["off"](Document(id="seeds/000", source=seed("000")))
    assert doc.quality is not None
    assert 0.7 < doc.quality["lang_share"] < 0.95
    other = stages["off"](Document(id="seeds/001", source=seed("001")))
    assert other.quality is not None and other.quality["lang_share"] == 1.0


def test_seeds_through_the_pipeline() -> None:
    pipeline = pytest.importorskip("cleaner.pipeline")
    if not hasattr(pipeline, "clean_text"):
        pytest.skip("cleaner.pipeline.clean_text is not there yet")
    for prefix, lang in SEED_LANGS.items():
        for preset in ("gopher", "c4", "fineweb"):
            doc = pipeline.clean_text(seed(prefix), options=Options(quality=preset))
            assert doc.lang == lang
            assert not doc.dropped, (prefix, preset, doc.drop_reason)


def test_vectorised_features_equal_py3langid() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

    ident = identifier()
    model = LanguageIdentifier.from_model_file(MODEL_FILE)
    for path in [*SEEDS, ROOT / "tests" / "test_quality.py"]:
        data = path.read_bytes()
        ref = visit_counts(model.tk_nextmove, model._rowbase, model.tk_output, data)
        feats, counts = np.unique(ident.features(data), return_counts=True)
        assert dict(zip(feats.tolist(), counts.tolist(), strict=True)) == dict(ref)


def test_kept_tables_are_the_built_ones(tmp_path: Path) -> None:
    from cleaner.quality.langid import LanguageIdentifier

    built = LanguageIdentifier(tmp_path)  # builds from the model and keeps the tables
    (entry,) = [p for p in tmp_path.iterdir() if p.name.startswith("langid-")]
    read = LanguageIdentifier(tmp_path)
    (entry / "next_out.npy").write_bytes((entry / "next_out.npy").read_bytes()[:1000])
    rebuilt = LanguageIdentifier(tmp_path)  # a damaged entry is not used
    for other in (read, rebuilt):
        assert other.labels == built.labels and other._start_row == built._start_row
        for name in ("_next_row", "_next_out", "_pair_row", "_ptc", "_pc"):
            a, b = getattr(built, name), getattr(other, name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name
    text = "Questo è un articolo scritto in italiano, con frasi complete e chiare."
    assert read.classify(text) == built.classify(text) == identifier().classify(text)


# -- signals ----------------------------------------------------------------------------------


def test_script_aware_words() -> None:
    assert Words("東京タワーは高い。").count == 6  # 東 京 タワー は 高 い
    assert Words("ภาษาไทย").count == 7  # ภ า ษ า ไ ท ย: one unit per letter
    assert Words("ที่นี่").count == 2  # vowel and tone marks stay with their letter
    assert Words("भारत की राजधानी").count == 3  # combining vowel signs stay inside words
    assert Words("l'intelligenza artificiale").count == 3


def test_removed_shares() -> None:
    doc = Document(id="a", source="Share this\nBody text here.\nBody text here.\n")
    doc.remove(Removal("share_bar", 0, 11, "Share this\n"))
    doc.remove(Removal("dedup_exact", 27, 43, "Body text here.\n"))
    q = quality_signals(doc)
    assert q["removed_rules_share"] == pytest.approx(11 / 43)
    assert q["removed_dedup_share"] == pytest.approx(16 / 43)
    assert q["removed_share"] == pytest.approx(27 / 43)
    assert q["dup_lines"] == 0.0  # the repeat was removed before quality looked


# -- repairing before rejecting ---------------------------------------------------------------


def test_italian_article_is_not_rejected_for_lacking_english_stop_words(
    stages: dict[str, Quality],
) -> None:
    text = seed("003")
    english = compute_signals(text, "en")
    assert english["stop_words"] < 2  # what an English-only Gopher check sees
    doc = stages["gopher"](Document(id="seeds/003", source=text))
    assert doc.lang == "it" and doc.quality is not None
    assert doc.quality["stop_words"] >= 2
    assert not doc.dropped


def test_title_removed_by_rules_does_not_count_as_duplicate(stages: dict[str, Quality]) -> None:
    text = seed("003")
    first = text.split("\n")[0] + "\n"
    doc = Document(id="seeds/003", source=text)
    assert stages["off"](Document(id="raw", source=text)).quality["dup_lines"] > 0  # type: ignore[index]
    second = text.index(first, 1)
    doc.remove(Removal("repeated_title", second, second + len(first), first))
    assert stages["off"](doc).quality["dup_lines"] == 0.0  # type: ignore[index]


def test_terminal_punctuation_of_other_scripts() -> None:
    text = "这是一个句子。\n这是另一个句子！\n标题\n"
    assert compute_signals(text, "zh")["terminal_punct_lines"] == pytest.approx(2 / 3)


# -- Gopher at its thresholds -----------------------------------------------------------------

LETTERS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "it": "abcdefghilmnopqrstuvz",
    "fr": "abcdefghijklmnopqrstuvwxyzéèà",
    "de": "abcdefghijklmnopqrstuvwxyzäöüß",
    "es": "abcdefghijklmnopqrstuvwxyzñáé",
    "ru": "абвгдежзийклмнопрстуфхцчшщыэюя",
}


class Maker:
    """Builds documents of made-up words whose signals sit exactly where a test wants them.

    Words are random and distinct, so nothing repeats unless a case asks for it; the first two
    words are the language's stop words, so the stop-word check passes unless a case removes them.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rng = random.Random(lang)
        self.seen: set[str] = set(check_words(lang))

    def word(self, length: int) -> str:
        while True:
            if self.lang == "ja":
                w = "".join(chr(0x30A1 + self.rng.randrange(80)) for _ in range(length))
            else:
                w = "".join(self.rng.choice(LETTERS[self.lang]) for _ in range(length))
            if w not in self.seen:
                self.seen.add(w)
                return w

    def han(self) -> str:
        # 20,000 characters: random ones rarely repeat a 2-gram, but they need not be distinct.
        return chr(0x4E00 + self.rng.randrange(20000))

    def words(self, n: int, length: int = 5, stop: int = 2) -> list[str]:
        """``n`` words: ``stop`` check words, then made-up ones of ``length`` letters."""
        head = list(check_words(self.lang)[:stop])
        if self.lang == "ja" and length == 1:
            return head + [self.han() for _ in range(n - len(head))]
        return head + [self.word(length) for _ in range(n - len(head))]


def join_ja(words: list[str]) -> str:
    return " ".join(words)


def gopher_reason(text: str, lang: str) -> str | None:
    stage = Quality(Options(quality="gopher"))
    doc = stage(Document(id="t", source=text, lang=lang))
    assert doc.dropped == (doc.drop_reason is not None)
    return doc.drop_reason


OTHER_LANGS = ["it", "fr", "de", "es", "ru", "ja"]


def word_cases(lang: str) -> list[tuple[str, str, str]]:
    """(check, text just inside, text just outside) for the checks that depend on words."""
    m = Maker(lang)
    unit = 1 if lang == "ja" else 5
    least = int(load_presets()["gopher"].threshold("min_words", lang) or 0)
    most = int(load_presets()["gopher"].threshold("max_words", lang) or 0)
    stop_len = sum(len(w) for w in check_words(lang)[:2])
    cases = [
        ("words", " ".join(m.words(least, unit)), " ".join(m.words(least - 1, unit))),
        ("words", " ".join(m.words(most, unit)), " ".join(m.words(most + 1, unit))),
    ]
    if lang == "ja":
        # mean word length at most 3 (Katakana runs are words): 98 runs + 2 particles
        total = 300 - stop_len
        inside = m.words(2, 1) + [m.word(3) for _ in range(98 - (total - 294))]
        inside += [m.word(4) for _ in range(total - 294)]
        outside = [*inside[:-1], m.word(len(inside[-1]) + 1)]
        cases.append(("mean_word_length", join_ja(inside), join_ja(outside)))
    else:
        for mean in (3, 10):
            total = mean * 100 - stop_len  # characters of the 98 made-up words
            base, extra = divmod(total, 98)
            made = [m.word(base + 1) for _ in range(extra)] + [
                m.word(base) for _ in range(98 - extra)
            ]
            inside = list(check_words(lang)[:2]) + made
            if mean == 3:
                outside = [*inside[:-1], m.word(len(inside[-1]) - 1)]
            else:
                outside = [*inside[:-1], m.word(len(inside[-1]) + 1)]
            cases.append(("mean_word_length", " ".join(inside), " ".join(outside)))
    words = m.words(100, unit)
    cases.append(
        (
            "symbol_ratio",
            " ".join(words) + " #" * 10,
            " ".join(words) + " #" * 11,
        )
    )
    numbers = [str(1000 + i) for i in range(21)]
    base = m.words(100 - 20, unit)
    cases.append(
        (
            "non_alpha_words",
            " ".join(base + numbers[:20]),
            " ".join(base[:-1] + numbers[:21]),
        )
    )
    no_stop = m.words(100, unit, stop=0)
    cases.append(
        (
            "stop_words",
            " ".join(list(check_words(lang)[:2]) + no_stop[2:]),
            " ".join(list(check_words(lang)[:1]) + no_stop[1:]),
        )
    )
    return cases


def line_cases(lang: str) -> list[tuple[str, str, str]]:
    """(check, inside, outside) for the line checks: ten lines of ten words each."""
    m = Maker(lang)
    unit = 1 if lang == "ja" else 5

    def lines(k: int, marker: str, at_end: bool) -> str:
        out = []
        for i in range(10):
            line = " ".join(m.words(10, unit, stop=2 if i == 0 else 0))
            if i < k:
                line = line + marker if at_end else marker + line
            out.append(line)
        return "\n".join(out)

    def dup_lines(copies: int) -> str:
        short = " ".join(m.words(3, unit, stop=0))
        long_lines = [" ".join(m.words(20, unit, stop=2 if i == 0 else 0)) for i in range(6)]
        return "\n".join([short] * copies + long_lines)

    return [
        ("bullet_lines", lines(9, "• ", False), lines(10, "• ", False)),
        ("ellipsis_lines", lines(3, "…", True), lines(4, "…", True)),
        ("dup_lines", dup_lines(4), dup_lines(5)),
    ]


@pytest.mark.parametrize("lang", ["en", *OTHER_LANGS])
def test_gopher_keeps_just_inside_and_drops_just_outside(lang: str) -> None:
    for signal, inside, outside in word_cases(lang) + line_cases(lang):
        assert gopher_reason(inside, lang) is None, (lang, signal)
        reason = gopher_reason(outside, lang)
        assert reason is not None and reason.startswith(f"gopher:{signal} "), (lang, signal, reason)


def test_gopher_uses_the_published_thresholds_in_english() -> None:
    published = {
        "words": (50, 100_000),
        "mean_word_length": (3, 10),
        "symbol_ratio": 0.1,
        "bullet_lines": 0.9,
        "ellipsis_lines": 0.3,
        "non_alpha_words": 0.2,
        "stop_words": 2,
        "dup_lines": 0.3,
        "dup_paragraphs": 0.3,
        "dup_line_chars": 0.2,
        "dup_paragraph_chars": 0.2,
        "top_2gram": 0.2,
        "top_3gram": 0.18,
        "top_4gram": 0.16,
        "dup_5gram": 0.15,
        "dup_6gram": 0.14,
        "dup_7gram": 0.13,
        "dup_8gram": 0.12,
        "dup_9gram": 0.11,
        "dup_10gram": 0.10,
    }
    preset = load_presets()["gopher"]
    got: dict[str, object] = {}
    for check in GOPHER:
        value = preset.threshold(check.key, "en")
        got[check.signal] = (got[check.signal], value) if check.signal in got else value
    assert got == published


# Every ratio check of Gopher, just inside and just outside, on the decision itself (the
# repetition shares are hard to reach one at a time with whole documents, because a repeated
# line also repeats its n-grams); the document-level cases above cover the rest.
@pytest.mark.parametrize("lang", ["en", *OTHER_LANGS])
@pytest.mark.parametrize("check", [c for c in GOPHER if c.op == ">" and c.key != "max_words"])
def test_gopher_ratio_checks_at_the_threshold(lang: str, check: object) -> None:
    preset = load_presets()["gopher"]
    key, signal = check.key, check.signal  # type: ignore[attr-defined]
    limit = preset.threshold(key, lang)
    assert limit is not None
    good = {"words": 500, "mean_word_length": 2.5 if lang == "ja" else 5.0, "stop_words": 40}
    assert preset.decide({**good, signal: limit}, lang) is None
    reason = preset.decide({**good, signal: limit * 1.01 + 1e-9}, lang)
    assert reason is not None and reason.startswith(f"gopher:{signal} ")


def test_repetition_documents_at_the_threshold() -> None:
    # top 2-gram: one 2-gram of two 5-letter words, 10 times, carries exactly 20% of 500 word
    # characters; each copy is followed by a different word so that no 3-gram repeats.
    m = Maker("en")
    stop = list(check_words("en")[:2])  # "the be": 5 characters
    pair = m.words(2, stop=0)
    copies = [w for _ in range(10) for w in [*pair, m.word(5)]]  # 150 characters

    def text(filler: int) -> str:
        return " ".join(stop + m.words(filler, stop=0) + copies)

    inside, outside = text(69), text(68)  # 5 + 345 + 150 = 500, then 495 characters
    assert compute_signals(inside, "en")["top_2gram"] == pytest.approx(0.2)
    assert gopher_reason(inside, "en") is None
    assert compute_signals(outside, "en")["top_2gram"] == pytest.approx(100 / 495)
    assert (gopher_reason(outside, "en") or "").startswith("gopher:top_2gram ")


# -- config -----------------------------------------------------------------------------------


def test_config_overrides_per_preset_and_language(tmp_path: Path) -> None:
    config = tmp_path / "quality.toml"
    config.write_text("[gopher]\nmin_words = 5\n[gopher.ja]\nmin_words = 500\n", encoding="utf-8")
    stage = Quality(Options(quality="gopher", quality_config=str(config)))
    short = "The cat and the dog sat on the mat together."
    assert not stage(Document(id="en", source=short)).dropped
    ja = stage(Document(id="ja", source="これは日本語の文章です。" * 20, lang="ja"))
    assert ja.drop_reason == "gopher:words 220 < 500"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[gopher]\nmin_wrds = 5\n", "unknown key 'min_wrds'"),
        ("[gophr]\nmin_words = 5\n", "unknown preset [gophr]"),
        ("[gopher]\nmin_words = 'x'\n", "must be a number"),
        ("[gopher.Japanese]\nmin_words = 5\n", "is not a language code"),
    ],
)
def test_config_errors_are_clear(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "quality.toml"
    config.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        Quality(Options(quality="gopher", quality_config=str(config)))


def test_a_check_can_be_turned_off(tmp_path: Path) -> None:
    config = tmp_path / "quality.toml"
    config.write_text("[gopher]\nmin_words = false\n", encoding="utf-8")
    stage = Quality(Options(quality="gopher", quality_config=str(config)))
    assert stage(Document(id="a", source="The cat and the dog.")).drop_reason is None


# -- other presets and options ----------------------------------------------------------------


def test_c4_and_fineweb_document_checks(stages: dict[str, Quality]) -> None:
    c4 = stages["c4"]
    assert c4(Document(id="a", source="One. Two.\n")).drop_reason == "c4:sentences 2 < 3"
    lorem = seed("001") + "\nLorem ipsum dolor sit amet.\n"
    assert c4(Document(id="b", source=lorem)).drop_reason == "c4:lorem_ipsum 1 > 0"
    menu = "\n".join(["Home", "News", "Sport", "Contact us", "About"] * 2) + "\nA sentence."
    fw = stages["fineweb"](Document(id="c", source=menu))
    assert fw.drop_reason == "fineweb:terminal_punct_lines 0.09091 <= 0.12"


def test_signals_off_keeps_language_and_leaves_quality_null() -> None:
    doc = Quality(Options(signals=False))(Document(id="a", source=seed("003")))
    assert doc.lang == "it" and doc.quality is None


def test_documents_with_errors_are_left_alone(stages: dict[str, Quality]) -> None:
    doc = stages["gopher"](Document(id="a", source="", error="cannot read"))
    assert doc.quality is None and doc.lang is None and not doc.dropped


def test_empty_text_is_dropped_not_lost(stages: dict[str, Quality]) -> None:
    doc = stages["gopher"](Document(id="a", source=""))
    assert doc.dropped and doc.drop_reason == "gopher:words 0 < 50"
    assert json.dumps(doc.quality)  # every value is plain data
