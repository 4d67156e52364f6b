"""Policies: conditions as data, tested against real enterprises, published, matched.

A policy applies to enterprises registered inside its region (`issuer_region`), and — when a
co-built park agreement shares it (`Policy.shared_as` → cobuild's `SharedPolicy`) — to the
enterprises with a site in that agreement's parks: an enterprise of 金什合作产业园 sees the
shared policies of 金牛区 and of 什邡市. Matching reads cobuild; cobuild knows nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains.models import ChainTemplate
from parklink.chains.services.classification import placements
from parklink.cobuild.models import SharedPolicy
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.matching.models import BenefitKind, EnterpriseFigures, Policy, PolicyStatus
from parklink.matching.queries import visible_policies
from parklink.matching.scoring import eligibility as el

FREE = "free"  # 免申即享
QUICK = "quick"  # 快申快享


def get_visible(user: Any, pk: int) -> Policy:
    try:
        return visible_policies(user).select_related("issuer_region", "owner").get(pk=pk)
    except Policy.DoesNotExist:
        raise NotFound(_("政策不存在或无权查看。")) from None


def conditions_of(policy: Policy) -> list[el.Condition]:
    return el.parse_conditions(policy.conditions or [])


def benefit_of(policy: Policy) -> el.Benefit:
    return el.Benefit(
        policy.benefit_kind,
        amount=policy.benefit_amount,
        rate=policy.benefit_rate,
        base=policy.benefit_base,
        cap=policy.benefit_cap,
    )


def in_force(policy: Policy, on: date | None = None) -> bool:
    on = on or timezone.localdate()
    return (
        policy.status == PolicyStatus.PUBLISHED
        and (policy.valid_from is None or policy.valid_from <= on)
        and (policy.valid_to is None or on <= policy.valid_to)
    )


@dataclass(frozen=True)
class Readiness:
    mode: str  # FREE or QUICK
    problems: list[str]
    documents: list[str]


def readiness(policy: Policy, on: date | None = None) -> Readiness:
    """免申即享 only when every test passes (eligibility.readiness_problems); else 快申快享."""
    try:
        conditions = conditions_of(policy)
    except el.ConditionError as error:
        return Readiness(QUICK, [str(error)], list(policy.documents or []))
    problems = el.readiness_problems(conditions, benefit_of(policy), in_force(policy, on))
    return Readiness(FREE if not problems else QUICK, problems, list(policy.documents or []))


# ---------------------------------------------------------------- writes


def _validate(data: dict[str, Any]) -> None:
    try:
        el.parse_conditions(data.get("conditions", []))
    except el.ConditionError as error:
        raise Invalid.on("conditions", str(error)) from None
    kind = data.get("benefit_kind", BenefitKind.OTHER)
    if kind == BenefitKind.FIXED and data.get("benefit_amount") is None:
        raise Invalid.on("benefit_amount", _("定额兑现须填写金额(元)。"))
    if kind == BenefitKind.RATE:
        if data.get("benefit_rate") is None:
            raise Invalid.on("benefit_rate", _("按比例兑现须填写比例。"))
        base = data.get("benefit_base", "")
        if base not in el.FIELDS or el.FIELDS[base].kind != "number":
            raise Invalid.on("benefit_base", _("比例基数须为数值型企业字段。"))
    documents = data.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise Invalid.on("documents", _("申报材料应为文字列表。"))
    start, end = data.get("valid_from"), data.get("valid_to")
    if start is not None and end is not None and end < start:
        raise Invalid.on("valid_to", _("有效期止不能早于有效期起。"))


def validate(data: dict[str, Any]) -> None:
    """The checks a policy's fields pass before it is saved (pages, API and imports)."""
    _validate(data)


@transaction.atomic
def create_policy(user: User, **data: Any) -> Policy:
    ensure_can_write(user, user.organization_id)
    shared = data.pop("shared_as", [])
    _validate(data)
    owner_id = user.organization_id
    if owner_id is None:
        raise Invalid(_("用户未关联任何机构,不能起草政策。"))
    policy = Policy.objects.create(owner_id=owner_id, **data)
    if shared:
        link_shared(user, policy, shared)
    return policy


@transaction.atomic
def update_policy(user: User, policy: Policy, **changes: Any) -> Policy:
    ensure_can_write(user, policy.owner_id)
    merged = {
        "conditions": policy.conditions,
        "benefit_kind": policy.benefit_kind,
        "benefit_amount": policy.benefit_amount,
        "benefit_rate": policy.benefit_rate,
        "benefit_base": policy.benefit_base,
        "documents": policy.documents,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        **changes,
    }
    _validate(merged)
    for key, value in changes.items():
        setattr(policy, key, value)
    policy.save()
    return policy


