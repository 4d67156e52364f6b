"""The progress log (进展情况 / 周调度): dated entries, and the project's timeline.

An entry is progress for 三类三色: adding one moves the project's last progress to its date;
changing or deleting one works the last progress out again from everything that counts
(`recompute_last_progress`), so a deleted entry leaves no green behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import Invalid
from parklink.projects.lifecycle import Stage
from parklink.projects.models import (
    Approval,
    FundsInPlace,
    Milestone,
    ProgressEntry,
    Project,
    StageTransition,
)
from parklink.projects.queries import today
from parklink.projects.services.checks import refuse_unfit
from parklink.projects.services.date_checks import check_date, entered_on

SUMMARY_LIMIT = 5000
ENTRY_FIELDS = ("happened_on", "summary", "next_step", "reporter", "transition")


def _check(entry: ProgressEntry) -> None:
    if not entry.summary.strip():
        raise Invalid.on("summary", _("进展情况不能为空"))
    for name in ("summary", "next_step"):
        if len(getattr(entry, name)) > SUMMARY_LIMIT:
            raise Invalid.on(name, _("内容过长:最多%(n)s个字") % {"n": SUMMARY_LIMIT})
    check_date("happened_on", DateKind.EVENT, entry.happened_on)
    if (
        entry.transition_id is not None
        and not StageTransition.objects.filter(
            pk=entry.transition_id, project_id=entry.project_id
        ).exists()
    ):
        raise Invalid.on("transition", _("关联的阶段变更不属于本项目"))
    refuse_unfit(entry, ("reporter",))


@transaction.atomic
def add_entry(
    user: User,
    project: Project,
    happened_on: date,
    summary: str,
    next_step: str = "",
    reporter: str = "",
    transition: StageTransition | int | None = None,
    *,
    illustrative: bool = False,
) -> ProgressEntry:
    """Log what happened on a project; it counts as progress from `happened_on`."""
    ensure_can_write(user, project.owner_id)
    entry = ProgressEntry(
        project=project,
        happened_on=happened_on,
        summary=summary.strip(),
        next_step=next_step.strip(),
        reporter=reporter.strip() or (user.display_name or user.username),
        author=user,
        illustrative=illustrative,
    )
    _set_transition(entry, transition)
    _check(entry)
    entry.save()
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if happened_on > locked.last_progress_on:
        Project.objects.filter(pk=project.pk).update(last_progress_on=happened_on)
    project.last_progress_on = max(locked.last_progress_on, happened_on)
    return entry


def _set_transition(entry: ProgressEntry, transition: StageTransition | int | None) -> None:
    if isinstance(transition, StageTransition):
        entry.transition_id = transition.pk
    else:
        entry.transition_id = transition


@transaction.atomic
def update_entry(user: User, entry: ProgressEntry, **changes: Any) -> ProgressEntry:
    """Change an entry's fields (any of ENTRY_FIELDS); the last progress is worked out again."""
    ensure_can_write(user, entry.project.owner_id)
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise Invalid(
            _("不能修改这些字段: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            detail={"fields": sorted(unknown)},
        )
    for name, value in changes.items():
        if name == "transition":
            _set_transition(entry, value)
        else:
            setattr(entry, name, value.strip() if isinstance(value, str) else value)
    _check(entry)
    entry.save()
    recompute_last_progress(entry.project)
    return entry


@transaction.atomic
def delete_entry(user: User, entry: ProgressEntry) -> None:
    ensure_can_write(user, entry.project.owner_id)
    project = entry.project
    entry.delete()
    recompute_last_progress(project)


def recompute_last_progress(project: Project) -> date:
    """The project's last progress from everything that counts as progress.

    Its entry into the library, stage changes other than stalling, milestones done,
    approvals submitted or decided (not in the future), funds in place and progress entries.
    """
    locked = Project.objects.select_for_update().get(pk=project.pk)
    on = today()
    candidates = [entered_on(locked)]
    moves = StageTransition.objects.filter(project=locked).exclude(to_stage=Stage.STALLED.value)
    candidates.append(moves.aggregate(last=Max("effective_on"))["last"])
    done = Milestone.objects.filter(project=locked, done_on__isnull=False)
    candidates.append(done.aggregate(last=Max("done_on"))["last"])
    approvals = Approval.objects.filter(project=locked)
    found = approvals.filter(submitted_on__lte=on).aggregate(last=Max("submitted_on"))
    candidates.append(found["last"])
    found = approvals.filter(decided_on__lte=on).aggregate(last=Max("decided_on"))
    candidates.append(found["last"])
    candidates.append(
        FundsInPlace.objects.filter(project=locked).aggregate(last=Max("received_on"))["last"]
    )
    candidates.append(
        ProgressEntry.objects.filter(project=locked).aggregate(last=Max("happened_on"))["last"]
    )
    last = max(day for day in candidates if day is not None)
    if last != locked.last_progress_on:
        Project.objects.filter(pk=locked.pk).update(last_progress_on=last)
    project.last_progress_on = last
    return last


# ---------------------------------------------------------------- the timeline


@dataclass(frozen=True)
class TimelineItem:
    """One line of a project's timeline: a progress entry, a stage change or a milestone."""

    kind: str  # "progress" | "stage" | "milestone"
    on: date
    record: Any
    order: int  # ties on the same day: stage change, then milestone, then entries

    @property
    def key(self) -> tuple[date, int, int]:
        return (self.on, self.order, self.record.pk)


def timeline(
    project: Project,
    limit: int | None = None,
    *,
    transitions: Iterable[StageTransition] | None = None,
    milestones: Iterable[Milestone] | None = None,
) -> list[TimelineItem]:
    """Entries, stage changes and milestones (done, or due and not done) newest first.

    A page that has already read the project's stage changes (with their actors) or its
    milestones passes them in, and they are not read again.
    """
    items: list[TimelineItem] = []
    for entry in project.progress_entries.select_related("author", "transition"):
        items.append(TimelineItem("progress", entry.happened_on, entry, 2))
    if transitions is None:
        transitions = project.transitions.select_related("actor")
    for record in transitions:
        items.append(TimelineItem("stage", record.effective_on, record, 0))
    if milestones is None:
        milestones = project.milestones.filter(Q(done_on__isnull=False) | Q(due_on__lte=today()))
    else:
        on = today()
        milestones = [m for m in milestones if m.done_on is not None or m.due_on <= on]
    for milestone in milestones:
        items.append(TimelineItem("milestone", milestone.done_on or milestone.due_on, milestone, 1))
    items.sort(key=lambda item: item.key, reverse=True)
    return items[:limit] if limit is not None else items


def latest_entries(project_ids: list[int]) -> dict[int, ProgressEntry]:
    """Each project's latest progress entry (one query), for lists and the ledger."""
    latest: dict[int, ProgressEntry] = {}
    rows = ProgressEntry.objects.filter(project_id__in=project_ids).order_by(
        "project_id", "-happened_on", "-id"
    )
    for entry in rows:
        latest.setdefault(entry.project_id, entry)
    return latest
