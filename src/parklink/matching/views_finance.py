"""Financing pages (银企对接): banks and products, needs (list, detail with matches and the
lifecycle buttons, new, edit) and the programme's figures. Thin: services/finance.py decides."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parklink.core.errors import NotFound, ParkLinkError
from parklink.core.pickers import Picker
from parklink.core.views import INVALID, authenticated
from parklink.enterprises.models import Enterprise
from parklink.matching.finance import lifecycle
from parklink.matching.models_finance import FinancingNeed, NeedStatus, Urgency
from parklink.matching.services import finance

STATE_LABELS = {"met": _("满足"), "not_met": _("不满足"), "unknown": _("待核实")}


class NeedForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"),
        queryset=Enterprise.objects.none(),
        widget=Picker("enterprise"),  # found by typing: a province has too many to list
        error_messages={"invalid_choice": gettext_lazy("只能为本辖区的企业登记融资需求。")},
    )
    amount = forms.IntegerField(label=gettext_lazy("融资金额(元)"), min_value=1)
    term = forms.IntegerField(label=gettext_lazy("期限(月)"), min_value=1, max_value=360)
    purpose = forms.CharField(label=gettext_lazy("用途"), max_length=200)
    collateral = forms.CharField(
        label=gettext_lazy("抵质押物(无则留空)"), max_length=200, required=False
    )
    urgency = forms.ChoiceField(label=gettext_lazy("紧急程度"), choices=Urgency.choices)
    registered_on = forms.DateField(label=gettext_lazy("登记日期"), required=False)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enterprises if enterprises is not None else Enterprise.objects.none()


def _region_enterprises(user: Any) -> Any:
    if user.is_superuser:
        return Enterprise.objects.order_by("name")
    org = user.organization
    if org is None:
        return Enterprise.objects.none()
    path = org.region.path
    return Enterprise.objects.filter(
        region__path__startswith=path + "/"
    ) | Enterprise.objects.filter(region__path=path)


@login_required
def products(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = finance.visible_products(user).select_related("bank", "programme")
    return render(
        request,
        "matching/finance/products.html",
        {
            "products": rows,
            "banks": finance.visible_banks(user),
            "can_keep": finance.may_keep_products(user),
        },
    )


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    product = finance.get_product(user, pk)
    return render(
        request,
        "matching/finance/product_detail.html",
        {
            "product": product,
            "conditions": finance.conditions_of(product),
            "can_keep": user.is_superuser
            or (finance.may_keep_products(user) and finance.bank_of(user) == product.bank),
        },
    )


@login_required
def needs(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    rows = finance.visible_needs(user).select_related("enterprise", "product__bank")
    status = request.GET.get("status", "")
    if status in NeedStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "matching/finance/needs.html",
        {
            "needs": rows,
            "status": status,
            "statuses": NeedStatus.choices,
            "can_create": user.can_write and finance._bank_of(user) is None,
        },
    )


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    need = finance.get_need(user, pk)
    matches = finance.visible_matches(user).filter(need=need).select_related("product__bank")
    actions = [t for t in lifecycle.allowed(need.status) if t.action != "rematch"]
    return render(
        request,
        "matching/finance/need_detail.html",
        {
            "need": need,
            "matches": matches,
            "history": need.history.select_related("by"),
            "actions": actions if user.can_write else [],
            "can_rematch": user.can_write and need.status == NeedStatus.MATCHED,
            "can_edit": user.can_write and need.status in finance.EDITABLE,
            "state_labels": STATE_LABELS,
            "today": date.today(),
        },
    )


def _need_form(request: HttpRequest, need: FinancingNeed | None) -> HttpResponse:
    user = authenticated(request)
    initial: dict[str, Any] = {}
    if need is not None:
        initial = {
            k: getattr(need, k)
            for k in ("amount", "term", "purpose", "collateral", "urgency", "registered_on")
        }
        initial["enterprise"] = need.enterprise
    form = NeedForm(request.POST or None, initial=initial, enterprises=_region_enterprises(user))
    if need is not None:
        form.fields["enterprise"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = data.pop("enterprise")
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        try:
            if need is None:
                need = finance.create_need(user, enterprise, data)
            else:
                finance.update_need(user, need, data)
        except ParkLinkError as refusal:
            for key, message in (getattr(refusal, "detail", None) or {}).items():
                if key in form.fields:
                    form.add_error(key, str(message))
            if not form.errors:
                form.add_error(None, refusal.message)
        else:
            messages.success(request, _("融资需求已保存。"))
            return HttpResponseRedirect(reverse("matching:finance-need", args=[need.pk]))
    return render(
        request,
        "matching/finance/need_form.html",
        {"form": form, "need": need},
        status=INVALID if request.method == "POST" else 200,
    )


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    return _need_form(request, None)


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _need_form(request, finance.get_need(authenticated(request), pk))


def _int(raw: str) -> int | None:
    raw = raw.replace(",", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError
    return int(raw)


@login_required
@require_POST
def need_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    need = finance.get_need(user, pk)
    action = request.POST.get("action", "")
    product = None
    try:
        if request.POST.get("product"):
            product = finance.get_product(user, int(request.POST["product"]))
        amount = _int(request.POST.get("amount", ""))
        raw_day = request.POST.get("on", "")
        on = date.fromisoformat(raw_day) if raw_day else None
    except (ValueError, NotFound):
        messages.error(request, _("金额须为整数元,日期格式为 YYYY-MM-DD,产品须为已匹配的产品。"))
        return HttpResponseRedirect(reverse("matching:finance-need", args=[need.pk]))
    try:
        finance.transition(
            user, need, action, product=product, amount=amount, on=on,
            note=request.POST.get("note", "")[:500],
        )  # fmt: skip
    except ParkLinkError as refusal:
        detail = getattr(refusal, "detail", None) or {}
        messages.error(request, "; ".join(str(v) for v in detail.values()) or refusal.message)
    else:
        messages.success(request, _("已更新需求状态。"))
    return HttpResponseRedirect(reverse("matching:finance-need", args=[need.pk]))


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    report = finance.figures(finance.visible_needs(user))
    programmes = finance.visible_programmes(user)
    return render(
        request,
        "matching/finance/figures.html",
        {"report": report, "programmes": programmes},
    )


@login_required
def needs_export(request: HttpRequest) -> HttpResponse:
    """The needs the user may see with their matched products, as .xlsx."""
    from parklink.matching import exports_finance

    response = HttpResponse(
        exports_finance.needs_workbook(authenticated(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="financing-needs.xlsx"'
    return response
