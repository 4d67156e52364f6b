"""Base models every domain app builds on: timestamps, ownership and cited sources."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class OwnedModel(TimeStampedModel):
    """A record that belongs to one organisation, which alone may change it."""

    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class SourceCitation(TimeStampedModel):
    """Where a fact came from: a document and the sentence in it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    document = models.CharField(_("来源文件"), max_length=255)
    quote = models.TextField(_("原文"))
    url = models.URLField(_("链接"), blank=True)

    class Meta:
        verbose_name = _("来源")
        verbose_name_plural = _("来源")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.document}: {self.quote[:30]}"


class PinyinSearchable(models.Model):
    """Keeps the pinyin and the pinyin initials of `name`, so "gdcyy" finds 高德产业园.

    A model may name a second field (a short name, a code name) in `PINYIN_ALIAS_FIELD`;
    its keys are kept in the `alias_*` columns.
    """

    PINYIN_ALIAS_FIELD = ""

    name_pinyin = models.CharField(
        _("拼音"), max_length=255, blank=True, editable=False, db_index=True
    )
    name_initials = models.CharField(
        _("拼音首字母"), max_length=64, blank=True, editable=False, db_index=True
    )
    alias_pinyin = models.CharField(
        _("简称拼音"), max_length=255, blank=True, editable=False, db_index=True
    )
    alias_initials = models.CharField(
        _("简称拼音首字母"), max_length=64, blank=True, editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        from parklink.core.text import pinyin_keys

        self.name_pinyin, self.name_initials = pinyin_keys(getattr(self, "name", ""))
        alias = getattr(self, self.PINYIN_ALIAS_FIELD, "") if self.PINYIN_ALIAS_FIELD else ""
        self.alias_pinyin, self.alias_initials = pinyin_keys(alias) if alias else ("", "")
        super().save(*args, **kwargs)


class Job(models.Model):
    """A piece of background work a user started (checking or importing a file) and its progress.

    The task updates `done`/`total` while it works and leaves the outcome in `result` (JSON: an
    `ImportReport`, or `error` in both languages); a user sees only their own jobs.
    """

    class Action(models.TextChoices):
        VALIDATE = "validate", _("校验")
        IMPORT = "import", _("导入")
        RUN = "run", _("结算")
        CLASSIFY = "classify", _("分类")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        READING = "reading", _("正在读取")
        CHECKING = "checking", _("正在校验")
        WRITING = "writing", _("正在写入")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=32)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    # The stored upload (its name in the user's folder of MEDIA_ROOT/imports/), never a path.
    stored_name = models.CharField(max_length=80)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


class WorkerHeartbeat(models.Model):
    """A running task worker (`parklink worker`): it rewrites `seen_at` every few seconds.

    /readyz counts a worker as running while its row is younger than
    PARKLINK_WORKER_STALE_SECONDS; the row lives in the database because that is the one thing
    every machine of an installation shares. A worker deletes its row when it stops.
    """

    worker_id = models.CharField(_("工作进程"), max_length=64, unique=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    queues = models.CharField(_("队列"), max_length=200)
    started_at = models.DateTimeField(_("启动时间"))
    seen_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("任务工作进程")
        verbose_name_plural = _("任务工作进程")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
