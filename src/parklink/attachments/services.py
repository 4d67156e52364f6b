"""The only code that stores, lists and removes attachments.

Every attachment belongs to a record of a model some app registered as `Attachable`; the
registry entry says who may see the record (the attachment is shown to exactly them) and who
may change it (add or remove files). A record the user may not see, and every attachment of
it, is `NotFound`, the same as one that does not exist.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.attachments import sniff
from parklink.attachments.models import Attachment, Event, Kind
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.registry import Attachable, registry

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (320, 320)
MAX_IMAGE_PIXELS = 80_000_000  # a photo of 80 megapixels; more is refused as a pixel bomb
MAX_NAME = 255
MAX_ID = 2**62  # larger ids cannot exist (and overflow SQLite's integers)


@dataclass(frozen=True)
class Target:
    """A record files may be attached to: its registry entry, the row and its label."""

    entry: Attachable
    record: Model

    @property
    def key(self) -> str:
        return f"{self.entry.model}:{self.record.pk}"


# ------------------------------------------------------------------ records


def attachable(label: str) -> Attachable:
    entry = registry.attachables.get(str(label).lower())
    if entry is None:
        raise NotFound(_("没有这种可附加文件的记录。"))
    return entry


def record_type(label: str) -> ContentType:
    return ContentType.objects.get_for_model(apps.get_model(label))


def target(user: User, label: str, pk: Any) -> Target:
    """The record `label` #`pk`, or NotFound when it is missing or the user may not see it."""
    entry = attachable(label)
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number <= MAX_ID:
        raise NotFound(_("记录不存在或无权查看。"))
    record = entry.visible(user).filter(pk=number).first()
    if record is None:
        raise NotFound(_("记录不存在或无权查看。"))
    return Target(entry, record)


def target_of(record: Model) -> Target:
    """The target for a record already known to be visible (a panel on its own page)."""
    return Target(attachable(record._meta.label_lower), record)


def parse_key(key: str) -> tuple[str, str]:
    """ "projects.project:12" → ("projects.project", "12"); NotFound for anything else."""
    label, sep, pk = str(key).partition(":")
    if not sep or not pk.isdigit():
        raise NotFound(_("记录不存在或无权查看。"))
    return label, pk


def can_change(user: User, found: Target) -> bool:
    return bool(user.is_authenticated and found.entry.can_change(user, found.record))


def ensure_can_change(user: User, found: Target) -> None:
    if not can_change(user, found):
        raise Forbidden(_("您可以查看这条记录,但无权为它添加或删除附件。"))


# ------------------------------------------------------------------ reading


def visible_q(user: User) -> Q:
    """Attachments of records the user may see, across every registered attachable."""
    condition = Q(pk__in=[])
    for entry in registry.attachables:
        condition |= Q(
            record_type=record_type(entry.model),
            record_id__in=entry.visible(user).values("pk"),
        )
    return condition


