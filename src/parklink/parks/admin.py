from django.contrib import admin
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


for model in (ParkIndustry, ParkResource, ParkIndicator, LinkageMember):
    admin.site.register(model)
