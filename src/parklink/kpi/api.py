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
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.core.errors import NotFound
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
