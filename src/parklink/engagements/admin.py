"""The engagements admin: staff see and change only what their organisation owns."""

from __future__ import annotations

from django.contrib import admin

from parklink.core.admin import OwnedAdmin
from parklink.engagements.models import Contact, Engagement


@admin.register(Contact)
class ContactAdmin(OwnedAdmin):
    list_display = ("name", "enterprise", "title", "owner", "illustrative")
    search_fields = ("name", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(Engagement)
class EngagementAdmin(OwnedAdmin):
    list_display = ("title", "kind", "held_on", "owner", "illustrative")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("enterprises", "contacts", "projects", "signed_projects", "participants")
