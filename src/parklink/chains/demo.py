"""The chains app's demo step (data/demo/chains.yaml).

Loads the shipped templates (`services.templates.load_shipped`), the metro areas with the
city that leads each chain, the chains a park names as its focus (each with the article's
words) and an officer's confirmations of the segments an article states; then classifies the
demo registry (synchronously: it is small). Running it twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from parklink.chains.models import (
    Assignment,
    ChainTemplate,
    FocusChain,
    MetroArea,
    MetroLead,
    MetroMember,
    Source,
)
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


def _confirmations(ctx: DemoContext, rec: dict[str, Any]) -> None:
    """An officer's confirmations of segments the article states (kept as corrections)."""
    officer = demo.require(ctx, "officers", rec["officer"])
    for item in rec["confirmations"]:
        enterprise = demo.require(ctx, "enterprises", item["enterprise"])
        template = ChainTemplate.objects.filter(owner=None, key=item["chain"]).first()
        if template is None:
            raise demo.DemoDataError(f"demo data: {FILE}: no shipped chain {item['chain']!r}")
        if Assignment.objects.filter(
            enterprise=enterprise, template=template, source=Source.CORRECTION
        ).exists():
            continue
        classification.correct(officer, enterprise, template, item["segments"], item["note"])
        ctx.count("chain confirmations")


def load(ctx: DemoContext) -> None:
    added = templates.load_shipped(ctx.admin)
    if added:
        ctx.count("chain template versions", len(added))
    for rec in demo.read(FILE):
        if rec.get("kind") == "metro":
            _metro(ctx, rec)
        elif rec.get("kind") == "focus":
            _focus(ctx, rec)
        elif rec.get("kind") == "confirmations":
            _confirmations(ctx, rec)
        else:
            raise demo.DemoDataError(f"demo data: {FILE}:{rec.get('key')} has no known kind")
    if added or classification.pending():
        summary = classification.classify_registry(changed_only=not added)
        ctx.count("chain assignments", summary.assignments)
