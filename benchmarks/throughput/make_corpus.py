"""Make the throughput benchmark corpus: real prose grown to any size, with a fixed mix of noise.

The pool is real text only:

- English: the prose sentences of the Python 3.11 documentation as Debian ships it (the dedup
  benchmark's pool, ``benchmarks/dedup/make_corpus.py``; ``apt-get install python3.11-doc``), the
  English handbook paragraphs of ``tests/corpus/sources/en.json`` and the seed articles
  (``seeds/*.txt``);
- 14 more languages (de, es, fr, id, it, ja, ko, nl, pl, pt, ru, sv, tr, zh): the Debian handbook /
  GNOME Help paragraphs of ``tests/corpus/sources/<lang>.json``, split into sentences;
- boilerplate: the real strings of ``rules/cleaner_rules/data/catalog/*.tsv`` rendered as pages
  show them (``tools/build_corpus.py``'s ``render``: numbers, names, dates, agencies, titles).

Documents are generated one at a time (memory stays flat at any size), deterministically from
``--seed``. Each document has one language (English with probability ``--english``, else one of
the 14 others evenly), a title line and 1 to 12 paragraphs separated by blank lines. A paragraph
joins 2 to 6 distinct sentences of its language, drawn at random; with probability ``--copies``
(0.30) it is instead a copy of an earlier paragraph of the same language (a bounded reservoir): a
third exact, two thirds edited by ``benchmarks/dedup/make_corpus.py``'s ``edit`` (1-5 % of the
words) and every copy gets that file's case and punctuation ``noise``. Half the documents get
boilerplate blocks where sites put them (header, after the first paragraph, the middle, a trailer
of 1 to 3 families). Three per cent of the documents are mojibake: the whole text encoded as UTF-8
and decoded as ftfy's ``sloppy-windows-1252`` (an ASCII-only document cannot show mojibake, so
the draw moves on to the next document with a non-ASCII character).

Output in ``--out``: ``corpus-NNNNN.jsonl`` shards of about ``--shard-mb`` MB (``{"id", "text"}``
per line) and ``manifest.json`` (the counts of every kind, bytes per language, the arguments).
Sizes are UTF-8 bytes of the ``text`` fields, MB = 10^6 bytes.

    python benchmarks/throughput/make_corpus.py --mb 100 --out benchmarks/throughput/data/corpus
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_corpus  # noqa: E402


def _dedup_generator() -> Any:
    """``benchmarks/dedup/make_corpus.py`` (same file name as this one: loaded by path)."""
    spec = importlib.util.spec_from_file_location(
        "dedup_make_corpus", ROOT / "benchmarks/dedup/make_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_dedup = _dedup_generator()
SOURCE, edit, noise, sentences = _dedup.SOURCE, _dedup.edit, _dedup.noise, _dedup.sentences

LANGS = ["de", "es", "fr", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr", "zh"]
CJK_END = re.compile(r"(?<=[。！？])")
LATIN_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-ÞА-ЯİŞĞÇÖÜ])")
RESERVOIR = 20_000  # earlier paragraphs per language that copies are drawn from


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one paragraph (on ``。！？`` for Chinese and Japanese, else ``. `` + capital).

    >>> split_sentences("One two three. Four five six.", "en")
    ['One two three.', 'Four five six.']
    """
    pattern = CJK_END if lang in {"ja", "zh"} else LATIN_END
    return [s.strip() for s in pattern.split(text) if s.strip()]


class Pool:
    """Sentences, titles, edit vocabulary and boilerplate catalog of one language."""

    def __init__(self, lang: str, sents: list[str], titles: list[str]):
        self.lang = lang
        self.sentences = sents
        self.titles = titles or [s[:60] for s in sents[:50]]
        self.vocab = sorted({w for s in sents[:5000] for w in s.split() if w.isalpha()})
        catalog = build_corpus.load_catalog(lang)
        self.render_pool = {
            "agencies": [a for a, _, _ in catalog.pop("agencies")],
            "titles": self.titles,
        }
        self.catalog = {family: [t for t, _, _ in rows] for family, rows in catalog.items() if rows}
        self.earlier: list[str] = []


def load_pools(python_doc: str) -> dict[str, Pool]:
    """The sentence pools of every language (English first)."""
    pools: dict[str, Pool] = {}
    for lang in ["en", *LANGS]:
        data = json.loads((ROOT / f"tests/corpus/sources/{lang}.json").read_text("utf-8"))
        sents = [s for p, _ in data["paragraphs"] for s in split_sentences(p, lang)]
        sents += [s for s, _ in data["sentences"]]
        titles = [h for h, _ in data["headings"]]
        if lang == "en":
            sents += sentences(python_doc)
        if lang in {"en", "fr", "it"}:
            sents += seed_sentences(lang)
        pools[lang] = Pool(lang, sorted(set(sents)), titles)
    return pools


def seed_sentences(lang: str) -> list[str]:
    """Sentences of the seed articles' long lines, in the language of each line (by a stop word)."""
    marks = {"en": " the ", "fr": " les ", "it": " della "}
    out = []
    for path in sorted(glob.glob(str(ROOT / "seeds/*.txt"))):
        for line in Path(path).read_text("utf-8").splitlines():
            if len(line) > 200 and marks[lang] in line:
                out += [s for s in split_sentences(line, lang) if len(s.split()) >= 4]
    return out


