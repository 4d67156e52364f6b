"""The projects app's demo step: projects.yaml, replayed through the lifecycle.

Each project is created at its first recorded stage and moved through the rest by
`projects.services`, as a user would; owners, officers, parks and investors come from the
"organizations", "officers", "parks" and "enterprises" namespaces of the earlier steps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from parklink.core import demo
from parklink.core.money import parse_amount
from parklink.core.registry import DemoContext
from parklink.core.sources import cite
from parklink.projects import services
from parklink.projects.models import Approval, Milestone, Project

NOTE = "据来源文章录入"


def load_projects(ctx: DemoContext) -> None:
    for rec in demo.read("projects"):
        owner = demo.require(ctx, "organizations", rec["owner"])
        if Project.objects.filter(owner=owner, name=rec["name"]).exists():
            continue
        project = _replay(ctx, rec, owner)
        _milestones_and_approvals(project, rec)
        for item in rec.get("funds") or []:
            services.add_funds(
                ctx.admin,
                project,
                date.fromisoformat(str(item["date"])),
                parse_amount(item["amount"], default_unit="元"),
                evidence=item.get("evidence", ""),
            )
        cite(project, demo.sources(rec))
        ctx.count("projects")


def _replay(ctx: DemoContext, rec: dict[str, Any], owner: Any) -> Project:
    """Create the project at its first stage, then move it through the recorded history."""
    steps = [(s["stage"], demo.to_date(s["date"])) for s in rec.get("history") or []]
    steps.append((rec["stage"], demo.to_date(rec["stage_date"])))
    first_stage, first_date = steps[0]
    project = services.create_project(
        ctx.admin,
        owner_id=owner.pk,
        stage=first_stage,
        stage_date=first_date,
        tags=rec.get("tags") or [],
        note=NOTE,
        **_fields(ctx, rec),
    )
    for stage, when in steps[1:]:
        services.transition(ctx.admin, project, stage, on=when, note=NOTE)
        project.refresh_from_db()
    return project


def _fields(ctx: DemoContext, rec: dict[str, Any]) -> dict[str, Any]:
    park = demo.require(ctx, "parks", rec["park"]) if rec.get("park") else None
    if rec.get("region"):
        region = demo.require(ctx, "regions", rec["region"])
    else:
        region = park.region if park else None
    text = {
        "code_name": "code_name",
        "sector": "sector",
        "industry_code": "industry_code",
        "description": "description",
        "capital_origin": "capital_origin",
        "remarks": "note",
        "maturity": "maturity",
        "lead_source": "lead_source",
        "responsible_leader": "leader",
        "task_force": "task_force",
        "mechanism": "mechanism",
    }
    amounts = (
        "total_investment",
        "phase_investment",
        "expected_annual_revenue",
        "expected_annual_tax",
    )
    return {
        "name": rec["name"],
        "park": park,
        "region": region,
        "investor": ctx.lookup("enterprises", rec.get("investor") or ""),
        "jobs": rec.get("jobs"),
        "land_area_mu": demo.to_decimal(rec.get("land_area_mu")),
        "floor_area_m2": demo.to_decimal(rec.get("floor_area_m2")),
        "leader_user": demo.require(ctx, "officers", rec["owner"]),
        **{field: demo.text(rec, name) for field, name in text.items()},
        **{field: demo.to_amount(rec.get(field)) for field in amounts},
        # 超/以上 → at_least, 约/近/左右 → about, as the article words the figure.
        "total_investment_qualifier": rec.get("total_investment_qualifier") or "exact",
        "phase_investment_qualifier": rec.get("phase_investment_qualifier") or "exact",
    }


def _milestones_and_approvals(project: Project, rec: dict[str, Any]) -> None:
    for item in rec.get("milestones") or []:
        Milestone.objects.create(
            project=project,
            name=item["name"],
            due_on=date.fromisoformat(str(item["due_date"])),
            done_on=demo.to_date(item.get("done_date")),
            note=demo.text(item, "note"),
        )
    for item in rec.get("approvals") or []:
        Approval.objects.create(
            project=project,
            kind=item["kind"],
            status=item.get("status", "not_started"),
            due_on=demo.to_date(item.get("due_date")),
            note=demo.text(item, "note"),
        )
