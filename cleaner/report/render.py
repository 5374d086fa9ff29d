"""The report page: aggregated data in, one self-contained HTML string out.

Every section is static HTML built here (tables and inline SVG charts), so the page shows at once
and works without JavaScript, except for the document view: the embedded sample of documents is a
JSON block that a small inline script renders one document at a time. Nothing is fetched: styles,
script, charts and data are all inside the file.

>>> segments("keep\\n", [{"rule": "x", "start": 0, "end": 5, "text": "drop\\n", "dup_of": None}],
...          {"x": 0})
[['drop\\n', 0, None], ['keep\\n', -1, None]]
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from cleaner.report import charts
from cleaner.report.collect import COUNT_SIGNALS, MAIN_SIGNALS, ReportData, RuleStats
from cleaner.report.thresholds import preset_thresholds

#: The embedded documents may hold this many characters in all (keeps the page small and fast).
SAMPLE_CHAR_BUDGET = 3_000_000
#: Errors listed in the page; the rest are counted, and the page says how to list them.
ERRORS_SHOWN = 10_000


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt_int(n: int | float) -> str:
    """``1234567`` as ``1,234,567``.

    >>> fmt_int(1234567)
    '1,234,567'
    """
    return f"{int(n):,}"


def share(part: float, whole: float) -> str:
    """``part / whole`` as a percentage with one decimal ('-' for an empty whole).

    >>> share(1, 8), share(1, 0)
    ('12.5%', '-')
    """
    return f"{part / whole:.1%}" if whole else "-"


def table(
    head: Sequence[str], rows: Iterable[Sequence[object]], numeric: Iterable[int] = ()
) -> str:
    """A table; cells are escaped, except those already marked up (instances of :class:`Raw`)."""
    nums = set(numeric)
    out = ["<table><thead><tr>"]
    out += [f"<th{' class=n' if i in nums else ''}>{esc(h)}</th>" for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = [
            f"<td{' class=n' if i in nums else ''}>{c if isinstance(c, Raw) else esc(c)}</td>"
            for i, c in enumerate(row)
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class Raw(str):
    """Markup that :func:`table` inserts as it is."""


def segments(
    text: str, removed: Sequence[dict[str, Any]], rule_index: dict[str, int]
) -> list[list[Any]]:
    """The repaired text as ``[piece, rule index or -1, dup_of]`` runs, rebuilt from the output.

    This is :func:`cleaner.document.rebuild` keeping the seams: joining the pieces gives the
    repaired text, and each removal is its own run labelled by its rule.
    """
    out: list[list[Any]] = []
    pos_out = pos_in = 0
    for r in sorted(removed, key=lambda r: r["start"]):
        take = r["start"] - pos_out
        if take > 0:
            out.append([text[pos_in : pos_in + take], -1, None])
        pos_in += take
        out.append([r["text"], rule_index[r["rule"]], r["dup_of"]])
        pos_out = r["start"] + len(r["text"])
    if pos_in < len(text):
        out.append([text[pos_in:], -1, None])
    return out


def explain_hint(data: ReportData) -> str:
    return (
        "Only a sample of documents is embedded in this page. To see how any other document was "
        "cleaned, run `clean --explain FILE` on its input file: the document id is the input "
        "root's name followed by the file's path inside it (and `:N` for the N-th record of a "
        "JSONL or Parquet input), e.g. `clean --explain seeds/001.txt`."
    )


def doc_payload(data: ReportData) -> dict[str, Any]:
    """The JSON embedded for the document view: rule names and the sampled documents."""
    rules = sorted({r["rule"] for row in data.sample for r in row["removed"] or []})
    index = {name: i for i, name in enumerate(rules)}
    docs = []
    budget = SAMPLE_CHAR_BUDGET
    for row in data.sample:
        removed = row["removed"] or []
        text = row["text"] or ""
        removed_chars = sum(r["end"] - r["start"] for r in removed)
        if len(text) + removed_chars > budget:
            continue
        budget -= len(text) + removed_chars
        docs.append(
            {
                "id": row["id"],
                "title": row["title"],
                "url": row["url"],
                "lang": row["lang"],
                "dropped": bool(row["dropped"]),
                "dropReason": row["drop_reason"],
                "chars": len(text) + removed_chars,
                "removedChars": removed_chars,
                "removals": len(removed),
                "segs": segments(text, removed, index),
            }
        )
    return {"rules": rules, "docs": docs, "explainHint": explain_hint(data)}


def _json_for_script(payload: dict[str, Any]) -> str:
    """JSON safe inside ``<script>``: every ``<`` escaped, so no ``</script`` or ``<!--`` in a
    document's text can end or confuse the element.

    >>> _json_for_script({"t": "</script><!--"})
    '{"t":"\\\\u003c/script>\\\\u003c!--"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


