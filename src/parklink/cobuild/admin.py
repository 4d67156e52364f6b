"""Admin of co-built park agreements: read-only for staff, scoped to the agreements they see.

The services are the only writers (lifecycle, versions, confirmations), so staff who are not
installation administrators read here and change nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from parklink.cobuild.models import (
    Agreement,
    AgreementVersion,
    Allocation,
    Confirmation,
    Enclave,
    Introduction,
    Party,
    Record,
    Rule,
    Run,
    Tenancy,
)
from parklink.core.admin import OwnedAdmin
from parklink.core.registry import registry


class ScopedAdmin(admin.ModelAdmin):
    """Lists the rows of the model's visibility scope; only installation admins change them."""

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


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ("organization",)


@admin.register(Agreement)
class AgreementAdmin(OwnedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "status", "owner", "term_start", "term_end", "signed_on")
    list_filter = ("status", "division_mode")
    search_fields = ("title",)
    # The status moves only through the lifecycle service, which records each change.
    readonly_fields = ("status",)
    inlines = (PartyInline,)

    def _ensure_visible(self, request: HttpRequest, object_id: str) -> None:
        """404 unless the user may see the agreement (simple_history would read any version)."""
        if request.user.is_superuser:
            return
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._ensure_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(AgreementVersion)
class VersionAdmin(ScopedAdmin):
    list_display = ("agreement", "number", "effective_from", "created_at")


@admin.register(Rule)
class RuleAdmin(ScopedAdmin):
    list_display = ("version", "key", "indicator", "scope_kind", "kind", "order")
    list_filter = ("indicator", "kind")


@admin.register(Record)
class RecordAdmin(ScopedAdmin):
    list_display = ("agreement", "period_label", "enterprise", "indicator", "amount", "replaced")
    list_filter = ("indicator", "replaced")
    list_select_related = ("agreement", "enterprise")


@admin.register(Run)
class RunAdmin(ScopedAdmin):
    list_display = ("agreement", "period_label", "version", "status", "created_at")
    list_filter = ("status",)


@admin.register(Allocation)
class AllocationAdmin(ScopedAdmin):
    list_display = ("run", "position", "party", "amount", "step")
    list_select_related = ("run__agreement", "party", "detail")
    raw_id_fields = ("detail",)


@admin.register(Confirmation)
class ConfirmationAdmin(ScopedAdmin):
    list_display = ("run", "party", "user", "at")


# ---------------------------------------------------------------- innovation enclaves


class _OwnersRows(admin.TabularInline):
    """Rows of an enclave: changed only under an enclave of the staff member's organisation."""

    extra = 0
    autocomplete_fields = ("enterprise",)

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser or obj is None:
            return True
        return obj.owner_id == getattr(request.user, "organization_id", None)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj) and super().has_delete_permission(request, obj)


class TenancyInline(_OwnersRows):
    model = Tenancy


class IntroductionInline(_OwnersRows):
    model = Introduction


@admin.register(Enclave)
class EnclaveAdmin(OwnedAdmin):
    """Enclaves with their stays and introductions: listed as the pages show them (the owner
    and the regions above), changed by the owner's staff only (`OwnedAdmin`)."""

    list_display = ("name", "owner", "home_region", "host_region", "opened_on")
    search_fields = ("name",)
    list_select_related = ("owner", "home_region", "host_region")
    autocomplete_fields = ("home_region", "host_region", "park")
    inlines = (TenancyInline, IntroductionInline)
