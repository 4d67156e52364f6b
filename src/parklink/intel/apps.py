"""The intel app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    DashboardCard,
    DemoStep,
    NavItem,
    Registry,
    SearchProvider,
    VisibilityScope,
)


class IntelConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.intel"
    verbose_name = _("招商情报")
    url_prefix: str | None = "intel/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_pages(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Documents, items and decisions: the reviewer's organisation only (and installation
    administrators)."""
    from parklink.intel import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_pages(registry: Registry) -> None:
    """招商情报 in the navigation; the home page counts the items waiting for review; the
    search page finds queued items by name."""
    from parklink.intel import dashboard, search

    registry.navigation.add(
        NavItem("intel", _("招商情报"), "intel:queue", order=45, group=("intel", _("情报")))
    )
    registry.navigation.add(
        NavItem(
            "intel-quality", _("识别质量"), "intel:quality", order=46, group=("intel", _("情报"))
        )
    )
    registry.dashboard.add(
        DashboardCard("intel", "intel/dashboard.html", dashboard.card_context, order=150)
    )
    registry.search.add(
        SearchProvider(
            "intel-item",
            _("情报条目"),
            "intel:item",
            matches=search.matches,
            detail=search.detail,
            order=60,
        )
    )


def _register_demo(registry: Registry) -> None:
    """An illustrative article (示例) in the demo organisation's queue."""
    from parklink.intel import demo

    registry.demo_steps.add(
        DemoStep(
            "intel", demo.load_queue, after=("organizations", "parks", "enterprises", "projects")
        )
    )
