"""The regions app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, Registry


class RegionsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.regions"
    verbose_name = _("行政区划")
    url_prefix = None

    def register(self, registry: Registry) -> None:
        from parklink.regions import demo

        registry.demo_steps.add(DemoStep("regions", demo.index_regions))
