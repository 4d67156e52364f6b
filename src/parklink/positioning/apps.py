"""The positioning app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry


class PositioningConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.positioning"
    verbose_name = _("产业定位")
    url_prefix: str | None = None

    def register(self, registry: Registry) -> None:
        """Nothing yet: the app's pages, kinds and demo steps are registered as they land."""
