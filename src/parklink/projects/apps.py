"""The projects app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import (
    Attachable,
    DashboardCard,
    DemoStep,
    ListColumn,
    NavItem,
    Panel,
    Registry,
    ReminderSource,
    SearchProvider,
    TabularKind,
    VisibilityScope,
)


class ProjectsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.projects"
    verbose_name = _("招商项目")
    url_prefix = "projects/"

    def register(self, registry: Registry) -> None:
        registry.navigation.add(
            NavItem("projects", _("项目"), "projects:list", order=10, group=("projects", _("项目")))
        )
        _register_dashboard(registry)
        _register_panels(registry)
        _register_columns(registry)
        _register_search_and_scopes(registry)
        _register_data(registry)
        _register_outputs(registry)
        _register_daily_work(registry)
        from parklink.projects import attachables, reminder_colours  # files; yellow/red

        attachables.register(registry)
        reminder_colours.register(registry)


def _register_dashboard(registry: Registry) -> None:
    """The home page: the header's 项目库 / 新建项目 buttons, then the figures and charts."""
    from parklink.projects import dashboard

    registry.dashboard.add(
        DashboardCard(
            "projects-actions",
            "projects/dashboard_actions.html",
            dashboard.actions_context,
            slot="actions",
        )
    )
    registry.dashboard.add(
        DashboardCard("projects", "projects/dashboard.html", dashboard.card_context)
    )


def _register_panels(registry: Registry) -> None:
    """A park's page: the project stat card, the 园区项目 button and the project section (the
    park's and its sub-parks' projects, with their stage chart); an enterprise's page: the
    projects it invests in.
    """
    from parklink.projects import panels

    for slot, template in (
        ("stats", "projects/panels/park_stat.html"),
        ("actions", "projects/panels/park_button.html"),
        ("section", "projects/panels/park_section.html"),
    ):
        registry.panels.add(Panel("parks.park", "projects", template, panels.park_panel, slot))
    registry.panels.add(
        Panel(
            "enterprises.enterprise",
            "projects",
            "projects/panels/enterprise_section.html",
            panels.enterprise_panel,
        )
    )


def _register_columns(registry: Registry) -> None:
    """The park and enterprise lists: visible projects per row."""
    from parklink.projects import panels

    registry.columns.add(
        ListColumn(
            "parks.park",
            "project_total",
            _("项目"),
            panels.park_project_total,
            requires=panels.park_project_counts,
            sort="projects",
            template="projects/park_list_cell.html",
            css_class="pl-num",
        )
    )
    registry.columns.add(
        ListColumn(
            "enterprises.enterprise",
            "project_count",
            _("项目"),
            panels.visible_project_count,
            sort="projects",
            css_class="pl-num",
        )
    )


def _register_search_and_scopes(registry: Registry) -> None:
    """Search, and who sees what: leads and negotiations are confidential, and so is
    everything recorded about them.
    """
    from parklink.projects import search
    from parklink.projects.models import Approval, FundsInPlace, Milestone, StageTransition
    from parklink.projects.queries import visible_project_rows, visible_projects

    registry.search.add(
        SearchProvider(
            "project",
            _("项目"),
            "projects:detail",
            matches=search.matches,
            detail=search.detail,
            order=30,
        )
    )
    registry.scopes.add(VisibilityScope("projects.project", visible_projects))
    for child in (StageTransition, Milestone, Approval, FundsInPlace):
        registry.scopes.add(VisibilityScope(child._meta.label_lower, visible_project_rows(child)))


def _register_data(registry: Registry) -> None:
    """Import and export as a spreadsheet, and the demo data's projects."""
    from parklink.accounts.imports import importer_factory
    from parklink.projects import demo, exports
    from parklink.projects.imports import ProjectImporter

    registry.tabular.add(
        TabularKind(
            "projects",
            _("项目"),
            noun_zh="个项目",
            noun_en="project(s)",
            importer=importer_factory(ProjectImporter),
            exporter=exports.export_from_options,
            export_arguments=exports.export_arguments,
            list_url_name="projects:list",
            order=20,
        )
    )
    registry.demo_steps.add(
        DemoStep(
            "projects",
            demo.load_projects,
            after=("regions", "organizations", "parks", "enterprises"),
        )
    )
    registry.demo_steps.add(DemoStep("projects-daily", demo.load_daily_work, after=("projects",)))


