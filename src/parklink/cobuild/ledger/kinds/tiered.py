"""分档(累进): the split depends on the enterprise's year-to-date amount (e.g. the source
side's share is 50% of tax up to 1,000万元 in a year and 30% above).

params: {"tiers": [{"upto": 1000000000, "shares": {"source": "1/2", "host": "1/2"}},
                   {"upto": null, "shares": {"source": "3/10", "host": "7/10"}}]}

Tier boundaries apply to the enterprise's total of the indicator within the calendar year of
the period's start (periods do not straddle calendar years): a record is cut where it crosses a
boundary and each piece is split by its tier's shares. The state carries the year-to-date total
per (rule, enterprise, year); a refund walks it back down through the tiers it came through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import (
    Context,
    RuleKind,
    check_shares,
    is_int,
    ordered_shares,
)
from parklink.cobuild.ledger.types import Allocation, Party, Problem


class Tiered(RuleKind):
    code = "tiered"
    name_zh = "分档(累进)"
    name_en = "tiered by year-to-date amount"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        tiers = params.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            return [Problem("tiers", "须至少有一档", "must have at least one tier")]
        problems: list[Problem] = []
        previous = 0
        for position, tier in enumerate(tiers):
            where = f"tiers[{position}]"
            if not isinstance(tier, Mapping):
                problems.append(Problem(where, "格式不正确", "is not a table"))
                continue
            upto = tier.get("upto")
            last = position == len(tiers) - 1
            if upto is None and not last:
                problems.append(
                    Problem(
                        f"{where}.upto", "只有最后一档可以不设上界", "only the last tier is open"
                    )
                )
            elif upto is not None and last:
                problems.append(
                    Problem(
                        f"{where}.upto",
                        "最后一档不设上界(null)",
                        "the last tier must be open (null)",
                    )
                )
            elif upto is not None and (not is_int(upto) or upto <= previous):
                problems.append(
                    Problem(
                        f"{where}.upto",
                        "各档上界须为递增的正整数(分),档间不重叠",
                        "tier bounds must be increasing whole numbers of fen (no overlap)",
                    )
                )
            elif upto is not None:
                previous = upto
            problems += check_shares(tier.get("shares"), parties, f"{where}.shares")
        return problems

    def split(self, context: Context) -> list[Allocation]:
        record = context.record
        key = (context.rule.key, record.enterprise, str(context.period.start.year))
        before = context.state.ytd.get(key, 0)
        after = before + record.amount
        low, high = min(before, after), max(before, after)
        sign = -1 if record.amount < 0 else 1
        allocations: list[Allocation] = []
        floor: int | None = None
        for position, tier in enumerate(context.rule.params["tiers"]):
            ceiling = tier["upto"]
            top = high if ceiling is None else min(high, ceiling)
            bottom = low if floor is None else max(low, floor)
            piece = top - bottom
            inside = (floor is None or before >= floor) and (ceiling is None or before < ceiling)
            if piece > 0 or (record.amount == 0 and inside):
                allocations += context.proportional(
                    sign * max(piece, 0),
                    ordered_shares(tier["shares"], context.parties),
                    f"tier-{position + 1}",
                    {"tier_from": floor or 0, "tier_to": ceiling, "ytd_before": before},
                )
            floor = ceiling
        context.state.ytd[key] = after
        return allocations


register(Tiered())
