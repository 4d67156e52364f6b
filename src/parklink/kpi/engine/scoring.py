"""A scheme applied to one organisation's figures: points item by item, and the total.

`score` takes the figures (name → Decimal) and targets (kind → Decimal) and returns every
item's points with its derivation (the figure, the target, the ratio, the band reached, the
bound applied), so a page shows how each point was earned. `standings` gives 三类三色 for a
ranking. Points are exact decimals rounded to two places at the end. No Django here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from parklink.kpi.engine import formula
from parklink.kpi.engine.formula import FormulaError
from parklink.kpi.engine.scheme import Item, Scheme

CENT = Decimal("0.01")
RATIO = Decimal("0.0001")
GREEN, YELLOW, RED = "green", "yellow", "red"


def rounded(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


@dataclass
class ItemScore:
    key: str
    label: str
    type: str
    points: Decimal
    value: Decimal | None = None
    target: Decimal | None = None
    ratio: Decimal | None = None
    raw_points: Decimal | None = None
    bound: str = ""  # "cap" | "floor" | ""
    steps: list[str] = field(default_factory=list)  # the derivation, one line a step
    problem: str = ""  # why the item gave nothing (a target not set, a zero divisor)
    metric: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "metric": self.metric,
            "points": str(self.points),
            "value": None if self.value is None else str(self.value),
            "target": None if self.target is None else str(self.target),
            "ratio": None if self.ratio is None else str(self.ratio),
            "raw_points": None if self.raw_points is None else str(self.raw_points),
            "bound": self.bound,
            "steps": self.steps,
            "problem": self.problem,
        }


@dataclass
class Result:
    total: Decimal
    items: list[ItemScore]
    capped: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "total": str(self.total),
            "capped": self.capped,
            "items": [i.as_json() for i in self.items],
        }


def shown(value: Decimal) -> str:
    """A decimal as a derivation shows it: 4, 0.5, 1200000 (no trailing zeros, no exponent)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _data(actuals: Mapping[str, Decimal], targets: Mapping[str, Decimal]) -> dict[str, Any]:
    return {**actuals, "target": dict(targets)}


def _bounded(item: Item, points: Decimal, score: ItemScore) -> Decimal:
    score.raw_points = points
    if item.cap is not None and points > item.cap:
        score.bound = "cap"
        score.steps.append(f"封顶 {item.cap}")
        return item.cap
    if item.floor is not None and points < item.floor:
        score.bound = "floor"
        score.steps.append(f"保底/扣分上限 {item.floor}")
        return item.floor
    return points


def _value(item: Item, data: Mapping[str, Any]) -> Decimal:
    if item.formula is not None:
        return formula.evaluate_number(item.formula, data)
    return formula.number(data.get(item.metric or ""))


def score_item(
    item: Item, actuals: Mapping[str, Decimal], targets: Mapping[str, Decimal]
) -> ItemScore:
    data = _data(actuals, targets)
    result = ItemScore(item.key, item.label, item.type, Decimal(0), metric=item.metric)
    try:
        points = _points(item, data, targets, result)
    except FormulaError as exc:
        result.problem = exc.reason_zh
        result.steps.append(f"无法计算:{exc.reason_zh},记0分")
        return result
    if points is None:
        return result
    result.points = rounded(_bounded(item, points, result))
    return result


def _points(
    item: Item, data: Mapping[str, Any], targets: Mapping[str, Decimal], result: ItemScore
) -> Decimal | None:
    if item.type == "binary":
        held = formula.evaluate_rule(item.rule, data)
        result.steps.append(f"条件{'成立' if held else '不成立'}")
        return item.weight if held else Decimal(0)
    if item.type == "formula":
        value = formula.evaluate_number(item.formula, data)
        result.value = value
        result.steps.append(f"公式得 {rounded(value, RATIO)}")
        return value
    value = _value(item, data)
    result.value = value
    if item.type == "negative":
        per = item.per_unit or Decimal(0)
        result.steps.append(f"{shown(value)} × {shown(per)} 扣分")
        return -(value * per)
    if item.type == "positive" and item.per_unit is not None:
        result.steps.append(f"{shown(value)} × {shown(item.per_unit)} 加分")
        return value * item.per_unit
    measured = value
    if item.target is not None:
        target = targets.get(item.target)
        if target is None or target <= 0:
            result.problem = "未设定目标" if target is None else "目标为零"
            result.steps.append(f"{result.problem},记0分")
            return None
        result.target = target
        measured = value / target
        result.ratio = rounded(measured, RATIO)
        result.steps.append(f"完成率 {shown(value)} ÷ {shown(target)} = {result.ratio}")
    if item.type == "positive":
        ratio = min(measured, item.ratio_cap)
        if measured > item.ratio_cap:
            result.steps.append(f"完成率封顶 {item.ratio_cap}")
        result.steps.append(f"{item.weight} × {rounded(ratio, RATIO)}")
        return item.weight * ratio
    # stepped
    reached = None
    for band in item.bands:
        if measured >= band.at_least:
            reached = band
    if reached is None:
        result.steps.append("未达到最低档,记0分")
        return Decimal(0)
    result.steps.append(f"达到 ≥{reached.at_least} 档,得 {reached.points}")
    return reached.points


def score(
    scheme: Scheme,
    actuals: Mapping[str, Decimal],
    targets: Mapping[str, Decimal],
    year_to_date: Mapping[str, Decimal] | None = None,
) -> Result:
    """The scheme's points for one organisation's figures and targets.

    Items whose `window` is `year_to_date` read `year_to_date` (the figures from the year's
    first day to the period's last), the others the period's own figures.
    """
    items = [
        score_item(
            item,
            year_to_date if item.window == "year_to_date" and year_to_date is not None else actuals,
            targets,
        )
        for item in scheme.items
    ]
    total = sum((i.points for i in items), Decimal(0))
    capped = False
    if scheme.total_cap is not None and total > scheme.total_cap:
        total, capped = scheme.total_cap, True
    return Result(rounded(total), items, capped)


def standings(scheme: Scheme, totals: Sequence[Decimal]) -> list[str]:
    """三类三色 for scores in ranking order (best first): by thresholds or by rank shares."""
    if scheme.standing.by == "score":
        return [
            GREEN if t >= scheme.standing.green else YELLOW if t >= scheme.standing.yellow else RED
            for t in totals
        ]
    count = len(totals)
    found = []
    for index, _total in enumerate(totals):
        share = Decimal(index + 1) / Decimal(count)
        found.append(
            GREEN
            if share <= scheme.standing.green
            else YELLOW
            if share <= scheme.standing.yellow
            else RED
        )
    return found


def rank(totals: Sequence[Decimal]) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of scores, in the order given."""
    ordered = sorted(totals, reverse=True)
    return [ordered.index(t) + 1 for t in totals]
