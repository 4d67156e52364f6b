"""`split` over numpy columns, for a period of a million records.

The records come as columns (index, enterprise code, indicator code, amount in fen). The rule of
every (indicator, enterprise) is chosen with array operations (the `all` rule, then the
`introduced_by`, `list` and `enterprise` overrides, narrower ones written last); every record
that a rule divides by fixed shares (a fixed ratio, the equity in force, one step of a stepped
rule: `RuleKind.fixed_shares`) joins the group of its (rule, step, shares, terms), and each group is
divided at once by `rounding.split_array`. Records under the stateful kinds (caps,
year-to-date tiers, baselines, payments) go through `split.split` in its fixed order.

The parts, the state, the unmatched records and their reasons are exactly those `split` gives
for the same records (tests prove it); `ColumnResult.allocations()` gives the same
`Allocation` objects in the same order. The columns of the fast part come grouped: by group
(numbered in order of rule key, step and shares), then by input position, then party order.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.ledger.kinds.base import NotApplicable
from parklink.cobuild.ledger.packing import ColumnFacts
from parklink.cobuild.ledger.rounding import fits_int64, split_array, split_int
from parklink.cobuild.ledger.split import (
    SCOPE_RANK,
    InvalidRuleSet,
    no_rule,
    ordered_parties,
    split,
    terms_key,
    validate_rule_set,
)
from parklink.cobuild.ledger.types import (
    Allocation,
    EnterpriseFacts,
    LedgerState,
    Party,
    Period,
    Problem,
    Record,
    RuleSpec,
)

Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]

_STATEFUL = -1  # the record goes through `split`
_NO_RULE = -2
_NOT_APPLICABLE = -3


class _FactsOf(Sequence[EnterpriseFacts]):
    """The facts of `keys` in their order, each made when read (an enterprise without facts
    reads as `EnterpriseFacts(key)`, as in the mapping's path)."""

    def __init__(self, facts: ColumnFacts, keys: Sequence[str]) -> None:
        self.facts, self.keys = facts, keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, code: Any) -> Any:
        if isinstance(code, slice):
            return [self[n] for n in range(*code.indices(len(self)))]
        key = self.keys[code]
        return self.facts.get(key) or EnterpriseFacts(key=key)


def _dense(
    codes: Int64Array, members: npt.NDArray[np.intp], span: int
) -> tuple[npt.NDArray[np.intp], list[int]]:
    """(the dense number of each code, one member per distinct code in code order)."""
    if span > 4 * codes.size + 1024:
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        return inverse.reshape(-1), members[first].tolist()
    present = np.zeros(span, dtype=bool)
    present[codes] = True
    dense = np.cumsum(present) - 1
    holder = np.empty(span, dtype=np.intp)
    holder[codes] = members  # any member with that code will do: the kind reads only the code
    return dense[codes], holder[present].tolist()


@dataclass(frozen=True)
class RecordColumns:
    """A period's records as columns; `enterprise` and `indicator` are codes into the lists."""

    index: Int64Array
    enterprise: Int32Array
    indicator: Int32Array
    amount: Int64Array
    enterprises: Sequence[str]
    indicators: Sequence[str]

    @classmethod
    def from_records(cls, records: Sequence[Record]) -> RecordColumns:
        enterprises = sorted({r.enterprise for r in records})
        indicators = sorted({r.indicator for r in records})
        e_code = {key: code for code, key in enumerate(enterprises)}
        i_code = {key: code for code, key in enumerate(indicators)}
        return cls(
            index=np.array([r.index for r in records], dtype=np.int64),
            enterprise=np.array([e_code[r.enterprise] for r in records], dtype=np.int32),
            indicator=np.array([i_code[r.indicator] for r in records], dtype=np.int32),
            amount=np.array([r.amount for r in records], dtype=np.int64),
            enterprises=enterprises,
            indicators=indicators,
        )

    def records(self, positions: npt.NDArray[np.intp]) -> list[Record]:
        return [
            Record(int(i), self.enterprises[e], self.indicators[k], int(a))
            for i, e, k, a in zip(
                self.index[positions].tolist(),
                self.enterprise[positions].tolist(),
                self.indicator[positions].tolist(),
                self.amount[positions].tolist(),
                strict=True,
            )
        ]


@dataclass(frozen=True)
class Group:
    """Records one rule divides by the same shares; `terms` as `split` would quote them."""

    rule: str
    indicator: str
    step: str
    shares: tuple[tuple[str, Fraction], ...]
    terms: Mapping[str, Any]


@dataclass(frozen=True)
class AllocationColumns:
    """The fast part's allocations: one row per (record, party of its group's shares)."""

    record: Int64Array  # Record.index
    party: Int32Array  # code into `parties`
    amount: Int64Array
    basis: Int64Array  # the record's amount
    group: Int32Array  # code into `groups`
    parties: Sequence[str]
    groups: Sequence[Group]


