"""Reading article files: encodings, HTML boilerplate, Word and PDF, and clear refusals."""

from __future__ import annotations

import io
from datetime import date

import pytest

from parklink.intel import readers
from tests.intel import evaluation

ARTICLE = "5月18日,恒川汽车零部件产业园项目在襄阳高新区开工,总投资45亿元。"


def test_text_in_utf8_with_bom_gbk_and_utf16() -> None:
    for data in (
        ARTICLE.encode("utf-8"),
        "\ufeff".encode() + ARTICLE.encode("utf-8"),
        ARTICLE.encode("gbk"),
        ARTICLE.encode("utf-16"),
    ):
        assert readers.read_bytes("a.txt", data).text.strip("\ufeff") == ARTICLE


def test_html_keeps_the_article_and_drops_navigation_sidebars_scripts() -> None:
    path = evaluation.ARTICLES / "a27_html_page.html"
    document = readers.read_bytes(path.name, path.read_bytes())
    assert document.title == "总投资35亿元的中创新航电池项目在成都投产"
    assert document.published == date(2025, 9, 18)
    assert document.url == "https://news.example.cn/cd/2025/0918/12345.html"
    assert "中创新航科技集团股份有限公司成都基地一期项目" in document.text
    for noise in ("999亿元", "热门文章", "贵阳", "首页", "分享到", "ICP"):
        assert noise not in document.text, noise


def test_html_in_gbk_declared_in_a_meta_tag() -> None:
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"<title>签约</title></head><body><p>{ARTICLE}</p></body></html>"
    )
    document = readers.read_bytes("page.htm", markup.encode("gb18030"))
    assert ARTICLE in document.text


def test_docx_paragraphs_and_tables() -> None:
    import docx

    word = docx.Document()
    word.core_properties.title = "集中签约"
    word.add_paragraph(ARTICLE)
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "奥能氢能装备产业园项目"
    table.rows[0].cells[1].text = "总投资50亿元"
    buffer = io.BytesIO()
    word.save(buffer)
    document = readers.read_bytes("a.docx", buffer.getvalue())
    assert document.title == "集中签约"
    assert ARTICLE in document.text
    assert "奥能氢能装备产业园项目,总投资50亿元" in document.text


def _pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (ASCII, Helvetica)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        b"<< /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_text_layer() -> None:
    document = readers.read_bytes("a.pdf", _pdf("Total investment 45 yi yuan"))
    assert "Total investment 45 yi yuan" in document.text


def test_bad_files_are_refused_with_the_reason() -> None:
    with pytest.raises(readers.ReadError) as caught:
        readers.read_bytes("a.pdf", b"not a pdf")
    assert "PDF" in caught.value.zh
    with pytest.raises(readers.ReadError) as caught:
        readers.read_bytes("a.docx", b"PK-not-a-zip")
    assert ".docx" in caught.value.en
    with pytest.raises(readers.ReadError) as caught:
        readers.read_bytes("a.xls", b"whatever")
    assert "不支持" in caught.value.zh and ".xls" in caught.value.en
    with pytest.raises(readers.ReadError):
        readers.read_bytes("a.txt", b"\xff\xfe\x00" + bytes(range(128, 256)) * 3)


def test_html_table_cells_are_kept_apart() -> None:
    markup = (
        "<table><tr><td>长虹智能电源产业园项目</td><td>总投资25亿元</td></tr>"
        "<tr><td>京东方智能显示终端扩能项目</td><td>总投资18亿元</td></tr></table>"
    )
    document = readers.read_bytes("t.html", markup.encode())
    assert document.text.splitlines() == [
        "长虹智能电源产业园项目,总投资25亿元",
        "京东方智能显示终端扩能项目,总投资18亿元",
    ]


def test_a_project_table_lends_its_header_unit_to_the_figures() -> None:
    markup = (
        "<p>2025年重点项目表</p><table>"
        "<tr><th>序号</th><th>项目名称</th><th>建设内容</th><th>总投资(亿元)</th></tr>"
        "<tr><td>1</td><td>宏达新材料年产20万吨再生铝项目</td><td>再生铝生产线</td><td>9.6</td></tr>"
        "<tr><td>2</td><td>绿源食品冷链加工园项目</td><td>冷库</td><td>4.2</td></tr>"
        "</table>"
    )
    document = readers.read_bytes("t.html", markup.encode())
    assert "1,宏达新材料年产20万吨再生铝项目,再生铝生产线,总投资9.6亿元" in document.text
    from parklink.intel.extract import extract

    found = {
        p.name.value: p.investment.value for p in extract(document.text).projects if p.investment
    }
    assert found["绿源食品冷链加工园项目"] == 420_000_000


def test_a_tab_separated_table_in_a_text_file() -> None:
    text = "重点项目表\n序号\t项目名称\t总投资(万元)\n1\t县城污水处理厂提标改造项目\t36000\n"
    document = readers.read_bytes("t.txt", text.encode())
    assert "1,县城污水处理厂提标改造项目,总投资36000万元" in document.text
    plain = "没有表格的文章。\n第二段。"
    assert readers.read_bytes("p.txt", plain.encode()).text == plain
