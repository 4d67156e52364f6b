"""The chains app's demo step (data/demo/chains.yaml).

Loads the shipped templates (`services.templates.load_shipped`), the metro areas with the
city that leads each chain and the chains a park names as its focus, each with the article's
words; then classifies the demo registry (synchronously: it is small). Running it twice
changes nothing.
"""

from __future__ import annotations

from typing import Any

from parklink.chains.models import FocusChain, MetroArea, MetroLead, MetroMember
from parklink.chains.services import classification, templates
from parklink.core import demo
from parklink.core.registry import DemoContext

FILE = "chains"


def _quote(record: dict[str, Any]) -> tuple[str, str]:
    sources = demo.sources(record)
    if not sources:
        return "", ""
    return sources[0]["file"], " … ".join(source["quote"] for source in sources)


def _metro(ctx: DemoContext, rec: dict[str, Any]) -> None:
    metro, created = MetroArea.objects.get_or_create(
        key=rec["key"], defaults={"name": rec["name"], "description": rec.get("description", "")}
    )
    if created:
        demo.created(ctx, "metro areas", metro, rec)
    for order, adcode in enumerate(rec["regions"]):
        MetroMember.objects.get_or_create(
            metro=metro, region=demo.require(ctx, "regions", adcode), defaults={"order": order}
        )
    source_file, quote = _quote(rec)
    for lead in rec.get("leads", []):
        MetroLead.objects.get_or_create(
            metro=metro,
            chain_key=lead["chain"],
            defaults={
                "label": lead.get("label", ""),
                "region": demo.require(ctx, "regions", lead["city"]),
                "source_file": source_file,
                "source_quote": quote,
            },
        )
    ctx.remember("metro areas", rec["key"], metro)


def _focus(ctx: DemoContext, rec: dict[str, Any]) -> None:
    park = demo.require(ctx, "parks", rec["park"])
    source_file, quote = _quote(rec)
    for item in rec["chains"]:
        _found, created = FocusChain.objects.get_or_create(
            place=f"park:{park.pk}",
            chain_key=item["chain"],
            defaults={
                "place_name": park.name,
                "label": item.get("label", ""),
                "source_file": source_file,
                "source_quote": quote,
            },
        )
        if created:
            ctx.count("focus chains")


def load(ctx: DemoContext) -> None:
    added = templates.load_shipped(ctx.admin)
    ctx.count("chain template versions", len(added))
    for rec in demo.read(FILE):
        if rec.get("kind") == "metro":
            _metro(ctx, rec)
        elif rec.get("kind") == "focus":
            _focus(ctx, rec)
        else:
            raise demo.DemoDataError(f"demo data: {FILE}:{rec.get('key')} has no known kind")
    if added or classification.pending():
        summary = classification.classify_registry(changed_only=not added)
        ctx.count("chain assignments", summary.assignments)
