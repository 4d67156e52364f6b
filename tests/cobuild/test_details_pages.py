"""Editing an agreement's details on the pages: cooperation fields and shared policies as rows,
operating companies with their equity, covered enterprises. The services' validation, the
right roles only (403 for a viewer, 404 for an outsider, 409 once the status forbids it),
all or nothing, and the history kept."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import (
    Agreement,
    CooperationField,
    CoveredEnterprise,
    OperatingCompany,
    SharedPolicy,
)
from parklink.cobuild.services import details, lifecycle
from tests.cobuild.support import agreement, enterprises

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(prefix: str, items: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


@pytest.fixture
def draft(orgs: dict[str, Organization], users: dict[str, User]) -> Agreement:
    return agreement(users["jinniu"], orgs["jinniu"], orgs["dege"])


class TestFieldsAndPolicies:
    def url(self, made: Agreement) -> str:
        return reverse("cobuild:details", args=[made.pk])

    def test_add_rename_reorder_and_remove(self, draft: Agreement, users: dict[str, User]) -> None:
        client = client_for(users["dege"])
        assert client.get(self.url(draft)).status_code == 200
        posted = {
            **rows("fields", [{"name": "科技创新"}, {"name": "清洁能源"}, {"name": "文化旅游"}]),
            **rows("policies", [{"name": "德格县涉藏优惠政策", "issued_by": "dege", "note": "x"}]),
        }
        response = client.post(self.url(draft), posted)
        assert response.status_code == 302
        stored = list(draft.cooperation_fields.order_by("order").values_list("pk", "name"))
        assert [name for _pk, name in stored] == ["科技创新", "清洁能源", "文化旅游"]
        policy = SharedPolicy.objects.get(agreement=draft)
        assert (policy.name, policy.issued_by.key) == ("德格县涉藏优惠政策", "dege")
        # Swap the first two names, drop the third, keep the policy and clear its party.
        (a, _x), (b, _y), (c, _z) = stored
        again = {
            **rows("fields", [{"id": a, "name": "清洁能源"}, {"id": b, "name": "科技创新"},
                              {"id": c, "name": "文化旅游", "DELETE": "on"}], initial=3),
            **rows("policies", [{"id": policy.pk, "name": "德格县涉藏优惠政策", "issued_by": ""}],
                   initial=1),
        }  # fmt: skip
        assert client.post(self.url(draft), again).status_code == 302
        assert list(draft.cooperation_fields.order_by("order").values_list("pk", "name")) == [
            (a, "清洁能源"),
            (b, "科技创新"),
        ]
        policy.refresh_from_db()
        assert policy.issued_by is None
        # The history keeps every version of the rows.
        assert CooperationField.history.filter(id=a).count() >= 3
        assert CooperationField.history.filter(id=c, history_type="-").exists()

    def test_a_repeated_name_is_refused_beside_its_row_and_nothing_is_saved(
        self, draft: Agreement, users: dict[str, User]
    ) -> None:
        posted = {
            **rows("fields", [{"name": "数字经济"}, {"name": "数字经济"}]),
            **rows("policies", [{"name": "金牛区招商优惠政策", "issued_by": "jinniu"}]),
        }
        response = client_for(users["jinniu"]).post(self.url(draft), posted)
        assert response.status_code == 422
        html = response.content.decode()
        assert "合作领域“数字经济”重复。" in html
        assert not CooperationField.objects.filter(agreement=draft).exists()
        assert not SharedPolicy.objects.filter(agreement=draft).exists()

    def test_a_policy_refusal_leaves_the_fields_unsaved_too(
        self, draft: Agreement, users: dict[str, User]
    ) -> None:
        posted = {
            **rows("fields", [{"name": "数字经济"}]),
            **rows("policies", [{"name": "x" * 201}]),
        }
        response = client_for(users["jinniu"]).post(self.url(draft), posted)
        assert response.status_code == 422
        assert not CooperationField.objects.filter(agreement=draft).exists()

    def test_who_may_edit(self, draft: Agreement, users: dict[str, User]) -> None:
        assert client_for(users["jinniu_viewer"]).get(self.url(draft)).status_code == 403
        assert client_for(users["qingbaijiang"]).get(self.url(draft)).status_code == 404
        posted = {**rows("fields", [{"name": "偷改"}]), **rows("policies", [])}
        assert client_for(users["jinniu_viewer"]).post(self.url(draft), posted).status_code == 403
        assert client_for(users["qingbaijiang"]).post(self.url(draft), posted).status_code == 404
        lifecycle.transition(users["jinniu"], draft, "signed", on=date(2025, 1, 1))
        locked = client_for(users["jinniu"]).post(self.url(draft), posted)
        assert locked.status_code == 409
        assert "协议已签署,不能再修改" in locked.content.decode()
        assert not CooperationField.objects.filter(agreement=draft).exists()


class TestCompanies:
    def test_create_with_equity_stored_as_exact_fractions(
        self, draft: Agreement, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        [firm] = enterprises(orgs["jinniu"], 1)
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:company_create", args=[draft.pk]),
            {
                "name": "交子恒新科技发展有限责任公司",
                "enterprise": firm.uscc,
                **rows("shares", [
                    {"shareholder": "jinniu", "shareholder_name": "金牛区城投集团", "share": "60%"},
                    {"shareholder": "dege", "shareholder_name": "德格县国投", "share": "0.4"},
                ]),
            },
        )  # fmt: skip
        assert response.status_code == 302
        company = OperatingCompany.objects.get(agreement=draft)
        assert company.enterprise == firm
        assert sorted(company.shares.values_list("shareholder__key", "share")) == [
            ("dege", "2/5"),
            ("jinniu", "3/5"),
        ]
        page = client_for(users["dege"]).get(reverse("cobuild:detail", args=[draft.pk]))
        assert "交子恒新科技发展有限责任公司" in page.content.decode()
        assert "金牛区城投集团" in page.content.decode()

    def test_shares_over_100_percent_are_refused_on_their_row(
        self, draft: Agreement, users: dict[str, User]
    ) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:company_create", args=[draft.pk]),
            {
                "name": "运营公司",
                **rows("shares", [{"shareholder": "jinniu", "share": "3/5"},
                                  {"shareholder": "dege", "share": "1/2"}]),
            },
        )  # fmt: skip
        assert response.status_code == 422
        assert "同一生效日期的股权合计超过100%。" in response.content.decode()
        assert not OperatingCompany.objects.filter(agreement=draft).exists()

    def test_an_unknown_enterprise_and_a_float_like_share(
        self, draft: Agreement, users: dict[str, User]
    ) -> None:
        response = client_for(users["jinniu"]).post(
            reverse("cobuild:company_create", args=[draft.pk]),
            {"name": "运营公司", "enterprise": "不存在的公司",
             **rows("shares", [{"shareholder": "jinniu", "share": "六成"}])},
        )  # fmt: skip
        assert response.status_code == 422
        html = response.content.decode()
        assert "没有找到企业“不存在的公司”" in html

    def test_edit_and_delete(self, draft: Agreement, users: dict[str, User]) -> None:
        company = details.save_company(users["jinniu"], draft, name="旧名", shares=[])
        client = client_for(users["jinniu"])
        edit = reverse("cobuild:company_edit", args=[draft.pk, company.pk])
        assert client.get(edit).status_code == 200
        response = client.post(edit, {"name": "新名", **rows("shares", [])})
        assert response.status_code == 302
        company.refresh_from_db()
        assert company.name == "新名"
        assert OperatingCompany.history.filter(id=company.pk).count() == 2
        delete = reverse("cobuild:company_delete", args=[draft.pk, company.pk])
        assert client_for(users["jinniu_viewer"]).post(delete).status_code == 403
        assert client.post(delete).status_code == 302
        assert not OperatingCompany.objects.filter(pk=company.pk).exists()

    def test_another_agreements_company_is_404(
        self,
        draft: Agreement,
        users: dict[str, User],
        orgs: dict[str, Organization],
    ) -> None:
        other = agreement(users["dege"], orgs["dege"], orgs["jinniu"], title="另一份")
        company = details.save_company(users["dege"], other, name="别人的公司", shares=[])
        url = reverse("cobuild:company_edit", args=[draft.pk, company.pk])
        assert client_for(users["jinniu"]).get(url).status_code == 404


class TestCoveredEnterprises:
    def test_add_edit_and_remove_while_in_force(
        self, world: dict[str, Any], users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        made = world["agreement"]
        firm = world["enterprises"][0]
        client = client_for(users["dege"])
        assert client.get(reverse("cobuild:covered", args=[made.pk])).status_code == 200
        response = client.post(
            reverse("cobuild:covered_create", args=[made.pk]),
            {"enterprise": firm.uscc, "introduced_by": "jinniu", "production_on": "2024-03-01",
             "full_production_on": "2025-01-01"},
        )  # fmt: skip
        assert response.status_code == 302
        row = CoveredEnterprise.objects.get(agreement=made, enterprise=firm)
        assert (row.introduced_by.key, row.production_on) == ("jinniu", date(2024, 3, 1))
        listing = client.get(reverse("cobuild:covered", args=[made.pk])).content.decode()
        assert firm.name in listing and "2024-03-01" in listing
        # The same enterprise twice is refused on its field.
        again = client.post(
            reverse("cobuild:covered_create", args=[made.pk]), {"enterprise": firm.name}
        )
        assert again.status_code == 422
        assert "已是本协议的企业" in again.content.decode()
        # 达产 before 投产 is refused; nothing changes.
        edit = reverse("cobuild:covered_edit", args=[made.pk, row.pk])
        bad = client.post(edit, {"production_on": "2024-03-01", "full_production_on": "2024-01-01"})
        assert bad.status_code == 422
        assert "达产日期不能早于投产日期。" in bad.content.decode()
        row.refresh_from_db()
        assert row.full_production_on == date(2025, 1, 1)
        ok = client.post(edit, {"introduced_by": "", "production_on": "2024-04-01"})
        assert ok.status_code == 302
        row.refresh_from_db()
        assert (row.introduced_by, row.production_on, row.enterprise) == (
            None,
            date(2024, 4, 1),
            firm,
        )
        assert CoveredEnterprise.history.filter(id=row.pk).count() == 2
        delete = reverse("cobuild:covered_delete", args=[made.pk, row.pk])
        assert client.post(delete).status_code == 302
        assert not CoveredEnterprise.objects.filter(pk=row.pk).exists()

    def test_who_may_edit(self, world: dict[str, Any], users: dict[str, User]) -> None:
        made = world["agreement"]
        url = reverse("cobuild:covered_create", args=[made.pk])
        assert client_for(users["jinniu_viewer"]).get(url).status_code == 403
        assert client_for(users["qingbaijiang"]).get(url).status_code == 404
        listing = reverse("cobuild:covered", args=[made.pk])
        assert client_for(users["qingbaijiang"]).get(listing).status_code == 404
        viewer_page = client_for(users["jinniu_viewer"]).get(listing).content.decode()
        assert 'id="add-covered"' not in viewer_page
        lifecycle.transition(users["jinniu"], made, "expired", on=date(2025, 12, 31))
        ended = client_for(users["jinniu"]).post(url, {"enterprise": world["enterprises"][0].uscc})
        assert ended.status_code == 409
        assert "协议已结束" in ended.content.decode()
        assert not CoveredEnterprise.objects.filter(agreement=made).exists()
