"""Template tags every page shares: amounts with units, areas, stage and colour badges."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.core.money import format_amount
from parklink.projects.lifecycle import PIPELINE, Stage
from parklink.projects.models import ProjectStage

register = template.Library()

WAN = Decimal(10_000)
# Stage → badge modifier: early talks grey, the build-out blue, production green, trouble red.
STAGE_TONES: dict[str, str] = {
    Stage.LEAD: "grey",
    Stage.NEGOTIATING: "grey",
    Stage.SIGNED: "blue",
    Stage.APPROVALS: "blue",
    Stage.STARTED: "blue",
    Stage.UNDER_CONSTRUCTION: "blue",
    Stage.COMPLETED: "blue",
    Stage.IN_PRODUCTION: "green",
    Stage.FULL_PRODUCTION: "green",
    Stage.STALLED: "yellow",
    Stage.TERMINATED: "red",
}
COLOUR_TONES: dict[str, str] = {
    "green": "green",
    "yellow": "yellow",
    "red": "red",
    "removal": "dark",
}


def colour_label(colour: str) -> str:
    labels = {"green": _("绿"), "yellow": _("黄"), "red": _("红"), "removal": _("建议出库")}
    return labels.get(colour, colour)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def amount(value: Any, places: int = 2) -> str:
    """元 → '5.6亿元' / '350万元' ('¥560 m' in English); empty values show as '—'."""
    return format_amount(_decimal(value), int(places), get_language() or "zh")


@register.filter
def wan(value: Any) -> str:
    """元 → a plain number of 万元 for form fields and tables ('350', '12.5')."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{number / WAN:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def area_m2(value: Any) -> str:
    """m² → '74.5万平方米' from 10,000 m², else '850平方米'."""
    number = _decimal(value)
    if number is None:
        return "—"
    if abs(number) >= WAN:
        text = f"{number / WAN:,.2f}".rstrip("0").rstrip(".")
        return _("%(n)s万平方米") % {"n": text}
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return _("%(n)s平方米") % {"n": text}


@register.filter
def percent(value: Any, places: int = 0) -> str:
    """0.456 → '46%'."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number * 100:.{int(places)}f}%"


@register.filter
def stage_label(code: Any) -> str:
    try:
        return str(ProjectStage(str(code)).label)
    except ValueError:
        return str(code or "—")


@register.filter
def stage_badge(code: Any) -> SafeString:
    tone = STAGE_TONES.get(str(code), "grey")
    return format_html(
        '<span class="pl-badge pl-badge--{}" data-stage="{}">{}</span>',
        tone,
        code,
        stage_label(code),
    )


@register.filter
def colour_badge(colour: Any) -> SafeString:
    if not colour:
        return format_html('<span class="pl-muted">{}</span>', "—")
    tone = COLOUR_TONES.get(str(colour), "grey")
    return format_html(
        '<span class="pl-badge pl-badge--{} pl-badge--dot" data-colour="{}">{}</span>',
        tone,
        colour,
        colour_label(str(colour)),
    )


@register.filter
def stage_step(code: Any) -> int:
    """Position of a stage on the main line (1-based), 0 when off the line."""
    try:
        return PIPELINE.index(Stage(str(code))) + 1
    except ValueError:
        return 0


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced ('' or None removes them)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], key: str, label: str) -> SafeString:
    """A column header that sorts by `key`, flipping direction when already sorted by it."""
    current = str(context.get("sort") or "")
    if current == key:
        target, arrow, state = f"-{key}", "▲", "asc"
    elif current == f"-{key}":
        target, arrow, state = key, "▼", "desc"
    else:
        target, arrow, state = f"-{key}", "", "none"
    href = query(context, sort=target, page=None)
    return format_html(
        '<a class="pl-sort pl-sort--{}" href="{}" data-sort="{}">{}<span class="pl-sort__arrow">'
        "{}</span></a>",
        state,
        href,
        key,
        label,
        arrow,
    )
