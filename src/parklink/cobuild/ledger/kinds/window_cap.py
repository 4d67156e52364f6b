"""窗口期 + 上限 + 延长 + 期满处理 (财预〔2015〕92号, 京津冀 transferred enterprises).

The local parts of VAT, CIT and business tax are split 50:50 for 3 years after the move and
full production; the source side's total is capped at what the enterprise paid in the 3 years
before moving; if the cap is not reached in the window, the window extends by 2 years; then
the source side's share stops.

params: {"window_years": 3, "extension_years": 2,
         "shares": {"beijing": "1/2", "hebei": "1/2"},   # inside the window
         "capped_party": "beijing",
         "caps": {"E1": 300000000},                      # per enterprise, in fen
         "currency": "CNY", "basis": "迁出前三年缴纳的三税地方部分",
         "after": {"hebei": "1"},                         # after the window; also the excess
         "before": {...}}                                  # optional: before the anchor

The anchor is the later of the move (`moved_on`) and full production (`full_production_on`);
a period falls in the year its first day falls in (as for stepped rules). Inside the window
the record is split by `shares`; the capped party's part is cut to what is left of its cap and
the rest of its part (the excess) is split by `after`. In the extension years the same
happens while the cap is not reached; once it is (or after the extension) everything is split
by `after`. A refund inside the window takes the capped party's share back and frees its cap
by as much. The state carries the capped party's total per (rule, enterprise).
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
    ordered_shares,
    parse_share,
    year_number,
)
from parklink.cobuild.ledger.rounding import split_int
from parklink.cobuild.ledger.types import Allocation, Party, Problem

CURRENCIES = ("CNY",)


class WindowCap(RuleKind):
    code = "window_cap"
    name_zh = "窗口期分成(上限、延长、期满)"
    name_en = "window with a cap, an extension and a terminal action"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        problems: list[Problem] = []
        window = params.get("window_years")
        if not is_int(window) or window < 1:
            problems.append(
                Problem("window_years", "窗口期须为至少 1 年", "the window must be at least 1 year")
            )
        extension = params.get("extension_years", 0)
        if not is_int(extension) or extension < 0:
            problems.append(
                Problem(
                    "extension_years",
                    "延长期须为非负整数年",
                    "the extension must be a whole number of years, 0 or more",
                )
            )
        problems += check_shares(params.get("shares"), parties, "shares")
        capped = params.get("capped_party")
        shares = params.get("shares")
        if not isinstance(shares, Mapping) or capped not in shares:
            problems.append(
                Problem(
                    "capped_party",
                    "受上限约束的一方须在窗口期分成中",
                    "the capped party must have a share inside the window",
                )
            )
        caps = params.get("caps")
        if not isinstance(caps, Mapping) or not caps:
            problems.append(
                Problem("caps", "须列出各企业的上限(分)", "must list each enterprise's cap in fen")
            )
        else:
            for enterprise, cap in caps.items():
                if not is_int(cap) or cap < 0:
                    problems.append(
                        Problem(
                            f"caps.{enterprise}",
                            "上限须为非负整数(分)",
                            "a cap must be a whole non-negative number of fen",
                        )
                    )
        if params.get("currency") not in CURRENCIES:
            problems.append(
                Problem("currency", "上限须注明币种(CNY)", "the cap needs its currency (CNY)")
            )
        basis = params.get("basis")
        if not isinstance(basis, str) or not basis.strip():
            problems.append(
                Problem(
                    "basis",
                    "须写明上限的计算口径(如迁出前三年缴纳的税收)",
                    "the cap needs its basis (e.g. the taxes paid in the 3 years before moving)",
                )
            )
        after = params.get("after")
        problems += check_shares(after, parties, "after")
        if isinstance(after, Mapping) and capped in after and parse_share(after[capped]) != 0:
            problems.append(
                Problem(
                    "after",
                    "窗口期满后受上限约束的一方不再分享",
                    "the capped party shares nothing after the window",
                )
            )
        if "before" in params:
            problems += check_shares(params["before"], parties, "before")
        return problems

    def split(self, context: Context) -> list[Allocation]:
        params = context.rule.params
        facts = context.facts
        record = context.record
        if facts.moved_on is None or facts.full_production_on is None:
            raise NotApplicable(
                Problem(
                    "anchor",
                    f"企业 {facts.key} 缺少迁入或达产日期",
                    f"{facts.key} lacks the date it moved or reached full production",
                )
            )
        anchor = max(facts.moved_on, facts.full_production_on)
        year = year_number(anchor, context.period.start)
        terms: dict[str, Any] = {"anchor_on": anchor.isoformat(), "year": year}
        if year < 1:
            if "before" in params:
                return context.proportional(
                    record.amount,
                    ordered_shares(params["before"], context.parties),
                    "before",
                    terms,
                )
            raise NotApplicable(
                Problem(
                    "before",
                    f"{context.period.label} 早于窗口起算日 {anchor}",
                    f"{context.period.label} starts before the window opens on {anchor}",
                )
            )
        caps = params["caps"]
        if record.enterprise not in caps:
            raise NotApplicable(
                Problem(
                    "caps",
                    f"没有企业 {record.enterprise} 的上限",
                    f"no cap is given for {record.enterprise}",
                )
            )
        cap = int(caps[record.enterprise])
        capped = params["capped_party"]
        key = (context.rule.key, record.enterprise, capped)
        used = context.state.cap_used.get(key, 0)
        window = int(params["window_years"])
        extension = int(params.get("extension_years", 0))
        after = ordered_shares(params["after"], context.parties)
        terms.update(cap=cap, currency=params["currency"], cap_basis=params["basis"])
        if year <= window:
            phase = "window"
        elif year <= window + extension and used < cap:
            phase = "extension"
        else:
            return context.proportional(record.amount, after, "after-window", terms)

        shares = ordered_shares(params["shares"], context.parties)
        parts = split_int(record.amount, [share for _, share in shares])
        allocations: list[Allocation] = []
        excess = 0
        for (party, share), part in zip(shares, parts, strict=True):
            if party != capped:
                allocations.append(
                    context.allocation(party, part, phase, share, {**terms, "basis": record.amount})
                )
                continue
            if part > cap - used:
                excess = part - (cap - used)
                part = cap - used
            used += part
            context.state.cap_used[key] = used
            allocations.append(
                context.allocation(
                    party,
                    part,
                    phase,
                    share,
                    {**terms, "basis": record.amount},
                    cap_used=used,
                    cap_left=cap - used,
                )
            )
        if excess:
            allocations += context.proportional(excess, after, "over-cap", terms)
        return allocations


register(WindowCap())
