"""Promotion (招商推介): what an organisation chose to publish, and investors' enquiries.

Nothing reaches a public page unless a `Publication` names it: a park's profile (land,
carriers, industries), a chain's gaps in a park (a snapshot taken when published), one of the
organisation's published policies, or one of its signed projects with a summary written for
the public. Unpublishing keeps the record (who withdrew it, when). An `Enquiry` is what an
investor sent from a public page; it becomes a lead in the organisation's pipeline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parklink.core.models import OwnedModel, TimeStampedModel


class PublicationKind(models.TextChoices):
    PARK = "park", _("园区概况(土地、载体、产业)")
    GAPS = "gaps", _("产业链缺链环节")
    POLICY = "policy", _("政策")
    PROJECT = "project", _("招商项目")


class Publication(OwnedModel):
    """One thing an organisation (`owner`) chose to show on its public pages."""

    kind = models.CharField(_("内容"), max_length=16, choices=PublicationKind.choices)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("在该园区的推介页上展示"),
    )
    policy = models.ForeignKey(
        "matching.Policy",
        verbose_name=_("政策"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="publications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    chain = models.CharField(_("产业链"), max_length=64, blank=True)
    summary = models.TextField(
        _("公开介绍"), blank=True, help_text=_("对外展示的文字,不会引用项目的内部说明")
    )
    show_amounts = models.BooleanField(_("公开投资额"), default=False)
    snapshot = models.JSONField(_("发布时的内容"), default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("推介发布")
        verbose_name_plural = _("推介发布")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "park", "chain"],
                condition=Q(withdrawn_at__isnull=True, kind__in=["park", "gaps"]),
                name="matching_publication_one_live_park_item",
            ),
            models.UniqueConstraint(
                fields=["owner", "policy"],
                condition=Q(withdrawn_at__isnull=True, kind="policy"),
                name="matching_publication_one_live_policy",
            ),
            models.UniqueConstraint(
                fields=["owner", "project"],
                condition=Q(withdrawn_at__isnull=True, kind="project"),
                name="matching_publication_one_live_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None


class EnquiryStatus(models.TextChoices):
    NEW = "new", _("待处理")
    HANDLED = "handled", _("已处理")


class Enquiry(TimeStampedModel):
    """An investor's enquiry from a public page; `lead` is the project it became."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("接收机构"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("感兴趣的内容"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enquiries",
    )
    name = models.CharField(_("姓名"), max_length=64)
    company = models.CharField(_("公司"), max_length=200)
    contact = models.CharField(_("联系方式"), max_length=128)
    interest = models.CharField(_("意向"), max_length=200)
    message = models.TextField(_("留言"), blank=True)
    language = models.CharField(_("语言"), max_length=16, blank=True)
    lead = models.ForeignKey(
        "projects.Project",
        verbose_name=_("生成的线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=EnquiryStatus.choices, default=EnquiryStatus.NEW
    )

    class Meta:
        verbose_name = _("投资咨询")
        verbose_name_plural = _("投资咨询")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} · {self.interest}"
