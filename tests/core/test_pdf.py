"""core.pdf: Chinese set in the CJK font comes back out of the PDF as the same characters."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from parklink.core import pdf


def read(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_chinese_text_is_extracted_as_written() -> None:
    document = pdf.Document(title="金什合作产业园 对账单", subtitle="2025年第一季度")
    document.heading("按指标")
    document.paragraph("增值税地方留成按协议第2版五五分成。")
    document.table(["指标", "数额(元)"], [["企业所得税地方分享部分", "617,283.95"]], numeric=[1])
    pages = read(document.render())
    assert len(pages) == 1
    text = pages[0]
    for written in (
        "金什合作产业园 对账单",
        "2025年第一季度",
        "按指标",
        "增值税地方留成按协议第2版五五分成。",
        "企业所得税地方分享部分",
        "617,283.95",
    ):
        assert written in text


def fonts_of(data: bytes) -> list[Any]:
    page: Any = PdfReader(io.BytesIO(data)).pages[0]
    resources = page["/Resources"]["/Font"]
    return [resources[name].get_object() for name in resources]


def test_the_cjk_font_is_embedded_when_one_is_installed() -> None:
    if pdf.font_file() is None:
        if os.environ.get("CI"):
            pytest.fail("no TrueType CJK font: `make test` installs fonts-wqy-microhei")
        pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-microhei)")
    data = pdf.Document(title="共建园区 对账单").render()
    # reportlab writes the glyphs used as TrueType subsets (256 glyphs each).
    subsets = [font for font in fonts_of(data) if font["/Subtype"] == "/TrueType"]
    assert subsets
    for font in subsets:
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the glyphs travel along
        assert "/ToUnicode" in font  # and the text reads back as written
    assert "共建园区 对账单" in read(data)[0]


def test_without_a_font_file_the_text_is_set_in_the_cid_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "_chosen", None)
    monkeypatch.setattr(pdf, "SYSTEM_FONTS", ())
    monkeypatch.delenv("PARKLINK_PDF_FONT", raising=False)
    data = pdf.Document(title="共建园区").render()
    assert any(
        font["/BaseFont"] == "/STSong-Light" and font["/Encoding"] == "/UniGB-UCS2-H"
        for font in fonts_of(data)
    )
    assert "共建园区" in read(data)[0]


def test_a_configured_font_that_cannot_be_read_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(pdf, "_chosen", None)
    monkeypatch.setenv("PARKLINK_PDF_FONT", f"{broken}:0")
    assert pdf.font_file() == (str(broken), 0)
    with pytest.raises(RuntimeError, match=r"broken\.ttf"):
        pdf.cjk_font()


def test_every_page_has_its_number_of_all_and_the_notices() -> None:
    document = pdf.Document(
        title="长表",
        footer="ParkLink 测试",
        page_text="第 {page} 页 / 共 {pages} 页",
        notices=["示例数据 / illustrative", "仅用于考核,不得对外公布"],
    )
    document.table(["序号", "说明"], [[str(n), f"第{n}行的说明文字"] for n in range(400)])
    pages = read(document.render())
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
        assert "示例数据 / illustrative" in text
        assert "仅用于考核,不得对外公布" in text
        assert "ParkLink 测试" in text
    # The header row repeats on every page of the table.
    assert all("序号" in text for text in pages)
    assert "第399行的说明文字" in pages[-1]


def test_markup_characters_are_text() -> None:
    document = pdf.Document(title="A & B <c>")
    document.paragraph("1 < 2 & 3 > 2")
    text = read(document.render())[0]
    assert "A & B <c>" in text
    assert "1 < 2 & 3 > 2" in text


@pytest.mark.parametrize(
    ("fen", "written"),
    [(0, "0.00"), (5, "0.05"), (123456789, "1,234,567.89"), (-100001, "-1,000.01")],
)
def test_money_text_is_exact(fen: int, written: str) -> None:
    assert pdf.money_text(fen) == written
