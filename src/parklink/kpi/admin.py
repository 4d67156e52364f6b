"""KPI rows in the admin: listed through the app's visibility scopes; installation
administrators change them (findings of 弄虚作假 are entered here for now)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.core.registry import registry
from parklink.kpi.models import Assessment, Finding, SchemeVersion, Target


class ScopedAdmin(admin.ModelAdmin):
    """The rows of the model's visibility scope; only installation admins change them."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=registry.visible(self.model, request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("organization", "subject_kind", "period", "kind", "value", "set_by")
    list_filter = ("period_kind", "kind")
    search_fields = ("organization__name", "task_force")


@admin.register(SchemeVersion)
class SchemeVersionAdmin(ScopedAdmin):
    list_display = ("key", "version", "name", "owner", "illustrative", "created_at")
    readonly_fields = ("document",)


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    list_display = ("organization", "period", "scheme", "total", "rank", "standing", "assessor")
    list_filter = ("period", "standing")


@admin.register(Finding)
class FindingAdmin(ScopedAdmin):
    list_display = ("project", "kind", "noted_on", "noted_by")
    raw_id_fields = ("project",)
