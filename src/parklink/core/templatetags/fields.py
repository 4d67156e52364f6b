"""`{% form_field %}`: one form field (label, input, help, errors) built in Python.

The markup is `core/_field.html`'s, which stays the reference (tests/core/test_form_field_tag.py
renders both and requires the same text). Arguments work as the template's `include ... with`
did: `field`, `wide`, `unit`, `checks`, `check` and `after` given to the tag, else read from
the surrounding context (`{% for field in form %}{% form_field %}{% endfor %}`). A page with
thirty fields spent a sixth of its time including the template thirty times.

Loaded everywhere (a builtin in settings.TEMPLATES), as the include needed no `{% load %}`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

NAMES = ("field", "wide", "unit", "checks", "check", "after")


@register.simple_tag(takes_context=True)
def form_field(context: template.Context, **given: Any) -> SafeString:
    values: dict[str, Any] = {
        name: given[name] if name in given else context.get(name) for name in NAMES
    }
    field = values["field"]
    if field is None:  # no such field on the form: nothing to show
        return mark_safe("")

    def shown(value: Any) -> str:
        return render_value_in_context(value, context)

    classes = "pl-field"
    if field.errors:
        classes += " pl-field--invalid"
    if values["wide"]:
        classes += " pl-field--wide"
    widget, label, target = shown(field), shown(field.label), shown(field.id_for_label)
    if values["check"] or (field.widget_type == "checkbox" and not values["checks"]):
        body = f'<div class="pl-checks"><label for="{target}">{widget} {label}</label></div>'
    else:
        required = (
            '<span class="pl-required" aria-hidden="true">*</span>' if field.field.required else ""
        )
        if values["unit"]:
            control = f'<div class="pl-unit">{widget}<span>{shown(values["unit"])}</span></div>'
        elif values["checks"]:
            control = f'<div class="pl-checks">{widget}</div>'
        else:
            control = widget
        body = f'\n  <label for="{target}">{label}{required}</label>\n  {control}'
    after = shown(values["after"]) if values["after"] else ""
    help_text = f'<span class="pl-field-help">{field.help_text}</span>' if field.help_text else ""
    errors = "".join(
        f'<p class="pl-field-error" role="alert">{shown(error)}</p>' for error in field.errors
    )
    return mark_safe(  # every value above is escaped as the template escapes it
        f'<div class="{classes}" data-field="{shown(field.name)}">\n  {body}\n  {after}\n  '
        f"{help_text}\n  {errors}\n</div>\n"
    )
