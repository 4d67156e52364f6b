"""Forms of the matching pages (they parse; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.enterprises.models import Enterprise
from parklink.matching.models import Listing


class ListingForm(forms.ModelForm):
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.order_by("name"), label=_("企业")
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


class TagsForm(forms.Form):
    chain = forms.CharField(label=_("产业链代码"), max_length=64, required=False)
    segment = forms.CharField(label=_("环节代码"), max_length=64, required=False)
    industry_code = forms.CharField(label=_("国民经济行业代码"), max_length=8, required=False)
