"""Splitting a period's records by an agreement version's rules.

`split(records, facts, rules, parties, state, period=..., version_label=...)` picks for each
record the rule of its indicator with the narrowest scope that covers its enterprise
(enterprise > list > introduced_by > all), lets the rule's kind divide it, and returns the
allocations (ordered by record index, then as the kind produced them: party order), the state
after the period (a copy: the state passed in is never changed) and the records it could not
split, each with its reason. `version_label` is the agreement version as the sentences quote
it ("2": 协议第2版 / agreement v2); it is copied into every allocation's terms.

Records are processed in a fixed order, (indicator, enterprise, index), so the stateful kinds
(caps, year-to-date tiers, a park's baseline) see them in the same order on every run: the same
inputs give the same allocations, byte for byte.

Large groups of records that one rule divides by the same fixed shares (a fixed ratio, the
equity in force, one step of a stepped rule) are divided at once by `rounding.split_array`,
which gives exactly the parts the scalar rule gives.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.ledger.kinds.base import Context, NotApplicable
from parklink.cobuild.ledger.rounding import fits_int64, split_array, split_int
from parklink.cobuild.ledger.types import (
    Allocation,
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Problem,
    Record,
    RuleSpec,
    Scope,
    SplitResult,
)

SCOPE_RANK = {"enterprise": 0, "list": 1, "introduced_by": 2, "all": 3}
SCOPE_NAMES = {
    "enterprise": ("单个企业", "one enterprise"),
    "list": ("企业名单", "a named list"),
    "introduced_by": ("一方引进的企业", "enterprises introduced by a party"),
    "all": ("园区全部企业", "all enterprises in the park"),
}
# Groups at least this large take the numpy path (below it, building arrays costs more).
VECTOR_MIN = 32


class InvalidRuleSet(ValueError):
    """`split` was given rules that `validate_rule_set` refuses."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.en}" for p in problems))
        self.problems = list(problems)


def ordered_parties(parties: Sequence[Party]) -> list[Party]:
    return sorted(parties, key=lambda party: (party.order, party.key))


def validate_rule(rule: RuleSpec, parties: Sequence[Party]) -> list[Problem]:
    """The problems of one rule: its scope and its kind's parameters (fields under `params.`)."""
    problems = _scope_problems(rule.scope, parties)
    kind = KINDS.get(rule.kind)
    if kind is None:
        known = ", ".join(sorted(KINDS))
        return [
            *problems,
            Problem(
                "kind",
                f"未知的规则类型“{rule.kind}”(可选:{known})",
                f"unknown rule kind “{rule.kind}” ({known})",
            ),
        ]
    for problem in kind.validate(rule.params, ordered_parties(parties)):
        problems.append(Problem(f"params.{problem.field}", problem.zh, problem.en))
    return problems


def validate_rule_set(rules: Sequence[RuleSpec], parties: Sequence[Party]) -> list[Problem]:
    """Every rule's problems (fields prefixed `rules[<key>].`) and the ties between rules: two
    rules of one indicator whose scopes are equally narrow and cover a common enterprise."""
    problems: list[Problem] = []
    keys = [party.key for party in parties]
    if len(set(keys)) != len(keys):
        problems.append(Problem("parties", "协议各方有重复", "a party appears twice"))
    orders = [party.order for party in parties]
    if len(set(orders)) != len(orders):
        problems.append(
            Problem("parties", "各方的排序号须互不相同", "each party needs its own order number")
        )
    seen_keys: set[str] = set()
    for rule in rules:
        if rule.key in seen_keys:
            problems.append(
                Problem(f"rules[{rule.key}]", "规则编号重复", "the rule key appears twice")
            )
        seen_keys.add(rule.key)
        for problem in validate_rule(rule, parties):
            problems.append(Problem(f"rules[{rule.key}].{problem.field}", problem.zh, problem.en))
    by_level: dict[tuple[str, str], list[RuleSpec]] = defaultdict(list)
    for rule in rules:
        by_level[(rule.indicator, rule.scope.kind)].append(rule)
    for (indicator, scope_kind), group in sorted(by_level.items()):
        for position, first in enumerate(group):
            for second in group[position + 1 :]:
                common = _overlap(first.scope, second.scope)
                if common is None:
                    continue
                zh, en = SCOPE_NAMES.get(scope_kind, (scope_kind, scope_kind))
                problems.append(
                    Problem(
                        f"rules[{second.key}].scope",
                        f"与规则 {first.key} 在指标 {indicator} 上范围相同({zh}{common}),"
                        "无法确定适用哪条",
                        f"ties with rule {first.key} for {indicator} ({en}{common}): "
                        "which one applies is undecided",
                    )
                )
    return problems


