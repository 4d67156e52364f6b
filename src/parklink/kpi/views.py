"""KPI pages: the leader's view (ranking, 三类三色, trend), one assessment's derivation, the
projects behind a figure, schemes (list, version, write and preview) and targets.

Thin views: the services compute, the queries scope. An assessment or an organisation the
user may not see is a 404, like a missing one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parklink.core.charts import label_text
from parklink.core.errors import Forbidden, Invalid, NotFound, ParkLinkError
from parklink.core.views import authenticated
from parklink.kpi import shown
from parklink.kpi.engine import fx, periods
from parklink.kpi.engine.names import BY_NAME, FIGURES
from parklink.kpi.models import SchemeVersion, SubjectKind
from parklink.kpi.queries import (
    assessable,
    get_assessable,
    visible_assessments,
    visible_schemes,
    visible_targets,
)
from parklink.kpi.services import actuals, schemes, subjects
from parklink.kpi.services import assess as assessing
from parklink.kpi.services import visits as aftercare
from parklink.kpi.services.targets import parse_period
from parklink.projects.queries import with_relations

COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}
STANDING_LABELS = {"green": "绿", "yellow": "黄", "red": "红"}
TREND_PERIODS = 4


def _default_period() -> str:
    from parklink.projects.queries import today

    day = today()
    return periods.parse(f"{day.year}Q{(day.month - 1) // 3 + 1}").previous().label


def _choice(
    params: Any, user: Any
) -> tuple[SchemeVersion | None, periods.Period, list[SchemeVersion], str]:
    if not SchemeVersion.objects.filter(owner__isnull=True).exists():
        schemes.load_shipped()
    versions = schemes.latest_versions(visible_schemes(user))
    key = params.get("scheme") or (versions[0].key if versions else "")
    error = ""
    try:
        period = parse_period(params.get("period") or _default_period())
    except Invalid as exc:
        error = exc.message if not isinstance(exc.detail, dict) else next(iter(exc.detail.values()))
        period = parse_period(_default_period())
    version = None
    if key:
        try:
            number = int(params["version"]) if params.get("version") else None
            version = schemes.get_version(visible_schemes(user), key, number)
        except (NotFound, ValueError):
            error = _("考核方案不存在或无权查看")
    return version, period, versions, str(error)


def _figure_value(name: str, value: Decimal, qualifiers: dict[str, str] | None = None) -> str:
    return shown.figure(name, value, qualifiers)


def _subject_choice(params: Any, user: Any) -> tuple[str, Any, list[Any], str]:
    """(subject kind, the organisation whose subjects are scored or None, the organisations
    the user may pick, an error) from the address."""
    kind = params.get("subject") or SubjectKind.ORGANIZATION
    if kind not in SubjectKind.values:
        return SubjectKind.ORGANIZATION, None, [], _("未知的考核对象类型")
    home = None
    orgs: list[Any] = []
    if kind != SubjectKind.ORGANIZATION:
        orgs = list(assessable(user).order_by("name")[:500])
        wanted = str(params.get("org") or user.organization_id or "")
        home = next((o for o in orgs if str(o.pk) == wanted), None)
        if home is None:
            return kind, None, orgs, _("机构不存在或无权查看。")
    return kind, home, orgs, ""


def _with_usd_note(name: str, value: str, figures: dict[str, Any]) -> str:
    """The US$ figure says how much foreign money had no rate to convert it (无汇率)."""
    if name != "funds_foreign_usd":
        return value
    apart = Decimal(str(figures.get("funds_foreign_unconverted") or 0))
    if not apart:
        return value
    return _("%(usd)s(另有 %(yuan)s 元无汇率)") % {"usd": value, "yuan": f"{apart:,.2f}"}


def _trend(
    user: Any, version: SchemeVersion, period: periods.Period, org_ids: list[int]
) -> dict[str, Any]:
    labels = [p.label for p in periods.trailing(period, TREND_PERIODS)]
    rows = (
        visible_assessments(user)
        .filter(
            scheme__key=version.key,
            period__in=labels,
            organization_id__in=org_ids,
            subject_kind=SubjectKind.ORGANIZATION,
        )
        .select_related("organization")
    )
    if not user.is_superuser:
        rows = rows.filter(assessor=user.organization)
    series: dict[str, dict[str, float]] = {}
    for row in rows:
        series.setdefault(row.organization.name, {})[row.period] = float(row.total)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {
            "type": "scroll",
            "top": 0,
            "left": "center",
            "data": [label_text(name) for name in series],
        },
        "grid": {"left": 48, "right": 24, "top": 48, "bottom": 32},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": label_text(_("得分"))},
        "series": [
            {
                "type": "line",
                "name": label_text(name),
                "data": [points.get(label) for label in labels],
                "connectNulls": False,
            }
            for name, points in sorted(series.items())
        ],
    }


def _bad_request(request: HttpRequest, error: Invalid) -> HttpResponse:
    """A bad period or choice in the address: the page says why (400), not a server error."""
    detail = error.detail if isinstance(error.detail, dict) else {}
    message = str(next(iter(detail.values()), error.message)) if detail else error.message
    return render(request, "kpi/bad_request.html", {"message": message}, status=400)


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """领导驾驶舱: the stored ranking of a period, or a preview when none is stored."""
    user = authenticated(request)
    version, period, versions, error = _choice(request.GET, user)
    kind, home, homes, subject_error = _subject_choice(request.GET, user)
    error = error or subject_error
    rows: list[dict[str, Any]] = []
    stored = False
    chart = None
    by_org = kind == SubjectKind.ORGANIZATION
    if version is not None and not subject_error:
        saved = visible_assessments(user).filter(
            scheme=version, period=period.label, subject_kind=kind
        )
        if home is not None:
            saved = saved.filter(organization=home)
        if not user.is_superuser:
            saved = saved.filter(assessor=user.organization)
        saved_list = list(
            saved.select_related("organization").order_by(
                "rank", "organization__name", "subject_name"
            )
        )
        if saved_list:
            stored = True
            rows = [
                {
                    "org": a.organization,
                    "name": a.subject,
                    "key": a.subject_key,
                    "total": a.total,
                    "rank": a.rank,
                    "standing": a.standing,
                    "assessment": a,
                }
                for a in saved_list
            ]
        else:
            scheme = schemes.scheme_of(version)
            from parklink.kpi.engine import scoring

            chosen = subjects.subjects_of(user, kind, home)
            scored = assessing.compute(user, version, period, chosen)
            totals = [s.result.total for s in scored]
            for s, place, colour in zip(
                scored, scoring.rank(totals), scoring.standings(scheme, totals), strict=True
            ):
                rows.append(
                    {
                        "org": s.organization,
                        "name": s.subject.label,
                        "key": s.subject.key_text,
                        "total": s.result.total,
                        "rank": place,
                        "standing": colour,
                        "assessment": None,
                    }
                )
        if by_org:
            chart = _trend(user, version, period, [r["org"].pk for r in rows])
            visits = aftercare.counts([r["org"].pk for r in rows], period)
            for row in rows:
                row["visits"] = visits[row["org"].pk]
    return render(
        request,
        "kpi/ranking.html",
        {
            "version": version,
            "versions": versions,
            "period": period,
            "rows": rows,
            "stored": stored,
            "error": error,
            "chart": chart,
            "colours": COLOURS,
            "can_assess": user.can_write,
            "subject": kind,
            "subject_kinds": SubjectKind.choices,
            "home": home,
            "homes": homes,
            "by_org": by_org,
        },
    )


@login_required
@require_POST
def run_assessment(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    version, period, _versions, error = _choice(request.POST, user)
    kind, home, _homes, subject_error = _subject_choice(request.POST, user)
    chosen = {key: request.POST.get(key, "") for key in ("scheme", "period", "subject", "org")}
    back = f"{reverse('kpi:ranking')}?{urlencode(chosen)}"
    if version is None or error or subject_error:
        return redirect(back)  # the ranking page says what is wrong with the choice
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能保存考核结果"))
    assessing.assess(user, version, period, subjects.subjects_of(user, kind, home))
    again = {
        "scheme": version.key,
        "version": version.version,
        "period": period.label,
        "subject": kind,
        "org": home.pk if home else "",
    }
    return redirect(f"{reverse('kpi:ranking')}?{urlencode(again)}")


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One stored assessment: every item's points with its derivation, and the figures used."""
    user = authenticated(request)
    assessment = (
        visible_assessments(user)
        .select_related("organization", "scheme", "assessor")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise NotFound(_("考核结果不存在或无权查看。"))
    figures = {k: v for k, v in assessment.figures.items() if not k.startswith("__")}
    words = assessment.figures.get("__qualifiers__") or {}
    rows = [
        {
            "name": f.name,
            "label": f.zh,
            "value": _with_usd_note(
                f.name, _figure_value(f.name, Decimal(figures[f.name]), words), figures
            ),
            "target": _figure_value(f.name, Decimal(assessment.targets[f.name]))
            if f.name in assessment.targets
            else "",
        }
        for f in FIGURES
        if f.name in figures
    ]
    replayed = assessing.replay(assessment)
    return render(
        request,
        "kpi/assessment.html",
        {
            "a": assessment,
            "items": assessment.result["items"],
            "figures": rows,
            "subject_query": _subject_query(assessment.subject_kind, assessment.subject_key),
            "replay_matches": replayed.total == assessment.total,
            "colours": COLOURS,
        },
    )


def _subject_query(kind: str, key: str) -> str:
    """The address part naming a subject other than the organisation itself."""
    if kind == SubjectKind.ORGANIZATION:
        return ""
    return "&" + urlencode({"subject": kind, "key": key})


@login_required
def figure_projects(request: HttpRequest, org: int, name: str) -> HttpResponse:
    """The projects (and, for funds, the entries) behind one figure of one organisation, or of
    one of its subjects (`?subject=department&key=5`)."""
    user = authenticated(request)
    organization = get_assessable(user, org)
    if name not in BY_NAME:
        raise NotFound(_("未知的指标"))
    kind = request.GET.get("subject") or SubjectKind.ORGANIZATION
    if kind not in SubjectKind.values:
        raise NotFound(_("考核对象不存在或无权查看。"))
    subject = (
        None
        if kind == SubjectKind.ORGANIZATION
        else subjects.find(user, kind, request.GET.get("key", ""), organization)
    )
    whose: Any = organization.pk if subject is None else subjects.grouping([subject])
    try:
        period = parse_period(request.GET.get("period") or _default_period())
    except Invalid as exc:
        return _bad_request(request, exc)
    scheme = None
    if request.GET.get("scheme"):
        try:
            number = int(request.GET["version"]) if request.GET.get("version") else None
        except ValueError:
            number = None
        scheme = schemes.scheme_of(
            schemes.get_version(visible_schemes(user), request.GET["scheme"], number)
        )
    projects = with_relations(actuals.projects_behind(user, whose, period, name, scheme)).order_by(
        "-signed_on", "-id"
    )
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    funds = None
    usd = name in ("funds_foreign", "funds_foreign_usd", "funds_foreign_unconverted")
    if name.startswith("funds_"):
        funds = list(
            actuals.funds_behind(user, whose, period, name, scheme).order_by("received_on")[:200]
        )
        if usd:
            rates = actuals.exchange_rates()
            for entry in funds:
                rate = rates.get(f"{entry.received_on:%Y-%m}")
                entry.usd = (  # type: ignore[attr-defined]
                    f"US${fx.usd(entry.amount, rate):,.2f}" if rate else None
                )
    return render(
        request,
        "kpi/figure.html",
        {
            "org": organization,
            "subject": subject,
            "figure": BY_NAME[name],
            "period": period,
            "page": page,
            "funds": funds,
            "usd": usd,
        },
    )


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    if not SchemeVersion.objects.filter(owner__isnull=True).exists():
        schemes.load_shipped()
    return render(
        request,
        "kpi/schemes.html",
        {"versions": schemes.latest_versions(visible_schemes(user)), "can_write": user.can_write},
    )


@login_required
def scheme_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A scheme version: its YAML, its items, its older versions and a preview on live figures."""
    user = authenticated(request)
    version, period, _versions, error = _choice(request.GET, user)
    if version is None or version.key != key:
        version = schemes.get_version(visible_schemes(user), key)
    preview = assessing.compute(user, version, period, assessing.organizations_for(user))
    return render(
        request,
        "kpi/scheme.html",
        {
            "version": version,
            "scheme": schemes.scheme_of(version),
            "history": visible_schemes(user).filter(key=key).order_by("-version"),
            "period": period,
            "preview": preview,
            "error": error,
        },
    )


@login_required
def scheme_edit(request: HttpRequest) -> HttpResponse:
    """Write a scheme (YAML); saving checks it and stores the next version."""
    user = authenticated(request)
    text = request.POST.get("text", "") if request.method == "POST" else ""
    if request.method == "GET" and request.GET.get("from"):
        text = schemes.get_version(visible_schemes(user), request.GET["from"]).text
    problems: list[str] = []
    if request.method == "POST":
        try:
            saved = schemes.save_scheme(user, text)
        except ParkLinkError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            found = detail.get("text")
            problems = list(found) if isinstance(found, list) else [str(found or exc.message)]
        else:
            return redirect("kpi:scheme", key=saved.key)
    return render(request, "kpi/scheme_form.html", {"text": text, "problems": problems})


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    user = authenticated(request)
    qs = (
        visible_targets(user)
        .select_related("organization", "set_by", "person", "department", "office")
        .order_by("-period_start", "organization__name", "kind")
    )
    period = (request.GET.get("period") or "").strip()
    if period:
        try:
            qs = qs.filter(period=parse_period(period).label)
        except Invalid as exc:
            return _bad_request(request, exc)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(t, _figure_value(t.kind, t.value)) for t in page]
    return render(request, "kpi/targets.html", {"page": page, "rows": rows, "period": period})
