"""The form renderer: Django's own, with the common widgets built in Python.

A project page carries some thirty form fields (its add and edit forms), and through the
template engine each widget costs a template lookup, a fresh context and, for a `<select>`, an
include per option: a third of the page's time. `Renderer` builds exactly the markup of
Django's templates for the plain widgets (the `<input>` family, `<textarea>`, `<select>` with
its options and groups) and hands every other template (radio and checkbox lists, the file
input, the project's own widgets such as the picker, whole forms) to the template engine as
before. `tests/core/test_form_renderer.py` renders each covered widget both ways, over awkward
values and attributes, and requires the same text; a template that overrides one of Django's
covered ones would make those tests fail rather than be skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"

# Read only by render_value_in_context: autoescape on, localisation and time zone as set.
_CONTEXT = Context()


def _shown(value: Any) -> str:
    """`{{ value }}` in a template: localised, then escaped unless already safe."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, escapes the rest."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - the filter's own formatting, tuples included
    except (TypeError, ValueError):
        text = ""
    return _shown(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - as the template
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None  # a widget with its own option template: the engine renders it
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = (
    "input",
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "checkbox",
    "search",
    "tel",
    "color",
)
BUILT: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"{WIDGETS}{name}.html": _input for name in _INPUTS},
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class Renderer(DjangoTemplates):
    """Django's template renderer, with the plain widgets built in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = BUILT.get(template_name)
        widget = context.get("widget") if build is not None else None
        if build is not None and isinstance(widget, Mapping):
            built = build(widget)
            if built is not None:
                return built  # every value in it escaped; Widget.render marks it safe
        return super().render(template_name, context, request)
