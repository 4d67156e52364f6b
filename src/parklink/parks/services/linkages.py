"""Linkages (三园联动): named groups of parks, each with its role; owned, members anyone's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.columns import too_long
from parklink.core.errors import Invalid
from parklink.parks.models import LinkageMember, LinkageRole, Park, ParkLinkage
from parklink.parks.services.rows import Item, Problems, checked, item_text, position, under

LINKAGE_FIELDS = ("name", "description")


def _linkage_problems(linkage: ParkLinkage) -> Problems:
    problems: Problems = {}
    if not linkage.name:
        problems["name"] = _("联动名称不能为空")
    elif length := too_long(linkage.name, 128):
        problems["name"] = length
    elif ParkLinkage.objects.filter(name=linkage.name).exclude(pk=linkage.pk).exists():
        problems["name"] = _("已有同名的园区联动“%(name)s”") % {"name": linkage.name}
    return problems


def _park_id(value: Any) -> int | None:
    if isinstance(value, Park):
        return value.pk
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        return -1  # never a park: reported as unknown


def member_rows(
    linkage: ParkLinkage, members: Sequence[Item]
) -> tuple[list[LinkageMember], Problems]:
    """Members of a linkage ({park, role, order}) as rows to store, and what is wrong."""
    ids = [_park_id(item.get("park", item.get("park_id"))) for item in members]
    parks = Park.objects.in_bulk([pk for pk in ids if pk is not None and pk > 0])
    rows: list[LinkageMember] = []
    problems: Problems = {}
    first_row: dict[int, int] = {}
    for index, (item, pk) in enumerate(zip(members, ids, strict=True)):
        if pk is None:
            problems[f"{index}.park"] = _("请选择园区")
        elif pk not in parks:
            problems[f"{index}.park"] = _("园区不存在: %(id)s") % {
                "id": item.get("park", item.get("park_id"))
            }
        elif pk in first_row:
            problems[f"{index}.park"] = _(
                "“%(name)s”已在第 %(row)d 行,一个园区在联动中只出现一次"
            ) % {
                "name": parks[pk].name,
                "row": first_row[pk] + 1,
            }
        else:
            first_row[pk] = index
        role = item_text(item, "role")
        if role not in LinkageRole.values:
            problems[f"{index}.role"] = (
                _("请选择分工") if not role else _("未知的分工: %(role)s") % {"role": role}
            )
        try:
            order = position(item.get("order"), index)
        except ValueError as error:
            problems[f"{index}.order"], order = str(error), index
        rows.append(LinkageMember(linkage=linkage, park_id=pk or 0, role=role, order=order))
    return rows, problems


def _save_linkage(linkage: ParkLinkage, members: Sequence[Item] | None) -> ParkLinkage:
    problems = _linkage_problems(linkage)
    rows: list[LinkageMember] = []
    if members is not None:
        rows, found = member_rows(linkage, members)
        problems.update(under("members", found))
    if problems:
        raise Invalid(_("园区联动信息有误"), detail=problems)
    linkage.save()
    if members is not None:
        linkage.members.all().delete()
        for row in rows:
            row.linkage = linkage
        LinkageMember.objects.bulk_create(rows)
    return linkage


@transaction.atomic
def create_linkage(
    user: User,
    *,
    name: str,
    description: str = "",
    members: Sequence[Item] | None = None,
    owner_id: int | None = None,
) -> ParkLinkage:
    """A new 三园联动 owned by the user's organisation; members may be anyone's parks."""
    owner_id = owner_id or user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:  # an installation admin without an organisation must name one
        raise Invalid.on("owner", _("请指定所属机构"))
    linkage = ParkLinkage(
        owner_id=owner_id, name=(name or "").strip(), description=(description or "").strip()
    )
    return _save_linkage(linkage, members or [])


@transaction.atomic
def update_linkage(
    user: User, linkage: ParkLinkage, *, members: Sequence[Item] | None = None, **fields: Any
) -> ParkLinkage:
    """Change the linkage's name or description; `members`, when given, replaces them all."""
    ensure_can_write(user, linkage.owner_id)
    unknown = set(fields) - set(LINKAGE_FIELDS)
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(linkage, name, (value or "").strip())
    return _save_linkage(linkage, members)


@transaction.atomic
def set_linkage_members(
    user: User, linkage: ParkLinkage, members: Sequence[Item]
) -> list[LinkageMember]:
    """Replace the linkage's members ({park, role, order}); a park appears once."""
    ensure_can_write(user, linkage.owner_id)
    rows = checked(_("联动成员有误"), member_rows(linkage, members), prefix="members")
    linkage.members.all().delete()
    return LinkageMember.objects.bulk_create(rows)