def visible_attachments(user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(visible_q(user))


def records_q(targets: Iterable[Target]) -> Q:
    by_type: dict[int, list[int]] = {}
    for found in targets:
        by_type.setdefault(record_type(found.entry.model).pk, []).append(int(found.record.pk))
    condition = Q(pk__in=[])
    for type_id, ids in by_type.items():
        condition |= Q(record_type_id=type_id, record_id__in=ids)
    return condition


def attachments_of(targets: Iterable[Target]) -> QuerySet[Attachment]:
    """The attachments of records already found visible, newest first."""
    return Attachment.objects.filter(records_q(targets)).select_related(
        "uploaded_by", "record_type"
    )


def history_of(targets: Iterable[Target]) -> QuerySet[Event]:
    return Event.objects.filter(records_q(targets)).select_related("actor")


def get_visible(user: User, pk: int) -> Attachment:
    """The attachment, or NotFound when it does not exist or its record is hidden."""
    if not 0 < pk <= MAX_ID:
        raise NotFound(_("附件不存在或无权查看。"))
    found = (
        visible_attachments(user).filter(pk=pk).select_related("record_type", "uploaded_by").first()
    )
    if found is None:
        raise NotFound(_("附件不存在或无权查看。"))
    return found


def target_for(user: User, attachment: Attachment) -> Target:
    return target(user, attachment.record_label, attachment.record_id)


# ------------------------------------------------------------------ checks


def allowed_types() -> list[str]:
    return [code for code in settings.PARKLINK_ATTACHMENT_TYPES if code in sniff.TYPES]


def allowed_text() -> str:
    """ "PDF 文档、Word 文档、…" for the form's help text and the refusals."""
    return "、".join(_(sniff.TYPES[code].label) for code in allowed_types())


def _clean_name(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch >= " " and ch not in '<>:"|?*\x7f').strip(" .")
    if not base:
        raise Invalid.on("file", _("文件名为空,请给文件一个名称后再上传。"))
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = stem[: MAX_NAME - len(ext) - 1] + dot + ext if dot else base[:MAX_NAME]
    return base


def check_file(stream: BinaryIO, name: str, size: int) -> sniff.FileType:
    """The sniffed type of an upload, or Invalid naming why it is refused."""
    limit = settings.PARKLINK_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise Invalid.on(
            "file",
            _("文件 %(name)s 大小为 %(size)s,超过了 %(limit)s 的上限。")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    try:
        found = sniff.sniff(stream, name)
    except sniff.Refused as refused:
        raise Invalid.on(
            "file", _("文件 %(name)s 未被接受:%(why)s") % {"name": name, "why": _(refused.message)}
        ) from None
    if found.code not in allowed_types():
        raise Invalid.on(
            "file",
            _("文件 %(name)s 是%(type)s,本系统不接受这种文件。可上传:%(allowed)s。")
            % {"name": name, "type": _(found.label), "allowed": allowed_text()},
        )
    return found


def _thumbnail(stream: BinaryIO, name: str) -> bytes:
    """A small JPEG of an image (orientation applied), or Invalid when it does not decode."""
    from PIL import Image, ImageOps

    broken = Invalid.on("file", _("图片 %(name)s 已损坏,无法打开。") % {"name": name})
    try:
        stream.seek(0)
        with Image.open(stream) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise Invalid.on(
                    "file",
                    _("图片 %(name)s 为 %(w)s×%(h)s 像素,超过了 8000 万像素的上限。")
                    % {"name": name, "w": width, "h": height},
                )
            probe.verify()
        stream.seek(0)
        with Image.open(stream) as image:
            image.draft("RGB", THUMBNAIL_SIZE)
            shown = ImageOps.exif_transpose(image).convert("RGB")
            shown.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            shown.save(out, "JPEG", quality=80)
    except Invalid:
        raise
    except Exception:  # Pillow raises many kinds for a broken file
        raise broken from None
    finally:
        stream.seek(0)
    return out.getvalue()


def _digest(stream: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


# ------------------------------------------------------------------ writing


def upload(
    user: User,
    found: Target,
    stream: BinaryIO,
    *,
    name: str,
    kind: str = Kind.OTHER,
    description: str = "",
) -> Attachment:
    """Store a file on the record: checked (who, size, type), named at random, recorded."""
    ensure_can_change(user, found)
    if kind not in Kind.values:
        raise Invalid.on("kind", _("类别“%(kind)s”无效。") % {"kind": kind})
    description = str(description or "").strip()
    if len(description) > 500:
        raise Invalid.on("description", _("说明最多 500 个字。"))
    clean = _clean_name(name)
    stream.seek(0, io.SEEK_END)
    declared = stream.tell()
    stream.seek(0)
    file_type = check_file(stream, clean, declared)
    sha, size = _digest(stream)
    if size == 0:
        raise Invalid.on("file", _("文件 %(name)s 是空的。") % {"name": clean})
    thumb = _thumbnail(stream, clean) if file_type.image else None
    attachment = Attachment(
        record_type=record_type(found.entry.model),
        record_id=found.record.pk,
        original_name=clean,
        size=size,
        file_type=file_type.code,
        mime=file_type.mime,
        sha256=sha,
        kind=kind,
        description=description,
        uploaded_by=user,
    )
    attachment.file.save("upload", File(stream), save=False)
    stored: list[str] = [attachment.file.name or ""]
    try:
        if thumb is not None:
            attachment.thumbnail.save("thumb", ContentFile(thumb), save=False)
            stored.append(attachment.thumbnail.name or "")
        with transaction.atomic():
            attachment.save()
            Event.note(Event.Action.UPLOADED, attachment, user)
    except BaseException:
        for stored_name in stored:
            attachment.file.storage.delete(stored_name)
        raise
    return attachment


def delete(user: User, attachment: Attachment) -> None:
    """Remove an attachment (its record's editors only); the stored files go after commit."""
    found = target_for(user, attachment)
    ensure_can_change(user, found)
    storage = attachment.file.storage
    names = [n for n in (attachment.file.name, attachment.thumbnail.name) if n]
    with transaction.atomic():
        Event.note(Event.Action.DELETED, attachment, user)
        attachment.delete()

        def remove() -> None:
            for name in names:
                try:
                    storage.delete(name)
                except OSError:
                    log.warning("attachment file %s could not be removed", name)

        transaction.on_commit(remove)
