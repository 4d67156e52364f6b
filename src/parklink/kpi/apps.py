"""The kpi app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry


class KpiConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.kpi"
    verbose_name = _("考核与服务")
    url_prefix: str | None = None

    def register(self, registry: Registry) -> None:
        """Nothing yet: the app's pages, kinds and demo steps are registered as they land."""
