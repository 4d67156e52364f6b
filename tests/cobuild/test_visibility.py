"""Only the parties (and installation administrators) see an agreement; the rest get 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.cobuild import queries
from parklink.cobuild.models import Record, Run
from parklink.cobuild.services import runs
from parklink.core.registry import registry

BASE = "/api/v1/cobuild"


def _routes(
    agreement_id: int, run_id: int, rule_id: int
) -> list[tuple[str, str, dict[str, Any] | None]]:
    a = f"{BASE}/{agreement_id}"
    return [
        ("get", a, None),
        ("patch", a, {"title": "偷改"}),
        ("put", f"{a}/parties", {"parties": []}),
        ("post", f"{a}/transition", {"to": "expired"}),
        ("post", f"{a}/versions", {"effective_from": "2026-01-01"}),
        ("get", f"{a}/rules", None),
        (
            "post",
            f"{a}/rules",
            {"version": 1, "key": "x", "indicator": "jobs", "kind": "fixed_ratio"},
        ),
        ("patch", f"{a}/rules/{rule_id}", {"note": "x"}),
        ("delete", f"{a}/rules/{rule_id}", None),
        ("get", f"{a}/records", None),
        ("get", f"{a}/runs", None),
        ("post", f"{a}/runs", {"period": "2025Q1"}),
        ("get", f"{a}/runs/{run_id}", None),
        ("post", f"{a}/runs/{run_id}/confirm", {}),
        ("get", f"{a}/statements/2025Q1/jinniu", None),
    ]


def _call(client: Client, method: str, path: str, payload: dict[str, Any] | None) -> Any:
    if payload is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, payload, content_type="application/json")


@pytest.fixture
def settled_run(world: dict[str, Any]) -> Run:
    return runs.run_period(world["users"]["jinniu"], world["agreement"], "2025Q1")


class TestApi:
    @pytest.mark.parametrize("who", ["qingbaijiang", "city", "province"])
    def test_a_non_party_gets_404_on_every_route(
        self,
        who: str,
        api_client: Callable[[User], Client],
        world: dict[str, Any],
        settled_run: Run,
    ) -> None:
        client = api_client(world["users"][who])
        for method, path, payload in _routes(
            world["agreement"].pk, settled_run.pk, world["rule"].pk
        ):
            response = _call(client, method, path, payload)
            assert response.status_code == 404, (method, path, response.status_code)

    def test_the_list_leaves_it_out(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        body = api_client(world["users"]["qingbaijiang"]).get(f"{BASE}/").json()
        assert body == {"count": 0, "limit": 100, "offset": 0, "items": []}

    def test_both_parties_and_the_installation_admin_see_it(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        for who in ("jinniu", "dege", "jinniu_viewer", "root"):
            response = api_client(world["users"][who]).get(f"{BASE}/{world['agreement'].pk}")
            assert response.status_code == 200, who

    def test_a_partys_viewer_reads_but_may_not_change(
        self, api_client: Callable[[User], Client], world: dict[str, Any]
    ) -> None:
        client = api_client(world["users"]["jinniu_viewer"])
        response = client.post(
            f"{BASE}/{world['agreement'].pk}/runs",
            {"period": "2025Q1"},
            content_type="application/json",
        )
        assert response.status_code == 403


class TestScopes:
    def test_every_cobuild_model_has_a_scope(self) -> None:
        from django.apps import apps

        for model in apps.get_app_config("cobuild").get_models():
            if model._meta.model_name.startswith("historical"):
                continue  # read only through the admin's history view, which checks the record
            assert model._meta.label_lower in registry.scopes, model

    def test_an_outsider_sees_no_rows_of_any_model(
        self, world: dict[str, Any], settled_run: Run
    ) -> None:
        outsider = world["users"]["qingbaijiang"]
        for label in queries.SCOPES:
            assert not registry.scopes[label].visible(outsider).exists(), label

    def test_a_party_sees_the_records(self, world: dict[str, Any]) -> None:
        visible = registry.visible(Record, world["users"]["jinniu"])
        assert visible.count() == 2
