"""存量/增量: a baseline stays with the original side, the increment above it is split
(川渝高竹新区: 存量收益由原行政辖区各自分享,增量收益五五分成).

params: {"basis": "enterprise" | "park",
         "baselines": {"E1": {"year": 120000000, "quarter": 30000000}},  # basis "enterprise"
         "baseline": {"year": 900000000, "quarter": 225000000},          # basis "park"
         "original": {"E1": "guangan"},        # optional: whose stock each enterprise is
         "stock_shares": {"guangan": "1"},     # the stock's split otherwise
         "increment_shares": {"guangan": "1/2", "chongqing": "1/2"}}

The baseline is given per period length (month, quarter, year) so no proration is needed; a
period of a length without a baseline is reported, not split. Per enterprise, an enterprise
without a baseline has no stock (all of it is increment: a newcomer). A record at or below its
baseline goes all to stock; a refund (negative record) goes all to stock too. Per park, the
park's baseline is filled by the positive records in the engine's fixed order (indicator,
enterprise, record index), so the park's total stock is the baseline whenever the records
reach it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import (
    Context,
    NotApplicable,
    RuleKind,
    check_shares,
    is_int,
    ordered_shares,
    period_length,
)
from parklink.cobuild.ledger.types import Allocation, Party, Problem

LENGTHS = ("month", "quarter", "year")
LENGTH_NAMES = {"month": "月", "quarter": "季", "year": "年"}


def _check_baseline(value: object, where: str) -> list[Problem]:
    if not isinstance(value, Mapping) or not value:
        return [Problem(where, "须按期间长度给出基数", "must give the baseline per period length")]
    problems = []
    for length, amount in value.items():
        if length not in LENGTHS:
            problems.append(
                Problem(
                    f"{where}.{length}",
                    "期间长度须为 month、quarter 或 year",
                    "period length must be month, quarter or year",
                )
            )
        elif not is_int(amount) or amount < 0:
            problems.append(
                Problem(
                    f"{where}.{length}",
                    "基数须为非负整数(分)",
                    "the baseline must be a whole non-negative number of fen",
                )
            )
    return problems


class StockIncrement(RuleKind):
    code = "stock_increment"
    name_zh = "存量/增量"
    name_en = "stock and increment"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        problems: list[Problem] = []
        basis = params.get("basis")
        if basis == "enterprise":
            baselines = params.get("baselines")
            if not isinstance(baselines, Mapping):
                problems.append(
                    Problem(
                        "baselines", "须列出各企业的基数", "must list each enterprise's baseline"
                    )
                )
            else:
                for enterprise, value in baselines.items():
                    problems += _check_baseline(value, f"baselines.{enterprise}")
        elif basis == "park":
            problems += _check_baseline(params.get("baseline"), "baseline")
        else:
            problems.append(
                Problem(
                    "basis",
                    "基数口径须为 enterprise(按企业)或 park(按园区)",
                    "basis must be enterprise or park",
                )
            )
        known = {party.key for party in parties}
        original = params.get("original", {})
        if not isinstance(original, Mapping):
            problems.append(Problem("original", "格式不正确", "is not a table"))
        else:
            for enterprise, party in original.items():
                if party not in known:
                    problems.append(
                        Problem(
                            f"original.{enterprise}",
                            f"“{party}”不是协议的一方",
                            f"“{party}” is not a party",
                        )
                    )
        problems += check_shares(params.get("stock_shares"), parties, "stock_shares")
        problems += check_shares(params.get("increment_shares"), parties, "increment_shares")
        return problems

    def split(self, context: Context) -> list[Allocation]:
        params = context.rule.params
        record = context.record
        length = period_length(context.period)
        if params["basis"] == "enterprise":
            table = params["baselines"].get(record.enterprise)
        else:
            table = params["baseline"]
        if table is None:
            baseline = 0
        elif length is None or length not in table:
            raise NotApplicable(
                Problem(
                    "baseline",
                    f"没有与期间 {context.period.label} 长度相同的基数",
                    f"no baseline for a period as long as {context.period.label}",
                )
            )
        else:
            baseline = int(table[length])
        if params["basis"] == "park":
            key = ("park-baseline", context.rule.key)
            left = context.scratch.setdefault(key, baseline)
        else:
            left = baseline
        stock = record.amount if record.amount <= left else left
        increment = record.amount - stock
        if params["basis"] == "park" and record.amount > 0:
            context.scratch[key] = left - stock
        original = params.get("original", {}).get(record.enterprise)
        stock_shares = (
            [(original, Fraction(1))]
            if original
            else ordered_shares(params["stock_shares"], context.parties)
        )
        terms = {"baseline": baseline, "baseline_basis": params["basis"], "baseline_left": left}
        allocations: list[Allocation] = []
        if stock or not increment:
            allocations += context.proportional(stock, stock_shares, "stock", terms)
        if increment:
            allocations += context.proportional(
                increment,
                ordered_shares(params["increment_shares"], context.parties),
                "increment",
                terms,
            )
        return allocations


register(StockIncrement())
