"""The admin of a park's rows (industries, resources, indicators) and linkage members."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from parklink.accounts.models import User
from parklink.parks.models import LinkageMember, Park, ParkIndustry, ParkLinkage


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """Officers who may use the admin with every model permission of the parks app."""
    perms = Permission.objects.filter(content_type__app_label="parks")
    for key in ("jinniu", "zhangye"):
        user = users[key]
        user.is_staff = True
        user.save()
        user.user_permissions.set(perms)
    return users


@pytest.fixture
def rows(orgs: Any) -> dict[str, Any]:
    """An industry and a linkage member under 张掖's records, and 金牛's own park."""
    zhangye = Park.objects.create(
        owner=orgs["zhangye"], name="张掖经开区", region_id="620702", kind="national_etdz"
    )
    jinniu = Park.objects.create(
        owner=orgs["jinniu"], name="金牛高新区", region_id="510106", kind="high_tech_zone"
    )
    linkage = ParkLinkage.objects.create(owner=orgs["zhangye"], name="张掖联动")
    return {
        "zhangye": zhangye,
        "jinniu": jinniu,
        "industry": ParkIndustry.objects.create(park=zhangye, name="硅基新材料"),
        "member": LinkageMember.objects.create(linkage=linkage, park=zhangye, role="landing"),
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestParkRowAdmin:
    @pytest.mark.parametrize(
        ("key", "url"),
        [
            ("industry", "/admin/parks/parkindustry/{}/change/"),
            ("member", "/admin/parks/linkagemember/{}/change/"),
        ],
    )
    def test_another_organisations_row_cannot_be_changed(self, staff, rows, key, url):  # type: ignore[no-untyped-def]
        address = url.format(rows[key].pk)
        client = client_for(staff["jinniu"])
        page = client.get(address).content.decode()
        assert 'name="_save"' not in page
        assert client.post(address, {}).status_code == 403

    def test_another_organisations_row_cannot_be_deleted(self, staff, rows):  # type: ignore[no-untyped-def]
        address = f"/admin/parks/parkindustry/{rows['industry'].pk}/delete/"
        assert client_for(staff["jinniu"]).post(address, {"post": "yes"}).status_code == 403
        assert ParkIndustry.objects.filter(pk=rows["industry"].pk).exists()

    def test_the_owner_changes_its_own_row(self, staff, rows):  # type: ignore[no-untyped-def]
        address = f"/admin/parks/parkindustry/{rows['industry'].pk}/change/"
        page = client_for(staff["zhangye"]).get(address).content.decode()
        assert 'name="_save"' in page

    def test_a_new_row_can_only_hang_under_the_users_own_parks(self, staff, rows):  # type: ignore[no-untyped-def]
        client = client_for(staff["jinniu"])
        page = client.get("/admin/parks/parkindustry/add/").content.decode()
        assert "金牛高新区" in page and "张掖经开区" not in page
        client.post(
            "/admin/parks/parkindustry/add/",
            {"park": rows["zhangye"].pk, "name": "冒名产业", "role": "leading", "order": 0},
        )
        assert not ParkIndustry.objects.filter(name="冒名产业").exists()