# -- sections --------------------------------------------------------------------------------


def overview(data: ReportData) -> str:
    s = data.summary
    read = s.get("read") or {}
    removed = data.chars_repaired - data.chars_out
    rows: list[tuple[str, object]] = [
        ("documents", fmt_int(data.documents)),
        ("errors (failed inputs)", fmt_int(data.errors)),
        ("dropped by the quality filter", fmt_int(data.dropped)),
        ("documents with a removal", fmt_int(data.documents_touched)),
        ("bytes read", fmt_int(read["bytes"]) if "bytes" in read else "not recorded"),
        ("characters in (before extraction)", fmt_int(s.get("chars_in", 0) or 0)),
        ("characters of repaired text", fmt_int(data.chars_repaired)),
        ("characters out (text column)", fmt_int(data.chars_out)),
        ("share of text removed", share(removed, data.chars_repaired)),
        ("bytes out (UTF-8 text)", fmt_int(data.bytes_out_text)),
        ("output size on disk", fmt_int(data.bytes_on_disk)),
        ("run time", f"{s['seconds']} s" if "seconds" in s else "not recorded"),
    ]
    skipped = read.get("skipped") or {}
    if skipped:
        rows.append(("skipped files", ", ".join(f"{k} ({v})" for k, v in sorted(skipped.items()))))
    langs = ", ".join(f"{k} ({fmt_int(v)})" for k, v in data.languages.most_common(12))
    rows.append(("languages", langs or "-"))
    fixes = s.get("fixes") or {}
    if fixes:
        rows.append(("repairs", ", ".join(f"{k} ({v})" for k, v in fixes.items())))
    outputs = s.get("outputs") or [data.output]
    rows.append(("output", ", ".join(str(o) for o in outputs[:5])))
    versions = s.get("versions") or {}
    options = {k: v for k, v in data.options.items() if v not in (None, [], "")}
    parts = [
        '<section id="overview"><h2>Overview</h2><div class="grid"><div>',
        table(["", ""], rows, numeric=[1]).replace("<table>", '<table class="kv">', 1),
        "</div><div><h3>Run options</h3>",
        table(["option", "value"], ((k, json.dumps(v)) for k, v in sorted(options.items())))
        if options
        else '<p class="note">No options recorded in the output.</p>',
        "</div><div><h3>Versions</h3>",
        table(["package", "version"], sorted(versions.items()))
        if versions
        else '<p class="note">No versions recorded.</p>',
        "</div></div></section>",
    ]
    return "".join(parts)


def _langs(counter: Any, n: int = 4) -> str:
    return ", ".join(f"{k} ({v})" for k, v in counter.most_common(n))


def _sample_html(sample: dict[str, Any], sampled_ids: set[str]) -> str:
    doc_id = sample["id"]
    label = (
        f'<a href="#doc={esc(_url_quote(doc_id))}">{esc(doc_id)}</a>'
        if doc_id in sampled_ids
        else esc(doc_id)
    )
    dup = f" (copy of {esc(sample['dup_of'])})" if sample.get("dup_of") else ""
    return (
        f'<div class="ctx"><div class="note">{label}{dup}</div>'
        f'<span class="keep">{esc(sample["before"])}</span>'
        f'<mark class="rm">{esc(sample["text"])}</mark>'
        f'<span class="keep">{esc(sample["after"])}</span></div>'
    )


def _url_quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/:@")


