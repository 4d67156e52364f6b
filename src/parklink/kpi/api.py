"""KPI API (/api/v1/kpi/): schemes, figures and the projects behind them, targets, assessments.

Everything reads through the same scopes as the pages: an organisation the caller may not
assess, or an assessment it may not see, is a 404. Amounts are strings of 元 (exact
decimals), rates fractions (0.85), points strings with two decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from parklink.accounts.apitools import current_user
from parklink.core.errors import NotFound
from parklink.kpi.models import Assessment, SchemeVersion, Target
from parklink.kpi.queries import (
    get_assessable,
    visible_assessments,
    visible_schemes,
    visible_targets,
)
from parklink.kpi.services import actuals, schemes
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
    note: str = ""


class AssessIn(Schema):
    scheme: str
    version: int | None = None
    period: str
    organization: int | None = None


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
    target = set_target(
        user,
        org,
        payload.period,
        payload.kind,
        payload.value,
        subject_kind="task_force" if payload.task_force else "organization",
        task_force=payload.task_force,
        note=payload.note,
    )
    return Status(201, _target(target))


@router.post(
    "/assess", response={201: list[dict[str, Any]]}, summary="Score, rank and store a period"
)
def run_assessment(request: HttpRequest, payload: AssessIn) -> Any:
    user = current_user(request)
    version = schemes.get_version(visible_schemes(user), payload.scheme, payload.version)
    orgs = [get_assessable(user, payload.organization)] if payload.organization else None
    saved = assessing.assess(user, version, parse_period(payload.period), orgs)
    return Status(201, [_assessment(a) for a in saved])


@router.get("/assessments", summary="Stored assessments the caller may see")
def list_assessments(
    request: HttpRequest, period: str | None = None, scheme: str | None = None
) -> list[dict[str, Any]]:
    qs = visible_assessments(current_user(request)).select_related("organization", "scheme")
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
