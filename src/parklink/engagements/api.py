"""Engagements API (/api/v1/engagements/): engagements with their follow-ups, contacts, the
"who met this enterprise" briefing, and the signed-in user's follow-ups.

The same visibility as the pages: contacts to their owner's officers, engagements to the
owner's members and the participants; the briefing's facts (organisation, date, kind) to every
user of an organisation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.accounts.models import User
from parklink.core.apitools import MAX_ID, MAX_OFFSET
from parklink.core.errors import Invalid
from parklink.engagements import queries
from parklink.engagements.models import Contact, Engagement, FollowUp
from parklink.engagements.schemas import (
    BriefingOut,
    ContactIn,
    ContactOut,
    ContactPage,
    ContactPatch,
    EngagementIn,
    EngagementOut,
    EngagementPage,
    EngagementPatch,
    FollowUpIn,
    FollowUpOut,
    FollowUpPatch,
)
from parklink.engagements.services import contacts as contact_services
from parklink.engagements.services import coordination, follow_ups, records
from parklink.projects.queries import visible_projects

router = Router(tags=["engagements"])


def contact_out(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "owner": contact.owner_id,
        "enterprise": contact.enterprise_id,
        "enterprise_name": contact.enterprise.name,
        "name": contact.name,
        "title": contact.title,
        "phone": contact.phone,
        "wechat": contact.wechat,
        "email": contact.email,
        "notes": contact.notes,
        "illustrative": contact.illustrative,
    }


def follow_up_out(f: FollowUp) -> dict[str, Any]:
    return {
        "id": f.pk,
        "engagement": f.engagement_id,
        "task": f.task,
        "assignee": f.assignee_id,
        "assignee_name": str(f.assignee),
        "due_on": f.due_on,
        "status": f.status,
        "done_on": f.done_on,
        "note": f.note,
    }


def _prefetched(qs: Any) -> Any:
    return qs.select_related("owner").prefetch_related(
        "enterprises",
        "contacts",
        "projects",
        "signed_projects",
        "participants",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("assignee")),
    )


class _Seen:
    """What of an engagement's links this user may see (computed once per request)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._projects: set[int] | None = None

    def projects(self, ids: list[int]) -> list[int]:
        if self._projects is None:
            self._projects = set(visible_projects(self.user).values_list("pk", flat=True))
        return [pk for pk in ids if pk in self._projects]


def engagement_out(seen: _Seen, e: Engagement) -> dict[str, Any]:
    shown = queries.can_see_contacts(seen.user, e.owner_id)
    return {
        "id": e.pk,
        "owner": e.owner_id,
        "owner_name": e.owner.name,
        "kind": e.kind,
        "held_on": e.held_on,
        "title": e.title,
        "place": e.place,
        "purpose": e.purpose,
        "summary": e.summary,
        "requests": e.requests,
        "enterprises": sorted(x.pk for x in e.enterprises.all()),
        "contacts": sorted(c.pk for c in e.contacts.all()) if shown else [],
        "contacts_hidden": not shown,
        "projects": seen.projects(sorted(p.pk for p in e.projects.all())),
        "signed_projects": seen.projects(sorted(p.pk for p in e.signed_projects.all())),
        "signed_count": e.signed_count,
        "participants": sorted(u.pk for u in e.participants.all()),
        "other_participants": e.other_participants,
        "illustrative": e.illustrative,
        "follow_ups": [follow_up_out(f) for f in e.follow_ups.all()],
    }


def _one(user: User, pk: int) -> dict[str, Any]:
    found = _prefetched(queries.visible_engagements(user).filter(pk=pk)).first()
    if found is None:
        queries.get_engagement(user, pk)  # raises NotFound
    return engagement_out(_Seen(user), found)


class EngagementQuery(Schema):
    kind: str | None = Field(
        None, pattern="^(visit_out|visit_in|meeting|call|promotion|signing|matchmaking|aftercare)$"
    )
    since: date | None = None
    until: date | None = None
    enterprise: int | None = Field(None, ge=1, le=MAX_ID)
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    q: str | None = Field(None, max_length=100)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/", response=EngagementPage, summary="Engagements the user may read")
def list_engagements(request: HttpRequest, query: Query[EngagementQuery]) -> dict[str, Any]:
    user = current_user(request)
    if query.since and query.until and query.since > query.until:
        raise Invalid.on("until", "结束日期不能早于开始日期")
    qs = queries.visible_engagements(user)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.since:
        qs = qs.filter(held_on__gte=query.since)
    if query.until:
        qs = qs.filter(held_on__lte=query.until)
    if query.enterprise:
        qs = qs.filter(
            pk__in=Engagement.enterprises.through.objects.filter(
                enterprise_id=query.enterprise
            ).values("engagement_id")
        )
    if query.owner:
        qs = qs.filter(owner_id=query.owner)
    if query.q:
        qs = qs.filter(title__icontains=query.q)
    qs = qs.order_by("-held_on", "-pk")
    seen = _Seen(user)
    rows = _prefetched(qs)[query.offset : query.offset + query.limit]
    items = [engagement_out(seen, e) for e in rows]
    return {"count": qs.count(), "limit": query.limit, "offset": query.offset, "items": items}