@dataclass(frozen=True)
class ColumnResult:
    fast: AllocationColumns
    slow: Sequence[Allocation]  # the stateful kinds' allocations, as `split` gives them
    state: LedgerState
    unmatched: Sequence[int]
    reasons: Mapping[int, Problem] = field(default_factory=dict)
    period: str = ""
    version: str = ""

    def allocations(self) -> list[Allocation]:
        """Every allocation as `split` returns them (by record index, then as produced)."""
        fast = self.fast
        rows: list[tuple[int, int, Allocation]] = []
        for position, (record, party, amount, basis, group) in enumerate(
            zip(
                fast.record.tolist(),
                fast.party.tolist(),
                fast.amount.tolist(),
                fast.basis.tolist(),
                fast.group.tolist(),
                strict=True,
            )
        ):
            g = fast.groups[group]
            key = fast.parties[party]
            share = dict(g.shares)[key]
            terms = {
                "indicator": g.indicator,
                "version": self.version,
                "period": self.period,
                **g.terms,
                "basis": basis,
            }
            rows.append(
                (
                    record,
                    position,
                    Allocation(record, key, amount, g.rule, g.step, share, terms=terms),
                )
            )
        rows += [(a.record, len(rows) + n, a) for n, a in enumerate(self.slow)]
        rows.sort(key=lambda row: (row[0], row[1]))
        return [row[2] for row in rows]


