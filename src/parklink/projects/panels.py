"""What projects show on other apps' pages: panels on a park's and an enterprise's page, and
the visible-project columns of the park and enterprise lists (registered in apps.py).

Every figure counts only the projects the user may see (`visibility_q`), so another
organisation's leads and negotiations never show, not even as a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from parklink.accounts.models import User
from parklink.core.queries import prefixed
from parklink.enterprises.models import Enterprise
from parklink.parks.family import family_of
from parklink.parks.models import Park
from parklink.projects import charts
from parklink.projects.amounts import Qualifier, combine, format_qualified
from parklink.projects.lifecycle import PIPELINE, Stage
from parklink.projects.models import Project, ProjectStage
from parklink.projects.queries import visibility_q, visible_projects, with_relations
from parklink.projects.services import colours_of

PROJECTS_SHOWN = 50
_PARK_CACHE = "_parklink_projects_panel"


@dataclass
class ProjectRow:
    project: Project
    colour: str | None
    via: Park | None = None  # the sub-park it belongs to, when listed on a parent


def project_rows(
    projects: Iterable[Project], parks: dict[int, Park] | None = None, home_id: int | None = None
) -> list[ProjectRow]:
    """Projects with their ageing colour, every owner's thresholds read in one query."""
    projects = list(projects)
    shades = colours_of(projects)
    rows = []
    for project in projects:
        via = None
        if parks is not None and project.park_id is not None and project.park_id != home_id:
            via = parks.get(project.park_id)
        rows.append(ProjectRow(project, shades[project.pk], via))
    return rows


# ---------------------------------------------------------------- list columns


def visible_project_count(user: User, relation: str = "projects") -> Count:
    """Count of the related projects `user` may see (others' confidential ones do not count)."""
    condition = visibility_q(user)
    if not condition.children:
        return Count(relation, distinct=True)
    return Count(relation, filter=prefixed(condition, relation + "__"), distinct=True)


def park_project_counts(user: User) -> dict[str, Any]:
    """A park's own visible projects and those of its sub-parks (一区多园), for the park list."""
    sub_parks = (
        visible_projects(user)
        .filter(park__parent_id=OuterRef("pk"))
        .order_by()
        .values("park__parent_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "own_projects": visible_project_count(user),
        "sub_projects": Coalesce(Subquery(sub_parks, output_field=IntegerField()), Value(0)),
    }


def park_project_total(user: User) -> Any:
    return F("own_projects") + F("sub_projects")


# ---------------------------------------------------------------- the park page


def park_projects(request: HttpRequest, park: Park) -> dict[str, Any]:
    """The park's and its sub-parks' visible projects: figures, rows and the stage chart.

    Read once per page: the park's stat card, button and section all show it.
    """
    found = getattr(park, _PARK_CACHE, None)
    if found is None:
        found = _park_projects(cast(User, request.user), park)
        setattr(park, _PARK_CACHE, found)
    return cast(dict[str, Any], found)


# How many summed figures are lower bounds or estimates: the total carries the same qualifier.
_BOUNDS = {
    "at_least": Count(
        "pk",
        filter=Q(total_investment__isnull=False, total_investment_qualifier=Qualifier.AT_LEAST),
    ),
    "about": Count(
        "pk", filter=Q(total_investment__isnull=False, total_investment_qualifier=Qualifier.ABOUT)
    ),
}


def _total_text(totals: dict[str, Any]) -> str:
    """The summed 总投资 with its qualifier (超: a part is a lower bound; 约: an estimate)."""
    qualifier = combine(
        ([Qualifier.AT_LEAST] if totals["at_least"] else [])
        + ([Qualifier.ABOUT] if totals["about"] else [])
    )
    return format_qualified(totals["investment"], qualifier, language=get_language() or "zh")


def _park_projects(user: User, park: Park) -> dict[str, Any]:
    family = family_of(park)
    qs = visible_projects(user).filter(park_id__in=[park.pk, *family.descendants])
    totals = qs.aggregate(n=Count("pk"), investment=Sum("total_investment"), **_BOUNDS)
    counts = dict(qs.order_by().values_list("stage").annotate(n=Count("pk")))
    list_url = reverse("projects:list")
    stages = [
        (
            str(ProjectStage(s.value).label),
            counts[s.value],
            f"{list_url}?park={park.pk}&stage={s.value}",
        )
        for s in (*PIPELINE, Stage.STALLED, Stage.TERMINATED)
        if counts.get(s.value)
    ]
    shown = with_relations(qs).order_by(F("signed_on").desc(nulls_last=True), "-pk")
    return {
        "rows": project_rows(shown[:PROJECTS_SHOWN], family.parks, park.pk),
        "count": totals["n"],
        "investment": totals["investment"],
        "investment_text": _total_text(totals),
        "more": totals["n"] > PROJECTS_SHOWN,
        "stage_chart": charts.stage_bars(stages) if stages else None,
        "stage_chart_height": max(120, 30 * len(stages)),
        "list_url": f"{list_url}?park={park.pk}",
        "with_sub_parks": bool(family.children_of(park)),
    }


def park_panel(request: HttpRequest, park: Park) -> dict[str, Any]:
    """The context of every projects panel on a park's page (stat card, button, section)."""
    return {"projects": park_projects(request, park)}


# ---------------------------------------------------------------- the enterprise page


def enterprise_panel(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's visible projects (as investor) and their total investment."""
    projects = visible_projects(cast(User, request.user)).filter(investor=enterprise)
    totals = projects.aggregate(investment=Sum("total_investment"), **_BOUNDS)
    shown = with_relations(projects).order_by(F("signed_on").desc(nulls_last=True), "-pk")
    return {
        "projects": project_rows(shown),
        "investment": totals["investment"],
        "investment_text": _total_text(totals),
    }
