"""Financing matchmaking (银企对接): banks, their products, enterprises' needs and their lifecycle.

Bank staff are users of the bank's organisation (`Bank.organization`). Money is integer 元;
rates are exact Decimal percentages. The lifecycle table lives in `finance/lifecycle.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parklink.core.models import OwnedModel, TimeStampedModel


class Bank(TimeStampedModel):
    name = models.CharField(_("银行名称"), max_length=128, unique=True)
    organization = models.OneToOneField(
        "accounts.Organization",
        verbose_name=_("对应机构(银行员工所属)"),
        on_delete=models.PROTECT,
        related_name="matching_bank",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("银行")
        verbose_name_plural = _("银行")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(OwnedModel):
    """A government financing programme behind products (盈创动力, a 集合信贷计划)."""

    name = models.CharField(_("政府金融服务项目"), max_length=128, unique=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("简介"), blank=True)
    source_note = models.TextField(_("出处(原文引述)"), blank=True)

    class Meta:
        verbose_name = _("金融服务项目")
        verbose_name_plural = _("金融服务项目")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductKind(models.TextChoices):
    CREDIT = "credit", _("信用贷款")
    GUARANTEE = "guarantee", _("担保贷款")
    PLEDGE = "pledge", _("抵质押贷款")
    POLICY = "policy", _("政策性贷款")


class FinanceProduct(TimeStampedModel):
    bank = models.ForeignKey(
        Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("产品名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=ProductKind.choices)
    amount_min = models.PositiveBigIntegerField(_("最低额度(元)"))
    amount_max = models.PositiveBigIntegerField(_("最高额度(元)"))
    term_min = models.PositiveSmallIntegerField(_("最短期限(月)"))
    term_max = models.PositiveSmallIntegerField(_("最长期限(月)"))
    rate_min = models.DecimalField(_("最低年利率(%)"), max_digits=6, decimal_places=3)
    rate_max = models.DecimalField(_("最高年利率(%)"), max_digits=6, decimal_places=3)
    conditions = models.JSONField(_("准入条件"), default=list, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("政府金融服务项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    active = models.BooleanField(_("在售"), default=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("金融产品")
        verbose_name_plural = _("金融产品")
        ordering = ["bank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="matching_product_unique"),
            models.CheckConstraint(
                condition=Q(amount_max__gte=F("amount_min")), name="matching_product_amounts"
            ),
            models.CheckConstraint(
                condition=Q(term_max__gte=F("term_min")), name="matching_product_terms"
            ),
            models.CheckConstraint(
                condition=Q(rate_min__gte=0) & Q(rate_max__gte=F("rate_min")),
                name="matching_product_rates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} · {self.name}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class NeedStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    MATCHED = "matched", _("已匹配")
    CONTACTED = "contacted", _("银行已对接")
    APPROVED = "approved", _("已审批")
    DECLINED = "declined", _("未获批")
    DISBURSED = "disbursed", _("已放款")
    WITHDRAWN = "withdrawn", _("已撤回")


class FinancingNeed(OwnedModel):
    """An enterprise's financing need; `owner` is the organisation that registered it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="financing_needs",
    )
    amount = models.PositiveBigIntegerField(_("融资金额(元)"))
    term = models.PositiveSmallIntegerField(_("期限(月)"))
    purpose = models.CharField(_("用途"), max_length=200)
    collateral = models.CharField(
        _("抵质押物"), max_length=200, blank=True, help_text=_("无则留空")
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    event = models.ForeignKey(
        "matching.Event",
        verbose_name=_("对接会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="financing_needs",
    )
    registered_on = models.DateField(_("登记日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.REGISTERED
    )
    product = models.ForeignKey(
        FinanceProduct,
        verbose_name=_("对接产品"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    approved_amount = models.PositiveBigIntegerField(_("审批金额(元)"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    disbursed_amount = models.PositiveBigIntegerField(_("放款金额(元)"), null=True, blank=True)
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        ordering = ["-registered_on", "-id"]
        indexes = [models.Index(fields=["status", "registered_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="matching_need_amount"),
            models.CheckConstraint(condition=Q(term__gt=0), name="matching_need_term"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.amount} 元"


class NeedMatch(models.Model):
    """A product proposed for a need, with its score and reasons (finance/fit.py)."""

    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.CASCADE, related_name="matches"
    )
    product = models.ForeignKey(
        FinanceProduct, verbose_name=_("金融产品"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("排名"))
    score = models.FloatField(_("匹配度"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    conditions = models.JSONField(_("条件核对"), default=list)
    matched_at = models.DateTimeField(_("匹配时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求匹配")
        verbose_name_plural = _("需求匹配")
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "product"], name="matching_needmatch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.product} #{self.rank}"


class NeedEvent(models.Model):
    """One step of a need's history: who moved it from which state to which, and amounts."""

    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(_("操作"), max_length=16)
    source = models.CharField(_("原状态"), max_length=16, choices=NeedStatus.choices)
    target = models.CharField(_("新状态"), max_length=16, choices=NeedStatus.choices)
    amount = models.PositiveBigIntegerField(_("金额(元)"), null=True, blank=True)
    on = models.DateField(_("日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求进展")
        verbose_name_plural = _("需求进展")
        ordering = ["need", "at", "id"]

    def __str__(self) -> str:
        return f"{self.need}: {self.source} → {self.target}"
