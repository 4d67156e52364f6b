"""Survey pages: list, define, recipients and rates, officers' entry, the one-time link page
(no login, readable on a phone) and the 诉求 they raise.

Thin views: `services.surveys` checks and writes, `queries` scopes. A survey or 诉求 the user
may not see is a 404.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parklink.accounts.models import User
from parklink.core.clients import client_address
from parklink.core.errors import Invalid, ParkLinkError
from parklink.core.throttle import FailureWindow, TooManyAttempts
from parklink.core.views import authenticated
from parklink.enterprises.models import Enterprise
from parklink.kpi.engine import surveys as engine
from parklink.kpi.models import Audience, HelpStatus, SurveyKind
from parklink.kpi.queries import visible_help_requests, visible_surveys
from parklink.kpi.services import surveys as service
from parklink.parks.models import Park
from parklink.projects.queries import today

LINK_FAILURES = FailureWindow("kpi-survey-link", limit=20, seconds=15 * 60)
PROBLEM_ROWS = 3


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _problems(error: ParkLinkError) -> dict[str, str]:
    detail = error.detail if isinstance(error.detail, dict) else {}
    return {k: str(v[0] if isinstance(v, list) else v) for k, v in detail.items()} or {
        "form": error.message
    }


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = visible_surveys(user).select_related("owner").order_by("-period_end", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = []
    for survey in page:
        found = service.rates(survey)
        rows.append(
            {
                "survey": survey,
                "resumption": _percent(found[("all", "resumption")].value),
                "response": _percent(found[("all", "response")].value),
                "count": len(found[("all", "response")].base),
            }
        )
    return render(
        request,
        "kpi/surveys.html",
        {"page": page, "rows": rows, "can_write": user.can_write and user.organization_id},
    )


def _parks_for(user: User) -> list[Park]:
    qs = Park.objects.select_related("region").order_by("name")
    if user.is_superuser or user.organization is None:
        return list(qs[:500])
    path = user.organization.region.path
    return list(qs.filter(region__path__startswith=path)[:500])


def _park_choice(value: str) -> Park | None:
    if not value:
        return None
    try:
        return Park.objects.select_related("region").get(pk=int(value))
    except (Park.DoesNotExist, ValueError):
        raise Invalid.on("park", _("园区不存在")) from None


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    """Define a survey: title, period, closing day, questions (YAML, prefilled by kind)."""
    user = authenticated(request)
    kind = request.POST.get("kind") or request.GET.get("kind") or SurveyKind.RESUMPTION
    import yaml

    values = {
        "title": "",
        "kind": kind,
        "period": "",
        "closes_on": (today() + timedelta(days=14)).isoformat(),
        "park": "",
        "help_due_days": "7",
        "questions": yaml.safe_dump(
            service.default_questions(kind), allow_unicode=True, sort_keys=False
        ),
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values.update({k: request.POST.get(k, "") for k in values})
        try:
            closes = date.fromisoformat(values["closes_on"])
        except ValueError:
            errors["closes_on"] = _("请填写有效的日期,如 2025-04-30")
        try:
            days = int(values["help_due_days"])
        except ValueError:
            errors["help_due_days"] = _("请填写天数")
        if not errors:
            try:
                survey = service.create_survey(
                    user,
                    title=values["title"],
                    kind=values["kind"],
                    period=values["period"],
                    closes_on=closes,
                    questions=values["questions"],
                    park=_park_choice(values["park"]),
                    help_due_days=days,
                )
            except Invalid as exc:
                errors = _problems(exc)
                if isinstance(exc.detail, dict) and isinstance(exc.detail.get("questions"), list):
                    errors["questions"] = "; ".join(exc.detail["questions"])
            else:
                return redirect("kpi:survey", pk=survey.pk)
    return render(
        request,
        "kpi/survey_form.html",
        {
            "values": values,
            "errors": errors,
            "kinds": SurveyKind.choices,
            "parks": _parks_for(user),
        },
    )


RATE_ORDER = ("resumption", "full_resumption", "capacity", "workforce", "response")


def _rate_table(survey: Any) -> list[dict[str, Any]]:
    found = service.rates(survey)
    table = []
    for group, (zh, _en) in engine.GROUPS.items():
        cells = []
        for key in RATE_ORDER:
            rate = found[(group, key)]
            cells.append(
                {
                    "key": key,
                    "value": _percent(rate.value),
                    "counted": len(rate.counted),
                    "base": len(rate.base),
                }
            )
        table.append({"group": group, "label": _(zh), "cells": cells})
    return table


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    survey = service.get_survey(user, pk)
    recipients = survey.recipients.select_related("enterprise", "project").order_by("name", "pk")
    status = request.GET.get("status", "")
    if status == "none":
        recipients = recipients.filter(status="")
    elif status in engine.STATUSES:
        recipients = recipients.filter(status=status)
    page = Paginator(recipients, 50).get_page(request.GET.get("page"))
    counts = engine.status_counts(service.replies(survey))
    help_open = survey.help_requests.exclude(status=HelpStatus.RESOLVED).count()
    return render(
        request,
        "kpi/survey.html",
        {
            "survey": survey,
            "table": _rate_table(survey),
            "rate_labels": [(k, _(engine.RATES[k][0])) for k in RATE_ORDER],
            "statuses": [(c, _(zh), counts[c]) for c, (zh, _en) in engine.STATUSES.items()],
            "unanswered": counts[""],
            "page": page,
            "status": status,
            "can_write": user.is_superuser
            or (user.can_write and user.organization_id == survey.owner_id),
            "audiences": Audience.choices,
            "parks": _parks_for(user),
            "help_open": help_open,
            "link": request.session.pop(f"kpi-survey-link-{survey.pk}", None),
        },
    )


@login_required
def rate_behind(request: HttpRequest, pk: int, group: str, rate: str) -> HttpResponse:
    """The recipients behind one rate: its numerator and its denominator."""
    user = authenticated(request)
    survey = service.get_survey(user, pk)
    side = request.GET.get("side", "counted")
    rows = service.behind(survey, group, rate, side)
    found = service.rates(survey)[(group, rate)]
    return render(
        request,
        "kpi/survey_rate.html",
        {
            "survey": survey,
            "group": _(engine.GROUPS[group][0]),
            "rate": _(engine.RATES[rate][0]),
            "group_key": group,
            "rate_key": rate,
            "value": _percent(found.value),
            "numerator": found.numerator,
            "denominator": found.denominator,
            "side": side,
            "page": Paginator(rows, 100).get_page(request.GET.get("page")),
        },
    )


def _picked(text: str) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    unknown: list[str] = []
    for line in text.splitlines():
        name = line.strip()
        if not name:
            continue
        found = (
            Enterprise.objects.filter(uscc=name).first()
            or Enterprise.objects.filter(name=name).first()
        )
        if found is None:
            unknown.append(name)
        else:
            ids.append(found.pk)
    return ids, unknown


@login_required
@require_POST
def add_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    survey = service.get_survey(user, pk)
    audience = request.POST.get("audience", "")
    try:
        picked: list[int] = []
        if audience == Audience.PICKED:
            picked, unknown = _picked(request.POST.get("enterprises", ""))
            if unknown:
                raise Invalid.on(
                    "enterprises",
                    _("找不到这些企业(请按企业全称或统一社会信用代码填写):%(names)s")
                    % {"names": "、".join(unknown[:10])},
                )
        park = _park_choice(request.POST.get("park", "")) or survey.park
        added = service.add_recipients(user, survey, audience, park, picked)
    except Invalid as exc:
        return render(
            request,
            "kpi/bad_request.html",
            {"message": exc.message, "back": reverse("kpi:survey", args=[pk])},
            status=exc.status,
        )
    url = reverse("kpi:survey", args=[pk])
    return redirect(f"{url}?added={added}")


def _answer_rows(
    questions: list[engine.Question], values: dict[str, Any], errors: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for q in questions:
        value = values.get(q.key)
        row: dict[str, Any] = {"q": q, "error": errors.get(q.key, ""), "value": value}
        if q.type == "status":
            row["choices"] = [(c, _(zh)) for c, (zh, _en) in engine.STATUSES.items()]
        if q.type == "workforce":
            pair = value if isinstance(value, dict) else {}
            row["on_duty"] = pair.get("on_duty", "")
            row["usual"] = pair.get("usual", "")
        if q.type == "problems":
            items = list(value) if isinstance(value, list) else []
            items += [{"category": "", "text": ""}] * max(0, PROBLEM_ROWS - len(items))
            row["items"] = items
            row["categories"] = [(c, _(zh)) for c, (zh, _en) in engine.CATEGORIES.items()]
        rows.append(row)
    return rows


def _posted_values(questions: list[engine.Question], raw: dict[str, Any]) -> dict[str, Any]:
    return {q.key: raw.get(q.key) for q in questions}


@login_required
def answer(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """An officer enters or corrects one recipient's answers."""
    user = authenticated(request)
    survey = service.get_survey(user, pk)
    recipient = service.get_recipient(user, survey, rid)
    questions = service.questions_of(survey)
    values: dict[str, Any] = dict(recipient.answers)
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = service.raw_from_form(questions, request.POST)
        try:
            service.answer_by_officer(user, recipient, raw)
        except Invalid as exc:
            errors = _problems(exc)
            values = _posted_values(questions, raw)
        else:
            return redirect("kpi:survey", pk=survey.pk)
    return render(
        request,
        "kpi/survey_answer.html",
        {
            "survey": survey,
            "recipient": recipient,
            "rows": _answer_rows(questions, values, errors),
            "errors": errors,
            "public": False,
        },
    )


