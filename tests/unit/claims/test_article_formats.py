"""An article that is not text (a PDF, a Word file, binary data) is refused with one line saying what was found."""

from __future__ import annotations

import io
import zipfile

import pytest

from analysis.claims.article import decode_article
from analysis.cli import main

EXPECTED = "expected a plain-text, Markdown or HTML article (export it as text or HTML first)"


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
        (docx(), "a Word document (.docx)"),
        (b"PK\x03\x04not really a zip", "a ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an OLE2 compound file (a .doc Word or .xls Excel file)"),
        (b"{\\rtf1\\ansi Median pay $48,780}", "an RTF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"Median pay\x00\x00\x01 $48,780", "binary data, not text (a NUL byte at offset 10)"),
        (b"Median \x81 pay $48,780", "not text: byte 0x81 at offset 7 is neither UTF-8 nor Windows-1252"),
        (bytes(range(1, 9)) * 4 + b"abc", "binary data, not text (32 control characters in its first 35)"),
    ],
)
def test_what_is_not_text_is_named(raw, found):
    assert decode_article(raw) == (None, found)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Median pay: $48,780 — BLS".encode(), "Median pay: $48,780 — BLS"),
        ("\ufeffMedian pay: $48,780".encode(), "Median pay: $48,780"),  # a UTF-8 byte-order mark
        ("Median pay été: $48,780".encode("cp1252"), "Median pay été: $48,780"),  # an older Windows file
        ("Median pay: $48,780".encode("utf-16"), "Median pay: $48,780"),  # UTF-16 with its byte-order mark
        (b"Median\tpay\x0c $48,780 \x1b[1m", "Median\tpay\x0c $48,780 \x1b[1m"),  # tab, form feed, ESC: text
    ],
)
def test_text_in_any_usual_encoding_is_read(raw, text):
    assert decode_article(raw) == (text, "")


@pytest.mark.parametrize("command", [["extract-claims"], ["audit", "--article"]])
def test_extract_claims_and_audit_refuse_a_pdf_in_one_line(tmp_path, capsys, command):
    article = tmp_path / "article.txt"  # the name says text; the bytes say PDF
    article.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert main([*command, str(article)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"error: {article}: the file is a PDF document; {EXPECTED}\n"


def test_a_binary_article_is_refused(tmp_path, capsys):
    article = tmp_path / "article.md"
    article.write_bytes(b"# Pay\n\x00\x01\x02")
    assert main(["extract-claims", str(article)]) == 2
    assert capsys.readouterr().err == (
        f"error: {article}: the file is binary data, not text (a NUL byte at offset 6); {EXPECTED}\n"
    )
