"""The park's own form and the park list's filters (parsing only; the services validate)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.core.forms import ServiceModelForm, set_choices
from parklink.core.money import WAN
from parklink.core.registry import registry
from parklink.parks.coordinates import clean_coordinates, coordinate_field
from parklink.parks.models import Park, ParkKind
from parklink.regions.forms import RegionField

# Columns other apps register (visible projects) add their own sort keys.
PARK_SORTS = ("name", "kind", "region", "carrier", "occupancy")


class ParkFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("名称、拼音或首字母"), "type": "search"}),
    )
    kind = forms.ChoiceField(label=_("类型"), required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", [("", _("全部类型")), *ParkKind.choices])
        set_choices(self, "region", regions or [("", _("全部地区"))])

    def clean_sort(self) -> str:
        sort = self.cleaned_data.get("sort") or ""
        key = sort.lstrip("-")
        return sort if key in PARK_SORTS or key in registry.column_sorts("parks.park") else ""


class ParkForm(ServiceModelForm):
    region = RegionField(
        label=_("所在行政区"),
        max_length=64,
        help_text=_("填写行政区名称或6位行政区划代码,如“德格县”或“513330”"),
    )
    carrier_built_wan = forms.DecimalField(
        label=_("已建载体(万平方米)"), required=False, max_digits=12, decimal_places=4, min_value=0
    )
    carrier_occupied_wan = forms.DecimalField(
        label=_("已入驻载体(万平方米)"),
        required=False,
        max_digits=12,
        decimal_places=4,
        min_value=0,
    )
    owner = forms.ModelChoiceField(
        label=_("所属机构"), queryset=Organization.objects.none(), required=False
    )
    longitude = coordinate_field("longitude")
    latitude = coordinate_field("latitude")

    field_aliases: ClassVar[Mapping[str, str]] = {
        "carrier_built_m2": "carrier_built_wan",
        "carrier_occupied_m2": "carrier_occupied_wan",
    }
    duplicate_field = "name"

    class Meta:
        model = Park
        fields = (
            "name",
            "short_name",
            "kind",
            "region",
            "parent",
            "established",
            "planned_area_mu",
            "available_land_mu",
            "description",
            "longitude",
            "latitude",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "established": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parents: QuerySet[Park] = Park.objects.order_by("name_pinyin")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            for name in ("carrier_built", "carrier_occupied"):
                stored = getattr(self.instance, f"{name}_m2")
                if stored is not None:
                    self.initial[f"{name}_wan"] = (stored / WAN).normalize()
        parent.queryset = parents
        parent.empty_label = str(_("(无,顶级园区)"))
        if choose_owner:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = Organization.objects.order_by("name")
            owner.required = not self.instance.pk
        else:
            del self.fields["owner"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        clean_coordinates(self)
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the park services take them (carriers back in m²)."""
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        for name in ("carrier_built", "carrier_occupied"):
            wan = data.pop(f"{name}_wan", None)
            data[f"{name}_m2"] = None if wan is None else (wan * WAN).quantize(Decimal("0.01"))
        data["short_name"] = data.get("short_name") or ""
        data["description"] = data.get("description") or ""
        return data

    def chosen_owner(self) -> Organization | None:
        owner = self.cleaned_data.get("owner")
        return owner if isinstance(owner, Organization) else None
