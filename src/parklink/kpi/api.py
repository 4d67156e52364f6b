"""KPI API (/api/v1/kpi/): schemes, figures and the projects behind them, targets, assessments
(of organisations or of one organisation's departments, task forces, persons or offices),
departments, surveys, liaison offices and findings (each also as an Excel file).

Everything reads through the same scopes as the pages: an organisation the caller may not
assess, or an assessment it may not see, is a 404. Amounts are strings of 元 (exact
decimals), rates fractions (0.85), points strings with two decimals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.core.apitools import MAX_ID, IsoDate
from parklink.core.errors import Invalid, NotFound
from parklink.kpi import exports
from parklink.kpi.models import Assessment, SchemeVersion, SubjectKind, Target
from parklink.kpi.queries import (
    get_assessable,
    visible_assessments,
    visible_departments,
    visible_findings,
    visible_offices,
    visible_schemes,
    visible_surveys,
    visible_targets,
)
from parklink.kpi.services import actuals, departments, liaison, schemes, subjects
from parklink.kpi.services import assess as assessing
from parklink.kpi.services.targets import parse_period, set_target

router = Router(tags=["kpi"])


class SchemeIn(Schema):
    text: str


class TargetIn(Schema):
    organization: int
    period: str
    kind: str
    value: Decimal
    task_force: str = ""
    department: int | None = None
    note: str = ""


class AssessIn(Schema):
    scheme: str
    version: int | None = None
    period: str
    organization: int | None = None
    subject: str = "organization"


class DepartmentIn(Schema):
    name: str
    note: str = ""


class MembersIn(Schema):
    members: list[int]


class OfficeTargetIn(Schema):
    period: str
    kind: str
    value: Decimal
    note: str = ""


class FindingIn(Schema):
    project: int
    kind: str
    noted_on: date
    note: str
    evidence: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _version(v: SchemeVersion) -> dict[str, Any]:
    return {
        "key": v.key,
        "version": v.version,
        "name": v.name,
        "illustrative": v.illustrative,
        "owner": v.owner_id,
        "document": v.document,
    }


def _assessment(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "organization": {"id": a.organization_id, "name": a.organization.name},
        "subject": {"kind": a.subject_kind, "key": a.subject_key, "name": a.subject},
        "assessor": a.assessor_id,
        "scheme": a.scheme.key,
        "version": a.scheme.version,
        "illustrative": a.scheme.illustrative,
        "period": a.period,
        "total": str(a.total),
        "rank": a.rank,
        "standing": a.standing,
        "figures": a.figures,
        "targets": a.targets,
        "items": a.result["items"],
    }


def _target(t: Target) -> dict[str, Any]:
    return {
        "id": t.pk,
        "organization": t.organization_id,
        "subject_kind": t.subject_kind,
        "task_force": t.task_force,
        "department": t.department_id,
        "office": t.office_id,
        "person": t.person_id,
        "period": t.period,
        "kind": t.kind,
        "value": str(t.value),
        "set_by": t.set_by_id,
        "illustrative": t.illustrative,
    }


@router.get("/schemes", summary="The newest version of every scheme the caller may use")
def list_schemes(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    if not SchemeVersion.objects.filter(owner__isnull=True).exists():
        schemes.load_shipped()
    return [_version(v) for v in schemes.latest_versions(visible_schemes(user))]


@router.get("/schemes/{key}", summary="A scheme's version (the newest unless ?version=N)")
def read_scheme(request: HttpRequest, key: str, version: int | None = None) -> dict[str, Any]:
    return _version(schemes.get_version(visible_schemes(current_user(request)), key, version))


@router.post(
    "/schemes",
    response={201: dict[str, Any]},
    summary="Save a scheme (YAML): checked, next version",
)
def save_scheme(request: HttpRequest, payload: SchemeIn) -> Any:
    return Status(201, _version(schemes.save_scheme(current_user(request), payload.text)))


@router.get("/figures/{org_id}", summary="An organisation's figures of a period, from the pipeline")
def read_figures(
    request: HttpRequest, org_id: int, period: str, scheme: str | None = None
) -> dict[str, Any]:
    user = current_user(request)
    org = get_assessable(user, org_id)
    found = parse_period(period)
    rules = (
        schemes.scheme_of(schemes.get_version(visible_schemes(user), scheme)) if scheme else None
    )
    figures = actuals.figures(user, [org.pk], found, rules)[org.pk]
    return {
        "organization": org.pk,
        "period": found.label,
        "figures": {k: str(v) for k, v in figures.items()},
        "qualifiers": actuals.qualifiers(user, [org.pk], found, rules).get(org.pk, {}),
    }


@router.get("/figures/{org_id}/{name}/projects", summary="The projects behind one figure")
def figure_projects(
    request: HttpRequest, org_id: int, name: str, period: str, scheme: str | None = None
) -> list[dict[str, Any]]:
    user = current_user(request)
    org = get_assessable(user, org_id)
    rules = (
        schemes.scheme_of(schemes.get_version(visible_schemes(user), scheme)) if scheme else None
    )
    qs = actuals.projects_behind(user, org.pk, parse_period(period), name, rules)
    return [
        {
            "id": p.pk,
            "name": p.name,
            "stage": p.stage,
            "signed_on": p.signed_on,
            "total_investment": str(p.total_investment) if p.total_investment is not None else None,
        }
        for p in qs.order_by("-signed_on", "-id")[:1000]
    ]


@router.get("/targets", summary="Targets of the caller's organisation and those below it")
def list_targets(request: HttpRequest, period: str | None = None) -> list[dict[str, Any]]:
    qs = visible_targets(current_user(request))
    if period:
        qs = qs.filter(period=parse_period(period).label)
    return [_target(t) for t in qs.order_by("period_start", "organization_id", "kind")[:5000]]


@router.post("/targets", response={201: dict[str, Any]}, summary="Set (or replace) a target")
def create_target(request: HttpRequest, payload: TargetIn) -> Any:
    user = current_user(request)
    org = get_assessable(user, payload.organization)
    department = None
    if payload.department is not None:
        department = departments.get_department(user, payload.department)
    kind = "task_force" if payload.task_force else "organization"
    target = set_target(
        user,
        org,
        payload.period,
        payload.kind,
        payload.value,
        subject_kind="department" if department else kind,
        task_force=payload.task_force,
        department=department,
        note=payload.note,
    )
    return Status(201, _target(target))


@router.post(
    "/assess", response={201: list[dict[str, Any]]}, summary="Score, rank and store a period"
)
def run_assessment(request: HttpRequest, payload: AssessIn) -> Any:
    user = current_user(request)
    version = schemes.get_version(visible_schemes(user), payload.scheme, payload.version)
    org = get_assessable(user, payload.organization) if payload.organization else None
    chosen = subjects.subjects_of(user, subjects.check_kind(payload.subject), org)
    saved = assessing.assess(user, version, parse_period(payload.period), chosen)
    return Status(201, [_assessment(a) for a in saved])


@router.get("/assessments", summary="Stored assessments the caller may see")
def list_assessments(
    request: HttpRequest,
    period: str | None = None,
    scheme: str | None = None,
    subject: str | None = None,
) -> list[dict[str, Any]]:
    qs = visible_assessments(current_user(request)).select_related("organization", "scheme")
    if subject:
        qs = qs.filter(subject_kind=subjects.check_kind(subject))
    if period:
        qs = qs.filter(period=parse_period(period).label)
    if scheme:
        qs = qs.filter(scheme__key=scheme)
    return [_assessment(a) for a in qs.order_by("period_start", "rank")[:5000]]


@router.get(
    "/assessments/{assessment_id}", summary="One assessment with its derivation and a replay check"
)
def read_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    found = (
        visible_assessments(current_user(request))
        .select_related("organization", "scheme")
        .filter(pk=assessment_id)
        .first()
    )
    if found is None:
        raise NotFound("考核结果不存在或无权查看")
    data = _assessment(found)
    data["replay_total"] = str(assessing.replay(found).total)
    return data


# --------------------------------------------------------------------------- departments


def _department(user: Any, d: Any, period: Any = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": d.pk,
        "organization": {"id": d.organization_id, "name": d.organization.name},
        "name": d.name,
        "note": d.note,
        "members": [u.username for u in departments.members(d)],
    }
    if period is not None:
        subject = subjects.Subject(SubjectKind.DEPARTMENT, d.pk, d.organization, d.name)
        group = subjects.grouping([subject])
        data["period"] = period.label
        data["figures"] = {k: str(v) for k, v in actuals.figures(user, group, period)[d.pk].items()}
        data["qualifiers"] = actuals.qualifiers(user, group, period).get(d.pk, {})
        data["targets"] = {k: str(v) for k, v in subjects.targets([subject], period)[d.pk].items()}
    return data


@router.get("/departments", summary="Departments of the caller's organisation and those below")
def list_departments(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    rows = visible_departments(user).select_related("organization").order_by("organization", "name")
    return [_department(user, d) for d in rows[:2000]]


@router.post("/departments", response={201: dict[str, Any]}, summary="Add a department")
def create_department(request: HttpRequest, payload: DepartmentIn) -> Any:
    user = current_user(request)
    made = departments.save_department(user, None, name=payload.name, note=payload.note)
    return Status(201, _department(user, made))


@router.get("/departments/{department_id}", summary="A department, with figures of ?period=")
def read_department(
    request: HttpRequest, department_id: int, period: str | None = None
) -> dict[str, Any]:
    user = current_user(request)
    found = departments.get_department(user, department_id)
    return _department(user, found, parse_period(period) if period else None)


@router.post("/departments/{department_id}/members", summary="Set a department's members")
def set_department_members(
    request: HttpRequest, department_id: int, payload: MembersIn
) -> dict[str, Any]:
    from parklink.accounts.models import User

    user = current_user(request)
    found = departments.get_department(user, department_id)
    chosen = list(User.objects.filter(pk__in=payload.members))
    if len(chosen) != len(set(payload.members)):
        raise NotFound("用户不存在")
    departments.set_members(user, found, chosen)
    return _department(user, found)


# --------------------------------------------------------------------------- surveys


@router.get("/surveys", summary="Surveys of the caller's organisation and those below it")
def list_surveys(request: HttpRequest) -> list[dict[str, Any]]:
    rows = visible_surveys(current_user(request)).select_related("owner").order_by("-period_start")
    return [
        {
            "id": s.pk,
            "owner": {"id": s.owner_id, "name": s.owner.name},
            "title": s.title,
            "kind": s.kind,
            "period": s.period,
            "closes_on": s.closes_on,
            "illustrative": s.illustrative,
        }
        for s in rows[:2000]
    ]


def _survey(request: HttpRequest, survey_id: int) -> Any:
    from parklink.kpi.services import surveys as survey_service

    return survey_service.get_survey(current_user(request), survey_id)


@router.get("/surveys/{survey_id}", summary="A survey: questions, recipients, answers, rates")
def read_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return exports.survey_data(_survey(request, survey_id))


@router.get("/surveys/{survey_id}/export", summary="A survey as an Excel file")
def export_survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    return _xlsx(exports.survey_xlsx(survey), f"{survey.title}.xlsx")


# --------------------------------------------------------------------------- liaison offices


def _offices(request: HttpRequest) -> Any:
    return (
        visible_offices(current_user(request))
        .select_related("organization", "region", "park")
        .prefetch_related("staff")
        .order_by("organization__name", "kind", "name")
    )


@router.get("/offices", summary="Liaison offices and resident teams with their results")
def list_offices(request: HttpRequest, period: str) -> list[dict[str, Any]]:
    user = current_user(request)
    return exports.offices_data(user, list(_offices(request)[:500]), parse_period(period))


@router.get("/offices/export", summary="Liaison offices and resident teams as an Excel file")
def export_offices(request: HttpRequest, period: str) -> HttpResponse:
    user = current_user(request)
    found = parse_period(period)
    data = exports.offices_xlsx(user, list(_offices(request)[:500]), found)
    return _xlsx(data, f"驻点招商_{found.label}.xlsx")


@router.get("/offices/{office_id}", summary="One office: staff, leads, targets and results")
def read_office(request: HttpRequest, office_id: int, period: str) -> dict[str, Any]:
    user = current_user(request)
    office = liaison.get_office(user, office_id)
    return exports.offices_data(user, [office], parse_period(period))[0]


@router.post(
    "/offices/{office_id}/targets", response={201: dict[str, Any]}, summary="Set an office target"
)
def create_office_target(request: HttpRequest, office_id: int, payload: OfficeTargetIn) -> Any:
    user = current_user(request)
    office = liaison.get_office(user, office_id)
    target = liaison.set_office_target(
        user, office, payload.period, payload.kind, payload.value, payload.note
    )
    return Status(201, _target(target))


# --------------------------------------------------------------------------- findings


def _findings(request: HttpRequest) -> Any:
    return (
        visible_findings(current_user(request))
        .select_related("project", "noted_by", "recorded_by")
        .order_by("-noted_on", "-pk")
    )


@router.get("/findings", summary="Findings (弄虚作假, 超时限未开工) about projects the caller sees")
def list_findings(request: HttpRequest) -> list[dict[str, Any]]:
    return [exports.finding_data(f) for f in _findings(request)[:5000]]


@router.get("/findings/export", summary="Findings as an Excel file")
def export_findings(request: HttpRequest) -> HttpResponse:
    return _xlsx(exports.findings_xlsx(_findings(request)[:20000]), "核查认定.xlsx")


@router.post("/findings", response={201: dict[str, Any]}, summary="Record a finding")
def create_finding(request: HttpRequest, payload: FindingIn) -> Any:
    from parklink.kpi.services import findings
    from parklink.projects.queries import visible_projects

    user = current_user(request)
    project = visible_projects(user).filter(pk=payload.project).first()
    if project is None:
        raise NotFound("项目不存在或无权查看")
    made = findings.record(
        user, project, payload.kind, payload.noted_on, payload.note, payload.evidence
    )
    return Status(201, exports.finding_data(made))


# --------------------------------------------------------------------------- writes
# The pages' writes through the same services and errors: 400 naming the field, 403 for a
# record the caller may read but not change, 404 for one it may not see.


class SurveyIn(Schema):
    title: str = Field(max_length=1000)
    period: str = Field(max_length=16)
    closes_on: IsoDate
    kind: str = Field("resumption", max_length=16)
    questions: list[dict[str, Any]] | str | None = Field(
        None, description="the questions as data or as YAML text; the kind's default if absent"
    )
    park: int | None = Field(None, ge=1, le=MAX_ID)
    help_due_days: int = 7


class SurveyChange(Schema):
    title: str | None = Field(None, max_length=1000)
    closes_on: IsoDate | None = None
    help_due_days: int | None = None
    questions: list[dict[str, Any]] | str | None = Field(
        None, description="only while no recipient has answered"
    )


class RecipientsIn(Schema):
    audience: str = Field(max_length=16, description="park_key, above_scale or picked")
    park: int | None = Field(None, ge=1, le=MAX_ID)
    enterprises: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, description="the enterprises' ids when audience is picked"
    )


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description="question key → answer; workforce {on_duty, usual}; problems [{category, text}]"
    )


class OfficeIn(Schema):
    kind: str = Field(max_length=16, description="city_office or resident_team")
    name: str = Field(max_length=200)
    region: str | None = Field(None, max_length=12, description="the city's adcode (a city office)")
    park: int | None = Field(
        None, ge=1, le=MAX_ID, description="the co-built park (a resident team)"
    )
    staff: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, description="users of the office's organisation"
    )
    staff_names: str = Field("", max_length=500)
    since: IsoDate | None = None
    active: bool = True
    note: str = Field("", max_length=500)


class RateIn(Schema):
    month: str = Field(max_length=16, description="2025-03")
    rate: str = Field(max_length=32, description="元 per US$, at most six places, e.g. 7.1884")
    source: str = Field(max_length=255)
    illustrative: bool = False


def _park(pk: int | None) -> Any:
    from parklink.parks.models import Park

    if pk is None:
        return None
    found = Park.objects.select_related("region").filter(pk=pk).first()
    if found is None:
        raise Invalid.on("park", gettext("园区不存在"))
    return found


@router.post("/surveys", response={201: dict[str, Any]}, summary="Define a survey")
def create_survey(request: HttpRequest, payload: SurveyIn) -> Any:
    from parklink.kpi.services import surveys as survey_service

    made = survey_service.create_survey(
        current_user(request),
        title=payload.title,
        kind=payload.kind,
        period=payload.period,
        closes_on=payload.closes_on,
        questions=payload.questions,
        park=_park(payload.park),
        help_due_days=payload.help_due_days,
    )
    return Status(201, exports.survey_data(made))


@router.patch("/surveys/{survey_id}", summary="Change a survey (questions only before answers)")
def change_survey(request: HttpRequest, survey_id: int, payload: SurveyChange) -> dict[str, Any]:
    from parklink.kpi.services import surveys as survey_service

    survey = _survey(request, survey_id)
    survey_service.update_survey(
        current_user(request),
        survey,
        title=payload.title,
        closes_on=payload.closes_on,
        help_due_days=payload.help_due_days,
        questions=payload.questions,
    )
    return exports.survey_data(survey)


@router.post(
    "/surveys/{survey_id}/recipients",
    response={201: dict[str, Any]},
    summary="Add an audience's enterprises to a survey",
)
def add_survey_recipients(request: HttpRequest, survey_id: int, payload: RecipientsIn) -> Any:
    from parklink.kpi.services import surveys as survey_service

    survey = _survey(request, survey_id)
    park = _park(payload.park) or survey.park
    added = survey_service.add_recipients(
        current_user(request), survey, payload.audience, park, payload.enterprises
    )
    return Status(201, {"added": added, "survey": exports.survey_data(survey)})


def _recipient(request: HttpRequest, survey_id: int, recipient_id: int) -> Any:
    from parklink.kpi.services import surveys as survey_service

    survey = _survey(request, survey_id)
    return survey_service.get_recipient(current_user(request), survey, recipient_id)


@router.delete(
    "/surveys/{survey_id}/recipients/{recipient_id}",
    response={204: None},
    summary="Remove a recipient that has not answered",
)
def remove_survey_recipient(request: HttpRequest, survey_id: int, recipient_id: int) -> Any:
    from parklink.kpi.services import surveys as survey_service

    recipient = _recipient(request, survey_id, recipient_id)
    survey_service.remove_recipient(current_user(request), recipient)
    return Status(204, None)


@router.post(
    "/surveys/{survey_id}/recipients/{recipient_id}/link",
    response={201: dict[str, Any]},
    summary="Send: a new one-time link for the enterprise (an earlier one stops working)",
)
def issue_survey_link(request: HttpRequest, survey_id: int, recipient_id: int) -> Any:
    from parklink.kpi.services import surveys as survey_service

    recipient = _recipient(request, survey_id, recipient_id)
    token = survey_service.issue_link(current_user(request), recipient)
    return Status(
        201,
        {
            "recipient": recipient.pk,
            "url": request.build_absolute_uri(survey_service.link_url(token)),
            "expires_at": recipient.link_expires_at,
        },
    )


@router.put(
    "/surveys/{survey_id}/recipients/{recipient_id}/answers",
    summary="An officer enters (or corrects) an enterprise's answers",
)
def answer_survey(
    request: HttpRequest, survey_id: int, recipient_id: int, payload: AnswersIn
) -> dict[str, Any]:
    from parklink.kpi.services import surveys as survey_service

    recipient = _recipient(request, survey_id, recipient_id)
    survey_service.answer_by_officer(current_user(request), recipient, payload.answers)
    data = exports.survey_data(recipient.survey)
    data["help_requests"] = [
        {"id": h.pk, "category": h.category, "text": h.text, "due_on": h.due_on}
        for h in recipient.help_requests.order_by("pk")
    ]
    return data


def _office_fields(user: Any, payload: OfficeIn, owner_id: int | None) -> dict[str, Any]:
    from parklink.accounts.models import User
    from parklink.regions.apitools import region_by_adcode

    if owner_id is None:
        raise Invalid.on("organization", gettext("请指定所属机构"))
    wanted = set(payload.staff)
    staff = list(User.objects.filter(pk__in=wanted, organization_id=owner_id))
    if len(staff) != len(wanted):
        # Unknown ids and users of other organisations alike: nothing about them is told.
        raise Invalid.on("staff", gettext("人员应为本机构的用户"))
    return {
        "kind": payload.kind,
        "name": payload.name,
        "region": region_by_adcode(payload.region) if payload.region else None,
        "park": _park(payload.park),
        "staff": staff,
        "staff_names": payload.staff_names,
        "since": payload.since,
        "active": payload.active,
        "note": payload.note,
    }


def _office(office: Any) -> dict[str, Any]:
    return {
        "id": office.pk,
        "organization": {"id": office.organization_id, "name": office.organization.name},
        "kind": office.kind,
        "name": office.name,
        "region": office.region.adcode if office.region else None,
        "park": office.park_id,
        "staff": [u.username for u in office.staff.order_by("username")],
        "staff_names": office.staff_names,
        "since": office.since,
        "active": office.active,
        "note": office.note,
        "illustrative": office.illustrative,
    }


@router.post("/offices", response={201: dict[str, Any]}, summary="Add a liaison office or team")
def create_office(request: HttpRequest, payload: OfficeIn) -> Any:
    from parklink.accounts.services import ensure_can_write

    user = current_user(request)
    ensure_can_write(user, user.organization_id)
    fields = _office_fields(user, payload, user.organization_id)
    return Status(201, _office(liaison.save_office(user, None, **fields)))


@router.put("/offices/{office_id}", summary="Change a liaison office or team and its staff")
def change_office(request: HttpRequest, office_id: int, payload: OfficeIn) -> dict[str, Any]:
    from parklink.accounts.services import ensure_can_write

    user = current_user(request)
    office = liaison.get_office(user, office_id)
    ensure_can_write(user, office.organization_id)
    fields = _office_fields(user, payload, office.organization_id)
    saved = liaison.save_office(
        user,
        office,
        **fields,
        source_quote=office.source_quote,
        illustrative=office.illustrative,
    )
    return _office(saved)


def _rate(r: Any) -> dict[str, Any]:
    return {
        "month": r.month,
        "rate": str(r.rate),
        "source": r.source,
        "illustrative": r.illustrative,
        "entered_by": r.entered_by.username if r.entered_by else None,
        "entered_at": r.entered_at,
    }


@router.get("/rates", summary="The month-by-month US$ rates (元 per US$)")
def list_rates(request: HttpRequest) -> list[dict[str, Any]]:
    from parklink.kpi.models import ExchangeRate

    current_user(request)
    return [_rate(r) for r in ExchangeRate.objects.select_related("entered_by").order_by("-month")]


@router.put("/rates", summary="Enter or replace a month's rate (installation administrators only)")
def put_rate(request: HttpRequest, payload: RateIn) -> dict[str, Any]:
    from parklink.kpi.services import rates

    saved = rates.set_rate(
        current_user(request), payload.month, payload.rate, payload.source, payload.illustrative
    )
    saved.refresh_from_db()  # the rate as stored (six places)
    return _rate(saved)
