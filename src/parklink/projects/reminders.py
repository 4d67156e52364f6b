"""What falls due in the project library, for the reminders app (registry.reminders).

Overdue problems go to their owner and coordinating leader; overdue milestones to the
project's 五个一 leader (its account). Each item names the organisation that owns the
project, so a reminder is only ever sent inside it and to the leader it names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parklink.core.registry import DueItem
from parklink.projects.lifecycle import AGEING
from parklink.projects.models import Milestone, Problem, ProblemCategory
from parklink.projects.services.problems import overdue_q

PROBLEMS = "project-problems-overdue"
MILESTONES = "project-milestones-overdue"
# A week late is a warning; a month late is danger.
DANGER_DAYS = 30


def _late(days: int) -> str:
    return ngettext("逾期%(n)s天", "逾期%(n)s天", days) % {"n": days}


def _severity(days: int) -> str:
    return "danger" if days >= DANGER_DAYS else "warning"


def overdue_problems(today: date, user_id: int | None = None) -> Iterator[DueItem]:
    """Every unsettled problem past its deadline, across the installation (only those
    `user_id` owns or coordinates, when given)."""
    categories = dict(ProblemCategory.choices)
    mine = Q(owner_id=user_id) | Q(leader_id=user_id) if user_id else Q()
    rows = (
        Problem.objects.filter(overdue_q(today), mine)
        .select_related("project")
        .order_by("deadline", "id")
    )
    for problem in rows.iterator(chunk_size=500):
        assert problem.deadline is not None
        days = (today - problem.deadline).days
        who = tuple(dict.fromkeys(p for p in (problem.owner_id, problem.leader_id) if p))
        yield DueItem(
            kind=PROBLEMS,
            key=str(problem.pk),
            title=_("%(project)s:%(category)s问题")
            % {
                "project": problem.project.name,
                "category": categories.get(problem.category, problem.category),
            },
            reason=_("办结时限%(date)s,%(late)s;%(text)s")
            % {
                "date": f"{problem.deadline:%Y-%m-%d}",
                "late": _late(days),
                "text": problem.description[:80],
            },
            url=reverse("projects:detail", args=[problem.project_id]) + "#problems",
            due=problem.deadline,
            severity=_severity(days),
            responsible=who,
            organization_id=problem.project.owner_id,
        )


def overdue_milestones(today: date, leader_id: int | None = None) -> Iterator[DueItem]:
    """Every milestone not done by its date on a project still being worked (only on the
    projects `leader_id` leads, when given)."""
    mine = Q(project__leader_user_id=leader_id) if leader_id else Q()
    rows = (
        Milestone.objects.filter(
            mine,
            done_on__isnull=True,
            due_on__lt=today,
            project__stage__in=[s.value for s in AGEING],
        )
        .select_related("project")
        .order_by("due_on", "id")
    )
    for milestone in rows.iterator(chunk_size=500):
        days = (today - milestone.due_on).days
        leader = milestone.project.leader_user_id
        yield DueItem(
            kind=MILESTONES,
            key=str(milestone.pk),
            title=_("%(project)s:节点“%(name)s”")
            % {
                "project": milestone.project.name,
                "name": milestone.name,
            },
            reason=_("计划%(date)s完成,%(late)s")
            % {
                "date": f"{milestone.due_on:%Y-%m-%d}",
                "late": _late(days),
            },
            url=reverse("projects:detail", args=[milestone.project_id]) + "#milestones",
            due=milestone.due_on,
            severity=_severity(days),
            responsible=(leader,) if leader else (),
            organization_id=milestone.project.owner_id,
        )
