"""Articles into the review queue: pasted text, files (.txt/.html/.docx/.pdf), zips, folders.

Each article is one transaction: its Document and the items the extractor found. Several
files (a folder, a zip) are extracted `BATCH` articles at a time (`ingest_files`, through
engine.run_many) and stored in their order, with the same result as one after another. An article
already ingested by the organisation (the same normalised text, or the same text under other
chrome, URL or title: `intel.fingerprint`) is reported as a duplicate and not read again. A
file that cannot be read is reported with its reason; the others continue.
"""

from __future__ import annotations

import io
import logging
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
from parklink.intel.extract.types import Extraction
from parklink.intel.fields import item_fields, total_json
from parklink.intel.models import Document, Item
from parklink.intel.services import dedupe

READABLE = (".txt", ".html", ".htm", ".docx", ".pdf")
MAX_FILES = 5000  # members of one zip
BATCH = 32  # articles extracted together (engine.run_many)
Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


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
    article = engine.Article(raw, title, published, url)
    return store(user, owner_id, article, extraction, source_name=source_name)


@transaction.atomic
def store(
    user: User,
    owner_id: int,
    article: engine.Article,
    extraction: Extraction,
    *,
    source_name: str = "",
) -> IngestOutcome:
    """An extracted article into the queue, all or nothing: its Document and its items (each
    checked against the pipeline, the registry and the queue), unless the organisation already
    has the same text. `owner_id` is checked by the caller."""
    raw, title, url, published = article.text, article.title, article.url, article.published
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


def read_file(name: str, data: bytes | str) -> engine.Article | FileOutcome:
    """One file's article, or its outcome when it cannot be ingested (unreadable, empty,
    unsupported, too large, or a zip member that could not be unpacked)."""
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
    if not article.text.strip():
        outcome.error = _("文章内容为空")
        return outcome
    return article


def _stored(
    user: User,
    name: str,
    owner_id: int,
    article: engine.Article,
    extraction: Extraction | Exception,
) -> FileOutcome:
    outcome = FileOutcome(name)
    if isinstance(extraction, Exception):  # a defect of the extractor on this article only
        log.error("intel: extraction of %s failed", name, exc_info=extraction)
        outcome.error = _("提取失败:%(error)s") % {"error": type(extraction).__name__}
        return outcome
    try:
        result = store(user, owner_id, article, extraction, source_name=PurePosixPath(name).name)
    except Invalid as error:
        outcome.error = error.message
        return outcome
    outcome.document_id = result.document.pk
    outcome.title = result.document.title
    outcome.duplicate = result.duplicate
    outcome.items = result.items
    return outcome


def ingest_file(
    user: User,
    name: str,
    data: bytes | str,
    owner_id: int | None = None,
    gazetteer: Any = None,
) -> FileOutcome:
    """One file into the queue, extracted on its own; its problem in the outcome."""
    owner_id = _owner_id(user, owner_id)
    article = read_file(name, data)
    if isinstance(article, FileOutcome):
        return article
    if gazetteer is None:
        gazetteer = dedupe.gazetteer()
    extraction: Extraction | Exception
    try:
        extraction = engine.run(
            article.text, title=article.title, published=article.published, gazetteer=gazetteer
        )
    except Exception as error:  # reported as this file's outcome
        extraction = error
    return _stored(user, name, owner_id, article, extraction)


def ingest_files(
    user: User,
    files: Sequence[tuple[str, bytes | Callable[[], bytes]]],
    *,
    owner_id: int | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> list[FileOutcome]:
    """Every file (zips unpacked) into the queue; errors per file.

    Files are read one after another (a file's bytes may be given as a function that reads
    them, so a folder is read one file at a time) and extracted `batch` articles at a time
    (engine.run_many: the tagger's questions of the whole batch in one run of its encoder);
    the extractions are then stored in the files' order, each article in its own transaction,
    exactly as `ingest_file` one after another would (the same documents, items, duplicates).
    `progress(done, total)` counts the files given (a zip is one) as their articles are stored.
    """
    owner_id = _owner_id(user, owner_id)
    names = dedupe.gazetteer()  # read once for the whole run
    outcomes: list[FileOutcome] = []
    # (index of the file given, name, its article or its outcome), waiting for their batch
    pending: list[tuple[int, str, engine.Article | FileOutcome]] = []
    reported = 0

    def report(done: int) -> None:
        nonlocal reported
        if progress is not None and done > reported:
            progress(done, len(files))
        reported = max(reported, done)

    def flush(read_up_to: int) -> None:
        articles = [a for _, _, a in pending if isinstance(a, engine.Article)]
        extracted = engine.run_many(articles, gazetteer=names)
        for position, (index, name, article) in enumerate(pending):
            if isinstance(article, FileOutcome):
                outcomes.append(article)
            else:
                outcomes.append(_stored(user, name, owner_id, article, next(extracted)))
            following = pending[position + 1][0] if position + 1 < len(pending) else None
            if following != index:
                report(index + 1)
        pending.clear()
        report(read_up_to)

    for index, (name, data) in enumerate(files):
        raw = data() if callable(data) else data
        for label, member in expand_files([(name, raw)]):
            pending.append((index, label, read_file(label, member)))
        if sum(isinstance(a, engine.Article) for _, _, a in pending) >= batch:
            flush(index + 1)
    flush(len(files))
    return outcomes


def summary(outcomes: list[FileOutcome]) -> dict[str, int]:
    return {
        "files": len(outcomes),
        "ingested": sum(1 for o in outcomes if o.document_id and not o.duplicate),
        "duplicates": sum(1 for o in outcomes if o.duplicate),
        "errors": sum(1 for o in outcomes if o.error),
        "items": sum(o.items for o in outcomes if not o.duplicate),
    }