@login_required
@require_POST
def issue_link(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    user = authenticated(request)
    survey = service.get_survey(user, pk)
    recipient = service.get_recipient(user, survey, rid)
    token = service.issue_link(user, recipient)
    request.session[f"kpi-survey-link-{survey.pk}"] = {
        "name": recipient.name,
        "url": request.build_absolute_uri(service.link_url(token)),
        "expires": recipient.link_expires_at.isoformat() if recipient.link_expires_at else "",
    }
    return redirect("kpi:survey", pk=survey.pk)


@never_cache
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page an enterprise answers on, through its one-time link (no login)."""
    address = client_address(request)
    try:
        LINK_FAILURES.check(address)
    except TooManyAttempts as exc:
        return render(request, "kpi/survey_refused.html", {"message": exc.message}, status=429)
    try:
        recipient = service.read_link(token)
    except service.LinkRefused as exc:
        if exc.reason == "forged":
            LINK_FAILURES.fail(address)
        return render(request, "kpi/survey_refused.html", {"message": exc.message}, status=410)
    survey = recipient.survey
    questions = service.questions_of(survey)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = service.raw_from_form(questions, request.POST)
        try:
            service.answer_by_link(token, raw)
        except service.LinkRefused as exc:
            return render(request, "kpi/survey_refused.html", {"message": exc.message}, status=410)
        except Invalid as exc:
            errors = _problems(exc)
            values = _posted_values(questions, raw)
        else:
            return render(
                request, "kpi/survey_thanks.html", {"survey": survey, "recipient": recipient}
            )
    return render(
        request,
        "kpi/survey_answer.html",
        {
            "survey": survey,
            "recipient": recipient,
            "rows": _answer_rows(questions, values, errors),
            "errors": errors,
            "public": True,
            "token": token,
        },
    )


@login_required
def help_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = (
        visible_help_requests(user)
        .select_related("recipient", "survey", "assignee", "owner")
        .order_by("status", "due_on", "pk")
    )
    status = request.GET.get("status", "open_all")
    if status == "open_all":
        qs = qs.exclude(status=HelpStatus.RESOLVED)
    elif status in HelpStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("survey"):
        with contextlib.suppress(ValueError):
            qs = qs.filter(survey_id=int(request.GET["survey"]))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "kpi/help_list.html",
        {"page": page, "status": status, "statuses": HelpStatus.choices, "today": today()},
    )


@login_required
def help_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = authenticated(request)
    found = service.get_help(user, pk)
    members = list(
        User.objects.filter(organization_id=found.owner_id, is_active=True).order_by("username")
    )
    errors: dict[str, str] = {}
    values = {
        "assignee": str(found.assignee_id or ""),
        "due_on": found.due_on.isoformat(),
        "status": found.status,
        "resolution": found.resolution,
    }
    if request.method == "POST":
        values.update({k: request.POST.get(k, "") for k in values})
        assignee = next((m for m in members if str(m.pk) == values["assignee"]), None)
        if values["assignee"] and assignee is None:
            errors["assignee"] = _("责任人应为承办机构的用户")
        try:
            due = date.fromisoformat(values["due_on"])
        except ValueError:
            errors["due_on"] = _("请填写有效的日期,如 2025-04-30")
        if not errors:
            try:
                service.update_help(
                    user,
                    found,
                    assignee=assignee,
                    due_on=due,
                    status=values["status"],
                    resolution=values["resolution"],
                )
            except Invalid as exc:
                errors = _problems(exc)
            else:
                return redirect("kpi:help", pk=found.pk)
    return render(
        request,
        "kpi/help_detail.html",
        {
            "h": found,
            "members": members,
            "values": values,
            "errors": errors,
            "statuses": HelpStatus.choices,
            "can_write": user.is_superuser
            or (user.can_write and user.organization_id == found.owner_id),
            "overdue": found.status != HelpStatus.RESOLVED and found.due_on < today(),
        },
    )
