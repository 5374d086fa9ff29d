"""The HTML run report: ``clean ... --report report.html`` and ``clean --report-from OUTPUT``.

One self-contained HTML file (styles, script, SVG charts and data inline; nothing is fetched when
it opens) that shows what a run did: an overview, every rule and family with samples of what they
removed in context, dedup clusters and the most-copied paragraphs, histograms of the quality
signals with the preset's thresholds, a document view of an embedded sample, and every input that
failed. ``docs/howto/read-the-report.md`` walks through it.

The report is built from the finished output alone (Parquet file, part directory or JSONL), read
in batches, so a report can be made for any existing output and a run of millions of documents is
never held in memory; see :mod:`cleaner.report.collect`. The page embeds aggregates and bounded
samples only, so its size does not grow with the run.

It needs matplotlib (the ``report`` extra: ``pip install boilerclean[report]``), imported only
when a report is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["write_report"]


def write_report(
    output: str | os.PathLike[str],
    report_path: str | os.PathLike[str],
    summary: dict[str, Any] | None = None,
    *,
    sample_docs: int = 100,
    samples_per_rule: int = 5,
) -> Path:
    """Write the HTML report of the finished ``output`` to ``report_path``; return that path.

    ``summary`` is the run summary (as returned by :func:`cleaner.cli.run`); when it is None it
    is read from the output's metadata (:func:`cleaner.writer.read_summary`), which is what
    ``clean --report-from OUTPUT --report FILE`` does. ``sample_docs`` documents (chosen by a hash
    of their id, plus those of the rule samples) are embedded for the document view.
    The file is written to a temporary name and renamed, so a failed report never leaves half a
    page behind.
    """
    from cleaner.report.collect import collect
    from cleaner.report.render import render

    if not Path(output).exists():
        raise FileNotFoundError(
            f"no output at {os.fspath(output)}: give the Parquet file, JSONL file or part "
            "directory that a `clean` run wrote."
        )
    if summary is None:
        from cleaner.writer import read_summary

        summary = read_summary(output)
    data = collect(output, summary, sample_docs=sample_docs, samples_per_rule=samples_per_rule)
    page = render(data)
    target = Path(report_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
