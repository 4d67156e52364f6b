from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from parklink.accounts.models import ApiToken, Organization, User


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("region",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "organization", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_superuser")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("机构与角色"), {"fields": ("display_name", "organization", "role")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("digest", "prefix", "last_used_at")
