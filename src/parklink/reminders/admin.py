"""Admin of reminders: digests and robot deliveries (with their errors) read only, robots
changed only by installation administrators; each list scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from parklink.core.registry import registry
from parklink.reminders.models import Delivery, Digest, Webhook


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return registry.visible(self.model, request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and self.model is Webhook

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and self.model is Webhook


@admin.register(Webhook)
class WebhookAdmin(ScopedAdmin):
    list_display = ("name", "organization", "kind", "active", "created_at")
    list_filter = ("kind", "active")
    exclude = ("secret",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Digest)
class DigestAdmin(ScopedAdmin):
    list_display = ("day", "user", "status", "new_count", "attempts", "sent_at")
    list_filter = ("status", "day")


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin):
    list_display = ("day", "webhook", "status", "items", "attempts", "sent_at")
    list_filter = ("status", "day")
