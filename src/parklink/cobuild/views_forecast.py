"""The forecast page (预测): each party's share of the pipeline's expectations, year by year,
under the current rules and the alternatives, side by side, with the solver's answer.

The form parses; `services.forecast` decides; the chart's options are built here with every
user text (party names, alternatives' labels) kept out of formatters (`core.charts`). Every
figure on the page is marked 预测 / forecast: nothing here is a settlement.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.cobuild.ledger import forecast as engine
from parklink.cobuild.services import forecast as forecasts
from parklink.cobuild.services import overview
from parklink.cobuild.services.rules import problem_text
from parklink.cobuild.views import agreement_or_404
from parklink.cobuild.views_ledger import error_text
from parklink.core.charts import PALETTE
from parklink.core.errors import Forbidden, Invalid, NotFound, ParkLinkError
from parklink.core.views import INVALID, authenticated

WAN = Decimal(10_000)
FAMILY_CHOICES = [
    ("", gettext_lazy("不求解")),
    ("ratio", gettext_lazy("分成比例")),
    ("cap", gettext_lazy("上限")),
    ("window", gettext_lazy("窗口期(年)")),
]
MEASURE_CHOICES = [("total", gettext_lazy("合计")), ("present_value", gettext_lazy("现值"))]


class ForecastForm(forms.Form):
    first_year = forms.IntegerField(label=gettext_lazy("起始年份"), min_value=1900, max_value=2200)
    years = forms.IntegerField(
        label=gettext_lazy("预测年限"), min_value=1, max_value=engine.MAX_YEARS
    )
    ramp = forms.CharField(
        label=gettext_lazy("爬坡曲线"),
        max_length=400,
        help_text=gettext_lazy("投产后第1、2、3……年的产能系数,逗号分隔;最后一个值持续到达产"),
    )
    tax_mix = forms.CharField(
        label=gettext_lazy("税收构成"),
        max_length=400,
        help_text=gettext_lazy(
            "达产年税收中各地方税收指标所占比例,如 vat_local=25%, cit_local=16%"
        ),
    )
    discount_rate = forms.CharField(label=gettext_lazy("折现率"), max_length=32)
    alternatives = forms.CharField(
        label=gettext_lazy("备选方案(JSON)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy('[{"label": "方案名称", "rules": [与协议文件中规则相同的写法]}]'),
    )
    family = forms.ChoiceField(label=gettext_lazy("求解"), choices=FAMILY_CHOICES, required=False)
    rule = forms.CharField(label=gettext_lazy("规则代号"), max_length=32, required=False)
    party = forms.CharField(label=gettext_lazy("协议方代号"), max_length=32, required=False)
    target_wan = forms.DecimalField(
        label=gettext_lazy("目标数额(万元)"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=6,
    )
    target_years = forms.IntegerField(
        label=gettext_lazy("年数"), required=False, min_value=1, max_value=engine.MAX_YEARS
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("口径"), choices=MEASURE_CHOICES, required=False, initial="total"
    )
    scenario = forms.IntegerField(
        label=gettext_lazy("方案序号"),
        required=False,
        min_value=0,
        max_value=forecasts.ALTERNATIVES_MAX,
        help_text=gettext_lazy("0 为现行规则,1 为第一个备选方案"),
    )

    def clean_target_wan(self) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get("target_wan")
        if value is not None and (value * WAN * 100) != (value * WAN * 100).to_integral_value():
            raise forms.ValidationError(_("目标数额须精确到分。"))
        return value

    def clean_alternatives(self) -> Any:
        text = (self.cleaned_data.get("alternatives") or "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("不是有效的 JSON:%(error)s") % {"error": exc}) from exc


def initial(agreement: Any) -> dict[str, Any]:
    defaults = forecasts.assumptions_for(agreement)
    return {
        "first_year": defaults.first_year,
        "years": defaults.years,
        "ramp": ", ".join(engine.DEFAULT_RAMP),
        "tax_mix": ", ".join(f"{k}={v}" for k, v in engine.DEFAULT_MIX.items()),
        "discount_rate": "0%",
        "measure": "total",
        "scenario": 0,
    }


def _mix(text: str) -> dict[str, str]:
    pairs = [item.split("=", 1) for item in text.replace(",", ",").split(",") if item.strip()]
    if any(len(pair) != 2 for pair in pairs):
        raise Invalid.on("tax_mix", _("税收构成应写作 vat_local=25%, cit_local=16%。"))
    return {key.strip(): value.strip() for key, value in pairs}


def _question(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data.get("family"):
        return None
    missing = [
        name for name in ("rule", "party", "target_wan", "target_years") if not data.get(name)
    ]
    if data.get("target_wan") == 0 and "target_wan" in missing:
        missing.remove("target_wan")
    if missing:
        raise Invalid(
            _("求解需要规则代号、协议方代号、目标数额和年数。"),
            detail={name: _("必填") for name in missing},
        )
    return {
        "family": data["family"],
        "rule": data["rule"],
        "party": data["party"],
        "amount": int(data["target_wan"] * WAN * 100),
        "years": data["target_years"],
        "measure": data.get("measure") or "total",
    }


def build(user: Any, agreement: Any, data: dict[str, Any]) -> forecasts.Forecast:
    assumptions = forecasts.assumptions_for(
        agreement,
        ramp=[v.strip() for v in data["ramp"].replace(",", ",").split(",") if v.strip()],
        tax_mix=_mix(data["tax_mix"]),
        discount_rate=data["discount_rate"].strip(),
        first_year=data["first_year"],
        years=data["years"],
    )
    return forecasts.build(
        user,
        agreement,
        assumptions,
        data.get("alternatives"),
        _question(data),
        data.get("scenario") or 0,
    )


def money(value: int) -> str:
    return overview.amount_text(value, "vat_local")


def table(found: forecasts.Forecast) -> dict[str, Any]:
    """Rows of the side-by-side table: per year, per scenario, per party."""
    columns = [(result, party) for result in found.results for party in found.parties]
    rows = []
    for position, year in enumerate(found.assumptions.year_range):
        rows.append(
            {
                "year": year,
                "cells": [
                    money(result.rows[position].money.get(party.key, 0))
                    for result, party in columns
                ],
                "recorded": money(found.results[0].rows[position].recorded)
                if found.results
                else "",
            }
        )
    return {
        "scenarios": [{"result": result, "span": len(found.parties)} for result in found.results],
        "parties": [party for _result, party in columns],
        "rows": rows,
        "totals": [money(result.totals[party.key]) for result, party in columns],
        "present": [
            money(forecasts.pv_fen(result.present_values[party.key])) for result, party in columns
        ],
        "unmatched": [
            (result.label, money(result.unmatched), [problem_text(p) for p in result.reasons])
            for result in found.results
            if result.unmatched
        ],
    }


def project_row(line: forecasts.ProjectLine) -> dict[str, Any]:
    origins = {
        "agreement": _("协议企业信息"),
        "stages": _("项目阶段"),
        "milestones": _("项目里程碑"),
    }
    return {
        "project": line.project,
        "annual_tax_text": money(line.annual_tax),
        "annual_output_text": overview.amount_text(line.annual_output, "output"),
        "production_on": line.production_on,
        "full_production_on": line.full_production_on,
        "origin_label": origins.get(line.dates_from, "—"),
    }


def chart(found: forecasts.Forecast) -> dict[str, Any]:
    """Stacked bars per year: one stack per scenario, one colour per party (万元, for drawing)."""
    years = [str(year) for year in found.assumptions.year_range]
    series = []
    for index, result in enumerate(found.results):
        for order, party in enumerate(found.parties):
            series.append(
                {
                    "type": "bar",
                    "name": f"{result.label} · {party.organization.name}",
                    "stack": result.key,
                    "data": [
                        round(row.money.get(party.key, 0) / 1_000_000, 2) for row in result.rows
                    ],
                    "itemStyle": {
                        "color": PALETTE[order % len(PALETTE)],
                        "opacity": 1 if index == 0 else 0.6,
                    },
                    "barMaxWidth": 28,
                }
            )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 56, "right": 16, "top": 48, "bottom": 32},
        "xAxis": {"type": "category", "data": years},
        "yAxis": {"type": "value", "name": _("万元(预测)")},
        "series": series,
    }


@login_required
def forecast(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    form = ForecastForm(request.POST or None, initial=initial(agreement))
    context: dict[str, Any] = {"agreement": agreement, "form": form, "found": None}
    status = 200
    data = form.cleaned_data if request.method == "POST" and form.is_valid() else None
    if request.method == "POST" and data is None:
        status = INVALID
    if request.method != "POST":
        data = dict(form.initial)
    if data is not None:
        try:
            found = build(user, agreement, data)
        except (Forbidden, NotFound):
            raise
        except ParkLinkError as error:
            status = INVALID
            context["error"] = error_text(error)
            if isinstance(error.detail, dict):
                context["error_fields"] = {
                    k: v for k, v in error.detail.items() if k != "en" and isinstance(v, str)
                }
        else:
            context |= {
                "found": found,
                "table": table(found),
                "chart": chart(found),
                "answer": answer_text(found),
                "lines": [project_row(line) for line in found.projects],
                "skipped": found.skipped,
            }
    return render(request, "cobuild/forecast.html", context, status=status)


def answer_text(found: forecasts.Forecast) -> str | None:
    answer = found.answer
    if answer is None:
        return None
    q = answer.question
    achieved = money(forecasts.pv_fen(answer.achieved))
    target = money(q.amount)
    if not answer.reachable:
        return _(
            "无法达到:即使取最大值,%(party)s %(years)d 年内也只能得到 %(achieved)s"
            "(目标 %(target)s)。"
        ) % {"party": q.party, "years": q.years, "achieved": achieved, "target": target}
    if q.family == "ratio":
        value = overview.percent_text(answer.share)
    elif q.family == "cap":
        value = money(answer.value or 0)
    else:
        value = _("%(years)d 年") % {"years": answer.value}
    return _(
        "%(party)s %(years)d 年内得到不少于 %(target)s 所需的最小值:%(value)s(可得 %(achieved)s)。"
    ) % {
        "party": q.party,
        "years": q.years,
        "target": target,
        "value": value,
        "achieved": achieved,
    }
