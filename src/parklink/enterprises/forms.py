"""Enterprise forms: list filters, the create/edit form and its sites (parsing only)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.core.forms import ServiceModelForm, WanField, set_choices
from parklink.core.money import WAN
from parklink.core.registry import registry
from parklink.enterprises import uscc as uscc_rules
from parklink.enterprises.models import Enterprise, SiteRole
from parklink.parks.models import Park
from parklink.regions.forms import RegionField

# Columns other apps register (visible projects) add their own sort keys.
ENTERPRISE_SORTS = ("name", "region", "industry", "capital")
FLAGS: dict[str, tuple[str, Any]] = {
    "chain_leader": ("is_chain_leader", _("链主")),
    "listed": ("is_listed", _("上市")),
    "high_tech": ("is_high_tech", _("高新")),
    "above_scale": ("is_above_scale", _("规上")),
    "specialised_sme": ("is_specialised_sme", _("专精特新")),
}


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("名称、拼音、首字母或信用代码"), "type": "search"}
        ),
    )
    region = forms.ChoiceField(label=_("地区"), required=False)
    industry = forms.CharField(
        label=_("行业代码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"list": "industry-codes", "placeholder": _("如 38 或 3825")}),
    )
    park = forms.TypedChoiceField(label=_("园区"), required=False, coerce=int, empty_value=None)
    flags = forms.MultipleChoiceField(
        label=_("标签"),
        required=False,
        choices=[(key, label) for key, (_f, label) in FLAGS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str]] | None = None,
        parks: list[tuple[int | str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", regions or [("", _("全部地区"))])
        set_choices(self, "park", [("", _("全部园区")), *(parks or [])])

    def clean_industry(self) -> str:
        return "".join(str(self.cleaned_data.get("industry") or "").split())

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or ""
        key = sort.lstrip("-")
        return (
            sort
            if key in ENTERPRISE_SORTS or key in registry.column_sorts("enterprises.enterprise")
            else ""
        )


class EnterpriseForm(ServiceModelForm):
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        required=False,
        max_length=32,
        help_text=_("18位,保存前核对第18位校验码"),
    )
    region = RegionField(
        label=_("注册地"),
        max_length=64,
        help_text=_("填写行政区名称或6位行政区划代码,如“什邡市”或“510682”"),
    )
    registered_capital_wan = WanField(
        label=_("注册资本(万元)"), required=False, decimal_places=4, min_value=0
    )

    field_aliases: ClassVar[Mapping[str, str]] = {"registered_capital": "registered_capital_wan"}

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "short_name",
            "uscc",
            "region",
            "industry_code",
            "is_chain_leader",
            "is_listed",
            "is_high_tech",
            "is_above_scale",
            "is_specialised_sme",
            "description",
            "business_scope",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "business_scope": forms.Textarea(attrs={"rows": 6}),
        }

    owner = forms.ModelChoiceField(
        label=_("所属机构"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_owner and not self.instance.pk:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = Organization.objects.order_by("name")
            owner.required = True
        else:
            del self.fields["owner"]
        self.fields["uscc"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["industry_code"].widget.attrs.update({"list": "industry-codes"})
        capital = self.instance.registered_capital if self.instance.pk else None
        if capital is not None:
            self.initial["registered_capital_wan"] = (capital / WAN).normalize()

    def clean_uscc(self) -> str | None:
        code = uscc_rules.normalise(self.cleaned_data.get("uscc") or "")
        return code or None

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the enterprise services take them (capital in 元)."""
        data = dict(self.cleaned_data)
        owner = data.pop("owner", None)
        if isinstance(owner, Organization):
            data["owner_id"] = owner.pk
        wan = data.pop("registered_capital_wan", None)
        data["registered_capital"] = None if wan is None else (wan * WAN).quantize(Decimal("0.01"))
        for name in ("short_name", "industry_code", "description", "business_scope"):
            data[name] = data.get(name) or ""
        return data


class SiteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("功能"), choices=[("", "---------"), *SiteRole.choices], required=False
    )
    park = forms.ModelChoiceField(label=_("园区"), queryset=Park.objects.none(), required=False)
    region = RegionField(label=_("行政区"), max_length=64, required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        park = self.fields["park"]
        assert isinstance(park, forms.ModelChoiceField)
        park.queryset = Park.objects.select_related("region").order_by("name_pinyin")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("park") or data.get("region") or data.get("address")
        if filled and not data.get("role"):
            self.add_error("role", _("请选择这个基地的功能"))
        return data

    def site(self) -> dict[str, Any] | None:
        """The site as create_enterprise takes it, or None for an empty row.

        A site outside parks keeps the region typed for it; in a park, the region is the
        park's, or a region inside the park's when one is given.
        """
        data = self.cleaned_data
        if not data.get("role"):
            return None
        park = data.get("park")
        region = data.get("region")
        if park is not None and not (region is not None and park.region.contains(region)):
            region = park.region
        return {
            "role": data["role"],
            "park": park,
            "region": region,
            "address": data.get("address") or "",
        }


SiteFormSet = forms.formset_factory(SiteForm, extra=2, max_num=10)
