"""Admin of enterprises; an enterprise's sites are changed only by the enterprise's owner."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parklink.core.admin import OwnedAdmin, OwnedChildAdmin
from parklink.enterprises.models import Enterprise, EnterpriseSite


class EnterpriseSiteInline(admin.TabularInline):
    model = EnterpriseSite
    extra = 0
    autocomplete_fields = ("park", "region")


@admin.register(Enterprise)
class EnterpriseAdmin(OwnedAdmin, SimpleHistoryAdmin):
    list_display = ("name", "uscc", "region", "industry_code", "is_chain_leader", "is_listed")
    list_filter = (
        "is_chain_leader",
        "is_listed",
        "is_high_tech",
        "is_above_scale",
        "is_specialised_sme",
    )
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region", "owner")
    inlines = (EnterpriseSiteInline,)


@admin.register(EnterpriseSite)
class EnterpriseSiteAdmin(OwnedChildAdmin):
    parent_field = "enterprise"
    list_select_related = ("enterprise", "park")
    autocomplete_fields = ("park", "region")
