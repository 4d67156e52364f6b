"""Reports page: the monthly report and the quarterly assessment of an organisation and
period, downloaded as xlsx or PDF, and the list of reports written into storage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parklink.core.errors import Invalid, NotFound
from parklink.core.views import authenticated
from parklink.kpi.models import ReportKind
from parklink.kpi.queries import assessable, visible_schemes
from parklink.kpi.services import generated, schemes
from parklink.kpi.views import _default_period


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    orgs = list(assessable(user).order_by("name")[:500])
    versions = schemes.latest_versions(visible_schemes(user))
    values = {
        "org": request.GET.get("org") or str(user.organization_id or (orgs[0].pk if orgs else "")),
        "kind": request.GET.get("kind") or ReportKind.MONTHLY,
        "period": request.GET.get("period") or _default_period(),
        "format": request.GET.get("format") or "xlsx",
        "scheme": request.GET.get("scheme") or generated.DEFAULT_SCHEME,
    }
    error = ""
    if request.GET.get("download"):
        try:
            made = generated.make(
                user,
                int(values["org"]) if values["org"].isdigit() else 0,
                values["kind"],
                values["period"],
                values["format"],
                values["scheme"],
            )
        except Invalid as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            error = str(next(iter(detail.values()), exc.message))
        else:
            response = HttpResponse(
                made.data, content_type=generated.CONTENT_TYPES[values["format"]]
            )
            response["Content-Disposition"] = (
                f"attachment; filename*=UTF-8''{_quote(made.filename)}"
            )
            return response
    listing = (
        generated.visible_reports(user)
        .select_related("organization", "generated_by")
        .order_by("-generated_at", "-pk")
    )
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "kpi/reports.html",
        {
            "orgs": orgs,
            "versions": versions,
            "values": values,
            "kinds": ReportKind.choices,
            "error": error,
            "page": page,
        },
        status=400 if error else 200,
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    user = authenticated(request)
    row = generated.visible_reports(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("报告不存在或无权查看。"))
    handle = row.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=(row.file.name or "report").rsplit("/", 1)[-1],
        content_type=generated.CONTENT_TYPES.get(row.format, "application/octet-stream"),
    )
