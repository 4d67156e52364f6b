"""Policy eligibility: conditions written in JSON Logic (jsonlogic.com), one clause each.

A policy's conditions are a list; the policy applies when every condition is met. Each
condition is `{"key", "label", "clause", "rule"}`: `rule` is a JSON Logic expression over the
enterprise facts in `FIELDS` (e.g. `{">=": [{"var": "registered_capital"}, 5000000]}`) and
`clause` quotes the sentence of the policy it comes from. Two evaluators share one meaning:

* `evaluate` (one enterprise, the page's test and its detail) runs the rule with
  `json_logic` (panzi-json-logic, the full specification);
* `compile_rule` (every enterprise at once) turns the same rule into numpy operations over
  columns, for the supported operators (`OPERATORS`); anything else is refused when the
  policy is saved, so what is published can always be checked at scale.

A condition is *unknown* for an enterprise when a fact its rule reads is missing (None, NaN,
empty); otherwise it is met or not met. No Django here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import json_logic
import numpy as np

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # "number" | "flag" | "code" | "list"
    held: bool  # the system holds it for every enterprise (免申即享 needs only held facts)


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("province", "所在省份(行政区划代码)", "code", True),
        Field("city", "所在城市(行政区划代码)", "code", True),
        Field("county", "所在区县(行政区划代码)", "code", True),
        Field("parks", "所在园区(园区编号)", "list", True),
        Field("industry_code", "行业代码(4位小类)", "code", True),
        Field("industry_group", "行业中类(3位)", "code", True),
        Field("industry_division", "行业大类(2位)", "code", True),
        Field("segments", "产业链环节(链:环节)", "list", True),
        Field("is_high_tech", "高新技术企业", "flag", True),
        Field("is_specialised_sme", "专精特新企业", "flag", True),
        Field("is_above_scale", "规上企业", "flag", True),
        Field("is_chain_leader", "链主企业", "flag", True),
        Field("is_listed", "上市企业", "flag", True),
        Field("registered_capital", "注册资本(元)", "number", True),
        Field("revenue", "上年营业收入(元)", "number", True),
        Field("tax", "上年纳税额(元)", "number", True),
        Field("headcount", "从业人数", "number", True),
        Field("age_years", "成立年限(年)", "number", True),
        Field("rnd_ratio", "研发投入占比(%)", "number", False),
        Field("project_investment", "项目固定资产投资(元)", "number", False),
    )
}

COMPARE = ("==", "!=", "===", "!==", "<", "<=", ">", ">=")
OPERATORS = ("and", "or", "!", "!!", "in", "var", *COMPARE)


class ConditionError(ValueError):
    """A condition that cannot be used; the message names the condition and why (Chinese)."""


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    clause: str
    rule: Any

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(sorted(variables(self.rule)))


def variables(rule: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(rule, dict):
        for op, args in rule.items():
            if op == "var":
                name = args[0] if isinstance(args, list) else args
                if isinstance(name, str):
                    found.add(name)
            else:
                found |= variables(args)
    elif isinstance(rule, list):
        for item in rule:
            found |= variables(item)
    return found


def _check_rule(rule: Any, where: str) -> None:
    if isinstance(rule, list):
        for item in rule:
            _check_rule(item, where)
        return
    if not isinstance(rule, dict):
        return
    if len(rule) != 1:
        raise ConditionError(f"{where}:每个运算对象只能有一个运算符,实际为 {list(rule)}")
    op, args = next(iter(rule.items()))
    if op not in OPERATORS:
        raise ConditionError(f"{where}:不支持的运算符“{op}”(可用:{'、'.join(OPERATORS)})")
    if op == "var":
        name = args[0] if isinstance(args, list) else args
        if name not in FIELDS:
            raise ConditionError(f"{where}:未知的企业字段“{name}”(可用:{'、'.join(FIELDS)})")
        return
    if op == "in":
        if not (isinstance(args, list) and len(args) == 2):
            raise ConditionError(f"{where}:in 需要两个参数")
        left, right = args
        left_var = isinstance(left, dict) and "var" in left
        right_var = isinstance(right, dict) and "var" in right
        if left_var and not isinstance(right, list):
            raise ConditionError(f"{where}:in 的第二个参数应为取值列表")
        if right_var and FIELDS[_var_name(right)].kind != "list":
            raise ConditionError(f"{where}:in 的第二个参数只能是列表字段(parks、segments)")
        if not left_var and not right_var:
            raise ConditionError(f"{where}:in 必须引用一个企业字段")
    _check_rule(args, where)


def _var_name(node: Mapping[str, Any]) -> str:
    name = node["var"]
    return str(name[0] if isinstance(name, list) else name)


def parse_conditions(data: Any) -> list[Condition]:
    """Validate a list of conditions (as stored in JSON); errors name the condition."""
    if not isinstance(data, list):
        raise ConditionError("条件应为列表")
    conditions: list[Condition] = []
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        where = f"第 {number} 个条件"
        if not isinstance(item, dict):
            raise ConditionError(f"{where}:应为对象")
        key = str(item.get("key") or "").strip()
        label = str(item.get("label") or "").strip()
        clause = str(item.get("clause") or "").strip()
        if not key:
            raise ConditionError(f"{where}:缺少 key")
        if key in seen:
            raise ConditionError(f"{where}:key “{key}”重复")
        if not label:
            raise ConditionError(f"{where}({key}):缺少 label(条件说明)")
        if not clause:
            raise ConditionError(f"{where}({key}):缺少 clause(对应的政策原文条款)")
        if "rule" not in item or not isinstance(item["rule"], dict):
            raise ConditionError(f"{where}({key}):rule 应为 JSON Logic 表达式(对象)")
        _check_rule(item["rule"], f"{where}({key})")
        if not variables(item["rule"]):
            raise ConditionError(f"{where}({key}):rule 没有引用任何企业字段")
        seen.add(key)
        conditions.append(Condition(key, label, clause, item["rule"]))
    return conditions


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value == ""


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> str:
    """MET, NOT_MET or UNKNOWN for one enterprise's facts (see module docstring)."""
    if any(_missing(facts.get(name)) for name in condition.fields):
        return UNKNOWN
    data = {name: _plain(facts.get(name)) for name in condition.fields}
    return MET if json_logic.jsonLogic(condition.rule, data) else NOT_MET


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value % 1 else int(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    return value


# ---------------------------------------------------------------- vectorised


@dataclass
class Columns:
    """Enterprise facts as arrays of one length: numbers float64 (NaN missing), flags bool,
    codes str ("" missing), lists as {value: row indices}."""

    size: int
    arrays: dict[str, np.ndarray]
    lists: dict[str, dict[str, np.ndarray]]
    list_known: dict[str, np.ndarray] | None = None  # rows where a list fact is known at all
    _cache: dict[str, Any] = dc_field(default_factory=dict, repr=False)

    def known(self, name: str) -> np.ndarray:
        """Rows where the fact is present (computed once per column)."""
        key = f"known:{name}"
        if key not in self._cache:
            self._cache[key] = self._known(name)
        return self._cache[key]

    def code_ids(self, name: str) -> tuple[np.ndarray, dict[str, int]]:
        """A code column as small integers and its vocabulary (computed once per column):
        `in` and `==` on codes become one table lookup instead of string comparisons."""
        key = f"codes:{name}"
        if key not in self._cache:
            array = self.arrays.get(name)
            if array is None:
                array = np.full(self.size, "", dtype=str)
            values, inverse = np.unique(array, return_inverse=True)
            self._cache[key] = (
                inverse.astype(np.int32),
                {str(v): i for i, v in enumerate(values)},
            )
        return self._cache[key]

    def _known(self, name: str) -> np.ndarray:
        field = FIELDS[name]
        if field.kind == "list":
            if self.list_known and name in self.list_known:
                return self.list_known[name]
            return np.ones(self.size, dtype=bool)
        array = self.arrays.get(name)
        if array is None:
            return np.zeros(self.size, dtype=bool)
        if field.kind == "number":
            return ~np.isnan(array)
        if field.kind == "code":
            return array != ""
        return np.ones(self.size, dtype=bool)

    def member(self, name: str, value: Any) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        rows = self.lists.get(name, {}).get(str(value))
        if rows is not None:
            mask[rows] = True
        return mask

    @classmethod
    def from_facts(cls, facts: Sequence[Mapping[str, Any]]) -> Columns:
        """Columns from per-enterprise dicts (tests, small sets; bulk callers build arrays)."""
        n = len(facts)
        arrays: dict[str, np.ndarray] = {}
        lists: dict[str, dict[str, list[int]]] = {}
        for name, field in FIELDS.items():
            values = [f.get(name) for f in facts]
            if field.kind == "number":
                arrays[name] = np.array(
                    [np.nan if _missing(v) else float(v or 0) for v in values],
                    dtype=np.float64,
                )
            elif field.kind == "flag":
                arrays[name] = np.array([bool(v) for v in values], dtype=bool)
            elif field.kind == "code":
                arrays[name] = np.array(["" if v is None else str(v) for v in values], dtype=str)
            else:
                index: dict[str, list[int]] = {}
                for row, v in enumerate(values):
                    for item in v or ():
                        index.setdefault(str(item), []).append(row)
                lists[name] = index
        return cls(
            n,
            arrays,
            {
                name: {k: np.array(v, dtype=np.int64) for k, v in index.items()}
                for name, index in lists.items()
            },
        )


Vector = Callable[[Columns], np.ndarray]


def _literal(value: Any) -> Vector:
    return lambda cols: value


def _compile(rule: Any) -> Vector:
    if not isinstance(rule, dict):
        return _literal(rule)
    op, args = next(iter(rule.items()))
    if op == "var":
        name = _var_name(rule)
        return lambda cols: cols.arrays[name]
    if not isinstance(args, list):
        args = [args]
    if op in ("and", "or"):
        parts = [_compile(a) for a in args]
        combine = np.logical_and if op == "and" else np.logical_or

        def logical(cols: Columns) -> np.ndarray:
            result = np.asarray(parts[0](cols), dtype=bool)
            for part in parts[1:]:
                result = combine(result, np.asarray(part(cols), dtype=bool))
            return result

        return logical
    if op == "!":
        inner = _compile(args[0])
        return lambda cols: ~np.asarray(inner(cols), dtype=bool)
    if op == "!!":
        inner = _compile(args[0])
        return lambda cols: np.asarray(inner(cols), dtype=bool)
    if op == "in":
        left, right = args
        if isinstance(right, dict):  # a literal in a list fact
            name = _var_name(right)
            return lambda cols: cols.member(name, left)
        if _is_code_var(left):
            return _code_match(_var_name(left), list(right), negate=False)
        values = list(right)
        get = _compile(left)
        return lambda cols: np.isin(get(cols), np.array(values, dtype=_dtype(values)))
    if op in ("==", "===", "!=", "!==") and len(args) == 2:
        left, right = args
        if _is_code_var(left) and not isinstance(right, (dict, list)):
            return _code_match(_var_name(left), [right], negate=op in ("!=", "!=="))
        if _is_code_var(right) and not isinstance(left, (dict, list)):
            return _code_match(_var_name(right), [left], negate=op in ("!=", "!=="))
    parts = [_compile(a) for a in args]
    ufunc = {
        "==": np.equal,
        "===": np.equal,
        "!=": np.not_equal,
        "!==": np.not_equal,
        "<": np.less,
        "<=": np.less_equal,
        ">": np.greater,
        ">=": np.greater_equal,
    }[op]
    if len(parts) == 3 and op in ("<", "<="):  # between: a < b < c

        def between(cols: Columns) -> np.ndarray:
            a, b, c = (p(cols) for p in parts)
            return np.logical_and(ufunc(a, b), ufunc(b, c))

        return between
    first, second = parts
    return lambda cols: np.asarray(ufunc(first(cols), second(cols)), dtype=bool)


def _is_code_var(node: Any) -> bool:
    return isinstance(node, dict) and "var" in node and FIELDS[_var_name(node)].kind == "code"


def _code_match(name: str, values: list[Any], negate: bool) -> Vector:
    def run(cols: Columns) -> np.ndarray:
        ids, vocabulary = cols.code_ids(name)
        table = np.zeros(len(vocabulary) + 1, dtype=bool)
        for value in values:
            found = vocabulary.get(str(value))
            if found is not None:
                table[found] = True
        hit = table[ids]
        return ~hit if negate else hit

    return run


def _dtype(values: list[Any]) -> Any:
    if all(isinstance(v, bool) for v in values):
        return bool
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.float64
    return str


@dataclass(frozen=True)
class Compiled:
    condition: Condition
    value: Vector

    def states(self, cols: Columns) -> tuple[np.ndarray, np.ndarray]:
        """(met, known) boolean arrays; not met = known & ~met."""
        known = np.ones(cols.size, dtype=bool)
        for name in self.condition.fields:
            known &= cols.known(name)
        with np.errstate(invalid="ignore"):
            met = np.broadcast_to(np.asarray(self.value(cols), dtype=bool), (cols.size,))
        return met & known, known


def compile_rule(condition: Condition) -> Compiled:
    return Compiled(condition, _compile(condition.rule))


@dataclass
class PolicyTally:
    qualifying: np.ndarray  # row indices meeting every condition
    one_away: np.ndarray  # row indices with exactly one condition not met or unknown
    failing: np.ndarray  # for each one_away row, the index of its missing condition


def tally(
    compiled: Sequence[Compiled], cols: Columns, scope: np.ndarray | None = None
) -> PolicyTally:
    """Who qualifies for one policy (all conditions met) and who is one condition away."""
    short = np.zeros(cols.size, dtype=np.uint8)
    met_all: list[np.ndarray] = []
    for item in compiled:
        met, _known = item.states(cols)
        met_all.append(met)
        short += (~met).view(np.uint8)
    if scope is not None:
        short[~scope] = 255
    one_away = np.flatnonzero(short == 1)
    if met_all and len(one_away):
        failing = np.argmin(np.stack([met[one_away] for met in met_all]), axis=0)
    else:
        failing = np.zeros(0, dtype=np.int64)
    return PolicyTally(qualifying=np.flatnonzero(short == 0), one_away=one_away, failing=failing)


# ---------------------------------------------------------------- benefit and readiness


@dataclass(frozen=True)
class Benefit:
    kind: str  # "fixed" (amount) | "rate" (rate × base, up to cap) | "other" (not money)
    amount: Decimal | None = None  # 元
    rate: Decimal | None = None  # a fraction: 0.05 = 5%
    base: str = ""  # a FIELDS number (元) the rate applies to
    cap: Decimal | None = None  # 元

    @property
    def determinate(self) -> bool:
        if self.kind == "fixed":
            return self.amount is not None
        if self.kind == "rate":
            return self.rate is not None and self.base in FIELDS and FIELDS[self.base].held
        return False


CENT = Decimal("0.01")


def estimate(benefit: Benefit, facts: Mapping[str, Any]) -> Decimal | None:
    """The benefit in 元 for one enterprise (exact, to the fen); None when indeterminate."""
    if benefit.kind == "fixed":
        return benefit.amount
    if benefit.kind == "rate" and benefit.rate is not None:
        base = facts.get(benefit.base)
        if _missing(base):
            return None
        value = (Decimal(str(base)) * benefit.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        if benefit.cap is not None:
            value = min(value, benefit.cap)
        return value
    return None


def readiness_problems(
    conditions: Iterable[Condition], benefit: Benefit, in_force: bool
) -> list[str]:
    """Why a policy is not 免申即享-ready (empty: it is): the issue's four tests, in order."""
    conditions = list(conditions)
    problems: list[str] = []
    if not conditions:
        problems.append("未写明享受对象的条件")
    undeclared = sorted({name for c in conditions for name in c.fields if not FIELDS[name].held})
    if undeclared:
        names = "、".join(FIELDS[n].label for n in undeclared)
        problems.append(f"部分条件需企业申报数据:{names}")
    if not benefit.determinate:
        problems.append("兑现金额无法直接确定")
    if not in_force:
        problems.append("政策不在有效期内或未发布")
    return problems
