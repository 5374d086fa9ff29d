"""Pages per CPU second of ``clean`` on HTML pages against trafilatura's ``extract`` alone.

For each folder of pages (``make_html.py``: ``generated/`` and ``real/``), in one invocation:

- ``trafilatura.extract`` alone, in a fresh process (this file with ``--baseline``), with the
  settings ``cleaner/extract.py`` uses (comments off, tables on, links and images off, metadata on,
  fallback extractors on: not ``fast``), plain-text output; pages per CPU second of the
  extraction loop (``extract_pages_per_s``), and of the whole process including the import and
  the file reading (``process_pages_per_s``);
- ``clean FOLDER -o OUT.parquet -j 1 -q``: every stage on (extraction, repair, rules, paragraph
  dedup, quality signals, Parquet); pages per CPU second of the whole process tree;
- the ratio ``clean / extract alone`` three ways: whole process against whole process, whole
  process against the extraction loop only (the stricter one), and the marginal cost per page
  (``clean`` on all pages minus ``clean`` on the first page alone: its fixed start-up cost)
  against the extraction loop.

    python benchmarks/throughput/html_bench.py benchmarks/throughput/data/html [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SETTINGS: dict[str, Any] = {
    "fast": False,
    "include_comments": False,
    "include_tables": True,
    "include_links": False,
    "include_images": False,
    "with_metadata": True,
    "output_format": "txt",
}


def baseline(folder: str) -> dict[str, Any]:
    """``trafilatura.extract`` over every page of ``folder``, in this process."""
    start = time.process_time()
    import trafilatura

    pages = sorted(Path(folder).glob("*.html"))
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in pages]
    loop = time.process_time()
    extracted = sum(1 for text in texts if trafilatura.extract(text, **SETTINGS))
    end = time.process_time()
    return {
        "pages": len(pages),
        "extracted": extracted,
        "extract_cpu_s": round(end - loop, 3),
        "process_cpu_s": round(end - start, 3),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("folder", help="make_html.py output, or one folder of pages with --baseline")
    ap.add_argument("--baseline", action="store_true", help="(internal) the extract-alone run")
    ap.add_argument("--sets", nargs="+", default=["generated", "real"])
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    if args.baseline:
        print(json.dumps(baseline(args.folder)))
        return
    import subprocess
    import tempfile

    from run import CLEAN, measure

    results: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="boilerclean-html-"))
    for name in args.sets:
        folder = str(Path(args.folder) / name)
        with tempfile.TemporaryFile("w+") as out:
            base = measure([sys.executable, __file__, folder, "--baseline"], stdout=out)
            out.seek(0)
            inside = json.loads(out.read())
        pages = inside["pages"]
        output = work / f"{name}.parquet"
        cleaned = measure([CLEAN, folder, "-o", str(output), "-j", "1", "-q"])
        rows = subprocess.run(
            [CLEAN, "--show", str(output), "--limit", "0"], capture_output=True, text=True
        ).stdout.split(":")[-1]
        r = {
            "pages": pages,
            "extract_alone": {
                **inside,
                "extract_pages_per_s": round(pages / inside["extract_cpu_s"], 2),
                "process_pages_per_s": round(pages / base["cpu_s"], 2),
                "peak_rss_mb": base["peak_tree_rss_mb"],
            },
            "clean_j1": {
                **cleaned,
                "pages_per_s": round(pages / cleaned["cpu_s"], 2),
                "rows": rows.strip(),
            },
        }
        # The fixed cost of a clean process (imports, models, rule tables) on one page, so that
        # the per-page cost on many pages can be told apart from it.
        one = work / f"{name}-one"
        one.mkdir()
        first = sorted(Path(folder).glob("*.html"))[0]
        (one / first.name).write_bytes(first.read_bytes())
        single = measure([CLEAN, str(one), "-o", str(work / "one.parquet"), "-j", "1", "-q"])
        marginal = cleaned["cpu_s"] - single["cpu_s"]
        r["clean_j1"]["one_page_cpu_s"] = single["cpu_s"]
        r["clean_j1"]["marginal_pages_per_s"] = round((pages - 1) / marginal, 2)
        r["ratio_marginal_vs_extract_loop"] = round(inside["extract_cpu_s"] / marginal, 3)
        r["ratio_vs_process"] = round(base["cpu_s"] / cleaned["cpu_s"], 3)
        r["ratio_vs_extract_loop"] = round(inside["extract_cpu_s"] / cleaned["cpu_s"], 3)
        results[name] = r
        print(name, json.dumps(r), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
