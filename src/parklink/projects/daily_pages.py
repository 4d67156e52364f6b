"""What a project's page shows of the daily work: the timeline with its progress entries, the
problems with their status forms, the annual plans and the contract warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.forms import Form

from parklink.projects.daily_forms import (
    ProblemForm,
    ProblemStatusForm,
    ProgressEntryForm,
    YearPlanForm,
)
from parklink.projects.models import Problem, Project
from parklink.projects.problem_lifecycle import UNSETTLED, allowed_targets, is_overdue
from parklink.projects.services import standing_of, timeline
from parklink.projects.services.progress_log import TimelineItem
from parklink.projects.services.year_plans import YearPlan

TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class TimelineRow:
    item: TimelineItem
    form: Form | None  # the edit form of a progress entry (when the user may change it)


@dataclass(frozen=True)
class ProblemRow:
    problem: Problem
    overdue: bool
    status_form: Form | None
    edit_form: Form | None
    events: list[Any]


def _entry_form(entry: Any) -> ProgressEntryForm:
    return ProgressEntryForm(
        initial={
            "happened_on": entry.happened_on,
            "summary": entry.summary,
            "next_step": entry.next_step,
            "reporter": entry.reporter,
        },
        prefix=f"entry-{entry.pk}",
    )


def daily_context(
    project: Project,
    can_write: bool,
    on: date,
    forms: dict[str, Any],
    *,
    read: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The template variables of the daily-work sections; `forms` carries forms with errors
    (`entry_form`, `problem_form`, `year_plan_form`, and `edit` = (kind, pk, form)).

    `read` passes what the project's page has already read, not to be read again: its stage
    changes with their actors (`transitions`), milestones (`milestones`) and the total of
    its funds in place (`funds_total`).
    """
    read = read or {}
    edit_kind, edit_pk, edit_form = forms.get("edit") or ("", None, None)
    items = timeline(
        project, transitions=read.get("transitions"), milestones=read.get("milestones")
    )
    rows = []
    for item in items[:TIMELINE_LIMIT]:
        form = None
        if can_write and item.kind == "progress":
            if edit_kind == "entry" and edit_pk == item.record.pk:
                form = edit_form
            else:
                form = _entry_form(item.record)
        rows.append(TimelineRow(item, form))
    problems = []
    for problem in project.problems.select_related("owner", "leader").prefetch_related(
        "events__actor"
    ):
        status_form = edit = None
        if can_write:
            if edit_kind == "status" and edit_pk == problem.pk:
                status_form = edit_form
            elif allowed_targets(problem.status):
                status_form = ProblemStatusForm(problem=problem, prefix=f"status-{problem.pk}")
            if edit_kind == "problem" and edit_pk == problem.pk:
                edit = edit_form
            else:
                edit = ProblemForm(
                    instance=problem, project=project, prefix=f"problem-{problem.pk}"
                )
        problems.append(
            ProblemRow(
                problem,
                is_overdue(problem.status, problem.deadline, on),
                status_form,
                edit,
                list(problem.events.all()),
            )
        )
    problems.sort(key=lambda r: (r.problem.status not in UNSETTLED, not r.overdue))
    plans = [
        (plan, YearPlan(project.pk, plan.year, plan.planned, plan.completed).rate)
        for plan in project.year_plans.all()
    ]
    standing = standing_of(project, on, read.get("funds_total"))
    return {
        "standing": standing,
        "timeline": rows,
        "timeline_total": len(items),
        "progress_count": sum(1 for item in items if item.kind == "progress"),
        "entry_form": forms.get("entry_form") or ProgressEntryForm(),
        "problems": problems,
        "open_problems": sum(1 for r in problems if r.problem.status in UNSETTLED),
        "overdue_problems": sum(1 for r in problems if r.overdue),
        "problem_form": forms.get("problem_form") or ProblemForm(project=project),
        "year_plans": plans,
        "year_plan_form": forms.get("year_plan_form") or YearPlanForm(),
    }
