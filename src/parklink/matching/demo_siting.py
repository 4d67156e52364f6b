"""The siting demo step (data/demo/matching_siting.yaml): illustrative power and water needs
of the articles' projects and illustrative spare capacity of a few parks, so that 项目选址
shows 一氧化二氮高纯特种气体项目 against 甘眉工业园 and the other parks.

Every row is marked illustrative; running the step twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.matching.models_siting import ParkCapacity, SitingNeeds
from parklink.projects.models import Project

FILE = "matching_siting"


def load(ctx: DemoContext) -> None:
    for rec in demo.read(FILE):
        if rec["kind"] == "needs":
            _needs(ctx, rec)
        elif rec["kind"] == "capacity":
            _capacity(ctx, rec)
        else:
            raise demo.DemoDataError(f"demo data: unknown siting record kind {rec['kind']!r}")


def _needs(ctx: DemoContext, rec: dict[str, Any]) -> None:
    owner = demo.require(ctx, "organizations", rec["owner"])
    project = Project.objects.filter(owner=owner, name=rec["project"]).first()
    if project is None:
        raise demo.DemoDataError(f"demo data: no project {rec['project']!r} of {rec['owner']!r}")
    _row, made = SitingNeeds.objects.get_or_create(
        project=project,
        defaults={
            "power_kva": demo.to_decimal(rec.get("power_kva")),
            "water_tpd": demo.to_decimal(rec.get("water_tpd")),
            "note": demo.text(rec, "note"),
            "illustrative": True,
            "updated_by": ctx.admin,
        },
    )
    if made:
        ctx.count("matching siting needs")


def _capacity(ctx: DemoContext, rec: dict[str, Any]) -> None:
    park = demo.require(ctx, "parks", rec["park"])
    _row, made = ParkCapacity.objects.get_or_create(
        park=park,
        defaults={
            "power_kva": demo.to_decimal(rec.get("power_kva")),
            "water_tpd": demo.to_decimal(rec.get("water_tpd")),
            "note": demo.text(rec, "note"),
            "illustrative": True,
            "updated_by": ctx.admin,
        },
    )
    if made:
        ctx.count("matching park capacities")
