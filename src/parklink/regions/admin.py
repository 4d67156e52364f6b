from django.contrib import admin

from parklink.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("adcode", "name", "full_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("adcode", "name", "full_name")
    raw_id_fields = ("parent",)
