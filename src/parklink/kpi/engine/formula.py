"""Formulas and rules of a scheme: JSON Logic (jsonlogic.com) evaluated in exact decimals.

One expression language serves the whole product: the matching app writes policy conditions
in JSON Logic, and a scheme's formulas and rules are JSON Logic too, written in the scheme's
YAML (`{"/": [{"var": "signed_amount"}, {"var": "target.signed_amount"}]}`). The library
(`panzi-json-logic`) walks the expression; this module gives it an operator table that
computes in `Decimal` (the library's own arithmetic is binary floating point) and refuses a
division by zero with the formula's name instead of a float infinity.

`check` is the static half, run when a scheme is saved: only the operators in `OPERATORS`,
only known variable names, a number of arguments each operator accepts, a literal divisor
that is not zero, and every division by a variable guarded in one of the scheme's ways
(`if` the divisor is positive, or `max` with a positive number). No Django here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from json_logic import jsonLogic

Number = Decimal


class FormulaError(ValueError):
    """A formula cannot be checked or computed; `reason_zh`/`reason_en` say why."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def number(value: Any) -> Decimal:
    """A value as an exact decimal (None and False read as 0, True as 1)."""
    if value is None or value is False:
        return Decimal(0)
    if value is True:
        return Decimal(1)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise FormulaError(f"“{value}”不是数字", f"{value!r} is not a number") from exc


def _sum(_data: Any = None, *args: Any) -> Decimal:
    return sum((number(a) for a in args), Decimal(0))


def _minus(_data: Any = None, a: Any = None, *rest: Any) -> Decimal:
    if not rest:
        return -number(a)
    return number(a) - number(rest[0])


def _times(_data: Any = None, *args: Any) -> Decimal:
    result = Decimal(1)
    for a in args:
        result *= number(a)
    return result


def _divide(_data: Any = None, a: Any = None, b: Any = None, *_ignored: Any) -> Decimal:
    divisor = number(b)
    if divisor == 0:
        raise FormulaError("除数为零", "division by zero")
    return number(a) / divisor


def _compare(test: Callable[[Decimal, Decimal], bool]) -> Callable[..., bool]:
    def compare(_data: Any = None, *args: Any) -> bool:
        values = [number(a) for a in args]
        return all(test(x, y) for x, y in itertools.pairwise(values))

    return compare


