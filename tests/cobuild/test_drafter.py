"""The drafter that is not a party sees the agreement only while it is being drafted; a second
agreement of one title from one organisation is a 409 on the API and the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import Organization, User
from parklink.cobuild import queries
from parklink.cobuild.models import Agreement
from parklink.cobuild.services import lifecycle
from parklink.cobuild.services.agreements import PartySpec, create_agreement
from parklink.core.errors import Duplicate
from tests.cobuild.support import agreement

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cobuild"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def drafted(orgs: dict[str, Organization], users: dict[str, User]) -> Agreement:
    """成都市 (the city) drafts an agreement between 金牛区 and 德格县; it is no party."""
    return create_agreement(
        users["city"],
        owner_id=orgs["city"].pk,
        title="市级牵头的共建协议",
        effective_from=date(2025, 1, 1),
        parties=[
            PartySpec(orgs["jinniu"], "jinniu", ["source"], 0),
            PartySpec(orgs["dege"], "dege", ["host"], 1),
        ],
    )


def sees(user: User, made: Agreement, api_client: Callable[[User], Client]) -> tuple[int, int]:
    page = client_for(user).get(reverse("cobuild:detail", args=[made.pk])).status_code
    api = api_client(user).get(f"{BASE}/{made.pk}").status_code
    return page, api


class TestDrafterVisibility:
    def test_the_drafter_sees_the_draft_and_the_negotiation(
        self, drafted: Agreement, users: dict[str, User], api_client: Callable[[User], Client]
    ) -> None:
        assert sees(users["city"], drafted, api_client) == (200, 200)
        lifecycle.transition(users["city"], drafted, "negotiating", on=date(2025, 1, 2))
        assert sees(users["city"], drafted, api_client) == (200, 200)
        assert drafted in queries.visible_agreements(users["city"])

    def test_once_signed_only_the_parties_see_it(
        self, drafted: Agreement, users: dict[str, User], api_client: Callable[[User], Client]
    ) -> None:
        lifecycle.transition(users["jinniu"], drafted, "signed", on=date(2025, 1, 2))
        assert sees(users["city"], drafted, api_client) == (404, 404)
        assert drafted not in queries.visible_agreements(users["city"])
        assert sees(users["jinniu"], drafted, api_client) == (200, 200)
        assert sees(users["dege"], drafted, api_client) == (200, 200)
        assert sees(users["root"], drafted, api_client) == (200, 200)
        ids = [row["id"] for row in api_client(users["city"]).get(f"{BASE}/").json()["items"]]
        assert drafted.pk not in ids

    def test_a_terminated_draft_is_the_parties_alone_too(
        self, drafted: Agreement, users: dict[str, User], api_client: Callable[[User], Client]
    ) -> None:
        lifecycle.transition(
            users["city"], drafted, "terminated", on=date(2025, 1, 2), note="未达成一致"
        )
        assert sees(users["city"], drafted, api_client) == (404, 404)
        assert sees(users["dege"], drafted, api_client) == (200, 200)

    def test_a_drafting_party_keeps_seeing_it(
        self, world: dict[str, Any], api_client: Callable[[User], Client]
    ) -> None:
        # 金牛区 drafted the world's agreement and is a party: in force, it still sees it.
        assert world["agreement"].status == "in_force"
        assert sees(world["users"]["jinniu"], world["agreement"], api_client) == (200, 200)


class TestDuplicateTitle:
    def test_the_service_refuses_a_second_title(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        first = agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
        with pytest.raises(Duplicate) as caught:
            agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
        assert caught.value.detail["existing_id"] == first.pk
        assert "已有名为" in caught.value.detail["title"]
        # Another organisation may use the same title.
        agreement(users["dege"], orgs["dege"], orgs["jinniu"])

    def test_the_api_answers_409_on_create_and_on_rename(
        self,
        orgs: dict[str, Organization],
        users: dict[str, User],
        api_client: Callable[[User], Client],
    ) -> None:
        client = api_client(users["jinniu"])
        body = {
            "title": "金牛—德格共建产业园协议",
            "effective_from": "2025-01-01",
            "parties": [
                {
                    "organization": orgs["jinniu"].pk,
                    "key": "jinniu",
                    "roles": ["source"],
                    "order": 0,
                },
                {"organization": orgs["dege"].pk, "key": "dege", "roles": ["host"], "order": 1},
            ],
        }
        assert client.post(f"{BASE}/", body, content_type="application/json").status_code == 201
        again = client.post(f"{BASE}/", body, content_type="application/json")
        assert again.status_code == 409
        assert again.json()["detail"]["existing_id"] > 0
        other = client.post(
            f"{BASE}/", {**body, "title": "另一份协议"}, content_type="application/json"
        ).json()
        renamed = client.patch(
            f"{BASE}/{other['id']}",
            {"title": "金牛—德格共建产业园协议"},
            content_type="application/json",
        )
        assert renamed.status_code == 409
        assert "已有名为" in renamed.json()["detail"]["title"]
        # Saving its own title again is no conflict.
        same = client.patch(
            f"{BASE}/{other['id']}", {"title": "另一份协议"}, content_type="application/json"
        )
        assert same.status_code == 200

    def test_the_page_shows_it_on_the_title_with_409(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:create"),
            {
                "title": "金牛—德格共建产业园协议",
                "effective_from": "2025-01-01",
                "parties-TOTAL_FORMS": "2",
                "parties-INITIAL_FORMS": "0",
                "parties-0-organization": orgs["jinniu"].pk,
                "parties-0-key": "jinniu",
                "parties-0-roles": ["source"],
                "parties-0-order": "0",
                "parties-1-organization": orgs["dege"].pk,
                "parties-1-key": "dege",
                "parties-1-roles": ["host"],
                "parties-1-order": "1",
            },
        )
        assert response.status_code == 409
        assert "已有名为" in response.content.decode()
        assert Agreement.objects.filter(title="金牛—德格共建产业园协议").count() == 1
