"""`{% load columns %}`: the list columns other apps registered (core.registry.ListColumn)."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from parklink.core.registry import ListColumn
from parklink.core.templatetags.parklink import sort_link

register = template.Library()


@register.simple_tag(takes_context=True)
def column_header(context: template.Context, column: ListColumn) -> SafeString:
    """The column's `<th>`: a sort link when the column is sortable, else its label."""
    values = cast(dict[str, Any], context)  # sort_link reads it with .get, as a Context allows
    label = sort_link(values, column.sort, column.label) if column.sort else column.label
    if column.css_class:
        return format_html('<th class="{}">{}</th>', column.css_class, label)
    return format_html("<th>{}</th>", label)


@register.simple_tag(takes_context=True)
def column_cell(context: template.Context, column: ListColumn, obj: Any) -> SafeString:
    """The row's cell, rendered by the column's template (`obj`, `column`, `value`)."""
    values = {
        "obj": obj,
        "column": column,
        "value": getattr(obj, column.key, None),
        "request": context.get("request"),
        "user": context.get("user"),
    }
    # An autoescaped template rendering.
    return mark_safe(get_template(column.template).render(values))
