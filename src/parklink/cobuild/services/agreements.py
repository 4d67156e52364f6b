"""Creating an agreement and changing its text and parties while it is a draft."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.cobuild.models import Agreement, AgreementVersion, DivisionMode, Party, PartyRole
from parklink.cobuild.services.access import ensure_editable
from parklink.core.errors import Conflict, Duplicate, Invalid
from parklink.parks.models import Park

KEY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
TITLE_LIMIT = 200
EDITABLE_FIELDS = frozenset(
    {"title", "division_mode", "division_note", "term_start", "term_end", "description", "parks"}
)


@dataclass(frozen=True)
class PartySpec:
    """A party as callers describe it: its organisation, key, roles and rounding order."""

    organization: Organization
    key: str
    roles: Sequence[str] = field(default_factory=tuple)
    order: int = 0


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)


def _check_fields(values: dict[str, Any], errors: dict[str, str]) -> None:
    if "title" in values:
        title = (values["title"] or "").strip()
        values["title"] = title
        if not title:
            errors["title"] = _("请填写协议名称。")
        elif len(title) > TITLE_LIMIT:
            errors["title"] = _("协议名称不能超过%(limit)d个字符。") % {"limit": TITLE_LIMIT}
    mode = values.get("division_mode")
    if mode and mode not in DivisionMode.values:
        errors["division_mode"] = _("未知的分工模式:%(mode)s") % {"mode": mode}


def _check_term(start: date | None, end: date | None, errors: dict[str, str]) -> None:
    if start and end and end < start:
        errors["term_end"] = _("协议期限止不能早于期限起。")


def check_parties(parties: Sequence[PartySpec]) -> dict[str, str]:
    """Problems of a list of parties: keys, roles, orders and organisations each unique."""
    errors: dict[str, str] = {}
    keys = [p.key for p in parties]
    for spec in parties:
        if not KEY.match(spec.key or ""):
            errors["parties"] = _(
                "协议方代号“%(key)s”无效:以小写字母开头,只含小写字母、数字、- 和 _,最长32个字符。"
            ) % {"key": spec.key}
        unknown = [role for role in spec.roles if role not in PartyRole.values]
        if unknown:
            errors["parties"] = _("未知的协议方角色:%(roles)s") % {"roles": "、".join(unknown)}
    if len(set(keys)) != len(keys):
        errors["parties"] = _("协议方代号不能重复。")
    if len({p.organization.pk for p in parties}) != len(parties):
        errors["parties"] = _("同一机构不能重复作为协议方。")
    if len({p.order for p in parties}) != len(parties):
        errors["parties"] = _("协议方顺序不能重复。")
    return errors


def ensure_title_free(owner_id: int, title: str, exclude: int | None = None) -> None:
    """One organisation holds one agreement of a title: another is a `Duplicate` (409)."""
    clash = Agreement.objects.filter(owner_id=owner_id, title=title)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    found = clash.values_list("pk", flat=True).first()
    if found is not None:
        message = _("该机构已有名为“%(title)s”的共建协议。") % {"title": title}
        raise Duplicate(message, detail={"title": message, "existing_id": found})


@transaction.atomic
def create_agreement(
    user: User,
    *,
    owner_id: int,
    title: str,
    effective_from: date,
    parties: Sequence[PartySpec] = (),
    parks: Sequence[Park] = (),
    division_mode: str = "",
    division_note: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    description: str = "",
    note: str = "",
) -> Agreement:
    """A draft agreement of `owner_id` with its parties and its first version (no rules yet)."""
    ensure_can_write(user, owner_id)
    values: dict[str, Any] = {"title": title, "division_mode": division_mode}
    errors: dict[str, str] = {}
    _check_fields(values, errors)
    _check_term(term_start, term_end, errors)
    errors |= check_parties(parties)
    _raise_if(errors)
    ensure_title_free(owner_id, values["title"])
    agreement = Agreement.objects.create(
        owner_id=owner_id,
        title=values["title"],
        division_mode=division_mode,
        division_note=division_note,
        term_start=term_start,
        term_end=term_end,
        description=description,
    )
    agreement.parks.set(parks)
    for spec in parties:
        Party.objects.create(
            agreement=agreement,
            organization=spec.organization,
            key=spec.key,
            roles=list(dict.fromkeys(spec.roles)),
            order=spec.order,
        )
    AgreementVersion.objects.create(
        agreement=agreement, number=1, effective_from=effective_from, note=note, created_by=user
    )
    return agreement


@transaction.atomic
def update_agreement(user: User, agreement: Agreement, **changes: Any) -> Agreement:
    """Change the text of a draft agreement (title, division, term, parks, description)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ensure_editable(user, agreement)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise Invalid.on(sorted(unknown)[0], _("该字段不能修改。"))
    errors: dict[str, str] = {}
    _check_fields(changes, errors)
    _check_term(
        changes.get("term_start", agreement.term_start),
        changes.get("term_end", agreement.term_end),
        errors,
    )
    _raise_if(errors)
    if "title" in changes:
        ensure_title_free(agreement.owner_id, changes["title"], exclude=agreement.pk)
    parks = changes.pop("parks", None)
    for name, value in changes.items():
        setattr(agreement, name, value if value is not None or "term" in name else "")
    agreement.save()
    if parks is not None:
        agreement.parks.set(parks)
    return agreement


@transaction.atomic
def set_parties(user: User, agreement: Agreement, parties: Sequence[PartySpec]) -> list[Party]:
    """Replace the parties of a draft agreement (matched by organisation, so keys may change).

    A party that rules or records already name cannot be removed.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ensure_editable(user, agreement)
    _raise_if(check_parties(parties))
    existing = {p.organization_id: p for p in agreement.parties.select_for_update()}
    wanted = {spec.organization.pk for spec in parties}
    for org_id, party in existing.items():
        if org_id not in wanted:
            try:
                party.delete()
            except ProtectedError as exc:
                raise Conflict(
                    _("协议方“%(key)s”已被规则或数据引用,不能移除。") % {"key": party.key},
                    detail={"parties": party.key},
                ) from exc
    # Move the kept ones out of the way first: keys and orders are unique per agreement.
    for index, party in enumerate(p for o, p in existing.items() if o in wanted):
        party.key, party.order = f"~{index}", 30000 + index
        party.save(update_fields=["key", "order"])
    result = []
    for spec in parties:
        party = existing.get(spec.organization.pk) or Party(
            agreement=agreement, organization=spec.organization
        )
        party.key, party.order = spec.key, spec.order
        party.roles = list(dict.fromkeys(spec.roles))
        party.save()
        result.append(party)
    return result
