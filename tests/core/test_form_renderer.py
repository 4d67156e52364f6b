"""The form renderer builds the plain widgets in Python: the same text as Django's templates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from parklink.core.form_renderer import BUILT, Renderer

AWKWARD = [
    'a "quoted" <b>&amp;</b>',
    "多行\n文本 ' 引号",
    mark_safe("<i>safe</i>"),
    "",
    "0",
    0,
    12345,
]
ATTRS: list[dict[str, Any]] = [
    {},
    {"class": "pl-input", "required": True, "disabled": False, "maxlength": 100},
    {"placeholder": gettext_lazy("搜索"), "data-x": 'a"b<c>', "min": Decimal("1.50"), "n": None},
    {"aria-label": mark_safe("<safe>"), "autofocus": True, "step": 0.5},
]
CHOICES: list[Any] = [
    [("", "全部"), ("a", "甲"), ("b", 'B "&" <c>'), (3, 3), (Decimal("1.5"), gettext_lazy("项目"))],
    [
        ("组一", [("1", "一"), ("2", "二")]),
        ("x", "单独"),
        ("组<二>", [("3", mark_safe("<b>三</b>"))]),
    ],
    [],
]


def both(widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any] | None = None) -> None:
    templates = widget.render(name, value, attrs, renderer=DjangoTemplates())
    built = widget.render(name, value, attrs, renderer=Renderer())
    assert built == templates


INPUTS = [
    forms.TextInput(),
    forms.TextInput(attrs={"type": "search"}),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.URLInput(),
    forms.PasswordInput(render_value=True),
    forms.PasswordInput(),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.DateTimeInput(),
    forms.TimeInput(),
    forms.CheckboxInput(),
    forms.SearchInput(),
    forms.TelInput(),
    forms.ColorInput(),
    forms.Textarea(),
    forms.Textarea(attrs={"rows": 3}),
]


@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", ATTRS)
def test_inputs_and_textareas_read_as_the_templates_write_them(
    widget: forms.Widget, attrs: dict[str, Any]
) -> None:
    values: list[Any] = [*AWKWARD, None, True, False, datetime.date(2025, 3, 21)]
    values.append(datetime.datetime(2025, 3, 21, 9, 30))
    for value in values:
        both(widget, "field-name", value, attrs)
        both(widget, 'odd"<name>', value, attrs)


@pytest.mark.parametrize("choices", CHOICES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_selects_with_groups_and_awkward_labels_read_as_the_templates_write_them(
    choices: list[Any], attrs: dict[str, Any]
) -> None:
    for value in ["", "a", "2", 3, Decimal("1.5"), None, "missing", '"<x>']:
        both(forms.Select(choices=choices), "pick", value, attrs)
        both(forms.NullBooleanSelect(), "yes-no", value, attrs)
    both(forms.SelectMultiple(choices=choices), "many", ["a", "2", "3"], attrs)


def test_in_english_and_with_lazy_labels_too() -> None:
    with override("en"):
        both(forms.Select(choices=[("", gettext_lazy("全部")), ("1", "x")]), "s", "1")
        both(forms.TextInput(attrs={"placeholder": gettext_lazy("搜索")}), "q", "x")


def test_a_whole_form_is_the_same_and_other_widgets_go_to_the_templates() -> None:
    class Everything(forms.Form):
        name = forms.CharField(max_length=20, help_text="<b>help</b>")
        amount = forms.DecimalField(required=False)
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        note = forms.CharField(widget=forms.Textarea, required=False)
        kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
        many = forms.MultipleChoiceField(
            choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
        )
        one = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
        file = forms.FileField(required=False)
        agree = forms.BooleanField(required=False)

    data = {"name": 'x"<y>', "amount": "1.5", "day": "2025-03-21", "kind": "b", "many": ["y"]}
    templates = Everything(data, renderer=DjangoTemplates())
    built = Everything(data, renderer=Renderer())
    assert str(built) == str(templates)
    for name in Everything.base_fields:
        assert str(built[name]) == str(templates[name])


def test_the_installation_uses_it_and_covers_only_plain_widgets() -> None:
    assert settings.FORM_RENDERER == "parklink.core.form_renderer.Renderer"
    assert isinstance(get_default_renderer(), Renderer)
    assert not any("radio" in name or "checkbox_select" in name for name in BUILT)
