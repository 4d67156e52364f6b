"""A co-built park world: 金牛区 (飞出地) and 德格县 (飞入地) share a park's taxes 3:2.

Agreements go through the services, as users create them; figures are written directly
(`records`) or imported (`record_file`). 青白江区 is the outsider: no party, sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.cobuild import periods
from parklink.cobuild.models import Agreement, Party, Record, Rule
from parklink.cobuild.services import lifecycle, records, rules
from parklink.cobuild.services.agreements import PartySpec, create_agreement
from parklink.enterprises.models import Enterprise
from tests.support import factories
from tests.support.import_files import make_uscc

SHARES = {"jinniu": "3/5", "dege": "2/5"}


def agreement(
    by: User,
    jinniu: Organization,
    dege: Organization,
    *,
    title: str = "金牛—德格共建产业园协议",
    effective_from: date = date(2025, 1, 1),
) -> Agreement:
    """A draft agreement drafted by 金牛区, with both parties and version 1 (no rules)."""
    return create_agreement(
        by,
        owner_id=jinniu.pk,
        title=title,
        effective_from=effective_from,
        parties=[
            PartySpec(jinniu, "jinniu", ["source"], 0),
            PartySpec(dege, "dege", ["host"], 1),
        ],
        division_mode="hq_production",
    )


def ratio_rule(by: User, made: Agreement, indicator: str = "vat_local", **shares: str) -> Rule:
    version = made.versions.get(number=1)
    return rules.save_rule(
        by,
        version,
        key=f"{indicator.replace('_', '-')}-ratio",
        indicator=indicator,
        kind="fixed_ratio",
        params={"shares": shares or SHARES},
    )


def in_force(by: User, made: Agreement, on: date = date(2025, 1, 1)) -> Agreement:
    lifecycle.transition(by, made, "signed", on=on)
    lifecycle.transition(by, made, "in_force", on=on)
    made.refresh_from_db()
    return made


def enterprises(owner: Organization, count: int = 2) -> list[Enterprise]:
    return [
        factories.enterprise(owner, f"共建企业{n}有限公司", uscc=make_uscc(n + 1))
        for n in range(count)
    ]


def add_records(
    by: User,
    made: Agreement,
    party_key: str,
    label: str,
    figures: Iterable[tuple[Enterprise, str, int]],
    replace: bool = False,
) -> list[Record]:
    """A batch of a party's figures (fen), as an import writes them."""
    party = made.parties.get(key=party_key)
    period = periods.parse(label)
    batch = records.start_batch(by, made, party, period, replace=replace)
    return [
        Record.objects.create(
            agreement=made,
            batch=batch,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            enterprise=enterprise,
            indicator=indicator,
            amount=amount,
            contributed_by=party,
        )
        for enterprise, indicator, amount in figures
    ]


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    """An agreement in force with a 3:2 VAT rule, two enterprises and 2025Q1 figures."""
    made = agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
    rule = ratio_rule(users["jinniu"], made)
    in_force(users["jinniu"], made)
    firms = enterprises(orgs["dege"])
    add_records(
        users["dege"],
        made,
        "dege",
        "2025Q1",
        [(firms[0], "vat_local", 100_001), (firms[1], "vat_local", 2_000_000)],
    )
    return {
        "agreement": made,
        "rule": rule,
        "enterprises": firms,
        "users": users,
        "orgs": orgs,
        "party": {p.key: p for p in Party.objects.filter(agreement=made)},
    }