def publish(user: User, policy: Policy) -> Policy:
    ensure_can_write(user, policy.owner_id)
    conditions = conditions_of(policy)
    if not conditions:
        raise Invalid.on("conditions", _("发布前须写明至少一个享受条件。"))
    policy.status = PolicyStatus.PUBLISHED
    policy.save(update_fields=["status", "updated_at"])
    return policy


def link_shared(user: User, policy: Policy, shared: Iterable[SharedPolicy]) -> None:
    """Tie the policy to co-built park agreements' shared policies its owner issued."""
    ensure_can_write(user, policy.owner_id)
    rows = list(shared)
    for row in rows:
        issuer = row.issued_by.organization_id if row.issued_by else None
        if not user.is_superuser and issuer != policy.owner_id:
            raise Invalid.on(
                "shared_as",
                _("共享政策“%(name)s”不是本机构在共建协议中出台的。") % {"name": row.name},
            )
    policy.shared_as.add(*rows)


# ---------------------------------------------------------------- facts


def facts(enterprises: QuerySet[Enterprise], on: date | None = None) -> dict[int, dict[str, Any]]:
    """What the conditions read about each enterprise (eligibility.FIELDS), in a few queries."""
    on = on or timezone.localdate()
    result: dict[int, dict[str, Any]] = {}
    for row in enterprises.values(
        "pk",
        "region_id",
        "industry_code",
        "is_high_tech",
        "is_specialised_sme",
        "is_above_scale",
        "is_chain_leader",
        "is_listed",
        "registered_capital",
    ):
        adcode = row["region_id"] or ""
        code = row["industry_code"] or ""
        result[row["pk"]] = {
            "province": adcode[:2] + "0000" if adcode else None,
            "city": adcode[:4] + "00" if adcode and adcode[2:4] != "00" else None,
            "county": adcode if adcode and adcode[4:] != "00" else None,
            "industry_code": code if len(code) == 4 else None,
            "industry_group": code[:3] if len(code) >= 3 else None,
            "industry_division": code[:2] if len(code) >= 2 else None,
            "is_high_tech": row["is_high_tech"],
            "is_specialised_sme": row["is_specialised_sme"],
            "is_above_scale": row["is_above_scale"],
            "is_chain_leader": row["is_chain_leader"],
            "is_listed": row["is_listed"],
            "registered_capital": row["registered_capital"],
            "parks": [],
            "segments": [],
            "revenue": None,
            "tax": None,
            "headcount": None,
            "age_years": None,
            "rnd_ratio": None,
            "project_investment": None,
        }
    ids = list(result)
    for ent, park in EnterpriseSite.objects.filter(
        enterprise_id__in=ids, park__isnull=False
    ).values_list("enterprise_id", "park_id"):
        result[ent]["parks"].append(str(park))
    templates = dict(ChainTemplate.objects.filter(owner__isnull=True).values_list("pk", "key"))
    if templates:
        for (ent, template), places in placements(
            templates, Enterprise.objects.filter(pk__in=ids)
        ).items():
            if ent in result:
                result[ent]["segments"].extend(f"{templates[template]}:{p.segment}" for p in places)
    seen: set[int] = set()
    for figures in EnterpriseFigures.objects.filter(enterprise_id__in=ids).order_by(
        "enterprise_id", "-year"
    ):
        if figures.enterprise_id in seen:
            continue
        seen.add(figures.enterprise_id)
        fact = result[figures.enterprise_id]
        fact["revenue"], fact["tax"], fact["headcount"] = (
            figures.revenue,
            figures.tax,
            figures.headcount,
        )
        if figures.founded_on:
            fact["age_years"] = (on - figures.founded_on).days // 365
    return result


def scope_q(policy: Policy) -> Q:
    """The enterprises a policy applies to: its region's, and the shared parks' tenants."""
    path = policy.issuer_region.path
    q = Q(region__path=path) | Q(region__path__startswith=path + "/")
    parks = list(
        SharedPolicy.objects.filter(pk__in=policy.shared_as.values("pk")).values_list(
            "agreement__parks", flat=True
        )
    )
    parks = [p for p in parks if p is not None]
    if parks:
        q |= Q(sites__park_id__in=parks)
    return q


def shared_origin(policy: Policy, enterprise: Enterprise) -> list[str]:
    """The agreements through which a policy reaches an enterprise outside its region."""
    parks = EnterpriseSite.objects.filter(enterprise=enterprise).values("park_id")
    return sorted(
        set(
            SharedPolicy.objects.filter(
                pk__in=policy.shared_as.values("pk"), agreement__parks__in=parks
            ).values_list("agreement__title", flat=True)
        )
    )


# ---------------------------------------------------------------- evaluation


@dataclass
class ConditionState:
    condition: el.Condition
    state: str


