"""The co-built park API: a party drafts, signs, rules, settles and confirms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Agreement, RunStatus


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, payload, content_type="application/json")


def _patch(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.patch(path, payload, content_type="application/json")


BASE = "/api/v1/cobuild"


class TestDrafting:
    def test_create_with_parties(
        self,
        api_client: Callable[[User], Client],
        users: dict[str, User],
        orgs: dict[str, Organization],
    ) -> None:
        response = _post(
            api_client(users["jinniu"]),
            f"{BASE}/",
            {
                "title": "成都—德格共建园",
                "effective_from": "2025-01-01",
                "division_mode": "hq_production",
                "parties": [
                    {
                        "organization": orgs["jinniu"].pk,
                        "key": "jinniu",
                        "roles": ["source"],
                        "order": 0,
                    },
                    {"organization": orgs["dege"].pk, "key": "dege", "roles": ["host"], "order": 1},
                ],
            },
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "draft"
        assert [p["key"] for p in body["parties"]] == ["jinniu", "dege"]
        assert [v["number"] for v in body["versions"]] == [1]

    def test_a_date_must_be_iso(
        self, api_client: Callable[[User], Client], users: dict[str, User]
    ) -> None:
        response = _post(
            api_client(users["jinniu"]), f"{BASE}/", {"title": "x", "effective_from": "2025/01/01"}
        )
        assert response.status_code == 422

    def test_update_and_transition(
        self,
        api_client: Callable[[User], Client],
        world: dict[str, Any],
        users: dict[str, User],
        orgs: dict[str, Organization],
    ) -> None:
        from tests.cobuild.support import agreement

        draft = agreement(users["jinniu"], orgs["jinniu"], orgs["dege"], title="草稿")
        client = api_client(users["dege"])
        assert _patch(client, f"{BASE}/{draft.pk}", {"title": "改名"}).json()["title"] == "改名"
        moved = _post(client, f"{BASE}/{draft.pk}/transition", {"to": "negotiating"})
        assert moved.json()["status"] == "negotiating"
        illegal = _post(client, f"{BASE}/{draft.pk}/transition", {"to": "expired"})
        assert illegal.status_code == 409


class TestRules:
    def test_a_rule_whose_shares_do_not_add_up_is_a_400_naming_the_field(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        made = world["agreement"]
        client = api_client(world["users"]["jinniu"])
        amended = _post(client, f"{BASE}/{made.pk}/versions", {"effective_from": "2025-07-01"})
        assert amended.status_code == 201
        response = _post(
            client,
            f"{BASE}/{made.pk}/rules",
            {
                "version": 2,
                "key": "cit",
                "indicator": "cit_local",
                "kind": "fixed_ratio",
                "params": {"shares": {"jinniu": "1/2", "dege": "1/3"}},
            },
        )
        assert response.status_code == 400
        assert "params.shares" in response.json()["detail"]

    def test_add_change_and_delete_a_rule(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        made = world["agreement"]
        client = api_client(world["users"]["jinniu"])
        created = _post(
            client,
            f"{BASE}/{made.pk}/rules",
            {
                "version": 1,
                "key": "cit",
                "indicator": "cit_local",
                "kind": "fixed_ratio",
                "params": {"shares": {"jinniu": "1/2", "dege": "1/2"}},
            },
        )
        assert created.status_code == 201, created.json()
        rule_id = created.json()["id"]
        changed = _patch(
            client,
            f"{BASE}/{made.pk}/rules/{rule_id}",
            {"params": {"shares": {"jinniu": "7/10", "dege": "3/10"}}},
        )
        assert changed.json()["params"]["shares"]["jinniu"] == "7/10"
        assert client.delete(f"{BASE}/{made.pk}/rules/{rule_id}").status_code == 204
        assert len(client.get(f"{BASE}/{made.pk}/rules").json()) == 1


class TestSettling:
    def test_run_read_confirm_and_statement(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        made: Agreement = world["agreement"]
        jinniu = api_client(world["users"]["jinniu"])
        dege = api_client(world["users"]["dege"])
        created = _post(jinniu, f"{BASE}/{made.pk}/runs", {"period": "2025Q1"})
        assert created.status_code == 201, created.json()
        run_id = created.json()["id"]
        page = jinniu.get(f"{BASE}/{made.pk}/runs/{run_id}?limit=2&offset=1").json()
        assert page["allocation_count"] == 4
        assert [a["position"] for a in page["allocations"]] == [1, 2]
        assert all(isinstance(a["amount"], int) and a["unit"] == "fen" for a in page["allocations"])
        assert (
            _post(jinniu, f"{BASE}/{made.pk}/runs/{run_id}/confirm", {}).json()["status"]
            == RunStatus.DRAFT
        )
        done = _post(dege, f"{BASE}/{made.pk}/runs/{run_id}/confirm", {}).json()
        assert done["status"] == RunStatus.CONFIRMED
        assert sorted(c["party"] for c in done["confirmations"]) == ["dege", "jinniu"]
        statement = dege.get(f"{BASE}/{made.pk}/statements/2025Q1/dege").json()
        assert statement["run"]["status"] == "confirmed"
        records = jinniu.get(f"{BASE}/{made.pk}/records?period=2025Q1").json()
        assert records["count"] == 2 and records["items"][0]["unit"] == "fen"

    def test_a_malformed_period_is_a_422(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        made = world["agreement"]
        response = _post(
            api_client(world["users"]["jinniu"]), f"{BASE}/{made.pk}/runs", {"period": "Q1"}
        )
        assert response.status_code == 422
