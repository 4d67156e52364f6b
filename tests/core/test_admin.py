"""The admin of cited sources: a staff officer reads only the sources of records they may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from parklink.accounts.models import User
from parklink.core.models import SourceCitation
from parklink.core.registry import VisibilityScope, registry
from parklink.core.sources import cite
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.models import Milestone, Project

pytestmark = pytest.mark.django_db

SECRET_QUOTE = "双方就锂电池正极材料项目进行了深入洽谈"
SIGNED_QUOTE = "智能终端生产基地项目正式签约"
MILESTONE_QUOTE = "正极材料项目拟于年内完成供地"
PARK_QUOTE = "高德产业园由成都高新区与德格县共建"


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """Officers who may use the admin with every permission on cited sources."""
    perms = Permission.objects.filter(content_type__app_label="core")
    for key in ("jinniu", "zhangye"):
        users[key].is_staff = True
        users[key].save()
        users[key].user_permissions.set(perms)
    return users


@pytest.fixture
def citations(staff: dict[str, User], today: Any) -> dict[str, SourceCitation]:
    secret = services.create_project(
        staff["jinniu"], name="保密在谈项目", region_id="510106", stage="negotiating"
    )
    signed = services.create_project(
        staff["zhangye"], name="公开签约项目", region_id="620700", stage="signed"
    )
    cite(secret, [{"file": "金牛区招商简报.txt", "quote": SECRET_QUOTE}])
    cite(signed, [{"file": "张掖日报.txt", "quote": SIGNED_QUOTE}])
    return {
        "secret": SourceCitation.objects.get(quote=SECRET_QUOTE),
        "signed": SourceCitation.objects.get(quote=SIGNED_QUOTE),
    }


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestSourceCitationAdmin:
    def test_sources_of_another_organisations_confidential_project_are_not_listed(
        self, staff: dict[str, User], citations: dict[str, SourceCitation]
    ) -> None:
        page = client_for(staff["zhangye"]).get("/admin/core/sourcecitation/")
        assert page.status_code == 200
        body = page.content.decode()
        assert SECRET_QUOTE not in body
        assert SIGNED_QUOTE in body

    def test_a_hidden_source_reads_as_missing(
        self, staff: dict[str, User], citations: dict[str, SourceCitation]
    ) -> None:
        client = client_for(staff["zhangye"])
        hidden = client.get(f"/admin/core/sourcecitation/{citations['secret'].pk}/change/")
        missing = client.get("/admin/core/sourcecitation/999999/change/")
        assert hidden.status_code == missing.status_code == 302
        assert SECRET_QUOTE not in hidden.content.decode()

    def test_the_owner_reads_the_sources_of_its_confidential_project(
        self, staff: dict[str, User], citations: dict[str, SourceCitation]
    ) -> None:
        body = client_for(staff["jinniu"]).get("/admin/core/sourcecitation/").content.decode()
        assert SECRET_QUOTE in body

    def test_installation_admin_reads_every_source(
        self, users: dict[str, User], citations: dict[str, SourceCitation]
    ) -> None:
        body = client_for(users["root"]).get("/admin/core/sourcecitation/").content.decode()
        assert SECRET_QUOTE in body and SIGNED_QUOTE in body

    def test_sources_of_a_hidden_projects_milestone_are_not_listed(
        self, staff: dict[str, User], citations: dict[str, SourceCitation], today: Any
    ) -> None:
        secret = Project.objects.get(pk=citations["secret"].object_id)
        milestone = Milestone.objects.create(project=secret, name="供地", due_on=today)
        cite(milestone, [{"file": "金牛区招商简报.txt", "quote": MILESTONE_QUOTE}])
        body = client_for(staff["zhangye"]).get("/admin/core/sourcecitation/").content.decode()
        assert MILESTONE_QUOTE not in body
        assert SIGNED_QUOTE in body


@pytest.fixture
def parks_hidden() -> Iterator[None]:
    """A throwaway scope under which nobody sees any park, as a future app would register."""
    registry.scopes.add(VisibilityScope("parks.park", lambda user: Park.objects.none()))
    yield
    registry.scopes.remove("parks.park")


def park_permissions() -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="parks"))


class TestRegisteredScopes:
    def test_a_registered_scope_hides_the_sources_of_the_rows_outside_it(
        self, staff: dict[str, User], citations: dict[str, SourceCitation], parks_hidden: None
    ) -> None:
        park = Park.objects.create(
            name="高德产业园",
            kind="industrial_park",
            region=staff["jinniu"].organization.region,  # type: ignore[union-attr]
            owner=staff["jinniu"].organization,
        )
        cite(park, [{"file": "园区简介.txt", "quote": PARK_QUOTE}])
        body = client_for(staff["jinniu"]).get("/admin/core/sourcecitation/").content.decode()
        assert PARK_QUOTE not in body
        assert SECRET_QUOTE in body

    def test_a_registered_scope_hides_the_rows_outside_it_in_the_models_admin(
        self, staff: dict[str, User], parks_hidden: None
    ) -> None:
        Park.objects.create(
            name="高德产业园",
            kind="industrial_park",
            region=staff["jinniu"].organization.region,  # type: ignore[union-attr]
            owner=staff["jinniu"].organization,
        )
        staff["jinniu"].user_permissions.add(*park_permissions())
        body = client_for(staff["jinniu"]).get("/admin/parks/park/").content.decode()
        assert "高德产业园" not in body

    def test_without_a_scope_the_models_admin_lists_every_row(self, staff: dict[str, User]) -> None:
        Park.objects.create(
            name="高德产业园",
            kind="industrial_park",
            region=staff["jinniu"].organization.region,  # type: ignore[union-attr]
            owner=staff["jinniu"].organization,
        )
        staff["zhangye"].user_permissions.add(*park_permissions())
        body = client_for(staff["zhangye"]).get("/admin/parks/park/").content.decode()
        assert "高德产业园" in body

    def test_sources_of_a_model_without_a_scope_are_listed(
        self, staff: dict[str, User], citations: dict[str, SourceCitation]
    ) -> None:
        park = Park.objects.create(
            name="高德产业园",
            kind="industrial_park",
            region=staff["jinniu"].organization.region,  # type: ignore[union-attr]
            owner=staff["jinniu"].organization,
        )
        cite(park, [{"file": "园区简介.txt", "quote": PARK_QUOTE}])
        body = client_for(staff["zhangye"]).get("/admin/core/sourcecitation/").content.decode()
        assert PARK_QUOTE in body
