"""The project library (招商项目库): projects, stage history, milestones, approvals, funds."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from parklink.core.models import OwnedModel, PinyinSearchable, TimeStampedModel
from parklink.projects.amounts import format_qualified
from parklink.projects.lifecycle import Stage


class ProjectStage(models.TextChoices):
    LEAD = Stage.LEAD.value, _("线索")
    NEGOTIATING = Stage.NEGOTIATING.value, _("在谈")
    SIGNED = Stage.SIGNED.value, _("签约")
    APPROVALS = Stage.APPROVALS.value, _("审批")
    STARTED = Stage.STARTED.value, _("开工")
    UNDER_CONSTRUCTION = Stage.UNDER_CONSTRUCTION.value, _("在建")
    COMPLETED = Stage.COMPLETED.value, _("竣工")
    IN_PRODUCTION = Stage.IN_PRODUCTION.value, _("投产")
    FULL_PRODUCTION = Stage.FULL_PRODUCTION.value, _("达产")
    STALLED = Stage.STALLED.value, _("停滞")
    TERMINATED = Stage.TERMINATED.value, _("终止")


class CapitalOrigin(models.TextChoices):
    IN_PROVINCE = "in_province", _("省内资金")
    OUT_OF_PROVINCE = "out_of_province", _("省外资金")
    FOREIGN = "foreign", _("外资")


class Maturity(models.TextChoices):
    A = "A", _("A类(成熟)")
    B = "B", _("B类(较成熟)")
    C = "C", _("C类(培育)")


class LeadSource(models.TextChoices):
    # One choice for resident teams and liaison offices (0005 mapped the old resident_team).
    LIAISON_OFFICE = "liaison_office", _("驻点/联络点招商")
    ENCLAVE = "enclave", _("飞地")
    BUSINESS_REFERRAL = "business_referral", _("以商招商")
    NEWS = "news", _("新闻情报")
    EVENT = "event", _("推介活动")
    ONLINE = "online", _("线上招商")
    AGENCY = "agency", _("中介招商")
    COBUILT_PARK = "cobuilt_park", _("园区共建")
    OTHER = "other", _("其他")


class AmountQualifier(models.TextChoices):
    """How exact an investment figure is (projects.amounts.Qualifier): 超/以上/逾, 约/近/左右."""

    EXACT = "exact", _("确数")
    AT_LEAST = "at_least", _("以上(下限)")
    ABOUT = "about", _("约数")


class ProjectTag(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("项目标签")
        verbose_name_plural = _("项目标签")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (the Chinese name when no English one is set)."""
        if (get_language() or "zh-hans").startswith("zh"):
            return self.name
        return self.name_en or self.name