@dataclass
class PolicyForEnterprise:
    policy: Policy
    states: list[ConditionState]
    estimate: Decimal | None
    readiness: Readiness
    via: list[str]  # co-built agreements that share it (empty: the enterprise's own region)

    @property
    def qualifies(self) -> bool:
        return all(s.state == el.MET for s in self.states)

    @property
    def missing(self) -> int:
        return sum(1 for s in self.states if s.state != el.MET)


def evaluate(policy: Policy, fact: dict[str, Any]) -> tuple[list[ConditionState], Decimal | None]:
    states = [ConditionState(c, el.evaluate(c, fact)) for c in conditions_of(policy)]
    estimate = (
        el.estimate(benefit_of(policy), fact) if all(s.state == el.MET for s in states) else None
    )
    return states, estimate


def for_enterprise(user: Any, enterprise: Enterprise) -> list[PolicyForEnterprise]:
    """Every published policy that reaches the enterprise, with each condition's state."""
    fact = facts(Enterprise.objects.filter(pk=enterprise.pk))[enterprise.pk]
    rows: list[PolicyForEnterprise] = []
    candidates = visible_policies(user).filter(status=PolicyStatus.PUBLISHED)
    for policy in candidates.select_related("issuer_region"):
        if not Enterprise.objects.filter(scope_q(policy), pk=enterprise.pk).exists():
            continue
        states, estimate = evaluate(policy, fact)
        inside = policy.issuer_region.contains(enterprise.region)
        rows.append(
            PolicyForEnterprise(
                policy,
                states,
                estimate,
                readiness(policy),
                [] if inside else shared_origin(policy, enterprise),
            )
        )
    rows.sort(key=lambda r: (r.missing, -(r.estimate or 0), r.policy.pk))
    return rows


@dataclass
class Candidates:
    qualifying: list[tuple[Enterprise, Decimal | None]]
    one_away: list[tuple[Enterprise, el.Condition, str]]  # the condition, its state
    checked: int


def columns(fact_rows: Sequence[dict[str, Any]]) -> el.Columns:
    return el.Columns.from_facts(fact_rows)


def enterprises_for(policy: Policy, conditions: list[el.Condition] | None = None) -> Candidates:
    """Who qualifies (免申即享 candidates) and who is one condition away, vectorised."""
    conditions = conditions if conditions is not None else conditions_of(policy)
    scoped = Enterprise.objects.filter(scope_q(policy)).distinct()
    fact_map = facts(scoped)
    ids = list(fact_map)
    cols = columns([fact_map[i] for i in ids])
    compiled = [el.compile_rule(c) for c in conditions]
    tally = el.tally(compiled, cols)
    wanted = {ids[i] for i in tally.qualifying} | {ids[i] for i in tally.one_away}
    by_id = Enterprise.objects.in_bulk(list(wanted))
    benefit = benefit_of(policy)
    qualifying = [(by_id[ids[i]], el.estimate(benefit, fact_map[ids[i]])) for i in tally.qualifying]
    away: list[tuple[Enterprise, el.Condition, str]] = []
    for i, failing in zip(tally.one_away, tally.failing, strict=True):
        condition = conditions[int(failing)]
        away.append((by_id[ids[i]], condition, el.evaluate(condition, fact_map[ids[i]])))
    return Candidates(qualifying, away, len(ids))


def test_conditions(
    user: User, policy: Policy, raw: Any, enterprises: Iterable[Enterprise]
) -> list[tuple[Enterprise, list[ConditionState], bool]]:
    """The page's test: draft conditions (not saved) against chosen real enterprises."""
    ensure_can_write(user, policy.owner_id)
    try:
        conditions = el.parse_conditions(raw)
    except el.ConditionError as error:
        raise Invalid.on("conditions", str(error)) from None
    chosen = list(enterprises)
    fact_map = facts(Enterprise.objects.filter(pk__in=[e.pk for e in chosen]))
    results = []
    for enterprise in chosen:
        states = [ConditionState(c, el.evaluate(c, fact_map[enterprise.pk])) for c in conditions]
        results.append((enterprise, states, all(s.state == el.MET for s in states)))
    # the same answer as the vectorised path, or the policy could not be checked at scale
    cols = columns([fact_map[e.pk] for e in chosen])
    for index, compiled in enumerate(el.compile_rule(c) for c in conditions):
        met, known = compiled.states(cols)
        for row, (_e, states, _q) in enumerate(results):
            assert bool(met[row]) == (states[index].state == el.MET)
            assert bool(known[row]) == (states[index].state != el.UNKNOWN)
    return results


def counts(states: Sequence[ConditionState]) -> dict[str, int]:
    values = np.array([s.state for s in states], dtype=object)
    return {state: int((values == state).sum()) for state in (el.MET, el.NOT_MET, el.UNKNOWN)}
