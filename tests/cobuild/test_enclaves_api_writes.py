"""/api/v1/cobuild/enclaves/ writes: what the enclave pages do, with the pages' refusals.

德格's officers create and edit their enclave and its rows; the province (above the home
county) sees it but gets 403 on every write; 金牛 (elsewhere) gets 404; a viewer gets 403.
A refused write changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Enclave, Introduction, Tenancy
from tests.cobuild.test_enclaves import make_world
from tests.support import factories

BASE = "/api/v1/cobuild/enclaves"


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    return make_world(orgs, users)


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


def _state(enclave: Enclave) -> tuple[Any, ...]:
    enclave.refresh_from_db()
    stays = sorted(
        Tenancy.objects.filter(enclave=enclave).values_list(
            "enterprise_id", "moved_in", "moved_out", "note"
        )
    )
    intros = sorted(
        Introduction.objects.filter(enclave=enclave).values_list("enterprise_id", "note")
    )
    return (enclave.name, enclave.host_region_id, enclave.description, stays, intros)


class TestCreate:
    def test_an_officer_creates_their_countys_enclave(
        self, users: dict[str, User], api_client: Any
    ) -> None:
        body = {
            "name": "德格上海科创飞地",
            "home_region": "513330",
            "host_region": "310000",
            "opened_on": "2025-06-01",
            "description": "示例数据",
        }
        response = _send(api_client(users["dege"]), "post", f"{BASE}/", body)
        assert response.status_code == 201, response.content
        made = response.json()
        assert made["owner"]["id"] == users["dege"].organization_id
        assert made["figures"]["tenants_now"] == 0 and made["tenants"] == []
        assert Enclave.objects.get(pk=made["id"]).opened_on == date(2025, 6, 1)

    def test_the_services_checks_come_back_by_field(
        self, users: dict[str, User], api_client: Any
    ) -> None:
        client = api_client(users["dege"])
        inside = {"name": "飞地", "home_region": "513330", "host_region": "513330"}
        response = _send(client, "post", f"{BASE}/", inside)
        assert response.status_code == 400
        assert "host_region" in response.json()["detail"]
        unknown = {"name": "飞地", "home_region": "513330", "host_region": "999999"}
        response = _send(client, "post", f"{BASE}/", unknown)
        assert response.status_code == 400 and "host_region" in response.json()["detail"]
        blank = {"name": "  ", "home_region": "513330", "host_region": "310000"}
        assert _send(client, "post", f"{BASE}/", blank).status_code == 422
        assert not Enclave.objects.exists()

    def test_a_viewer_and_another_owner_are_refused(
        self, users: dict[str, User], orgs: dict[str, Organization], api_client: Any
    ) -> None:
        body = {"name": "飞地", "home_region": "510106", "host_region": "310000"}
        assert (
            _send(api_client(users["jinniu_viewer"]), "post", f"{BASE}/", body).status_code == 403
        )
        other = {**body, "owner": orgs["dege"].pk}
        assert _send(api_client(users["jinniu"]), "post", f"{BASE}/", other).status_code == 403
        assert not Enclave.objects.exists()


class TestEdit:
    def test_the_owner_changes_the_text_and_keeps_what_is_omitted(
        self, world: dict[str, Any], users: dict[str, User], api_client: Any
    ) -> None:
        enclave = world["enclave"]
        url = f"{BASE}/{enclave.pk}"
        response = _send(api_client(users["dege"]), "patch", url, {"description": "新简介"})
        assert response.status_code == 200, response.content
        assert response.json()["description"] == "新简介"
        assert response.json()["name"] == "德格成都科创飞地"
        assert response.json()["figures"]["landed"] == 3  # still computed from the records

    @pytest.mark.parametrize(("who", "status"), [("province", 403), ("jinniu", 404), ("city", 404)])
    def test_others_change_nothing(
        self,
        world: dict[str, Any],
        users: dict[str, User],
        api_client: Any,
        who: str,
        status: int,
    ) -> None:
        enclave = world["enclave"]
        before = _state(enclave)
        client = api_client(users[who])
        base = f"{BASE}/{enclave.pk}"
        tenancy = Tenancy.objects.filter(enclave=enclave).first()
        assert tenancy is not None
        firm = world["firms"]["lead"]
        calls = [
            ("patch", base, {"name": "改名"}),
            ("put", f"{base}/rows", {"tenancies": [], "introductions": []}),
            ("post", f"{base}/tenancies", {"enterprise": firm.pk, "moved_in": "2026-01-01"}),
            ("post", f"{base}/introductions", {"enterprise": firm.pk}),
            ("delete", f"{base}/tenancies/{tenancy.pk}", None),
        ]
        for method, url, body in calls:
            assert _send(client, method, url, body).status_code == status, (method, url)
        assert _state(enclave) == before

    def test_a_blank_name_or_region_is_refused(
        self, world: dict[str, Any], users: dict[str, User], api_client: Any
    ) -> None:
        enclave = world["enclave"]
        before = _state(enclave)
        url = f"{BASE}/{enclave.pk}"
        client = api_client(users["dege"])
        assert _send(client, "patch", url, {"name": None}).status_code == 422
        assert _send(client, "patch", url, {"name": " "}).status_code == 422
        assert _send(client, "patch", url, {"host_region": None}).status_code == 422
        assert _send(client, "patch", url, {"park": 10**9}).status_code == 400
        assert _state(enclave) == before


class TestRows:
    def test_put_rows_replaces_every_row_by_id_uscc_or_name(
        self,
        world: dict[str, Any],
        users: dict[str, User],
        orgs: dict[str, Organization],
        api_client: Any,
    ) -> None:
        enclave = world["enclave"]
        firms = world["firms"]
        kept = Tenancy.objects.get(enclave=enclave, enterprise=firms["site"])
        new_firm = factories.enterprise(orgs["dege"], "己科技有限公司", "510106")
        body = {
            "tenancies": [
                {
                    "id": kept.pk,
                    "enterprise": firms["site"].pk,
                    "moved_in": "2024-03-01",
                    "note": "保留",
                },
                {"enterprise": "己科技有限公司", "moved_in": "2025-02-01", "illustrative": True},
            ],
            "introductions": [{"enterprise": firms["lead"].pk, "introduced_on": "2025-01-05"}],
        }
        response = _send(api_client(users["dege"]), "put", f"{BASE}/{enclave.pk}/rows", body)
        assert response.status_code == 200, response.content
        names = sorted(t["enterprise"]["name"] for t in response.json()["tenants"])
        assert names == ["己科技有限公司", "甲科技有限公司"]
        assert Tenancy.objects.get(pk=kept.pk).note == "保留"  # the same row, changed
        assert Tenancy.objects.filter(enclave=enclave).count() == 2
        [intro] = response.json()["introductions"]
        assert intro["enterprise"]["id"] == firms["lead"].pk
        assert response.json()["figures"]["introduced"] == 1
        assert new_firm.pk in {t["enterprise"]["id"] for t in response.json()["tenants"]}

    def test_bad_rows_are_named_and_nothing_changes(
        self, world: dict[str, Any], users: dict[str, User], api_client: Any
    ) -> None:
        enclave = world["enclave"]
        before = _state(enclave)
        firm = world["firms"]["lead"].pk
        client = api_client(users["dege"])
        overlapping = {
            "tenancies": [
                {"enterprise": firm, "moved_in": "2024-01-01"},
                {"enterprise": firm, "moved_in": "2024-06-01", "moved_out": "2024-07-01"},
            ]
        }
        response = _send(client, "put", f"{BASE}/{enclave.pk}/rows", overlapping)
        assert response.status_code == 400
        assert "tenancies.1.moved_in" in response.json()["detail"]
        backwards = {
            "tenancies": [{"enterprise": firm, "moved_in": "2024-06-01", "moved_out": "2024-01-01"}]
        }
        response = _send(client, "put", f"{BASE}/{enclave.pk}/rows", backwards)
        assert "tenancies.0.moved_out" in response.json()["detail"]
        unknown = {"introductions": [{"enterprise": "91000000000000000X"}]}
        response = _send(client, "put", f"{BASE}/{enclave.pk}/rows", unknown)
        assert response.status_code == 400
        assert "introductions.0.enterprise" in response.json()["detail"]
        assert _state(enclave) == before

    def test_add_and_remove_one_row_at_a_time(
        self, world: dict[str, Any], users: dict[str, User], api_client: Any
    ) -> None:
        enclave = world["enclave"]
        client = api_client(users["dege"])
        firm = world["firms"]["lead"]
        base = f"{BASE}/{enclave.pk}"
        again = {"enterprise": firm.pk, "moved_in": "2025-01-01"}
        response = _send(client, "post", f"{base}/tenancies", again)  # still a tenant since 2024
        assert response.status_code == 400 and "moved_in" in response.json()["detail"]
        response = _send(client, "post", f"{base}/introductions", {"enterprise": firm.name})
        assert response.status_code == 201, response.content
        assert response.json()["figures"]["introduced"] == 1
        twice = _send(client, "post", f"{base}/introductions", {"enterprise": firm.pk})
        assert twice.status_code == 400 and "enterprise" in twice.json()["detail"]
        [intro] = response.json()["introductions"]
        assert _send(client, "delete", f"{base}/introductions/{intro['id']}").status_code == 204
        assert not Introduction.objects.filter(enclave=enclave).exists()
        stay = Tenancy.objects.get(enclave=enclave, enterprise=firm)
        assert _send(client, "delete", f"{base}/tenancies/{stay.pk}").status_code == 204
        assert _send(client, "delete", f"{base}/tenancies/{stay.pk}").status_code == 404

    def test_another_enclaves_row_is_not_reached_through_this_one(
        self,
        world: dict[str, Any],
        users: dict[str, User],
        orgs: dict[str, Organization],
        api_client: Any,
    ) -> None:
        from parklink.cobuild.services import enclaves

        mine = enclaves.create_enclave(
            users["dege"],
            owner_id=orgs["dege"].pk,
            name="第二飞地",
            home_region=factories.region("513330"),
            host_region=factories.region("310000"),
        )
        theirs = Tenancy.objects.filter(enclave=world["enclave"]).first()
        assert theirs is not None
        url = f"{BASE}/{mine.pk}/tenancies/{theirs.pk}"
        assert _send(api_client(users["dege"]), "delete", url).status_code == 404
        assert Tenancy.objects.filter(pk=theirs.pk).exists()