@router.post("/", response={201: EngagementOut}, summary="Record an engagement")
def create_engagement(request: HttpRequest, payload: EngagementIn) -> Status:
    user = current_user(request)
    made = records.create_engagement(user, payload.model_dump())
    return Status(201, _one(user, made.pk))


@router.get("/follow-ups/mine", response=list[FollowUpOut], summary="My open follow-ups")
def my_follow_ups(request: HttpRequest, include_closed: bool = False) -> list[dict[str, Any]]:
    user = current_user(request)
    return [follow_up_out(f) for f in follow_ups.mine(user, include_closed=include_closed)[:1000]]


@router.patch(
    "/follow-ups/{follow_up_id}",
    response=FollowUpOut,
    summary="Update a follow-up (status, note, …)",
)
def update_follow_up(
    request: HttpRequest, follow_up_id: int, payload: FollowUpPatch
) -> dict[str, Any]:
    user = current_user(request)
    found = queries.get_follow_up(user, follow_up_id)
    data = payload.model_dump(exclude_unset=True)
    return follow_up_out(follow_ups.update_follow_up(user, found, data))


@router.get("/contacts", response=ContactPage, summary="The organisation's contacts")
def list_contacts(
    request: HttpRequest,
    enterprise: int | None = Query(None, ge=1, le=MAX_ID),
    q: str | None = Query(None, max_length=100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    user = current_user(request)
    qs = queries.visible_contacts(user).select_related("enterprise")
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    if q:
        qs = qs.filter(name__icontains=q)
    qs = qs.order_by("name", "pk")
    items = [contact_out(c) for c in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.post("/contacts", response={201: ContactOut}, summary="Add a contact")
def create_contact(request: HttpRequest, payload: ContactIn) -> Status:
    user = current_user(request)
    made = contact_services.create_contact(user, payload.model_dump())
    return Status(201, contact_out(queries.get_contact(user, made.pk)))


@router.get("/contacts/{contact_id}", response=ContactOut, summary="One contact")
def read_contact(request: HttpRequest, contact_id: int) -> dict[str, Any]:
    user = current_user(request)
    return contact_out(queries.get_contact(user, contact_id))


@router.patch("/contacts/{contact_id}", response=ContactOut, summary="Change a contact")
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> dict[str, Any]:
    user = current_user(request)
    contact = queries.get_contact(user, contact_id)
    contact_services.update_contact(user, contact, payload.model_dump(exclude_unset=True))
    return contact_out(queries.get_contact(user, contact_id))


@router.delete("/contacts/{contact_id}", response={204: None}, summary="Delete a contact")
def delete_contact(request: HttpRequest, contact_id: int) -> Status:
    user = current_user(request)
    contact_services.delete_contact(user, queries.get_contact(user, contact_id))
    return Status(204, None)


@router.get(
    "/enterprises/{enterprise_id}/briefing",
    response=BriefingOut,
    summary="Who in the installation last met this enterprise; other agencies' recent visits",
)
def briefing(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    user = current_user(request)
    from parklink.enterprises.models import Enterprise

    if not Enterprise.objects.filter(pk=enterprise_id).exists():
        from parklink.core.errors import NotFound

        raise NotFound("企业不存在。")
    b = coordination.briefing(user, enterprise_id)

    def met(m: Any) -> dict[str, Any]:
        return {
            "organization": m.org_id,
            "organization_name": m.org_name,
            "held_on": m.held_on,
            "kind": m.kind,
            "kind_label": m.kind_label,
        }

    return {
        "enterprise": enterprise_id,
        "last": met(b.last) if b.last else None,
        "others_recent": [met(m) for m in b.others_recent],
        "days": b.days,
    }


@router.get("/{engagement_id}", response=EngagementOut, summary="One engagement")
def read_engagement(request: HttpRequest, engagement_id: int) -> dict[str, Any]:
    return _one(current_user(request), engagement_id)


@router.patch("/{engagement_id}", response=EngagementOut, summary="Change an engagement")
def update_engagement(
    request: HttpRequest, engagement_id: int, payload: EngagementPatch
) -> dict[str, Any]:
    user = current_user(request)
    found = queries.get_engagement(user, engagement_id)
    records.update_engagement(user, found, payload.model_dump(exclude_unset=True))
    return _one(user, engagement_id)


@router.delete("/{engagement_id}", response={204: None}, summary="Delete an engagement")
def delete_engagement(request: HttpRequest, engagement_id: int) -> Status:
    user = current_user(request)
    records.delete_engagement(user, queries.get_engagement(user, engagement_id))
    return Status(204, None)


@router.post("/{engagement_id}/follow-ups", response={201: FollowUpOut}, summary="Add a follow-up")
def add_follow_up(request: HttpRequest, engagement_id: int, payload: FollowUpIn) -> Status:
    user = current_user(request)
    found = queries.get_engagement(user, engagement_id)
    made = follow_ups.add_follow_up(user, found, payload.model_dump())
    return Status(201, follow_up_out(made))
