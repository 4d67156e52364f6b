"""What enterprises show on a park's page: its sites, registered rather than imported by parks."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from parklink.accounts.models import Organization, User
from parklink.core.registry import registry
from parklink.enterprises import panels
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import Park

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(orgs: dict[str, Organization]) -> dict[str, Park]:
    city = orgs["city"]
    top = Park.objects.create(owner=city, name="高德产业园", region_id="510100")
    sub = Park.objects.create(owner=city, name="成都未来科技城", region_id="510100", parent=top)
    other = Park.objects.create(owner=city, name="淮州新城", region_id="510100")
    return {"top": top, "sub": sub, "other": other}


def _site(orgs: dict[str, Organization], name: str, park: Park, role: str) -> EnterpriseSite:
    enterprise = Enterprise.objects.create(owner=orgs["city"], name=name, region_id="510100")
    return EnterpriseSite.objects.create(enterprise=enterprise, park=park, role=role)


class TestRegistered:
    def test_the_park_page_gets_a_section_after_the_projects(self) -> None:
        sections = [p.key for p in registry.panels_for("parks.park", "section")]
        assert sections.index("enterprises") > sections.index("projects")
        panel = registry.panels_for("parks.park", "section")[sections.index("enterprises")]
        assert panel.template.startswith("enterprises/panels/")


class TestParkPanel:
    def test_the_sites_of_the_park_and_its_sub_parks_by_enterprise(  # type: ignore[no-untyped-def]
        self, orgs, users, parks
    ) -> None:
        at_sub = _site(orgs, "乙企业", parks["sub"], "manufacturing")
        at_top = _site(orgs, "甲企业", parks["top"], "headquarters")
        _site(orgs, "丙企业", parks["other"], "headquarters")
        request = RequestFactory().get("/")
        request.user = users["city"]
        assert panels.park_panel(request, parks["top"])["sites"] == [at_top, at_sub]
        assert panels.park_panel(request, parks["sub"])["sites"] == [at_sub]

    def test_the_page_shows_the_section_with_the_enterprise_linked(  # type: ignore[no-untyped-def]
        self, orgs, users, parks
    ) -> None:
        site = _site(orgs, "甲企业", parks["sub"], "headquarters")
        client = Client()
        client.force_login(users["city"])
        html = client.get(reverse("parks:detail", args=[parks["top"].pk])).content.decode()
        section = html[html.index('id="enterprises"') :]
        assert reverse("enterprises:detail", args=[site.enterprise_id]) in section
        assert reverse("parks:detail", args=[parks["sub"].pk]) in section

    def test_a_park_without_sites_says_so(self, users: dict[str, User], parks: Any) -> None:
        client = Client()
        client.force_login(users["city"])
        html = client.get(reverse("parks:detail", args=[parks["other"].pk])).content.decode()
        assert 'id="site-table"' not in html
        assert "暂无登记的入驻企业。" in html
