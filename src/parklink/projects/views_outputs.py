"""The project library's outputs: the ledger (项目台账) and its column picker, a project's
one-page brief (项目简报) and the map (地图) with its JSON.

The ledger's column choice is remembered per user in a signed cookie (`ledger_choice`):
the accounts app keeps no per-user preferences, and the choice is a convenience that costs
nothing to lose. The cookie is signed with a salt holding the user's id, so another account
in the same browser never reads it, and nobody can forge one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from parklink.accounts.models import User
from parklink.core.errors import Invalid
from parklink.core.views import authenticated, is_fragment
from parklink.projects import ledger
from parklink.projects.brief import project_brief
from parklink.projects.forms import DEFAULT_SORT, ProjectFilterForm
from parklink.projects.map import as_json, map_data, series_labels
from parklink.projects.queries import (
    ProjectFilters,
    apply_filters,
    today,
    visible_projects,
    visible_sectors,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
COOKIE = "parklink_ledger"
COOKIE_DAYS = 365
# The ledger's own query parameters; everything else is the list's filters.
OWN_PARAMETERS = {"col", "unit", "by_stage", "remember"}


# ---------------------------------------------------------------- the ledger's choice


def _salt(user: User) -> str:
    return f"projects.ledger.columns.{user.pk}"


def remembered(request: HttpRequest, user: User) -> ledger.LedgerOptions:
    """The user's last column choice from the signed cookie, or the standard ledger."""
    raw = request.get_signed_cookie(COOKIE, default=None, salt=_salt(user))
    if raw:
        try:
            data = json.loads(raw)
            return ledger.LedgerOptions(
                columns=ledger.parse_columns(data.get("columns") or []),
                unit=str(data.get("unit") or "万元"),
                by_stage=bool(data.get("by_stage")),
            )
        except (ValueError, TypeError, AttributeError, Invalid):
            pass  # a choice naming columns that no longer exist: back to the standard
    return ledger.LedgerOptions()


def remember(response: HttpResponse, request: HttpRequest, user: User, options: Any) -> None:
    value = json.dumps(
        {"columns": list(options.columns), "unit": options.unit, "by_stage": options.by_stage},
        separators=(",", ":"),
    )  # ASCII only (\uXXXX escapes): a cookie cannot carry 元 as it is
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=_salt(user),
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def chosen(request: HttpRequest, user: User) -> tuple[ledger.LedgerOptions, bool]:
    """The options this request asks for (and True), or the remembered ones (and False).

    Columns come as `col` values; each may have an `order-<key>` number, by which the chosen
    columns are sorted (ties keep the order they came in).
    """
    keys = request.GET.getlist("col")
    if not keys:
        return remembered(request, user), False
    position = {}
    for index, key in enumerate(keys):
        text = (request.GET.get(f"order-{key}") or "").strip()
        try:
            position[key] = (float(text) if text else float(index + 1), index)
        except ValueError as exc:
            raise Invalid.on("columns", _("列“%(key)s”的顺序必须是数字") % {"key": key}) from exc
    ordered = sorted(keys, key=lambda key: position[key])
    options = ledger.LedgerOptions(
        columns=ledger.parse_columns(ordered),
        unit=request.GET.get("unit") or "万元",
        by_stage=request.GET.get("by_stage") in ("1", "on", "true"),
    )
    return options, True


def _filters(request: HttpRequest, user: User) -> tuple[ProjectFilterForm, ProjectFilters]:
    form = ProjectFilterForm(request.GET or None, sectors=visible_sectors(user))
    filters = form.filters()
    apply_filters(visible_projects(user), filters)  # refuses an impossible filter early
    return form, filters


def _filter_query(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, values in request.GET.lists()
        if key not in OWN_PARAMETERS and not key.startswith("order-")
        for value in values
    ]


@dataclass(frozen=True)
class PickerRow:
    column: ledger.Column
    checked: bool
    position: int
    header: str


