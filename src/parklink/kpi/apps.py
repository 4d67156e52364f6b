"""The kpi app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    DemoStep,
    NavItem,
    Panel,
    Registry,
    ReminderSource,
    TabularKind,
    VisibilityScope,
)


class KpiConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.kpi"
    verbose_name = _("考核与服务")
    url_prefix: str | None = "kpi/"

    def register(self, registry: Registry) -> None:
        _register_scopes(registry)
        _register_data(registry)
        _register_pages(registry)
        _register_reminders(registry)
        _register_demo(registry)


def _register_scopes(registry: Registry) -> None:
    """Targets and assessments: the organisation and those above it; schemes: shipped or own."""
    from parklink.kpi import queries

    for label, visible in queries.SCOPES.items():
        registry.scopes.add(VisibilityScope(label, visible))


def _register_data(registry: Registry) -> None:
    """Targets imported from a spreadsheet (the import page, `parklink import kpi-targets`)."""
    from parklink.kpi import imports, imports_members

    registry.tabular.add(
        TabularKind(
            "kpi-targets",
            _("考核目标"),
            noun_zh="条考核目标",
            noun_en="target(s)",
            importer=imports.build_importer,
            list_url_name="kpi:targets",
            order=60,
        )
    )
    registry.tabular.add(
        TabularKind(
            "kpi-department-members",
            _("部门成员"),
            noun_zh="名部门成员",
            noun_en="department member(s)",
            importer=imports_members.build_importer,
            list_url_name="kpi:departments",
            order=61,
        )
    )


def _register_pages(registry: Registry) -> None:
    from parklink.kpi import views_liaison

    registry.panels.add(
        Panel(
            "projects.project",
            "kpi-office",
            "kpi/panels/project_office.html",
            views_liaison.project_panel,
            order=160,
        )
    )
    registry.navigation.add(
        NavItem("kpi", _("考核"), "kpi:ranking", order=60, group=("kpi", _("绩效")))
    )


def _register_reminders(registry: Registry) -> None:
    """诉求 (requests for help raised in surveys) not resolved by their deadline."""

    def collect(day: Any) -> Any:
        from parklink.kpi.services.surveys import overdue_help

        return overdue_help(day)

    registry.reminders.add(
        ReminderSource("kpi-help-requests", _("逾期未办结的企业诉求"), collect, order=60)
    )


def _register_demo(registry: Registry) -> None:
    """The example schemes, illustrative targets and an assessment of the demo organisations."""
    from parklink.kpi import demo

    registry.demo_steps.add(DemoStep("kpi", demo.load, after=("organizations", "projects")))
