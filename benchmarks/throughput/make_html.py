"""Make the HTML benchmark pages: news-like pages from the corpus pool, and real doc pages.

Two sets, written as ``.html`` files to ``--out``:

- ``generated/``: ``--pages`` article pages built from the same real pool as ``make_corpus.py``
  (its paragraphs, copies and catalog boilerplate, same seed logic) in a realistic template: a
  ``<head>`` with title, meta description, Open Graph tags, a stylesheet and scripts; a header
  with a navigation menu of catalog navigation strings; an ``<article>`` with the title, a byline,
  the paragraphs, a figure with a caption and a share bar; an aside of related links; a comment
  section with 2 to 6 comments and a comment form; a footer with tags, a newsletter prompt, a
  source line and a cookie banner;
- ``real/``: the first ``--real`` pages (sorted paths) of the Python 3.11 documentation as Debian
  ships it (``python3.11-doc``): real Sphinx pages with navigation, sidebars and footers.

    python benchmarks/throughput/make_html.py --out benchmarks/throughput/data/html
"""

from __future__ import annotations

import argparse
import glob
import html
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import LANGS, SOURCE, Generator, Pool, load_pools  # noqa: E402

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<meta name="description" content="{description}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="og:type" content="article">
<link rel="stylesheet" href="/static/site.css">
<style>body{{font-family:sans-serif}} .share a{{margin:0 4px}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head>
<body>
<header class="site-header">
<a class="logo" href="/">{site}</a>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form>
</header>
<main>
<article class="post">
<h1 class="entry-title">{title}</h1>
<p class="byline">{byline}</p>
<div class="entry-content">
{first}
<div class="share">{share}</div>
{middle}
<figure><img src="/img/{n}.jpg" alt=""><figcaption>{caption}</figcaption></figure>
{rest}
</div>
<div class="tags">{tags}</div>
</article>
<aside class="related"><h2>{related_title}</h2><ul>{related}</ul></aside>
<section id="comments" class="comments"><h2>{comments_title}</h2>
{comments}
<form class="comment-form"><label>{form_label}</label><textarea></textarea>
<button>{form_button}</button></form>
</section>
</main>
<footer class="site-footer">
<div class="newsletter">{newsletter}</div>
<p class="source">{source}</p>
<ul class="footer-links">{footer_links}</ul>
</footer>
<div class="cookie-banner">{consent}</div>
<script src="/static/app.js"></script>
</body>
</html>
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def items(lines: list[str], link: bool = True) -> str:
    if link:
        return "".join(f'<li><a href="/{i}">{esc(t)}</a></li>' for i, t in enumerate(lines))
    return "".join(f"<li>{esc(t)}</li>" for t in lines)


def page(gen: Generator, pool: Pool, n: int) -> str:
    """One article page in ``pool``'s language."""
    rng = gen.rng
    body = [gen.paragraph(pool) for _ in range(rng.randint(3, 12))]
    half = (len(body) + 1) // 2

    def strings(family: str, count: int = 1) -> list[str]:
        out: list[str] = []
        for _ in range(count):
            out += gen.block(pool, family)
        return out or [""]

    comments = "\n".join(
        f'<div class="comment"><p class="comment-meta">{esc(meta)}</p><p>{esc(text)}</p></div>'
        for meta, text in zip(
            strings("comments", 3), [gen.paragraph(pool)[:300] for _ in range(6)], strict=False
        )
    )
    title = rng.choice(pool.titles)
    return PAGE.format(
        lang=pool.lang,
        title=esc(title),
        site=f"news{n % 7}.example.org",
        description=esc(body[0][:150]),
        nav=items(strings("navigation", 3)),
        byline=esc(" ".join(strings("byline"))),
        first=f"<p>{esc(body[0])}</p>",
        share=" ".join(f'<a href="#">{esc(s)}</a>' for s in strings("share", 2)),
        middle="\n".join(f"<p>{esc(p)}</p>" for p in body[1:half]),
        n=n,
        caption=esc(" ".join(strings("captions"))),
        rest="\n".join(f"<p>{esc(p)}</p>" for p in body[half:]),
        tags=" ".join(f'<a rel="tag" href="#">{esc(s)}</a>' for s in strings("tags")),
        related_title=esc(strings("related")[0]),
        related=items([rng.choice(pool.titles) for _ in range(4)]),
        comments_title=esc(strings("comments")[0]),
        comments=comments,
        form_label=esc(strings("comments")[0]),
        form_button=esc(strings("comments")[0]),
        newsletter=esc(" ".join(strings("newsletter"))),
        source=esc(" ".join(strings("source_footer"))),
        footer_links=items(strings("navigation", 2)),
        consent=esc(" ".join(strings("consent"))),
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--out", default=str(HERE / "data/html"))
    ap.add_argument("--pages", type=int, default=1000, help="generated pages")
    ap.add_argument("--real", type=int, default=300, help="real documentation pages")
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--python-doc", default=SOURCE)
    args = ap.parse_args(argv)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    (out / "generated").mkdir(parents=True)
    (out / "real").mkdir(parents=True)
    settings = argparse.Namespace(seed=args.seed, copies=0.3, mojibake=0.0, english=0.5)
    gen = Generator(load_pools(args.python_doc), settings)
    for n in range(args.pages):
        lang = "en" if gen.rng.random() < 0.5 else gen.rng.choice(LANGS)
        text = page(gen, gen.pools[lang], n)
        (out / "generated" / f"page-{n:05d}.html").write_text(text, "utf-8")
    files = sorted(
        f
        for f in glob.glob(f"{args.python_doc}/**/*.html", recursive=True)
        if "genindex" not in f and "/_" not in f
    )
    for n, path in enumerate(files[: args.real]):
        shutil.copyfile(path, out / "real" / f"doc-{n:05d}.html")
    sizes = {s: sum(f.stat().st_size for f in (out / s).iterdir()) for s in ("generated", "real")}
    print(f"{args.pages} generated and {min(args.real, len(files))} real pages in {out}: {sizes}")


if __name__ == "__main__":
    main()
