"""Chains API (/api/v1/chains/): templates and versions, an enterprise's assignments and their
correction, coverage of a place, places compared, targets and the lead made from one.

Reads are scoped like the pages: an organisation's own template is a 404 to others, projects
are counted only when the caller may see them, a co-built park agreement is a place only for
its parties.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from parklink.accounts.apitools import current_user
from parklink.chains import exports
from parklink.chains.catalog import Chain
from parklink.chains.models import Assignment, ChainTemplate, TemplateVersion
from parklink.chains.schemas import (
    AssignmentOut,
    ChainRef,
    CompareOut,
    CorrectionIn,
    CoverageOut,
    LeadIn,
    LeadOut,
    PlaceRef,
    TargetsOut,
    TemplateDetailOut,
    TemplateOut,
    TemplateVersionIn,
)
from parklink.chains.services import classification, places, templates
from parklink.chains.services import coverage as coverage_service
from parklink.chains.services import targets as target_service
from parklink.chains.services.coverage import Coverage
from parklink.core.errors import Invalid

router = Router(tags=["chains"])
MAX_PLACES = 6


def _template_out(version: TemplateVersion, chain: Chain) -> dict[str, Any]:
    template = version.template
    return {
        "id": template.pk,
        "key": template.key,
        "name": template.name,
        "owner": template.owner_id,
        "version": version.number,
        "catalog_version": version.catalog_version,
        "segments": len(chain.segments),
        "classified_at": version.classified_at,
    }


@router.get("/templates", response=list[TemplateOut], summary="The templates the user may see")
def list_templates(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    versions = templates.current_versions(templates.visible_templates(user))
    return [
        _template_out(version, templates.chain_of(version))
        for version in sorted(
            versions.values(), key=lambda v: (v.template.owner_id or 0, v.template.key)
        )
    ]


def _detail(template: ChainTemplate, version: TemplateVersion) -> dict[str, Any]:
    chain = templates.chain_of(version)
    return {
        **_template_out(version, chain),
        "text": version.text,
        "segment_list": [
            {
                "key": s.key,
                "name": s.name,
                "name_en": s.name_en,
                "stage": s.stage,
                "role": s.role,
                "parent": s.parent,
                "keywords": list(s.keywords),
                "exclusions": list(s.exclusions),
                "industry_codes": list(s.industry_codes),
                "products": list(s.products),
            }
            for s in chain.segments
        ],
        "edges": [list(edge) for edge in chain.edges],
        "versions": list(template.versions.order_by("number").values_list("number", flat=True)),
    }


@router.get("/templates/{template_id}", response=TemplateDetailOut, summary="One template")
def read_template(request: HttpRequest, template_id: int) -> dict[str, Any]:
    user = current_user(request)
    template = templates.get_visible(user, template_id)
    return _detail(template, templates.current_version(template))


@router.post(
    "/templates/{template_id}/versions",
    response={201: TemplateDetailOut},
    summary="Save a new version (YAML); refused with the parser's message",
)
def add_version(request: HttpRequest, template_id: int, payload: TemplateVersionIn) -> Any:
    user = current_user(request)
    template = templates.get_visible(user, template_id)
    version = templates.save_version(user, template, payload.text, payload.note)
    return Status(201, _detail(template, version))


@router.post(
    "/templates/{template_id}/copy",
    response={201: TemplateDetailOut},
    summary="Copy a template into the user's organisation",
)
def copy(request: HttpRequest, template_id: int) -> Any:
    user = current_user(request)
    copied = templates.copy_template(user, templates.get_visible(user, template_id))
    return Status(201, _detail(copied, templates.current_version(copied)))


def _assignment_out(row: Assignment) -> dict[str, Any]:
    return {
        "template": row.template_id,
        "chain": row.template.key,
        "version": row.version.number,
        "segment": row.segment,
        "score": row.score,
        "rank": row.rank,
        "accepted": row.accepted,
        "source": row.source,
        "evidence": [str(item) for item in row.evidence or []],
        "corrected_by": row.corrected_by.username if row.corrected_by else None,
        "corrected_at": row.corrected_at,
    }


@router.get(
    "/enterprises/{enterprise_id}/assignments",
    response=list[AssignmentOut],
    summary="An enterprise's candidates and corrections on the visible templates",
)
def assignments(request: HttpRequest, enterprise_id: int) -> list[dict[str, Any]]:
    user = current_user(request)
    enterprise = classification.get_enterprise(enterprise_id)
    return [
        _assignment_out(row)
        for item in classification.for_enterprise(user, enterprise)
        for row in [*item.corrections, *item.candidates]
    ]


@router.put(
    "/enterprises/{enterprise_id}/assignments",
    response=list[AssignmentOut],
    summary="Correct (or confirm) an enterprise's segments on one template",
)
def correct(
    request: HttpRequest, enterprise_id: int, payload: CorrectionIn
) -> list[dict[str, Any]]:
    user = current_user(request)
    enterprise = classification.get_enterprise(enterprise_id)
    template = templates.get_visible(user, payload.template)
    rows = classification.correct(user, enterprise, template, payload.segments, payload.note)
    for row in rows:
        row.template = template
    return [_assignment_out(row) for row in rows]


@router.delete(
    "/enterprises/{enterprise_id}/assignments/{template_id}",
    response={204: None},
    summary="Withdraw a correction: the classifier places the enterprise again",
)
def clear(request: HttpRequest, enterprise_id: int, template_id: int) -> Any:
    user = current_user(request)
    enterprise = classification.get_enterprise(enterprise_id)
    classification.clear_correction(user, enterprise, templates.get_visible(user, template_id))
    return Status(204, None)


def _coverage_out(found: Coverage) -> dict[str, Any]:
    rules = found.rules
    return {
        "place": found.place.ref,
        "place_name": found.place.name,
        "template": found.template.pk,
        "chain": found.chain.key,
        "version": found.version.number,
        "catalog_version": found.chain.version,
        "rules": {
            "strong_enterprises": rules.strong_enterprises,
            "strong_leader_enterprises": rules.strong_leader_enterprises,
            "strong_capital": (Decimal(rules.strong_capital_fen) / 100).quantize(Decimal("0.01")),
            "present_enterprises": rules.present_enterprises,
        },
        "enterprises": found.enterprise_total,
        "segments": [
            {
                "key": item.key,
                "name": item.segment.name,
                "stage": item.segment.stage,
                "role": item.segment.role,
                "label": item.label.code,
                "enterprises": item.enterprises,
                "registered_capital": item.capital,
                "leaders": item.leaders,
                "listed": item.listed,
                "high_tech": item.high_tech,
                "specialised": item.specialised,
                "projects": item.projects,
                "rnd_sites": item.rnd_sites,
                "manufacturing_sites": item.manufacturing_sites,
            }
            for item in found.segments
        ],
    }


class CoverageQuery(Schema):
    place: PlaceRef
    chain: ChainRef


@router.get("/coverage", response=CoverageOut, summary="A chain's coverage and gaps in a place")
def coverage(request: HttpRequest, query: Query[CoverageQuery]) -> dict[str, Any]:
    user = current_user(request)
    place = places.resolve(user, query.place)
    template = exports.template_for(user, query.chain)
    return _coverage_out(coverage_service.coverage(user, place, template, with_sites=True))


class CompareQuery(Schema):
    chain: ChainRef
    place: list[PlaceRef] = Field(description="two to six places", max_length=MAX_PLACES)


@router.get("/compare", response=CompareOut, summary="One chain in several places side by side")
def compare(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    user = current_user(request)
    if len(query.place) < 2:
        raise Invalid.on("place", "请给出至少两个地点")
    resolved = [places.resolve(user, ref) for ref in query.place]
    template = exports.template_for(user, query.chain)
    return {
        "places": [
            _coverage_out(item) for item in coverage_service.compare(user, resolved, template)
        ]
    }


class TargetQuery(Schema):
    place: PlaceRef
    chain: ChainRef
    segment: str | None = Field(None, max_length=64)
    limit: int = Field(target_service.DEFAULT_LIMIT, ge=1, le=target_service.MAX_LIMIT)


@router.get("/targets", response=TargetsOut, summary="Ranked targets for a place's gaps")
def list_targets(request: HttpRequest, query: Query[TargetQuery]) -> dict[str, Any]:
    user = current_user(request)
    place = places.resolve(user, query.place)
    template = exports.template_for(user, query.chain)
    found = target_service.targets(
        user, place, template, [query.segment] if query.segment else None, query.limit
    )
    names = {s.key: s.name for s in found.coverage.chain.segments}
    return {
        "place": place.ref,
        "template": template.pk,
        "version": found.coverage.version.number,
        "segments": found.segments,
        "targets": [
            {
                "rank": position,
                "enterprise": t.enterprise.pk,
                "name": t.enterprise.name,
                "region": t.enterprise.region_id,
                "segment": t.ranked.candidate.segment,
                "segment_name": t.segment_name,
                "label": t.label.code,
                "score": t.score,
                "parts": {k: round(v, 4) for k, v in t.ranked.parts.items()},
                "reasons": target_service.reason_texts(t.ranked, names),
                "lead_project": t.lead.project_id if t.lead else None,
            }
            for position, t in enumerate(found.targets, start=1)
        ],
    }


@router.post("/leads", response={201: LeadOut}, summary="Turn a target into a lead")
def make_lead(request: HttpRequest, payload: LeadIn) -> Any:
    user = current_user(request)
    place = places.resolve(user, payload.place)
    template = exports.template_for(user, payload.chain)
    lead = target_service.make_lead(user, place, template, payload.segment, payload.enterprise)
    return Status(
        201,
        {
            "project": lead.project_id,
            "name": lead.project.name,
            "template": lead.template_id,
            "version": lead.version.number,
            "segment": lead.segment,
            "label": lead.label,
            "place": lead.place,
            "score": lead.score,
            "reasons": lead.reasons,
        },
    )
