"""Liaison offices in other cities and resident teams in co-built parks (驻点招商).

An office belongs to one organisation; it sits in a city (a region) or, for a resident team,
in a co-built park. Its staff are users of the system or names (people without an account).
The leads it brings are projects linked to it (`OfficeLead`: kpi sits above projects, so
the link lives here, one office per project). Targets may name an office as their subject.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import TimeStampedModel


class OfficeKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("异地联络点")
    RESIDENT_TEAM = "resident_team", _("共建园区驻点招商组")


class LiaisonOffice(TimeStampedModel):
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.CASCADE,
        related_name="kpi_liaison_offices",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=OfficeKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在城市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("驻点园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpi_liaison_offices",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员(系统用户)"),
        blank=True,
        related_name="kpi_liaison_offices",
    )
    staff_names = models.CharField(
        _("人员(姓名)"), max_length=500, blank=True, help_text=_("无系统账号的人员,用顿号分隔")
    )
    since = models.DateField(_("设立日期"), null=True, blank=True)
    active = models.BooleanField(_("在运行"), default=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    source_quote = models.CharField(_("出处原文"), max_length=500, blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("驻点招商机构")
        verbose_name_plural = _("驻点招商机构")
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="kpi_liaison_office_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OfficeLead(models.Model):
    """A project brought in by a liaison office (its lead source)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="kpi_office_lead",
    )
    office = models.ForeignKey(
        LiaisonOffice,
        verbose_name=_("驻点招商机构"),
        on_delete=models.CASCADE,
        related_name="leads",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now=True)

    class Meta:
        verbose_name = _("驻点招商线索")
        verbose_name_plural = _("驻点招商线索")

    def __str__(self) -> str:
        return f"{self.office} → {self.project}"
