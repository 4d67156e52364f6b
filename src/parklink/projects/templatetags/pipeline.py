"""`{% load pipeline %}`: the projects' stage and ageing-colour badges on any page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from parklink.projects.lifecycle import PIPELINE, Stage
from parklink.projects.models import ProjectStage

register = template.Library()

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
    "stalled": "grey",  # its own standing, never green
}


def colour_label(colour: str) -> str:
    labels = {
        "green": _("绿"),
        "yellow": _("黄"),
        "red": _("红"),
        "removal": _("建议出库"),
        "stalled": _("停滞"),
    }
    return labels.get(colour, colour)


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
