"""Make the dedup benchmark corpus: real sentences recombined into paragraphs, with planted copies.

Source: the prose paragraphs (``<p>``) of the Python 3.11 documentation as Debian ships it
(``apt-get install python3.11-doc``: HTML under /usr/share/doc/python3.11/html; PSF licence, see
README.md). Sentences are split at ``. ``/``! ``/``? `` before a capital and kept when they have at
least 4 words; duplicates are dropped.

Each base paragraph joins 2 to 6 distinct sentences drawn at random (seeded), so base paragraphs are
real English prose and distinct. Then ``--copies`` (a fraction of the total) planted copies of
random base paragraphs are added: a third exact, two thirds edited by substituting, deleting or
inserting 1-5 % of the words (at least one edit; substitutes and insertions are words of the
corpus); every copy also gets case and punctuation noise with probability 1/2 each (upper-cased
first word or whole line, dropped or added commas and final stops). Paragraphs (base and copies) are
shuffled and cut into documents of 1 to 12 paragraphs, one per line of a JSONL file.

Outputs in ``--out``: ``corpus.jsonl`` (``{"id", "text"}``) and ``truth.jsonl``, one line per
planted copy: the copy's and its original's ``<document id>#<paragraph index>``, ``kind``
(``exact``/``edited``), ``edits``, and ``jaccard``: the exact Jaccard similarity of the two
paragraphs' shingle sets (word 5-grams of the normalised tokens that dedup uses, see
``cleaner.dedup.shingle.tokens``).

    python benchmarks/dedup/make_corpus.py --paragraphs 300000 --out /tmp/boilerclean-dedup-bench
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
from pathlib import Path

SOURCE = "/usr/share/doc/python3.11/html"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentences(source: str = SOURCE) -> list[str]:
    """Distinct sentences of at least 4 words from the documentation's prose paragraphs."""
    import lxml.html

    files = sorted(
        f for f in glob.glob(f"{source}/**/*.html", recursive=True) if "genindex" not in f
    )
    if not files:
        raise SystemExit(
            f"no HTML under {source}: install the source text with "
            "`apt-get install python3.11-doc`."
        )
    seen: dict[str, None] = {}
    for path in files:
        tree = lxml.html.parse(path)
        for p in tree.xpath('//div[@role="main"]//p'):
            text = " ".join(p.text_content().split())
            for s in SENTENCE_END.split(text):
                if len(s.split()) >= 4:
                    seen.setdefault(s, None)
    return list(seen)


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The shingle set dedup hashes: n-grams of normalised tokens (all tokens if fewer than n)."""
    from cleaner.dedup.shingle import tokens

    toks = tokens(text)
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def jaccard(a: str, b: str, n: int = 5) -> float:
    sa, sb = shingles(a, n), shingles(b, n)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


def edit(rnd: random.Random, text: str, vocab: list[str]) -> tuple[str, int]:
    """Substitute, delete or insert 1-5 % of the words (at least one edit)."""
    words = text.split()
    k = max(1, round(len(words) * rnd.uniform(0.01, 0.05)))
    for _ in range(k):
        op = rnd.choice(("sub", "del", "ins"))
        i = rnd.randrange(len(words))
        if op == "sub":
            words[i] = rnd.choice(vocab)
        elif op == "del" and len(words) > 5:
            del words[i]
        else:
            words.insert(i, rnd.choice(vocab))
    return " ".join(words), k


def noise(rnd: random.Random, text: str) -> str:
    """Case and punctuation noise that normalisation should fold."""
    if rnd.random() < 0.5:
        if rnd.random() < 0.3:
            text = text.upper()
        else:
            first, _, rest = text.partition(" ")
            text = f"{first.upper()} {rest}"
    if rnd.random() < 0.5:
        words = text.split()
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(words))
            w = words[i]
            words[i] = w[:-1] if w.endswith((",", ".")) else w + ","
        text = " ".join(words)
        text = text + "." if not text.endswith(".") else text[:-1] + " !"
    return text


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paragraphs", type=int, default=300_000, help="total paragraphs")
    ap.add_argument("--copies", type=float, default=0.2, help="fraction that are planted copies")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="/tmp/boilerclean-dedup-bench")
    ap.add_argument("--source", default=SOURCE)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    pool = sentences(args.source)
    vocab = sorted({w for s in pool[:5000] for w in s.split() if w.isalpha()})
    n_copies = int(args.paragraphs * args.copies)
    n_base = args.paragraphs - n_copies
    base: list[str] = []
    seen: set[str] = set()
    while len(base) < n_base:
        text = " ".join(rnd.sample(pool, rnd.randint(2, 6)))
        if text not in seen:
            seen.add(text)
            base.append(text)
    items: list[tuple[str, int, str, int]] = [(t, i, "base", 0) for i, t in enumerate(base)]
    for _ in range(n_copies):
        orig = rnd.randrange(n_base)
        if rnd.random() < 1 / 3:
            text, kind, edits = base[orig], "exact", 0
        else:
            (text, edits), kind = edit(rnd, base[orig], vocab), "edited"
        items.append((noise(rnd, text), orig, kind, edits))
    rnd.shuffle(items)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    where: dict[int, str] = {}  # base paragraph -> its name
    copies: list[tuple[str, int, str, int, str]] = []
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as corpus:
        pos = 0
        line = 0
        while pos < len(items):
            line += 1
            doc_id = f"corpus.jsonl:{line}"
            chunk = items[pos : pos + rnd.randint(1, 12)]
            pos += len(chunk)
            for k, (text, orig, kind, edits) in enumerate(chunk):
                name = f"{doc_id}#{k}"
                if kind == "base":
                    where[orig] = name
                else:
                    copies.append((name, orig, kind, edits, text))
            corpus.write(json.dumps({"id": doc_id, "text": "\n".join(c[0] for c in chunk)}) + "\n")
    with open(out / "truth.jsonl", "w", encoding="utf-8") as truth:
        for name, orig, kind, edits, text in copies:
            row = {
                "copy": name,
                "original": where[orig],
                "kind": kind,
                "edits": edits,
                "jaccard": round(jaccard(text, base[orig]), 4),
            }
            truth.write(json.dumps(row) + "\n")
    print(
        f"{len(items)} paragraphs ({n_copies} planted copies) from {len(pool)} sentences in {out}"
    )


if __name__ == "__main__":
    main()
