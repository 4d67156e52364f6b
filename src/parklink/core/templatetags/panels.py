"""`{% panels obj "section" %}`: the blocks other apps registered for this record's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from parklink.core.registry import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, obj: Any, slot: str = "section") -> SafeString:
    """Render every panel registered for `obj`'s model in `slot`, in their order.

    A panel whose context function returns None shows nothing (e.g. a user who may see
    nothing of it). Each panel's template sees the page's `request`, `user` and `obj`.
    """
    request = context.get("request")
    parts: list[str] = []
    for panel in registry.panels_for(obj, slot):
        values = panel.context(request, obj) if request is not None else None
        if values is None:
            continue
        parts.append(
            render_to_string(
                panel.template,
                {"obj": obj, "panel": panel, "user": context.get("user"), **values},
                request=request,
            )
        )
    # Each part is an autoescaped template rendering.
    return mark_safe("".join(parts))
