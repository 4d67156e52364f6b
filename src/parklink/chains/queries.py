"""Who sees which chain rows (the registry's visibility scopes for the admin and exports).

Shipped templates, their versions and the classifier's assignments on them are for everyone;
an organisation's own template (its versions, its assignments) for its members alone. A lead
made from a target is seen with its project (`projects.queries.visible_projects`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from parklink.accounts.models import User
from parklink.chains.models import Assignment, ChainLead, TemplateVersion
from parklink.chains.services.templates import visible_templates, visible_versions
from parklink.projects.queries import visible_projects


def visible_assignments(user: User) -> QuerySet[Assignment]:
    return Assignment.objects.filter(template__in=visible_templates(user).values("pk"))


def visible_leads(user: User) -> QuerySet[ChainLead]:
    return ChainLead.objects.filter(project__in=visible_projects(user).values("pk"))


def _versions(user: User) -> QuerySet[TemplateVersion]:
    return visible_versions(user)


SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "chains.chaintemplate": visible_templates,
    "chains.templateversion": _versions,
    "chains.assignment": visible_assignments,
    "chains.chainlead": visible_leads,
}
