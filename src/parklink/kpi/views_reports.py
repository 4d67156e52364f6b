"""Reports page: the monthly report and the quarterly assessment of an organisation and
period, downloaded as xlsx or PDF, and the list of reports written into storage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from parklink.core.errors import Invalid, NotFound
from parklink.core.views import authenticated
from parklink.kpi.models import ExchangeRate, ReportKind, ReportStatus
from parklink.kpi.queries import assessable, visible_schemes
from parklink.kpi.services import generated, rates, schemes
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
    if request.method == "POST":
        values = {key: request.POST.get(key, values[key]) for key in values}
        try:
            generated.request_report(
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
            return redirect(f"{reverse('kpi:reports')}?{urlencode(values)}")
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
            "pending": any(r.status == ReportStatus.PENDING for r in page),
        },
        status=400 if error else 200,
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    user = authenticated(request)
    row = generated.visible_reports(user).filter(pk=pk, status=ReportStatus.READY).first()
    if row is None or not row.file:
        raise NotFound(_("报告不存在或无权查看。"))
    handle = row.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=(row.file.name or "report").rsplit("/", 1)[-1],
        content_type=generated.CONTENT_TYPES.get(row.format, "application/octet-stream"),
    )


@login_required
def exchange_rates(request: HttpRequest) -> HttpResponse:
    """The month-by-month US$ rates; installation administrators enter them."""
    user = authenticated(request)
    values = {"month": "", "rate": "", "source": "", "illustrative": False}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "month": request.POST.get("month", ""),
            "rate": request.POST.get("rate", ""),
            "source": request.POST.get("source", ""),
            "illustrative": bool(request.POST.get("illustrative")),
        }
        try:
            rates.set_rate(
                user,
                str(values["month"]),
                values["rate"],
                str(values["source"]),
                bool(values["illustrative"]),
            )
        except Invalid as exc:
            errors = {k: str(v) for k, v in (exc.detail or {}).items()}
        else:
            return redirect("kpi:rates")
    return render(
        request,
        "kpi/rates.html",
        {
            "rates": ExchangeRate.objects.select_related("entered_by").order_by("-month")[:240],
            "can_edit": rates.can_edit(user),
            "values": values,
            "errors": errors,
        },
    )


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    """核查认定: the findings the user may see, and (for assessors) a form to add one."""
    from datetime import date as day_type

    from parklink.kpi.models import FindingKind
    from parklink.kpi.queries import visible_findings
    from parklink.kpi.services import findings as finding_service
    from parklink.projects.queries import visible_projects

    user = authenticated(request)
    values = {
        "project": "",
        "kind": FindingKind.FALSIFIED,
        "noted_on": "",
        "note": "",
        "evidence": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        text = values["project"]
        seen = visible_projects(user)
        project = (
            seen.filter(pk=int(text)).first() if text.isdigit() else seen.filter(name=text).first()
        )
        noted_on = None
        try:
            noted_on = day_type.fromisoformat(values["noted_on"]) if values["noted_on"] else None
        except ValueError:
            errors["noted_on"] = _("请填写有效的日期,如 2025-04-30")
        if project is None:
            errors["project"] = _("找不到项目“%(name)s”(请填写项目全称或编号)") % {"name": text}
        if not errors:
            assert project is not None
            try:
                finding_service.record(
                    user, project, values["kind"], noted_on, values["note"], values["evidence"]
                )
            except Invalid as exc:
                errors = {k: str(v) for k, v in (exc.detail or {}).items()}
            else:
                return redirect("kpi:findings")
    rows = (
        visible_findings(user)
        .select_related("project", "noted_by", "recorded_by")
        .order_by("-noted_on", "-pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "kpi/findings.html",
        {
            "page": page,
            "values": values,
            "errors": errors,
            "kinds": FindingKind.choices,
            "can_write": user.is_superuser or (user.can_write and user.organization_id),
        },
    )
