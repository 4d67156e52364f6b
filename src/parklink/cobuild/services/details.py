"""The side details of an agreement: operating companies and their equity, cooperation fields,
shared policies, and the enterprises the rules know (covered enterprises).

Companies, fields and policies are part of the agreement's text: they change only while it is
a draft (`access.ensure_editable`). Covered enterprises are facts the rules read (who
introduced an enterprise, its 入驻/投产/达产/迁入 dates); enterprises keep arriving after
signing, so a party's officer may add or correct them until the agreement has ended (a run
keeps the facts it read, so a settled period does not change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle
from parklink.cobuild.ledger.kinds.base import fmt_share, parse_share
from parklink.cobuild.models import (
    Agreement,
    CooperationField,
    CoveredEnterprise,
    EquityShare,
    OperatingCompany,
    Party,
    SharedPolicy,
)
from parklink.cobuild.services.access import ensure_editable, ensure_officer
from parklink.core.dates import DateKind, bounds, refusal
from parklink.core.errors import Conflict, Invalid
from parklink.enterprises.models import Enterprise

NAME_LIMIT = 128
FIELD_LIMIT = 64
POLICY_LIMIT = 200
HOLDER_LIMIT = 128
DATE_FIELDS = ("settled_on", "production_on", "full_production_on", "moved_on")


@dataclass(frozen=True)
class ShareSpec:
    """One shareholder's part of a company from `effective_from` (None: from the start)."""

    shareholder: Party
    share: str
    shareholder_name: str = ""
    effective_from: date | None = None


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)


def _name(value: str, limit: int, field: str, errors: dict[str, str]) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = _("请填写名称。")
    elif len(text) > limit:
        errors[field] = _("名称不能超过%(limit)d个字符。") % {"limit": limit}
    return text


def _own_party(
    agreement: Agreement, party: Party | None, field: str, errors: dict[str, str]
) -> None:
    if party is not None and party.agreement_id != agreement.pk:
        errors[field] = _("须是本协议的一方。")


def _locked(agreement: Agreement, obj: Any) -> Agreement:
    """The agreement, locked for the change; `obj` must belong to it."""
    if obj is not None and obj.agreement_id != agreement.pk:
        raise Invalid(_("不属于该协议。"), detail={"agreement": agreement.pk})
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


# ---------------------------------------------------------------- operating companies


def check_shares(agreement: Agreement, shares: Sequence[ShareSpec]) -> dict[str, str]:
    """Problems of a company's shareholders: parties of the agreement, exact shares, and the
    shares in force from one date adding up to no more than 100%."""
    errors: dict[str, str] = {}
    totals: dict[date | None, Fraction] = {}
    seen: set[tuple[int, date | None]] = set()
    for index, spec in enumerate(shares):
        where = f"shares[{index}]"
        _own_party(agreement, spec.shareholder, f"{where}.shareholder", errors)
        value = parse_share(spec.share)
        if value is None or value <= 0 or value > 1:
            errors[f"{where}.share"] = _(
                "股权比例应写作 3/5、0.6 或 60%%,大于0且不超过100%%:%(value)s"
            ) % {"value": spec.share}
            continue
        if len(spec.shareholder_name or "") > HOLDER_LIMIT:
            errors[f"{where}.shareholder_name"] = _("名称不能超过%(limit)d个字符。") % {
                "limit": HOLDER_LIMIT
            }
        key = (spec.shareholder.pk, spec.effective_from)
        if key in seen:
            errors[f"{where}.shareholder"] = _("同一股东在同一生效日期只能有一条股权。")
        seen.add(key)
        totals[spec.effective_from] = totals.get(spec.effective_from, Fraction(0)) + value
        if totals[spec.effective_from] > 1:
            errors[f"{where}.share"] = _("同一生效日期的股权合计超过100%。")
    return errors


@transaction.atomic
def save_company(
    user: User,
    agreement: Agreement,
    company: OperatingCompany | None = None,
    *,
    name: str,
    enterprise: Enterprise | None = None,
    shares: Sequence[ShareSpec] | None = None,
) -> OperatingCompany:
    """Create an operating company (company None) or change one; `shares` replaces its
    equity (None keeps it). A share is stored as its exact fraction ("60%" → "3/5")."""
    agreement = _locked(agreement, company)
    ensure_editable(user, agreement)
    errors: dict[str, str] = {}
    name = _name(name, NAME_LIMIT, "name", errors)
    if shares is not None:
        errors |= check_shares(agreement, shares)
    _raise_if(errors)
    company = company or OperatingCompany(agreement=agreement)
    company.name, company.enterprise = name, enterprise
    company.save()
    if shares is not None:
        company.shares.all().delete()
        for spec in shares:
            share = parse_share(spec.share)
            assert share is not None
            EquityShare.objects.create(
                company=company,
                shareholder=spec.shareholder,
                shareholder_name=(spec.shareholder_name or "").strip(),
                share=fmt_share(share),
                effective_from=spec.effective_from,
            )
    return company


