"""Surveys of enterprises (复工复产 / 运行监测), their recipients and answers, and 诉求.

The questions are data (`Survey.questions`, checked by `engine.surveys.read_questions`); a
recipient's answers are kept whole (`answers`) with the values the rates read copied into
columns. A recipient without an enterprise record is a named placeholder (the demo's
illustrative recipients), never a real firm.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parklink.core.models import TimeStampedModel
from parklink.kpi.engine.surveys import CATEGORIES, STATUSES


class SurveyKind(models.TextChoices):
    RESUMPTION = "resumption", _("复工复产")
    MONITORING = "monitoring", _("运行监测")


class Audience(models.TextChoices):
    PARK_KEY = "park_key", _("园区重点企业和重点项目")
    ABOVE_SCALE = "above_scale", _("辖区全部规上企业")
    PICKED = "picked", _("指定企业")


class Survey(TimeStampedModel):
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("发起机构"),
        on_delete=models.CASCADE,
        related_name="kpi_surveys",
    )
    title = models.CharField(_("调查名称"), max_length=200)
    kind = models.CharField(
        _("类型"), max_length=16, choices=SurveyKind.choices, default=SurveyKind.RESUMPTION
    )
    period = models.CharField(_("调查期"), max_length=8, db_index=True)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    closes_on = models.DateField(_("填报截止日"))
    questions = models.JSONField(pgettext_lazy("survey", "问题"))
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kpi_surveys",
    )
    help_due_days = models.PositiveSmallIntegerField(_("诉求办理时限(天)"), default=7)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    illustrative = models.BooleanField(_("示例数据"), default=False)
    source_note = models.CharField(_("出处"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("企业调查")
        verbose_name_plural = _("企业调查")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyRecipient(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="recipients"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_survey_recipients",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("重点项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kpi_survey_recipients",
    )
    name = models.CharField(_("企业名称"), max_length=200)
    above_scale = models.BooleanField(_("规上企业"), default=False)
    key_project = models.BooleanField(_("重点项目"), default=False)
    # the one-time link: the nonce is in the signed token; a new link changes it
    link_nonce = models.CharField(max_length=32, blank=True)
    link_expires_at = models.DateTimeField(_("链接有效期至"), null=True, blank=True)
    link_used_at = models.DateTimeField(_("链接使用时间"), null=True, blank=True)
    # the answer
    answers = models.JSONField(_("答卷"), default=dict, blank=True)
    status = models.CharField(
        _("复工状态"),
        max_length=16,
        blank=True,
        choices=[(code, zh) for code, (zh, _en) in STATUSES.items()],
    )
    capacity = models.DecimalField(
        _("产能利用率(%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    on_duty = models.PositiveIntegerField(_("在岗人数"), null=True, blank=True)
    usual = models.PositiveIntegerField(_("正常用工人数"), null=True, blank=True)
    orders = models.DecimalField(
        _("在手订单(元)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代填人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_via_link = models.BooleanField(_("企业自填"), default=False)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("调查对象")
        verbose_name_plural = _("调查对象")
        ordering = ["survey", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="kpi_recipient_unique_enterprise",
            )
        ]

    def __str__(self) -> str:
        return self.name


class HelpStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")


class HelpRequest(TimeStampedModel):
    """A request for help (诉求) raised in a survey answer, tracked to its resolution."""

    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("承办机构"),
        on_delete=models.CASCADE,
        related_name="kpi_help_requests",
    )
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("调查"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="help_requests",
    )
    recipient = models.ForeignKey(
        SurveyRecipient,
        verbose_name=_("提出企业"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="help_requests",
    )
    category = models.CharField(
        _("类别"), max_length=16, choices=[(c, zh) for c, (zh, _en) in CATEGORIES.items()]
    )
    text = models.TextField(_("诉求内容"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kpi_help_requests",
    )
    due_on = models.DateField(_("办理时限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=HelpStatus.choices, default=HelpStatus.OPEN
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.recipient or ''} {self.get_category_display()}"
