"""Forms of the chain pages: picking a place and a chain, gap rules, a template's YAML text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.core.forms import WanField


class PlaceForm(forms.Form):
    place = forms.ChoiceField(label=_("地点"), required=False)
    region = forms.CharField(
        label=_("或行政区"),
        required=False,
        max_length=64,
        help_text=_("行政区划代码或名称,如 510106 或 金牛区"),
    )
    chain = forms.ChoiceField(label=_("产业链"))

    def __init__(
        self,
        *args: Any,
        places: list[tuple[str, str]],
        templates: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "—"), *places]  # type: ignore[attr-defined]
        self.fields["chain"].choices = templates  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    strong_enterprises = forms.IntegerField(
        label=_("“强”:企业数不少于"), min_value=0, max_value=1_000_000
    )
    strong_leader_enterprises = forms.IntegerField(
        label=_("“强”:有链主或注册资本达标时,企业数不少于"), min_value=0, max_value=1_000_000
    )
    strong_capital = forms.DecimalField(
        label=_("“强”:注册资本合计不少于(元)"),
        min_value=0,
        max_digits=18,
        decimal_places=2,
    )
    present_enterprises = forms.IntegerField(
        label=_("“有”:企业数不少于"), min_value=0, max_value=1_000_000
    )


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=_("模板内容(YAML)"),
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "pl-code"}),
        strip=False,
    )
    note = forms.CharField(label=_("修改说明"), max_length=255, required=False)


__all__ = ["PlaceForm", "RulesForm", "TemplateForm", "WanField"]
