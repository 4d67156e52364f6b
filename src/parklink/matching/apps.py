"""The matching app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry


class MatchingConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.matching"
    verbose_name = _("对接")
    url_prefix: str | None = None

    def register(self, registry: Registry) -> None:
        """Nothing yet: the app's pages, kinds and demo steps are registered as they land."""
