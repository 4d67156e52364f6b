"""Forms of the pages that edit an agreement's details: cooperation fields and shared policies as
editable lists, an operating company with its equity as rows, a covered enterprise's facts.
They only parse; `services.details` validates and saves (its refusals land on the fields)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parklink.cobuild.forms import DateInput
from parklink.cobuild.models import Agreement, CoveredEnterprise, OperatingCompany
from parklink.cobuild.services.details import DATE_FIELDS, FieldItem, PolicyItem, ShareSpec
from parklink.core.forms import RowForm, RowList, row_formset, row_list, set_choices
from parklink.enterprises.models import Enterprise

FIELD_LIMIT = 50
POLICY_LIMIT = 30
SHARE_LIMIT = 20


def party_choices(agreement: Agreement, blank: str = "---------") -> list[tuple[str, str]]:
    return [("", blank)] + [
        (party.key, f"{party.organization.name} ({party.key})")
        for party in agreement.parties.select_related("organization").order_by("order")
    ]


def find_enterprise(text: str) -> Enterprise | str:
    """An enterprise by its 统一社会信用代码 or its exact name, or the reason none is found."""
    value = (text or "").strip()
    if not value:
        return str(_("请填写企业的统一社会信用代码或全称。"))
    found = list(Enterprise.objects.filter(Q(uscc=value.upper()) | Q(name=value))[:2])
    if not found:
        return str(_("没有找到企业“%(text)s”:请填写统一社会信用代码或企业全称。") % {"text": value})
    if len(found) > 1:
        return str(_("有多家企业名为“%(text)s”,请改填统一社会信用代码。") % {"text": value})
    return found[0]


# ---------------------------------------------------------------- fields and policies


class FieldRowForm(RowForm):
    content_fields = ("name",)

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("合作领域"), required=False, max_length=64)

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"id": data.get("id"), "name": data.get("name") or ""}


class PolicyRowForm(RowForm):
    content_fields = ("name",)

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("政策名称"), required=False, max_length=200)
    issued_by = forms.ChoiceField(label=_("出台方"), required=False)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "issued_by", parties or [("", "---------")])

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": data.get("id"),
            "name": data.get("name") or "",
            "issued_by": data.get("issued_by") or None,
            "note": data.get("note") or "",
        }


FieldFormSet = row_formset(FieldRowForm, FIELD_LIMIT)
PolicyFormSet = row_formset(PolicyRowForm, POLICY_LIMIT)


def field_list(data: Mapping[str, Any] | None, agreement: Agreement) -> RowList:
    initial = [{"id": f.pk, "name": f.name} for f in agreement.cooperation_fields.all()]
    return row_list(FieldFormSet, data, "fields", initial)


def policy_list(data: Mapping[str, Any] | None, agreement: Agreement) -> RowList:
    initial = [
        {
            "id": p.pk,
            "name": p.name,
            "issued_by": p.issued_by.key if p.issued_by else "",
            "note": p.note,
        }
        for p in agreement.policies.select_related("issued_by").order_by("pk")
    ]
    return row_list(
        PolicyFormSet,
        data,
        "policies",
        initial,
        form_kwargs={"parties": party_choices(agreement)},
    )


def field_items(rows: RowList) -> list[FieldItem]:
    return [FieldItem(item["id"], item["name"]) for item in rows.items() or []]


def policy_items(rows: RowList, agreement: Agreement) -> list[PolicyItem]:
    parties = {p.key: p for p in agreement.parties.all()}
    return [
        PolicyItem(item["id"], item["name"], parties.get(item["issued_by"] or ""), item["note"])
        for item in rows.items() or []
    ]


# ---------------------------------------------------------------- operating companies


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("公司名称"), max_length=128)
    enterprise = forms.CharField(
        label=_("对应企业"),
        required=False,
        max_length=200,
        help_text=_("选填:公司在企业库中的统一社会信用代码或全称。"),
    )

    def clean_enterprise(self) -> Enterprise | None:
        text = self.cleaned_data.get("enterprise") or ""
        if not text.strip():
            return None
        found = find_enterprise(text)
        if isinstance(found, str):
            raise forms.ValidationError(found)
        return found


class ShareRowForm(RowForm):
    content_fields = ("shareholder", "share")

    shareholder = forms.ChoiceField(label=_("股东(协议方)"), required=False)
    shareholder_name = forms.CharField(label=_("持股主体"), required=False, max_length=128)
    share = forms.CharField(
        label=_("股权比例"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"style": "width:7em", "placeholder": "3/5"}),
    )
    effective_from = forms.DateField(label=_("生效日期"), required=False, widget=DateInput)

    def __init__(self, *args: Any, parties: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "shareholder", parties or [("", "---------")])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("DELETE") and not self.is_blank():
            if not data.get("shareholder"):
                self.add_error("shareholder", _("请选择股东。"))
            if not data.get("share"):
                self.add_error("share", _("请填写股权比例,如 3/5、0.6 或 60%。"))
        return data

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "shareholder": data["shareholder"],
            "shareholder_name": data.get("shareholder_name") or "",
            "share": data["share"],
            "effective_from": data.get("effective_from"),
        }


ShareFormSet = row_formset(ShareRowForm, SHARE_LIMIT)


def company_initial(company: OperatingCompany | None) -> dict[str, Any]:
    if company is None:
        return {}
    enterprise = company.enterprise
    return {
        "name": company.name,
        "enterprise": (enterprise.uscc or enterprise.name) if enterprise else "",
    }


def share_list(
    data: Mapping[str, Any] | None, agreement: Agreement, company: OperatingCompany | None
) -> RowList:
    initial: list[dict[str, Any]] = []
    if company is not None:
        initial = [
            {
                "shareholder": s.shareholder.key,
                "shareholder_name": s.shareholder_name,
                "share": s.share,
                "effective_from": s.effective_from,
            }
            for s in company.shares.select_related("shareholder").order_by(
                "effective_from", "shareholder__order", "pk"
            )
        ]
    return row_list(
        ShareFormSet, data, "shares", initial, form_kwargs={"parties": party_choices(agreement)}
    )


def share_specs(rows: RowList, agreement: Agreement) -> list[ShareSpec]:
    parties = {p.key: p for p in agreement.parties.all()}
    return [
        ShareSpec(
            parties[item["shareholder"]],
            item["share"],
            item["shareholder_name"],
            item["effective_from"],
        )
        for item in rows.items() or []
        if item["shareholder"] in parties
    ]


# ---------------------------------------------------------------- covered enterprises


class CoveredForm(forms.Form):
    enterprise = forms.CharField(
        label=_("企业"),
        max_length=200,
        help_text=_("统一社会信用代码或企业全称。"),
    )
    introduced_by = forms.ChoiceField(label=_("引进方"), required=False)
    settled_on = forms.DateField(label=_("入驻日期"), required=False, widget=DateInput)
    production_on = forms.DateField(label=_("投产日期"), required=False, widget=DateInput)
    full_production_on = forms.DateField(label=_("达产日期"), required=False, widget=DateInput)
    moved_on = forms.DateField(label=_("迁入日期"), required=False, widget=DateInput)
    illustrative = forms.BooleanField(
        label=_("示例数据"),
        required=False,
        help_text=_("引进方或日期为示例,并非协议方确认的事实时勾选。"),
    )

    def __init__(
        self,
        *args: Any,
        agreement: Agreement,
        covered: CoveredEnterprise | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "introduced_by", party_choices(agreement, str(_("(未指定)"))))
        self.covered = covered
        if covered is not None:
            # The enterprise of a stored row is fixed: remove the row and add another instead.
            self.fields["enterprise"].disabled = True
            self.fields["enterprise"].required = False
            self.fields["enterprise"].help_text = _(
                "已登记的企业不能更换;如需更换请删除后重新添加。"
            )

    def clean_enterprise(self) -> Enterprise | None:
        if self.covered is not None:
            return self.covered.enterprise
        found = find_enterprise(self.cleaned_data.get("enterprise") or "")
        if isinstance(found, str):
            raise forms.ValidationError(found)
        return found

    def service_fields(self, agreement: Agreement) -> dict[str, Any]:
        data = self.cleaned_data
        parties = {p.key: p for p in agreement.parties.all()}
        fields: dict[str, Any] = {
            "introduced_by": parties.get(data.get("introduced_by") or ""),
            "illustrative": bool(data.get("illustrative")),
            **{name: data.get(name) for name in DATE_FIELDS},
        }
        if self.covered is None:
            fields["enterprise"] = data["enterprise"]
        return fields


def covered_initial(covered: CoveredEnterprise) -> dict[str, Any]:
    return {
        "enterprise": covered.enterprise.uscc or covered.enterprise.name,
        "introduced_by": covered.introduced_by.key if covered.introduced_by else "",
        "illustrative": covered.illustrative,
        **{name: getattr(covered, name) for name in DATE_FIELDS},
    }