def rules_section(data: ReportData, sampled_ids: set[str]) -> str:
    total = data.chars_repaired
    rules = sorted(data.rules.items(), key=lambda kv: (-kv[1].removals, kv[0]))
    if not rules:
        return (
            '<section id="rules"><h2>Rules</h2><p>No rule removed anything in this run.</p>'
            "</section>"
        )
    top = rules[:30]
    chart = charts.bar_chart(
        "rules",
        [name for name, _ in top],
        [st.removals for _, st in top],
        title="Removals per rule" + (" (top 30)" if len(rules) > 30 else ""),
        xlabel="removals",
    )
    rows = []
    for name, st in rules:
        info = data.rule_info.get(name, {})
        samples = data.rule_samples.get(name, [])
        detail = Raw(
            f"<details><summary>{len(samples)} sample(s) in context</summary>"
            + "".join(_sample_html(x, sampled_ids) for x in samples)
            + "</details>"
        )
        rows.append(
            (
                Raw(f"<code>{esc(name)}</code>"),
                ", ".join(info.get("tags", [])) or ("dedup" if name.startswith("dedup_") else "-"),
                fmt_int(st.removals),
                fmt_int(st.documents),
                share(st.chars, total),
                _langs(st.languages),
                _declared(info.get("languages", [])),
                detail,
            )
        )
    fam_rows = [
        (
            name,
            fmt_int(st.removals),
            fmt_int(st.documents),
            share(st.chars, total),
            _langs(st.languages),
        )
        for name, st in sorted(data.families.items(), key=lambda kv: (-kv[1].chars, kv[0]))
    ]
    fam_chart = charts.bar_chart(
        "families",
        [name for name, _ in _by_chars(data.families)],
        [st.chars / total if total else 0.0 for _, st in _by_chars(data.families)],
        title="Share of text removed per family",
        percent=True,
    )
    return "".join(
        [
            '<section id="rules"><h2>Rules</h2>',
            '<p class="note">Hits are removals; documents are those with at least one; share is '
            "the characters removed over all characters of repaired text; languages are those "
            "of the documents touched, and the rule's declared languages.</p>",
            f'<div class="charts">{chart}</div>',
            table(
                [
                    "rule",
                    "families",
                    "hits",
                    "documents",
                    "share removed",
                    "in documents of",
                    "declared languages",
                    "samples",
                ],
                rows,
                numeric=[2, 3, 4],
            ),
            '<h3 id="families">Per family</h3>',
            f'<div class="charts">{fam_chart}</div>',
            table(
                ["family", "hits", "documents", "share removed", "in documents of"],
                fam_rows,
                numeric=[1, 2, 3],
            ),
            "</section>",
        ]
    )


def _declared(languages: Sequence[str]) -> str:
    """A rule's declared languages, the first eight of them.

    >>> _declared(["en", "fr"]), _declared([str(i) for i in range(10)])
    ('en, fr', '0, 1, 2, 3, 4, 5, 6, 7 … (10 in all)')
    """
    head = ", ".join(languages[:8]) or "-"
    return head + (f" … ({len(languages)} in all)" if len(languages) > 8 else "")


def _by_chars(stats: dict[str, RuleStats]) -> list[tuple[str, RuleStats]]:
    return sorted(stats.items(), key=lambda kv: (-kv[1].chars, kv[0]))[:30]


