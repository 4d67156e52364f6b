"""Reading one cell of an import: text, amounts, dates, yes/no, choices, lists, industry codes.

Each parser takes the cell as the sheet holds it and returns the value, or raises `CellError`
with the reason in Chinese and in English; the engine (`core.imports`) turns that into a problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from parklink.core.money import AmountError, AmountTooLarge, parse_amount

Parser = Callable[[Any], Any]
# The amount columns hold 18 digits, two of them after the point.
MAX_AMOUNT = Decimal("9999999999999999.99")
MAX_INTEGER = 2_147_483_647  # a positive integer column on every database Django supports
GBT4754_FILE = Path(__file__).resolve().parent.parent / "data" / "gbt4754.yaml"
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗", "无"}
_LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")


class CellError(ValueError):
    """A cell that cannot be read, with the reason in Chinese and in English."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_zh)
        self.reason_zh = reason_zh
        self.reason_en = reason_en


def cell_text(value: Any) -> str:
    """A cell as the user sees it: numbers without a trailing '.0', dates as 2024-01-19."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Full-width → half-width, no spaces, lower case: how codes and labels are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def text(max_length: int | None = None) -> Parser:
    def parse(value: Any) -> str:
        result = value.strip() if value.__class__ is str else cell_text(value)
        if max_length is not None and len(result) > max_length:
            raise CellError(
                f"不能超过{max_length}个字符(实际{len(result)}个)",
                f"at most {max_length} characters (found {len(result)})",
            )
        return result

    return parse


def amount(unit: str = "万元") -> Parser:
    """An amount in 元; bare numbers are in `unit`, text may carry its own unit ("5.6亿元")."""

    def parse(value: Any) -> Decimal:
        try:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                result = parse_amount(value, unit)
            else:
                folded = unicodedata.normalize("NFKC", cell_text(value)).replace(" ", "")
                result = parse_amount(folded, unit)
        except AmountTooLarge as exc:
            raise _too_large() from exc
        except AmountError as exc:
            raise CellError(
                f"不是有效金额:请填写数字(单位{unit}),或带单位如“5.6亿元”“350万元”",
                f"not an amount: write a number in {unit}, or text with a unit "
                "such as 5.6亿元 or 350万元",
            ) from exc
        if abs(result) > MAX_AMOUNT:
            raise _too_large()
        return result

    return parse


def _too_large() -> CellError:
    return CellError(
        "金额过大,超出可记录的范围,请检查单位(元/万元/亿元)",
        "amount too large to record; check the unit (元/万元/亿元)",
    )


def integer(value: Any) -> int:
    """A whole number of at least 0 ("1,200", "1200人" and 1200.0 all read as 1200)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        folded = unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").rstrip("人")
        if not re.fullmatch(r"\s*\d+(\.0+)?\s*", folded):
            raise CellError("应为非负整数", "must be a whole number of at least 0")
        number = Decimal(folded.strip())
    if number != number.to_integral_value() or number < 0:
        raise CellError("应为非负整数", "must be a whole number of at least 0")
    if number > MAX_INTEGER:
        raise CellError(
            f"数值过大,最大为{MAX_INTEGER}", f"too large; the largest accepted is {MAX_INTEGER}"
        )
    return int(number)


def day(value: Any) -> date:
    """A date from an Excel date cell, an Excel serial number or text such as 2024年1月19日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            serial = from_excel(value)
            if isinstance(serial, datetime):
                return serial.date()
    folded = unicodedata.normalize("NFKC", cell_text(value))
    match = _DATE_TEXT.match(folded) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", folded)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        "不是有效日期,应写作 2024-01-19、2024/1/19 或 2024年1月19日",
        "not a date; write 2024-01-19, 2024/1/19 or 2024年1月19日",
    )


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(cell_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(
        "应填“是”或“否”(也可用 Y/N、1/0、true/false)",
        "must be yes or no (是/否, Y/N, 1/0, true/false)",
    )


def choice(options: Iterable[tuple[str, str]], aliases: Mapping[str, str] | None = None) -> Parser:
    """A code from `options` (code, Chinese label), given as the code, the label or an alias.

    A label with a note in brackets ("A类(成熟)") also matches without the note ("A类").
    """
    options = list(options)
    lookup: dict[str, str] = {}
    for code, label in options:
        lookup[fold(code)] = code
        lookup[fold(label)] = code
        lookup.setdefault(re.sub(r"\(.*\)$", "", fold(label)), code)
    for alias, code in (aliases or {}).items():
        lookup.setdefault(fold(alias), code)
    labels_zh = "、".join(label for _code, label in options)
    codes = ", ".join(code for code, _label in options)

    def parse(value: Any) -> str:
        found = lookup.get(fold(cell_text(value)))
        if found is None:
            raise CellError(f"应为以下之一:{labels_zh}", f"must be one of: {codes}")
        return found

    return parse


def split_list(value: Any) -> list[str]:
    """Items of a list cell separated by commas, 、, semicolons or spaces."""
    return [item for item in _LIST_SEPARATORS.split(cell_text(value)) if item]


@lru_cache(maxsize=1)
def industry_divisions() -> frozenset[str]:
    """Two-digit GB/T 4754 divisions, from data/gbt4754.yaml when it is there, else 01–97."""
    if GBT4754_FILE.exists():
        import yaml

        data = yaml.safe_load(GBT4754_FILE.read_text(encoding="utf-8")) or {}
        codes = {str(item["code"]).zfill(2) for item in data.get("divisions", [])}
        if codes:
            return frozenset(codes)
    return frozenset(f"{number:02d}" for number in range(1, 98))


def industry_code(value: Any) -> str:
    """A GB/T 4754 code of 2–4 digits ("3985", "C3985" or 39) whose division exists."""
    raw = value if isinstance(value, str) else cell_text(value)
    folded = unicodedata.normalize("NFKC", raw).strip().upper()
    if isinstance(value, int | float) and len(folded) in (1, 3):
        folded = "0" + folded  # Excel drops the leading zero of "01" or "051"
    match = re.fullmatch(r"([A-T])?\s*(\d{2,4})", folded)
    if not match:
        raise CellError(
            "行业代码应为2至4位数字(GB/T 4754),如“3985”",
            "an industry code is 2 to 4 digits (GB/T 4754), e.g. 3985",
        )
    digits = match.group(2)
    if digits[:2] not in industry_divisions():
        raise CellError(
            f"行业大类“{digits[:2]}”不存在(GB/T 4754-2017)",
            f"division {digits[:2]} does not exist in GB/T 4754-2017",
        )
    return digits
