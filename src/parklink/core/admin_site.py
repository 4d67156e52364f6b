"""Admin site titles."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("园链 ParkLink 管理后台")
admin.site.site_title = _("园链管理后台")
admin.site.index_title = _("数据管理")
