"""URL map: the admin, the JSON API, language switching, then every app's pages.

Each app's `urls.py` is mounted at its AppConfig's `url_prefix` (walked in INSTALLED_APPS
order, so the web app's catch-all prefix "" comes last); no app is named here.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from parklink.api import api
from parklink.core import health
from parklink.core.apps import parklink_apps


def app_urls() -> list[URLPattern | URLResolver]:
    found: list[URLPattern | URLResolver] = []
    for config in parklink_apps():
        if config.url_prefix is not None and config.submodule("urls") is not None:
            found.append(path(config.url_prefix, include(f"{config.name}.urls")))
    return found


urlpatterns: list[URLPattern | URLResolver] = [
    # Health checks for a load balancer (docs/deploy.md): the process lives / it can serve.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *app_urls(),
]

# The 500 page shows the request id; 403 and 404 are Django's views with our templates.
handler500 = "parklink.core.error_pages.server_error"
