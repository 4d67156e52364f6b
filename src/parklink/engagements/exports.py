"""Contacts and engagements as .xlsx workbooks (every cell through core.xlsx), exactly what
the user may see: contacts to their owner's officers, engagements to their readers. The
columns are the import's headers, so an exported sheet imports again."""

from __future__ import annotations

import io
from argparse import ArgumentParser
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.core import xlsx
from parklink.core.errors import Invalid
from parklink.engagements import queries
from parklink.engagements.models import Contact, Engagement, EngagementKind, FollowUp

SEPARATOR = "、"


def _book(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    xlsx.append(sheet, header)
    for row in rows:
        xlsx.append(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def contacts_workbook(qs: QuerySet[Contact]) -> bytes:
    header = [
        _("编号"),
        _("企业"),
        _("姓名"),
        _("职务"),
        _("电话"),
        _("微信"),
        _("邮箱"),
        _("备注"),
        _("所属机构"),
        _("示例数据"),
    ]
    rows = (
        [
            c.pk,
            c.enterprise.name,
            c.name,
            c.title,
            c.phone,
            c.wechat,
            c.email,
            c.notes,
            c.owner.name,
            _("是") if c.illustrative else "",
        ]
        for c in qs.select_related("enterprise", "owner").order_by("enterprise__name", "name", "pk")
    )
    return _book(_("客商联系人"), header, rows)


def engagements_workbook(user: User, qs: QuerySet[Engagement]) -> bytes:
    header = [
        _("编号"),
        _("类型"),
        _("日期"),
        _("主题"),
        _("地点"),
        _("目的"),
        _("纪要"),
        _("企业诉求"),
        _("对接企业"),
        _("联系人"),
        _("相关项目"),
        _("签约项目"),
        _("签约项目数"),
        _("参加人员"),
        _("其他参加人员"),
        _("跟进情况"),
        _("所属机构"),
        _("示例数据"),
    ]
    seen_contacts = set(queries.visible_contacts(user).values_list("pk", flat=True))
    seen_projects = _visible_project_ids(user)
    qs = qs.select_related("owner").prefetch_related(
        "enterprises",
        "contacts",
        "projects",
        "signed_projects",
        "participants",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("assignee")),
    )

    def row(e: Engagement) -> list[Any]:
        follow = "；".join(
            f"{f.task}({f.assignee.username},{f.due_on:%Y-%m-%d},{f.get_status_display()})"
            for f in e.follow_ups.all()
        )
        return [
            e.pk,
            e.get_kind_display(),
            e.held_on,
            e.title,
            e.place,
            e.purpose,
            e.summary,
            e.requests,
            SEPARATOR.join(x.name for x in e.enterprises.all()),
            SEPARATOR.join(c.name for c in e.contacts.all() if c.pk in seen_contacts),
            SEPARATOR.join(p.name for p in e.projects.all() if p.pk in seen_projects),
            SEPARATOR.join(p.name for p in e.signed_projects.all() if p.pk in seen_projects),
            e.signed_count,
            SEPARATOR.join(u.username for u in e.participants.all()),
            e.other_participants,
            follow,
            e.owner.name,
            _("是") if e.illustrative else "",
        ]

    return _book(_("对接记录"), header, (row(e) for e in qs.order_by("-held_on", "-pk")))


def _visible_project_ids(user: User) -> set[int]:
    from parklink.projects.queries import visible_projects

    return set(visible_projects(user).values_list("pk", flat=True))


def export_contacts(user: User, options: Mapping[str, Any]) -> bytes:
    qs = queries.visible_contacts(user)
    if options.get("enterprise"):
        qs = qs.filter(enterprise__name=options["enterprise"])
    return contacts_workbook(qs)


def export_engagements(user: User, options: Mapping[str, Any]) -> bytes:
    qs = queries.visible_engagements(user)
    if options.get("engagement_kind"):
        qs = qs.filter(kind=options["engagement_kind"])
    if options.get("since"):
        qs = qs.filter(held_on__gte=_day(options["since"], "since"))
    if options.get("until"):
        qs = qs.filter(held_on__lte=_day(options["until"], "until"))
    return engagements_workbook(user, qs)


def _day(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid.on(name, _("日期应写作 YYYY-MM-DD:%(value)s") % {"value": value}) from None


def contact_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--enterprise", help="only the contacts at this enterprise (its name)")


def engagement_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        dest="engagement_kind",
        choices=[kind.value for kind in EngagementKind],
        help="visit_out, visit_in, meeting, call, promotion, signing, matchmaking, aftercare",
    )
    parser.add_argument("--since", help="first day, YYYY-MM-DD")
    parser.add_argument("--until", help="last day, YYYY-MM-DD")
