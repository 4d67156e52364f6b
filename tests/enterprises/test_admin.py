"""The admin of enterprise sites: only the enterprise's owner changes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from parklink.accounts.models import User
from parklink.enterprises.models import Enterprise, EnterpriseSite


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """Officers who may use the admin with every model permission of the enterprises app."""
    perms = Permission.objects.filter(content_type__app_label="enterprises")
    for key in ("jinniu", "zhangye"):
        user = users[key]
        user.is_staff = True
        user.save()
        user.user_permissions.set(perms)
    return users


@pytest.fixture
def companies(orgs: Any) -> dict[str, Enterprise]:
    return {
        "zhangye": Enterprise.objects.create(
            owner=orgs["zhangye"], name="河西硅业", region_id="620702"
        ),
        "jinniu": Enterprise.objects.create(
            owner=orgs["jinniu"], name="金牛数字科技", region_id="510106"
        ),
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestEnterpriseSiteAdmin:
    def test_another_organisations_site_cannot_be_changed_or_deleted(self, staff, companies):  # type: ignore[no-untyped-def]
        site = EnterpriseSite.objects.create(
            enterprise=companies["zhangye"], region_id="620702", role="rnd"
        )
        client = client_for(staff["jinniu"])
        address = f"/admin/enterprises/enterprisesite/{site.pk}/"
        assert 'name="_save"' not in client.get(address + "change/").content.decode()
        assert client.post(address + "change/", {"role": "other"}).status_code == 403
        assert client.post(address + "delete/", {"post": "yes"}).status_code == 403
        site.refresh_from_db()
        assert site.role == "rnd"

    def test_the_owner_changes_its_own_site(self, staff, companies):  # type: ignore[no-untyped-def]
        site = EnterpriseSite.objects.create(
            enterprise=companies["zhangye"], region_id="620702", role="rnd"
        )
        page = client_for(staff["zhangye"]).get(
            f"/admin/enterprises/enterprisesite/{site.pk}/change/"
        )
        assert 'name="_save"' in page.content.decode()

    def test_a_new_site_can_only_belong_to_the_users_own_enterprises(self, staff, companies):  # type: ignore[no-untyped-def]
        client = client_for(staff["jinniu"])
        page = client.get("/admin/enterprises/enterprisesite/add/").content.decode()
        assert "金牛数字科技" in page and "河西硅业" not in page
        client.post(
            "/admin/enterprises/enterprisesite/add/",
            {"enterprise": companies["zhangye"].pk, "role": "rnd", "address": "冒名"},
        )
        assert not EnterpriseSite.objects.filter(address="冒名").exists()
