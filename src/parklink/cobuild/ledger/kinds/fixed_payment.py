"""固定支付: a fixed sum per year per unit to a payee first (e.g. 3万元 per greenhouse per year
to a village collective for 15 years, paid even at a loss), then the rest by a ratio.

params: {"payee": "village", "rate": 3000000,        # fen per unit per year
         "units": 10 or {"E1": 10, "E2": 4},          # per enterprise when a table
         "start": "2020-01-01", "years": 15,          # the term, from the 1st of a month
         "remainder": {"host": "1"}}                  # the split of what remains

Proration is by calendar months: after k months of the term the payee is due
floor(rate × units × k / 12) in all, and a period pays what its months add to that, so the
months of a year add up to exactly one year's payment (docs/cobuild.md). Periods are whole
months (a month, a quarter, a year). The payment does not depend on the record: when it
exceeds the record (or the record is a refund) the remainder is negative and the other parties'
parts are negative: they bear the payment between them ("even at a loss"). The parts still add
up to the record. The payment rides on the enterprise's record of the rule's indicator: with no
record in a period nothing is paid in the ledger (record a zero to pay it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import (
    Context,
    NotApplicable,
    RuleKind,
    check_shares,
    is_int,
    month_index,
    ordered_shares,
    parse_date,
    whole_months,
)
from parklink.cobuild.ledger.types import Allocation, Party, Problem


def units_for(params: Mapping[str, Any], enterprise: str) -> int | None:
    units = params["units"]
    if isinstance(units, Mapping):
        value = units.get(enterprise)
        return None if value is None else int(value)
    return int(units)


def payment_due(
    annual: int, start_month: int, months: int, first: int, last: int
) -> tuple[int, int]:
    """(payment, months) for the calendar months first..last (month indexes, inclusive)."""
    begin = min(max(first - start_month, 0), months)
    end = min(max(last + 1 - start_month, 0), months)
    return annual * end // 12 - annual * begin // 12, end - begin


class FixedPayment(RuleKind):
    code = "fixed_payment"
    name_zh = "固定支付"
    name_en = "fixed payment"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        problems: list[Problem] = []
        if params.get("payee") not in {party.key for party in parties}:
            problems.append(Problem("payee", "收款方须为协议的一方", "the payee must be a party"))
        rate = params.get("rate")
        if not is_int(rate) or rate < 0:
            problems.append(
                Problem(
                    "rate",
                    "每单位每年金额须为非负整数(分)",
                    "the yearly sum per unit must be a whole non-negative number of fen",
                )
            )
        units = params.get("units")
        values = list(units.values()) if isinstance(units, Mapping) else [units]
        if not values or not all(is_int(v) and v >= 0 for v in values):
            problems.append(
                Problem(
                    "units",
                    "单位数须为非负整数,或按企业列出",
                    "units must be a whole number, or one per enterprise",
                )
            )
        start = parse_date(params.get("start"))
        if start is None or start.day != 1:
            problems.append(
                Problem(
                    "start",
                    "起始日须为某月 1 日(YYYY-MM-01)",
                    "the term must start on the 1st of a month (YYYY-MM-01)",
                )
            )
        years = params.get("years")
        if not is_int(years) or years < 1:
            problems.append(
                Problem("years", "期限须为至少 1 年", "the term must be at least 1 year")
            )
        problems += check_shares(params.get("remainder"), parties, "remainder")
        return problems

    def split(self, context: Context) -> list[Allocation]:
        params = context.rule.params
        record = context.record
        if whole_months(context.period) is None:
            raise NotApplicable(
                Problem(
                    "period",
                    f"期间 {context.period.label} 不是整月,无法按月折算固定支付",
                    f"{context.period.label} is not whole months; the payment is prorated by month",
                )
            )
        units = units_for(params, record.enterprise)
        if units is None:
            raise NotApplicable(
                Problem(
                    "units",
                    f"没有企业 {record.enterprise} 的单位数",
                    f"no units are given for {record.enterprise}",
                )
            )
        start = parse_date(params["start"])
        assert start is not None
        rate = int(params["rate"])
        payment, months = payment_due(
            rate * units,
            month_index(start),
            12 * int(params["years"]),
            month_index(context.period.start),
            month_index(context.period.end),
        )
        remainder = ordered_shares(params["remainder"], context.parties)
        allocations: list[Allocation] = []
        if months:
            allocations.append(
                context.allocation(
                    params["payee"],
                    payment,
                    "fixed",
                    None,
                    {"rate": rate, "units": units, "months": months, "basis": payment},
                )
            )
        terms = {"payment": payment}
        allocations += context.proportional(record.amount - payment, remainder, "remainder", terms)
        return allocations


register(FixedPayment())
