"""The parks app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, NavItem, Registry, SearchProvider


class ParksConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.parks"
    verbose_name = _("园区")
    url_prefix = "parks/"

    def register(self, registry: Registry) -> None:
        from parklink.parks import demo, search

        registry.navigation.add(
            NavItem("parks", _("园区"), "parks:list", order=20, group=("parks", _("园区与产业")))
        )
        registry.search.add(
            SearchProvider(
                "park",
                _("园区"),
                "parks:detail",
                matches=search.matches,
                detail=search.detail,
                order=10,
            )
        )
        registry.demo_steps.add(
            DemoStep("parks", demo.load_parks, after=("regions", "organizations"))
        )
        registry.demo_steps.add(DemoStep("linkages", demo.load_linkages, after=("parks",)))
