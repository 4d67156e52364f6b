"""The co-built park pages and API lists make a fixed number of SQL queries however many
agreements, parties' rows, figures, allocations or tenants they show. The counts are pinned
in tests/web_query_counts_cobuild.json, so an N+1 regression fails here."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Agreement
from parklink.cobuild.services import details, enclaves, runs
from tests.cobuild.support import add_records, agreement, in_force, ratio_rule
from tests.support import factories
from tests.support.import_files import make_uscc

PINNED: dict[str, int] = json.loads(
    (Path(__file__).parent.parent / "web_query_counts_cobuild.json").read_text()
)
SIZES = (2, 6)

pytestmark = pytest.mark.django_db


def count(client: Client, url: str) -> int:
    client.get(url)  # warm-up: caches that fill once per process are not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def grown(orgs: dict[str, Organization], users: dict[str, User], size: int) -> Agreement:
    """An agreement in force with `size` of everything a page lists: enterprises (covered,
    with figures of two indicators split under two rules), companies with two shareholders,
    cooperation fields and shared policies; 2025Q1 settled."""
    jinniu, dege = users["jinniu"], users["dege"]
    made = agreement(jinniu, orgs["jinniu"], orgs["dege"], title=f"规模{size}的协议")
    ratio_rule(jinniu, made)
    ratio_rule(jinniu, made, "output", jinniu="1/2", dege="1/2")
    parties = {p.key: p for p in made.parties.all()}
    for number in range(size):
        details.save_field(jinniu, made, name=f"领域{number}")
        details.save_policy(jinniu, made, name=f"政策{number}", issued_by=parties["dege"])
        details.save_company(
            jinniu,
            made,
            name=f"运营公司{number}",
            shares=[
                details.ShareSpec(parties["jinniu"], "3/5", "城投"),
                details.ShareSpec(parties["dege"], "2/5", "国投"),
            ],
        )
    in_force(jinniu, made)
    firms = [
        factories.enterprise(
            orgs["dege"], f"规模{size}企业{n}有限公司", uscc=make_uscc(100 * size + n)
        )
        for n in range(size)
    ]
    for firm in firms:
        details.save_covered(
            jinniu, made, enterprise=firm, introduced_by=parties["jinniu"],
            production_on=date(2024, 1, 1),
        )  # fmt: skip
    figures = [(f, "vat_local", 100_001 + n) for n, f in enumerate(firms)]
    figures += [(f, "output", 3_000_000 + n) for n, f in enumerate(firms)]
    add_records(dege, made, "dege", "2025Q1", figures)
    runs.run_period(jinniu, made, "2025Q1")
    return made


PAGES: dict[str, Callable[[Agreement], str]] = {
    "cobuild:detail": lambda a: f"/cobuild/{a.pk}/",
    "cobuild:runs": lambda a: f"/cobuild/{a.pk}/runs/",
    "cobuild:run": lambda a: f"/cobuild/{a.pk}/runs/{a.runs.get().pk}/",
    "cobuild:statement": lambda a: f"/cobuild/{a.pk}/statements/2025Q1/jinniu/",
    "cobuild:covered": lambda a: f"/cobuild/{a.pk}/enterprises/",
    "cobuild:views": lambda a: f"/cobuild/{a.pk}/views/",
    "cobuild:rules": lambda a: f"/cobuild/{a.pk}/versions/1/rules/",
    "api:agreement": lambda a: f"/api/v1/cobuild/{a.pk}",
    "api:runs": lambda a: f"/api/v1/cobuild/{a.pk}/runs",
    "api:run": lambda a: f"/api/v1/cobuild/{a.pk}/runs/{a.runs.get().pk}",
    "api:records": lambda a: f"/api/v1/cobuild/{a.pk}/records",
    "api:rules": lambda a: f"/api/v1/cobuild/{a.pk}/rules",
    "api:companies": lambda a: f"/api/v1/cobuild/{a.pk}/companies",
    "api:policies": lambda a: f"/api/v1/cobuild/{a.pk}/policies",
    "api:fields": lambda a: f"/api/v1/cobuild/{a.pk}/fields",
    "api:enterprises": lambda a: f"/api/v1/cobuild/{a.pk}/enterprises",
    "api:views": lambda a: f"/api/v1/cobuild/{a.pk}/views",
}


@pytest.fixture
def clients(users: dict[str, User], api_client: Callable[[User], Client]) -> dict[str, Client]:
    page = Client()
    page.force_login(users["jinniu"])
    return {"page": page, "api": api_client(users["jinniu"])}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_agreements_page_or_list_is_pinned(
    name: str,
    orgs: dict[str, Organization],
    users: dict[str, User],
    clients: dict[str, Client],
) -> None:
    client = clients["api" if name.startswith("api:") else "page"]
    counts = [count(client, PAGES[name](grown(orgs, users, size))) for size in SIZES]
    assert counts == [PINNED[name]] * len(SIZES), counts


@pytest.mark.parametrize("name", ["cobuild:list", "api:list"])
def test_the_agreement_lists_are_pinned(
    name: str,
    orgs: dict[str, Organization],
    users: dict[str, User],
    clients: dict[str, Client],
) -> None:
    url = "/api/v1/cobuild/" if name == "api:list" else "/cobuild/"
    client = clients["api" if name == "api:list" else "page"]
    counts = []
    for size in SIZES:
        grown(orgs, users, size)
        counts.append(count(client, url))
    assert counts == [PINNED[name]] * len(SIZES), counts


def grown_enclave(orgs: dict[str, Organization], users: dict[str, User], size: int) -> Any:
    """An enclave of 德格 with `size` tenants, each landed through a site and a signed project
    in the home county, and `size` introductions."""
    officer = users["dege"]
    enclave = enclaves.create_enclave(
        officer,
        owner_id=orgs["dege"].pk,
        name=f"德格科创飞地{size}",
        home_region=factories.region("513330"),
        host_region=factories.region("510100"),
        opened_on=date(2024, 1, 1),
    )
    for number in range(size):
        firm = factories.enterprise(
            orgs["dege"],
            f"飞地{size}租户{number}有限公司",
            "510106",
            sites=[{"role": "manufacturing", "region_id": "513330"}],
        )
        enclaves.add_tenancy(officer, enclave, firm, moved_in=date(2024, 3, 1))
        enclaves.add_introduction(officer, enclave, firm)
        factories.project(
            officer,
            f"飞地{size}落地项目{number}",
            on=date(2025, 4, 1),
            region_id="513330",
            investor=firm,
            total_investment=Decimal("1000.00"),
        )
    return enclave


@pytest.mark.parametrize("name", ["cobuild:enclaves", "cobuild:enclave", "api:enclaves",
                                  "api:enclave"])  # fmt: skip
def test_the_enclave_pages_are_pinned(
    name: str, orgs: dict[str, Organization], users: dict[str, User],
    api_client: Callable[[User], Client],
) -> None:  # fmt: skip
    if name.startswith("api:"):
        client = api_client(users["dege"])
    else:
        client = Client()
        client.force_login(users["dege"])
    counts = []
    for size in SIZES:
        enclave = grown_enclave(orgs, users, size)
        url = {
            "cobuild:enclaves": "/cobuild/enclaves/",
            "cobuild:enclave": f"/cobuild/enclaves/{enclave.pk}/",
            "api:enclaves": "/api/v1/cobuild/enclaves/",
            "api:enclave": f"/api/v1/cobuild/enclaves/{enclave.pk}",
        }[name]
        counts.append(count(client, url))
    assert counts == [PINNED[name]] * len(SIZES), counts
