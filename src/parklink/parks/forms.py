"""Park forms: list filters, the park form, its list rows and linkages (parsing only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.core.money import in_unit, to_yuan
from parklink.parks.models import (
    IndicatorKind,
    IndustryRole,
    LinkageRole,
    Park,
    ParkIndicator,
    ParkKind,
    ParkLinkage,
    ResourceKind,
)
from parklink.parks.services import INDICATOR_UNITS
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


# ---------------------------------------------------------------- rows of the park page's lists
#
# Rows are plain forms in formsets: they only parse. A blank row is ignored and a row marked
# for deletion is dropped; the services check the rest and replace the park's rows whole.


class RowForm(forms.Form):
    """One row of an editable list; `item()` gives it as the services take it."""

    #: the fields that make a row worth keeping when one of them is filled
    content_fields: ClassVar[tuple[str, ...]] = ()
    #: the row shows a unit beside its `value` input (see _formset_row.html)
    has_unit: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row_field in self.fields.values():
            # Rows sit in a table under one header: name each input for screen readers.
            row_field.widget.attrs.setdefault("aria-label", str(row_field.label))

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return all(data.get(name) in (None, "") for name in self.content_fields)

    def item(self) -> dict[str, Any] | None:
        """The row as a service item, or None when it is blank or removed."""
        data = getattr(self, "cleaned_data", None)
        if data is None or data.get("DELETE") or self.is_blank():
            return None
        return self.as_item(data)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


class IndustryRowForm(RowForm):
    content_fields = ("name", "industry_code")

    name = forms.CharField(label=_("产业"), max_length=64, required=False)
    role = forms.ChoiceField(
        label=_("定位"), choices=IndustryRole.choices, initial=IndustryRole.LEADING
    )
    industry_code = forms.CharField(
        label=_("行业代码"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如 3825"), "size": 8}),
    )

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": data.get("name") or "",
            "role": data.get("role") or "",
            "industry_code": data.get("industry_code") or "",
        }


class ResourceRowForm(RowForm):
    content_fields = ("kind", "value", "value_max", "unit", "note")

    kind = forms.ChoiceField(
        label=_("资源"), choices=[("", "---------"), *ResourceKind.choices], required=False
    )
    value = forms.DecimalField(label=_("数值"), required=False)
    value_max = forms.DecimalField(label=_("上限"), required=False)
    unit = forms.CharField(
        label=_("单位"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如 小时、万千瓦"), "size": 8}),
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": data.get("kind") or "",
            "value": data.get("value"),
            "value_max": data.get("value_max"),
            "unit": data.get("unit") or "",
            "note": data.get("note") or "",
        }


MONEY_INPUT_UNIT = "亿元"


def indicator_input_units() -> dict[str, str]:
    """The unit each indicator is typed in on the page (money in 亿元, stored in 元)."""
    return {
        kind: MONEY_INPUT_UNIT if kind in IndicatorKind.money() else unit
        for kind, unit in ((k.value, INDICATOR_UNITS.get(k, "")) for k in IndicatorKind)
    }


class IndicatorRowForm(RowForm):
    content_fields = ("year", "indicator", "value")
    has_unit = True

    year = forms.IntegerField(
        label=_("年份"), required=False, widget=forms.NumberInput(attrs={"style": "width:6.5em"})
    )
    indicator = forms.ChoiceField(
        label=_("指标"), choices=[("", "---------"), *IndicatorKind.choices], required=False
    )
    # Bounded so that 亿元 → 元 stays within Decimal's precision; the service checks the rest.
    value = forms.DecimalField(label=_("数值"), required=False, max_digits=20, decimal_places=8)
    #: the stored unit of an existing row, kept while its indicator stays the same
    unit = forms.CharField(required=False, widget=forms.HiddenInput)

    def _kind(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("indicator")) or "")
        return str(self.initial.get("indicator") or "")

    @property
    def value_unit(self) -> str:
        """The unit shown beside the value: 亿元 for money, else the row's own unit."""
        kind = self._kind()
        if kind in IndicatorKind.money():
            return MONEY_INPUT_UNIT
        if kind and kind == self.initial.get("indicator") and self.initial.get("unit"):
            return str(self.initial["unit"])
        return INDICATOR_UNITS.get(kind, "")

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        kind = data.get("indicator") or ""
        value = data.get("value")
        if value is not None and kind in IndicatorKind.money():
            value = to_yuan(value, MONEY_INPUT_UNIT)
        same_kind = kind == self.initial.get("indicator")
        return {
            "year": data.get("year"),
            "indicator": kind,
            "value": value,
            "unit": "" if kind in IndicatorKind.money() or not same_kind else data.get("unit"),
        }

    @staticmethod
    def initial_of(row: ParkIndicator) -> dict[str, Any]:
        value = row.value
        if row.indicator in IndicatorKind.money():
            value = in_unit(value, MONEY_INPUT_UNIT) or Decimal(0)
        return {
            "year": row.year,
            "indicator": row.indicator,
            "value": plain(value),
            "unit": row.unit,
        }


