"""Engagements (对接记录): recording, changing and deleting them, with their links.

Only the owner organisation's officers and admins write a record (`ensure_can_write`). A
record links enterprises, the owner's contacts (their enterprises are linked too), the
projects the user may see, participants (users of any organisation) and, for events, the
projects signed there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.dates import DateKind
from parklink.core.errors import Invalid
from parklink.engagements import queries
from parklink.engagements.models import EVENT_KINDS, Contact, Engagement, EngagementKind
from parklink.engagements.services.checks import check_day, optional_text, owner_for, required_text
from parklink.enterprises.models import Enterprise
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects

TEXT_FIELDS = ("title", "place", "purpose", "summary", "requests", "other_participants")
LINKS = ("enterprises", "contacts", "projects", "signed_projects", "participants")
MAX_SIGNED = 100_000


def _ids(values: Iterable[Any] | None) -> list[int]:
    found = []
    for value in values or ():
        found.append(int(value.pk if hasattr(value, "pk") else value))
    return sorted(set(found))


def _all_found(field: str, wanted: list[int], qs: QuerySet[Any], message: str) -> list[Any]:
    rows = list(qs.filter(pk__in=wanted))
    missing = sorted(set(wanted) - {row.pk for row in rows})
    if missing:
        raise Invalid.on(field, message % {"ids": ", ".join(map(str, missing))})
    return rows


def _clean(
    user: User, owner_id: int, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    kind = str(data.get("kind") or "")
    if kind not in EngagementKind.values:
        raise Invalid.on("kind", _("请选择对接类型"))
    held_on = data.get("held_on")
    check_day("held_on", DateKind.PLANNED, held_on, _("对接日期"))
    values: dict[str, Any] = {
        "kind": kind,
        "held_on": held_on,
        "title": required_text(data, "title", _("主题"), 200),
        "place": optional_text(data, "place", _("地点"), 200),
        "purpose": optional_text(data, "purpose", _("目的"), 5000),
        "summary": optional_text(data, "summary", _("纪要"), 20000),
        "requests": optional_text(data, "requests", _("企业诉求"), 10000),
        "other_participants": optional_text(data, "other_participants", _("其他参加人员"), 500),
    }
    signed_count = data.get("signed_count")
    contacts = _all_found(
        "contacts",
        _ids(data.get("contacts")),
        Contact.objects.filter(owner_id=owner_id),
        _("联系人不存在或不属于本机构: %(ids)s"),
    )
    enterprise_ids = sorted(
        set(_ids(data.get("enterprises"))) | {c.enterprise_id for c in contacts}
    )
    enterprises = _all_found(
        "enterprises", enterprise_ids, Enterprise.objects.all(), _("企业不存在: %(ids)s")
    )
    seen = visible_projects(user)
    projects = _all_found(
        "projects", _ids(data.get("projects")), seen, _("项目不存在或无权查看: %(ids)s")
    )
    signed = _all_found(
        "signed_projects",
        _ids(data.get("signed_projects")),
        seen,
        _("项目不存在或无权查看: %(ids)s"),
    )
    participants = _all_found(
        "participants",
        _ids(data.get("participants")),
        User.objects.filter(is_active=True),
        _("用户不存在或已停用: %(ids)s"),
    )
    if kind not in EVENT_KINDS:
        if signed or signed_count:
            raise Invalid.on(
                "signed_projects", _("只有招商推介会、签约仪式和对接会可以记录现场签约项目")
            )
        if not enterprises:
            raise Invalid.on("enterprises", _("请至少选择一家对接企业"))
    if signed_count is not None:
        if not isinstance(signed_count, int) or signed_count < 0 or signed_count > MAX_SIGNED:
            raise Invalid.on("signed_count", _("签约项目数应为不小于0的整数"))
        if signed_count < len(signed):
            raise Invalid.on(
                "signed_count",
                _("签约项目数(%(n)s)不能少于已关联的签约项目(%(m)s个)")
                % {"n": signed_count, "m": len(signed)},
            )
    values["signed_count"] = signed_count
    links = {
        "enterprises": enterprises,
        "contacts": contacts,
        "projects": projects,
        "signed_projects": signed,
        "participants": participants,
    }
    return values, links


def _set_links(engagement: Engagement, links: dict[str, list[Any]]) -> None:
    for name, rows in links.items():
        getattr(engagement, name).set(rows)


@transaction.atomic
def create_engagement(user: User, data: dict[str, Any], owner_id: int | None = None) -> Engagement:
    owner = owner_for(user, owner_id)
    values, links = _clean(user, owner, data)
    engagement = Engagement.objects.create(
        owner_id=owner,
        created_by=user if user.pk else None,
        illustrative=bool(data.get("illustrative")),
        **values,
    )
    _set_links(engagement, links)
    return engagement


def current(engagement: Engagement) -> dict[str, Any]:
    """The record as `update_engagement` takes it (each link as a list of ids)."""
    data: dict[str, Any] = {name: getattr(engagement, name) for name in TEXT_FIELDS}
    data.update(
        kind=engagement.kind, held_on=engagement.held_on, signed_count=engagement.signed_count
    )
    for name in LINKS:
        data[name] = list(getattr(engagement, name).values_list("pk", flat=True))
    return data


@transaction.atomic
def update_engagement(user: User, engagement: Engagement, data: dict[str, Any]) -> Engagement:
    """Change a record; links the user may not see (another's projects) are kept as they were."""
    ensure_can_write(user, engagement.owner_id)
    merged = {**current(engagement), **data}
    hidden: dict[str, list[int]] = {}
    seen = set(visible_projects(user).values_list("pk", flat=True))
    for name in ("projects", "signed_projects"):
        before = set(getattr(engagement, name).values_list("pk", flat=True))
        hidden[name] = sorted(before - seen)
        merged[name] = [pk for pk in _ids(merged.get(name)) if pk not in hidden[name]]
    values, links = _clean(user, engagement.owner_id, merged)
    for name in ("projects", "signed_projects"):
        links[name] = links[name] + list(Project.objects.filter(pk__in=hidden[name]))
    for name, value in values.items():
        setattr(engagement, name, value)
    engagement.save()
    _set_links(engagement, links)
    return engagement


@transaction.atomic
def delete_engagement(user: User, engagement: Engagement) -> None:
    ensure_can_write(user, engagement.owner_id)
    engagement.delete()


def readable(user: User, engagement: Engagement) -> bool:
    return queries.visible_engagements(user).filter(pk=engagement.pk).exists()
