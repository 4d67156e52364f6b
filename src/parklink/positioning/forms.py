"""The positioning page's form (GET): the place, the measure, the digit level, the screening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.positioning.models import Dataset
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
    place = RegionField(label=_("地区"), help_text=_("行政区划代码或名称,如 什邡市、513330"))
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
            field = self.fields["dataset"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = visible_datasets(user)

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "dataset": data.get("dataset"),
            "measure": data["measure"],
            "digits": data["digits"],
            "exclude_tags": list(data["exclude_tags"]),
            "require_resources": bool(data.get("require_resources")),
            "exclude": [c.strip() for c in data["exclude"].split(",") if c.strip()],
        }
