"""The `clean` command, run for real on temporary folders, its output read back."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaner import clean_table
from cleaner.cli import main
from cleaner.document import rebuild
from cleaner.writer import read_summary, read_table

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
SEED_COUNT = len(list(SEEDS.glob("*.txt")))


def clean(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def rows(path: Path) -> list[dict[str, object]]:
    return read_table(path).to_pylist()


def test_seeds_to_parquet(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result = clean(str(SEEDS), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.num_rows == SEED_COUNT
    ids = table.column("id").to_pylist()
    assert ids == sorted(ids)
    assert all(i.startswith("seeds/") for i in ids)
    summary = read_summary(out)
    assert summary["documents"] == table.num_rows
    assert summary["errors"] == 0
    for row in table.to_pylist():
        assert row["error"] is None
        assert row["text"], row["id"]
        assert len(row["text"]) <= row["original_chars"] + 10


def test_rebuild_gives_back_the_repaired_text(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert clean(str(SEEDS), "-o", str(out), "-q", "--dedup", "off").returncode == 0
    no_rules = tmp_path / "plain.parquet"
    assert (
        clean(str(SEEDS), "-o", str(no_rules), "-q", "--no-rules", "--dedup", "off").returncode == 0
    )
    repaired = {r["id"]: r["text"] for r in rows(no_rules)}
    for row in rows(out):
        assert rebuild(row["text"], row["removed"]) == repaired[row["id"]]


def hostile_folder(root: Path) -> dict[str, str | None]:
    """Write hostile inputs; return the expected rows: id -> error prefix (None: a good row)."""
    root.mkdir()
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "cp1252.txt").write_bytes("Café crème, naïve façade.\n".encode("cp1252"))
    (root / "utf16.txt").write_bytes("Grüße aus Köln.\n".encode("utf-16"))
    (root / "empty.txt").write_bytes(b"")
    (root / "huge.txt").write_bytes(b"x" * (50 * 1024 * 1024))
    data = gzip.compress(
        b"".join(json.dumps({"text": f"Record {i}."}).encode() + b"\n" for i in range(200))
    )
    (root / "truncated.jsonl.gz").write_bytes(data[: len(data) // 2])
    (root / "records.jsonl").write_text(
        '{"text": "First record."}\n\n{"text": broken\n{"text": "Third record."}\n',
        encoding="utf-8",
    )
    (root / "nobody.html").write_text(
        "<html><head><title>x</title></head></html>", encoding="utf-8"
    )
    (root / "notes.xyz").write_text("unknown extension", encoding="utf-8")
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "back")
    return {
        "hostile/binary.txt": "binary",
        "hostile/cp1252.txt": None,
        "hostile/utf16.txt": None,
        "hostile/empty.txt": None,
        "hostile/huge.txt": "document is",
        "hostile/nobody.html": "no main text",
        "hostile/records.jsonl:1": None,
        "hostile/records.jsonl:3": "",
        "hostile/records.jsonl:4": None,
    }


def test_hostile_inputs_become_rows_and_the_run_goes_on(tmp_path: Path) -> None:
    expected = hostile_folder(tmp_path / "hostile")
    out = tmp_path / "out.parquet"
    result = clean(str(tmp_path / "hostile"), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    got = {r["id"]: r for r in rows(out)}
    for doc_id, error in expected.items():
        assert doc_id in got, f"no row for {doc_id}"
        if error is None:
            assert got[doc_id]["error"] is None, got[doc_id]["error"]
        else:
            assert got[doc_id]["error"] and error in got[doc_id]["error"], got[doc_id]["error"]
    assert got["hostile/cp1252.txt"]["text"].strip() == "Café crème, naïve façade."
    assert any(f.startswith("decode:") for f in got["hostile/cp1252.txt"]["fixes"])
    assert got["hostile/utf16.txt"]["text"].strip() == "Grüße aus Köln."
    assert got["hostile/empty.txt"]["text"] == ""
    truncated = sorted(i for i in got if i.startswith("hostile/truncated.jsonl.gz"))
    assert len(truncated) >= 2 and sum(bool(got[i]["error"]) for i in truncated) == 1
    summary = read_summary(out)
    assert summary["documents"] == len(got)
    assert summary["read"]["skipped"], "the unknown extension and the symlink loop are counted"


def test_one_and_two_workers_give_identical_output(tmp_path: Path) -> None:
    hostile_folder(tmp_path / "hostile")
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    inputs = [str(SEEDS), str(tmp_path / "hostile")]
    assert clean(*inputs, "-o", str(one), "-q", "-j", "1", "--batch-size", "2").returncode == 0
    assert clean(*inputs, "-o", str(two), "-q", "-j", "2", "--batch-size", "2").returncode == 0
    assert pq.read_table(one).equals(pq.read_table(two))


def test_clean_table_matches_the_cli(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    table = pa.table({"text": texts, "source": [f"s{i}" for i in range(len(texts))]})
    pq.write_table(table, tmp_path / "docs.parquet")
    out = tmp_path / "out.parquet"
    assert clean(str(tmp_path / "docs.parquet"), "-o", str(out), "-q").returncode == 0
    ignore = {"id", "path"}
    via_cli = [{k: v for k, v in r.items() if k not in ignore} for r in rows(out)]
    via_api = [
        {k: v for k, v in r.items() if k not in ignore} for r in clean_table(table).to_pylist()
    ]
    for row in via_cli:  # dedup names the kept copy by document id, which differs by design
        for r in row["removed"]:
            if r["dup_of"]:
                r["dup_of"] = r["dup_of"].replace("docs.parquet:", "table:")
    assert any(r["dup_of"] for row in via_api for r in row["removed"])
    assert via_cli == via_api


def test_sigkill_leaves_no_half_written_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (SEEDS / "001_d1b1a08c22fcce4e.txt").read_text(encoding="utf-8")
    for i in range(3000):
        (corpus / f"{i:05d}.txt").write_text(f"Document {i}.\n\n{text}", encoding="utf-8")
    out = tmp_path / "out.parquet"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cleaner",
            str(corpus),
            "-o",
            str(out),
            "-q",
            "-j",
            "1",
            "--row-group-size",
            "10",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 300
    while time.time() < deadline and not any(tmp_path.glob(".out.parquet.*.tmp")):
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the run finished before it could be killed; grow the corpus"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    # the next run completes and sweeps the dead run's temporary file
    assert clean(str(SEEDS), "-o", str(out), "-q").returncode == 0
    assert pq.read_table(out).num_rows == SEED_COUNT
    assert not list(tmp_path.glob(".out.parquet.*.tmp"))


def test_rejected_and_output_account_for_every_document(tmp_path: Path) -> None:
    out, rejected = tmp_path / "out.parquet", tmp_path / "rejected.parquet"
    result = clean(
        str(SEEDS), "-o", str(out), "--rejected", str(rejected), "--quality", "gopher", "-q"
    )
    assert result.returncode == 0, result.stderr
    assert pq.read_table(out).num_rows + pq.read_table(rejected).num_rows == SEED_COUNT


def test_jsonl_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert clean(str(SEEDS), "-o", str(out), "--format", "jsonl", "-q").returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == SEED_COUNT and json.loads(lines[0])["id"].startswith("seeds/")


def test_usage_errors_exit_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "missing"), "-o", str(tmp_path / "o.parquet")])
    assert exit_info.value.code == 2
    assert "no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(SEEDS)])


def test_list_rules_and_explain() -> None:
    listed = clean("--list-rules")
    assert listed.returncode == 0 and "comments" in listed.stdout
    explained = clean("--explain", str(SEEDS / "002_b4223e2a6ccc3667.txt"))
    assert explained.returncode == 0
    assert (
        "comments" in explained.stdout and "Please sign in to leave a comment" in explained.stdout
    )


def test_show(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert clean(str(SEEDS), "-o", str(out), "-q").returncode == 0
    shown = clean("--show", str(out), "--limit", "2")
    assert shown.returncode == 0 and shown.stdout.count("== seeds/") == 2


def test_cli_reference_shows_the_current_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    from cleaner.cli import build_parser

    doc = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert build_parser().format_help().rstrip() in doc, (
        "docs/reference/cli.md is stale: paste the output of `COLUMNS=100 clean --help` into it"
    )


def test_report_after_a_run_and_from_an_output(tmp_path: Path) -> None:
    out, report, again = tmp_path / "out.parquet", tmp_path / "r.html", tmp_path / "again.html"
    result = clean(str(SEEDS), "-o", str(out), "-q", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "<html" in report.read_text(encoding="utf-8")[:500].lower()
    assert clean("--report-from", str(out), "--report", str(again)).returncode == 0
    assert "Please sign in to leave a comment" in again.read_text(encoding="utf-8")
    assert clean("--report-from", str(out)).returncode == 2, "--report FILE is required"
