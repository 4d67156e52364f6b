"""The engagements API's shapes (/api/v1/engagements/)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from parklink.core.apitools import NOT_BLANK, IsoDate, RecordId, whole_number


class ContactOut(Schema):
    id: int
    owner: int
    enterprise: int
    enterprise_name: str
    name: str
    title: str
    phone: str
    wechat: str
    email: str
    notes: str
    illustrative: bool


class ContactIn(Schema):
    enterprise: RecordId
    name: str = Field(min_length=1, max_length=64, pattern=NOT_BLANK)
    title: str = Field("", max_length=64)
    phone: str = Field("", max_length=32)
    wechat: str = Field("", max_length=64)
    email: str = Field("", max_length=254)
    notes: str = Field("", max_length=5000)


class ContactPatch(Schema):
    enterprise: RecordId | None = None
    name: str | None = Field(None, min_length=1, max_length=64, pattern=NOT_BLANK)
    title: str | None = Field(None, max_length=64)
    phone: str | None = Field(None, max_length=32)
    wechat: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=254)
    notes: str | None = Field(None, max_length=5000)


class FollowUpOut(Schema):
    id: int
    engagement: int
    task: str
    assignee: int
    assignee_name: str
    due_on: date
    status: str
    done_on: date | None
    note: str


class EngagementOut(Schema):
    id: int
    owner: int
    owner_name: str
    kind: str
    held_on: date
    title: str
    place: str
    purpose: str
    summary: str
    requests: str
    enterprises: list[int]
    contacts: list[int]
    contacts_hidden: bool
    projects: list[int]
    signed_projects: list[int]
    signed_count: int | None
    participants: list[int]
    other_participants: str
    illustrative: bool
    follow_ups: list[FollowUpOut]


Ids = list[RecordId]


class EngagementIn(Schema):
    kind: str = Field(
        pattern="^(visit_out|visit_in|meeting|call|promotion|signing|matchmaking|aftercare)$"
    )
    held_on: IsoDate
    title: str = Field(min_length=1, max_length=200, pattern=NOT_BLANK)
    place: str = Field("", max_length=200)
    purpose: str = Field("", max_length=5000)
    summary: str = Field("", max_length=20000)
    requests: str = Field("", max_length=10000)
    enterprises: Ids = Field(default_factory=list, max_length=500)
    contacts: Ids = Field(default_factory=list, max_length=500)
    projects: Ids = Field(default_factory=list, max_length=500)
    signed_projects: Ids = Field(default_factory=list, max_length=500)
    signed_count: whole_number(0, 100_000) | None = None  # type: ignore[valid-type]
    participants: Ids = Field(default_factory=list, max_length=500)
    other_participants: str = Field("", max_length=500)


class EngagementPatch(Schema):
    kind: str | None = Field(
        None, pattern="^(visit_out|visit_in|meeting|call|promotion|signing|matchmaking|aftercare)$"
    )
    held_on: IsoDate | None = None
    title: str | None = Field(None, min_length=1, max_length=200, pattern=NOT_BLANK)
    place: str | None = Field(None, max_length=200)
    purpose: str | None = Field(None, max_length=5000)
    summary: str | None = Field(None, max_length=20000)
    requests: str | None = Field(None, max_length=10000)
    enterprises: Ids | None = Field(None, max_length=500)
    contacts: Ids | None = Field(None, max_length=500)
    projects: Ids | None = Field(None, max_length=500)
    signed_projects: Ids | None = Field(None, max_length=500)
    signed_count: whole_number(0, 100_000) | None = None  # type: ignore[valid-type]
    participants: Ids | None = Field(None, max_length=500)
    other_participants: str | None = Field(None, max_length=500)


class FollowUpIn(Schema):
    task: str = Field(min_length=1, max_length=300, pattern=NOT_BLANK)
    assignee: RecordId
    due_on: IsoDate
    note: str = Field("", max_length=5000)


class FollowUpPatch(Schema):
    status: str | None = Field(None, pattern="^(open|done|cancelled)$")
    done_on: IsoDate | None = None
    note: str | None = Field(None, max_length=5000)
    task: str | None = Field(None, min_length=1, max_length=300, pattern=NOT_BLANK)
    assignee: RecordId | None = None
    due_on: IsoDate | None = None


class MetOut(Schema):
    organization: int
    organization_name: str
    held_on: date
    kind: str
    kind_label: str


class BriefingOut(Schema):
    enterprise: int
    last: MetOut | None
    others_recent: list[MetOut]
    days: int


class EngagementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EngagementOut]


class ContactPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ContactOut]
