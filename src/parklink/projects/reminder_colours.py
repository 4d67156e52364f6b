"""Projects that turned yellow or red (三类三色), for the reminders app (registry.reminders).

A project is due for a reminder while its ageing colour, under its owner's thresholds, is
yellow, red or 建议出库; it goes to the project's 五个一 leader (their account), and to the
owner organisation's group robots. The key carries the colour, so a project that turns from
yellow to red is a new item in the next digest.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parklink.core.registry import DueItem, Registry, ReminderSource
from parklink.projects.ageing import Colour
from parklink.projects.models import Project
from parklink.projects.queries import ageing_policies, owner_colour_q

KIND = "project-colour"
SEVERITY = {Colour.YELLOW: "warning", Colour.RED: "danger", Colour.REMOVAL: "danger"}


def _colour_name(colour: Colour) -> str:
    return {
        Colour.YELLOW: _("黄色预警"),
        Colour.RED: _("红色预警"),
        Colour.REMOVAL: _("建议出库"),
    }[colour]


def coloured_projects(today: date, leader_id: int | None = None) -> Iterator[DueItem]:
    """Every project still being worked whose colour is yellow, red or 建议出库 on `today`
    (only those `leader_id` leads, when given)."""
    policies = ageing_policies()
    mine = Project.objects.filter(leader_user_id=leader_id) if leader_id else Project.objects
    for colour in (Colour.REMOVAL, Colour.RED, Colour.YELLOW):
        rows = (
            mine.filter(owner_colour_q(colour, today, policies))
            .only("pk", "name", "owner_id", "leader_user_id", "last_progress_on")
            .order_by("last_progress_on", "pk")
        )
        for project in rows.iterator(chunk_size=500):
            days = (today - project.last_progress_on).days
            yield DueItem(
                kind=KIND,
                key=f"{project.pk}:{colour.value}",
                title=_("%(project)s:%(colour)s")
                % {"project": project.name, "colour": _colour_name(colour)},
                reason=ngettext(
                    "最近进展 %(date)s,已 %(days)s 天无进展",
                    "最近进展 %(date)s,已 %(days)s 天无进展",
                    days,
                )
                % {"date": f"{project.last_progress_on:%Y-%m-%d}", "days": days},
                url=reverse("projects:detail", args=[project.pk]),
                due=project.last_progress_on,
                severity=SEVERITY[colour],
                responsible=(project.leader_user_id,) if project.leader_user_id else (),
                organization_id=project.owner_id,
            )


def register(registry: Registry) -> None:
    registry.reminders.add(
        ReminderSource(
            KIND,
            gettext_lazy("项目转为黄色、红色预警"),
            coloured_projects,
            order=30,
            collect_for=coloured_projects,
        )
    )
