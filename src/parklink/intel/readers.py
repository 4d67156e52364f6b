"""Read an article file's bytes into text, title, date and URL (pure: no Django).

- .txt: UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312), else UTF-16
  when it starts with a BOM;
- .html/.htm: the standard library's HTML parser; scripts, styles, navigation, headers, footers,
  asides, forms and blocks whose class or id says nav/menu/sidebar/footer/share/comment/ad/related
  are dropped; block elements become lines; title from og:title, <title> or <h1>; date and URL
  from the usual meta tags (article:published_time, publishdate, PubDate, canonical link);
- .docx: python-docx (paragraphs and table cells in order; title and date from core properties);
- .pdf: pypdf's text extraction, page by page.

`ReadError` says in Chinese and English which file could not be read and why.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import PurePath

SUPPORTED = (".txt", ".html", ".htm", ".docx", ".pdf")
FOLDER_SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 20 * 1024 * 1024


class ReadError(ValueError):
    def __init__(self, name: str, zh: str, en: str) -> None:
        super().__init__(f"{name}: {zh}")
        self.name, self.zh, self.en = name, zh, en


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    title: str = ""
    published: date | None = None
    url: str = ""


def read_bytes(name: str, data: bytes) -> Document:
    """Read a file's content by its name's suffix."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(
            name,
            f"不支持的文件类型“{suffix or '无后缀'}”(支持 .txt .html .docx .pdf)",
            f"unsupported file type {suffix or '(none)'!r} (.txt .html .docx .pdf are read)",
        )
    if len(data) > MAX_BYTES:
        raise ReadError(name, "文件超过 20 MB", "file larger than 20 MB")
    if suffix == ".txt":
        return Document(name, text_tables(decode_text(name, data)))
    if suffix in (".html", ".htm"):
        return read_html(name, decode_text(name, data, html=True))
    if suffix == ".docx":
        return read_docx(name, data)
    return read_pdf(name, data)


def decode_text(name: str, data: bytes, *, html: bool = False) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(name, "UTF-16 文本已损坏", "broken UTF-16 text") from exc
    if html:
        declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:2048])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        name, "无法识别文本编码(既不是 UTF-8 也不是 GBK)", "text is neither UTF-8 nor GBK"
    )


_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "template",
    "head",
}
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "hr",
    "figcaption",
}
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumb|sidebar|side|aside|footer|foot|header|share"
    r"|comment|comments|ad|ads|advert|banner|related|recommend|hot|rank|toolbar|copyright|login"
    r"|social|tags|pager|pagination)(?:$|[\s_-])",
    re.IGNORECASE,
)
_VOID = {
    "br",
    "hr",
    "img",
    "meta",
    "link",
    "input",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
    "param",
}
_DATE_META = {
    "article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "og:release_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "datepublished",
    "firstpublishedtime",
}


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.title = ""
        self.og_title = ""
        self.h1 = ""
        self.in_title = False
        self.in_h1 = False
        self.meta_date = ""
        self.url = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop") or ""
            key = key.lower()
            if key == "og:title":
                self.og_title = values.get("content", "")
            elif key in _DATE_META and not self.meta_date:
                self.meta_date = values.get("content", "")
            elif key == "og:url" and not self.url:
                self.url = values.get("content", "")
            return
        if tag == "link" and values.get("rel", "").lower() == "canonical":
            self.url = values.get("href", "") or self.url
            return
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag == "br":
                self._flush()
            return
        noisy = tag in _SKIP_TAGS or bool(
            _NOISE.search(values.get("class", "")) or _NOISE.search(values.get("id", ""))
        )
        self.stack.append((tag, noisy))
        if noisy:
            self.skip_depth += 1
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK_TAGS:
            self._flush()
        elif tag in ("td", "th") and self.current:
            self.current.append(CELL)  # a table row reads as one clause per cell

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in _VOID:
            return
        # Close up to the matching open tag (HTML in the wild leaves tags open).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _, noisy in self.stack[index:]:
                    if noisy:
                        self.skip_depth -= 1
                del self.stack[index:]
                break
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self.current.append(data)

    def _flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []


CELL = "\ue000"  # between table cells until the table is read
_UNIT_HEADER = re.compile(
    r"^(?P<label>[^((]*?(?:投资|金额|资金|投资额|总额)[^((]*?)\s*[((](?P<unit>万亿元|亿元|万元|亿|万|元)[))]"
)
_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def table_lines(lines: list[str]) -> list[str]:
    """Rows of a table as lines of comma-separated cells. A column whose header gives the unit
    ("总投资(亿元)") lends it to its bare numbers: "12.5" → "总投资12.5亿元", so a project list
    kept as a table reads like one written out."""
    result: list[str] = []
    units: dict[int, tuple[str, str]] = {}
    width = 0
    for line in lines:
        if CELL not in line:
            units, width = {}, 0
            result.append(line)
            continue
        cells = line.split(CELL)
        found = {
            i: (m.group("label").strip(), m.group("unit"))
            for i, cell in enumerate(cells)
            if (m := _UNIT_HEADER.match(cell.strip()))
        }
        if found:
            units, width = found, len(cells)
        elif units and len(cells) == width:
            cells = [
                f"{units[i][0]}{cell}{units[i][1]}"
                if i in units and _BARE_NUMBER.match(cell.strip())
                else cell
                for i, cell in enumerate(cells)
            ]
        result.append(",".join(c.strip() for c in cells))
    return result


def text_tables(text: str) -> str:
    """Tab-separated rows of a plain-text file read as a table (see `table_lines`); a file
    without tabs is returned as it is, so offsets into it stay the file's own."""
    if "\t" not in text:
        return text
    lines = [re.sub(r"\t+", CELL, line.strip("\t")) for line in text.split("\n")]
    return "\n".join(table_lines(lines))


_SITE_SUFFIX = re.compile(r"\s*[_|\-–—]\s*[^_|\-–—]{2,20}$")


def read_html(name: str, markup: str) -> Document:
    parser = _Html()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as exc:  # pragma: no cover - HTMLParser is lenient
        raise ReadError(name, f"HTML 无法解析:{exc}", f"HTML could not be parsed: {exc}") from exc
    parser._flush()
    parser.lines = table_lines(parser.lines)
    title = (
        parser.og_title.strip() or parser.h1.strip() or _SITE_SUFFIX.sub("", parser.title.strip())
    )
    text = "\n".join(parser.lines)
    if title and title not in text[:300]:
        text = f"{title}\n{text}"
    return Document(name, text, title, parse_date(parser.meta_date), parser.url)


def parse_date(text: str) -> date | None:
    match = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_docx(name: str, data: bytes) -> Document:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError(name, "未安装 python-docx", "python-docx is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(name, "不是有效的 Word(.docx)文件", "not a valid .docx file") from exc
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        rows = []
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                rows.append(CELL.join(dict.fromkeys(cells)))
        lines.extend(table_lines(rows))
    props = document.core_properties
    created = props.created.date() if props.created else None
    return Document(name, "\n".join(lines), props.title or "", created)


def read_pdf(name: str, data: bytes) -> Document:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError(name, "未安装 pypdf", "pypdf is not installed") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(name, "PDF 已加密,无法读取", "the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadError(name, "不是有效的 PDF 文件", f"not a valid PDF: {exc}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(name, "PDF 中没有可提取的文字(可能是扫描件)", "the PDF has no text layer")
    meta = reader.metadata
    title = (meta.title or "") if meta else ""
    return Document(name, text, title)
