"""The positioning page (/positioning/): a place's quadrants, ranked candidates and exclusions."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parklink.core.errors import ParkLinkError
from parklink.core.views import authenticated, permitted
from parklink.positioning import exports
from parklink.positioning.charts import industry_space, scatter
from parklink.positioning.forms import PositioningForm
from parklink.positioning.services.links import links_for, targets_url
from parklink.positioning.services.report import Options, industry_name, place_report
from parklink.positioning.services.systems import ensure_can_change, systems_for
from parklink.positioning.words import (
    QUADRANTS,
    ROLES,
    STATUS,
    WARNINGS,
    reason_text,
    resource_name,
)


def resource_note(report: Any, industry: str) -> str:
    """The resources an industry uses that the place has, and those it needs that it lacks."""
    if report.resource_fit is None:
        return ""
    reasons = report.resource_fit.favoured.get(industry, []) + report.resource_fit.missing.get(
        industry, []
    )
    return "、".join(reason_text(r) for r in reasons)


def quadrant_label(key: str) -> str:
    return str(QUADRANTS[key])


def _report(form: PositioningForm) -> Any:
    """The form's report, or None with the refusal on the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        return place_report(form.place_code(), Options(**form.options()))
    except ParkLinkError as error:
        form.add_error(None, error.message)
        return None


def _changes(report: Any, names: dict[str, str]) -> list[dict[str, Any]]:
    """The industries whose RCA changed most, both ways (defined in both years)."""
    if report.change is None:
        return []
    rows = [c for c in report.change.industries if math.isfinite(c.rca_change)]
    rows.sort(key=lambda c: -abs(c.rca_change))
    return [
        {"change": c, "name": names.get(c.industry) or industry_name(c.industry)} for c in rows[:20]
    ]


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
        f'attachment; filename="positioning-{report.key.replace(":", "-")}.xlsx"'
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
        names = report.product_names()
        labels = {key: str(value) for key, value in QUADRANTS.items()}
        shown = found.candidates()[:50]
        growth = report.change.growth() if report.change else {}
        segments = links_for(user, report, [item.industry for item in shown])
        context.update(
            report=report,
            names=names,
            candidates=[
                (
                    item,
                    names.get(item.industry, ""),
                    labels[item.quadrant],
                    resource_note(report, item.industry),
                    [
                        (f"{ref.chain_name}·{ref.segment_name}", targets_url(report, ref))
                        for ref in segments.get(item.industry, [])
                    ],
                    growth.get(item.industry),
                )
                for item in shown
            ],
            changes=_changes(report, names),
            can_save=report.park is None and permitted(ensure_can_change, user),
            here=request.get_full_path(),
            resources=[resource_name(kind) for kind in report.resources],
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
            systems=[
                {
                    "system": found_system.system,
                    "rows": [
                        {
                            "name": v.declared.name,
                            "role": str(ROLES.get(v.declared.role, v.declared.role)),
                            "codes": "、".join(v.declared.codes),
                            "status": v.status,
                            "status_text": str(STATUS[v.status]),
                            "best": v.best,
                            "best_name": names.get(v.best.industry, "") if v.best else "",
                        }
                        for v in found_system.verdicts
                    ],
                    "missing": [(m, names.get(m.industry, "")) for m in found_system.missing],
                }
                for found_system in systems_for(report)
            ],
        )
    return render(request, "positioning/positioning.html", context)
