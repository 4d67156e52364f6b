"""Forms of the enclave pages: the enclave itself, its stays and its introductions as rows.
They only parse; `services.enclaves` checks and saves (its refusals land beside the rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.cobuild.forms import DateInput
from parklink.cobuild.forms_details import find_enterprise
from parklink.cobuild.models import Enclave
from parklink.cobuild.services.enclaves import IntroductionItem, TenancyItem
from parklink.core.forms import RowForm, RowList, row_formset, row_list
from parklink.parks.models import Park, ParkKind
from parklink.regions.forms import RegionField

ROW_LIMIT = 200


class EnclaveForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    home_region = RegionField(label=_("飞出地(本县)"), help_text=_("如:仙居县 或 331024"))
    host_region = RegionField(label=_("所在城市"), help_text=_("如:上海市 或 310000"))
    park = forms.ModelChoiceField(
        label=_("飞地园区"),
        required=False,
        queryset=Park.objects.filter(kind=ParkKind.INNOVATION_ENCLAVE).order_by("name"),
        help_text=_("园区库中类型为“科创飞地”的园区(选填)。"),
    )
    opened_on = forms.DateField(label=_("启用日期"), required=False, widget=DateInput)
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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
        data = self.cleaned_data
        return {
            "name": data["name"],
            "home_region": data["home_region"],
            "host_region": data["host_region"],
            "park_id": data["park"].pk if data.get("park") else None,
            "opened_on": data.get("opened_on"),
            "description": data.get("description") or "",
        }


def enclave_initial(enclave: Enclave) -> dict[str, Any]:
    return {
        "name": enclave.name,
        "home_region": enclave.home_region,
        "host_region": enclave.host_region,
        "park": enclave.park,
        "opened_on": enclave.opened_on,
        "description": enclave.description,
    }


class _EnterpriseRow(RowForm):
    content_fields = ("enterprise",)

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    enterprise = forms.CharField(
        label=_("企业(统一社会信用代码或全称)"), required=False, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("DELETE") and not self.is_blank():
            found = find_enterprise(data.get("enterprise") or "")
            if isinstance(found, str):
                self.add_error("enterprise", found)
            else:
                data["found"] = found
        return data


class TenancyRowForm(_EnterpriseRow):
    moved_in = forms.DateField(label=_("入驻日期"), required=False, widget=DateInput)
    moved_out = forms.DateField(label=_("迁出日期"), required=False, widget=DateInput)
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)
    illustrative = forms.BooleanField(label=_("示例数据"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("DELETE") and not self.is_blank() and not data.get("moved_in"):
            self.add_error("moved_in", _("请填写入驻日期。"))
        return data

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return data


class IntroductionRowForm(_EnterpriseRow):
    introduced_on = forms.DateField(label=_("引入日期"), required=False, widget=DateInput)
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)
    illustrative = forms.BooleanField(label=_("示例数据"), required=False)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return data


TenancyFormSet = row_formset(TenancyRowForm, ROW_LIMIT)
IntroductionFormSet = row_formset(IntroductionRowForm, ROW_LIMIT)


def _name(enterprise: Any) -> str:
    return str(enterprise.uscc or enterprise.name)


def tenancy_list(data: Mapping[str, Any] | None, enclave: Enclave | None) -> RowList:
    initial = []
    if enclave is not None:
        initial = [
            {
                "id": t.pk,
                "enterprise": _name(t.enterprise),
                "moved_in": t.moved_in,
                "moved_out": t.moved_out,
                "note": t.note,
                "illustrative": t.illustrative,
            }
            for t in enclave.tenancies.select_related("enterprise").order_by("moved_in", "pk")
        ]
    return row_list(TenancyFormSet, data, "tenancies", initial)


def introduction_list(data: Mapping[str, Any] | None, enclave: Enclave | None) -> RowList:
    initial = []
    if enclave is not None:
        initial = [
            {
                "id": i.pk,
                "enterprise": _name(i.enterprise),
                "introduced_on": i.introduced_on,
                "note": i.note,
                "illustrative": i.illustrative,
            }
            for i in enclave.introductions.select_related("enterprise").order_by("pk")
        ]
    return row_list(IntroductionFormSet, data, "introductions", initial)


def tenancy_items(rows: RowList) -> list[TenancyItem]:
    return [
        TenancyItem(
            item.get("id"),
            item["found"],
            item["moved_in"],
            item.get("moved_out"),
            item.get("note") or "",
            bool(item.get("illustrative")),
        )
        for item in rows.items() or []
    ]


def introduction_items(rows: RowList) -> list[IntroductionItem]:
    return [
        IntroductionItem(
            item.get("id"),
            item["found"],
            item.get("introduced_on"),
            item.get("note") or "",
            bool(item.get("illustrative")),
        )
        for item in rows.items() or []
    ]
