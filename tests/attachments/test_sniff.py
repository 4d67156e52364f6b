"""Types come from the bytes: renamed, disguised and dangerous files are named and refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from parklink.attachments import sniff
from tests.attachments.conftest import docx_bytes, pdf_bytes, png_bytes


def kind(data: bytes, name: str) -> str:
    return sniff.sniff(io.BytesIO(data), name).code


def refused(data: bytes, name: str) -> sniff.Refused:
    with pytest.raises(sniff.Refused) as caught:
        sniff.sniff(io.BytesIO(data), name)
    return caught.value


def test_common_documents_and_images_are_recognised() -> None:
    assert kind(pdf_bytes(), "协议.PDF") == "pdf"
    assert kind(png_bytes(), "现场.png") == "png"
    assert kind(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a.jpg") == "jpeg"
    assert kind(b"GIF89a\x01\x00\x01\x00", "a.gif") == "gif"
    assert kind(b"RIFF\x10\x00\x00\x00WEBPVP8 ", "a.webp") == "webp"
    assert kind(docx_bytes(), "批复.docx") == "docx"
    assert kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "台账.xls") == "xls"
    assert kind("名称,金额\n甲,1\n".encode(), "清单.csv") == "csv"
    assert kind("会议纪要".encode("gb18030"), "纪要.txt") == "txt"


def test_an_xlsx_and_an_ofd_are_told_apart_from_a_plain_zip() -> None:
    def zipped(*names: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in names:
                archive.writestr(name, "x")
        return out.getvalue()

    assert kind(zipped("xl/workbook.xml"), "a.xlsx") == "xlsx"
    assert kind(zipped("OFD.xml", "Doc_0/Document.xml"), "发票.ofd") == "ofd"
    assert kind(zipped("notes.txt"), "a.zip") == "zip"


def test_a_renamed_file_is_refused_with_what_it_really_is() -> None:
    error = refused(png_bytes(), "协议.pdf")
    assert error.code == "mismatch"
    assert ".pdf" in error.message and "PNG 图片" in error.message


def test_html_is_refused_whatever_its_name() -> None:
    assert refused(b"<!DOCTYPE html><script>alert(1)</script>", "page.txt").code == "html"
    assert refused(b"\xef\xbb\xbf  <html><body>x</body></html>", "a.csv").code == "html"
    assert refused(b"hello", "page.html").code == "html"
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
    assert refused(svg, "logo.png").code == "svg"


def test_programs_and_unknown_bytes_are_refused() -> None:
    assert refused(b"MZ\x90\x00" + b"\0" * 60, "setup.pdf").code == "exe"
    assert refused(b"\x7fELF\x02\x01", "tool").code == "elf"
    assert refused(b"\x00\x01\x02\x03garbage", "data.bin").code == "unknown"
    assert refused(b"", "empty.pdf").code == "empty"
    assert refused(b"PK\x03\x04broken", "a.docx").code == "broken"