def _overlap(first: Scope, second: Scope) -> str | None:
    if first.kind == "all":
        return ""
    if first.kind == "introduced_by":
        return f": {first.party}" if first.party == second.party else None
    common = sorted(first.enterprises & second.enterprises)
    return f": {', '.join(common)}" if common else None


def _scope_problems(scope: Scope, parties: Sequence[Party]) -> list[Problem]:
    if scope.kind not in SCOPE_RANK:
        return [
            Problem(
                "scope",
                "适用范围须为 all、introduced_by、list 或 enterprise",
                "scope must be all, introduced_by, list or enterprise",
            )
        ]
    if scope.kind == "introduced_by" and scope.party not in {party.key for party in parties}:
        return [
            Problem("scope.party", "引进方须为协议的一方", "the introducing party is not a party")
        ]
    if scope.kind == "list" and not scope.enterprises:
        return [Problem("scope.enterprises", "企业名单为空", "the list names no enterprise")]
    if scope.kind == "enterprise" and len(scope.enterprises) != 1:
        return [
            Problem("scope.enterprises", "须指定恰好一家企业", "must name exactly one enterprise")
        ]
    return []


def covers(scope: Scope, facts: EnterpriseFacts) -> bool:
    if scope.kind == "all":
        return True
    if scope.kind == "introduced_by":
        return facts.introduced_by == scope.party
    return facts.key in scope.enterprises


class RuleIndex:
    """The rule that applies to an (indicator, enterprise), looked up once per pair."""

    def __init__(self, rules: Sequence[RuleSpec]) -> None:
        self.by_indicator: dict[str, list[RuleSpec]] = defaultdict(list)
        for rule in rules:
            self.by_indicator[rule.indicator].append(rule)
        for group in self.by_indicator.values():
            group.sort(key=lambda rule: SCOPE_RANK[rule.scope.kind])
        self.cache: dict[tuple[str, str], RuleSpec | None] = {}

    def rule_for(self, indicator: str, facts: EnterpriseFacts) -> RuleSpec | None:
        key = (indicator, facts.key)
        if key not in self.cache:
            self.cache[key] = next(
                (
                    rule
                    for rule in self.by_indicator.get(indicator, ())
                    if covers(rule.scope, facts)
                ),
                None,
            )
        return self.cache[key]


def no_rule(record: Record) -> Problem:
    return Problem(
        "rule",
        f"指标 {record.indicator} 没有适用于企业 {record.enterprise} 的规则",
        f"no rule of {record.indicator} covers enterprise {record.enterprise}",
    )


def terms_key(terms: Mapping[str, Any]) -> str:
    """The terms as text, so records whose sentences quote different figures (each
    enterprise's anchor date) are never grouped under one of them."""
    return json.dumps(terms, sort_keys=True, default=str)


