"""Admin for positioning datasets: staff change only their organisation's datasets and figures;
shared datasets (no owner, such as the demo's 示例数据) only installation administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.core.admin import OwnedAdmin, OwnedChildAdmin
from parklink.positioning.models import Dataset, DatasetFigure, DeclaredIndustry, IndustrySystem
from parklink.positioning.queries import visible_figures


@admin.register(Dataset)
class DatasetAdmin(OwnedAdmin):
    list_display = ("name", "owner", "measure", "year", "illustrative")
    list_filter = ("measure", "illustrative")
    search_fields = ("name", "source")


@admin.register(DatasetFigure)
class DatasetFigureAdmin(OwnedChildAdmin):
    parent_field = "dataset"
    list_display = ("dataset", "region", "industry_code", "value")
    list_filter = ("dataset",)
    search_fields = ("industry_code", "region__name")
    raw_id_fields = ("region",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=visible_figures(request.user).values("pk"))  # type: ignore[arg-type]


class DeclaredIndustryInline(admin.TabularInline):
    model = DeclaredIndustry
    extra = 1


@admin.register(IndustrySystem)
class IndustrySystemAdmin(OwnedAdmin):
    """Declared systems: read by everyone; staff change their organisation's."""

    list_display = ("name", "region", "declared_by", "owner")
    search_fields = ("name", "declared_by", "region__name")
    raw_id_fields = ("region",)
    inlines = (DeclaredIndustryInline,)
