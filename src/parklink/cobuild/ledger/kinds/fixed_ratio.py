"""固定比例: a fixed split between any number of parties (50:50, 6:4, 7:3, 4:3:3).

params: {"shares": {"jinniu": "3/5", "shifang": "2/5"}}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import Fixed, FixedSharesKind, check_shares, ordered_shares
from parklink.cobuild.ledger.types import EnterpriseFacts, Party, Period, Problem, RuleSpec


class FixedRatio(FixedSharesKind):
    code = "fixed_ratio"
    name_zh = "固定比例"
    name_en = "fixed ratio"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        return check_shares(params.get("shares"), parties, "shares")

    def fixed_shares(
        self, rule: RuleSpec, facts: EnterpriseFacts, period: Period, parties: Sequence[Party]
    ) -> Fixed:
        return "ratio", ordered_shares(rule.params["shares"], parties), {}

    def reads(self, rule: RuleSpec) -> tuple[str, ...]:
        return ()


register(FixedRatio())
