"""`{% form_field %}` writes exactly what `core/_field.html` wrote, with the same arguments."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override


class Sample(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=10, help_text="<b>帮助</b>")
    amount = forms.DecimalField(label='金额 "元" <x>', required=False)
    agree = forms.BooleanField(label="同意", required=False)
    kinds = forms.MultipleChoiceField(
        choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(widget=forms.Textarea, required=False)

    def clean_name(self) -> str:
        raise forms.ValidationError(["第一个 <错误>", mark_safe("<i>第二个</i>")])


ARGUMENTS = [
    "",
    "wide=True",
    "unit=unit",
    "unit='万元'",
    "checks=True",
    "check=True",
    "checks=True wide=True",
    "after=after",
    "wide=0 unit=''",
]


def rendered(source: str, context: dict[str, Any]) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("arguments", ARGUMENTS)
@pytest.mark.parametrize("bound", [False, True])
def test_the_tag_writes_what_the_template_wrote(arguments: str, bound: bool) -> None:
    form = Sample({"name": "x" * 20, "amount": "abc"} if bound else None)
    context = {"form": form, "unit": "亩 <m>", "after": mark_safe("<em>后</em>")}
    for name in Sample.base_fields:
        context["field"] = form[name]
        old = rendered(f'{{% include "core/_field.html" with field=field {arguments} %}}', context)
        new = rendered(f"{{% form_field field=field {arguments} %}}", context)
        assert new == old


def test_without_arguments_it_reads_the_surrounding_context_as_the_include_did() -> None:
    form = Sample({"name": "x"})
    for extra in [{}, {"wide": True}, {"unit": "吨"}, {"checks": True}, {"after": "<b>"}]:
        context = {"form": form, **extra}
        old = rendered(
            '{% for field in form %}{% include "core/_field.html" %}{% endfor %}', context
        )
        new = rendered("{% for field in form %}{% form_field %}{% endfor %}", context)
        assert new == old


def test_in_english_too() -> None:
    with override("en"):
        form = Sample({"name": "x"})
        context = {"field": form["name"]}
        old = rendered('{% include "core/_field.html" with field=field wide=True %}', context)
        assert rendered("{% form_field field=field wide=True %}", context) == old
