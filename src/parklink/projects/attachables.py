"""Projects carry attachments (agreements, approvals, site photos) and so do their funds
entries (bank vouchers, invoices: the evidence of funds in place); the project's page shows
both in one attachments panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.attachments.panels import PANEL_KEY, PANEL_TEMPLATE, panel_context
from parklink.core.money import format_amount
from parklink.core.registry import Attachable, Panel, Registry
from parklink.core.views import permitted
from parklink.projects.models import FundsInPlace, Project
from parklink.projects.queries import visible_project_rows, visible_projects


def _can_change_project(user: User, project: Project) -> bool:
    return permitted(ensure_can_write, user, project.owner_id)


def _can_change_funds(user: User, entry: FundsInPlace) -> bool:
    return permitted(ensure_can_write, user, entry.project.owner_id)


def _funds_url(entry: FundsInPlace) -> str:
    return reverse("projects:detail", args=[entry.project_id]) + "#funds"


def funds_label(entry: FundsInPlace) -> str:
    return _("到位资金 %(day)s %(amount)s") % {
        "day": date_format(entry.received_on, "SHORT_DATE_FORMAT"),
        "amount": format_amount(entry.amount),
    }


def project_panel(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's attachments and its funds entries' evidence, in one panel."""
    # The project's page has read its funds entries (prefetched, each with its project).
    funds = sorted(project.funds.all(), key=lambda entry: (entry.received_on, entry.pk))
    return panel_context(request, project, also=[(entry, funds_label(entry)) for entry in funds])


def register(registry: Registry) -> None:
    """Projects and funds entries as attachable records (unless the daily-work registration
    already made them so: the same visibility and editors), and the project page's panel."""
    for entry in _attachables():
        if entry.model not in registry.attachables:
            registry.attachables.add(entry)
    registry.panels.add(
        Panel("projects.project", PANEL_KEY, PANEL_TEMPLATE, project_panel, order=60)
    )


def _attachables() -> list[Attachable]:
    return [
        Attachable(
            "projects.project",
            gettext_lazy("项目"),
            visible=visible_projects,
            can_change=_can_change_project,
            url=lambda project: reverse("projects:detail", args=[project.pk]),
            order=10,
        ),
        Attachable(
            "projects.fundsinplace",
            gettext_lazy("到位资金"),
            visible=lambda user: visible_project_rows(FundsInPlace)(user).select_related("project"),
            can_change=_can_change_funds,
            url=_funds_url,
            order=11,
        ),
    ]
