"""Creating and editing an innovation enclave on the pages: its text, its stays and its
introductions as rows, all or nothing; the owner's officers only (403 for the regions above,
which see it, 404 for the rest); the figures follow what was saved; the admin is scoped."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Enclave, Introduction, Tenancy
from parklink.cobuild.services import enclaves
from tests.cobuild.test_enclaves import make_world
from tests.support import factories

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


def form_of(enclave: Enclave, **changes: Any) -> dict[str, Any]:
    return {
        "name": enclave.name,
        "home_region": enclave.home_region.adcode,
        "host_region": enclave.host_region.adcode,
        "opened_on": "2024-01-01",
        "description": "",
        **changes,
    }


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    return make_world(orgs, users)


class TestCreate:
    def test_an_officer_creates_one_for_their_county(
        self, orgs: dict[str, Organization], users: dict[str, User]
    ) -> None:
        response = client_for(users["dege"]).post(
            "/cobuild/enclaves/new/",
            {"name": "德格上海科创飞地", "home_region": "513330", "host_region": "310000"},
        )
        assert response.status_code == 302
        made = Enclave.objects.get(name="德格上海科创飞地")
        assert made.owner == orgs["dege"]
        assert response["Location"] == f"/cobuild/enclaves/{made.pk}/edit/"

    def test_an_enclave_inside_its_home_county_is_refused_on_the_field(
        self, users: dict[str, User]
    ) -> None:
        response = client_for(users["dege"]).post(
            "/cobuild/enclaves/new/",
            {"name": "本县飞地", "home_region": "513330", "host_region": "513330"},
        )
        assert response.status_code == 422
        assert "飞地应在本县以外的城市。" in response.content.decode()
        assert not Enclave.objects.filter(name="本县飞地").exists()

    def test_a_viewer_may_not(self, users: dict[str, User]) -> None:
        assert client_for(users["jinniu_viewer"]).get("/cobuild/enclaves/new/").status_code == 403


class TestEdit:
    def url(self, world: dict[str, Any]) -> str:
        return f"/cobuild/enclaves/{world['enclave'].pk}/edit/"

    def current(self, enclave: Enclave) -> dict[str, Any]:
        stays = [
            {"id": t.pk, "enterprise": t.enterprise.uscc or t.enterprise.name,
             "moved_in": t.moved_in.isoformat(),
             "moved_out": t.moved_out.isoformat() if t.moved_out else ""}
            for t in enclave.tenancies.select_related("enterprise").order_by("moved_in", "pk")
        ]  # fmt: skip
        return {**rows("tenancies", stays, len(stays)), **rows("introductions", [])}

    def test_rows_are_added_changed_and_removed_and_the_figures_follow(
        self, world: dict[str, Any], users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        enclave = world["enclave"]
        client = client_for(users["dege"])
        assert client.get(self.url(world)).status_code == 200
        before = enclaves.figures(users["dege"], enclave, date(2025, 6, 1))
        newcomer = factories.enterprise(
            orgs["dege"], "己科技有限公司", "510106",
            sites=[{"role": "manufacturing", "region_id": "513330"}],
        )  # fmt: skip
        data = self.current(enclave)
        # Remove the lead (戊), add 己 (landed through its site), introduce 己.
        lead = Tenancy.objects.get(enclave=enclave, enterprise=world["firms"]["lead"])
        index = next(
            i for i in range(int(data["tenancies-TOTAL_FORMS"]))
            if data[f"tenancies-{i}-id"] == lead.pk
        )  # fmt: skip
        data[f"tenancies-{index}-DELETE"] = "on"
        total = int(data["tenancies-TOTAL_FORMS"])
        data.update({
            "tenancies-TOTAL_FORMS": str(total + 1),
            f"tenancies-{total}-enterprise": newcomer.name,
            f"tenancies-{total}-moved_in": "2025-01-01",
            **rows("introductions", [{"enterprise": newcomer.name, "introduced_on": "2025-02-01"}]),
        })  # fmt: skip
        response = client.post(self.url(world), {**form_of(enclave), **data})
        assert response.status_code == 302, response.content.decode()[-2000:]
        after = enclaves.figures(users["dege"], enclave, date(2025, 6, 1))
        assert after.tenants_now == before.tenants_now  # one out, one in
        assert after.landed == before.landed + 1
        assert after.introduced == 1
        assert not Tenancy.objects.filter(pk=lead.pk).exists()
        assert Introduction.objects.get(enclave=enclave).introduced_on == date(2025, 2, 1)

    def test_overlapping_stays_and_bad_rows_are_refused_beside_them(
        self, world: dict[str, Any], users: dict[str, User]
    ) -> None:
        enclave = world["enclave"]
        firm = world["firms"]["site"]
        data = self.current(enclave)
        total = int(data["tenancies-TOTAL_FORMS"])
        data.update({
            "tenancies-TOTAL_FORMS": str(total + 2),
            f"tenancies-{total}-enterprise": firm.name,
            f"tenancies-{total}-moved_in": "2024-06-01",
            f"tenancies-{total + 1}-enterprise": "查无此企业",
            f"tenancies-{total + 1}-moved_in": "2024-06-01",
        })  # fmt: skip
        response = client_for(users["dege"]).post(
            self.url(world), {**form_of(enclave, name="改了名"), **data}
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "没有找到企业“查无此企业”" in html
        # Fix the unknown enterprise: the overlap with 甲's stay is then refused on its row.
        data[f"tenancies-{total + 1}-DELETE"] = "on"
        response = client_for(users["dege"]).post(
            self.url(world), {**form_of(enclave, name="改了名"), **data}
        )
        assert response.status_code == 422
        assert "该企业在这段时间已入驻此飞地" in response.content.decode()
        enclave.refresh_from_db()
        assert enclave.name == "德格成都科创飞地"  # nothing was saved
        assert Tenancy.objects.filter(enclave=enclave, enterprise=firm).count() == 1

    def test_who_may_edit(self, world: dict[str, Any], users: dict[str, User]) -> None:
        url = self.url(world)
        assert client_for(users["province"]).get(url).status_code == 403  # sees it, may not edit
        assert client_for(users["jinniu"]).get(url).status_code == 404
        assert client_for(users["qingbaijiang"]).post(url, {}).status_code == 404
        page = client_for(users["province"]).get(f"/cobuild/enclaves/{world['enclave'].pk}/")
        assert 'id="edit-enclave"' not in page.content.decode()
        mine = client_for(users["dege"]).get(f"/cobuild/enclaves/{world['enclave'].pk}/")
        assert 'id="edit-enclave"' in mine.content.decode()


class TestAdmin:
    def test_staff_see_and_change_only_their_own(
        self, world: dict[str, Any], users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        from django.contrib.auth.models import Permission

        enclave = world["enclave"]
        perms = list(
            Permission.objects.filter(
                content_type__app_label="cobuild",
                content_type__model__in=["enclave", "tenancy", "introduction"],
            )
        )
        staff = factories.user("jinniu_staff", orgs["jinniu"], is_staff=True)
        staff.user_permissions.add(*perms)
        listing = client_for(staff).get("/admin/cobuild/enclave/")
        assert listing.status_code == 200
        assert enclave.name not in listing.content.decode()
        assert client_for(staff).get(
            f"/admin/cobuild/enclave/{enclave.pk}/change/"
        ).status_code in (
            302,
            404,
        )
        own = factories.user("dege_staff", orgs["dege"], is_staff=True)
        own.user_permissions.add(*perms)
        page = client_for(own).get(f"/admin/cobuild/enclave/{enclave.pk}/change/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "飞地入驻企业" in html and "飞地引入企业" in html
        assert 'name="tenancies-TOTAL_FORMS"' in html
