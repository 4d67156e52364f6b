"""The chains admin: metro areas kept by installation administrators; the rest read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from parklink.chains.services import templates
from tests.chains.world import World, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    return build(orgs, users)


def admin_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_administrator_keeps_metro_areas(world: World) -> None:
    client = admin_client(world.users["root"])
    for url in (
        "/admin/chains/metroarea/add/",
        "/admin/chains/chaintemplate/",
        "/admin/chains/assignment/",
        "/admin/chains/chainlead/",
    ):
        assert client.get(url).status_code == 200, url


def test_staff_see_only_their_templates_and_change_nothing(world: World) -> None:
    own = templates.copy_template(world.users["jinniu"], world.template)
    staff = world.users["qingbaijiang"]
    staff.is_staff = True
    staff.save()
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="chains"))
    client = admin_client(staff)
    body = client.get("/admin/chains/chaintemplate/").content.decode()
    assert world.template.name in body and f"/admin/chains/chaintemplate/{own.pk}/" not in body
    assert client.get(f"/admin/chains/chaintemplate/{world.template.pk}/change/").status_code == 200
    response = client.post(f"/admin/chains/chaintemplate/{world.template.pk}/change/", {})
    assert response.status_code == 403
    assert client.get("/admin/chains/metroarea/").status_code == 403