def _equal(_data: Any = None, a: Any = None, b: Any = None, *_ignored: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return number(a) == number(b)


def _not(_data: Any = None, a: Any = None, *_ignored: Any) -> bool:
    return not _truthy(a)


def _truthy(value: Any) -> bool:
    if isinstance(value, Decimal | int | float):
        return value != 0
    return bool(value)


def _var(data: Any = None, name: Any = None, default: Any = None, *_ignored: Any) -> Any:
    current = data
    for part in str(name).split("."):
        if not isinstance(current, Mapping) or part not in current:
            return default
        current = current[part]
    return current


OPERATIONS: dict[str, Callable[..., Any]] = {
    "var": _var,
    "+": _sum,
    "-": _minus,
    "*": _times,
    "/": _divide,
    "min": lambda _data=None, *args: min(number(a) for a in args),
    "max": lambda _data=None, *args: max(number(a) for a in args),
    "<": _compare(lambda x, y: x < y),
    "<=": _compare(lambda x, y: x <= y),
    ">": _compare(lambda x, y: x > y),
    ">=": _compare(lambda x, y: x >= y),
    "==": _equal,
    "!=": lambda _data=None, a=None, b=None, *_i: not _equal(None, a, b),
    "!": _not,
    "!!": lambda _data=None, a=None, *_i: _truthy(a),
}
# The library handles these itself (they decide which arguments to evaluate).
CONTROL = {"if", "and", "or"}
OPERATORS = frozenset(OPERATIONS) | CONTROL
# How many arguments each operator takes (min, max; None: any number).
ARITY: dict[str, tuple[int, int | None]] = {
    "var": (1, 2),
    "+": (1, None),
    "-": (1, 2),
    "*": (2, None),
    "/": (2, 2),
    "min": (1, None),
    "max": (1, None),
    "<": (2, 3),
    "<=": (2, 3),
    ">": (2, 2),
    ">=": (2, 2),
    "==": (2, 2),
    "!=": (2, 2),
    "!": (1, 1),
    "!!": (1, 1),
    "if": (1, None),
    "and": (1, None),
    "or": (1, None),
}


def evaluate(expression: Any, data: Mapping[str, Any]) -> Any:
    """The expression's value over `data` (names → decimals; `target` → names → decimals)."""
    try:
        return jsonLogic(expression, dict(data), OPERATIONS)
    except FormulaError:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise FormulaError(f"无法计算:{exc}", f"cannot be computed: {exc}") from exc


def evaluate_number(expression: Any, data: Mapping[str, Any]) -> Decimal:
    return number(evaluate(expression, data))


def evaluate_rule(expression: Any, data: Mapping[str, Any]) -> bool:
    return _truthy(evaluate(expression, data))


def _args(node: Mapping[str, Any]) -> tuple[str, list[Any]]:
    op = next(iter(node))
    args = node[op]
    return op, args if isinstance(args, list) else [args]


def variables(expression: Any) -> set[str]:
    """Every variable name the expression reads."""
    found: set[str] = set()
    if isinstance(expression, list):
        for item in expression:
            found |= variables(item)
    elif isinstance(expression, Mapping) and len(expression) == 1:
        op, args = _args(expression)
        if op == "var" and args and isinstance(args[0], str):
            found.add(args[0])
        else:
            for arg in args:
                found |= variables(arg)
    return found


def _positive_guard(condition: Any) -> set[str]:
    """Variables a condition proves positive: {">": [{"var": x}, 0]} (in an `and`, too)."""
    if not isinstance(condition, Mapping) or len(condition) != 1:
        return set()
    op, args = _args(condition)
    if op == "and":
        return set().union(*(_positive_guard(a) for a in args))
    if op in (">", "!=") and len(args) == 2 and _is_var(args[0]):
        try:
            if number(args[1]) >= 0 if op == ">" else number(args[1]) == 0:
                return {args[0]["var"]}
        except FormulaError:
            return set()
    if op == "<" and len(args) == 2 and _is_var(args[1]):
        try:
            if number(args[0]) >= 0:
                return {args[1]["var"]}
        except FormulaError:
            return set()
    return set()


def _is_var(node: Any) -> bool:
    return isinstance(node, Mapping) and len(node) == 1 and "var" in node


def _safe_divisor(node: Any, guarded: set[str]) -> bool:
    """A divisor that cannot be zero: a non-zero number, a guarded variable, max(…, positive)."""
    if isinstance(node, Mapping) and len(node) == 1:
        op, args = _args(node)
        if op == "var":
            return bool(args) and args[0] in guarded
        if op == "max":
            return any(_positive_literal(a) for a in args)
        if op in ("+",):
            return any(_positive_literal(a) for a in args) and all(
                _positive_literal(a) or _is_var(a) for a in args
            )
        return False
    try:
        return number(node) != 0
    except FormulaError:
        return False


def _positive_literal(node: Any) -> bool:
    if isinstance(node, (Mapping | list | str, bool)):
        return False
    try:
        return number(node) > 0
    except FormulaError:
        return False


def check(expression: Any, known: Iterable[str], *, where: str) -> list[FormulaError]:
    """Every problem of an expression: operators, arity, unknown names, unguarded division."""
    names = set(known)
    problems: list[FormulaError] = []

    def walk(node: Any, guarded: set[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, guarded)
            return
        if isinstance(node, Mapping):
            if len(node) != 1:
                problems.append(
                    FormulaError(
                        f"{where}:每个运算应只有一个运算符", f"{where}: one operator per operation"
                    )
                )
                return
            op, args = _args(node)
            if op not in OPERATORS:
                problems.append(
                    FormulaError(f"{where}:未知的运算符“{op}”", f"{where}: unknown operator {op!r}")
                )
                return
            low, high = ARITY[op]
            if len(args) < low or (high is not None and len(args) > high):
                problems.append(
                    FormulaError(
                        f"{where}:运算符“{op}”的参数个数不对({len(args)}个)",
                        f"{where}: operator {op!r} given {len(args)} argument(s)",
                    )
                )
                return
            if op == "var":
                if not isinstance(args[0], str) or args[0] not in names:
                    problems.append(
                        FormulaError(
                            f"{where}:未知的指标“{args[0]}”", f"{where}: unknown name {args[0]!r}"
                        )
                    )
                return
            if op == "/" and not _safe_divisor(args[1], guarded):
                problems.append(
                    FormulaError(
                        f"{where}:除数可能为零,请用 if 判断除数大于0,或写成 max(除数, 正数)",
                        f"{where}: the divisor may be zero; guard it with an if (> 0) or a max",
                    )
                )
            if op == "if":
                # if [cond, then, cond2, then2, ..., else]: a branch knows its condition held.
                for index, arg in enumerate(args):
                    is_then = index % 2 == 1
                    extra = _positive_guard(args[index - 1]) if is_then else set()
                    walk(arg, guarded | extra)
                return
            for arg in args:
                walk(arg, guarded)
            return
        if isinstance(node, str | bool) or node is None:
            return
        try:
            number(node)
        except FormulaError as exc:
            problems.append(FormulaError(f"{where}:{exc.reason_zh}", f"{where}: {exc.reason_en}"))

    walk(expression, set())
    return problems