@transaction.atomic
def delete_company(user: User, company: OperatingCompany) -> None:
    agreement = _locked(company.agreement, company)
    ensure_editable(user, agreement)
    company.delete()


# ---------------------------------------------------------------- cooperation fields


@transaction.atomic
def save_field(
    user: User,
    agreement: Agreement,
    item: CooperationField | None = None,
    *,
    name: str,
    order: int | None = None,
) -> CooperationField:
    """Add a cooperation field (at the end unless `order` says) or rename / move one."""
    agreement = _locked(agreement, item)
    ensure_editable(user, agreement)
    errors: dict[str, str] = {}
    name = _name(name, FIELD_LIMIT, "name", errors)
    same = agreement.cooperation_fields.filter(name=name)
    if item is not None:
        same = same.exclude(pk=item.pk)
    if name and same.exists():
        errors["name"] = _("合作领域“%(name)s”已存在。") % {"name": name}
    _raise_if(errors)
    item = item or CooperationField(agreement=agreement, order=agreement.cooperation_fields.count())
    item.name = name
    if order is not None:
        item.order = order
    item.save()
    return item


@transaction.atomic
def delete_field(user: User, item: CooperationField) -> None:
    agreement = _locked(item.agreement, item)
    ensure_editable(user, agreement)
    item.delete()


# ---------------------------------------------------------------- shared policies


@transaction.atomic
def save_policy(
    user: User,
    agreement: Agreement,
    policy: SharedPolicy | None = None,
    *,
    name: str,
    issued_by: Party | None = None,
    note: str = "",
) -> SharedPolicy:
    """Add a policy a party extends to the park (政策共享), or change one."""
    agreement = _locked(agreement, policy)
    ensure_editable(user, agreement)
    errors: dict[str, str] = {}
    name = _name(name, POLICY_LIMIT, "name", errors)
    _own_party(agreement, issued_by, "issued_by", errors)
    _raise_if(errors)
    policy = policy or SharedPolicy(agreement=agreement)
    policy.name, policy.issued_by, policy.note = name, issued_by, (note or "").strip()
    policy.save()
    return policy


@transaction.atomic
def delete_policy(user: User, policy: SharedPolicy) -> None:
    agreement = _locked(policy.agreement, policy)
    ensure_editable(user, agreement)
    policy.delete()


# ---------------------------------------------------------------- covered enterprises


def ensure_facts_editable(user: User, agreement: Agreement) -> None:
    """A party's officer may record an enterprise's facts until the agreement has ended."""
    ensure_officer(user, agreement)
    if agreement.status in (lifecycle.Status.EXPIRED, lifecycle.Status.TERMINATED):
        raise Conflict(_("协议已结束,不能再修改协议企业。"), detail={"status": agreement.status})


def _check_dates(values: dict[str, Any], errors: dict[str, str]) -> None:
    today = timezone.localdate()
    for name in DATE_FIELDS:
        day = values.get(name)
        if day is not None and refusal(DateKind.PLANNED, day, today) is not None:
            limits = bounds(DateKind.PLANNED, today)
            errors[name] = _("日期应在%(earliest)s至%(latest)s之间。") % {
                "earliest": limits.earliest.isoformat(),
                "latest": limits.latest.isoformat(),
            }
    production, full = values.get("production_on"), values.get("full_production_on")
    if production and full and full < production:
        errors["full_production_on"] = _("达产日期不能早于投产日期。")


