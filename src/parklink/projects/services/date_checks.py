"""Which dates a project's records may carry (the bounds per kind: core.dates)."""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils.translation import gettext as _

from parklink.core import dates
from parklink.core.dates import DateKind
from parklink.core.errors import Invalid
from parklink.projects.models import Project
from parklink.projects.queries import today


def _date_messages(field: str) -> tuple[str, str]:
    """(too early, too late) for a date field, as whole sentences (see core.dates)."""
    planned = (_("计划完成日期不能早于%(date)s"), _("计划完成日期不能晚于%(date)s"))
    decided = (_("报审或批复日期不能早于%(date)s"), _("报审或批复日期不能晚于今天"))
    return {
        "stage_date": (_("阶段日期不能早于%(date)s"), _("阶段日期不能晚于今天")),
        "date": (_("生效日期不能早于%(date)s"), _("生效日期不能晚于今天")),
        "due_on": planned,
        "done_on": (_("完成日期不能早于%(date)s"), _("完成日期不能晚于今天")),
        "submitted_on": decided,
        "decided_on": decided,
        "received_on": (_("到位日期不能早于%(date)s"), _("到位日期不能晚于今天")),
        "happened_on": (_("进展日期不能早于%(date)s"), _("进展日期不能晚于今天")),
        "raised_on": (_("提出日期不能早于%(date)s"), _("提出日期不能晚于今天")),
        "deadline": (_("办结时限不能早于%(date)s"), _("办结时限不能晚于%(date)s")),
        "solved_on": (_("解决日期不能早于%(date)s"), _("解决日期不能晚于今天")),
        "contract_start_date": (
            _("合同约定开工日期不能早于%(date)s"),
            _("合同约定开工日期不能晚于%(date)s"),
        ),
        "contract_production_date": (
            _("合同约定投产日期不能早于%(date)s"),
            _("合同约定投产日期不能晚于%(date)s"),
        ),
    }[field]


def date_problem(
    field: str, kind: DateKind, day: date, *, not_before: date | None = None
) -> str | None:
    """Why `day` cannot be the date in `field`, or None (bounds per kind: core.dates)."""
    refused = dates.refusal(kind, day, today(), not_before=not_before)
    if refused is None:
        return None
    if refused.reason is dates.Reason.BEFORE_RECORD:
        message = _("到位日期不能早于项目入库日期(%(date)s)")
    else:
        early, late = _date_messages(field)
        message = early if refused.reason is dates.Reason.TOO_EARLY else late
    return message % {"date": f"{refused.bound:%Y-%m-%d}"}


def check_date(
    field: str, kind: DateKind, day: date | None, *, not_before: date | None = None
) -> None:
    problem = date_problem(field, kind, day, not_before=not_before) if day else None
    if problem:
        raise Invalid.on(field, problem)


def entered_on(project: Project) -> date:
    """The day the project entered the library: its first recorded stage date."""
    first = project.transitions.aggregate(first=Min("effective_on"))["first"]
    return min(first, project.stage_since) if first else project.stage_since
