"""The parks app's demo steps: parks.yaml (industries, resources, indicators) and linkages.yaml.

Parks are remembered under their keys in the "parks" namespace; owners come from the
"organizations" namespace the accounts step fills.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parklink.core import demo
from parklink.core.money import parse_amount
from parklink.core.registry import DemoContext
from parklink.parks.models import (
    IndicatorKind,
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)


def load_parks(ctx: DemoContext) -> None:
    records = demo.read("parks")
    for rec in records:  # parents are linked in a second pass
        park = Park.objects.filter(name=rec["name"], region_id=str(rec["region"])).first()
        if park is None:
            park = _create_park(ctx, rec)
            demo.created(ctx, "parks", park, rec)
            _park_details(park, rec)
        ctx.remember("parks", rec["key"], park)
    for rec in records:
        park = demo.require(ctx, "parks", rec["key"])
        if rec.get("parent") and park.parent_id is None:
            park.parent = demo.require(ctx, "parks", rec["parent"])
            park.save(update_fields=["parent"])


def _create_park(ctx: DemoContext, rec: dict[str, Any]) -> Park:
    return Park.objects.create(
        name=rec["name"],
        short_name=rec.get("short_name", ""),
        kind=rec["kind"],
        region=demo.require(ctx, "regions", rec["region"]),
        owner=demo.require(ctx, "organizations", rec["owner"]),
        description=rec.get("description", ""),
        established=demo.to_date(rec.get("established")),
        planned_area_mu=demo.to_decimal(rec.get("planned_area_mu")),
        carrier_built_m2=demo.to_decimal(rec.get("carrier_built_m2")),
        carrier_occupied_m2=demo.to_decimal(rec.get("carrier_occupied_m2")),
        available_land_mu=demo.to_decimal(rec.get("available_land_mu")),
    )


def _park_details(park: Park, rec: dict[str, Any]) -> None:
    for order, item in enumerate(rec.get("industries") or []):
        ParkIndustry.objects.get_or_create(
            park=park,
            name=item["name"],
            defaults={
                "role": item.get("role", "leading"),
                "order": order,
                "industry_code": demo.text(item, "industry_code"),
            },
        )
    for item in rec.get("resources") or []:
        ParkResource.objects.create(
            park=park,
            kind=item["kind"],
            value=demo.to_decimal(item.get("value")),
            value_max=demo.to_decimal(item.get("value_max")),
            unit=demo.text(item, "unit"),
            note=demo.text(item, "note"),
        )
    for item in rec.get("indicators") or []:
        money = item["indicator"] in IndicatorKind.money()
        ParkIndicator.objects.get_or_create(
            park=park,
            year=int(item["year"]),
            indicator=item["indicator"],
            defaults={
                "value": parse_amount(item["value"], default_unit="元")
                if money
                else Decimal(str(item["value"])),
                "unit": "元" if money else demo.text(item, "unit"),
            },
        )


def load_linkages(ctx: DemoContext) -> None:
    for rec in demo.read("linkages"):
        if ParkLinkage.objects.filter(name=rec["name"]).exists():
            continue
        members = rec.get("members") or []
        if members:
            owner = demo.require(ctx, "parks", members[0]["park"]).owner
        else:
            owner = demo.first(ctx, "organizations")
        linkage = ParkLinkage.objects.create(
            name=rec["name"], description=rec.get("description", ""), owner=owner
        )
        demo.created(ctx, "linkages", linkage, rec)
        for order, member in enumerate(members):
            LinkageMember.objects.create(
                linkage=linkage,
                park=demo.require(ctx, "parks", member["park"]),
                role=member["role"],
                order=order,
            )
