"""Ingesting articles: the document, its items with their evidence, duplicates, files."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from parklink.accounts.models import User
from parklink.core.errors import Forbidden, Invalid
from parklink.intel.models import Document, Item
from parklink.intel.services import ingest_files, ingest_text
from tests.intel.conftest import ARTICLE, World

pytestmark = pytest.mark.django_db


def _names(document: Document) -> set[str]:
    return set(document.items.values_list("name", flat=True))


def test_an_article_becomes_a_document_and_pending_items_with_evidence(world: World) -> None:
    officer = world.users["zhangye"]
    outcome = ingest_text(officer, ARTICLE, title="张掖经开区重点项目集中签约")
    document = outcome.document
    assert not outcome.duplicate
    assert document.owner_id == officer.organization_id
    assert document.ingested_by == officer
    assert document.original == ARTICLE
    assert document.published == date(2025, 3, 22)
    assert document.projects_found == outcome.items == document.items.count() >= 2
    assert all(item.status == "pending" for item in document.items.all())
    storage = document.items.get(name__contains="储能电池")
    assert storage.data["amount"] == "300000000"
    assert storage.data["qualifier"] == "about"  # 约3亿元
    assert storage.data["enterprise"] == "张掖晨光储能科技有限公司"
    # the evidence sentence is where the page highlights it, in the original text
    start, end = storage.spans["amount"]["sentence"]
    assert "投资约3亿元" in ARTICLE[start:end]
    start, end = storage.spans["amount"]["start"], storage.spans["amount"]["end"]
    assert "3亿元" in ARTICLE[start:end]
    assert storage.extracted["investment"]["qualifier"] == "about"
    # the revenue figure and the related-article teaser are not projects
    assert not any("50亿" in (i.data.get("amount") or "") for i in document.items.all())
    assert not document.items.filter(data__amount="2000000000").exists()


def test_the_same_text_again_is_not_ingested_twice(world: World) -> None:
    officer = world.users["zhangye"]
    first = ingest_text(officer, ARTICLE, title="标题一", url="https://a.example.org/1")
    again = ingest_text(officer, ARTICLE, title="另一个标题", url="https://b.example.org/2")
    assert again.duplicate and again.document.pk == first.document.pk
    assert Document.objects.count() == 1


def test_the_same_article_republished_with_other_chrome_is_a_duplicate(world: World) -> None:
    officer = world.users["zhangye"]
    first = ingest_text(officer, ARTICLE)
    body = ARTICLE.split("\n", 2)[2].split("相关文章")[0]
    republished = (
        "首页 | 新闻 | 联系我们\n转载自某门户网站\n"
        + body.replace("。", "。 ")
        + "\n分享到:微信 微博\n版权所有 © 2025 某网站 陇ICP备12345678号\n"
    )
    again = ingest_text(officer, republished, title="转载:重点项目签约")
    assert again.duplicate and again.document.pk == first.document.pk


def test_each_organisation_keeps_its_own_copy(world: World) -> None:
    ingest_text(world.users["zhangye"], ARTICLE)
    other = ingest_text(world.users["jinniu"], ARTICLE)
    assert not other.duplicate
    assert Document.objects.count() == 2


def test_a_viewer_cannot_ingest_and_empty_text_is_refused(world: World) -> None:
    with pytest.raises(Forbidden):
        ingest_text(world.users["jinniu_viewer"], ARTICLE)
    with pytest.raises(Invalid) as refused:
        ingest_text(world.users["zhangye"], "   \n ")
    assert "text" in refused.value.detail
    assert not Document.objects.exists()


def _docx(text: str) -> bytes:
    from docx import Document as Docx

    book = Docx()
    for line in text.splitlines():
        book.add_paragraph(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 10)
    y = 800
    for line in text.splitlines():
        while line:
            page.drawString(40, y, line[:48])
            line, y = line[48:], y - 16
    page.save()
    return buffer.getvalue()


def _html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines()[2:])
    return (
        "<html><head><title>张掖经开区重点项目集中签约</title></head><body>"
        "<nav>首页 新闻中心 园区动态</nav>"
        f"<article>{paragraphs}</article><footer>版权所有</footer></body></html>"
    ).encode()


def test_files_of_every_kind_and_a_zip_are_read_and_errors_reported_per_file(
    world: World,
) -> None:
    officer = world.users["zhangye"]
    other_article = ARTICLE.replace("甘肃云海新材料", "酒泉风电装备").replace("3月21日", "4月2日")
    pdf_article = ARTICLE.replace("甘肃云海新材料", "张掖绿能氢能").replace("3月21日", "5月9日")
    docx_article = ARTICLE.replace("甘肃云海新材料", "河西走廊光伏").replace("3月21日", "6月1日")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inner/a.txt", other_article.encode("utf-8"))
        zipped.writestr("inner/photo.jpg", b"\xff\xd8\xff")
    files = [
        ("article.txt", ARTICLE.encode("utf-8")),
        ("article.html", _html(ARTICLE.replace("3月21日", "3月23日"))),
        ("article.docx", _docx(docx_article)),
        ("article.pdf", _pdf(pdf_article)),
        ("batch.zip", archive.getvalue()),
        ("broken.pdf", b"%PDF-1.4 not really"),
        ("notes.xlsx", b"PK"),
    ]
    seen: list[tuple[int, int]] = []
    outcomes = ingest_files(officer, files, progress=lambda done, total: seen.append((done, total)))
    by_name = {o.name: o for o in outcomes}
    assert seen[-1] == (len(files), len(files))
    assert by_name["article.txt"].document_id and not by_name["article.txt"].error
    for name in ("article.docx", "article.pdf", "batch.zip/inner/a.txt"):
        assert by_name[name].document_id, (name, by_name[name].error)
        assert by_name[name].items >= 1, name
    assert "不支持" in by_name["batch.zip/inner/photo.jpg"].error
    assert by_name["broken.pdf"].error and not by_name["broken.pdf"].document_id
    assert "不支持" in by_name["notes.xlsx"].error
    pdf_doc = Document.objects.get(pk=by_name["article.pdf"].document_id)
    assert "张掖绿能氢能" in pdf_doc.text
    assert Item.objects.filter(document=pdf_doc, name__contains="储能电池").exists()


def test_a_bad_zip_is_reported_and_the_others_continue(world: World) -> None:
    officer: User = world.users["zhangye"]
    outcomes = ingest_files(
        officer, [("bad.zip", b"not a zip"), ("ok.txt", ARTICLE.encode("utf-8"))]
    )
    assert "zip" in outcomes[0].error
    assert outcomes[1].document_id


def test_a_file_above_the_size_limit_is_refused_alone(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARKLINK_IMPORT_MAX_BYTES = 200
    outcomes = ingest_files(
        world.users["zhangye"],
        [("big.txt", ARTICLE.encode("utf-8") * 3), ("small.txt", "太短".encode())],
    )
    assert "文件过大" in outcomes[0].error and not outcomes[0].document_id
    assert outcomes[1].document_id  # a short text is still ingested (with no project found)
    assert outcomes[1].items == 0
