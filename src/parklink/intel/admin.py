"""Admin of the intelligence queue: read-only, scoped to the organisation's own rows.

The services are the only writers (ingest, review), so the admin shows documents, items and
decisions for inspection and changes nothing; another organisation's rows are not listed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parklink.core.admin import OwnedAdmin
from parklink.intel.models import Decision, Document, Item


class ReadOnlyOwnedAdmin(OwnedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


@admin.register(Document)
class DocumentAdmin(ReadOnlyOwnedAdmin):
    list_display = ("title", "owner", "published", "projects_found", "ingested_by", "created_at")
    list_filter = ("owner",)
    search_fields = ("title", "url", "source_name")


@admin.register(Item)
class ItemAdmin(ReadOnlyOwnedAdmin):
    list_display = ("name", "owner", "status", "document", "project", "decided_at")
    list_filter = ("status",)
    search_fields = ("name",)
    raw_id_fields = ("document", "match", "project", "merged_into")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyOwnedAdmin):
    list_display = ("item", "action", "actor", "at", "project")
    list_filter = ("action",)
    raw_id_fields = ("item", "project")
