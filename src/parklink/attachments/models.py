"""An attached file on any record an app registers as attachable, and the history of uploads
and deletions."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    AGREEMENT = "agreement", _("投资协议")
    APPROVAL = "approval", _("审批文件")
    PHOTO = "photo", _("现场照片")
    VOUCHER = "voucher", _("银行凭证")
    INVOICE = "invoice", _("发票")
    OTHER = "other", _("其他")


def storage_name(instance: Attachment, filename: str) -> str:
    """A random name under `attachments/YYYY/MM/`: nothing the user typed reaches the path."""
    now = timezone.now()
    suffix = instance.file_type or "bin"
    return f"attachments/{now:%Y}/{now:%m}/{secrets.token_hex(16)}.{suffix}"


def thumbnail_name(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y}/{now:%m}/{secrets.token_hex(16)}.thumb.jpg"


class Attachment(models.Model):
    record_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("记录类型"), related_name="+"
    )
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("record_type", "record_id")
    file = models.FileField(_("文件"), upload_to=storage_name, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=thumbnail_name, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    file_type = models.CharField(_("文件类型"), max_length=16)
    mime = models.CharField(_("内容类型"), max_length=128)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="attach_record_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.file_type in {"jpeg", "png", "gif", "webp"}

    @property
    def record_label(self) -> str:
        return f"{self.record_type.app_label}.{self.record_type.model}"


class Event(models.Model):
    """An upload or a deletion: kept after the file is gone, scoped like the record."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("上传")
        DELETED = "deleted", _("删除")

    record_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("记录类型"), related_name="+"
    )
    record_id = models.PositiveBigIntegerField(_("记录编号"))
    attachment = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("附件"),
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件记录")
        verbose_name_plural = _("附件记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="attach_event_record_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.original_name}"

    @classmethod
    def note(cls, action: str, attachment: Attachment, actor: Any) -> Event:
        return cls.objects.create(
            record_type_id=attachment.record_type_id,
            record_id=attachment.record_id,
            attachment=attachment if action == cls.Action.UPLOADED else None,
            action=action,
            original_name=attachment.original_name,
            size=attachment.size,
            sha256=attachment.sha256,
            kind=attachment.kind,
            actor=actor,
        )
