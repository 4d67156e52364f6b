"""The positioning app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, NavItem, Registry, TabularKind, VisibilityScope


class PositioningConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.positioning"
    verbose_name = _("产业定位")
    url_prefix: str | None = "positioning/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_pages(registry)
        _register_demo(registry)
        _register_data(registry)
        _register_hooks()


def _register_scopes(registry: Registry) -> None:
    """Datasets: shared ones for everyone, an organisation's own for its members."""
    from parklink.positioning import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_hooks() -> None:
    """A saved or deleted enterprise, site, chain placement or figure makes cached matrices
    stale (services/matrix.py also keys them by a fingerprint of the data)."""
    from django.db.models.signals import post_delete, post_save

    from parklink.chains.models import Assignment
    from parklink.enterprises.imports import enterprises_imported
    from parklink.enterprises.models import Enterprise, EnterpriseSite
    from parklink.positioning.models import DatasetFigure
    from parklink.positioning.services.matrix import bump_generation

    for model in (Enterprise, EnterpriseSite, Assignment, DatasetFigure):
        uid = f"positioning-matrix-{model._meta.label_lower}"
        post_save.connect(bump_generation, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=uid + "-delete")
    enterprises_imported.connect(
        bump_generation, sender=Enterprise, dispatch_uid="positioning-matrix-imported"
    )


def _register_data(registry: Registry) -> None:
    """Datasets imported from a spreadsheet (`parklink import positioning-figures`, the page)."""
    from parklink.positioning import imports

    registry.tabular.add(
        TabularKind(
            "positioning-figures",
            _("产业定位数据集"),
            noun_zh="条产业数据",
            noun_en="figure(s)",
            importer=imports.build_importer,
            order=70,
        )
    )


def _register_demo(registry: Registry) -> None:
    """The synthetic Sichuan county dataset (示例数据)."""
    from parklink.positioning import demo

    registry.demo_steps.add(DemoStep("positioning", demo.load_dataset, after=("regions", "parks")))


def _register_pages(registry: Registry) -> None:
    """产业定位 in the navigation."""
    registry.navigation.add(
        NavItem(
            "positioning",
            _("产业定位"),
            "positioning:index",
            order=47,
            group=("parks", _("园区与产业")),
        )
    )
