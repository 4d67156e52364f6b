"""Park siting (项目选址): what a project needs beyond the pipeline's fields, and what a park
can supply of power and water.

`Project` carries land (亩), floor space, investment and jobs; power and water needs live here,
one row per project (`SitingNeeds`), written by the project's organisation. A park's spare
power and water (`ParkCapacity`) are written by the park's organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parklink.core.models import TimeStampedModel


class SitingNeeds(TimeStampedModel):
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="siting_needs",
    )
    power_kva = models.DecimalField(
        _("用电需求(千伏安)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_tpd = models.DecimalField(
        _("用水需求(吨/日)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    chain = models.CharField(_("产业链"), max_length=64, blank=True)
    segment = models.CharField(
        _("产业链环节"),
        max_length=64,
        blank=True,
        help_text=_("留空则按项目名称、产业领域和简介自动判定"),
    )
    note = models.TextField(_("说明"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("项目选址需求")
        verbose_name_plural = _("项目选址需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(power_kva__isnull=True) | Q(power_kva__gt=0),
                name="matching_siting_power_positive",
            ),
            models.CheckConstraint(
                condition=Q(water_tpd__isnull=True) | Q(water_tpd__gt=0),
                name="matching_siting_water_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)


class ParkCapacity(TimeStampedModel):
    park = models.OneToOneField(
        "parks.Park",
        verbose_name=_("园区"),
        on_delete=models.CASCADE,
        related_name="matching_capacity",
    )
    power_kva = models.DecimalField(
        _("可供电力(千伏安)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_tpd = models.DecimalField(
        _("可供水量(吨/日)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    illustrative = models.BooleanField(_("示例数据"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("园区供电供水能力")
        verbose_name_plural = _("园区供电供水能力")
        constraints = [
            models.CheckConstraint(
                condition=Q(power_kva__isnull=True) | Q(power_kva__gte=0),
                name="matching_capacity_power_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(water_tpd__isnull=True) | Q(water_tpd__gte=0),
                name="matching_capacity_water_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.park)
