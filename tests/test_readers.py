"""Reading inputs: every hostile input generated here, each with the row it must give."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import readers
from cleaner.config import MB, Options
from cleaner.document import Document
from cleaner.readers import (
    ReadStats,
    decode_bytes,
    documents_from_table,
    file_format,
    iter_documents,
    read_file,
)

FRENCH = "Le café était très noir, dit-il à l’été. « Voilà » — déjà trop tard pour la réunion."


def read(*inputs: Path | str, stats: ReadStats | None = None, **options: object) -> list[Document]:
    return list(iter_documents(inputs, Options(**options), stats))  # type: ignore[arg-type]


def one(path: Path, **options: object) -> Document:
    docs = read(path, **options)
    assert len(docs) == 1, docs
    return docs[0]


# -- plain text and decoding -----------------------------------------------------------------------


def test_utf8_text_file_named_directly(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Hello.\nWorld.\n", encoding="utf-8")
    doc = one(f)
    assert (doc.id, doc.path, doc.kind) == ("a.txt", str(f), "text")
    assert doc.source == "Hello.\nWorld.\n"
    assert doc.original_chars == 14
    assert doc.error is None and doc.fixes == []


def test_binary_file_is_an_error_row(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    doc = one(f)
    assert doc.error is not None and doc.error.startswith("binary content: ")
    assert doc.source == ""


def test_control_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    f = tmp_path / "ctl.md"
    f.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x10, 0x11]) * 50 + b"some text")
    doc = one(f)
    assert doc.error is not None and "control characters" in doc.error


def test_cp1252_bytes_are_decoded_and_the_codec_recorded(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(FRENCH.encode("cp1252"))
    doc = one(f)
    assert doc.error is None
    assert doc.source == FRENCH
    assert doc.fixes == ["decode:cp1252"]


def test_cyrillic_code_page_goes_to_charset_normalizer() -> None:
    text = "Привет, как дела? Это проверка кодировки для длинного русского предложения."
    decoded, codec = decode_bytes(text.encode("cp1251"))
    assert decoded == text
    assert codec == "cp1251"


def test_polish_cp1250_is_not_read_as_cp1252() -> None:
    data = "Zażółć gęślą jaźń, powiedział łagodnie ów pan.".encode("cp1250")
    decoded, codec = decode_bytes(data)
    assert codec != "cp1252"
    assert "³" not in decoded


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    f = tmp_path / "wide.txt"
    f.write_bytes(bom + "Grüße aus Köln\n日本語\n".encode(codec))
    doc = one(f)
    assert doc.error is None
    assert doc.source == "Grüße aus Köln\n日本語\n"
    assert doc.fixes == []


def test_broken_utf16_is_an_error_not_garbage(tmp_path: Path) -> None:
    f = tmp_path / "odd.txt"
    f.write_bytes(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00\xd8")
    doc = one(f)
    assert doc.error is not None and "utf-16" in doc.error


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    f = tmp_path / "bom.md"
    f.write_bytes(codecs.BOM_UTF8 + b"# Title\nText")
    doc = one(f)
    assert doc.source == "# Title\nText"
    assert doc.original_chars == len("# Title\nText")


def test_empty_file_is_a_row_with_empty_text(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    doc = one(f)
    assert (doc.source, doc.error, doc.original_chars) == ("", None, 0)


def test_random_bytes_without_nul_or_controls_are_an_error(tmp_path: Path) -> None:
    # random bytes with NUL and control bytes taken out: no encoding reads them as text
    rng = random.Random(1)
    noise = bytes(rng.randrange(256) for _ in range(5000))
    f = tmp_path / "noise.txt"
    f.write_bytes(noise.translate(None, bytes([*range(0, 9), *range(14, 32)])))
    doc = one(f)
    assert doc.error is not None and doc.error.startswith("binary content: "), doc


# -- size cap --------------------------------------------------------------------------------------


def test_50_mb_single_line_is_over_the_default_cap(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    size = 50 * MB
    f.write_bytes(b"word " * (size // 5))
    stats = ReadStats()
    (doc,) = read(f, stats=stats)
    assert doc.error == (
        f"document is {size} bytes, over --max-doc-bytes {16 * MB}; raise --max-doc-bytes "
        "or split the input."
    )
    assert stats.bytes == 0  # refused from its size alone, nothing read


def test_smaller_cap_option(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text("x" * 2000)
    assert one(f, max_doc_bytes=1000).error == (
        "document is 2000 bytes, over --max-doc-bytes 1000; raise --max-doc-bytes or split "
        "the input."
    )
    assert one(f, max_doc_bytes=2000).source == "x" * 2000


def test_cap_on_a_compressed_document_counts_its_real_size(tmp_path: Path) -> None:
    f = tmp_path / "long.txt.gz"
    f.write_bytes(gzip.compress(b"y" * 5000))
    assert one(f, max_doc_bytes=1000).error is not None
    assert "is 5000 bytes, over --max-doc-bytes 1000" in (one(f, max_doc_bytes=1000).error or "")


def test_a_compression_bomb_is_not_counted_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_COUNT_LIMIT", 3 * MB)
    f = tmp_path / "bomb.txt.zst"
    f.write_bytes(zstandard.ZstdCompressor().compress(bytes(64 * MB)))
    doc = one(f, max_doc_bytes=1000)
    assert (doc.error or "").startswith("document is more than ")
    assert int((doc.error or "").split()[4]) < 8 * MB


def test_cap_on_a_jsonl_line_skips_just_that_line(tmp_path: Path) -> None:
    f = tmp_path / "d.jsonl"
    lines = [json.dumps({"text": "short"}), json.dumps({"text": "z" * 3000}), '{"text": "after"}']
    f.write_text("\n".join(lines) + "\n")
    docs = read(f, max_doc_bytes=1000)
    assert [d.id for d in docs] == ["d.jsonl:1", "d.jsonl:2", "d.jsonl:3"]
    assert (docs[1].error or "").startswith(f"line 2 is {len(lines[1])} bytes, over")
    assert [d.source for d in docs] == ["short", "", "after"]


def test_cap_on_a_parquet_value(tmp_path: Path) -> None:
    f = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["ok", "é" * 600]}), f)
    docs = read(f, max_doc_bytes=1000)
    assert docs[0].error is None
    assert docs[1].error is not None and docs[1].error.startswith("record is 1200 bytes")


# -- compression -----------------------------------------------------------------------------------


def test_gzip_and_zstd_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress("café\n".encode()))
    (tmp_path / "b.md.zst").write_bytes(zstandard.ZstdCompressor().compress("naïve\n".encode()))
    docs = read(tmp_path)
    name = tmp_path.name
    assert [(d.id, d.source, d.error) for d in docs] == [
        (f"{name}/a.txt.gz", "café\n", None),
        (f"{name}/b.md.zst", "naïve\n", None),
    ]


def test_zstd_jsonl_with_several_frames(tmp_path: Path) -> None:
    c = zstandard.ZstdCompressor()
    data = c.compress(b'{"text": "one"}\n') + c.compress(b'{"text": "two"}\n')
    (tmp_path / "d.jsonl.zst").write_bytes(data)
    assert [d.source for d in read(tmp_path / "d.jsonl.zst")] == ["one", "two"]


def _jsonl_bytes(n: int) -> bytes:
    return b"".join(
        json.dumps({"text": f"record number {i} " * 20}).encode() + b"\n" for i in range(n)
    )


def test_truncated_gzip_jsonl_gives_records_read_plus_one_error(tmp_path: Path) -> None:
    full = gzip.compress(_jsonl_bytes(2000))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(full[: len(full) // 2])
    docs = read(f)
    good, bad = docs[:-1], docs[-1]
    assert len(good) > 10 and all(d.error is None for d in good)
    assert [d.id for d in good] == [f"cut.jsonl.gz:{i}" for i in range(1, len(good) + 1)]
    assert bad.id == f"cut.jsonl.gz:{len(good) + 1}"
    assert bad.error is not None and f"damaged after line {len(good)}" in bad.error


def test_truncated_zstd_jsonl_is_noticed(tmp_path: Path) -> None:
    full = zstandard.ZstdCompressor().compress(_jsonl_bytes(2000))
    f = tmp_path / "cut.jsonl.zst"
    f.write_bytes(full[: len(full) // 2])
    docs = read(f)
    assert all(d.error is None for d in docs[:-1]) and len(docs) > 10
    assert docs[-1].error is not None and "damaged" in docs[-1].error


@pytest.mark.parametrize("suffix", [".txt.gz", ".html.zst"])
def test_truncated_single_document_is_one_error_row(tmp_path: Path, suffix: str) -> None:
    payload = ("A sentence of text. " * 5000).encode()
    if suffix.endswith(".gz"):
        data = gzip.compress(payload)
    else:
        data = zstandard.ZstdCompressor().compress(payload)
    f = tmp_path / f"cut{suffix}"
    f.write_bytes(data[: len(data) // 2])
    docs = read(f)
    assert len(docs) == 1
    assert docs[0].id == f"cut{suffix}"
    assert docs[0].error is not None and docs[0].error.startswith("cannot read")


def test_not_gzip_at_all(tmp_path: Path) -> None:
    f = tmp_path / "fake.txt.gz"
    f.write_bytes(b"plain text pretending")
    doc = one(f)
    assert doc.error == f"cannot read {f}: this is not valid gzip data (incorrect header check)."


# -- JSON lines ------------------------------------------------------------------------------------


def test_jsonl_fields_ids_and_physical_line_numbers(tmp_path: Path) -> None:
    f = tmp_path / "news.jsonl"
    f.write_text(
        json.dumps({"id": "x1", "text": "First.", "url": "https://a.example/1", "n": 3, "ok": True})
        + "\n\n   \n"
        + json.dumps({"text": "Second.", "title": "T", "tags": ["a", "b"], "lang": "de", "z": None})
        + "\n"
    )
    first, second = read(f)
    assert first.id == "news.jsonl:1" and second.id == "news.jsonl:4"
    assert first.url == "https://a.example/1"
    assert first.meta == {"id": "x1", "n": "3", "ok": "true"}
    assert (second.title, second.lang) == ("T", "de")
    assert second.meta == {"tags": '["a", "b"]'}
    assert first.path == str(f)


def test_malformed_jsonl_line_is_one_error_row_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"text": "one"}\n{"text": "two"\n\n[1, 2]\n{"body": "x"}\n{"text": "six"}\n')
    docs = read(f)
    assert [(d.id, d.source) for d in docs] == [
        ("bad.jsonl:1", "one"),
        ("bad.jsonl:2", ""),
        ("bad.jsonl:4", ""),
        ("bad.jsonl:5", ""),
        ("bad.jsonl:6", "six"),
    ]
    assert (docs[1].error or "").startswith("line 2 is not valid JSON")
    assert (docs[2].error or "").startswith("line 4 is a JSON list, not an object")
    assert "no field 'text'" in (docs[3].error or "") and "--text-field" in (docs[3].error or "")


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "enc.jsonl"
    f.write_bytes(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    docs = read(f)
    assert (docs[0].error or "").startswith("line 1 is not valid UTF-8")
    assert docs[1].source == "fine"


def test_jsonl_text_field_option_and_html_routing(tmp_path: Path) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text(
        json.dumps({"content": "plain", "format": "text"})
        + "\n"
        + json.dumps({"content": "<p>x</p>", "format": "html"})
        + "\n"
        + json.dumps({"html": "<p>y</p>", "url": "https://b.example/"})
        + "\n"
        + json.dumps({"content": 42})
        + "\n"
    )
    docs = read(f, text_field="content")
    assert [(d.kind, d.error) for d in docs[:3]] == [("text", None), ("html", None), ("html", None)]
    assert (docs[3].error or "").startswith("the field 'content' holds a int")
    default = read(f)
    assert (default[2].kind, default[2].source, default[2].url) == (
        "html",
        "<p>y</p>",
        "https://b.example/",
    )
    assert "html" not in default[2].meta


def test_empty_jsonl_has_no_records(tmp_path: Path) -> None:
    f = tmp_path / "none.jsonl"
    f.write_text("\n\n")
    stats = ReadStats()
    assert read(f, stats=stats) == []
    assert stats.files == 1


# -- Parquet and tables ----------------------------------------------------------------------------


def test_parquet_rows_extra_columns_into_meta(tmp_path: Path) -> None:
    n = 2500  # more than one row batch
    table = pa.table(
        {
            "text": [f"row {i}" for i in range(n)],
            "title": [f"t{i}" for i in range(n)],
            "score": [i / 2 for i in range(n)],
            "id": [f"doc-{i}" for i in range(n)],
            "empty": pa.nulls(n, pa.string()),
        }
    )
    f = tmp_path / "rows.parquet"
    pq.write_table(table, f, row_group_size=700)
    docs = read(f)
    assert len(docs) == n
    assert [d.id for d in docs[:2]] == ["rows.parquet:1", "rows.parquet:2"]
    last = docs[-1]
    assert (last.id, last.source, last.title) == (f"rows.parquet:{n}", f"row {n - 1}", f"t{n - 1}")
    assert last.meta == {"score": str((n - 1) / 2), "id": f"doc-{n - 1}"}


def test_parquet_without_the_text_column_is_one_error(tmp_path: Path) -> None:
    f = tmp_path / "other.parquet"
    pq.write_table(pa.table({"body": ["x"]}), f)
    doc = one(f)
    assert doc.id == "other.parquet"
    assert doc.error is not None and "no column 'text'" in doc.error and "--text-field" in doc.error


def test_compressed_and_damaged_parquet(tmp_path: Path) -> None:
    buf = io.BytesIO()
    pq.write_table(pa.table({"text": ["a", "b"]}), buf)
    (tmp_path / "z.parquet.zst").write_bytes(zstandard.ZstdCompressor().compress(buf.getvalue()))
    (tmp_path / "bad.parquet").write_bytes(buf.getvalue()[:-20])
    docs = read(tmp_path)
    root = tmp_path.name
    assert [(d.id, d.source) for d in docs[1:]] == [
        (f"{root}/z.parquet.zst:1", "a"),
        (f"{root}/z.parquet.zst:2", "b"),
    ]
    assert docs[0].id == f"{root}/bad.parquet" and (docs[0].error or "").startswith("cannot read")


def test_documents_from_table_ids_and_meta() -> None:
    table = pa.table({"id": ["a", None, "c"], "text": ["x", "y", None], "site": ["S", None, None]})
    docs = list(documents_from_table(table, root="batch"))
    assert [d.id for d in docs] == ["a", "batch:2", "c"]
    assert docs[0].site == "S" and docs[0].meta == {}
    assert (docs[2].source, docs[2].error) == ("", None)


# -- WARC ------------------------------------------------------------------------------------------


def _warc(path: Path, *, gz: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
        html = (
            '<html><head><meta charset="iso-8859-1"><title>T</title></head>'
            "<body><p>caf\xe9</p></body></html>"
        )
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/a",
                "response",
                payload=io.BytesIO(html.encode("latin-1")),
                http_headers=http,
            )
        )
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/a.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\x00"),
                http_headers=png,
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/b", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
        )


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_response_and_skipped_records(tmp_path: Path, gz: bool) -> None:
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(f, gz=gz)
    stats = ReadStats()
    docs = read(f, stats=stats)
    assert len(docs) == 1
    doc = docs[0]
    assert doc.id == f"{f.name}:2"
    assert (doc.kind, doc.url) == ("html", "https://news.example/a")
    assert "<p>café</p>" in doc.source and doc.fixes == ["decode:cp1252"]
    assert doc.meta["http_status"] == "200" and doc.meta["warc_record_id"].startswith("<urn:uuid:")
    assert stats.skipped == {
        "warc warcinfo record": 1,
        "warc response image/png": 1,
        "warc request record": 1,
    }
    assert stats.files == 1 and stats.bytes == f.stat().st_size


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_warc_gives_records_read_plus_one_error(tmp_path: Path, name: str) -> None:
    """Cut the file at every third byte: damage is always reported, except at a record boundary."""
    f = tmp_path / name
    _warc(f, gz=name.endswith(".gz"))
    data = f.read_bytes()
    for cut in range(1, len(data), 3):
        f.write_bytes(data[:cut])
        docs = read(f)
        errors = [d for d in docs if d.error]
        good = [d.id for d in docs if not d.error]
        assert good in ([f"{name}:2"], []), (cut, docs)
        rest = data[cut:]
        if name.endswith(".gz"):
            at_boundary = rest.startswith(b"\x1f\x8b")  # between two gzip members
        else:  # within the blank lines that follow a record
            tails = (b"", b"\n", b"\r\n", b"\n\r\n", b"\r\n\r\n")
            at_boundary = rest in tails or any(rest.startswith(t + b"WARC/1.0") for t in tails)
        if at_boundary:
            assert errors == [], (cut, docs)
        else:
            assert len(errors) == 1 and docs[-1] is errors[0], (cut, docs)
            assert "damaged at record" in (errors[0].error or "")


def test_warc_record_over_the_cap_and_the_records_after_it(tmp_path: Path) -> None:
    f = tmp_path / "big.warc"
    with open(f, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        for body in (b"<p>" + b"x" * 5000 + b"</p>", b"<p>small</p>"):
            writer.write_record(
                writer.create_warc_record(
                    "https://e.example/", "response", payload=io.BytesIO(body), http_headers=http
                )
            )
    docs = read(f, max_doc_bytes=1000)
    assert [d.id for d in docs] == ["big.warc:1", "big.warc:2"]
    assert (docs[0].error or "").startswith("record is 5007 bytes, over --max-doc-bytes 1000")
    assert docs[1].source == "<p>small</p>"


def test_html_file_with_a_declared_charset(tmp_path: Path) -> None:
    f = tmp_path / "ru.htm"
    html = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир</p></body></html>'
    f.write_bytes(html.encode("cp1251"))
    doc = one(f)
    assert (doc.kind, doc.source, doc.fixes) == ("html", html, ["decode:cp1251"])


# -- folders, ids, filters, loops ------------------------------------------------------------------


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "news" / "2024").mkdir(parents=True)
    (root / "blog").mkdir()
    (root / "b.txt").write_text("b")
    (root / "a-b.txt").write_text("ab")
    (root / "news" / "2024" / "x.txt").write_text("x")
    (root / "news" / "y.md").write_text("y")
    (root / "blog" / "p.html").write_text("<p>p</p>")
    (root / "blog" / "logo.png").write_bytes(b"\x89PNG")
    (root / "notes").write_text("no extension")
    (root / "data.tar.gz").write_bytes(b"")
    return root


def test_folder_ids_paths_order_and_skips(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    stats = ReadStats()
    docs = read(root, stats=stats)
    assert [d.id for d in docs] == [
        "corpus/a-b.txt",
        "corpus/b.txt",
        "corpus/blog/p.html",
        "corpus/news/2024/x.txt",
        "corpus/news/y.md",
    ]
    assert docs[3].path == os.path.join(str(root), "news", "2024", "x.txt")
    assert stats.files == 5
    assert stats.skipped == {"extension .png": 1, "extension (none)": 1, "extension .tar.gz": 1}
    assert stats.bytes == sum(len(d.source.encode()) for d in docs)


def test_folder_given_with_trailing_slash_or_as_dot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path)
    assert read(f"{root}/")[0].id == "corpus/a-b.txt"
    monkeypatch.chdir(root)
    doc = read(".")[0]
    assert (doc.id, doc.path) == ("corpus/a-b.txt", os.path.join(".", "a-b.txt"))


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    stats = ReadStats()
    ids = [
        d.id for d in read(root, include=["*.txt", "*.md"], exclude=["news/2024/**"], stats=stats)
    ]
    assert ids == ["corpus/a-b.txt", "corpus/b.txt", "corpus/news/y.md"]
    assert stats.skipped["excluded"] == 1
    assert stats.skipped["not included"] == 4  # p.html, logo.png, notes, data.tar.gz
    assert [d.id for d in read(root, include=["news/**"])] == [
        "corpus/news/2024/x.txt",
        "corpus/news/y.md",
    ]


def test_directory_symlink_loop_is_skipped_and_counted(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "t.txt").write_text("t")
    os.symlink("..", root / "sub" / "up")  # sub/up -> loop/
    os.symlink(root, root / "self")  # self -> loop/
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "o.txt").write_text("o")
    os.symlink(other, root / "linked")  # not a loop: followed
    stats = ReadStats()
    docs = read(root, stats=stats)
    assert [d.id for d in docs] == ["loop/linked/o.txt", "loop/sub/t.txt"]
    assert stats.skipped["symlink loop"] == 2


def test_dangling_symlink_is_an_error_row(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    os.symlink(tmp_path / "missing.txt", root / "gone.txt")
    doc = one(root)
    assert doc.id == "r/gone.txt" and (doc.error or "").startswith("cannot read")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_an_error_row(tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("s")
    f.chmod(0)
    doc = one(f)
    assert doc.error is not None and "permission denied" in doc.error


def test_missing_input_is_an_error_row(tmp_path: Path) -> None:
    doc = one(tmp_path / "nope.txt")
    assert doc.id == "nope.txt" and (doc.error or "").startswith("no such file or folder")


def test_unknown_extension_named_directly_is_skipped(tmp_path: Path) -> None:
    f = tmp_path / "photo.JPG"
    f.write_bytes(b"\xff\xd8")
    stats = ReadStats()
    assert read(f, stats=stats) == []
    assert stats.skipped == {"extension .jpg": 1} and stats.files == 0


def test_read_file_and_file_format() -> None:
    assert file_format("a.warc.gz") == ("warc", ".gz")
    assert file_format("a.TXT") == ("text", None)
    assert file_format("a.gz") is None
    with pytest.raises(ValueError, match="extension"):
        list(read_file("x.png", "x.png", Options()))


def test_stats_merge_and_dict() -> None:
    a = ReadStats(files=1, bytes=2)
    b = ReadStats(files=3, bytes=4)
    b.skipped["symlink loop"] += 1
    a.merge(b)
    assert a.as_dict() == {"files": 4, "bytes": 6, "skipped": {"symlink loop": 1}}
