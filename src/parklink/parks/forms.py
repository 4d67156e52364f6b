"""Park forms: list filters and the create/edit form (parsing only; services own the rules)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.parks.models import Park, ParkKind
from parklink.regions.models import Region
from parklink.regions.services import resolve_region

WAN = Decimal(10_000)
_ADCODE_IN_TEXT = re.compile(r"(\d{6})")

PARK_SORTS = ("name", "kind", "region", "carrier", "occupancy", "projects")


def region_choices(paths: Iterable[str], selected: str = "") -> list[tuple[str, str]]:
    """Every region that contains one of `paths`, indented under its parents, as choices.

    `selected` (an adcode from the query string) is offered too, so a link to any region works.
    """
    paths = list(paths)
    if selected:
        paths.extend(Region.objects.filter(adcode=selected).values_list("path", flat=True))
    adcodes = {part for path in paths if path for part in path.split("/")}
    regions = Region.objects.filter(adcode__in=adcodes).order_by("path")
    choices = [("", str(_("全部地区")))]
    for region in regions:
        depth = region.path.count("/")
        choices.append((region.adcode, "\u3000" * depth + region.name))
    return choices


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The fields of a filter form that are valid (a bad one is ignored, not fatal)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)


def set_choices(form: forms.Form, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
    """Give a choice field of `form` its choices, computed per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)


class RegionField(forms.CharField):
    """A region typed as an adcode, a name ("德格县", "甘孜州德格县") or "名称 (adcode)"."""

    default_error_messages: ClassVar[dict[str, Any]] = {
        "unknown": _("无法识别的行政区划:%(value)s")
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Region):
            return f"{value.full_name} ({value.adcode})"
        if isinstance(value, str) and re.fullmatch(r"\d{6}", value):
            region = Region.objects.filter(adcode=value).first()
            if region is not None:
                return f"{region.full_name} ({region.adcode})"
        return value

    def clean(self, value: Any) -> Region | None:
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        found = _ADCODE_IN_TEXT.search(text)
        region = (
            Region.objects.filter(adcode=found.group(1)).first() if found else resolve_region(text)
        )
        if region is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return region


class ServiceModelForm(forms.ModelForm):
    """A model form that only parses: the service validates the record and saves it.

    Django's own model validation would report duplicates with a generic message before the
    service could name the existing record, so it is left to the service.
    """

    #: service field name → form field name, where the form asks in other units
    field_aliases: ClassVar[Mapping[str, str]] = {}

    def _post_clean(self) -> None:
        return None

    def add_service_errors(self, detail: Any, message: str) -> None:
        """Put a service's {field: message} detail next to the fields; the rest on top."""
        if not isinstance(detail, dict):
            self.add_error(None, message)
            return
        placed = False
        for name, problem in detail.items():
            field = self.field_aliases.get(name, name.removesuffix("_id"))
            if field in self.fields and problem:
                self.add_error(field, str(problem))
                placed = True
        if not placed:
            self.add_error(None, message)


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
        return sort if sort.lstrip("-") in PARK_SORTS else ""


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

    field_aliases: ClassVar[Mapping[str, str]] = {
        "carrier_built_m2": "carrier_built_wan",
        "carrier_occupied_m2": "carrier_occupied_wan",
    }

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
