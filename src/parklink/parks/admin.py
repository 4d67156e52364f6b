"""Admin of parks and linkages; a park's own rows are changed only by the park's owner."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parklink.core.admin import OwnedAdmin, OwnedChildAdmin
from parklink.parks.models import (
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)


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
