"""Place × industry datasets: figures by region and GB/T 4754 code that are not in the
enterprise registry (a statistical table of employment or output, or the demo's synthetic
figures, marked 示例数据). The registry itself needs no model here: it is read as it is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import TimeStampedModel


class DatasetMeasure(models.TextChoices):
    ENTERPRISES = "enterprises", _("企业数")
    EMPLOYMENT = "employment", _("从业人员")
    OUTPUT = "output", _("产值")
    CAPITAL = "capital", _("注册资本")


class Dataset(TimeStampedModel):
    """A set of figures of one measure and year; an organisation's own, or shared (no owner)."""

    name = models.CharField(_("名称"), max_length=128)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("为空:所有机构可见(如演示用示例数据)"),
    )
    measure = models.CharField(_("度量"), max_length=16, choices=DatasetMeasure.choices)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    illustrative = models.BooleanField(
        _("示例数据"), default=False, help_text=_("生成的演示数据,不是真实统计")
    )
    source = models.CharField(_("来源"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("产业数据集")
        verbose_name_plural = _("产业数据集")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class DatasetFigure(models.Model):
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("数据集"), on_delete=models.CASCADE, related_name="figures"
    )
    # Exactly one of region and park: a park's figures make it a place of its own.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("园区"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    industry_code = models.CharField(_("国民经济行业代码"), max_length=8)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("产业数据")
        verbose_name_plural = _("产业数据")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "region", "industry_code"], name="positioning_figure_unique"
            ),
            models.UniqueConstraint(
                fields=["dataset", "park", "industry_code"], name="positioning_park_figure_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="positioning_figure_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, park__isnull=True)
                | models.Q(region__isnull=True, park__isnull=False),
                name="positioning_figure_region_or_park",
            ),
        ]

    def __str__(self) -> str:
        place = self.region_id or f"park:{self.park_id}"
        return f"{place} {self.industry_code}: {self.value}"


class IndustryRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("代表性产业")
    FOUNDATIONAL = "foundational", _("基础性产业")
    LEADING = "leading", _("主导产业")


class IndustrySystem(TimeStampedModel):
    """A place's declared industry system (张掖 "2+6": 2 representative, 6 foundational), to be
    compared with what the numbers say. Declarations are public policy: everyone reads them;
    the owner organisation (or installation administrators) change them."""

    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    declared_by = models.CharField(_("提出者"), max_length=128, blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.TextField(_("来源"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("产业体系")
        verbose_name_plural = _("产业体系")
        ordering = ["region", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class DeclaredIndustry(models.Model):
    system = models.ForeignKey(
        IndustrySystem,
        verbose_name=_("产业体系"),
        on_delete=models.CASCADE,
        related_name="industries",
    )
    name = models.CharField(_("产业"), max_length=128)
    role = models.CharField(_("地位"), max_length=16, choices=IndustryRole.choices)
    codes = models.CharField(
        _("国民经济行业代码"),
        max_length=255,
        help_text=_("逗号分隔的 GB/T 4754 代码(2 至 4 位),如 4415,3415"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("体系内产业")
        verbose_name_plural = _("体系内产业")
        ordering = ["system", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def code_list(self) -> list[str]:
        return [c.strip() for c in self.codes.replace("，", ",").split(",") if c.strip()]
