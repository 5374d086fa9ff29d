"""The ``clean`` command: ``clean INPUT... -o OUTPUT [options]``.

The main job takes inputs and an output; everything else is a flag (``--list-rules``,
``--explain FILE``), so a folder named like a subcommand is never misread. The exit code is non-zero
only when the run itself failed (bad arguments, an output that cannot be written, a crash): a bad
input document is an error row in the output, counted in the summary, and the run goes on.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cleaner import __version__
from cleaner.config import Options

if TYPE_CHECKING:
    from cleaner.document import Document

EPILOG = """\
examples:
  clean seeds -o out.parquet                 clean a folder into one Parquet file
  clean crawl/ -o out/ --shard-size 100000   part files of 100k rows in out/
  clean a.html b.txt -o out.jsonl --format jsonl
  clean --explain seeds/003_46ce2d79ce502dac.txt   show what the rules remove, and why
  clean --list-rules                          every rule with its families and languages
  clean --show out.parquet                    the first rows of an output
  clean --check-rules my_rules/               test your rules against the rule contract
  clean seeds -o out.parquet --report report.html   and an HTML report of what was removed
  clean --report-from out.parquet --report report.html

Every option can also be set in a TOML file given with --config (keys as the long flag names,
in a [tool.boilerclean] table or at the top level). Docs: docs/index.md.
"""


def build_parser() -> argparse.ArgumentParser:
    d = Options()
    p = argparse.ArgumentParser(
        prog="clean",
        description=(
            "Turn scraped web and news text into clean training data: strip boilerplate with\n"
            "rule modules, repair broken encodings, remove duplicate paragraphs across the\n"
            "corpus, and write one Parquet row per document with every removal explained."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders to clean")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUTPUT",
        help="output file, or a directory for part files (ends with / or exists)",
    )
    p.add_argument("--config", metavar="FILE", help="TOML file of options")
    p.add_argument("--version", action="version", version=f"boilerclean {__version__}")

    act = p.add_argument_group("other actions (instead of a run)")
    act.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    act.add_argument(
        "--explain", metavar="FILE", help="print FILE with each removal marked by its rule"
    )
    act.add_argument(
        "--check-rules",
        metavar="PATH",
        help="run the rule contract on the rules in PATH (a folder or .py file) and exit",
    )
    act.add_argument(
        "--show", metavar="OUTPUT", help="print the first rows of a finished output and exit"
    )
    act.add_argument("--limit", type=int, default=5, metavar="N", help="rows for --show (5)")
    act.add_argument(
        "--report-from",
        metavar="OUTPUT",
        help="write the --report of an existing output (no run) and exit",
    )

    rd = p.add_argument_group("reading")
    rd.add_argument("--include", action="append", metavar="GLOB", help="only files matching GLOB")
    rd.add_argument("--exclude", action="append", metavar="GLOB", help="skip files matching GLOB")
    rd.add_argument(
        "--text-field",
        metavar="NAME",
        help=f"text field of JSONL records / Parquet rows (default {d.text_field})",
    )
    rd.add_argument(
        "--max-doc-bytes",
        type=int,
        metavar="N",
        help=f"larger documents become error rows (default {d.max_doc_bytes})",
    )
    rd.add_argument("--html-fast", action="store_true", default=None, help="trafilatura fast mode")

    st = p.add_argument_group("stages")
    st.add_argument(
        "--no-repair", dest="repair", action="store_false", default=None, help="skip ftfy repair"
    )
    st.add_argument(
        "--no-rules", dest="rules", action="store_false", default=None, help="skip every rule"
    )
    st.add_argument("--select", action="append", metavar="RULE|TAG", help="only these rules")
    st.add_argument("--ignore", action="append", metavar="RULE|TAG", help="not these rules")
    st.add_argument(
        "--rules-path", action="append", metavar="DIR", help="also load rules from DIR/*.py"
    )
    st.add_argument(
        "--collateral-budget",
        type=float,
        metavar="SHARE",
        help=(
            "flag documents whose rules removed more than SHARE of the words "
            f"(default {d.collateral_budget})"
        ),
    )
    st.add_argument(
        "--paragraphs",
        choices=["lines", "blocks"],
        help="a paragraph is a non-empty line (default) or a blank-line-separated block",
    )
    st.add_argument(
        "--dedup",
        choices=["paragraph", "document", "both", "off"],
        help=f"duplicate removal scope (default {d.dedup})",
    )
    st.add_argument("--dedup-threshold", type=float, metavar="J", help="near-duplicate Jaccard")
    st.add_argument("--dedup-num-perm", type=int, metavar="N", help="MinHash permutations")
    st.add_argument("--dedup-ngram", type=int, metavar="N", help="shingle size in words")
    st.add_argument(
        "--dedup-min-chars", type=int, metavar="N", help="shorter paragraphs are not deduplicated"
    )
    st.add_argument("--dedup-keep", choices=["first", "longest"], help="which copy stays")
    st.add_argument("--index", metavar="PATH", help="dedup index to load and save (incremental)")
    st.add_argument("--seed", type=int, metavar="N", help="MinHash permutation seed (default 1)")
    st.add_argument(
        "--quality",
        choices=["off", "gopher", "c4", "fineweb"],
        help="quality filter preset (default off; signals are always computed)",
    )
    st.add_argument("--quality-config", metavar="FILE", help="TOML overriding preset thresholds")

    out = p.add_argument_group("output")
    out.add_argument("--format", choices=["parquet", "jsonl"], help="output format")
    out.add_argument("--shard-size", type=int, metavar="N", help="rows per part file")
    out.add_argument("--row-group-size", type=int, metavar="N", help="Parquet rows per row group")
    out.add_argument(
        "--rejected", metavar="PATH", help="write dropped documents here instead of the output"
    )
    out.add_argument(
        "--report",
        metavar="FILE",
        help="also write a self-contained HTML report of the run (needs the report extra)",
    )

    ex = p.add_argument_group("execution")
    ex.add_argument(
        "-j", "--workers", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    ex.add_argument("--batch-size", type=int, metavar="N", help="documents per worker task")
    ex.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="run on this machine's cores (default) or on a Ray cluster (needs the ray extra)",
    )
    ex.add_argument(
        "--address", metavar="ADDR", help="Ray cluster address (default: start a local one)"
    )
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    return p


def options_from_args(args: argparse.Namespace) -> Options:
    """Options from the config file (if any), overridden by the flags given."""
    options = Options.from_file(args.config) if args.config else Options()
    names = set(options.as_dict())
    given = {k: v for k, v in vars(args).items() if k in names and v is not None}
    return options.replace(**given)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="clean: %(message)s")
    try:
        options = options_from_args(args)
    except (OSError, ValueError, TypeError) as exc:
        parser.error(str(exc))
    if args.list_rules:
        from cleaner.registry import describe

        print(describe(options))
        return 0
    if args.explain:
        return _explain(args.explain, options)
    if args.show:
        return _show(args.show, args.limit)
    if args.check_rules:
        from cleaner.testing.check import check_rules

        return check_rules(args.check_rules)
    if args.report_from:
        if not args.report:
            parser.error("--report-from OUTPUT needs --report FILE: where to write the report")
        return _report(args.report_from, args.report, None)
    if not args.inputs or not args.output:
        parser.error("give INPUT... and -o OUTPUT (see the examples below with --help)")
    missing = [i for i in args.inputs if not os.path.exists(i)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.engine == "ray":
            from cleaner.engines.ray import run_ray

            summary = run_ray(args.inputs, args.output, options, address=args.address)
        else:
            summary = run(args.inputs, args.output, options, progress=not args.quiet)
    except KeyboardInterrupt:
        print("clean: interrupted; no output was written", file=sys.stderr)
        return 130
    if not args.quiet:
        from cleaner.summary import format_summary

        print(format_summary(summary), file=sys.stderr)
    if args.report:
        return _report(args.output, args.report, summary)
    return 0


def _report(output: str, report: str, summary: dict[str, Any] | None) -> int:
    try:
        from cleaner.report import write_report

        path = write_report(output, report, summary)
    except ImportError as exc:
        print(
            f"clean: the report needs the report extra ({exc}); install it with "
            '`pip install "boilerclean[report]"`.',
            file=sys.stderr,
        )
        return 1
    except (OSError, ValueError) as exc:
        print(f"clean: could not write the report: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}", file=sys.stderr)
    return 0


def run(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    options: Options,
    *,
    progress: bool = False,
) -> dict[str, Any]:
    """Clean ``inputs`` into ``output``; return the run summary (also stored in the output)."""
    from cleaner.pipeline import Pipeline
    from cleaner.readers import ReadStats, iter_documents
    from cleaner.writer import write_run

    start_cpu = time.process_time()
    stats = ReadStats()
    pipeline = Pipeline(options)
    bar = _progress_bar(progress)
    docs = pipeline.run(iter_documents(inputs, options, stats))

    def finish(result: dict[str, Any]) -> None:
        pipeline.close()
        result.update(pipeline.summary())
        result["read"] = stats.as_dict()
        result["cpu_seconds_main"] = round(time.process_time() - start_cpu, 3)

    try:
        return write_run(_ticking(docs, bar), output, options, finish)
    finally:
        if bar is not None:
            bar.close()


def _explain(path: str, options: Options) -> int:
    from cleaner.explain import explain
    from cleaner.pipeline import clean_documents
    from cleaner.readers import iter_documents

    if not os.path.exists(path):
        print(f"clean: no such file: {path}", file=sys.stderr)
        return 2
    options = options.replace(workers=1)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    for doc in clean_documents(iter_documents([path], options), options):
        print(explain(doc, color=color))
    return 0


def _show(output: str, limit: int) -> int:
    from cleaner.writer import read_table

    if not os.path.exists(output):
        print(f"clean: no such output: {output}", file=sys.stderr)
        return 2
    table = read_table(output)
    print(f"{output}: {table.num_rows} rows")
    for row in table.slice(0, limit).to_pylist():
        rules = sorted({r["rule"] for r in row["removed"]})
        found = "  ".join(f"{k}={row[k]!r}" for k in ("title", "site", "url") if row[k])
        print(f"\n== {row['id']}  lang={row['lang']}  {found}".rstrip())
        if row["error"]:
            print(f"   error: {row['error']}")
            continue
        text = row["text"] or ""
        removed_by = ", ".join(rules) or "nothing"
        print(f"   {row['original_chars']} chars in, {len(text)} out; removed by: {removed_by}")
        excerpt = text[:300].replace("\n", " | ")
        print(f"   {excerpt}{'...' if len(text) > 300 else ''}")
    return 0


def _ticking(docs: Iterator[Document], bar: Any) -> Iterator[Document]:
    for doc in docs:
        if bar is not None:
            bar.update(1)
        yield doc


def _progress_bar(enabled: bool) -> Any:
    if not (enabled and sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    return tqdm(unit=" docs", desc="clean", file=sys.stderr)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
