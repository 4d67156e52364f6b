"""The co-built parks app's config: where its API lives and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    Registry,
    TabularKind,
    VisibilityScope,
)


class CobuildConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.cobuild"
    verbose_name = _("共建园区")
    url_prefix = "cobuild/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_data(registry)
        _register_pages(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Who sees what: the parties to an agreement, and installation administrators."""
    from parklink.cobuild import queries
    from parklink.cobuild.services import enclaves

    for label, visible in {**queries.SCOPES, **enclaves.SCOPES}.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_data(registry: Registry) -> None:
    """The parties' figures of a period, imported from a spreadsheet (`parklink import`)."""
    from parklink.cobuild import imports

    registry.tabular.add(
        TabularKind(
            "cobuild-records",
            _("共建园区分账数据"),
            noun_zh="条分账数据",
            noun_en="figure(s)",
            importer=imports.build_importer,
            import_arguments=imports.import_arguments,
            order=40,
        )
    )


def _register_pages(registry: Registry) -> None:
    """共建园区 and 科创飞地 in the navigation; a park's page lists the agreements the user sees."""
    from parklink.cobuild import views

    registry.navigation.add(
        NavItem(
            "cobuild", _("共建园区"), "cobuild:list", order=40, group=("parks", _("园区与产业"))
        )
    )
    registry.navigation.add(
        NavItem(
            "enclaves",
            _("科创飞地"),
            "cobuild:enclaves",
            order=41,
            group=("parks", _("园区与产业")),
        )
    )
    registry.panels.add(
        Panel(
            "parks.park",
            "cobuild",
            "cobuild/panels/park_section.html",
            views.park_panel,
            order=150,
        )
    )


def _register_demo(registry: Registry) -> None:
    """The demo's agreements (loaded as documents) and their illustrative figures."""
    from parklink.cobuild import demo

    registry.demo_steps.add(
        DemoStep(
            "agreements",
            demo.load_agreements,
            after=("regions", "organizations", "parks", "enterprises"),
        )
    )
    registry.demo_steps.add(DemoStep("cobuild records", demo.load_records, after=("agreements",)))
    registry.demo_steps.add(
        DemoStep(
            "enclaves",
            demo.load_enclaves,
            after=("regions", "organizations", "parks", "enterprises"),
        )
    )
