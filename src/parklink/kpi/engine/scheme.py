"""Assessment schemes as data: a versioned document of typed items, read and checked here.

A scheme document (YAML in `data/kpi/`, or saved on the scheme page) is:

    key: chenzhou-hitech            # stable across versions
    name: 郴州高新区招商项目任务考核(示例)
    illustrative: true              # weights not from a source: shown as 示例数据
    source: …                       # where the items come from
    total_cap: 100                  # the score never exceeds it (optional)
    standing: {by: score, green: 90, yellow: 75}   # 三类三色 (or by: rank, shares)
    eligibility: {registered: true, started: true, window_months: 24,
                  min_actual_investment: 10000000, ledger_before_close: true}
    parameters: {start_deadline_months: 6}
    items:
      - key: signing, label: 签约金额, type: positive, metric: signed_amount,
        target: signed_amount, weight: 30
      …

Item types (`type`):

* `positive`: a figure against its target, `weight × min(actual ÷ target, ratio_cap)`; or,
  with `per_unit`, `per_unit × figure` (a bonus per project);
* `negative`: `−per_unit × figure` (0.1 per project not started in time), never below `floor`;
* `binary`: `weight` when `rule` (JSON Logic) holds, else 0;
* `stepped`: the points of the highest band the figure (or its ratio to the target, with
  `target`) reaches: `bands: [{at_least: 0.8, points: 10}, …]`;
* `formula`: `formula` (JSON Logic over the figures and targets) gives the points.

Every item's points are then bounded by `cap` (default: its weight, for positive items) and
`floor`. Checks on reading: unknown keys and names, types, caps below floors, bands out of
order, a window above two years, divisions that may be by zero. No Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parklink.kpi.engine import formula
from parklink.kpi.engine.formula import FormulaError, number
from parklink.kpi.engine.names import ACTUALS, TARGET_KINDS, VARIABLES

ITEM_TYPES = ("positive", "negative", "binary", "stepped", "formula")
MAX_WINDOW_MONTHS = 24
ITEM_KEYS = {
    "key",
    "label",
    "type",
    "metric",
    "target",
    "weight",
    "cap",
    "floor",
    "ratio_cap",
    "per_unit",
    "rule",
    "bands",
    "formula",
    "evidence",
    "window",
    "note",
}
SCHEME_KEYS = {
    "key",
    "name",
    "version_note",
    "illustrative",
    "source",
    "total_cap",
    "standing",
    "eligibility",
    "parameters",
    "items",
    "description",
}
ELIGIBILITY_KEYS = {
    "registered",
    "started",
    "window_months",
    "min_actual_investment",
    "ledger_before_close",
    "counts_once",
}
PARAMETER_KEYS = {"start_deadline_months", "ledger_grace_days"}
WINDOWS = ("period", "year_to_date")


class SchemeError(ValueError):
    """A scheme document cannot be used; `problems` lists every reason (zh, en)."""

    def __init__(self, problems: list[FormulaError]) -> None:
        super().__init__("; ".join(p.reason_en for p in problems))
        self.problems = problems

    def messages(self, lang: str = "zh") -> list[str]:
        return [p.reason_en if lang.startswith("en") else p.reason_zh for p in self.problems]


@dataclass(frozen=True)
class Band:
    at_least: Decimal
    points: Decimal


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    type: str
    metric: str | None = None
    target: str | None = None
    weight: Decimal = Decimal(0)
    cap: Decimal | None = None
    floor: Decimal | None = None
    ratio_cap: Decimal = Decimal(1)
    per_unit: Decimal | None = None
    rule: Any = None
    bands: tuple[Band, ...] = ()
    formula: Any = None
    evidence: str = ""
    window: str = "period"
    note: str = ""


@dataclass(frozen=True)
class Eligibility:
    """When a project counts as 引进成功 (the `introduced` figure), and which projects count.

    `ledger_before_close` applies to every figure: a project entered into the library after
    the period closed (plus `ledger_grace_days`) is 突击上报 and counts nowhere.
    """

    registered: bool = False
    started: bool = False
    window_months: int = MAX_WINDOW_MONTHS
    min_actual_investment: Decimal = Decimal(0)
    ledger_before_close: bool = True
    counts_once: bool = True


@dataclass(frozen=True)
class Standing:
    by: str = "score"  # "score": thresholds on the score; "rank": shares of the ranking
    green: Decimal = Decimal(90)
    yellow: Decimal = Decimal(75)


@dataclass(frozen=True)
class Scheme:
    key: str
    name: str
    items: tuple[Item, ...]
    eligibility: Eligibility = field(default_factory=Eligibility)
    standing: Standing = field(default_factory=Standing)
    total_cap: Decimal | None = None
    illustrative: bool = False
    source: str = ""
    description: str = ""
    start_deadline_months: int = 6
    ledger_grace_days: int = 0

    @property
    def full_marks(self) -> Decimal:
        """The most the positive side can give (the sum of caps), bounded by `total_cap`."""
        total = sum((i.cap or Decimal(0) for i in self.items if (i.cap or 0) > 0), Decimal(0))
        return min(total, self.total_cap) if self.total_cap is not None else total


def _problem(zh: str, en: str) -> FormulaError:
    return FormulaError(zh, en)


def _decimal(
    raw: Mapping[str, Any], name: str, where: str, problems: list[FormulaError]
) -> Decimal | None:
    if name not in raw or raw[name] is None:
        return None
    value = raw[name]
    if isinstance(value, (bool, Mapping | list)):
        problems.append(
            _problem(f"{where}:“{name}”应为数字", f"{where}: {name!r} must be a number")
        )
        return None
    try:
        found = number(value)
    except FormulaError:
        problems.append(
            _problem(f"{where}:“{name}”应为数字", f"{where}: {name!r} must be a number")
        )
        return None
    if not found.is_finite():
        problems.append(
            _problem(f"{where}:“{name}”应为有限数字", f"{where}: {name!r} must be finite")
        )
        return None
    return found


def _unknown_keys(raw: Mapping[str, Any], allowed: set[str], where: str) -> list[FormulaError]:
    return [
        _problem(f"{where}:未知的字段“{key}”", f"{where}: unknown field {key!r}")
        for key in sorted(set(raw) - allowed, key=str)
    ]


def _item(raw: Any, index: int, problems: list[FormulaError]) -> Item | None:
    if not isinstance(raw, Mapping):
        problems.append(_problem(f"第{index}项应为一个映射", f"item {index} must be a mapping"))
        return None
    key = str(raw.get("key") or f"#{index}")
    where = f"考核项“{key}”" if "key" in raw else f"第{index}项"
    where_en = f"item {key!r}"
    found = _unknown_keys(raw, ITEM_KEYS, where)
    if "key" not in raw:
        found.append(_problem(f"{where}:缺少“key”", f"{where_en}: no key"))
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        found.append(
            _problem(
                f"{where}:类型应为 {'/'.join(ITEM_TYPES)} 之一",
                f"{where_en}: type must be one of {ITEM_TYPES}",
            )
        )
    metric = raw.get("metric")
    if metric is not None and metric not in ACTUALS:
        found.append(
            _problem(f"{where}:未知的指标“{metric}”", f"{where_en}: unknown figure {metric!r}")
        )
    target = raw.get("target")
    if target is not None and target not in TARGET_KINDS:
        found.append(
            _problem(f"{where}:未知的目标“{target}”", f"{where_en}: unknown target {target!r}")
        )
    weight = _decimal(raw, "weight", where, found) or Decimal(0)
    cap = _decimal(raw, "cap", where, found)
    floor = _decimal(raw, "floor", where, found)
    ratio_cap = _decimal(raw, "ratio_cap", where, found)
    per_unit = _decimal(raw, "per_unit", where, found)
    if weight < 0:
        found.append(
            _problem(f"{where}:权重不能为负", f"{where_en}: the weight cannot be negative")
        )
    if ratio_cap is not None and ratio_cap <= 0:
        found.append(
            _problem(f"{where}:完成率封顶应大于0", f"{where_en}: ratio_cap must be positive")
        )
    if per_unit is not None and per_unit < 0:
        found.append(
            _problem(
                f"{where}:每个项目的分值不能为负(扣分项用 negative 类型)",
                f"{where_en}: per_unit cannot be negative (use a negative item)",
            )
        )
    if kind == "positive" and cap is None:
        cap = weight if per_unit is None else None
    if kind == "positive" and per_unit is None and (metric is None or target is None):
        found.append(
            _problem(
                f"{where}:正向项需要 metric 和 target(或 per_unit)",
                f"{where_en}: a positive item needs metric and target (or per_unit)",
            )
        )
    if kind == "positive" and per_unit is not None and metric is None:
        found.append(
            _problem(f"{where}:按个计分需要 metric", f"{where_en}: per_unit needs a metric")
        )
    if kind == "negative":
        if metric is None or per_unit is None:
            found.append(
                _problem(
                    f"{where}:扣分项需要 metric 和 per_unit",
                    f"{where_en}: a negative item needs metric and per_unit",
                )
            )
        if cap is None:
            cap = Decimal(0)
    if kind == "binary":
        if raw.get("rule") is None:
            found.append(
                _problem(f"{where}:是否项需要 rule", f"{where_en}: a binary item needs a rule")
            )
        else:
            found += formula.check(raw["rule"], VARIABLES, where=where)
        if cap is None:
            cap = weight
    bands: list[Band] = []
    if kind == "stepped":
        if metric is None and raw.get("formula") is None:
            found.append(
                _problem(
                    f"{where}:分档项需要 metric 或 formula",
                    f"{where_en}: a stepped item needs a metric or a formula",
                )
            )
        raw_bands = raw.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            found.append(
                _problem(f"{where}:分档项需要 bands", f"{where_en}: a stepped item needs bands")
            )
        else:
            for number_, band in enumerate(raw_bands, 1):
                if not isinstance(band, Mapping) or set(band) - {"at_least", "points"}:
                    found.append(
                        _problem(
                            f"{where}:第{number_}档应为 {{at_least, points}}",
                            f"{where_en}: band {number_} must be {{at_least, points}}",
                        )
                    )
                    continue
                at_least = _decimal(band, "at_least", f"{where}第{number_}档", found)
                points = _decimal(band, "points", f"{where}第{number_}档", found)
                if at_least is None or points is None:
                    found.append(
                        _problem(
                            f"{where}:第{number_}档缺少 at_least 或 points",
                            f"{where_en}: band {number_} lacks at_least or points",
                        )
                    )
                    continue
                if bands and at_least <= bands[-1].at_least:
                    found.append(
                        _problem(
                            f"{where}:各档的 at_least 应从低到高排列",
                            f"{where_en}: bands must rise in at_least",
                        )
                    )
                bands.append(Band(at_least, points))
        if cap is None and bands:
            cap = max(b.points for b in bands)
    if raw.get("formula") is not None:
        found += formula.check(raw["formula"], VARIABLES, where=where)
    elif kind == "formula":
        found.append(
            _problem(f"{where}:公式项需要 formula", f"{where_en}: a formula item needs a formula")
        )
    if cap is not None and floor is not None and cap < floor:
        found.append(
            _problem(
                f"{where}:封顶分({cap})低于保底分({floor})",
                f"{where_en}: cap {cap} is below floor {floor}",
            )
        )
    if kind in ("positive",) and per_unit is None and cap is not None and cap > weight:
        found.append(
            _problem(
                f"{where}:封顶分({cap})不能高于权重({weight})",
                f"{where_en}: cap {cap} exceeds the weight {weight}",
            )
        )
    window = raw.get("window", "period")
    if window not in WINDOWS:
        found.append(
            _problem(
                f"{where}:时间范围应为 period 或 year_to_date",
                f"{where_en}: window must be period or year_to_date",
            )
        )
    problems += found
    if found:
        return None
    return Item(
        key=key,
        label=str(raw.get("label") or key),
        type=str(kind),
        metric=metric,
        target=target,
        weight=weight,
        cap=cap,
        floor=floor,
        ratio_cap=ratio_cap if ratio_cap is not None else Decimal(1),
        per_unit=per_unit,
        rule=raw.get("rule"),
        bands=tuple(bands),
        formula=raw.get("formula"),
        evidence=str(raw.get("evidence") or ""),
        window=str(window),
        note=str(raw.get("note") or ""),
    )


def _eligibility(raw: Any, problems: list[FormulaError]) -> Eligibility:
    if raw is None:
        return Eligibility()
    if not isinstance(raw, Mapping):
        problems.append(_problem("eligibility 应为一个映射", "eligibility must be a mapping"))
        return Eligibility()
    problems += _unknown_keys(raw, ELIGIBILITY_KEYS, "认定规则")
    window = raw.get("window_months", MAX_WINDOW_MONTHS)
    if (
        not isinstance(window, int)
        or isinstance(window, bool)
        or not 1 <= window <= MAX_WINDOW_MONTHS
    ):
        problems.append(
            _problem(
                f"认定规则:时限(window_months)应为1至{MAX_WINDOW_MONTHS}个月",
                f"eligibility: window_months must be 1 to {MAX_WINDOW_MONTHS}",
            )
        )
        window = MAX_WINDOW_MONTHS
    minimum = _decimal(raw, "min_actual_investment", "认定规则", problems) or Decimal(0)
    if minimum < 0:
        problems.append(
            _problem(
                "认定规则:最低实际投入不能为负",
                "eligibility: the minimum investment cannot be negative",
            )
        )
    if raw.get("counts_once", True) is not True:
        problems.append(
            _problem(
                "认定规则:一个项目只能计一次(counts_once 必须为 true)",
                "eligibility: a project counts once (counts_once must be true)",
            )
        )
    return Eligibility(
        registered=bool(raw.get("registered", False)),
        started=bool(raw.get("started", False)),
        window_months=window,
        min_actual_investment=minimum,
        ledger_before_close=bool(raw.get("ledger_before_close", True)),
    )


def _standing(raw: Any, problems: list[FormulaError]) -> Standing:
    if raw is None:
        return Standing()
    if not isinstance(raw, Mapping) or raw.get("by", "score") not in ("score", "rank"):
        problems.append(
            _problem(
                "standing 应为 {by: score|rank, green, yellow}",
                "standing must be {by: score|rank, green, yellow}",
            )
        )
        return Standing()
    by = str(raw.get("by", "score"))
    green = _decimal(raw, "green", "三色标准", problems)
    yellow = _decimal(raw, "yellow", "三色标准", problems)
    default = Standing() if by == "score" else Standing("rank", Decimal("0.3"), Decimal("0.7"))
    green = default.green if green is None else green
    yellow = default.yellow if yellow is None else yellow
    if by == "score" and yellow > green:
        problems.append(
            _problem("三色标准:黄色线不能高于绿色线", "standing: yellow must not exceed green")
        )
    if by == "rank" and not (0 < green <= yellow <= 1):
        problems.append(
            _problem(
                "三色标准:按排名时应 0 < green ≤ yellow ≤ 1",
                "standing by rank needs 0 < green ≤ yellow ≤ 1",
            )
        )
    return Standing(by, green, yellow)


def read(document: Any) -> Scheme:
    """The scheme a document describes, or SchemeError listing every problem."""
    problems: list[FormulaError] = []
    if not isinstance(document, Mapping):
        raise SchemeError([_problem("方案应为一个映射(YAML 文档)", "a scheme must be a mapping")])
    problems += _unknown_keys(document, SCHEME_KEYS, "方案")
    key = document.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append(_problem("方案缺少 key", "the scheme has no key"))
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_problem("方案缺少名称(name)", "the scheme has no name"))
    raw_items = document.get("items")
    items: list[Item] = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(
            _problem("方案至少要有一个考核项(items)", "a scheme needs at least one item")
        )
    else:
        for index, raw in enumerate(raw_items, 1):
            item = _item(raw, index, problems)
            if item is not None:
                items.append(item)
        keys = [i.key for i in items]
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(_problem(f"考核项“{dup}”重复", f"item {dup!r} appears twice"))
    total_cap = _decimal(document, "total_cap", "方案", problems)
    eligibility = _eligibility(document.get("eligibility"), problems)
    standing = _standing(document.get("standing"), problems)
    parameters = document.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        problems.append(_problem("parameters 应为一个映射", "parameters must be a mapping"))
        parameters = {}
    problems += _unknown_keys(parameters, PARAMETER_KEYS, "参数")
    deadline = parameters.get("start_deadline_months", 6)
    grace = parameters.get("ledger_grace_days", 0)
    for label, value, low, high in (
        ("start_deadline_months", deadline, 1, 60),
        ("ledger_grace_days", grace, 0, 31),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(
                _problem(
                    f"参数 {label} 应为{low}至{high}的整数",
                    f"parameter {label} must be an integer from {low} to {high}",
                )
            )
    if problems:
        raise SchemeError(problems)
    return Scheme(
        key=str(key).strip(),
        name=str(name).strip(),
        items=tuple(items),
        eligibility=eligibility,
        standing=standing,
        total_cap=total_cap,
        illustrative=bool(document.get("illustrative", False)),
        source=str(document.get("source") or ""),
        description=str(document.get("description") or ""),
        start_deadline_months=int(deadline),
        ledger_grace_days=int(grace),
    )
