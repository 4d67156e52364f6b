"""How the search page finds projects: name, code name and their pinyin keys, scoped."""

from __future__ import annotations

from django.db.models import QuerySet

from parklink.accounts.models import User
from parklink.core.search import Query, name_conditions, ranked
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects


def matches(user: User, query: Query) -> QuerySet[Project]:
    """Only projects the user may see, so hidden ones count for nothing."""
    exact, prefix, contains = name_conditions(query, ("name", "code_name"))
    qs = visible_projects(user).select_related("park", "region")
    return ranked(qs, exact, prefix, contains)


def detail(project: Project) -> str:
    """The project's park (or region) and its stage."""
    place = project.park.name if project.park is not None else project.region.name
    return f"{place} · {project.get_stage_display()}"
