"""Excel downloads of surveys, liaison offices and findings, scoped like their pages."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from parklink.core.errors import Invalid
from parklink.core.views import authenticated
from parklink.kpi import exports
from parklink.kpi.queries import visible_findings, visible_offices
from parklink.kpi.services import surveys as survey_service
from parklink.kpi.services.targets import parse_period
from parklink.projects.queries import today

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_service.get_survey(authenticated(request), pk)
    return _file(exports.survey_xlsx(survey), f"{survey.title}.xlsx")


@login_required
def offices_export(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    try:
        period = parse_period(request.GET.get("period") or str(today().year))
    except Invalid as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    offices = list(
        visible_offices(user)
        .select_related("organization", "region", "park")
        .prefetch_related("staff")
        .order_by("organization__name", "kind", "name")[:500]
    )
    return _file(exports.offices_xlsx(user, offices, period), f"驻点招商_{period.label}.xlsx")


@login_required
def findings_export(request: HttpRequest) -> HttpResponse:
    rows = (
        visible_findings(authenticated(request))
        .select_related("project", "noted_by", "recorded_by")
        .order_by("-noted_on", "-pk")[:20000]
    )
    return _file(exports.findings_xlsx(rows), "核查认定.xlsx")
