"""招商情报: ingested articles (Document), the projects read from them (Item), and every
reviewer decision (Decision). All three belong to one organisation and only it sees them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import OwnedModel


class Document(OwnedModel):
    """An article as ingested: the original text (for citation) and the normalised text."""

    # The organisation's private queue goes with it (nothing else refers to a document).
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    title = models.CharField(_("标题"), max_length=300)
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    published = models.DateField(_("发布日期"), null=True, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    original = models.TextField(_("原文"))
    text = models.TextField(_("规范化文本"))
    # sha256 of the normalised text: the same article again, whatever its URL or title.
    content_hash = models.CharField(_("内容指纹"), max_length=64)
    # sha256 of the text's letters and digits only (no spacing, punctuation, boilerplate lines,
    # traditional characters): the same article republished with other chrome.
    near_key = models.CharField(_("近似指纹"), max_length=64, db_index=True)
    ingested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # The article-level totals ("首批15个项目,一期投资额超10亿元"), kept as read.
    totals = models.JSONField(_("文章合计"), default=list, blank=True)
    projects_found = models.PositiveIntegerField(_("识别项目数"), default=0)

    class Meta:
        verbose_name = _("情报文章")
        verbose_name_plural = _("情报文章")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "content_hash"], name="intel_document_unique_text"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    MERGED = "merged", _("已合并")
    REJECTED = "rejected", _("已驳回")


class Item(OwnedModel):
    """One extracted project waiting for (or past) review; `data` is what the reviewer edits."""

    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    document = models.ForeignKey(
        Document, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("项目名称"), max_length=200)
    # name, enterprise, amount (元 as text), qualifier, kind, currency, place, adcode, park,
    # park_id, sector, stage, stage_date: the fields the reviewer edits (intel.fields).
    data = models.JSONField(_("字段"), default=dict)
    # field → {start, end, sentence: [start, end]} in the document's original text.
    spans = models.JSONField(_("出处位置"), default=dict, blank=True)
    # What the extractor read, unchanged, for the record and for measuring it.
    extracted = models.JSONField(_("识别结果"), default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.PENDING,
        db_index=True,
    )
    # The library project this item looks like (an update suggestion instead of a new lead).
    match = models.ForeignKey(
        "projects.Project",
        verbose_name=_("疑似已有项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # [{kind: project|item, id, name, score, reasons}], best first.
    suggestions = models.JSONField(_("疑似重复"), default=list, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("对应项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intel_items",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_items",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("情报条目")
        verbose_name_plural = _("情报条目")
        ordering = ["-document__created_at", "document_id", "position", "id"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.name


class DecisionAction(models.TextChoices):
    EDIT = "edit", _("修改")
    ACCEPT = "accept", _("采纳为新项目")
    UPDATE = "update", _("更新已有项目")
    MERGE = "merge", _("合并")
    REJECT = "reject", _("驳回")


class Decision(models.Model):
    """Who decided what about an item, when and why, with the fields before and after."""

    item = models.ForeignKey(
        Item, verbose_name=_("条目"), on_delete=models.CASCADE, related_name="decisions"
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=16, choices=DecisionAction.choices)
    reason = models.TextField(_("理由"), blank=True)
    before = models.JSONField(_("修改前"), default=dict, blank=True)
    after = models.JSONField(_("修改后"), default=dict, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.item_id}"
