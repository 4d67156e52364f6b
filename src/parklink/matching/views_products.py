"""Bank product pages for a bank's staff: create, edit, retire and put back on sale.

The checks are the service's (`finance.validate_product`, `update_product`, `set_active`):
amounts in whole 元, terms in months, rates in % with three decimals, conditions in the
policies' JSON Logic format, each with its clause.
"""

from __future__ import annotations

import json
from decimal import Decimal
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

from parklink.core.errors import Forbidden, Invalid, ParkLinkError
from parklink.core.forms import show_service_error
from parklink.core.views import INVALID, authenticated
from parklink.matching.models_finance import FinanceProduct, ProductKind, Programme
from parklink.matching.services import finance


class ProductForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("产品名称"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=ProductKind.choices)
    amount_min = forms.IntegerField(label=gettext_lazy("最低额度(元)"), min_value=1)
    amount_max = forms.IntegerField(label=gettext_lazy("最高额度(元)"), min_value=1)
    term_min = forms.IntegerField(label=gettext_lazy("最短期限(月)"), min_value=1, max_value=360)
    term_max = forms.IntegerField(label=gettext_lazy("最长期限(月)"), min_value=1, max_value=360)
    rate_min = forms.DecimalField(
        label=gettext_lazy("最低年利率(%)"), min_value=Decimal(0), max_digits=6, decimal_places=3
    )
    rate_max = forms.DecimalField(
        label=gettext_lazy("最高年利率(%)"), min_value=Decimal(0), max_digits=6, decimal_places=3
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("政府金融服务项目"),
        queryset=Programme.objects.order_by("name"),
        required=False,
    )
    conditions = forms.CharField(
        label=gettext_lazy("准入条件(JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "与政策相同的 JSON Logic 条件列表,每条写明所依据的产品条款;留空表示无额外条件。"
        ),
    )

    def clean_conditions(self) -> list[Any]:
        raw = (self.cleaned_data.get("conditions") or "").strip()
        if not raw:
            return []
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("条件不是合法的 JSON(第 %(line)s 行第 %(col)s 列):%(msg)s")
                % {"line": error.lineno, "col": error.colno, "msg": error.msg}
            ) from None
        if not isinstance(data, list):
            raise forms.ValidationError(_("准入条件应为列表。"))
        return data


def _initial(product: FinanceProduct) -> dict[str, Any]:
    return {
        "name": product.name,
        "kind": product.kind,
        "amount_min": product.amount_min,
        "amount_max": product.amount_max,
        "term_min": product.term_min,
        "term_max": product.term_max,
        "rate_min": product.rate_min,
        "rate_max": product.rate_max,
        "programme": product.programme,
        "conditions": json.dumps(product.conditions, ensure_ascii=False, indent=2),
    }


def _form_page(request: HttpRequest, product: FinanceProduct | None) -> HttpResponse:
    user = authenticated(request)
    bank = product.bank if product is not None else finance.bank_of(user)
    if bank is None or not (user.is_superuser or finance.may_keep_products(user)):
        raise Forbidden(_("只有银行的专员可以维护金融产品。"))
    form = ProductForm(request.POST or None, initial=_initial(product) if product else None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if product is None:
                if FinanceProduct.objects.filter(bank=bank, name=values["name"]).exists():
                    raise Invalid.on(
                        "name", _("本行已有名为“%(name)s”的产品。") % {"name": values["name"]}
                    )
                saved = finance.save_product(user, bank, values)
            else:
                saved = finance.update_product(user, product, values)
        except Forbidden:
            raise
        except ParkLinkError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("金融产品已保存。"))
            return HttpResponseRedirect(reverse("matching:finance-product", args=[saved.pk]))
    return render(
        request,
        "matching/finance/product_form.html",
        {"form": form, "product": product, "bank": bank},
        status=INVALID if form.errors else 200,
    )


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    return _form_page(request, finance.get_product(user, pk))


@login_required
@require_POST
def product_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    product = finance.get_product(user, pk)
    active = request.POST.get("active") == "1"
    finance.set_active(user, product, active)
    messages.success(
        request, _("产品已重新上架。") if active else _("产品已下架,不再匹配新的融资需求。")
    )
    return HttpResponseRedirect(reverse("matching:finance-product", args=[product.pk]))
