"""The API of an agreement's side details: operating companies and equity, cooperation fields,
shared policies and covered enterprises; drafts only (enterprises until the agreement ends),
parties only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import (
    Agreement,
    CooperationField,
    CoveredEnterprise,
    OperatingCompany,
    Rule,
    SharedPolicy,
)
from parklink.cobuild.services import details
from tests.cobuild import support
from tests.support import factories

BASE = "/api/v1/cobuild"
Api = Callable[[User], Client]


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, payload, content_type="application/json")


def _patch(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.patch(path, payload, content_type="application/json")


@pytest.fixture
def draft(users: dict[str, User], orgs: dict[str, Organization]) -> Agreement:
    return support.agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])


@pytest.mark.django_db
class TestCompanies:
    def test_create_with_equity_stored_as_fractions(self, api_client: Api, users, draft) -> None:  # type: ignore[no-untyped-def]
        response = _post(
            api_client(users["jinniu"]),
            f"{BASE}/{draft.pk}/companies",
            {
                "name": "交子恒新科技发展有限责任公司",
                "shares": [
                    {"shareholder": "jinniu", "share": "60%", "shareholder_name": "金牛区城投集团"},
                    {"shareholder": "dege", "share": "0.4"},
                ],
            },
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert [(s["shareholder"], s["share"]) for s in body["shares"]] == [
            ("jinniu", "3/5"),
            ("dege", "2/5"),
        ]
        listed = api_client(users["dege"]).get(f"{BASE}/{draft.pk}/companies").json()
        assert [c["name"] for c in listed] == ["交子恒新科技发展有限责任公司"]

    def test_equity_over_100_percent_is_refused_with_its_path(  # type: ignore[no-untyped-def]
        self, api_client: Api, users, draft
    ) -> None:
        response = _post(
            api_client(users["jinniu"]),
            f"{BASE}/{draft.pk}/companies",
            {
                "name": "运营公司",
                "shares": [
                    {"shareholder": "jinniu", "share": "3/5"},
                    {"shareholder": "dege", "share": "1/2"},
                ],
            },
        )
        assert response.status_code == 400
        assert "shares[1].share" in response.json()["detail"]

    def test_an_unknown_shareholder_key(self, api_client: Api, users, draft) -> None:  # type: ignore[no-untyped-def]
        response = _post(
            api_client(users["jinniu"]),
            f"{BASE}/{draft.pk}/companies",
            {"name": "运营公司", "shares": [{"shareholder": "shifang", "share": "1"}]},
        )
        assert response.status_code == 400
        assert "shares[0].shareholder" in response.json()["detail"]

    def test_patch_keeps_the_equity_unless_given_and_delete(  # type: ignore[no-untyped-def]
        self, api_client: Api, users, draft
    ) -> None:
        jinniu = draft.parties.get(key="jinniu")
        company = details.save_company(
            users["jinniu"], draft, name="旧名", shares=[details.ShareSpec(jinniu, "1")]
        )
        client = api_client(users["dege"])
        response = _patch(client, f"{BASE}/{draft.pk}/companies/{company.pk}", {"name": "新名"})
        assert response.status_code == 200, response.json()
        assert response.json()["name"] == "新名" and len(response.json()["shares"]) == 1
        assert client.delete(f"{BASE}/{draft.pk}/companies/{company.pk}").status_code == 204
        assert not OperatingCompany.objects.exists()

    def test_a_signed_agreement_keeps_its_companies(self, api_client: Api, world) -> None:  # type: ignore[no-untyped-def]
        response = _post(
            api_client(world["users"]["jinniu"]),
            f"{BASE}/{world['agreement'].pk}/companies",
            {"name": "运营公司"},
        )
        assert response.status_code == 409


@pytest.mark.django_db
class TestFieldsAndPolicies:
    def test_fields_in_order_and_no_duplicates(self, api_client: Api, users, draft) -> None:  # type: ignore[no-untyped-def]
        client = api_client(users["jinniu"])
        for name in ("产业共育", "人才交流"):
            assert _post(client, f"{BASE}/{draft.pk}/fields", {"name": name}).status_code == 201
        again = _post(client, f"{BASE}/{draft.pk}/fields", {"name": "产业共育"})
        assert again.status_code == 400 and "name" in again.json()["detail"]
        first = CooperationField.objects.get(name="产业共育")
        moved = _patch(client, f"{BASE}/{draft.pk}/fields/{first.pk}", {"order": 5})
        assert moved.json()["order"] == 5
        names = [f["name"] for f in client.get(f"{BASE}/{draft.pk}/fields").json()]
        assert names == ["人才交流", "产业共育"]
        assert client.delete(f"{BASE}/{draft.pk}/fields/{first.pk}").status_code == 204

    def test_policy_issued_by_a_party(self, api_client: Api, users, draft) -> None:  # type: ignore[no-untyped-def]
        client = api_client(users["dege"])
        response = _post(
            client,
            f"{BASE}/{draft.pk}/policies",
            {"name": "德格县涉藏优惠政策", "issued_by": "dege", "note": "联动"},
        )
        assert response.status_code == 201, response.json()
        assert response.json()["issued_by"] == "dege"
        policy = SharedPolicy.objects.get()
        changed = _patch(client, f"{BASE}/{draft.pk}/policies/{policy.pk}", {"issued_by": None})
        assert changed.json()["issued_by"] is None and changed.json()["note"] == "联动"
        assert client.delete(f"{BASE}/{draft.pk}/policies/{policy.pk}").status_code == 204

    def test_a_viewer_cannot_add(self, api_client: Api, users, draft) -> None:  # type: ignore[no-untyped-def]
        response = _post(
            api_client(users["jinniu_viewer"]), f"{BASE}/{draft.pk}/fields", {"name": "产业共育"}
        )
        assert response.status_code == 403


@pytest.mark.django_db
class TestCoveredEnterprises:
    def test_add_to_an_agreement_in_force_and_change_its_facts(  # type: ignore[no-untyped-def]
        self, api_client: Api, world
    ) -> None:
        firm = world["enterprises"][0]
        client = api_client(world["users"]["dege"])
        base = f"{BASE}/{world['agreement'].pk}/enterprises"
        response = _post(
            client,
            base,
            {
                "enterprise": firm.pk,
                "introduced_by": "jinniu",
                "production_on": "2024-05-15",
                "illustrative": True,
            },
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["introduced_by"], body["production_on"], body["illustrative"]) == (
            "jinniu",
            "2024-05-15",
            True,
        )
        changed = _patch(client, f"{base}/{body['id']}", {"full_production_on": "2025-01-01"})
        assert changed.json()["production_on"] == "2024-05-15"
        assert changed.json()["full_production_on"] == "2025-01-01"
        assert changed.json()["illustrative"] is True
        assert [c["enterprise"]["id"] for c in client.get(base).json()] == [firm.pk]

    def test_full_production_before_production_is_refused(self, api_client: Api, world) -> None:  # type: ignore[no-untyped-def]
        response = _post(
            api_client(world["users"]["dege"]),
            f"{BASE}/{world['agreement'].pk}/enterprises",
            {
                "enterprise": world["enterprises"][0].pk,
                "production_on": "2024-05-15",
                "full_production_on": "2024-01-01",
            },
        )
        assert response.status_code == 400
        assert "full_production_on" in response.json()["detail"]

    def test_an_enterprise_once_only(self, api_client: Api, world) -> None:  # type: ignore[no-untyped-def]
        client = api_client(world["users"]["dege"])
        base = f"{BASE}/{world['agreement'].pk}/enterprises"
        payload = {"enterprise": world["enterprises"][0].pk}
        assert _post(client, base, payload).status_code == 201
        assert _post(client, base, payload).status_code == 400

    def test_an_ended_agreement_keeps_its_enterprises(self, api_client: Api, world) -> None:  # type: ignore[no-untyped-def]
        from parklink.cobuild.services import lifecycle

        made = world["agreement"]
        lifecycle.transition(world["users"]["jinniu"], made, "terminated", note="终止")
        response = _post(
            api_client(world["users"]["dege"]),
            f"{BASE}/{made.pk}/enterprises",
            {"enterprise": world["enterprises"][0].pk},
        )
        assert response.status_code == 409


@pytest.mark.django_db
class TestVisibility:
    """A non-party sees none of it: every route is the 404 of a missing agreement."""

    @pytest.fixture
    def filled(self, users, draft) -> dict[str, int]:  # type: ignore[no-untyped-def]
        by = users["jinniu"]
        firm = factories.enterprise(draft.owner, "可见企业有限公司")
        return {
            "companies": details.save_company(by, draft, name="运营公司").pk,
            "fields": details.save_field(by, draft, name="产业共育").pk,
            "policies": details.save_policy(by, draft, name="共享政策").pk,
            "enterprises": details.save_covered(
                by, draft, enterprise=firm, settled_on=date(2025, 1, 1)
            ).pk,
        }

    @pytest.mark.parametrize("section", ["companies", "fields", "policies", "enterprises"])
    def test_an_outsider_gets_404_everywhere(  # type: ignore[no-untyped-def]
        self, api_client: Api, users, draft, filled, section
    ) -> None:
        client = api_client(users["qingbaijiang"])
        base = f"{BASE}/{draft.pk}/{section}"
        item = f"{base}/{filled[section]}"
        assert client.get(base).status_code == 404
        valid = {"enterprise": 1} if section == "enterprises" else {"name": "x"}
        assert _post(client, base, valid).status_code == 404
        assert _patch(client, item, {}).status_code == 404
        assert client.delete(item).status_code == 404
        assert client.get(f"{BASE}/999999/{section}").status_code == 404

    @pytest.mark.parametrize("section", ["companies", "fields", "policies", "enterprises"])
    def test_a_party_sees_them(self, api_client: Api, users, draft, filled, section) -> None:  # type: ignore[no-untyped-def]
        response = api_client(users["dege"]).get(f"{BASE}/{draft.pk}/{section}")
        assert response.status_code == 200 and len(response.json()) == 1

    def test_an_item_of_another_agreement_is_404(  # type: ignore[no-untyped-def]
        self, api_client: Api, users, orgs, draft, filled
    ) -> None:
        other = support.agreement(users["jinniu"], orgs["jinniu"], orgs["dege"], title="另一协议")
        client = api_client(users["jinniu"])
        assert client.delete(f"{BASE}/{other.pk}/fields/{filled['fields']}").status_code == 404
        assert CooperationField.objects.filter(pk=filled["fields"]).exists()
        assert CoveredEnterprise.objects.count() == 1


@pytest.mark.django_db
class TestIllustrativeFlags:
    def test_rules_and_records_say_whether_they_are_illustrative(  # type: ignore[no-untyped-def]
        self, api_client: Api, world
    ) -> None:
        client = api_client(world["users"]["jinniu"])
        base = f"{BASE}/{world['agreement'].pk}"
        rule = world["rule"]
        changed = _patch(client, f"{base}/rules/{rule.pk}", {"illustrative": True})
        assert changed.status_code == 200, changed.json()
        assert changed.json()["illustrative"] is True
        kept = _patch(client, f"{base}/rules/{rule.pk}", {"note": "示例比例"})
        assert kept.json()["illustrative"] is True
        records = client.get(f"{base}/records").json()["items"]
        assert {r["illustrative"] for r in records} == {False}

    def test_a_statement_from_illustrative_rules_says_so(  # type: ignore[no-untyped-def]
        self, api_client: Api, world
    ) -> None:
        import io
        import json

        from openpyxl import load_workbook

        from parklink.cobuild import exports
        from parklink.cobuild.services import runs, statements

        made, by = world["agreement"], world["users"]["jinniu"]
        run = runs.run_period(by, made, "2025Q1")
        party = statements.find_party(made, "jinniu")
        plain = statements.statement(made, run, party)
        assert "示例数据" not in exports.render(plain, "csv").decode("utf-8-sig")
        Rule.objects.filter(pk=world["rule"].pk).update(illustrative=True)
        found = statements.statement(made, run, party)
        assert exports.render(found, "csv").decode("utf-8-sig").startswith(exports.ILLUSTRATIVE)
        document = json.loads(exports.render(found, "json"))
        assert document["run"]["illustrative"] is True
        assert document["notice"] == "示例数据 / illustrative"
        book = load_workbook(io.BytesIO(exports.render(found, "xlsx")))
        assert book.worksheets[0]["A1"].value == exports.ILLUSTRATIVE
        body = api_client(by).get(f"{BASE}/{made.pk}/statements/2025Q1/jinniu").json()
        assert body["run"]["illustrative"] is True
