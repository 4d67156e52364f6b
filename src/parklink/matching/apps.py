"""The matching app's config: where its pages live and what it adds to the registry."""

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


class MatchingConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.matching"
    verbose_name = _("对接")
    url_prefix: str | None = "matching/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_data(registry)
        _register_pages(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Listings, events and published policies for every signed-in user; meetings for the
    organiser and the two parties (queries.py)."""
    from parklink.matching import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))
    from parklink.matching.services import finance

    for label, finance_visible in finance.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, finance_visible))


def _register_data(registry: Registry) -> None:
    """Supply–demand listings from a spreadsheet (`parklink import matching-listings`)."""
    from parklink.matching import imports

    registry.tabular.add(
        TabularKind(
            "matching-listings",
            _("供需清单"),
            noun_zh="条供需信息",
            noun_en="listing(s)",
            importer=imports.build_importer,
            list_url_name="matching:listings",
            order=60,
        )
    )
    from parklink.matching import imports_policies

    registry.tabular.add(
        TabularKind(
            "matching-policies",
            _("政策"),
            noun_zh="项政策",
            noun_en="policy(ies)",
            importer=imports_policies.build_importer,
            list_url_name="matching:policies",
            order=61,
        )
    )
    from parklink.matching import imports_finance

    registry.tabular.add(
        TabularKind(
            "matching-finance-products",
            _("金融产品"),
            noun_zh="个金融产品",
            noun_en="bank product(s)",
            importer=imports_finance.build_product_importer,
            list_url_name="matching:finance-products",
            order=62,
        )
    )
    registry.tabular.add(
        TabularKind(
            "matching-finance-needs",
            _("融资需求"),
            noun_zh="条融资需求",
            noun_en="financing need(s)",
            importer=imports_finance.build_need_importer,
            list_url_name="matching:finance-needs",
            order=63,
        )
    )


def _register_pages(registry: Registry) -> None:
    """供需对接 and 政策 in the navigation; an enterprise's listings and policies on its page."""
    from parklink.matching import panels

    registry.navigation.add(
        NavItem(
            "matching",
            _("供需对接"),
            "matching:listings",
            order=60,
            group=("matching", _("对接与政策")),
        )
    )
    registry.navigation.add(
        NavItem(
            "policies",
            _("政策"),
            "matching:policies",
            order=61,
            group=("matching", _("对接与政策")),
        )
    )
    registry.navigation.add(
        NavItem(
            "finance",
            _("银企对接"),
            "matching:finance-needs",
            order=62,
            group=("matching", _("对接与政策")),
        )
    )
    registry.navigation.add(
        NavItem(
            "siting",
            _("项目选址"),
            "matching:siting",
            order=63,
            group=("matching", _("对接与政策")),
        )
    )
    registry.panels.add(
        Panel(
            "enterprises.enterprise",
            "matching",
            "matching/panels/enterprise_section.html",
            panels.enterprise_panel,
            order=170,
        )
    )
    registry.panels.add(
        Panel(
            "enterprises.enterprise",
            "finance",
            "matching/panels/enterprise_finance.html",
            panels.enterprise_finance,
            order=171,
        )
    )
    registry.panels.add(
        Panel(
            "projects.project",
            "siting",
            "matching/panels/project_siting.html",
            panels.project_siting,
            slot="actions",
            order=60,
        )
    )
    registry.panels.add(
        Panel(
            "parks.park",
            "promotion",
            "matching/panels/park_promotion.html",
            panels.park_promotion,
            slot="actions",
            order=61,
        )
    )
    registry.panels.add(
        Panel(
            "parks.park",
            "capacity",
            "matching/panels/park_capacity.html",
            panels.park_capacity,
            slot="actions",
            order=60,
        )
    )


def _register_demo(registry: Registry) -> None:
    """The 成都都市圈 supply–demand programme and 金什's shared policies (illustrative)."""
    from parklink.matching import demo

    registry.demo_steps.add(
        DemoStep(
            "matching",
            demo.load,
            after=("regions", "organizations", "parks", "enterprises", "agreements", "chains"),
        )
    )
    from parklink.matching import demo_finance

    registry.demo_steps.add(DemoStep("matching-finance", demo_finance.load, after=("matching",)))
    from parklink.matching import demo_siting

    registry.demo_steps.add(
        DemoStep(
            "matching-siting", demo_siting.load, after=("matching-finance", "projects", "parks")
        )
    )
    from parklink.matching import demo_promotion

    registry.demo_steps.add(
        DemoStep("matching-promotion", demo_promotion.load, after=("matching", "projects"))
    )
