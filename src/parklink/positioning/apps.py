"""The positioning app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import NavItem, Registry


class PositioningConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.positioning"
    verbose_name = _("产业定位")
    url_prefix: str | None = "positioning/"

    def register(self, registry: Registry) -> None:
        _register_pages(registry)


def _register_pages(registry: Registry) -> None:
    """产业定位 in the navigation."""
    registry.navigation.add(NavItem("positioning", _("产业定位"), "positioning:index", order=47))
