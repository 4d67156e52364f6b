"""PDF documents with Chinese text: a title, headings, paragraphs, notices, tables, and a footer
with page numbers on every page (reportlab's platypus; no Django, no app).

Chinese is set in a TrueType CJK font embedded in the file (only the glyphs used, with a
ToUnicode map, so a reader shows the same shapes everywhere and extracts the same characters):
the file named by `PARKLINK_PDF_FONT` (a .ttf or .ttc with TrueType outlines; `path:index` picks
a face of a collection), else the first of `SYSTEM_FONTS` installed (Debian's
`fonts-wqy-microhei`, which `make test` installs, or `fonts-droid-fallback`, `fonts-arphic-uming`,
`fonts-wqy-zenhei`). Without one, the text is set in `STSong-Light`, one of the Adobe standard
CID fonts reportlab ships the metrics of: no font file is needed and the text is still written as
Unicode (UniGB-UCS2-H), but the glyphs are then the reader's own Song font. Either way
tests/core/test_pdf.py reads the Chinese back with pypdf; nothing is downloaded at run time.

    doc = Document(title="对账单", subtitle="2025Q1", footer="金什合作产业园",
                   page_text="第 {page} 页 / 共 {pages} 页", notices=["仅用于考核,不得对外公布"])
    doc.heading("按指标")
    doc.table(["指标", "数额(元)"], [["增值税地方留成", "617,283.95"]], numeric=[1])
    data = doc.render()          # bytes

`notices` are printed under the title and again in the footer of every page, so a label that
must travel with the figures ("示例数据", "仅用于考核") is on each sheet of paper.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

CID_FONT = "STSong-Light"
EMBEDDED_FONT = "ParkLinkCJK"
# TrueType CJK fonts of Debian packages, in order of preference (path, face of a collection).
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
)
_chosen: str | None = None


def font_file() -> tuple[str, int] | None:
    """The TrueType font to embed (path, face), or None to use the CID font."""
    configured = os.environ.get("PARKLINK_PDF_FONT", "").strip()
    if configured:
        path, sep, face = configured.rpartition(":")
        if sep and path and face.isdigit():
            return path, int(face)
        return configured, 0
    return next(((path, face) for path, face in SYSTEM_FONTS if os.path.exists(path)), None)


def cjk_font() -> str:
    """The name of the CJK font, registered with reportlab on first use: the embedded TrueType
    font when one is configured or installed, else the CID font. A configured font that cannot
    be read is an error (it names the file), not a silent fallback."""
    global _chosen
    if _chosen is None:
        found = font_file()
        if found is None:
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
            _chosen = CID_FONT
        else:
            path, face = found
            try:
                pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=face))
            except Exception as exc:
                raise RuntimeError(f"PDF font {path} (face {face}) cannot be used: {exc}") from exc
            _chosen = EMBEDDED_FONT
    return _chosen


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14),
        "h1": ParagraphStyle("h1", parent=base, fontSize=12, leading=17, spaceBefore=10),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=15, spaceBefore=8),
        "body": base,
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            textColor=colors.HexColor("#a8071a"),
            borderColor=colors.HexColor("#a8071a"),
            borderWidth=0.6,
            borderPadding=3,
            spaceBefore=4,
            spaceAfter=6,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5, alignment=TA_LEFT),
        "cell_num": ParagraphStyle(
            "cell_num", parent=base, fontSize=8, leading=10.5, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle("head", parent=base, fontSize=8, leading=10.5),
    }


def text(value: Any) -> str:
    """Any value as paragraph markup: escaped, line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


@dataclass
class Document:
    """A document built from top to bottom, rendered once by `render`."""

    title: str
    subtitle: str = ""
    footer: str = ""
    page_text: str = "{page} / {pages}"
    notices: Sequence[str] = ()
    wide: bool = False  # landscape A4 for wide tables
    author: str = "ParkLink"
    _story: list[Flowable] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.styles = _styles()
        self._story.append(Paragraph(text(self.title), self.styles["title"]))
        if self.subtitle:
            self._story.append(Paragraph(text(self.subtitle), self.styles["subtitle"]))
        for notice in self.notices:
            self.notice(notice)
        self._story.append(Spacer(1, 4 * mm))

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.wide else A4

    @property
    def width(self) -> float:
        """The width between the margins, in points."""
        return self.pagesize[0] - 30 * mm

    def heading(self, value: str, level: int = 1) -> None:
        self._story.append(Paragraph(text(value), self.styles["h1" if level <= 1 else "h2"]))

    def paragraph(self, value: str) -> None:
        self._story.append(Paragraph(text(value), self.styles["body"]))

    def notice(self, value: str) -> None:
        """A framed line in red: a label that must not be missed."""
        self._story.append(Paragraph(text(value), self.styles["notice"]))

    def page_break(self) -> None:
        self._story.append(PageBreak())

    def table(
        self,
        header: Sequence[Any],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        numeric: Sequence[int] = (),
        total: bool = False,
    ) -> None:
        """A table whose header repeats on every page; `widths` are fractions of the text width,
        `numeric` the columns aligned right, `total` sets the last row in bold rule."""
        cell, number = self.styles["cell"], self.styles["cell_num"]
        right = set(numeric)
        data = [[Paragraph(text(value), self.styles["head"]) for value in header]]
        for row in rows:
            data.append(
                [
                    Paragraph(text(value), number if index in right else cell)
                    for index, value in enumerate(row)
                ]
            )
        columns = (
            [self.width * share for share in widths]
            if widths
            else [self.width / max(1, len(header))] * len(header)
        )
        style = [
            ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f2f5")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#595959")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#d9d9d9")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if total and rows:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
        flowable = Table(data, colWidths=columns, repeatRows=1, style=TableStyle(style))
        self._story.append(KeepTogether([flowable]) if len(rows) < 8 else flowable)

    def render(self) -> bytes:
        """The PDF as bytes; every page gets the footer, the notices and "page of pages"."""
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=20 * mm,
            title=self.title,
            subject=self.subtitle,
            author=self.author,
        )
        footer, page_text, notices = self.footer, self.page_text, tuple(self.notices)
        pagesize = self.pagesize

        class Numbered(Canvas):
            """Holds each page until the end, when the number of pages is known."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._pages: list[dict[str, Any]] = []

            def showPage(self) -> None:
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                count = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    self._footer(number, count)
                    super().showPage()
                super().save()

            def _footer(self, number: int, count: int) -> None:
                self.saveState()
                self.setFont(cjk_font(), 7.5)
                self.setFillColor(colors.HexColor("#595959"))
                left, bottom = 15 * mm, 10 * mm
                right = pagesize[0] - 15 * mm
                self.drawString(left, bottom, footer)
                self.drawRightString(right, bottom, page_text.format(page=number, pages=count))
                if notices:
                    self.setFillColor(colors.HexColor("#a8071a"))
                    self.drawString(left, bottom + 10, " · ".join(notices))
                self.restoreState()

        document.build(list(self._story), canvasmaker=Numbered)
        return buffer.getvalue()


def money_text(fen: int) -> str:
    """Integer fen as 元 with thousands separators and two places (exact, no float)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
