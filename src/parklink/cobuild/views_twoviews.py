"""The two statistical views page (两种统计口径): 在地统计 and 分成后 side by side per settled
period, indicator and party, and the same table as .xlsx or .csv."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parklink.cobuild.ledger.twoviews import ASSESSMENT_LABEL
from parklink.cobuild.services import overview, runs, twoviews
from parklink.cobuild.views import agreement_or_404
from parklink.core import xlsx
from parklink.core.errors import ParkLinkError
from parklink.core.views import authenticated

DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _period(request: HttpRequest) -> str | None:
    value = (request.GET.get("period") or "").strip()
    if not value:
        return None
    try:
        return runs.parse_period(value).label
    except ParkLinkError as error:
        raise Http404(value) from error


@login_required
def two_views(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    period = _period(request)
    found = twoviews.two_views(agreement, period)
    parties = list(agreement.parties.select_related("organization").order_by("order"))
    names = {party.key: party.organization.name for party in parties}
    periods = []
    for views in found:
        rows = []
        for row in views.indicators:
            rows.append(
                {
                    "indicator": row.indicator,
                    "label": overview.indicator_label(row.indicator),
                    "assessment": row.assessment,
                    "recorded": overview.amount_text(row.recorded, row.indicator),
                    "unsplit": (
                        overview.amount_text(row.unsplit, row.indicator) if row.unsplit else ""
                    ),
                    "parties": [
                        {
                            "key": figures.party or "",
                            "name": names.get(figures.party or "", _("未能归属")),
                            "in_place": overview.amount_text(figures.in_place, row.indicator),
                            "split": overview.amount_text(figures.split, row.indicator),
                            "difference": overview.amount_text(figures.difference, row.indicator),
                            "moved": figures.difference != 0,
                        }
                        for figures in row.parties
                    ],
                }
            )
        periods.append(
            {
                "period": views.period,
                "host": names.get(views.host or ""),
                "rows": rows,
                "assessment": views.assessment,
            }
        )
    return render(
        request,
        "cobuild/two_views.html",
        {
            "agreement": agreement,
            "periods": periods,
            "period": period,
            "assessment": any(item["assessment"] for item in periods),
            "no_host": bool(found) and found[0].host is None,
        },
    )


@login_required
def two_views_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404(fmt)
    user = authenticated(request)
    agreement = agreement_or_404(user, pk)
    period = _period(request)
    found = twoviews.two_views(agreement, period)
    rows = twoviews.table_rows(agreement, found)
    notice = [[ASSESSMENT_LABEL]] if any(views.assessment for views in found) else []
    if fmt == "csv":
        data = xlsx.csv_bytes([*notice, *rows])
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("两种统计口径"))
        for row in [*notice, *rows]:
            xlsx.append(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    response = HttpResponse(data, content_type=DOWNLOADS[fmt])
    name = f"views-{agreement.pk}{'-' + period if period else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
