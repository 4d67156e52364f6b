"""JSON shapes of the daily work: progress entries, problems, annual plans, standing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from parklink.core.apitools import MAX_OFFSET, NOT_BLANK, IsoDate, RecordId, Yuan
from parklink.projects.models import ProblemCategory, ProblemStatus
from parklink.projects.queries import today
from parklink.projects.schemas import UserRef


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    happened_on: IsoDate
    summary: str = Field(min_length=1, max_length=5000, pattern=NOT_BLANK)
    next_step: str = Field("", max_length=5000)
    reporter: str = Field("", max_length=64, description="who followed it up; default: you")
    transition: RecordId | None = Field(None, description="id of the stage change it records")


class ProgressPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    happened_on: IsoDate | None = None
    summary: str | None = Field(None, min_length=1, max_length=5000, pattern=NOT_BLANK)
    next_step: str | None = Field(None, max_length=5000)
    reporter: str | None = Field(None, max_length=64)
    transition: RecordId | None = None


class ProgressOut(Schema):
    id: int
    project_id: int
    happened_on: date
    summary: str
    next_step: str
    reporter: str
    author: UserRef | None = None
    transition_id: int | None = None
    illustrative: bool
    created_at: datetime
    updated_at: datetime


class ProblemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: ProblemCategory
    description: str = Field(min_length=1, max_length=5000, pattern=NOT_BLANK)
    department: str = Field("", max_length=128)
    owner: RecordId | None = Field(None, description="user id of the person responsible")
    leader: RecordId | None = Field(
        None, description="user id of the coordinating leader; default: the 五个一 leader"
    )
    leader_name: str = Field("", max_length=64)
    deadline: IsoDate | None = None
    raised_on: IsoDate | None = Field(None, description="default: today")


class ProblemPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    category: ProblemCategory | None = None
    description: str | None = Field(None, min_length=1, max_length=5000, pattern=NOT_BLANK)
    department: str | None = Field(None, max_length=128)
    owner: RecordId | None = None
    leader: RecordId | None = None
    leader_name: str | None = Field(None, max_length=64)
    deadline: IsoDate | None = None


class ProblemStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to: ProblemStatus
    note: str = Field("", max_length=5000, description="required to solve or escalate")
    date: IsoDate | None = Field(None, description="the day it was solved; default: today")


class ProblemEventOut(Schema):
    from_status: str
    to_status: str
    actor: UserRef | None = None
    note: str
    recorded_at: datetime


class ProblemOut(Schema):
    id: int
    project_id: int
    project_name: str
    category: str
    description: str
    department: str
    owner: UserRef | None = None
    leader: UserRef | None = None
    leader_name: str
    raised_on: date
    deadline: date | None = None
    status: str
    overdue: bool
    solved_on: date | None = None
    resolution: str
    illustrative: bool
    events: list[ProblemEventOut]

    @staticmethod
    def resolve_project_name(obj: Any) -> str:
        return str(obj.project.name)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from parklink.projects.problem_lifecycle import is_overdue

        return is_overdue(obj.status, obj.deadline, today())

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class ProblemPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProblemOut]


class ProblemQuery(Schema):
    status: list[ProblemStatus] = Field(default_factory=list)
    overdue: bool = False
    category: ProblemCategory | None = None
    owner: RecordId | None = None
    mine: bool = Field(False, description="only problems you own or coordinate")
    project: RecordId | None = None
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class YearPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    planned: Yuan | None = Field(None, description="年度计划投资, 元")
    completed: Yuan | None = Field(None, description="年度完成投资, 元")


class YearPlanOut(Schema):
    project_id: int
    year: int
    planned: Decimal | None = None
    completed: Decimal | None = None


class WarningOut(Schema):
    rule: str
    label: str
    reason: str


class StandingOut(Schema):
    colour: str | None = None
    reasons: list[str]
    warnings: list[WarningOut]
