"""Forms of the chain pages: picking a place and a chain, gap rules, a template's YAML text,
a metro area with its lead cities, a focus chain."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.core.forms import WanField
from parklink.regions.forms import RegionField
from parklink.regions.models import Region


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


_MEMBER_SPLIT = re.compile(r"[\n\r,,、;;]+")


class MetroForm(forms.Form):
    """A metro area: its key (on creation), name, note, members in order, maintainer."""

    key = forms.SlugField(
        label=_("代码"),
        max_length=64,
        required=False,
        help_text=_("小写字母、数字和下划线,如 chengdu_metro;建立后不能修改"),
    )
    name = forms.CharField(label=_("名称"), max_length=128)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.CharField(
        label=_("成员行政区"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个,或用顿号、逗号分隔:行政区划代码或名称,如 510100、德阳市"),
    )
    owner = forms.ModelChoiceField(
        label=_("维护机构"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, creating: bool, choose_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["key"]
        else:
            self.fields["key"].required = True
        if choose_owner:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = Organization.objects.order_by("name")
            owner.help_text = _("为空表示仅系统管理员维护")
        else:
            del self.fields["owner"]

    def clean_members(self) -> list[Region]:
        text = self.cleaned_data.get("members") or ""
        field = RegionField()
        regions: list[Region] = []
        for number, piece in enumerate(
            (p.strip() for p in _MEMBER_SPLIT.split(text) if p.strip()), start=1
        ):
            try:
                region = field.clean(piece)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("第%(n)d个成员“%(text)s”:%(reason)s")
                    % {"n": number, "text": piece, "reason": " ".join(error.messages)}
                ) from error
            if region is not None:
                regions.append(region)
        return regions


class LeadForm(forms.Form):
    """One chain and the member city that leads it (主导城市)."""

    chain_key = forms.ChoiceField(label=_("产业链"), required=False)
    region = RegionField(label=_("主导城市"), max_length=64, required=False)
    label = forms.CharField(label=_("原文提法"), max_length=64, required=False)

    def __init__(self, *args: Any, chains: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chain_key"].choices = [("", "—"), *chains]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("chain_key") and not data.get("region"):
            self.add_error("region", _("请填写主导城市"))
        if data.get("region") and not data.get("chain_key"):
            self.add_error("chain_key", _("请选择产业链"))
        return data


LeadFormSet = forms.formset_factory(LeadForm, extra=3, max_num=40)


class FocusForm(forms.Form):
    place = forms.ChoiceField(label=_("地点"))
    chain = forms.ChoiceField(label=_("产业链"))
    label = forms.CharField(
        label=_("原文提法"),
        max_length=128,
        required=False,
        help_text=_("规划或文件中的说法,如 工业硅—多晶硅—拉晶切片"),
    )

    def __init__(
        self,
        *args: Any,
        places: list[tuple[str, str]],
        chains: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places  # type: ignore[attr-defined]
        self.fields["chain"].choices = chains  # type: ignore[attr-defined]
