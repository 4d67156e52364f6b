"""URL map: the admin, the JSON API, language switching, then every app's pages.

Each app's `urls.py` is mounted at its AppConfig's `url_prefix` (walked in INSTALLED_APPS
order, so the web app's catch-all prefix "" comes last); no app is named here.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from parklink.api import api
from parklink.core.apps import parklink_apps


def app_urls() -> list[URLPattern | URLResolver]:
    found: list[URLPattern | URLResolver] = []
    for config in parklink_apps():
        if config.url_prefix is not None and config.submodule("urls") is not None:
            found.append(path(config.url_prefix, include(f"{config.name}.urls")))
    return found


urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *app_urls(),
]
