"""Admin of attachments: read only, scoped to the records the staff member may see.

Files are added and removed only through `attachments.services` (which checks the record's
editors and keeps the history), on the pages or by the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.attachments.models import Attachment, Event
from parklink.core.registry import registry


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return registry.visible(self.model, request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyScopedAdmin):
    list_display = ("original_name", "kind", "file_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("kind", "file_type")
    search_fields = ("original_name", "sha256")


@admin.register(Event)
class EventAdmin(ReadOnlyScopedAdmin):
    list_display = ("at", "action", "original_name", "size", "actor")
    list_filter = ("action",)
