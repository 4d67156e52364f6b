"""分段(按年): the split changes with the years since the enterprise settled, started
production or reached full production (years 1–3 one split, 4–6 another, then all to host).

params: {"anchor": "settled" | "production" | "full_production",
         "steps": [{"years": [1, 3], "shares": {...}}, {"years": [4, 6], "shares": {...}},
                   {"years": [7, null], "shares": {"host": "1"}}],
         "before": {...}}            # optional: the split before the anchor date

A period falls in the year that its first day falls in, counted from the anchor: year 1 runs
from the anchor date to the day before its first anniversary (docs/cobuild.md). Steps start at
year 1, follow each other without gap or overlap, and only the last may be open (null).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parklink.cobuild.ledger.kinds import register
from parklink.cobuild.ledger.kinds.base import (
    ANCHOR_FIELDS,
    ANCHOR_NAMES,
    ANCHORS,
    Fixed,
    FixedSharesKind,
    NotApplicable,
    anchor_date,
    check_shares,
    is_int,
    ordered_shares,
    year_number,
)
from parklink.cobuild.ledger.types import EnterpriseFacts, Party, Period, Problem, RuleSpec


def check_anchor(params: Mapping[str, Any]) -> list[Problem]:
    if params.get("anchor") not in ANCHORS:
        return [
            Problem(
                "anchor",
                "起算点须为 入驻(settled)、投产(production)或达产(full_production)",
                "anchor must be settled, production or full_production",
            )
        ]
    return []


class Stepped(FixedSharesKind):
    code = "stepped"
    name_zh = "分段(按年)"
    name_en = "stepped by year"

    def validate(self, params: Mapping[str, Any], parties: Sequence[Party]) -> list[Problem]:
        problems = check_anchor(params)
        steps = params.get("steps")
        if not isinstance(steps, list) or not steps:
            return [*problems, Problem("steps", "须至少有一段", "must have at least one step")]
        expected = 1
        for position, step in enumerate(steps):
            where = f"steps[{position}]"
            years = step.get("years") if isinstance(step, Mapping) else None
            if not (isinstance(years, list) and len(years) == 2 and is_int(years[0])):
                problems.append(
                    Problem(f"{where}.years", "年份须写成 [起, 止]", "years must be [first, last]")
                )
                break
            first, last = years
            if first != expected:
                problems.append(
                    Problem(
                        f"{where}.years",
                        f"应从第{expected}年开始(各段须首尾相接,不重叠)",
                        f"should start at year {expected} (steps follow each other, no overlap)",
                    )
                )
            if last is None:
                if position != len(steps) - 1:
                    problems.append(
                        Problem(
                            f"{where}.years",
                            "只有最后一段可以不设终止年",
                            "only the last step may be open-ended",
                        )
                    )
                expected = -1
            elif not is_int(last) or last < first:
                problems.append(
                    Problem(f"{where}.years", "终止年不能早于起始年", "last year is before first")
                )
            else:
                expected = last + 1
            problems += check_shares(step.get("shares"), parties, f"{where}.shares")
        if "before" in params:
            problems += check_shares(params["before"], parties, "before")
        return problems

    def fixed_shares(
        self, rule: RuleSpec, facts: EnterpriseFacts, period: Period, parties: Sequence[Party]
    ) -> Fixed:
        anchor = rule.params["anchor"]
        day = anchor_date(facts, anchor)
        zh, en = ANCHOR_NAMES[anchor]
        if day is None:
            raise NotApplicable(
                Problem(
                    "anchor", f"企业 {facts.key} 没有{zh}日期", f"{facts.key} has no date of {en}"
                )
            )
        year = year_number(day, period.start)
        terms: dict[str, Any] = {"anchor": anchor, "anchor_on": day.isoformat(), "year": year}
        if year < 1:
            if "before" in rule.params:
                return "before", ordered_shares(rule.params["before"], parties), terms
            raise NotApplicable(
                Problem(
                    "before",
                    f"{period.label} 早于{zh}日期 {day},规则未约定此前的分成",
                    f"{period.label} starts before the {en} date {day}; "
                    "no split is agreed before it",
                )
            )
        for step in rule.params["steps"]:
            first, last = step["years"]
            if first <= year and (last is None or year <= last):
                return f"year-{year}", ordered_shares(step["shares"], parties), terms
        raise NotApplicable(
            Problem(
                "steps",
                f"第{year}年超出了最后一段",
                f"year {year} is beyond the last step",
            )
        )

    def reads(self, rule: RuleSpec) -> tuple[str, ...]:
        return (ANCHOR_FIELDS[rule.params["anchor"]],)


register(Stepped())
