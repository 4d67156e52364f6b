"""The enterprises app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    Registry,
    SearchProvider,
    TabularKind,
)


class EnterprisesConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.enterprises"
    verbose_name = _("企业")
    url_prefix = "enterprises/"

    def register(self, registry: Registry) -> None:
        from parklink.accounts.imports import importer_factory
        from parklink.enterprises import demo, panels, search
        from parklink.enterprises.imports import EnterpriseImporter

        registry.navigation.add(
            NavItem(
                "enterprises",
                _("企业"),
                "enterprises:list",
                order=30,
                group=("parks", _("园区与产业")),
            )
        )
        # A park's page: the enterprises in the park and its sub-parks, below the projects.
        registry.panels.add(
            Panel(
                "parks.park",
                "enterprises",
                "enterprises/panels/park_section.html",
                panels.park_panel,
                order=200,
            )
        )
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
        registry.tabular.add(
            TabularKind(
                "enterprises",
                _("企业"),
                noun_zh="家企业",
                noun_en="enterprise(s)",
                importer=importer_factory(EnterpriseImporter),
                list_url_name="enterprises:list",
                order=10,
            )
        )
        registry.demo_steps.add(
            DemoStep(
                "enterprises",
                demo.load_enterprises,
                after=("regions", "organizations", "parks"),
            )
        )
