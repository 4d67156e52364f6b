"""The park page's editable lists: industries, resources and yearly indicators as row forms.

Rows only parse (core.forms.RowForm); the services check the rows and replace a park's lists
whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.core.forms import RowForm, RowList, plain, row_formset, row_list
from parklink.core.money import in_unit, to_yuan
from parklink.parks.models import IndicatorKind, IndustryRole, Park, ParkIndicator, ResourceKind
from parklink.parks.services import INDICATOR_UNITS


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


IndustryFormSet = row_formset(IndustryRowForm, 50)
ResourceFormSet = row_formset(ResourceRowForm, 50)
IndicatorFormSet = row_formset(IndicatorRowForm, 200)


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
