"""Metro areas (都市圈) and focus chains (重点产业链) kept on pages: who may change which.

Everyone signed in reads both (they name places and chains, nothing confidential). Writers:

- a metro area: installation administrators, any; an organisation's administrators, the metro
  areas their organisation maintains (`MetroArea.owner`), and new ones, maintained by it;
- a focus chain: installation administrators, any place's; an organisation's administrators,
  the places their organisation speaks for — its own region and the parks it owns.

Every refusal names its field (`Invalid.detail`), Chinese first, so the form shows it in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import Role, User
from parklink.chains.models import FocusChain, MetroArea, MetroLead, MetroMember
from parklink.chains.services import templates as template_rules
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.parks.models import Park
from parklink.regions.models import Region

MAX_MEMBERS = 60
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
RESERVED_KEYS = frozenset({"new"})


def _is_org_admin(user: User) -> bool:
    return user.organization_id is not None and user.role == Role.ADMIN


# ---------------------------------------------------------------- metro areas


def can_create_metro(user: User) -> bool:
    return bool(user.is_superuser) or _is_org_admin(user)


def can_edit_metro(user: User, metro: MetroArea) -> bool:
    if user.is_superuser:
        return True
    return _is_org_admin(user) and metro.owner_id == user.organization_id


def ensure_can_edit_metro(user: User, metro: MetroArea | None) -> None:
    allowed = can_create_metro(user) if metro is None else can_edit_metro(user, metro)
    if not allowed:
        raise Forbidden(_("只有系统管理员或维护该都市圈的机构管理员可以修改都市圈。"))


def get_metro(key: str) -> MetroArea:
    found = MetroArea.objects.select_related("owner").filter(key=key).first()
    if found is None:
        raise NotFound(_("都市圈不存在"), detail={"metro": key})
    return found


def chain_keys(user: User) -> list[tuple[str, str]]:
    """(key, name) of the chains the user can name: shipped ones and their organisation's."""
    seen: dict[str, str] = {}
    rows = template_rules.visible_templates(user).order_by("owner_id", "key")
    for key, name in rows.values_list("key", "name"):
        seen.setdefault(key, name)
    return sorted(seen.items())


@dataclass(frozen=True)
class LeadInput:
    """One row of the lead table: the chain, its lead city, the chain as the source words it."""

    chain_key: str
    region: Region
    label: str = ""