def dedup_section(data: ReportData, sampled_ids: set[str]) -> str:
    """Counts from the output's removals, and clusters from the dedup stage's own summary.

    The stage knows every cluster (kept copies included, and those of an earlier run's index);
    when its summary lacks them, clusters are counted from the ``dup_of`` of this output.
    """
    stage = data.summary.get("dedup") or {}
    scalars = [(k, v) for k, v in sorted(stage.items()) if isinstance(v, (int, float, str, bool))]
    rows: list[tuple[str, object]] = [
        ("duplicate paragraphs removed", fmt_int(data.dedup_removals)),
        ("documents with a duplicate removed", fmt_int(data.dedup_documents)),
        ("share of text removed as duplicates", share(data.dedup_chars, data.chars_repaired)),
        ("kept paragraphs with copies removed here", fmt_int(sum(data.cluster_sizes.values()))),
    ]
    rows += [(f"dedup stage: {k}", v) for k, v in scalars]
    parts = ['<section id="dedup"><h2>Dedup</h2>', table(["", ""], rows, numeric=[1])]
    for scope, buckets, top in _clusters(data, stage):
        if not buckets and not top:
            continue
        what = "documents" if scope == "document" else "paragraphs"
        if buckets:
            parts.append(
                '<div class="charts">'
                + charts.bar_chart(
                    f"clusters-{scope}",
                    [label for label, _ in buckets],
                    [n for _, n in buckets],
                    title=f"Clusters of {what} by size (copies, the kept one included)",
                    xlabel="clusters",
                )
                + "</div>"
            )
        copied = [
            (
                fmt_int(copies),
                Raw(_doc_ref(kept, sampled_ids)),
                Raw(f'<span class="mono">{esc(_short(text, 200))}</span>'),
            )
            for copies, kept, text in top
        ]
        parts.append(f"<h3>Most-copied {what}</h3>")
        parts.append(table(["copies", "kept copy", "text"], copied, [0]))
    if not data.dedup_removals:
        parts.append('<p class="note">No duplicate was removed in this run.</p>')
    parts.append("</section>")
    return "".join(parts)


def _clusters(
    data: ReportData, stage: dict[str, Any]
) -> list[tuple[str, list[tuple[str, int]], list[tuple[int, str, str]]]]:
    """Per dedup scope: cluster-size buckets and the most-copied ``(copies, kept, text)``."""
    out = []
    for scope in ("paragraph", "document"):
        clusters = stage.get(f"{scope}_clusters")
        top = stage.get(f"{scope}_top")
        if not isinstance(clusters, dict) and not isinstance(top, list):
            continue
        sizes = (clusters or {}).get("sizes") or {}
        buckets = [(str(k), int(v)) for k, v in sizes.items() if v]
        items = [
            (int(t.get("copies", 0)), str(t.get("kept", "")), str(t.get("text", "")))
            for t in top or []
            if isinstance(t, dict)
        ]
        out.append((scope, buckets, items))
    if not out and data.cluster_sizes:
        items = [(m["copies"], m["dup_of"], m["text"]) for m in data.most_copied]
        out.append(("paragraph", _size_buckets(data.cluster_sizes), items))
    return out


def _doc_ref(dup_of: str, sampled_ids: set[str]) -> str:
    doc_id = dup_of.rsplit("#", 1)[0]
    if doc_id in sampled_ids:
        return f'<a href="#doc={esc(_url_quote(doc_id))}">{esc(dup_of)}</a>'
    return f"<code>{esc(dup_of)}</code>"


def _short(text: str, n: int) -> str:
    text = text.strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def _size_buckets(sizes: Any) -> list[tuple[str, int]]:
    """Cluster sizes in the dedup stage's buckets (2, 3-5, 6-10, 11-100, 101+).

    >>> _size_buckets({2: 4, 3: 1, 250: 1})
    [('2', 4), ('3-5', 1), ('101+', 1)]
    """
    bounds = [(2, 2), (3, 5), (6, 10), (11, 100), (101, None)]
    out = []
    for low, high in bounds:
        n = sum(c for size, c in sizes.items() if size >= low and (high is None or size <= high))
        label = f"{low}" if low == high else (f"{low}+" if high is None else f"{low}-{high}")
        if n:
            out.append((label, n))
    return out


def quality_section(data: ReportData) -> str:
    preset = str(data.options.get("quality") or "off")
    limits = preset_thresholds(preset, data.options.get("quality_config"))
    parts = ['<section id="quality"><h2>Quality</h2>']
    if preset == "off":
        parts.append(
            '<p class="note">No quality filter ran (preset <code>off</code>); the signals are '
            "still computed. The histograms show every document that did not fail.</p>"
        )
    else:
        parts.append(
            f'<p class="note">Quality preset <code>{esc(preset)}</code>: its thresholds are '
            "drawn as dashed lines on the signals they apply to.</p>"
        )
    names = [n for n in MAIN_SIGNALS if n in data.histograms]
    names += sorted(n for n in limits if n in data.histograms and n not in names)
    if names:
        svgs = [
            charts.histogram(
                f"q-{name}",
                data.histograms[name][0],
                data.histograms[name][1],
                title=name,
                log_counts=name in COUNT_SIGNALS,
                thresholds=limits.get(name, []),
            )
            for name in names
        ]
        parts.append(f'<div class="charts">{"".join(svgs)}</div>')
    else:
        parts.append('<p class="note">No quality signals were recorded in this output.</p>')
    parts.append("<h3>Drop reasons</h3>")
    if data.drop_reasons:
        parts.append(
            table(
                ["reason", "documents", "share of documents"],
                [
                    (k, fmt_int(v), share(v, data.documents))
                    for k, v in data.drop_reasons.most_common()
                ],
                numeric=[1, 2],
            )
        )
    else:
        parts.append('<p class="note">No document was dropped.</p>')
    parts.append("</section>")
    return "".join(parts)