def split(
    records: Sequence[Record],
    facts: Mapping[str, EnterpriseFacts],
    rules: Sequence[RuleSpec],
    parties: Sequence[Party],
    state: LedgerState,
    *,
    period: Period,
    version_label: str,
) -> SplitResult:
    problems = validate_rule_set(rules, parties)
    if problems:
        raise InvalidRuleSet(problems)
    indexes = [record.index for record in records]
    if len(set(indexes)) != len(indexes):
        raise ValueError("two records share an index")
    ordered = ordered_parties(parties)
    working = state.copy()
    scratch: dict[Any, Any] = {}
    index = RuleIndex(rules)
    by_record: dict[int, list[Allocation]] = {}
    reasons: dict[int, Problem] = {}
    # Fixed-share groups: (rule key, step, terms) → records, split together after the loop (a
    # rule's step determines its shares: a year falls in one step, an equity date names one
    # table; the terms, e.g. the enterprise's anchor date, are quoted as they are).
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    group_shares: dict[tuple[str, str, str], tuple[list[tuple[str, Fraction]], dict[str, Any]]] = {}
    fixed_cache: dict[tuple[str, str], Any] = {}

    for record in sorted(records, key=lambda r: (r.indicator, r.enterprise, r.index)):
        enterprise = facts.get(record.enterprise) or EnterpriseFacts(key=record.enterprise)
        rule = index.rule_for(record.indicator, enterprise)
        if rule is None:
            reasons[record.index] = no_rule(record)
            continue
        kind = KINDS[rule.kind]
        try:
            cache_key = (rule.key, enterprise.key)
            if cache_key not in fixed_cache:
                try:
                    fixed_cache[cache_key] = kind.fixed_shares(rule, enterprise, period, ordered)
                except NotApplicable as exc:
                    fixed_cache[cache_key] = exc
            fixed = fixed_cache[cache_key]
            if isinstance(fixed, NotApplicable):
                raise fixed
            if fixed is not None:
                step, shares, terms = fixed
                key = (rule.key, step, terms_key(terms))
                groups[key].append(record)
                group_shares[key] = (shares, terms)
                continue
            context = Context(
                record, enterprise, rule, ordered, period, working, version_label, scratch
            )
            by_record[record.index] = kind.split(context)
        except NotApplicable as exc:
            reasons[record.index] = exc.problem

    for (rule_key, step, terms_text), members in groups.items():
        shares, terms = group_shares[(rule_key, step, terms_text)]
        by_record.update(
            _split_group(members, rule_key, step, shares, terms, period, version_label)
        )

    allocations = [alloc for idx in sorted(by_record) for alloc in by_record[idx]]
    unmatched = sorted(reasons)
    return SplitResult(
        allocations=allocations,
        state=working,
        unmatched=unmatched,
        reasons={idx: reasons[idx] for idx in unmatched},
    )


def _split_group(
    members: Sequence[Record],
    rule_key: str,
    step: str,
    shares: list[tuple[str, Fraction]],
    terms: Mapping[str, Any],
    period: Period,
    version: str,
) -> dict[int, list[Allocation]]:
    """Allocations of records split by the same fixed shares (numpy for a large group)."""
    amounts = np.fromiter((r.amount for r in members), dtype=object, count=len(members))
    fractions = [share for _, share in shares]
    parts: Any = None
    if len(members) >= VECTOR_MIN and _int64_safe(members):
        vector = amounts.astype(np.int64)
        if fits_int64(vector, fractions):
            parts = split_array(vector, fractions).tolist()
    if parts is None:
        parts = [split_int(r.amount, fractions) for r in members]
    out: dict[int, list[Allocation]] = {}
    for record, row in zip(members, parts, strict=True):
        base = {"indicator": record.indicator, "version": version, "period": period.label, **terms}
        out[record.index] = [
            Allocation(
                record=record.index,
                party=party,
                amount=int(part),
                rule=rule_key,
                step=step,
                share=share,
                terms={**base, "basis": record.amount},
            )
            for (party, share), part in zip(shares, row, strict=True)
        ]
    return out


def _int64_safe(members: Sequence[Record]) -> bool:
    limit = 1 << 62
    return all(-limit < r.amount < limit for r in members)
