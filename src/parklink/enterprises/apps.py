"""The enterprises app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, NavItem, Registry, SearchProvider


class EnterprisesConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.enterprises"
    verbose_name = _("企业")
    url_prefix = "enterprises/"

    def register(self, registry: Registry) -> None:
        from parklink.enterprises import demo, search

        registry.navigation.add(NavItem("enterprises", _("企业"), "enterprises:list", order=30))
        registry.search.add(
            SearchProvider(
                "enterprise",
                _("企业"),
                "enterprises:detail",
                matches=search.matches,
                detail=search.detail,
                order=20,
            )
        )
        registry.demo_steps.add(
            DemoStep(
                "enterprises",
                demo.load_enterprises,
                after=("regions", "organizations", "parks"),
            )
        )
