"""Admin of the chains app: metro areas (with their members and lead cities) and focus chains
are kept here by installation administrators; templates, assignments and leads are read-only
(the pages and services write them), scoped to what the staff member may see."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.chains.models import (
    Assignment,
    ChainLead,
    ChainTemplate,
    FocusChain,
    GapRules,
    MetroArea,
    MetroLead,
    MetroMember,
    TemplateVersion,
)
from parklink.core.registry import registry


class ReadOnlyScoped(admin.ModelAdmin):
    """The model's visibility scope, read only: the services are the writers."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=registry.visible(self.model, request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(ChainTemplate)
class ChainTemplateAdmin(ReadOnlyScoped):
    list_display = ("name", "key", "owner", "based_on", "created_at")
    list_filter = ("owner",)
    search_fields = ("name", "key")


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyScoped):
    list_display = ("template", "number", "catalog_version", "created_by", "created_at")
    list_select_related = ("template", "created_by")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyScoped):
    list_display = ("enterprise", "template", "segment", "score", "rank", "accepted", "source")
    list_filter = ("source", "accepted", "template")
    list_select_related = ("enterprise", "template")
    search_fields = ("enterprise__name", "segment")


@admin.register(ChainLead)
class ChainLeadAdmin(ReadOnlyScoped):
    list_display = ("project", "template", "segment", "label", "place_name", "created_at")
    list_select_related = ("project", "template")


class SuperuserOnly(admin.ModelAdmin):
    """Installation administrators only (every organisation reads these rows on the pages)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class MetroMemberInline(admin.TabularInline):
    model = MetroMember
    extra = 1
    autocomplete_fields = ("region",)


class MetroLeadInline(admin.TabularInline):
    model = MetroLead
    extra = 1
    autocomplete_fields = ("region",)


@admin.register(MetroArea)
class MetroAreaAdmin(SuperuserOnly):
    """都市圈: installation administrators keep them (every organisation reads them)."""

    list_display = ("name", "key", "owner")
    inlines = (MetroMemberInline, MetroLeadInline)


@admin.register(FocusChain)
class FocusChainAdmin(SuperuserOnly):
    list_display = ("place_name", "chain_key", "label", "place")


@admin.register(GapRules)
class GapRulesAdmin(SuperuserOnly):
    """Read here; an organisation's admins change them on /chains/rules/."""

    list_display = ("organization", "strong_enterprises", "present_enterprises", "updated_at")
