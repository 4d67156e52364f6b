"""Enterprises with their USCC, flags and sites (HQ / R&D / manufacturing / settlement)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parklink.core.models import OwnedModel, PinyinSearchable
from parklink.core.text import normalise_name
from parklink.enterprises import uscc as uscc_rules


def validate_uscc(value: str) -> None:
    """The GB 32100 check as a field validator (the admin), in the active language."""
    found = uscc_rules.problem(value)
    if found is not None:
        english = (get_language() or "").startswith("en")
        message = found.message_en if english else found.message_zh
        raise ValidationError(message, code=f"uscc_{found.code}")


# 经营范围 as registered: real scopes run to 2,000 characters and more (long 一般项目/许可项目
# lists); twice that leaves room, and anything longer is not a scope but a pasted document.
BUSINESS_SCOPE_MAX_LENGTH = 5000
HISTORY_UNINDEXED = [
    "name_pinyin",
    "name_initials",
    "alias_pinyin",
    "alias_initials",
    "normalized_name",
    "region",
    "owner",
]


class Enterprise(PinyinSearchable, OwnedModel):
    PINYIN_ALIAS_FIELD = "short_name"

    name = models.CharField(_("企业名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    # Looked up by equality (duplicates, matching): the unique key on (normalized_name, region)
    # serves those by its first column, so the column has no index of its own (nor a LIKE one).
    normalized_name = models.CharField(_("规范化名称"), max_length=128, editable=False)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, validators=[validate_uscc]
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("注册地"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry_code = models.CharField(_("国民经济行业代码"), max_length=8, blank=True)
    description = models.TextField(_("简介"), blank=True)
    business_scope = models.TextField(
        _("经营范围"),
        max_length=BUSINESS_SCOPE_MAX_LENGTH,
        blank=True,
        help_text=_("营业执照上登记的经营范围原文(一般项目、许可项目)"),
    )
    is_chain_leader = models.BooleanField(_("链主企业"), default=False)
    is_listed = models.BooleanField(_("上市企业"), default=False)
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)
    is_above_scale = models.BooleanField(_("规上企业"), default=False)
    is_specialised_sme = models.BooleanField(_("专精特新"), default=False)
    registered_capital = models.DecimalField(
        _("注册资本(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # The history is read by enterprise (`id`), date and user; a history row is never looked
    # up by its search keys, region or owner, so those columns carry no index there (an import
    # of a million rows would otherwise build a dozen indexes nobody reads).
    history = HistoricalRecords(no_db_index=HISTORY_UNINDEXED)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(uscc__isnull=False), name="enterprise_unique_uscc"
            ),
            models.UniqueConstraint(
                fields=["normalized_name", "region"], name="enterprise_unique_name_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalized_name = normalise_name(self.name)
        if self.uscc == "":
            self.uscc = None
        if self.uscc:
            self.uscc = uscc_rules.normalise(self.uscc)
        super().save(*args, **kwargs)


class SiteRole(models.TextChoices):
    HEADQUARTERS = "headquarters", _("总部")
    RND = "rnd", _("研发")
    MANUFACTURING = "manufacturing", _("生产制造")
    SETTLEMENT = "settlement", _("结算中心")
    OTHER = "other", _("其他")


class EnterpriseSite(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="sites", verbose_name=_("企业")
    )
    role = models.CharField(_("功能"), max_length=32, choices=SiteRole.choices)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise_sites",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise_sites",
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("企业基地")
        verbose_name_plural = _("企业基地")
        ordering = ["enterprise", "role", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise}·{self.get_role_display()}"
