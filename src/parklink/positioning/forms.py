"""The positioning page's form (GET): the place, the measure, the digit level, the screening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.chains.models import ChainTemplate, MetroArea
from parklink.chains.services.templates import visible_templates
from parklink.parks.models import Park
from parklink.positioning.models import Dataset, IndustryRole
from parklink.positioning.queries import visible_datasets
from parklink.regions.forms import RegionField

TAG_CHOICES = [
    ("two_high", _("“两高”行业")),
    ("energy_intensive", _("高耗能行业")),
    ("water_intensive", _("高耗水行业")),
    ("chemical_park", _("须进入化工园区")),
]


class PositioningForm(forms.Form):
    dataset = forms.ModelChoiceField(
        label=_("数据"),
        queryset=Dataset.objects.none(),
        required=False,
        empty_label=_("企业登记册"),
    )
    compare = forms.ModelChoiceField(
        label=_("比较年份:较早的数据集"),
        queryset=Dataset.objects.none(),
        required=False,
        empty_label=_("(不比较)"),
        help_text=_("同一度量、年份更早的数据集:显示变化,并把产业在其他地区的增长计入吸引力"),
    )
    place = RegionField(
        label=_("地区"),
        required=False,
        help_text=_("行政区划代码或名称,如 什邡市、513330;选了园区时可不填"),
    )
    park = forms.ModelChoiceField(
        label=_("园区"),
        queryset=Park.objects.order_by("name"),
        required=False,
        empty_label=_("(不选:按地区)"),
        help_text=_("园区作为单独的地点,与所在省(或都市圈)的县区及其他园区比较"),
    )
    metro = forms.ModelChoiceField(
        label=_("比较范围:都市圈"),
        queryset=MetroArea.objects.order_by("name"),
        to_field_name="key",
        required=False,
        empty_label=_("(不选:所在省)"),
        help_text=_("与都市圈各成员的县区比较"),
    )
    measure = forms.ChoiceField(
        label=_("度量"),
        choices=[("count", _("企业数")), ("capital", _("注册资本"))],
        initial="count",
    )
    digits = forms.TypedChoiceField(
        label=_("行业层级"),
        choices=[(2, _("大类(2 位)")), (3, _("中类(3 位)")), (4, _("小类(4 位)"))],
        coerce=int,
        initial=2,
    )
    chain = forms.ModelChoiceField(
        label=_("产品维度:产业链环节"),
        queryset=ChainTemplate.objects.none(),
        required=False,
        empty_label=_("(不选:国民经济行业代码)"),
        help_text=_("以产业链的环节代替行业代码计算(企业按产业链归类结果计入各环节)"),
    )
    exclude_tags = forms.MultipleChoiceField(
        label=_("生态筛选:排除"),
        choices=TAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    require_resources = forms.BooleanField(
        label=_("排除缺少所需资源的产业"),
        required=False,
        help_text=_("依据本地园区记录的资源禀赋(水、风、光等)"),
    )
    exclude = forms.CharField(
        label=_("手工排除的行业代码"), required=False, help_text=_("逗号分隔,如 2614,3011")
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            for name in ("dataset", "compare"):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = visible_datasets(user)
            chain = self.fields["chain"]
            assert isinstance(chain, forms.ModelChoiceField)
            chain.queryset = visible_templates(user).order_by("name", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("park") and not self.errors.get("place"):
            self.add_error("place", _("请填写地区或选择园区"))
        return data

    def place_code(self) -> str:
        place = self.cleaned_data.get("place")
        return place.adcode if place else ""

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        park, metro = data.get("park"), data.get("metro")
        return {
            "park": park.pk if park else None,
            "metro": metro.key if metro else None,
            "dataset": data.get("dataset"),
            "compare": data.get("compare"),
            "chain": data.get("chain"),
            "measure": data["measure"],
            "digits": data["digits"],
            "exclude_tags": list(data["exclude_tags"]),
            "require_resources": bool(data.get("require_resources")),
            "exclude": [c.strip() for c in data["exclude"].split(",") if c.strip()],
        }


class SystemForm(forms.Form):
    """A declared industry system's own fields (its industries are added one by one)."""

    region = RegionField(label=_("地区"), help_text=_("行政区划代码或名称,如 甘州区、620702"))
    name = forms.CharField(label=_("名称"), max_length=128)
    declared_by = forms.CharField(label=_("提出者"), max_length=128, required=False)
    source = forms.CharField(
        label=_("来源"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclaredIndustryForm(forms.Form):
    name = forms.CharField(label=_("产业"), max_length=128)
    role = forms.ChoiceField(label=_("地位"), choices=IndustryRole.choices)
    codes = forms.CharField(
        label=_("国民经济行业代码"),
        max_length=255,
        help_text=_("逗号分隔的 GB/T 4754 代码(2 至 4 位),如 4415,3415"),
    )
