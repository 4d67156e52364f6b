"""The chains app's config: where its pages live and what it adds to the registry."""

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
    VisibilityScope,
)


class ChainsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.chains"
    verbose_name = _("产业链")
    url_prefix: str | None = "chains/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_hooks()
        _register_pages(registry)
        _register_data(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Shipped templates for all; an organisation's own templates and leads for it alone."""
    from parklink.chains import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_hooks() -> None:
    """An enterprise saved or imported is classified again by the next `--changed` run."""
    from django.db.models.signals import post_save

    from parklink.chains.services.classification import (
        on_enterprise_saved,
        on_enterprises_imported,
    )
    from parklink.enterprises.imports import enterprises_imported
    from parklink.enterprises.models import Enterprise

    post_save.connect(on_enterprise_saved, sender=Enterprise, dispatch_uid="chains-changed")
    enterprises_imported.connect(
        on_enterprises_imported, sender=Enterprise, dispatch_uid="chains-imported"
    )


def _register_pages(registry: Registry) -> None:
    """产业链 in the navigation and the search; its panels on a park's and an enterprise's page."""
    from parklink.chains import panels, search

    registry.navigation.add(
        NavItem("chains", _("产业链"), "chains:index", order=45, group=("parks", _("园区与产业")))
    )
    registry.search.add(
        SearchProvider(
            "chain",
            _("产业链"),
            "chains:template",
            matches=search.matches,
            detail=search.detail,
            order=60,
        )
    )
    registry.panels.add(
        Panel(
            "parks.park",
            "chains",
            "chains/panels/park_section.html",
            panels.park_panel,
            order=160,
        )
    )
    registry.panels.add(
        Panel(
            "enterprises.enterprise",
            "chains",
            "chains/panels/enterprise_section.html",
            panels.enterprise_panel,
            order=160,
        )
    )


def _register_data(registry: Registry) -> None:
    """The gap report and the target list as spreadsheets (`parklink export`)."""
    from parklink.chains import exports

    registry.tabular.add(
        TabularKind(
            "chain-gaps",
            _("产业链缺链报告"),
            noun_zh="个环节",
            noun_en="segment(s)",
            exporter=exports.export_gaps,
            export_arguments=exports.gap_arguments,
            order=60,
        )
    )
    registry.tabular.add(
        TabularKind(
            "chain-targets",
            _("产业链招商目标"),
            noun_zh="家目标企业",
            noun_en="target(s)",
            exporter=exports.export_targets,
            export_arguments=exports.target_arguments,
            order=61,
        )
    )


def _register_demo(registry: Registry) -> None:
    """The shipped templates, the metro area with its lead cities, the demo's classification."""
    from parklink.chains import demo

    registry.demo_steps.add(
        DemoStep(
            "chains",
            demo.load,
            after=("regions", "organizations", "parks", "enterprises", "agreements"),
        )
    )
