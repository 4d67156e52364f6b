"""Exchange rates (元 per US$) by month, entered by an installation administrator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    month = models.CharField(_("月份"), max_length=7, unique=True, help_text=_("如 2025-03"))
    rate = models.DecimalField(_("汇率(元/美元)"), max_digits=12, decimal_places=6)
    source = models.CharField(_("来源说明"), max_length=255)
    illustrative = models.BooleanField(_("示例数据"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("美元汇率")
        verbose_name_plural = _("美元汇率")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month} {self.rate}"