def _check_metro(
    user: User,
    metro: MetroArea | None,
    key: str,
    name: str,
    members: Sequence[Region],
    leads: Sequence[LeadInput],
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if metro is None:
        if not _KEY.match(key) or key in RESERVED_KEYS:
            problems["key"] = _(
                "代码须以小写字母开头,只含小写字母、数字和下划线,2–64 个字符(如 chengdu_metro)"
            )
        elif MetroArea.objects.filter(key=key).exists():
            problems["key"] = _("代码“%(key)s”已被使用") % {"key": key}
    if not name.strip():
        problems["name"] = _("请填写名称")
    elif len(name) > 128:
        problems["name"] = _("最多 %(limit)d 个字") % {"limit": 128}
    if len(members) < 2:
        problems["members"] = _("都市圈至少要有 2 个成员行政区")
    elif len(members) > MAX_MEMBERS:
        problems["members"] = _("成员行政区最多 %(n)d 个") % {"n": MAX_MEMBERS}
    else:
        seen: set[str] = set()
        for region in members:
            if region.adcode in seen:
                problems["members"] = _("成员“%(name)s”重复") % {"name": region.full_name}
                break
            seen.add(region.adcode)
        for region in members:
            inside = [other for other in members if other != region and other.contains(region)]
            if inside:
                problems["members"] = _("“%(inner)s”已包含在成员“%(outer)s”之内") % {
                    "inner": region.full_name,
                    "outer": inside[0].full_name,
                }
                break
    known = {key for key, _name in chain_keys(user)}
    chains: set[str] = set()
    for number, lead in enumerate(leads, start=1):
        if lead.chain_key not in known:
            problems["leads"] = _("第%(n)d行:没有代码为“%(key)s”的产业链") % {
                "n": number,
                "key": lead.chain_key,
            }
            break
        if lead.chain_key in chains:
            problems["leads"] = _("第%(n)d行:产业链“%(key)s”已指定过主导城市") % {
                "n": number,
                "key": lead.chain_key,
            }
            break
        chains.add(lead.chain_key)
        if "members" not in problems and not any(m.contains(lead.region) for m in members):
            problems["leads"] = _("第%(n)d行:主导城市“%(name)s”不在都市圈的成员之内") % {
                "n": number,
                "name": lead.region.full_name,
            }
            break
        if len(lead.label) > 64:
            problems["leads"] = _("第%(n)d行:原文提法最多 64 个字") % {"n": number}
            break
    return problems


@transaction.atomic
def save_metro(
    user: User,
    metro: MetroArea | None,
    *,
    key: str = "",
    name: str,
    description: str = "",
    members: Sequence[Region],
    leads: Sequence[LeadInput],
    owner_id: int | None = None,
) -> MetroArea:
    """Create (`metro` None) or change a metro area with its members (in order) and leads.

    A lead kept unchanged (same chain, same city) keeps its source quote; `owner_id` is read
    from installation administrators only (an organisation's administrator maintains what
    they create). The key never changes: places and leads refer to `metro:KEY`.
    """
    ensure_can_edit_metro(user, metro)
    problems = _check_metro(user, metro, key, name, members, leads)
    if problems:
        raise Invalid(_("都市圈信息有误"), detail=problems)
    if metro is None:
        owner = owner_id if user.is_superuser else user.organization_id
        metro = MetroArea.objects.create(
            key=key, name=name.strip(), description=description, owner_id=owner
        )
    else:
        metro.name = name.strip()
        metro.description = description
        if user.is_superuser:
            metro.owner_id = owner_id
        metro.save()
    metro.members.all().delete()
    MetroMember.objects.bulk_create(
        MetroMember(metro=metro, region=region, order=order)
        for order, region in enumerate(members, start=1)
    )
    before = {lead.chain_key: lead for lead in metro.leads.all()}
    metro.leads.all().delete()
    rows = []
    for lead in leads:
        old = before.get(lead.chain_key)
        same = old is not None and old.region_id == lead.region.pk
        rows.append(
            MetroLead(
                metro=metro,
                chain_key=lead.chain_key,
                region=lead.region,
                label=lead.label,
                source_quote=old.source_quote if same and old else "",
                source_file=old.source_file if same and old else "",
            )
        )
    MetroLead.objects.bulk_create(rows)
    return metro


# ---------------------------------------------------------------- focus chains


def focus_places(user: User) -> list[tuple[str, str]]:
    """(place ref, name) of the places whose focus chains the user may change."""
    if user.is_superuser:
        parks: QuerySet[Park] = Park.objects.all()
        regions = Region.objects.filter(organizations__isnull=False).distinct()
    elif _is_org_admin(user):
        parks = Park.objects.filter(owner_id=user.organization_id)
        regions = Region.objects.filter(organizations=user.organization_id)
    else:
        return []
    found = [(f"region:{r.adcode}", r.full_name) for r in regions.order_by("adcode")]
    found += [(f"park:{p.pk}", p.name) for p in parks.order_by("name_pinyin", "pk")]
    return found


def editable_focus(user: User) -> QuerySet[FocusChain]:
    refs = [ref for ref, _name in focus_places(user)]
    if user.is_superuser:
        return FocusChain.objects.all()
    return FocusChain.objects.filter(Q(place__in=refs))


def add_focus(user: User, place: str, chain_key: str, label: str = "") -> FocusChain:
    names = dict(focus_places(user))
    if not names:
        raise Forbidden(_("只有本机构管理员可以设置重点产业链。"))
    problems: dict[str, str] = {}
    if place not in names:
        problems["place"] = _("只能为本机构所在行政区和本机构的园区设置重点产业链")
    if chain_key not in dict(chain_keys(user)):
        problems["chain"] = _("没有代码为“%(key)s”的产业链") % {"key": chain_key}
    if len(label) > 128:
        problems["label"] = _("最多 %(limit)d 个字") % {"limit": 128}
    if not problems and FocusChain.objects.filter(place=place, chain_key=chain_key).exists():
        problems["chain"] = _("“%(place)s”已把这条产业链列为重点") % {"place": names[place]}
    if problems:
        raise Invalid(_("重点产业链有误"), detail=problems)
    return FocusChain.objects.create(
        place=place, place_name=names[place], chain_key=chain_key, label=label.strip()
    )


def remove_focus(user: User, pk: int) -> None:
    found = FocusChain.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("重点产业链不存在"), detail={"focus": pk})
    if not editable_focus(user).filter(pk=pk).exists():
        raise Forbidden(_("只能修改本机构所在行政区和本机构园区的重点产业链。"))
    found.delete()
