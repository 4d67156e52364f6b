"""China's administrative regions, keyed by their GB/T 2260 adcode."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地级")
    COUNTY = "county", _("县级")


class Region(models.Model):
    adcode = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=64, db_index=True)
    full_name = models.CharField(_("全称"), max_length=128)
    level = models.CharField(_("级别"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "510000/510100/510106": lets "within this region" be one indexed prefix match.
    path = models.CharField(_("路径"), max_length=32, db_index=True)
    longitude = models.FloatField(_("经度"), null=True, blank=True)
    latitude = models.FloatField(_("纬度"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["adcode"]

    def __str__(self) -> str:
        return self.full_name

    def contains(self, other: Region) -> bool:
        """True when `other` is this region or lies inside it."""
        return other.path == self.path or other.path.startswith(self.path + "/")
