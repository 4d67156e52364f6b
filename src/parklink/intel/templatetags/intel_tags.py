"""`{% load intel_tags %}`: an item's figure with its qualifier, a stage's name."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parklink.projects.amounts import format_qualified, prefix
from parklink.projects.models import ProjectStage

register = template.Library()

KIND_LABELS: dict[str, Any] = {
    "total_investment": _("总投资"),
    "phase_investment": _("一期投资"),
    "agreed_investment": _("签约投资"),
    "funds_in_place": _("到位资金"),
    "cumulative_spend": _("累计投资"),
    "output": _("产值"),
    "revenue": _("营业收入"),
    "tax": _("税收"),
    "capacity": _("产能"),
}


@register.filter
def qualified(data: dict[str, Any]) -> str:
    """超10亿元 / 约2亿元 from an item's data (amount in 元 and its qualifier)."""
    data = data or {}
    amount = data.get("amount")
    if amount:
        return format_qualified(amount, data.get("qualifier"), language=get_language() or "zh")
    if data.get("foreign_amount"):  # a foreign figure the article gives no rate for
        words = prefix(data.get("qualifier"), get_language() or "zh")
        return f"{words}{data['foreign_amount']} {data.get('currency') or ''}".strip()
    return "—"


@register.filter
def stage_label(code: str) -> str:
    try:
        return str(ProjectStage(code).label)
    except ValueError:
        return code or "—"


@register.filter
def kind_label(code: str) -> str:
    return str(KIND_LABELS[code]) if code in KIND_LABELS else (code or "—")


FIELD_LABELS: dict[str, Any] = {
    "name": _("项目名称"),
    "enterprise": _("投资企业"),
    "amount": _("投资额"),
    "place": _("地点"),
    "park": _("园区"),
    "sector": _("产业领域"),
}


@register.filter
def field_label(code: str) -> str:
    return str(FIELD_LABELS.get(code, code))
