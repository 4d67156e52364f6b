"""按股比: the split follows the operating company's equity in force at the period's end.

params: {"equity": [{"from": "2021-01-01", "shares": {"jinniu": "51%", "shifang": "49%"}},
                    {"from": "2024-07-01", "shares": {"jinniu": "60%", "shifang": "40%"}}]}

The entry whose `from` is the latest on or before the period's last day is in force (a change
of equity in the middle of a quarter applies to the whole quarter). Before the first entry the
rule does not apply and the record is reported, not split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import (
    Fixed,
    FixedSharesKind,
    NotApplicable,
    check_shares,
    ordered_shares,
    parse_date,
)
from parklink.cobuild.ledger.types import EnterpriseFacts, Party, Period, Problem, RuleSpec


class EquityShare(FixedSharesKind):
    code = "equity_share"
    name_zh = "按股比"
    name_en = "by equity share"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        table = params.get("equity")
        if not isinstance(table, list) or not table:
            return [
                Problem("equity", "须列出股比及其生效日期", "must list the equity and its dates")
            ]
        problems: list[Problem] = []
        seen: set[object] = set()
        for position, entry in enumerate(table):
            where = f"equity[{position}]"
            if not isinstance(entry, Mapping):
                problems.append(Problem(where, "格式不正确", "is not a table"))
                continue
            day = parse_date(entry.get("from"))
            if day is None:
                problems.append(
                    Problem(f"{where}.from", "生效日期须为 YYYY-MM-DD", "from must be YYYY-MM-DD")
                )
            elif day in seen:
                problems.append(Problem(f"{where}.from", f"{day} 重复出现", f"{day} appears twice"))
            seen.add(day)
            problems += check_shares(entry.get("shares"), parties, f"{where}.shares")
        return problems

    def fixed_shares(
        self, rule: RuleSpec, facts: EnterpriseFacts, period: Period, parties: Sequence[Party]
    ) -> Fixed:
        in_force = None
        for entry in rule.params["equity"]:
            day = parse_date(entry["from"])
            assert day is not None
            if day <= period.end and (in_force is None or day > in_force[0]):
                in_force = (day, entry["shares"])
        if in_force is None:
            raise NotApplicable(
                Problem(
                    "equity",
                    f"{period.label} 期末尚无生效的股比",
                    f"no equity is in force at the end of {period.label}",
                )
            )
        day, shares = in_force
        return (
            f"equity-{day.isoformat()}",
            ordered_shares(shares, parties),
            {"equity_from": day.isoformat()},
        )

    def reads(self, rule: RuleSpec) -> tuple[str, ...]:
        return ()


register(EquityShare())
