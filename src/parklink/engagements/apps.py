"""The engagements app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import Registry


class EngagementsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.engagements"
    verbose_name = _("客商与对接")

    def register(self, registry: Registry) -> None:
        pass