@transaction.atomic
def save_covered(
    user: User,
    agreement: Agreement,
    covered: CoveredEnterprise | None = None,
    **fields: Any,
) -> CoveredEnterprise:
    """Add an enterprise the rules know, or change its facts: `enterprise`, `introduced_by`
    (a party or None), the four dates and `illustrative`."""
    agreement = _locked(agreement, covered)
    ensure_facts_editable(user, agreement)
    unknown = set(fields) - {"enterprise", "introduced_by", "illustrative", *DATE_FIELDS}
    if unknown:
        raise Invalid.on(sorted(unknown)[0], _("该字段不能修改。"))
    current: dict[str, Any] = (
        {name: getattr(covered, name) for name in ("enterprise", "introduced_by", *DATE_FIELDS)}
        | {"illustrative": covered.illustrative}
        if covered is not None
        else {"enterprise": None, "introduced_by": None, "illustrative": False}
        | dict.fromkeys(DATE_FIELDS)
    )
    values = current | fields
    errors: dict[str, str] = {}
    enterprise = values["enterprise"]
    if enterprise is None:
        errors["enterprise"] = _("请选择企业。")
    else:
        others = agreement.covered.filter(enterprise=enterprise)
        if covered is not None:
            others = others.exclude(pk=covered.pk)
        if others.exists():
            errors["enterprise"] = _("“%(name)s”已是本协议的企业。") % {"name": enterprise.name}
    _own_party(agreement, values["introduced_by"], "introduced_by", errors)
    _check_dates(values, errors)
    _raise_if(errors)
    covered = covered or CoveredEnterprise(agreement=agreement)
    for name, value in values.items():
        setattr(covered, name, value)
    covered.illustrative = bool(values["illustrative"])
    covered.save()
    return covered


@transaction.atomic
def delete_covered(user: User, covered: CoveredEnterprise) -> None:
    agreement = _locked(covered.agreement, covered)
    ensure_facts_editable(user, agreement)
    covered.delete()


# ---------------------------------------------------------------- lists edited on one page


@dataclass(frozen=True)
class FieldItem:
    """A cooperation field as a page's row: its id when it is stored, its name."""

    id: int | None
    name: str


@dataclass(frozen=True)
class PolicyItem:
    id: int | None
    name: str
    issued_by: Party | None = None
    note: str = ""


def _rows_by_id(rows: Any, items: Sequence[Any], errors: dict[str, str]) -> dict[int, Any]:
    stored = {row.pk: row for row in rows}
    for index, item in enumerate(items):
        if item.id is not None and item.id not in stored:
            errors[f"rows.{index}.name"] = _("该行已不存在,请刷新页面后再改。")
    return stored


def _each(errors: dict[str, str], index: int, call: Any) -> Any:
    """Call a service; its refusal is kept under the row's index instead of stopping."""
    try:
        return call()
    except Invalid as error:
        detail = error.detail if isinstance(error.detail, dict) else {}
        for name, problem in detail.items():
            errors[f"rows.{index}.{name}"] = str(problem)
        if not detail:
            errors[f"rows.{index}.name"] = error.message
        return None


@transaction.atomic
def replace_fields(user: User, agreement: Agreement, items: Sequence[FieldItem]) -> None:
    """The cooperation fields become `items`, in their order: rows without an id are added,
    stored rows missing from `items` removed; all or nothing, each refusal under its row
    (`rows.<index>.name`)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ensure_editable(user, agreement)
    errors: dict[str, str] = {}
    stored = _rows_by_id(agreement.cooperation_fields.all(), items, errors)
    names = [item.name.strip() for item in items]
    for index, name in enumerate(names):
        if name and names.index(name) != index:
            errors[f"rows.{index}.name"] = _("合作领域“%(name)s”重复。") % {"name": name}
    _raise_if(errors)
    keep = {item.id for item in items if item.id is not None}
    for pk, row in stored.items():
        if pk not in keep:
            row.delete()
    # Names are unique per agreement: park the kept ones first so a swap of names is possible.
    for row in agreement.cooperation_fields.filter(pk__in=keep):
        row.name = f"~{row.pk}"
        row.save(update_fields=["name"])
    for index, item in enumerate(items):
        row = stored.get(item.id) if item.id is not None else None
        _each(
            errors,
            index,
            lambda row=row, item=item, index=index: save_field(
                user, agreement, row, name=item.name, order=index
            ),
        )
    if errors:
        transaction.set_rollback(True)
        _raise_if(errors)


@transaction.atomic
def replace_policies(user: User, agreement: Agreement, items: Sequence[PolicyItem]) -> None:
    """The shared policies become `items` (as `replace_fields`, without an order)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ensure_editable(user, agreement)
    errors: dict[str, str] = {}
    stored = _rows_by_id(agreement.policies.all(), items, errors)
    _raise_if(errors)
    keep = {item.id for item in items if item.id is not None}
    for pk, row in stored.items():
        if pk not in keep:
            row.delete()
    for index, item in enumerate(items):
        row = stored.get(item.id) if item.id is not None else None
        _each(
            errors,
            index,
            lambda row=row, item=item: save_policy(
                user, agreement, row, name=item.name, issued_by=item.issued_by, note=item.note
            ),
        )
    if errors:
        transaction.set_rollback(True)
        _raise_if(errors)