def split_columns(
    columns: RecordColumns,
    facts: Mapping[str, EnterpriseFacts],
    rules: Sequence[RuleSpec],
    parties: Sequence[Party],
    state: LedgerState,
    *,
    period: Period,
    version_label: str,
) -> ColumnResult:
    problems = validate_rule_set(rules, parties)
    if problems:
        raise InvalidRuleSet(problems)
    index = columns.index
    increasing = index.size < 2 or bool(np.all(index[1:] > index[:-1]))
    if not increasing and np.unique(index).size != index.size:
        raise ValueError("two records share an index")
    ordered = ordered_parties(parties)
    party_code = {party.key: code for code, party in enumerate(ordered)}
    n_enterprises = len(columns.enterprises)
    by_column = facts if isinstance(facts, ColumnFacts) else None
    if by_column is None:
        found = list(map(facts.get, columns.enterprises))
        for code in [code for code, item in enumerate(found) if item is None]:
            found[code] = EnterpriseFacts(key=columns.enterprises[code])
        every: Sequence[EnterpriseFacts] = cast("list[EnterpriseFacts]", found)
    else:  # the facts as columns: an object only for the enterprises a group is built from
        every = _FactsOf(by_column, columns.enterprises)

    # The rule of every (indicator, enterprise): codes into `rules`, -1 for none.
    rule_table = np.full((len(columns.indicators), n_enterprises), -1, dtype=np.int32)
    introducer = np.full(n_enterprises, -1, dtype=np.int32)
    if any(rule.scope.kind == "introduced_by" for rule in rules):
        keys = (
            [f.introduced_by for f in every]
            if by_column is None
            else by_column.introducers(columns.enterprises)
        )
        introducer = np.array([party_code.get(k or "", -1) for k in keys], dtype=np.int32)
    by_breadth = sorted(
        range(len(rules)), key=lambda r: (-SCOPE_RANK[rules[r].scope.kind], rules[r].key)
    )
    for row, indicator in enumerate(columns.indicators):
        target = rule_table[row]
        for r in by_breadth:
            rule = rules[r]
            if rule.indicator != indicator:
                continue
            scope = rule.scope
            if scope.kind == "all":
                target[:] = r
            elif scope.kind == "introduced_by":
                target[introducer == party_code.get(scope.party or "", -9)] = r
            else:
                named = scope.enterprises
                codes = [code for code, key in enumerate(columns.enterprises) if key in named]
                target[np.array(codes, dtype=np.intp)] = r

    # The group of every (indicator, enterprise): a fixed-share group, or how it is handled.
    gid_table = np.full(rule_table.shape, _NO_RULE, dtype=np.int32)
    fact_cache: dict[str, tuple[Int64Array, int]] = {}

    def fact_codes(name: str) -> tuple[Int64Array, int]:
        """Each enterprise's value of a facts field as a small integer code, and their count."""
        if name not in fact_cache and by_column is not None:
            coded = by_column.codes(columns.enterprises, name)
            if coded is not None:
                fact_cache[name] = coded
        if name not in fact_cache:
            values = list(map(operator.attrgetter(name), every))
            seen = {value: code for code, value in enumerate(dict.fromkeys(values))}
            codes = np.fromiter(map(seen.__getitem__, values), dtype=np.int64, count=len(values))
            fact_cache[name] = (codes, len(seen))
        return fact_cache[name]

    group_keys: dict[tuple[str, str, tuple[tuple[str, Fraction], ...], str], int] = {}
    group_terms: dict[int, tuple[str, dict[str, Any]]] = {}
    for row in range(rule_table.shape[0]):
        present = np.bincount(rule_table[row] + 1, minlength=len(rules) + 1)[1:]
        for r in np.flatnonzero(present).tolist():
            rule = rules[r]
            kind = KINDS[rule.kind]
            members = np.flatnonzero(rule_table[row] == r)
            reads = kind.reads(rule)
            if reads is None:
                gid_table[row, members] = _STATEFUL
                continue
            if reads:
                # One code per distinct combination of the facts the kind reads.
                combined = np.zeros(members.size, dtype=np.int64)
                span = 1
                for name in reads:
                    value_codes, width = fact_codes(name)
                    combined = combined * width + value_codes[members]
                    span *= width
                inverse, representatives = _dense(combined, members, span)
            else:
                inverse = np.zeros(members.size, dtype=np.intp)
                representatives = [int(members[0])]
            gids = np.empty(len(representatives), dtype=np.int32)
            for n, code in enumerate(representatives):
                try:
                    fixed = kind.fixed_shares(rule, every[code], period, ordered)
                except NotApplicable:
                    gids[n] = _NOT_APPLICABLE
                    continue
                assert fixed is not None, f"{kind.code} reads facts but has no fixed shares"
                step, shares, terms = fixed
                key = (rule.key, step, tuple(shares), terms_key(terms))
                gids[n] = group_keys.setdefault(key, len(group_keys))
                group_terms[int(gids[n])] = (rule.indicator, terms)
            gid_table[row, members] = gids[inverse]

    # Number the groups in a fixed order (rule key, step, shares), whatever the discovery order.
    sorted_keys = sorted(
        group_keys, key=lambda k: (k[0], k[1], [(p, str(s)) for p, s in k[2]], k[3])
    )
    renumber = np.empty(len(group_keys) + 3, dtype=np.int32)
    renumber[-3:] = [_NOT_APPLICABLE, _NO_RULE, _STATEFUL]  # indexes -3, -2, -1 map to themselves
    groups: list[Group] = []
    for new, key in enumerate(sorted_keys):
        old = group_keys[key]
        renumber[old] = new
        indicator, terms = group_terms[old]
        groups.append(Group(key[0], indicator, key[1], key[2], terms))
    gid_table = renumber[gid_table]

    gid = gid_table[columns.indicator, columns.enterprise]
    order = np.argsort(gid, kind="stable")
    sorted_gid = gid[order]
    starts = np.searchsorted(sorted_gid, np.arange(-3, len(groups) + 1), side="left")

    sizes = [
        int(starts[g + 4] - starts[g + 3]) * len(group.shares) for g, group in enumerate(groups)
    ]
    rows = sum(sizes)
    out_record = np.empty(rows, dtype=np.int64)
    out_party = np.empty(rows, dtype=np.int32)
    out_amount = np.empty(rows, dtype=np.int64)
    out_basis = np.empty(rows, dtype=np.int64)
    out_group = np.empty(rows, dtype=np.int32)
    at = 0
    for g, group in enumerate(groups):
        positions = order[starts[g + 3] : starts[g + 4]]
        if positions.size == 0:
            continue
        amounts = columns.amount[positions]
        fractions = [share for _, share in group.shares]
        if fits_int64(amounts, fractions):
            parts = split_array(amounts, fractions)
        else:  # parts never exceed their amount, so they fit int64 even when products do not
            parts = np.array([split_int(a, fractions) for a in amounts.tolist()], dtype=np.int64)
        count = len(fractions)
        block = slice(at, at + sizes[g])
        out_record[block] = np.repeat(columns.index[positions], count)
        out_basis[block] = np.repeat(amounts, count)
        party_codes = np.array([party_code[p] for p, _ in group.shares], dtype=np.int32)
        out_party[block] = np.tile(party_codes, positions.size)
        out_amount[block] = parts.reshape(-1)
        out_group[block] = g
        at += sizes[g]

    reasons: dict[int, Problem] = {}
    for position in order[starts[1] : starts[2]].tolist():  # no rule
        record = columns.records(np.array([position]))[0]
        reasons[record.index] = no_rule(record)
    slow_positions = np.concatenate([order[starts[0] : starts[1]], order[starts[2] : starts[3]]])
    # Records a fixed-share kind refused are passed to `split` too: it quotes their reason.
    slow = split(
        columns.records(np.sort(slow_positions)),
        facts,
        rules,
        parties,
        state,
        period=period,
        version_label=version_label,
    )
    reasons.update(slow.reasons)
    unmatched = sorted(reasons)

    fast = AllocationColumns(
        record=out_record,
        party=out_party,
        amount=out_amount,
        basis=out_basis,
        group=out_group,
        parties=[party.key for party in ordered],
        groups=groups,
    )
    return ColumnResult(
        fast=fast,
        slow=list(slow.allocations),
        state=slow.state,
        unmatched=unmatched,
        reasons={i: reasons[i] for i in unmatched},
        period=period.label,
        version=version_label,
    )
