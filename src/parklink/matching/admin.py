"""Admin of financing matchmaking: read-only for staff, scoped to what they may see.

Needs change state only through `services/finance.transition` (which records the history),
and products only through the bank's staff on the pages or by import; staff who are not
installation administrators read here and change nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.core.registry import registry
from parklink.matching.models_finance import (
    Bank,
    FinanceProduct,
    FinancingNeed,
    NeedEvent,
    NeedMatch,
    Programme,
)


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


@admin.register(Bank)
class BankAdmin(ScopedAdmin):
    list_display = ("name", "organization", "illustrative")
    search_fields = ("name",)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ("name", "region", "owner")
    search_fields = ("name",)


@admin.register(FinanceProduct)
class FinanceProductAdmin(ScopedAdmin):
    list_display = ("name", "bank", "kind", "amount_min", "amount_max", "rate_min", "rate_max")
    list_filter = ("kind", "active", "illustrative")
    search_fields = ("name", "bank__name")


@admin.register(FinancingNeed)
class FinancingNeedAdmin(ScopedAdmin):
    list_display = ("enterprise", "amount", "term", "status", "registered_on", "product")
    list_filter = ("status", "urgency", "illustrative")
    search_fields = ("enterprise__name", "purpose")
    # The status moves only through the lifecycle service, which records each step.
    readonly_fields = ("status", "approved_amount", "disbursed_amount")


@admin.register(NeedMatch)
class NeedMatchAdmin(ScopedAdmin):
    list_display = ("need", "rank", "product", "score")


@admin.register(NeedEvent)
class NeedEventAdmin(ScopedAdmin):
    list_display = ("need", "action", "source", "target", "amount", "on", "by", "at")
