"""Articles into the review queue: pasted text, files (.txt/.html/.docx/.pdf), zips, folders.

Each article is one transaction: its Document and the items the extractor found. An article
already ingested by the organisation (the same normalised text, or the same text under other
chrome, URL or title: `intel.fingerprint`) is reported as a duplicate and not read again. A
file that cannot be read is reported with its reason; the others continue.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid
from parklink.intel import engine, fingerprint
from parklink.intel.fields import item_fields, total_json
from parklink.intel.models import Document, Item
from parklink.intel.services import dedupe

READABLE = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_FILES = 5000  # members of one zip
Progress = Callable[[int, int], None]


@dataclass
class IngestOutcome:
    """One article: the new document, or the earlier one it duplicates."""

    document: Document
    duplicate: bool
    items: int


@dataclass
class FileOutcome:
    """One file's fate: ingested, a duplicate of an earlier document, or an error."""

    name: str
    document_id: int | None = None
    title: str = ""
    duplicate: bool = False
    items: int = 0
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "document": self.document_id,
            "title": self.title,
            "duplicate": self.duplicate,
            "items": self.items,
            "error": self.error,
        }


def check_owner(user: User, owner_id: int | None) -> int:
    """The organisation whose queue receives the articles; the user must be able to write."""
    return _owner_id(user, owner_id)


def _owner_id(user: User, owner_id: int | None) -> int:
    owner_id = owner_id or user.organization_id
    if owner_id is None:
        raise Invalid(_("请指定所属机构"), detail={"owner": _("请指定所属机构")})
    ensure_can_write(user, owner_id)
    return owner_id


def find_duplicate(owner_id: int, text_hash: str, near: str) -> Document | None:
    """The organisation's earlier document with the same text (or the same text re-dressed)."""
    same = Document.objects.filter(owner_id=owner_id)
    return same.filter(content_hash=text_hash).first() or same.filter(near_key=near).first()


@transaction.atomic
def ingest_text(
    user: User,
    raw: str,
    *,
    title: str = "",
    url: str = "",
    published: date | None = None,
    source_name: str = "",
    owner_id: int | None = None,
    gazetteer: Any = None,
) -> IngestOutcome:
    """Read one article into the organisation's queue (or find that it is already there)."""
    owner_id = _owner_id(user, owner_id)
    if not (raw or "").strip():
        raise Invalid.on("text", _("文章内容为空"))
    if gazetteer is None:
        gazetteer = dedupe.gazetteer()
    extraction = engine.run(raw, title=title, published=published, gazetteer=gazetteer)
    text_hash = fingerprint.content_hash(extraction.text)
    near = fingerprint.near_key(extraction.text)
    earlier = find_duplicate(owner_id, text_hash, near)
    if earlier is not None:
        return IngestOutcome(earlier, True, earlier.items.count())
    document = Document.objects.create(
        owner_id=owner_id,
        title=(title or extraction.title or source_name or _("未命名文章"))[:300],
        url=url[:1000],
        published=published or extraction.published,
        source_name=source_name[:255],
        original=raw,
        text=extraction.text,
        content_hash=text_hash,
        near_key=near,
        ingested_by=user,
        totals=total_json(extraction),
        projects_found=len(extraction.projects),
    )
    items = []
    for position, project in enumerate(extraction.projects):
        data, spans, extracted = item_fields(extraction, project)
        items.append(
            Item(
                owner_id=owner_id,
                document=document,
                position=position,
                name=data["name"][:200],
                data=data,
                spans=spans,
                extracted=extracted,
            )
        )
    Item.objects.bulk_create(items)
    for item in Item.objects.filter(document=document).order_by("position"):
        dedupe.refresh(item)
    return IngestOutcome(document, False, len(items))


def expand_files(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes | str]]:
    """(name, bytes) with every zip unpacked into its readable members; a bad zip's error as
    text in place of its bytes."""
    out: list[tuple[str, bytes | str]] = []
    for name, data in files:
        if not name.lower().endswith(".zip"):
            out.append((name, data))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                unpacked = sum(m.file_size for m in members)
                if (
                    unpacked > settings.PARKLINK_IMPORT_MAX_UNPACKED_BYTES
                    or len(members) > MAX_FILES
                ):
                    out.append((name, _("压缩包解压后过大或文件过多,未处理")))
                    continue
                for member in members:
                    inner = PurePosixPath(member.filename)
                    if inner.name.startswith(".") or "__MACOSX" in inner.parts:
                        continue
                    label = f"{name}/{member.filename}"
                    if inner.suffix.lower() not in READABLE:
                        out.append((label, _("不支持的文件类型(仅支持 txt、html、docx、pdf)")))
                        continue
                    out.append((label, archive.read(member)))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError):
            out.append((name, _("不是有效的 zip 压缩包(或已加密)")))
    return out


def ingest_file(
    user: User,
    name: str,
    data: bytes | str,
    owner_id: int | None = None,
    gazetteer: Any = None,
) -> FileOutcome:
    """One file into the queue; its problem (unreadable, empty, unsupported) in the outcome."""
    outcome = FileOutcome(name)
    if isinstance(data, str):  # the reason a member could not be unpacked
        outcome.error = data
        return outcome
    if PurePosixPath(name).suffix.lower() not in READABLE:
        outcome.error = _("不支持的文件类型(仅支持 txt、html、docx、pdf、zip)")
        return outcome
    if len(data) > settings.PARKLINK_IMPORT_MAX_BYTES:
        outcome.error = _("文件过大(超过 %(mb)d MB)") % {
            "mb": settings.PARKLINK_IMPORT_MAX_BYTES // (1024 * 1024)
        }
        return outcome
    try:
        article = engine.read(PurePosixPath(name).name, data)
    except engine.UnreadableFile as error:
        outcome.error = str(error)
        return outcome
    try:
        result = ingest_text(
            user,
            article.text,
            title=article.title,
            url=article.url,
            published=article.published,
            source_name=PurePosixPath(name).name,
            owner_id=owner_id,
            gazetteer=gazetteer,
        )
    except Invalid as error:
        outcome.error = error.message
        return outcome
    outcome.document_id = result.document.pk
    outcome.title = result.document.title
    outcome.duplicate = result.duplicate
    outcome.items = result.items
    return outcome


def ingest_files(
    user: User,
    files: Sequence[tuple[str, bytes | Callable[[], bytes]]],
    *,
    owner_id: int | None = None,
    progress: Progress | None = None,
) -> list[FileOutcome]:
    """Every file (zips unpacked) into the queue, one after another; errors per file.

    A file's bytes may be given as a function that reads them, so a folder is read one file
    at a time; `progress(done, total)` counts the files given (a zip is one).
    """
    owner_id = _owner_id(user, owner_id)
    names = dedupe.gazetteer()  # read once for the whole batch
    outcomes = []
    for done, (name, data) in enumerate(files, start=1):
        raw = data() if callable(data) else data
        for label, member in expand_files([(name, raw)]):
            outcomes.append(ingest_file(user, label, member, owner_id, names))
        if progress is not None:
            progress(done, len(files))
    return outcomes


def summary(outcomes: list[FileOutcome]) -> dict[str, int]:
    return {
        "files": len(outcomes),
        "ingested": sum(1 for o in outcomes if o.document_id and not o.duplicate),
        "duplicates": sum(1 for o in outcomes if o.duplicate),
        "errors": sum(1 for o in outcomes if o.error),
        "items": sum(o.items for o in outcomes if not o.duplicate),
    }
