"""Admin of parks and linkages; a park's own rows are changed only by the park's owner."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from parklink.core.admin import OwnedAdmin
from parklink.parks.models import (
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)


class OwnedChildAdmin(admin.ModelAdmin):
    """Rows that belong to an owned record (a park's industries, an enterprise's sites).

    Like OwnedAdmin: staff who are not installation administrators change and delete only
    rows under their organisation's records, and hang new rows only under those.
    """

    #: the foreign key to the owned record the row belongs to
    parent_field: ClassVar[str]

    def _is_own(self, request: HttpRequest, obj: Model) -> bool:
        parent = getattr(obj, self.parent_field)
        org_id = getattr(request.user, "organization_id", None)
        return org_id is not None and getattr(parent, "owner_id", None) == org_id

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return self._is_own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        return self._is_own(request, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == self.parent_field and not request.user.is_superuser:
            org_id = getattr(request.user, "organization_id", None)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(owner_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ParkRowAdmin(OwnedChildAdmin):
    parent_field = "park"
    list_select_related = ("park",)


class LinkageMemberAdmin(OwnedChildAdmin):
    parent_field = "linkage"
    list_select_related = ("linkage", "park")


class ParkIndustryInline(admin.TabularInline):
    model = ParkIndustry
    extra = 0


class ParkResourceInline(admin.TabularInline):
    model = ParkResource
    extra = 0


class ParkIndicatorInline(admin.TabularInline):
    model = ParkIndicator
    extra = 0


@admin.register(Park)
class ParkAdmin(OwnedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "parent", "owner")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region", "parent", "owner")
    inlines = (ParkIndustryInline, ParkResourceInline, ParkIndicatorInline)


class LinkageMemberInline(admin.TabularInline):
    model = LinkageMember
    extra = 0
    autocomplete_fields = ("park",)


@admin.register(ParkLinkage)
class ParkLinkageAdmin(OwnedAdmin):
    list_display = ("name", "owner")
    search_fields = ("name",)
    inlines = (LinkageMemberInline,)


for model in (ParkIndustry, ParkResource, ParkIndicator):
    admin.site.register(model, ParkRowAdmin)
admin.site.register(LinkageMember, LinkageMemberAdmin)
