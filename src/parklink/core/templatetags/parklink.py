"""Template tags every page shares (`{% load parklink %}`): amounts, areas, percentages, links.

Tags that speak one app's vocabulary live in that app: the projects' stage and colour badges
are `{% load pipeline %}`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.core.money import WAN, format_amount
from parklink.core.sources import Document, document

register = template.Library()


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


@register.simple_tag
def cited_document(name: str) -> Document | None:
    """`{% cited_document source.document as doc %}`: its title and date, or None (file name)."""
    return document(str(name or ""))
