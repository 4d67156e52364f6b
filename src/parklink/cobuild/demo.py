"""The cobuild app's demo step: the agreements of cobuild.yaml and the figures of
cobuild_records.yaml.

Each agreement is a document in the `parklink cobuild load` format, loaded by the same code
(`services.documents.load`) with the demo's keys for organisations, parks and enterprises
(the "organizations", "parks" and "enterprises" namespaces of the earlier steps); it is
remembered under its key in the "agreements" namespace. The figures are illustrative
(示例数据): each batch is stored with `illustrative=True`; a period marked `confirm` is settled
and confirmed by every party's demo officer, one marked `draft` only settled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parklink.cobuild import periods
from parklink.cobuild.models import HEADCOUNT_INDICATORS, Agreement, Enclave, Record
from parklink.cobuild.services import confirmations, documents, enclaves, records, runs
from parklink.core import demo
from parklink.core.money import parse_amount
from parklink.core.registry import DemoContext


def load_agreements(ctx: DemoContext) -> None:
    refs = documents.Refs(ctx.keys)
    for rec in demo.read("cobuild"):
        document = rec["agreement"]
        owner = demo.require(ctx, "organizations", document["owner"])
        agreement = Agreement.objects.filter(owner=owner, title=document["title"]).first()
        if agreement is None:
            agreement = documents.load(ctx.admin, document, refs)
            demo.created(ctx, "agreements", agreement, rec)
        ctx.remember("agreements", rec["key"], agreement)


def amount_in_units(value: Any, indicator: str) -> int:
    """An amount as the file writes it ("1234.56元", "3800万元") in fen; jobs in persons."""
    if indicator in HEADCOUNT_INDICATORS:
        return int(value)
    fen = parse_amount(str(value), default_unit="元") * 100
    if fen != fen.to_integral_value():
        raise demo.DemoDataError(f"demo data: {value!r} is not a whole number of fen")
    return int(Decimal(fen))


def load_records(ctx: DemoContext) -> None:
    for rec in demo.read("cobuild_records"):
        agreement = demo.require(ctx, "agreements", rec["agreement"])
        party = agreement.parties.select_related("organization").get(key=rec["party"])
        period = periods.parse(str(rec["period"]))
        if agreement.batches.filter(contributed_by=party, period_label=period.label).exists():
            continue
        reporter = _officer(ctx, party.organization)
        batch = records.start_batch(
            reporter, agreement, party, period, replace=False, file_name="cobuild_records.yaml"
        )
        batch.illustrative = True
        batch.save(update_fields=["illustrative"])
        Record.objects.bulk_create(
            Record(
                agreement=agreement,
                batch=batch,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                enterprise=demo.require(ctx, "enterprises", item["enterprise"]),
                indicator=item["indicator"],
                amount=amount_in_units(item["amount"], item["indicator"]),
                contributed_by=party,
            )
            for item in rec["figures"]
        )
        ctx.count("cobuild records", len(rec["figures"]))
        if rec.get("run", "none") != "none":
            _settle(ctx, agreement, reporter, period.label, confirm=rec["run"] == "confirm")


def _officer(ctx: DemoContext, organization: Any) -> Any:
    """The organisation's demo officer (the accounts step made one per organisation)."""
    for key, org in ctx.keys.get("organizations", {}).items():
        if org.pk == organization.pk:
            return demo.require(ctx, "officers", key)
    raise demo.DemoDataError(f"demo data: no officer for {organization.name}")


def _settle(ctx: DemoContext, agreement: Agreement, by: Any, label: str, confirm: bool) -> None:
    run = runs.run_period(by, agreement, label)
    ctx.count("cobuild runs")
    if confirm:
        for party in agreement.parties.select_related("organization"):
            confirmations.confirm(_officer(ctx, party.organization), run)


def load_enclaves(ctx: DemoContext) -> None:
    """enclaves.yaml: the enclave and the enterprises introduced through it, each cited; the
    article's aggregate figures stay in its quote (no tenant is invented)."""
    for rec in demo.read("enclaves"):
        owner = demo.require(ctx, "organizations", rec["owner"])
        enclave = Enclave.objects.filter(owner=owner, name=rec["name"]).first()
        if enclave is None:
            park = demo.require(ctx, "parks", rec["park"]) if rec.get("park") else None
            enclave = enclaves.create_enclave(
                ctx.admin,
                owner_id=owner.pk,
                name=rec["name"],
                home_region=demo.require(ctx, "regions", rec["home_region"]),
                host_region=demo.require(ctx, "regions", rec["host_region"]),
                park_id=park.pk if park else None,
                opened_on=demo.to_date(rec.get("opened_on")),
                description=demo.text(rec, "description"),
            )
            demo.created(ctx, "enclaves", enclave, rec)
        for item in rec.get("introductions") or []:
            firm = demo.require(ctx, "enterprises", item["enterprise"])
            if enclave.introductions.filter(enterprise=firm).exists():
                continue
            made = enclaves.add_introduction(
                ctx.admin,
                enclave,
                firm,
                introduced_on=demo.to_date(item.get("introduced_on")),
                note=demo.text(item, "note"),
                illustrative=bool(item.get("illustrative", False)),
            )
            demo.created(ctx, "enclave introductions", made, item)