class Project(PinyinSearchable, OwnedModel):
    PINYIN_ALIAS_FIELD = "code_name"

    name = models.CharField(_("项目名称"), max_length=200)
    code_name = models.CharField(
        _("代号"), max_length=64, blank=True, help_text=_("对外保密时使用的项目代号")
    )
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("落地园区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("落地行政区"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    investor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("投资企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    sector = models.CharField(_("产业领域"), max_length=64, blank=True, db_index=True)
    industry_code = models.CharField(_("行业代码"), max_length=8, blank=True)
    description = models.TextField(_("项目简介"), blank=True)
    total_investment = models.DecimalField(
        _("总投资(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    total_investment_qualifier = models.CharField(
        _("总投资口径"),
        max_length=16,
        choices=AmountQualifier.choices,
        default=AmountQualifier.EXACT,
        blank=True,  # blank reads as exact (projects.amounts.qualifier_of)
        help_text=_("原文写“超/以上/逾”为以上(下限),写“约/近/左右”为约数"),
    )
    phase_investment = models.DecimalField(
        _("一期投资(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    phase_investment_qualifier = models.CharField(
        _("一期投资口径"),
        max_length=16,
        choices=AmountQualifier.choices,
        default=AmountQualifier.EXACT,
        blank=True,
    )
    capital_origin = models.CharField(
        _("资金来源"), max_length=32, choices=CapitalOrigin.choices, blank=True
    )
    expected_annual_revenue = models.DecimalField(
        _("达产年销售收入/产值(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    expected_annual_tax = models.DecimalField(
        _("达产年税收(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    jobs = models.PositiveIntegerField(_("带动就业(人)"), null=True, blank=True)
    land_area_mu = models.DecimalField(
        _("用地面积(亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor_area_m2 = models.DecimalField(
        _("建筑面积(平方米)"), max_digits=14, decimal_places=2, null=True, blank=True
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
    remarks = models.TextField(_("备注"), blank=True)
    maturity = models.CharField(_("成熟度"), max_length=1, choices=Maturity.choices, blank=True)
    tags = models.ManyToManyField(
        ProjectTag, verbose_name=_("标签"), blank=True, related_name="projects"
    )
    lead_source = models.CharField(
        _("线索来源"), max_length=32, choices=LeadSource.choices, blank=True
    )
    lead_source_detail = models.CharField(_("来源说明"), max_length=255, blank=True)
    # 五个一: one project, one leader, one task force, one mechanism, followed to the end.
    responsible_leader = models.CharField(_("责任领导"), max_length=64, blank=True)
    leader_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    task_force = models.CharField(_("工作专班"), max_length=255, blank=True)
    mechanism = models.TextField(_("推进机制"), blank=True)
    # Lifecycle state; changed only by services.transition().
    stage = models.CharField(
        _("阶段"),
        max_length=32,
        choices=ProjectStage.choices,
        default=ProjectStage.LEAD,
        db_index=True,
    )
    stage_since = models.DateField(_("进入本阶段日期"))
    stalled_from = models.CharField(
        _("停滞前阶段"), max_length=32, choices=ProjectStage.choices, blank=True
    )
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    last_progress_on = models.DateField(_("最近进展日期"), db_index=True)
    history = HistoricalRecords(excluded_fields=["last_progress_on"])

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["owner", "stage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def total_investment_text(self) -> str:
        """总投资 with its qualifier in the active language: 超10亿元, 约2亿元, —."""
        return format_qualified(
            self.total_investment, self.total_investment_qualifier, language=get_language() or "zh"
        )

    @property
    def phase_investment_text(self) -> str:
        """一期投资 with its qualifier in the active language."""
        return format_qualified(
            self.phase_investment, self.phase_investment_qualifier, language=get_language() or "zh"
        )

    @property
    def is_disclosed(self) -> bool:
        """Signed once: visible to the regions above the owner from then on."""
        return self.signed_on is not None


class StageTransition(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("项目")
    )
    from_stage = models.CharField(
        _("原阶段"), max_length=32, choices=ProjectStage.choices, blank=True
    )
    to_stage = models.CharField(_("新阶段"), max_length=32, choices=ProjectStage.choices)
    effective_on = models.DateField(_("生效日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_stage or '—'} → {self.to_stage}"


class Milestone(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    name = models.CharField(_("节点"), max_length=128)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["project", "due_on", "id"]

    def __str__(self) -> str:
        return self.name


class ApprovalKind(models.TextChoices):
    ENVIRONMENTAL = "environmental", _("环评")
    SAFETY = "safety", _("安评")
    ENERGY = "energy", _("能评")
    FIRE = "fire", _("消防")
    LAND = "land", _("用地")
    PLANNING = "planning", _("规划许可")
    CONSTRUCTION = "construction", _("施工许可")
    OTHER = "other", _("其他")


class ApprovalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PREPARATION = "in_preparation", _("准备材料")
    SUBMITTED = "submitted", _("已报审")
    APPROVED = "approved", _("已批复")
    REJECTED = "rejected", _("未通过")
    WAIVED = "waived", _("免于审批")


class Approval(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("项目")
    )
    kind = models.CharField(_("审批事项"), max_length=32, choices=ApprovalKind.choices)
    status = models.CharField(
        _("状态"), max_length=32, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_STARTED
    )
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    submitted_on = models.DateField(_("报审日期"), null=True, blank=True)
    decided_on = models.DateField(_("批复日期"), null=True, blank=True)
    reference = models.CharField(_("批复文号"), max_length=128, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("审批")
        verbose_name_plural = _("审批")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="approval_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.project}·{self.get_kind_display()}"


class FundsInPlace(TimeStampedModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funds", verbose_name=_("项目")
    )
    received_on = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位金额(元)"), max_digits=18, decimal_places=2)
    evidence = models.CharField(_("凭证"), max_length=255, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["project", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.received_on}"


class AgeingPolicy(models.Model):
    """An organisation's own ageing thresholds (else the installation's settings apply)."""

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="ageing_policy",
        verbose_name=_("机构"),
    )
    yellow_months = models.PositiveSmallIntegerField(_("黄色预警(月)"), default=2)
    red_months = models.PositiveSmallIntegerField(_("红色预警(月)"), default=3)
    removal_months = models.PositiveSmallIntegerField(_("建议出库(月)"), default=6)

    class Meta:
        verbose_name = _("项目预警阈值")
        verbose_name_plural = _("项目预警阈值")

    def __str__(self) -> str:
        return str(self.organization)

    def clean(self) -> None:
        # ageing.Thresholds refuses these at read time, which would break every page that
        # colours this organisation's projects; refuse them when they are entered instead.
        if not 0 < self.yellow_months < self.red_months < self.removal_months:
            raise ValidationError(_("阈值必须逐级递增:0 < 黄色预警 < 红色预警 < 建议出库"))
