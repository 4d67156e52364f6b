"""The projects app's config: where its pages live and what it adds to the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parklink.core.apps import ParkLinkAppConfig
from parklink.core.registry import DemoStep, NavItem, Registry, SearchProvider, VisibilityScope


class ProjectsConfig(ParkLinkAppConfig):
    default = True
    name = "parklink.projects"
    verbose_name = _("招商项目")
    url_prefix = "projects/"

    def register(self, registry: Registry) -> None:
        from parklink.projects import demo, search
        from parklink.projects.models import Approval, FundsInPlace, Milestone, StageTransition
        from parklink.projects.queries import visible_project_rows, visible_projects

        registry.navigation.add(NavItem("projects", _("项目"), "projects:list", order=10))
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
        # Leads and negotiations are confidential, and so is everything recorded about them.
        registry.scopes.add(VisibilityScope("projects.project", visible_projects))
        for child in (StageTransition, Milestone, Approval, FundsInPlace):
            registry.scopes.add(
                VisibilityScope(child._meta.label_lower, visible_project_rows(child))
            )
        registry.demo_steps.add(
            DemoStep(
                "projects",
                demo.load_projects,
                after=("regions", "organizations", "parks", "enterprises"),
            )
        )