def _register_daily_work(registry: Registry) -> None:
    """The daily work: progress log and problem list (who sees them, what falls due, which
    records carry files), their imports, the annual plans' import and the problem list's
    place in the navigation.
    """
    from parklink.accounts.imports import importer_factory
    from parklink.accounts.services import ensure_can_write
    from parklink.core.views import permitted
    from parklink.projects import reminders
    from parklink.projects.daily_imports import ProgressImporter, YearPlanImporter
    from parklink.projects.models import (
        Problem,
        ProblemEvent,
        ProgressEntry,
        Project,
        ProjectYearPlan,
    )
    from parklink.projects.queries import visible_project_rows
    from parklink.projects.services.problems import visible_problems

    for child in (ProgressEntry, Problem, ProjectYearPlan):
        registry.scopes.add(VisibilityScope(child._meta.label_lower, visible_project_rows(child)))
    registry.scopes.add(
        VisibilityScope(
            "projects.problemevent",
            lambda user: ProblemEvent.objects.filter(problem__in=visible_problems(user)),
        )
    )
    registry.navigation.add(
        NavItem("problems", _("问题"), "projects:problems", order=11, group=("projects", _("项目")))
    )
    registry.reminders.add(
        ReminderSource(
            reminders.PROBLEMS,
            _("逾期未办结的项目问题"),
            reminders.overdue_problems,
            collect_for=reminders.overdue_problems,
        )
    )
    registry.reminders.add(
        ReminderSource(
            reminders.MILESTONES,
            _("逾期未完成的项目节点"),
            reminders.overdue_milestones,
            collect_for=reminders.overdue_milestones,
        )
    )

    def project_of(record: Any) -> Project:
        return record.project

    def can_change(user: Any, record: Any) -> bool:
        return permitted(ensure_can_write, user, project_of(record).owner_id)

    def url(record: Any) -> str:
        if isinstance(record, Problem):
            return reverse("projects:detail", args=[record.project_id]) + f"#problem-{record.pk}"
        return reverse("projects:detail", args=[record.project_id]) + f"#progress-{record.pk}"

    # Projects and funds entries are registered with their attachments panel (attachables.py).
    for model, label in ((Problem, _("项目问题")), (ProgressEntry, _("项目进展"))):
        registry.attachables.add(
            Attachable(model._meta.label_lower, label, visible_project_rows(model), can_change, url)
        )
    for code, label, noun_zh, noun_en, importer, order in (
        ("progress", _("项目进展"), "条进展", "progress entr(ies)", ProgressImporter, 21),
        (
            "project-year-plans",
            _("年度投资计划"),
            "条年度计划",
            "year plan(s)",
            YearPlanImporter,
            22,
        ),
    ):
        registry.tabular.add(
            TabularKind(
                code,
                label,
                noun_zh=noun_zh,
                noun_en=noun_en,
                importer=importer_factory(importer),
                list_url_name="projects:list",
                order=order,
            )
        )


def _register_outputs(registry: Registry) -> None:
    """The ledger (项目台账) as `parklink export project-ledger`, and the map in the navigation."""
    from parklink.projects import ledger

    registry.tabular.add(
        TabularKind(
            "project-ledger",
            _("项目台账"),
            noun_zh="个项目",
            noun_en="project(s)",
            exporter=ledger.export_from_options,
            export_arguments=ledger.export_arguments,
            list_url_name="projects:list",
            order=23,
        )
    )
    registry.navigation.add(
        NavItem("map", _("地图"), "projects:map", order=12, group=("projects", _("项目")))
    )