def plain(value: Decimal | None) -> str:
    """A decimal as typed by hand: 176.2500 → "176.25", 1E+2 → "100"."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


class RowFormSet(forms.BaseFormSet):  # the stubs make it generic; Django does not
    """Rows that are all read, even an added row equal to a stored one.

    Django skips an unchanged extra form; here a blank row is skipped by RowForm.item() instead,
    so what counts is what the row holds, not whether it differs from the page's first load.
    """

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": False}


def _formset(form: type[RowForm], limit: int) -> type[forms.BaseFormSet[Any]]:
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=1,
        can_delete=True,
        max_num=limit,
        absolute_max=limit,
        validate_max=True,
    )


IndustryFormSet = _formset(IndustryRowForm, 50)
ResourceFormSet = _formset(ResourceRowForm, 50)
IndicatorFormSet = _formset(IndicatorRowForm, 200)


def submitted(data: Mapping[str, Any] | None, prefix: str) -> bool:
    """Whether a POST carries the formset `prefix` (a post without it leaves those rows alone)."""
    return data is not None and f"{prefix}-TOTAL_FORMS" in data


@dataclass
class RowList:
    """One formset of a page and, once validated, the forms behind its service items."""

    formset: forms.BaseFormSet[Any]
    forms_of_items: list[forms.Form] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return str(self.formset.prefix)

    def is_valid(self) -> bool:
        return not self.formset.is_bound or self.formset.is_valid()

    def items(self) -> list[dict[str, Any]] | None:
        """The rows as service items (None when the list was not posted)."""
        if not self.formset.is_bound:
            return None
        items: list[dict[str, Any]] = []
        self.forms_of_items = []
        for form in self.formset.forms:
            assert isinstance(form, RowForm)
            item = form.item()
            if item is not None:
                items.append(item)
                self.forms_of_items.append(form)
        return items

    def add_service_errors(self, detail: Mapping[str, Any], key: str) -> bool:
        """Put the problems "<key>.<index>.<field>" next to their rows; True if any was."""
        placed = False
        for name, problem in detail.items():
            head, _dot, rest = str(name).partition(".")
            index, _dot, field_name = rest.partition(".")
            if head != key or not index.isdigit() or int(index) >= len(self.forms_of_items):
                continue
            form = self.forms_of_items[int(index)]
            form.add_error(field_name if field_name in form.fields else None, str(problem))
            placed = True
        return placed


def row_list(
    formset_class: type[forms.BaseFormSet[Any]],
    data: Mapping[str, Any] | None,
    prefix: str,
    initial: list[dict[str, Any]],
    **kwargs: Any,
) -> RowList:
    bound = data if submitted(data, prefix) else None
    return RowList(formset_class(bound, prefix=prefix, initial=initial, **kwargs))


def park_row_lists(data: Mapping[str, Any] | None, park: Park) -> dict[str, RowList]:
    """The industries, resources and indicators of `park` as formsets of the edit page."""
    industries = [
        {"name": i.name, "role": i.role, "industry_code": i.industry_code}
        for i in park.industries.order_by("order", "pk")
    ]
    resources = [
        {
            "kind": r.kind,
            "value": plain(r.value),
            "value_max": plain(r.value_max),
            "unit": r.unit,
            "note": r.note,
        }
        for r in park.resources.order_by("pk")
    ]
    indicators = [
        IndicatorRowForm.initial_of(row) for row in park.indicators.order_by("year", "indicator")
    ]
    return {
        "industries": row_list(IndustryFormSet, data, "industries", industries),
        "resources": row_list(ResourceFormSet, data, "resources", resources),
        "indicators": row_list(IndicatorFormSet, data, "indicators", indicators),
    }


# ---------------------------------------------------------------- linkages (三园联动)


def park_choices() -> list[tuple[str, str]]:
    """Every park as a choice, named with its county so namesakes can be told apart."""
    choices = [("", "---------")]
    for pk, name, region in Park.objects.order_by("name_pinyin", "pk").values_list(
        "pk", "name", "region__name"
    ):
        choices.append((str(pk), f"{name} · {region}"))
    return choices


class MemberRowForm(RowForm):
    content_fields = ("park", "role")

    park = forms.ChoiceField(label=_("园区"), required=False)
    role = forms.ChoiceField(
        label=_("分工"), choices=[("", "---------"), *LinkageRole.choices], required=False
    )
    order = forms.IntegerField(
        label=_("排序"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"style": "width:5em"}),
    )

    def __init__(self, *args: Any, parks: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "park", parks or [("", "---------")])

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "park": data.get("park") or None,
            "role": data.get("role") or "",
            "order": data.get("order"),
        }


MemberFormSet = _formset(MemberRowForm, 30)


def member_list(
    data: Mapping[str, Any] | None, linkage: ParkLinkage | None, first_park: str = ""
) -> RowList:
    """The members of `linkage` as the formset of the linkage form.

    A new linkage starts with `first_park` (the park page it was started from), if any.
    """
    initial: list[dict[str, Any]] = [{"park": first_park}] if first_park else []
    if linkage is not None:
        initial = [
            {"park": str(m.park_id), "role": m.role, "order": m.order}
            for m in linkage.members.order_by("order", "pk")
        ]
    # The park choices are read once and shared by every row.
    return row_list(MemberFormSet, data, "members", initial, form_kwargs={"parks": park_choices()})


class LinkageForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("所属机构"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_owner:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = Organization.objects.order_by("name")
            owner.required = True
        else:
            del self.fields["owner"]

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data.get("name") or "",
            "description": self.cleaned_data.get("description") or "",
        }

    def chosen_owner(self) -> Organization | None:
        owner = self.cleaned_data.get("owner")
        return owner if isinstance(owner, Organization) else None
