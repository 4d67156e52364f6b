"""Reports written into storage: the monthly report and the quarterly assessment, by period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("招商引资月报")
    QUARTERLY = "quarterly", _("季度考核结果")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class GeneratedReport(models.Model):
    """One generated report file; generating the same one again replaces it."""

    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="kpi_reports",
    )
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    period = models.CharField(_("期间"), max_length=8)
    scheme_key = models.CharField(_("考核方案"), max_length=64, blank=True)
    format = models.CharField(_("格式"), max_length=8)
    file = models.FileField(_("文件"), upload_to="kpi/reports/%Y/%m/", max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.READY
    )
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("为空表示由定时任务生成"),
    )
    scheduled = models.BooleanField(_("定时生成"), default=False)

    class Meta:
        verbose_name = _("已生成报告")
        verbose_name_plural = _("已生成报告")
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period", "scheme_key", "format"],
                name="kpi_generated_report_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.period}"
