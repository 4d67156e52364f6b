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
    # What the investment agreement promises; the contract-date warnings (projects.warnings)
    # compare the project's stage and funds with them.
    contract_start_date = models.DateField(_("合同约定开工日期"), null=True, blank=True)
    contract_production_date = models.DateField(_("合同约定投产日期"), null=True, blank=True)
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
    # The contract-date rules (projects.warnings.ContractRules); 0 switches a rule off.
    unstarted_months = models.PositiveSmallIntegerField(
        _("签约未开工预警(月)"),
        default=6,
        validators=[MaxValueValidator(120)],
        help_text=_("签约满这么多个月仍未开工即预警;填0不启用(合同约定开工日期逾期仍预警)"),
    )
    production_rule = models.BooleanField(
        _("开工未投产预警"),
        default=True,
        help_text=_("已开工、过了合同约定投产日期仍未投产即预警"),
    )
    funds_percent = models.PositiveSmallIntegerField(
        _("资金到位预警(%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("累计到位资金低于按合同进度应到位金额的这一比例即预警;填0不启用"),
    )

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


class ProgressEntry(TimeStampedModel):
    """One dated entry of a project's progress log (进展情况 / 周调度)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_entries", verbose_name=_("项目")
    )
    happened_on = models.DateField(_("进展日期"), db_index=True)
    summary = models.TextField(_("进展情况"))
    next_step = models.TextField(_("下一步工作"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter = models.CharField(
        _("填报人"), max_length=64, blank=True, help_text=_("实际跟进人姓名(可与填报账号不同)")
    )
    transition = models.ForeignKey(
        StageTransition,
        verbose_name=_("关联阶段变更"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_entries",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["project", "-happened_on", "-id"]
        indexes = [models.Index(fields=["project", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.happened_on}"


class ProblemCategory(models.TextChoices):
    LAND = "land", _("用地")
    APPROVALS = "approvals", _("审批手续")
    POWER = "power", _("用电")
    WATER = "water", _("用水")
    FINANCING = "financing", _("融资")
    STAFFING = "staffing", _("用工")
    DEMOLITION = "demolition", _("征地拆迁")
    ENVIRONMENT = "environment", _("环保")
    OTHER = "other", _("其他")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待协调")
    COORDINATING = "coordinating", _("协调中")
    SOLVED = "solved", _("已解决")
    ESCALATED = "escalated", _("已提级")


class Problem(TimeStampedModel):
    """A problem raised for a project (问题清单 / 协调事项); its status changes in
    services.problems only, each one recorded as a `ProblemEvent`."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="problems", verbose_name=_("项目")
    )
    category = models.CharField(_("问题类别"), max_length=16, choices=ProblemCategory.choices)
    description = models.TextField(_("问题描述"))
    department = models.CharField(_("责任部门"), max_length=128, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("协调领导账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_problems",
    )
    leader_name = models.CharField(_("协调领导"), max_length=64, blank=True)
    raised_on = models.DateField(_("提出日期"))
    deadline = models.DateField(_("办结时限"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
        db_index=True,
    )
    solved_on = models.DateField(_("解决日期"), null=True, blank=True)
    resolution = models.TextField(_("解决情况"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.project}·{self.get_category_display()}"


class ProblemEvent(models.Model):
    """One status change of a problem: who, when, from what to what, and why."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="events", verbose_name=_("问题")
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=ProblemStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=ProblemStatus.choices)
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
        verbose_name = _("问题状态变更")
        verbose_name_plural = _("问题状态变更")
        ordering = ["problem", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.problem}: {self.from_status or '—'} → {self.to_status}"


class ProjectYearPlan(TimeStampedModel):
    """A project's investment plan and completion for one year (年度计划投资 / 完成投资), in 元."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="year_plans", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned = models.DecimalField(
        _("年度计划投资(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    completed = models.DecimalField(
        _("年度完成投资(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度投资计划")
        verbose_name_plural = _("年度投资计划")
        ordering = ["project", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="year_plan_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"
