"""What a file is, read from its bytes (never from the name or the type the browser sent).

No Django here: `sniff(stream, name)` looks at the leading bytes (and, for a zip, at the names
inside it) and returns the `FileType`, or raises `Refused` with the reason in words a user
understands. The caller then checks the type against the installation's allowed list.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

HEAD = 8192


@dataclass(frozen=True)
class FileType:
    code: str
    mime: str
    label: str  # Chinese; the caller translates through its own catalogue
    extensions: tuple[str, ...]
    image: bool = False


TYPES: dict[str, FileType] = {
    t.code: t
    for t in (
        FileType("pdf", "application/pdf", "PDF 文档", ("pdf",)),
        FileType("ofd", "application/ofd", "OFD 版式文档", ("ofd",)),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档",
            ("docx",),
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 表格",
            ("xlsx",),
        ),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint 演示文稿",
            ("pptx",),
        ),
        FileType("doc", "application/msword", "Word 97-2003 文档", ("doc", "wps")),
        FileType("xls", "application/vnd.ms-excel", "Excel 97-2003 表格", ("xls", "et")),
        FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97-2003 演示文稿", ("ppt",)),
        FileType("jpeg", "image/jpeg", "JPEG 图片", ("jpg", "jpeg"), image=True),
        FileType("png", "image/png", "PNG 图片", ("png",), image=True),
        FileType("gif", "image/gif", "GIF 图片", ("gif",), image=True),
        FileType("webp", "image/webp", "WebP 图片", ("webp",), image=True),
        FileType("txt", "text/plain", "文本文件", ("txt", "md", "log")),
        FileType("csv", "text/csv", "CSV 表格", ("csv",)),
        FileType("zip", "application/zip", "ZIP 压缩包", ("zip",)),
    )
}

# Kinds that are never accepted, whatever the settings say: a browser could run them.
DANGEROUS = {
    "html": "网页(HTML)",
    "svg": "SVG 矢量图(可含脚本)",
    "xml": "XML 文件",
    "exe": "Windows 可执行程序",
    "elf": "Linux 可执行程序",
    "script": "脚本文件",
}
_DANGEROUS_EXTENSIONS = {
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "shtml": "html",
    "svg": "svg",
    "svgz": "svg",
    "xml": "xml",
    "exe": "exe",
    "dll": "exe",
    "msi": "exe",
    "bat": "script",
    "cmd": "script",
    "js": "script",
    "vbs": "script",
    "ps1": "script",
    "sh": "script",
    "jar": "script",
}
_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<iframe", b"<body", b"<head")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_KINDS = {"doc": "doc", "wps": "doc", "xls": "xls", "et": "xls", "ppt": "ppt"}


class Refused(Exception):
    """A file that is not accepted; `code` names the kind sniffed (or "unknown")."""

    def __init__(self, message: str, code: str = "unknown") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def extension(name: str) -> str:
    """The file name's extension, lower case, without the dot ("" when it has none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def sniff(stream: BinaryIO, name: str) -> FileType:
    """The file's type from its bytes; `name` only tells apart kinds that share a format
    (Word/Excel 97-2003 compound files, plain text vs CSV) and must agree with the bytes."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    ext = extension(name)
    if ext in _DANGEROUS_EXTENSIONS:
        code = _DANGEROUS_EXTENSIONS[ext]
        raise Refused(f"不接受{DANGEROUS[code]}(.{ext})。", code)
    if not head:
        raise Refused("文件是空的。", "empty")
    found = _by_magic(stream, head, ext)
    if found.extensions and ext not in found.extensions:
        shown = f".{ext}" if ext else "(无扩展名)"
        raise Refused(
            f"文件扩展名 {shown} 与内容不符:内容是{found.label},应为 .{found.extensions[0]}。",
            "mismatch",
        )
    return found


def _by_magic(stream: BinaryIO, head: bytes, ext: str) -> FileType:
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return TYPES["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return TYPES["gif"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return TYPES["webp"]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    if head.startswith(_OLE):
        if ext in _OLE_KINDS:
            return TYPES[_OLE_KINDS[ext]]
        raise Refused("这是 Office 97-2003 格式的文件,但扩展名不是 .doc、.xls 或 .ppt。", "ole")
    if head.startswith(b"MZ"):
        raise Refused(f"不接受{DANGEROUS['exe']}。", "exe")
    if head.startswith(b"\x7fELF"):
        raise Refused(f"不接受{DANGEROUS['elf']}。", "elf")
    if head.startswith(b"#!"):
        raise Refused(f"不接受{DANGEROUS['script']}。", "script")
    text = _text(head)
    if text is None:
        raise Refused("无法识别文件类型(既不是常见文档、图片,也不是文本)。")
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("<?xml"):
        code = "svg" if "<svg" in lowered else "xml"
        raise Refused(f"不接受{DANGEROUS[code]}。", code)
    if any(marker.decode() in lowered for marker in _MARKUP):
        raise Refused(f"不接受{DANGEROUS['html']}:文件中含有网页标记。", "html")
    return TYPES["csv"] if ext == "csv" else TYPES["txt"]


def _zip_kind(stream: BinaryIO) -> FileType:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("文件像是压缩包,但已损坏,无法读取。", "broken") from None
    finally:
        stream.seek(0)
    if "word/document.xml" in names:
        return TYPES["docx"]
    if "xl/workbook.xml" in names:
        return TYPES["xlsx"]
    if "ppt/presentation.xml" in names:
        return TYPES["pptx"]
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return TYPES["ofd"]
    return TYPES["zip"]


def _text(head: bytes) -> str | None:
    """The head as text when it is UTF-8 (or GB18030) without control characters, else None."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            # A character cut in two at the end of the head is still text.
            if error.start < len(head) - 4:
                continue
            text = head[: error.start].decode(encoding)
        if all(ch >= " " or ch in "\t\r\n\f" for ch in text):
            return text
    return None
