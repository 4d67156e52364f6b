"""The enterprises app's demo step: enterprises.yaml with their sites.

Enterprises are remembered under their keys in the "enterprises" namespace; owners and the
parks of sites come from the "organizations" and "parks" namespaces.
"""

from __future__ import annotations

from typing import Any

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.core.text import normalise_name
from parklink.enterprises.models import Enterprise, EnterpriseSite

FLAG_FIELDS = {
    "chain_leader": "is_chain_leader",
    "listed": "is_listed",
    "high_tech": "is_high_tech",
    "above_scale": "is_above_scale",
    "specialised_sme": "is_specialised_sme",
}


def load_enterprises(ctx: DemoContext) -> None:
    for rec in demo.read("enterprises"):
        enterprise = Enterprise.objects.filter(
            normalized_name=normalise_name(rec["name"]), region_id=str(rec["region"])
        ).first()
        if enterprise is None:
            enterprise = _create_enterprise(ctx, rec)
            demo.created(ctx, "enterprises", enterprise, rec)
            _sites(ctx, enterprise, rec)
        ctx.remember("enterprises", rec["key"], enterprise)


def _create_enterprise(ctx: DemoContext, rec: dict[str, Any]) -> Enterprise:
    owner = ctx.lookup("organizations", rec.get("owner", "")) or demo.first(ctx, "organizations")
    flags = {FLAG_FIELDS[k]: bool(v) for k, v in (rec.get("flags") or {}).items()}
    return Enterprise.objects.create(
        name=rec["name"],
        short_name=demo.text(rec, "short_name"),
        uscc=rec.get("uscc") or None,
        region=demo.require(ctx, "regions", rec["region"]),
        owner=owner,
        industry_code=demo.text(rec, "industry_code"),
        description=demo.text(rec, "description"),
        registered_capital=demo.to_amount(rec.get("registered_capital")),
        **flags,
    )


def _sites(ctx: DemoContext, enterprise: Enterprise, rec: dict[str, Any]) -> None:
    for site in rec.get("sites") or []:
        park = demo.require(ctx, "parks", site["park"]) if site.get("park") else None
        if site.get("region"):
            region = demo.require(ctx, "regions", site["region"])
        else:
            region = park.region if park else None
        EnterpriseSite.objects.create(
            enterprise=enterprise, role=site["role"], park=park, region=region
        )
