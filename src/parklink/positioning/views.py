"""The positioning page (/positioning/): a place's quadrants, ranked candidates and exclusions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.core.errors import ParkLinkError
from parklink.core.views import authenticated
from parklink.positioning import exports
from parklink.positioning.charts import industry_space, scatter
from parklink.positioning.forms import PositioningForm
from parklink.positioning.services.report import Options, industry_name, place_report

QUADRANTS = {
    "strength": gettext_lazy("优势"),
    "weakness": gettext_lazy("短板"),
    "opportunity": gettext_lazy("机会"),
    "entrant": gettext_lazy("可进入"),
    "threat": gettext_lazy("远景"),
    "none": gettext_lazy("不推荐"),
}
TAGS = {
    "energy_intensive": gettext_lazy("高耗能行业"),
    "two_high": gettext_lazy("“两高”行业"),
    "water_intensive": gettext_lazy("高耗水行业"),
    "chemical_park": gettext_lazy("须进入化工园区"),
}
WARNINGS = {
    "weak_structure": gettext_lazy("特征值间隔过小,ECI 排序不可靠"),
    "disconnected": gettext_lazy("地区—产业网络分成互不相连的几块,ECI 反映的是分块而非复杂度"),
}


def reason_text(reason: str) -> str:
    kind, _sep, tag = reason.partition(":")
    if kind == "by_hand":
        return _("手工排除")
    if kind == "partly":
        return _("部分属于%(tag)s") % {"tag": TAGS[tag]}
    return str(TAGS[tag])


def quadrant_label(key: str) -> str:
    return str(QUADRANTS[key])


def _report(form: PositioningForm) -> Any:
    """The form's report, or None with the refusal on the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        return place_report(form.cleaned_data["place"].adcode, Options(**form.options()))
    except ParkLinkError as error:
        form.add_error(None, error.message)
        return None


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The same report as an .xlsx workbook (the page's query string)."""
    user = authenticated(request)
    form = PositioningForm(request.GET or None, user=user)
    report = _report(form)
    if report is None:
        raise Http404(_("请先在产业定位页选择地区并计算"))
    data = exports.workbook(report, quadrant_label, reason_text, form.options())
    response = HttpResponse(data, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="positioning-{report.place.adcode}.xlsx"'
    )
    return response


@login_required
def positioning(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    form = PositioningForm(request.GET or None, user=user)
    context: dict[str, Any] = {"form": form}
    report = _report(form)
    if report is not None:
        found = report.found
        names = {code: industry_name(code) for code in report.placed.matrix.industries}
        labels = {key: str(value) for key, value in QUADRANTS.items()}
        context.update(
            report=report,
            names=names,
            candidates=[
                (item, names.get(item.industry, ""), labels[item.quadrant])
                for item in found.candidates()[:50]
            ],
            present=[
                (item, names.get(item.industry, ""), labels[item.quadrant])
                for item in found.items
                if item.present
            ],
            excluded=[
                (code, names.get(code, ""), "、".join(reason_text(r) for r in reasons))
                for code, reasons in sorted(found.excluded.items())
            ],
            warnings=[
                str(WARNINGS[code]) for code in sorted(report.result.codes() & set(WARNINGS))
            ],
            chart=scatter(found, names, labels),
            space=industry_space(
                report.result.proximity,
                [
                    code
                    for code, kept in zip(
                        report.placed.matrix.industries,
                        report.result.kept_products.tolist(),
                        strict=True,
                    )
                    if kept
                ],
                {item.industry for item in found.items if item.present},
                names,
                (_("已具优势"), _("尚未具备")),
            ),
            export_query=request.GET.urlencode(),
        )
    return render(request, "positioning/positioning.html", context)
