"""The arithmetic of an allocation as a sentence, in Chinese and in English.

"增值税地方留成 1,234,567.89 元 × 50% = 617,283.95 元(协议第2版,2025Q1,第2年,窗口内,上限剩余
82,716.05 元)". Amounts are formatted from integer fen with integer arithmetic (no floats), the
share as an exact percentage; everything quoted comes from the allocation and its `terms`.
The version label is the one `split` was given (e.g. "2": 协议第2版 / agreement v2).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from parklink.cobuild.ledger.kinds.base import ANCHOR_NAMES, fmt_percent
from parklink.cobuild.ledger.types import Allocation

INDICATORS: dict[str, tuple[str, str]] = {
    "vat_local": ("增值税地方留成", "VAT, local retained part"),
    "cit_local": ("企业所得税地方分享部分", "corporate income tax, local part"),
    "iit_local": ("个人所得税地方部分", "individual income tax, local part"),
    "other_tax": ("其他地方税收", "other local taxes"),
    "output": ("工业总产值", "industrial output value"),
    "value_added": ("增加值", "value added"),
    "fai": ("固定资产投资", "fixed-asset investment"),
    "land_revenue": ("土地出让收益", "land revenue"),
    "jobs": ("就业人数", "jobs"),
}
PERSON_INDICATORS = frozenset({"jobs"})


def format_fen(fen: int) -> str:
    """1234567 → "12,345.67" exactly (integer fen, no floats)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def format_amount(value: int, indicator: str, lang: str) -> str:
    if indicator in PERSON_INDICATORS:
        return f"{value:,} 人" if lang == "zh" else f"{value:,} persons"
    return f"{format_fen(value)} 元" if lang == "zh" else f"CNY {format_fen(value)}"


def indicator_name(indicator: str, lang: str) -> str:
    zh, en = INDICATORS.get(indicator, (indicator, indicator))
    return zh if lang == "zh" else en


def _step_note(step: str, terms: dict[str, Any], lang: str) -> list[str]:
    zh = lang == "zh"
    notes: list[str] = []
    year = terms.get("year")
    if step.startswith("year-") or (year is not None and step in {"window", "extension"}):
        notes.append(f"第{year}年" if zh else f"year {year}")
    if step == "ratio":
        notes.append("固定比例" if zh else "fixed ratio")
    elif step.startswith("equity-"):
        day = terms.get("equity_from", step[len("equity-") :])
        notes.append(f"{day} 起的股比" if zh else f"equity from {day}")
    elif step == "before":
        name_zh, name_en = ANCHOR_NAMES.get(str(terms.get("anchor")), ("起算", "the anchor"))
        notes.append(f"{name_zh}之前" if zh else f"before {name_en}")
    elif step in WORDS:
        notes.append(WORDS[step][0 if zh else 1])
    elif step.startswith("tier-"):
        low, high = terms.get("tier_from") or 0, terms.get("tier_to")
        ind = str(terms.get("indicator", ""))
        low_zh, low_en = format_amount(low, ind, "zh"), format_amount(low, ind, "en")
        if high is None:
            span_zh, span_en = f"全年累计 {low_zh} 以上", f"year to date above {low_en}"
        else:
            high_zh, high_en = format_amount(high, ind, "zh"), format_amount(high, ind, "en")
            span_zh = f"全年累计 {low_zh} 至 {high_zh}"
            span_en = f"year to date {low_en} to {high_en}"
        number = step[len("tier-") :]
        notes.append(f"第{number}档,{span_zh}" if zh else f"tier {number}, {span_en}")
    else:
        notes.append(step)
    return notes


WORDS = {
    "window": ("窗口内", "within the window"),
    "extension": ("延长期内", "in the extension"),
    "after-window": ("窗口期满后", "after the window"),
    "over-cap": ("超出上限部分", "above the cap"),
    "stock": ("存量部分", "stock"),
    "increment": ("增量部分", "increment"),
    "fixed": ("固定支付", "fixed payment"),
    "remainder": ("固定支付后的余额", "remainder after the fixed payment"),
}


def sentence(allocation: Allocation, lang: str = "zh") -> str:
    """The allocation's arithmetic in `lang` ("zh" or "en")."""
    zh = lang == "zh"
    terms = dict(allocation.terms)
    indicator = str(terms.get("indicator", ""))
    version = terms.get("version", "")
    notes = [f"协议第{version}版" if zh else f"agreement v{version}"]
    if terms.get("period"):
        notes.append(str(terms["period"]))
    notes += _step_note(allocation.step, terms, lang)
    if allocation.cap_left is not None:
        left = format_amount(allocation.cap_left, indicator, lang)
        notes.append(f"上限剩余 {left}" if zh else f"cap left {left}")
    amount = format_amount(allocation.amount, indicator, lang)
    name = indicator_name(indicator, lang)
    if allocation.share is None:
        arithmetic = _payment(terms, indicator, lang)
    else:
        basis = format_amount(int(terms.get("basis", 0)), indicator, lang)
        arithmetic = f"{basis} × {fmt_percent(Fraction(allocation.share))}"
    joined = ",".join(notes) if zh else ", ".join(notes)
    if zh:
        return f"{name} {arithmetic} = {amount}({joined})"
    return f"{name}: {arithmetic} = {amount} ({joined})"


def _payment(terms: dict[str, Any], indicator: str, lang: str) -> str:
    rate = format_amount(int(terms.get("rate", 0)), indicator, lang)
    units = terms.get("units", 1)
    months = terms.get("months", 12)
    if lang == "zh":
        return f"{units} × {rate}/年 × {months}/12"
    return f"{units} × {rate} a year × {months}/12"
