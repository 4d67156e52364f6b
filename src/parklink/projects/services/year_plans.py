"""Annual investment plans (年度计划投资 / 完成投资), one row per project and year, in 元."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid
from parklink.projects.models import Project, ProjectYearPlan
from parklink.projects.services.checks import amount_problem

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class YearPlan:
    """A project's plan for a year; None where the figure is not given."""

    project_id: int
    year: int
    planned: Decimal | None
    completed: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Completed / planned in per cent (one decimal), None without a plan."""
        if not self.planned or self.completed is None:
            return None
        return (self.completed * 100 / self.planned).quantize(Decimal("0.1"))


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid.on(
            "year",
            _("年度必须在%(first)s到%(last)s之间") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def check_plan_amounts(planned: Decimal | None, completed: Decimal | None) -> None:
    for name, value in (("planned", planned), ("completed", completed)):
        if value is None:
            continue
        if value < 0:
            raise Invalid.on(name, _("金额不能为负数"))
        problem = amount_problem(value)
        if problem:
            raise Invalid.on(name, problem)


@transaction.atomic
def set_year_plan(
    user: User,
    project: Project,
    year: int,
    planned: Decimal | None,
    completed: Decimal | None,
) -> ProjectYearPlan | None:
    """Set (or, with both figures empty, remove) the project's plan for `year`."""
    ensure_can_write(user, project.owner_id)
    check_year(year)
    check_plan_amounts(planned, completed)
    if planned is None and completed is None:
        ProjectYearPlan.objects.filter(project=project, year=year).delete()
        return None
    row, _created = ProjectYearPlan.objects.update_or_create(
        project=project, year=year, defaults={"planned": planned, "completed": completed}
    )
    return row


def year_plan(project_ids: Iterable[int], year: int) -> dict[int, YearPlan]:
    """project id → its plan for `year` (projects without one are left out); one query.

    The caller passes ids it has already scoped to what the user may see.
    """
    ids = list(project_ids)
    found: dict[int, YearPlan] = {}
    for start in range(0, len(ids), 1000):
        rows = ProjectYearPlan.objects.filter(project_id__in=ids[start : start + 1000], year=year)
        for row in rows:
            found[row.project_id] = YearPlan(row.project_id, row.year, row.planned, row.completed)
    return found
