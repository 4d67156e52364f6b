"""Forms of the co-built park pages: they only parse; `cobuild.services` validate and save.

The agreement form with its parties as rows, the status change, an amendment, a sharing rule
(its parameters as JSON, the kind's documented example as the placeholder), a records import
and a period to settle.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parklink.accounts.models import Organization
from parklink.cobuild.ledger.kinds import KINDS
from parklink.cobuild.models import (
    Agreement,
    AgreementStatus,
    DivisionMode,
    Indicator,
    PartyRole,
    ScopeKind,
)
from parklink.cobuild.services.agreements import PartySpec
from parklink.core.errors import ParkLinkError
from parklink.core.forms import RowForm, RowList, row_formset, row_list, set_choices
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park

PARTY_LIMIT = 12


class DateInput(forms.DateInput):
    """A browser date picker; its value is ISO (yyyy-mm-dd) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# ---------------------------------------------------------------- the list's filters


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *AgreementStatus.choices]
    )
    park = forms.ChoiceField(label=_("共建园区"), required=False)

    def __init__(self, *args: Any, parks: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "park", [("", _("全部")), *parks])


# ---------------------------------------------------------------- agreement and parties


class PartyRowForm(RowForm):
    content_fields = ("organization", "key")

    organization = forms.ChoiceField(label=_("机构"), required=False)
    key = forms.SlugField(
        label=_("代号"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"style": "width:8em", "placeholder": "jinniu"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        choices=PartyRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(
        label=_("顺序"),
        required=False,
        min_value=0,
        max_value=29999,
        widget=forms.NumberInput(attrs={"style": "width:5em"}),
    )

    def __init__(
        self, *args: Any, organizations: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organization", organizations or [("", "---------")])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("DELETE") and not self.is_blank():
            if not data.get("organization"):
                self.add_error("organization", _("请选择机构。"))
            if not data.get("key"):
                self.add_error("key", _("请填写代号。"))
        return data

    def as_item(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "organization": int(data["organization"]),
            "key": data.get("key") or "",
            "roles": list(data.get("roles") or []),
            "order": data.get("order"),
        }


PartyFormSet = row_formset(PartyRowForm, PARTY_LIMIT)


def organization_choices() -> list[tuple[str, str]]:
    choices = [("", "---------")]
    choices += [(str(pk), name) for pk, name in Organization.objects.order_by("name", "pk")
                .values_list("pk", "name")]  # fmt: skip
    return choices


def party_list(data: Mapping[str, Any] | None, agreement: Agreement | None) -> RowList:
    initial: list[dict[str, Any]] = []
    if agreement is not None:
        initial = [
            {"organization": str(p.organization_id), "key": p.key, "roles": p.roles,
             "order": p.order}
            for p in agreement.parties.order_by("order", "pk")
        ]  # fmt: skip
    return row_list(
        PartyFormSet,
        data,
        "parties",
        initial,
        form_kwargs={"organizations": organization_choices()},
    )


def party_specs(items: list[dict[str, Any]]) -> list[PartySpec]:
    """The rows as the services take them; a row without an order comes after the others."""
    orgs = Organization.objects.in_bulk([item["organization"] for item in items])
    used = {item["order"] for item in items if item["order"] is not None}
    following = max(used, default=-1) + 1
    specs = []
    for item in items:
        order = item["order"]
        if order is None:
            order, following = following, following + 1
        specs.append(PartySpec(orgs[item["organization"]], item["key"], item["roles"], order))
    return specs


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("协议名称"), max_length=200)
    effective_from = forms.DateField(
        label=_("第1版生效日期"),
        widget=DateInput,
        help_text=_("分享规则从这一天起适用;修订时再新建版本。"),
    )
    division_mode = forms.ChoiceField(
        label=_("分工模式"), required=False, choices=[("", "---------"), *DivisionMode.choices]
    )
    division_note = forms.CharField(
        label=_("分工说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    term_start = forms.DateField(label=_("协议期限起"), required=False, widget=DateInput)
    term_end = forms.DateField(label=_("协议期限止"), required=False, widget=DateInput)
    parks = forms.ModelMultipleChoiceField(
        label=_("共建园区"),
        required=False,
        queryset=Park.objects.order_by("name_pinyin", "pk"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        label=_("起草机构"), queryset=Organization.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, creating: bool = True, choose_owner: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["effective_from"]
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
            "title": data["title"],
            "division_mode": data.get("division_mode") or "",
            "division_note": data.get("division_note") or "",
            "term_start": data.get("term_start"),
            "term_end": data.get("term_end"),
            "parks": list(data.get("parks") or []),
            "description": data.get("description") or "",
        }


def initial_of(agreement: Agreement) -> dict[str, Any]:
    return {
        "title": agreement.title,
        "division_mode": agreement.division_mode,
        "division_note": agreement.division_note,
        "term_start": agreement.term_start,
        "term_end": agreement.term_end,
        "parks": list(agreement.parks.all()),
        "description": agreement.description,
    }


# ---------------------------------------------------------------- status and versions


class TransitionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("变更为"), choices=AgreementStatus.choices, widget=forms.HiddenInput
    )
    date = forms.DateField(label=_("生效日期"), widget=DateInput)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class AmendForm(forms.Form):
    effective_from = forms.DateField(label=_("新版本生效日期"), widget=DateInput)
    note = forms.CharField(
        label=_("修订说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# ---------------------------------------------------------------- rules


def kind_example(code: str) -> str:
    """The kind's documented parameters ("params: …" in its module's docstring)."""
    kind = KINDS.get(code)
    module = sys.modules.get(type(kind).__module__) if kind is not None else None
    doc = (module.__doc__ if module is not None else "") or ""
    _head, found, rest = doc.partition("params:")
    if not found:
        return ""
    lines = [line for line in rest.split("\n\n", 1)[0].splitlines()]
    return "\n".join(line.rstrip() for line in lines).strip()


def kind_choices(english: bool) -> list[tuple[str, str]]:
    return [
        (code, f"{kind.name_en if english else kind.name_zh} ({code})")
        for code, kind in KINDS.items()
    ]


class RuleForm(forms.Form):
    key = forms.SlugField(
        label=_("规则代号"),
        max_length=32,
        help_text=_("小写字母开头,如 vat-ratio;修订时沿用同一代号,上限等累计随规则延续。"),
    )
    indicator = forms.ChoiceField(label=_("指标"), choices=Indicator.choices)
    scope_kind = forms.ChoiceField(label=_("适用范围"), choices=ScopeKind.choices)
    scope_party = forms.ChoiceField(label=_("引进方"), required=False)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("企业"),
        required=False,
        queryset=Enterprise.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("适用范围为“企业名单”或“单个企业”时选择。"),
    )
    kind = forms.ChoiceField(label=_("规则类型"))
    params = forms.CharField(
        label=_("参数(JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "pl-code"}),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[str, str]],
        enterprises: Any,
        english: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "scope_party", [("", "---------"), *parties])
        set_choices(self, "kind", kind_choices(english))
        chosen = self.fields["enterprises"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = enterprises
        kind = self.data.get("kind") or self.initial.get("kind") or next(iter(KINDS), "")
        self.fields["params"].widget.attrs["placeholder"] = kind_example(str(kind))

    def clean_params(self) -> dict[str, Any]:
        text = self.cleaned_data.get("params") or ""
        try:
            value = json.loads(text, parse_float=_no_float)
        except _FloatRefused as exc:
            raise forms.ValidationError(
                _('比例请写成文本,如 "3/5"、"60%";金额写成整数(分)。')
            ) from exc
        except ValueError as exc:
            raise forms.ValidationError(
                _("参数不是有效的 JSON:%(reason)s"), params={"reason": str(exc)}
            ) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("参数须是一个 JSON 对象。"))
        return value

    def service_fields(self, parties: Mapping[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "indicator": data["indicator"],
            "scope_kind": data["scope_kind"],
            "scope_party": parties.get(data.get("scope_party") or ""),
            "enterprises": list(data.get("enterprises") or []),
            "kind": data["kind"],
            "params": data["params"],
            "note": data.get("note") or "",
        }


class _FloatRefused(ValueError):
    pass


def _no_float(text: str) -> Any:
    raise _FloatRefused(text)


def show_rule_error(form: RuleForm, error: ParkLinkError) -> None:
    """The engine's reasons next to the field they name ("params.shares" under the params);
    a reason about the version's rule set as a whole above the form."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    placed = False
    for name, problem in detail.items():
        if not isinstance(problem, str):
            continue
        head = str(name).split(".", 1)[0]
        if head in form.fields:
            where = str(name).removeprefix(f"{head}.") if "." in str(name) else ""
            form.add_error(head, f"{where}: {problem}" if where else problem)
            placed = True
        elif head.startswith("rules"):
            form.add_error(None, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def rule_initial(rule: Any) -> dict[str, Any]:
    return {
        "key": rule.key,
        "indicator": rule.indicator,
        "scope_kind": rule.scope_kind,
        "scope_party": rule.scope_party.key if rule.scope_party else "",
        "enterprises": list(rule.enterprises.all()),
        "kind": rule.kind,
        "params": json.dumps(rule.params, ensure_ascii=False, indent=2),
        "note": rule.note,
    }


# ---------------------------------------------------------------- figures and runs


class RecordImportForm(forms.Form):
    period = forms.CharField(
        label=_("结算期"),
        max_length=8,
        help_text=_("年度 2025、季度 2025Q1 或月份 2025-03"),
        widget=forms.TextInput(attrs={"placeholder": "2025Q1"}),
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel (.xlsx) 或 CSV (.csv),第一行为表头:统一社会信用代码、指标、数额"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    replace = forms.BooleanField(
        label=_("替换已结算确认的数据"),
        required=False,
        help_text=_(
            "该结算期已确认时才需要勾选:已确认的结算将标记为“已被替换”,需重新结算并由各方再次确认。"
        ),
    )


class RunForm(forms.Form):
    period = forms.CharField(
        label=_("结算期"),
        max_length=8,
        help_text=_("年度 2025、季度 2025Q1 或月份 2025-03"),
        widget=forms.TextInput(attrs={"placeholder": "2025Q1"}),
    )