def _refused(request: HttpRequest, exc: Invalid) -> HttpResponse:
    """The ledger cannot be made as asked: say why (which column, which filter), 400."""
    return render(
        request,
        "projects/outputs/ledger_refused.html",
        {"message": exc.message, "detail": exc.detail, "back": reverse("projects:ledger")},
        status=400,
    )


@login_required
@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    """The ledger's column picker: which columns, in which order, which unit, sheets by stage."""
    user = authenticated(request)
    try:
        form, filters = _filters(request, user)
    except Invalid as exc:
        return _refused(request, exc)
    options = remembered(request, user)
    chosen_at = {key: index for index, key in enumerate(options.columns, start=1)}
    rows = sorted(
        (
            PickerRow(
                column,
                column.key in chosen_at,
                chosen_at.get(column.key, len(chosen_at) + index + 1),
                ledger.money_header(column, options.unit),
            )
            for index, column in enumerate(ledger.COLUMNS)
        ),
        key=lambda row: row.position,
    )
    return render(
        request,
        "projects/outputs/ledger.html",
        {
            "rows": rows,
            "options": options,
            "units": ledger.UNIT_CHOICES,
            "hidden": _filter_query(request),
            "filters_text": ledger.describe_filters(filters),
            "form": form,
            "count": apply_filters(visible_projects(user), filters).count(),
            "groups": [title for title, _stages in ledger.STAGE_GROUPS],
        },
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger as .xlsx, with the request's columns (then remembered) or the remembered."""
    user = authenticated(request)
    try:
        options, given = chosen(request, user)
        _form, filters = _filters(request, user)
    except Invalid as exc:
        return _refused(request, exc)
    options = ledger.LedgerOptions(options.columns, options.unit, options.by_stage, today())
    content = ledger.export_ledger(user, filters, options)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"项目台账-{today():%Y%m%d}.xlsx"
    )
    if given:
        remember(response, request, user, options)
    return response


# ---------------------------------------------------------------- brief


@login_required
@require_GET
def brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's one-page brief (NotFound → 404 for a project the user may not see)."""
    project, content = project_brief(authenticated(request), pk)
    response = HttpResponse(content, content_type=PDF)
    inline = request.GET.get("download") != "1"
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=not inline, filename=f"项目简报-{project.pk}-{today():%Y%m%d}.pdf"
        )
        or "inline"
    )
    return response


# ---------------------------------------------------------------- map


def _map_filters(request: HttpRequest, user: User) -> tuple[ProjectFilterForm, ProjectFilters]:
    form = ProjectFilterForm(request.GET or None, sectors=visible_sectors(user))
    filters = form.filters() if form.is_bound else ProjectFilters(sort=DEFAULT_SORT)
    return form, filters


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """Parks and projects on a plain longitude/latitude plane; filters by stage, sector, colour."""
    user = authenticated(request)
    form, filters = _map_filters(request, user)
    show_parks = request.GET.get("parks", "1") != "0"
    try:
        data = map_data(user, filters, parks=show_parks)
    except Invalid as exc:
        from parklink.core.forms import show_service_error

        show_service_error(form, exc)
        filters = ProjectFilters(sort=DEFAULT_SORT)
        data = map_data(user, filters, parks=show_parks)
    context = {
        "form": form,
        "data": data,
        "options": data.options,
        "show_parks": show_parks,
        "legend": series_labels(),
        "query": request.GET.urlencode(),
    }
    template = "projects/outputs/_map.html" if is_fragment(request) else "projects/outputs/map.html"
    return render(request, template, context)


@login_required
@require_GET
def map_json(request: HttpRequest) -> JsonResponse:
    """The map's points as JSON: only what the user may see, under the same filters."""
    user = authenticated(request)
    _form, filters = _map_filters(request, user)
    try:
        data = map_data(user, filters, parks=request.GET.get("parks", "1") != "0")
    except Invalid as exc:
        return JsonResponse(
            {"error": exc.code, "message": exc.message, "detail": exc.detail}, status=400
        )
    return JsonResponse(as_json(data), json_dumps_params={"ensure_ascii": False})
