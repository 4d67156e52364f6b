"""Forms of the siting pages: a project's power and water needs, a park's spare capacity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.matching.services import siting


class NeedsForm(forms.Form):
    power_kva = forms.DecimalField(
        label=_("用电需求(千伏安)"), required=False, max_digits=12, decimal_places=2
    )
    water_tpd = forms.DecimalField(
        label=_("用水需求(吨/日)"), required=False, max_digits=12, decimal_places=2
    )
    segment = forms.ChoiceField(
        label=_("产业链环节"),
        required=False,
        help_text=_("留空则按项目名称、产业领域和简介自动判定"),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["segment"].choices = [("", _("自动判定")), *siting.segment_choices()]  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        chain, _sep, segment = (data.pop("segment") or "").partition(":")
        return {**data, "chain": chain, "segment": segment}


class CapacityForm(forms.Form):
    power_kva = forms.DecimalField(
        label=_("可供电力(千伏安)"), required=False, max_digits=12, decimal_places=2
    )
    water_tpd = forms.DecimalField(
        label=_("可供水量(吨/日)"), required=False, max_digits=12, decimal_places=2
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
