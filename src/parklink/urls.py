"""URL map: pages, admin, the JSON API and language switching."""

from django.contrib import admin
from django.urls import include, path

from parklink.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("projects/", include("parklink.projects.urls")),
    path("parks/", include("parklink.parks.urls")),
    path("enterprises/", include("parklink.enterprises.urls")),
    path("account/", include("parklink.accounts.urls")),
    path("", include("parklink.web.urls")),
]