class Generator:
    """Documents one at a time, with the counts of what was planted."""

    def __init__(self, pools: dict[str, Pool], args: argparse.Namespace):
        self.pools = pools
        self.args = args
        self.rng = random.Random(args.seed)
        self.counts: Counter[str] = Counter()
        self.lang_bytes: Counter[str] = Counter()
        self.mojibake_debt = 0

    def paragraph(self, pool: Pool) -> str:
        rng = self.rng
        if pool.earlier and rng.random() < self.args.copies:
            original = rng.choice(pool.earlier)
            if rng.random() < 1 / 3:
                text, kind = original, "exact"
            else:
                text, kind = edit(rng, original, pool.vocab or ["x"])[0], "edited"
            self.counts[f"copies_{kind}"] += 1
            return noise(rng, text)
        text = " ".join(rng.sample(pool.sentences, rng.randint(2, 6)))
        if len(pool.earlier) < RESERVOIR:
            pool.earlier.append(text)
        else:
            pool.earlier[rng.randrange(RESERVOIR)] = text
        self.counts["paragraphs_base"] += 1
        return text

    def block(self, pool: Pool, family: str) -> list[str]:
        rows = pool.catalog.get(family)
        if not rows:
            return []
        low, high = build_corpus.BLOCK_SIZE.get(family, (1, 2))
        picks = self.rng.sample(rows, min(len(rows), self.rng.randint(low, high)))
        self.counts["boilerplate_lines"] += len(picks)
        return [build_corpus.render(t, family, self.rng, pool.render_pool) for t in picks]

    def document(self) -> str:
        rng = self.rng
        lang = "en" if rng.random() < self.args.english else rng.choice(LANGS)
        pool = self.pools[lang]
        body = [self.paragraph(pool) for _ in range(rng.randint(1, 12))]
        blocks: list[list[str]] = [[rng.choice(pool.titles)]]
        if rng.random() < 0.5:
            self.counts["docs_with_boilerplate"] += 1
            blocks.append(self.block(pool, rng.choice(build_corpus.HEADER)))
            blocks.append([body[0]])
            blocks.append(self.block(pool, rng.choice(build_corpus.AFTER_FIRST)))
            half = (len(body) + 1) // 2
            blocks += [[p] for p in body[1:half]]
            blocks.append(self.block(pool, rng.choice(build_corpus.MIDDLE)))
            blocks += [[p] for p in body[half:]]
            trailer = rng.sample(build_corpus.TRAILER, rng.randint(1, 3))
            blocks += [self.block(pool, family) for family in trailer]
        else:
            blocks += [[p] for p in body]
        text = "\n\n".join("\n".join(b) for b in blocks if b) + "\n"
        if rng.random() < self.args.mojibake:
            self.mojibake_debt += 1
        if self.mojibake_debt and not text.isascii():
            text = text.encode("utf-8").decode("sloppy-windows-1252")
            self.mojibake_debt -= 1
            self.counts["docs_mojibake"] += 1
        self.counts["docs"] += 1
        self.counts[f"docs_{lang}"] += 1
        self.counts["paragraphs"] += len(body)
        return text


def write(gen: Generator, out: Path, target: int, shard_bytes: int) -> int:
    """Write shards until ``target`` bytes of text; return the bytes written."""
    total = 0
    shard = 0
    handle: TextIO | None = None
    in_shard = 0
    try:
        while total < target:
            if handle is None or in_shard >= shard_bytes:
                if handle is not None:
                    handle.close()
                name = out / f"corpus-{shard:05d}.jsonl"
                handle = open(name, "w", encoding="utf-8")  # noqa: SIM115 - closed below
                shard += 1
                in_shard = 0
            text = gen.document()
            size = len(text.encode("utf-8"))
            record = {"id": f"doc{gen.counts['docs']:08d}", "text": text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            total += size
            in_shard += size
    finally:
        if handle is not None:
            handle.close()
    return total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=100, help="total text size in MB (10^6 bytes)")
    ap.add_argument("--out", default=str(HERE / "data/corpus"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copies", type=float, default=0.30, help="share of paragraphs that copy")
    ap.add_argument("--mojibake", type=float, default=0.03, help="share of documents")
    ap.add_argument("--english", type=float, default=0.5, help="share of English documents")
    ap.add_argument("--shard-mb", type=float, default=16)
    ap.add_argument("--python-doc", default=SOURCE, help="Python HTML docs (python3.11-doc)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("corpus-*.jsonl"):
        old.unlink()
    gen = Generator(load_pools(args.python_doc), args)
    total = write(gen, out, int(args.mb * 1e6), int(args.shard_mb * 1e6))
    manifest: dict[str, Any] = {
        "text_bytes": total,
        "counts": dict(sorted(gen.counts.items())),
        "args": {k: v for k, v in vars(args).items() if k != "out"},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    c = gen.counts
    print(
        f"{total / 1e6:.1f} MB in {c['docs']} documents to {out}: "
        f"{c['copies_exact'] + c['copies_edited']} of {c['paragraphs']} paragraphs copies, "
        f"{c['docs_with_boilerplate']} with boilerplate, {c['docs_mojibake']} mojibake"
    )


if __name__ == "__main__":
    main()