def documents_section(data: ReportData, payload: dict[str, Any]) -> str:
    n = len(payload["docs"])
    return (
        '<section id="documents"><h2>Documents</h2>'
        f'<p class="note">{n} of {fmt_int(data.documents)} documents are embedded: the repaired '
        "text, rebuilt from <code>text</code> and <code>removed</code>, with each removal "
        "highlighted and labelled by its rule (duplicates in yellow). Type to filter the ids; "
        f"Enter opens the id typed. {esc(explain_hint(data))}</p>"
        '<div class="legend"><span><mark class="rm"><span class="lbl">rule</span>removed by a '
        'rule</mark></span><span><mark class="rm dup"><span class="lbl">dedup_near</span>removed '
        "as a duplicate</mark></span></div>"
        '<input id="doc-search" type="search" placeholder="document id" autocomplete="off">'
        '<div id="doc-list"></div><div id="doc-view"></div></section>'
    )


def errors_section(data: ReportData) -> str:
    parts = ['<section id="errors"><h2>Errors</h2>']
    if not data.errors:
        parts.append("<p>No input failed.</p>")
    else:
        parts.append(
            f"<p>{fmt_int(data.errors)} input(s) failed; each is a row with <code>error</code> "
            "set in the output.</p>"
        )
        parts.append(table(["document", "reason"], data.error_list[:ERRORS_SHOWN]))
        if data.errors > ERRORS_SHOWN:
            parts.append(
                f'<p class="note">{fmt_int(data.errors - ERRORS_SHOWN)} more are not listed here. '
                'List them all with: <code>python -c "import pyarrow.compute as pc, '
                "cleaner.writer as w; t = w.read_table('OUTPUT'); "
                "print(t.filter(pc.is_valid(t['error'])).select(['id', 'error']))\"</code></p>"
            )
    parts.append("</section>")
    return "".join(parts)


def render(data: ReportData) -> str:
    """The whole page for ``data``."""
    payload = doc_payload(data)
    sampled_ids = {d["id"] for d in payload["docs"]}
    css = resources.files("cleaner.report").joinpath("static/report.css").read_text("utf-8")
    js = resources.files("cleaner.report").joinpath("static/report.js").read_text("utf-8")
    version = (data.summary.get("versions") or {}).get("boilerclean", "")
    generated = time.strftime("%Y-%m-%d %H:%M:%S")
    body = "".join(
        [
            overview(data),
            rules_section(data, sampled_ids),
            dedup_section(data, sampled_ids),
            quality_section(data),
            documents_section(data, payload),
            errors_section(data),
        ]
    )
    nav = "".join(
        f'<a href="#{k}">{v}</a>'
        for k, v in [
            ("overview", "Overview"),
            ("rules", "Rules"),
            ("dedup", "Dedup"),
            ("quality", "Quality"),
            ("documents", "Documents"),
            ("errors", f"Errors ({fmt_int(data.errors)})"),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>boilerclean report: {esc(data.output)}</title><style>{css}</style></head><body>"
        f"<header><h1>boilerclean run report</h1><nav>{nav}</nav>"
        f'<div class="where">{esc(data.output)} · generated {generated}'
        f"{' by boilerclean ' + esc(version) if version else ''}</div></header>"
        f"<main>{body}</main>"
        f'<script type="application/json" id="report-data">{_json_for_script(payload)}</script>'
        f"<script>{js}</script></body></html>\n"
    )
