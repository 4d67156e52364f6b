"""Forms of the matching pages (they parse; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.cobuild.models import SharedPolicy
from parklink.core.pickers import Picker
from parklink.enterprises.models import Enterprise
from parklink.matching.models import BenefitKind, Event, Listing
from parklink.matching.scoring.eligibility import FIELDS
from parklink.regions.forms import RegionField


class ListingForm(forms.ModelForm):
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.order_by("name"),
        label=_("企业"),
        widget=Picker("enterprise"),
    )

    class Meta:
        model = Listing
        fields = [
            "enterprise",
            "side",
            "kind",
            "title",
            "description",
            "quantity",
            "unit",
            "period",
            "region_preference",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "held_on", "place", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TagsForm(forms.Form):
    chain = forms.CharField(label=_("产业链代码"), max_length=64, required=False)
    segment = forms.CharField(label=_("环节代码"), max_length=64, required=False)
    industry_code = forms.CharField(label=_("国民经济行业代码"), max_length=8, required=False)


class PolicyForm(forms.Form):
    """A policy's text and benefit; its conditions are edited and tested on the test page."""

    title = forms.CharField(label=_("政策名称"), max_length=200)
    issuer_region = RegionField(label=_("适用地区"))
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("有效期起"), required=False)
    valid_to = forms.DateField(label=_("有效期止"), required=False)
    benefit_kind = forms.ChoiceField(label=_("兑现方式"), choices=BenefitKind.choices)
    benefit_amount = forms.DecimalField(
        label=_("定额(元)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    benefit_rate = forms.DecimalField(
        label=_("比例(0.05 = 5%)"), max_digits=8, decimal_places=6, min_value=0, required=False
    )
    benefit_base = forms.ChoiceField(label=_("比例基数"), required=False)
    benefit_cap = forms.DecimalField(
        label=_("上限(元)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    benefit_note = forms.CharField(label=_("兑现说明"), max_length=255, required=False)
    documents = forms.CharField(
        label=_("申报材料(每行一项)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text = forms.CharField(
        label=_("政策原文"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    shared_as = forms.ModelMultipleChoiceField(
        label=_("共建园区共享政策"),
        queryset=SharedPolicy.objects.none(),
        required=False,
        help_text=_("本机构在共建协议中出台的共享政策:协议所涉园区的企业同样适用"),
    )

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["benefit_base"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (f.name, f.label) for f in FIELDS.values() if f.kind == "number"
        ]
        self.fields["shared_as"].queryset = SharedPolicy.objects.filter(  # type: ignore[attr-defined]
            issued_by__organization_id=organization_id or -1
        ).select_related("agreement")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("有效期止不能早于有效期起。"))
        return data

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["issuer_region_id"] = data.pop("issuer_region").adcode
        data["documents"] = [
            line.strip() for line in (data.get("documents") or "").splitlines() if line.strip()
        ]
        return data
