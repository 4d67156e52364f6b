"""The problem list (问题清单 / 协调事项): raising, changing and settling a project's problems.

A status changes only through `change_status`, along the table in `problem_lifecycle`, and
each change is kept as a `ProblemEvent` (who, when, from, to, why). A problem's coordinating
leader is the project's 五个一 leader unless someone else is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import IllegalTransition, Invalid
from parklink.projects import problem_lifecycle as lifecycle
from parklink.projects.models import Problem, ProblemCategory, ProblemEvent, ProblemStatus, Project
from parklink.projects.queries import today, visible_projects
from parklink.projects.services.checks import refuse_unfit
from parklink.projects.services.date_checks import check_date

TEXT_LIMIT = 5000
EDITABLE = ("category", "description", "department", "owner", "leader", "leader_name", "deadline")
UNSETTLED = [s.value for s in lifecycle.UNSETTLED]


def _check(problem: Problem) -> None:
    if problem.category not in ProblemCategory.values:
        raise Invalid.on("category", _("未知的问题类别: %(value)s") % {"value": problem.category})
    if not problem.description.strip():
        raise Invalid.on("description", _("问题描述不能为空"))
    for name in ("description", "resolution"):
        if len(getattr(problem, name)) > TEXT_LIMIT:
            raise Invalid.on(name, _("内容过长:最多%(n)s个字") % {"n": TEXT_LIMIT})
    check_date("raised_on", DateKind.EVENT, problem.raised_on)
    check_date("deadline", DateKind.PLANNED, problem.deadline)
    if problem.deadline is not None and problem.deadline < problem.raised_on:
        raise Invalid.on("deadline", _("办结时限不能早于提出日期"))
    _check_person(problem, "owner", _("责任人必须是项目所属机构的在职用户"))
    _check_person(problem, "leader", _("协调领导账号必须是在职用户"), same_org=False)
    refuse_unfit(problem, ("department", "leader_name"))


def _check_person(problem: Problem, name: str, message: str, same_org: bool = True) -> None:
    person: User | None = getattr(problem, name)
    if person is None:
        return
    if not person.is_active or (
        same_org and not person.is_superuser and person.organization_id != problem.project.owner_id
    ):
        raise Invalid.on(name, message)


@transaction.atomic
def raise_problem(
    user: User,
    project: Project,
    *,
    category: str,
    description: str,
    department: str = "",
    owner: User | None = None,
    leader: User | None = None,
    leader_name: str = "",
    deadline: date | None = None,
    raised_on: date | None = None,
    illustrative: bool = False,
) -> Problem:
    """Record a problem; the coordinating leader defaults to the project's 五个一 leader."""
    ensure_can_write(user, project.owner_id)
    if leader is None and not leader_name.strip():
        leader = project.leader_user
        leader_name = project.responsible_leader
    problem = Problem(
        project=project,
        category=category,
        description=description.strip(),
        department=department.strip(),
        owner=owner,
        leader=leader,
        leader_name=leader_name.strip() or (str(leader) if leader else ""),
        deadline=deadline,
        raised_on=raised_on or today(),
        illustrative=illustrative,
    )
    _check(problem)
    problem.save()
    ProblemEvent.objects.create(
        problem=problem, from_status="", to_status=problem.status, actor=user, note=""
    )
    return problem


