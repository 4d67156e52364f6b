"""Supply–demand listings (供需清单), matchmaking events (对接会) and policies (政策)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parklink.core.models import OwnedModel, TimeStampedModel


class Side(models.TextChoices):
    SUPPLY = "supply", _("供给")
    NEED = "need", _("需求")


class ListingKind(models.TextChoices):
    PRODUCT = "product", _("产品")
    CAPACITY = "capacity", _("产能")
    SERVICE = "service", _("服务")
    TECHNOLOGY = "technology", _("技术")
    MATERIAL = "material", _("原材料")
    COMPONENT = "component", _("零部件")
    EQUIPMENT = "equipment", _("设备")
    TALENT = "talent", _("人才")


class RegionPreference(models.TextChoices):
    ANY = "any", _("不限")
    METRO = "metro", _("同一都市圈优先")
    PROVINCE = "province", _("省内优先")
    CITY = "city", _("同城优先")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("有效")
    CLOSED = "closed", _("已关闭")
    MERGED = "merged", _("已合并")


class Listing(OwnedModel):
    """One line of a supply–demand list; `owner` is the organisation that posted it."""

    side = models.CharField(_("供需"), max_length=8, choices=Side.choices)
    kind = models.CharField(_("类别"), max_length=16, choices=ListingKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="matching_listings",
    )
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    quantity = models.DecimalField(
        _("数量"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    period = models.CharField(
        _("周期"), max_length=64, blank=True, help_text=_("如:长期、2026年内")
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="+"
    )
    region_preference = models.CharField(
        _("地域偏好"),
        max_length=16,
        choices=RegionPreference.choices,
        default=RegionPreference.ANY,
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    chain = models.CharField(_("产业链"), max_length=64, blank=True)
    segment = models.CharField(_("产业链环节"), max_length=64, blank=True)
    industry_code = models.CharField(_("国民经济行业代码"), max_length=8, blank=True)
    tag_score = models.FloatField(_("自动标注得分"), null=True, blank=True)
    tag_evidence = models.JSONField(_("标注依据"), default=list, blank=True)
    tags_corrected = models.BooleanField(_("标注已人工更正"), default=False)
    status = models.CharField(
        _("状态"), max_length=8, choices=ListingStatus.choices, default=ListingStatus.OPEN
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("供需信息")
        verbose_name_plural = _("供需清单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "side"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="matching_listing_quantity_positive",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Event(OwnedModel):
    """A matchmaking event (对接会): the listings gathered for it and its meetings."""

    name = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("举办日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    metro = models.ForeignKey(
        "chains.MetroArea",
        verbose_name=_("都市圈"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("简介"), blank=True)
    listings = models.ManyToManyField(
        Listing, verbose_name=_("汇集的供需信息"), blank=True, related_name="events"
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("对接会")
        verbose_name_plural = _("对接会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    CONTACT = "contact", _("已建立联系")
    DEAL = "deal", _("已签约")
    NO_DEAL = "no_deal", _("未达成")


class Meeting(TimeStampedModel):
    """A supplier and a buyer brought together at an event, and what came of it."""

    event = models.ForeignKey(
        Event, verbose_name=_("对接会"), on_delete=models.CASCADE, related_name="meetings"
    )
    supply = models.ForeignKey(
        Listing, verbose_name=_("供给方"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.ForeignKey(
        Listing, verbose_name=_("需求方"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("洽谈时间"), null=True, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SCHEDULED
    )
    amount = models.DecimalField(
        _("签约金额(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("对接洽谈")
        verbose_name_plural = _("对接洽谈")
        ordering = ["event", "scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="matching_meeting_amount_nonnegative",
            ),
            models.UniqueConstraint(
                fields=["event", "supply", "need"], name="matching_meeting_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supply} ↔ {self.need}"


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已废止")


class BenefitKind(models.TextChoices):
    FIXED = "fixed", _("定额")
    RATE = "rate", _("按比例")
    OTHER = "other", _("非资金(或金额另定)")


class Policy(OwnedModel):
    """A policy (政策) with its conditions as data (JSON Logic, docs/matching.md)."""

    title = models.CharField(_("政策名称"), max_length=200)
    issuer_region = models.ForeignKey(
        "regions.Region", verbose_name=_("适用地区"), on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("有效期止"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    text = models.TextField(_("政策原文"), blank=True)
    conditions = models.JSONField(_("享受条件"), default=list, blank=True)
    benefit_kind = models.CharField(
        _("兑现方式"), max_length=8, choices=BenefitKind.choices, default=BenefitKind.OTHER
    )
    benefit_amount = models.DecimalField(
        _("定额(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    benefit_rate = models.DecimalField(
        _("比例"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    benefit_base = models.CharField(_("比例基数"), max_length=32, blank=True)
    benefit_cap = models.DecimalField(
        _("上限(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    benefit_note = models.CharField(_("兑现说明"), max_length=255, blank=True)
    documents = models.JSONField(_("申报材料"), default=list, blank=True)
    shared_as = models.ManyToManyField(
        "cobuild.SharedPolicy",
        verbose_name=_("共建园区共享"),
        blank=True,
        related_name="+",
        help_text=_("共建协议中对应的共享政策:协议所涉园区的企业同样适用"),
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="matching_policy_valid_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EnterpriseFigures(models.Model):
    """An enterprise's yearly figures the policy conditions read (营收, 纳税, 从业人数)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="matching_figures",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    revenue = models.DecimalField(
        _("营业收入(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    tax = models.DecimalField(
        _("纳税额(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    headcount = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="matching_figures_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


# Financing matchmaking (银企对接) lives in its own module; imported here so Django finds it.
from parklink.matching.models_finance import (  # noqa: E402
    Bank,
    FinanceProduct,
    FinancingNeed,
    NeedEvent,
    NeedMatch,
    NeedStatus,
    ProductKind,
    Programme,
    Urgency,
)
from parklink.matching.models_promotion import (  # noqa: E402
    Enquiry,
    Publication,
    PublicationKind,
)
from parklink.matching.models_siting import ParkCapacity, SitingNeeds  # noqa: E402

__all__ = [
    "Bank",
    "Enquiry",
    "FinanceProduct",
    "FinancingNeed",
    "NeedEvent",
    "NeedMatch",
    "NeedStatus",
    "ParkCapacity",
    "ProductKind",
    "Programme",
    "Publication",
    "PublicationKind",
    "SitingNeeds",
    "Urgency",
]
