"""Targets, assessment schemes (stored by version), assessments and findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parklink.core.models import TimeStampedModel
from parklink.kpi.engine.names import FIGURES, TARGET_KINDS

TARGET_CHOICES = [(f.name, f.zh) for f in FIGURES if f.name in TARGET_KINDS]


class SubjectKind(models.TextChoices):
    ORGANIZATION = "organization", _("机构")
    TASK_FORCE = "task_force", _("工作专班")
    PERSON = "person", _("责任人")
    OFFICE = "office", _("驻点招商机构")
    DEPARTMENT = "department", _("部门")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


class Target(TimeStampedModel):
    """A target for one organisation (or one of its task forces or persons) in one period.

    `organization` is whose target it is; `set_by` the organisation that set it (itself, or
    one above it that assesses it). A task force is named as on its projects
    (`Project.task_force`); a person is the user named as a project's `leader_user`.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("考核对象机构"),
        on_delete=models.CASCADE,
        related_name="kpi_targets",
    )
    set_by = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("下达机构"),
        on_delete=models.PROTECT,
        related_name="kpi_targets_set",
    )
    subject_kind = models.CharField(
        _("对象类型"),
        max_length=16,
        choices=SubjectKind.choices,
        default=SubjectKind.ORGANIZATION,
    )
    task_force = models.CharField(_("工作专班"), max_length=255, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_targets",
    )
    office = models.ForeignKey(
        "kpi.LiaisonOffice",
        verbose_name=_("驻点招商机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    department = models.ForeignKey(
        "kpi.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    period = models.CharField(_("考核期"), max_length=8, db_index=True)
    period_kind = models.CharField(_("期间类型"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    kind = models.CharField(_("目标类型"), max_length=32, choices=TARGET_CHOICES)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("考核目标")
        verbose_name_plural = _("考核目标")
        ordering = ["organization", "period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "subject_kind",
                    "task_force",
                    "person",
                    "office",
                    "department",
                    "period",
                    "kind",
                ],
                name="kpi_target_subject_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period} {self.get_kind_display()}"


class SchemeVersion(models.Model):
    """One saved version of a scheme document; assessments point at the version they used."""

    key = models.SlugField(_("方案代码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("方案名称"), max_length=200)
    document = models.JSONField(_("方案内容"))
    text = models.TextField(_("方案原文(YAML)"), blank=True)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_schemes",
        help_text=_("为空表示随系统提供的示例方案"),
    )
    illustrative = models.BooleanField(_("示例"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保存人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案版本")
        verbose_name_plural = _("考核方案版本")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="kpi_scheme_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Assessment(models.Model):
    """One organisation's score in one period under one scheme version, as an assessor saw it.

    The figures and targets used are stored with the result, so the assessment replays
    exactly (`services.assess.replay`) whatever changes later in the pipeline or the scheme.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("考核对象"),
        on_delete=models.CASCADE,
        related_name="kpi_assessments",
    )
    assessor = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("考核机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_assessments_made",
    )
    scheme = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("方案版本"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    subject_kind = models.CharField(
        _("对象类型"),
        max_length=16,
        choices=SubjectKind.choices,
        default=SubjectKind.ORGANIZATION,
    )
    # Which subject of the organisation: blank for the organisation itself, else the task
    # force's name, the person's, department's or office's id (as text).
    subject_key = models.CharField(_("对象标识"), max_length=255, blank=True, default="")
    subject_name = models.CharField(_("考核对象名称"), max_length=255, blank=True, default="")
    period = models.CharField(_("考核期"), max_length=8, db_index=True)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    figures = models.JSONField(_("实绩"))
    targets = models.JSONField(_("目标"))
    result = models.JSONField(_("得分明细"))
    total = models.DecimalField(_("总分"), max_digits=10, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    standing = models.CharField(_("三色"), max_length=8, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["period_start", "rank", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "assessor",
                    "scheme",
                    "period",
                    "subject_kind",
                    "subject_key",
                ],
                name="kpi_assessment_subject_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.period} {self.total}"

    @property
    def subject(self) -> str:
        """Whom the assessment scores: the organisation, or its department, person …"""
        if self.subject_kind == SubjectKind.ORGANIZATION or not self.subject_name:
            return str(self.organization)
        return f"{self.organization} · {self.subject_name}"


class FindingKind(models.TextChoices):
    FALSIFIED = "falsified", _("弄虚作假")
    OVERDUE = "overdue", _("超时限未开工")


class Finding(TimeStampedModel):
    """An assessor's finding about a project (弄虚作假), deducted by schemes that say so."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="kpi_findings",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=FindingKind.choices)
    noted_on = models.DateField(_("认定日期"))
    noted_by = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("认定机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=255)
    evidence = models.TextField(_("证据"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("核查认定")
        verbose_name_plural = _("核查认定")
        ordering = ["-noted_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()}"


from parklink.kpi.models_departments import (  # noqa: E402
    Department,
    DepartmentMember,
    DepartmentProject,
)
from parklink.kpi.models_fx import ExchangeRate  # noqa: E402
from parklink.kpi.models_liaison import LiaisonOffice, OfficeKind, OfficeLead  # noqa: E402
from parklink.kpi.models_reports import GeneratedReport, ReportKind, ReportStatus  # noqa: E402
from parklink.kpi.models_surveys import (  # noqa: E402
    Audience,
    HelpRequest,
    HelpStatus,
    Survey,
    SurveyKind,
    SurveyRecipient,
)

__all__ = [
    "Assessment",
    "Audience",
    "Department",
    "DepartmentMember",
    "DepartmentProject",
    "ExchangeRate",
    "Finding",
    "FindingKind",
    "GeneratedReport",
    "HelpRequest",
    "HelpStatus",
    "LiaisonOffice",
    "OfficeKind",
    "OfficeLead",
    "PeriodKind",
    "ReportKind",
    "ReportStatus",
    "SchemeVersion",
    "SubjectKind",
    "Survey",
    "SurveyKind",
    "SurveyRecipient",
    "Target",
]
