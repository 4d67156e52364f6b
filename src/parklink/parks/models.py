"""Parks: kinds, the 一区多园 hierarchy, carriers, industries, resources, indicators, linkages."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parklink.core.models import OwnedModel, PinyinSearchable


class ParkKind(models.TextChoices):
    NATIONAL_ETDZ = "national_etdz", _("国家级经济技术开发区")
    HIGH_TECH_ZONE = "high_tech_zone", _("高新技术产业开发区")
    PROVINCIAL_ZONE = "provincial_zone", _("省级开发区")
    COBUILT_PARK = "cobuilt_park", _("共建园区")
    INDUSTRIAL_PARK = "industrial_park", _("产业园")
    INNOVATION_ENCLAVE = "innovation_enclave", _("科创飞地")


class Park(PinyinSearchable, OwnedModel):
    PINYIN_ALIAS_FIELD = "short_name"

    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    kind = models.CharField(_("类型"), max_length=32, choices=ParkKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在行政区"),
        on_delete=models.PROTECT,
        related_name="parks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="parks",
    )
    description = models.TextField(_("简介"), blank=True)
    established = models.DateField(_("设立日期"), null=True, blank=True)
    planned_area_mu = models.DecimalField(
        _("规划面积(亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    carrier_built_m2 = models.DecimalField(
        _("已建载体(平方米)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    carrier_occupied_m2 = models.DecimalField(
        _("已入驻载体(平方米)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    available_land_mu = models.DecimalField(
        _("可用土地(亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="park_unique_name_region"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def occupancy_rate(self) -> float | None:
        if not self.carrier_built_m2 or self.carrier_occupied_m2 is None:
            return None
        return float(self.carrier_occupied_m2 / self.carrier_built_m2)


class IndustryRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("代表性产业")
    FOUNDATIONAL = "foundational", _("基础性产业")
    LEADING = "leading", _("主导产业")


class ParkIndustry(models.Model):
    park = models.ForeignKey(
        Park, on_delete=models.CASCADE, related_name="industries", verbose_name=_("园区")
    )
    name = models.CharField(_("产业"), max_length=64)
    role = models.CharField(
        _("定位"), max_length=32, choices=IndustryRole.choices, default=IndustryRole.LEADING
    )
    industry_code = models.CharField(_("行业代码"), max_length=8, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("园区产业")
        verbose_name_plural = _("园区产业")
        ordering = ["park", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="park_industry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.park}·{self.name}"


class ResourceKind(models.TextChoices):
    SUNSHINE_HOURS = "sunshine_hours", _("年日照时数")
    SOLAR_DAYS = "solar_days", _("太阳能可利用天数")
    FROST_FREE_DAYS = "frost_free_days", _("无霜期")
    AVG_TEMPERATURE = "avg_temperature", _("平均气温")
    PRECIPITATION = "precipitation", _("年降水量")
    EVAPORATION = "evaporation", _("年蒸发量")
    WIND_POTENTIAL = "wind_potential", _("风能可开发量")
    SOLAR_THERMAL_POTENTIAL = "solar_thermal_potential", _("光热可开发量")
    NEW_ENERGY_POTENTIAL = "new_energy_potential", _("新能源可开发量")
    INSTALLED_CAPACITY = "installed_capacity", _("装机容量")
    ANNUAL_GENERATION = "annual_generation", _("年发电量")
    GREEN_POWER = "green_power", _("绿电资源")
    WATER = "water", _("水资源")
    LAND = "land", _("土地")
    OTHER = "other", _("其他")


class ParkResource(models.Model):
    park = models.ForeignKey(
        Park, on_delete=models.CASCADE, related_name="resources", verbose_name=_("园区")
    )
    kind = models.CharField(_("资源"), max_length=32, choices=ResourceKind.choices)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(
        _("上限"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("资源禀赋")
        verbose_name_plural = _("资源禀赋")
        ordering = ["park", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.park}·{self.get_kind_display()}"


class IndicatorKind(models.TextChoices):
    GDP = "gdp", _("地区生产总值")
    GDP_SHARE_OF_CITY = "gdp_share_of_city", _("GDP占全市比重")
    TAX = "tax", _("税收")
    TAX_SHARE_OF_CITY = "tax_share_of_city", _("税收占全市比重")
    OUTPUT = "output", _("工业产值")
    REVENUE = "revenue", _("营业收入")
    NATIONAL_RANK = "national_rank", _("全国排名")
    NATIONAL_RANK_TOTAL = "national_rank_total", _("参评园区数")
    ENTERPRISES_SETTLED = "enterprises_settled", _("入驻企业数")
    RESUMPTION_RATE = "resumption_rate", _("复工率")

    @classmethod
    def money(cls) -> set[str]:
        return {cls.GDP, cls.TAX, cls.OUTPUT, cls.REVENUE}


class ParkIndicator(models.Model):
    """One yearly figure; money figures are held in 元, others in `unit`."""

    park = models.ForeignKey(
        Park, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("园区")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    indicator = models.CharField(_("指标"), max_length=32, choices=IndicatorKind.choices)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("年度指标")
        verbose_name_plural = _("年度指标")
        ordering = ["park", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "indicator"], name="park_indicator_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year} {self.get_indicator_display()}"


class ParkLinkage(OwnedModel):
    """A named group of parks that work together (三园联动), each with a role."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    description = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="park_linkages",
    )

    class Meta:
        verbose_name = _("园区联动")
        verbose_name_plural = _("园区联动")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LinkageRole(models.TextChoices):
    RND_INCUBATION = "rnd_incubation", _("研发孵化")
    SUPPORTING_MANUFACTURING = "supporting_manufacturing", _("配套制造")
    LOCAL_LANDING = "local_landing", _("本地落地")
    HEADQUARTERS_RND = "headquarters_rnd", _("总部研发")
    MANUFACTURING = "manufacturing", _("生产制造")
    OTHER = "other", _("其他")


class LinkageMember(models.Model):
    linkage = models.ForeignKey(
        ParkLinkage, on_delete=models.CASCADE, related_name="members", verbose_name=_("联动")
    )
    park = models.ForeignKey(
        Park, on_delete=models.PROTECT, related_name="linkage_memberships", verbose_name=_("园区")
    )
    role = models.CharField(_("角色"), max_length=32, choices=LinkageRole.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("联动成员")
        verbose_name_plural = _("联动成员")
        ordering = ["linkage", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["linkage", "park"], name="linkage_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.linkage}·{self.park}"