@transaction.atomic
def update_problem(user: User, problem: Problem, **changes: Any) -> Problem:
    """Change what a problem says (not its status: `change_status`)."""
    ensure_can_write(user, problem.project.owner_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(
            _("不能修改这些字段: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            detail={"fields": sorted(unknown)},
        )
    for name, value in changes.items():
        setattr(problem, name, value.strip() if isinstance(value, str) else value)
    _check(problem)
    problem.save()
    return problem


@transaction.atomic
def change_status(
    user: User,
    problem: Problem,
    to: str,
    note: str = "",
    *,
    on: date | None = None,
) -> ProblemEvent:
    """Move a problem along its status table; solving needs how it was solved (the note)."""
    ensure_can_write(user, problem.project.owner_id)
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    refused = lifecycle.refusal(locked.status, to)
    if refused is not None:
        raise IllegalTransition(
            status_refusal(refused, locked.status, to),
            detail={
                "field": "to",
                "from": locked.status,
                "to": to,
                "allowed": [s.value for s in lifecycle.allowed_targets(locked.status)],
            },
        )
    target = lifecycle.Status(to)
    if target in lifecycle.NOTE_REQUIRED and not note.strip():
        message = (
            _("请说明问题是如何解决的")
            if target is lifecycle.Status.SOLVED
            else _("请说明提级的原因和提交给谁")
        )
        raise Invalid.on("note", message)
    when = on or today()
    check_date("solved_on", DateKind.EVENT, when)
    event = ProblemEvent.objects.create(
        problem=locked, from_status=locked.status, to_status=target.value, actor=user, note=note
    )
    locked.status = target.value
    if target is lifecycle.Status.SOLVED:
        if when < locked.raised_on:
            raise Invalid.on("date", _("解决日期不能早于提出日期"))
        locked.solved_on = when
        locked.resolution = note.strip()
    elif target is lifecycle.Status.OPEN:
        locked.solved_on = None
    locked._change_reason = note  # type: ignore[attr-defined]  # read by simple_history
    locked.save()
    problem.status, problem.solved_on, problem.resolution = (
        locked.status,
        locked.solved_on,
        locked.resolution,
    )
    return event


def status_refusal(refused: lifecycle.Refusal, current: str, to: str) -> str:
    labels = dict(ProblemStatus.choices)
    allowed = "、".join(str(labels[s.value]) for s in lifecycle.allowed_targets(current))
    messages = {
        lifecycle.Refusal.UNKNOWN: _("未知的问题状态: %(target)s"),
        lifecycle.Refusal.SAME: _("问题已是“%(current)s”状态"),
        lifecycle.Refusal.NOT_ALLOWED: _(
            "问题不能从“%(current)s”变为“%(target)s”;可以变为:%(allowed)s"
        ),
    }
    return messages[refused] % {
        "current": labels.get(current, current),
        "target": labels.get(to, to),
        "allowed": allowed,
    }


@transaction.atomic
def delete_problem(user: User, problem: Problem) -> None:
    ensure_can_write(user, problem.project.owner_id)
    problem.delete()


# ---------------------------------------------------------------- reading


def visible_problems(user: User) -> QuerySet[Problem]:
    """The problems of the projects `user` may see."""
    return Problem.objects.filter(project__in=visible_projects(user).values("pk"))


def overdue_q(on: date | None = None) -> Q:
    return Q(status__in=UNSETTLED, deadline__lt=on or today())


@dataclass(frozen=True)
class ProblemFilters:
    status: list[str] | None = None
    overdue: bool = False
    category: str | None = None
    owner: int | None = None  # a user id
    mine: bool = False  # owned or led by the user
    project: int | None = None
    q: str | None = None


def filter_problems(user: User, f: ProblemFilters, on: date | None = None) -> QuerySet[Problem]:
    qs = visible_problems(user)
    if f.status:
        unknown = set(f.status) - set(ProblemStatus.values)
        if unknown:
            raise Invalid.on(
                "status", _("未知的问题状态: %(value)s") % {"value": "、".join(sorted(unknown))}
            )
        qs = qs.filter(status__in=f.status)
    if f.overdue:
        qs = qs.filter(overdue_q(on))
    if f.category:
        if f.category not in ProblemCategory.values:
            raise Invalid.on("category", _("未知的问题类别: %(value)s") % {"value": f.category})
        qs = qs.filter(category=f.category)
    if f.owner:
        qs = qs.filter(owner_id=f.owner)
    if f.mine:
        qs = qs.filter(Q(owner=user) | Q(leader=user))
    if f.project:
        qs = qs.filter(project_id=f.project)
    if f.q:
        qs = qs.filter(
            Q(description__icontains=f.q)
            | Q(project__name__icontains=f.q)
            | Q(department__icontains=f.q)
        )
    # Unsettled first, the nearest deadline first (none last), on SQLite and PostgreSQL alike.
    settled = Case(When(status__in=UNSETTLED, then=Value(0)), default=Value(1))
    return qs.select_related("project", "owner", "leader").order_by(
        settled, F("deadline").asc(nulls_last=True), "id"
    )


def overdue_for(user: User, on: date | None = None) -> QuerySet[Problem]:
    """The user's own overdue problems (as owner or coordinating leader) they may see."""
    return (
        visible_problems(user)
        .filter(overdue_q(on))
        .filter(Q(owner=user) | Q(leader=user))
        .select_related("project", "owner", "leader")
        .order_by("deadline", "id")
    )


def open_counts(project_ids: list[int], on: date | None = None) -> dict[int, tuple[int, int]]:
    """project id → (unsettled problems, overdue ones), one query."""
    from django.db.models import Count

    rows = (
        Problem.objects.filter(project_id__in=project_ids, status__in=UNSETTLED)
        .values("project_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(on)))
    )
    return {row["project_id"]: (row["open"], row["overdue"]) for row in rows}
