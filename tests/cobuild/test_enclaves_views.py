"""The enclave pages: computed figures, landing evidence, the flow chart, 404 for others."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import Organization, User
from tests.cobuild.test_enclaves import make_world
from tests.support import factories


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    return make_world(orgs, users)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _chart(html: str, script_id: str) -> dict[str, Any]:
    start = html.index(f'id="{script_id}"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return dict(json.loads(body))


class TestPages:
    def test_the_list_shows_the_computed_figures(self, world: Any, users: Any) -> None:
        response = _client(users["dege"]).get("/cobuild/enclaves/")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-figure="landed">3<' in html
        assert 'data-figure="introduced">0<' in html

    def test_the_detail_links_the_landing_evidence(self, world: Any, users: Any) -> None:
        enclave = world["enclave"]
        response = _client(users["dege"]).get(f"/cobuild/enclaves/{enclave.pk}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert f'href="/projects/{world["projects"]["big"].pk}/" data-landing="project"' in html
        assert "12,345,679.01" in html
        assert world["projects"]["jinniu"].name not in html  # 德格 may not see it
        assert "文章所载" in html and "系统计算" in html

    def test_the_flow_runs_from_the_enclave_through_tenants_to_landings(
        self, world: Any, users: Any
    ) -> None:
        enclave = world["enclave"]
        html = _client(users["dege"]).get(f"/cobuild/enclaves/{enclave.pk}/").content.decode()
        series = _chart(html, "enclave-flow-options")["series"][0]
        assert series["type"] == "sankey"
        links = {(link["source"], link["target"]) for link in series["links"]}
        assert (enclave.name, "甲科技有限公司") in links
        assert ("丙科技有限公司", "丙高纯气体项目(德格县)") in links
        assert ("丁科技有限公司", "尚未落地") in links

    @pytest.mark.parametrize("who", ["city", "jinniu", "zhangye"])
    def test_others_get_404(self, world: Any, users: Any, who: str) -> None:
        client = _client(users[who])
        assert client.get(f"/cobuild/enclaves/{world['enclave'].pk}/").status_code == 404
        assert world["enclave"].name not in client.get("/cobuild/enclaves/").content.decode()

    def test_the_linkage_flows_are_listed(self, orgs: Any, users: Any) -> None:
        owner = orgs["dege"]
        gaode = factories.park(owner, "高德产业园")
        manigange = factories.park(owner, "马尼干戈")
        linkage = factories.linkage(
            owner, "三园联动", [(gaode, "rnd_incubation"), (manigange, "local_landing")]
        )
        html = _client(users["jinniu"]).get("/cobuild/enclaves/").content.decode()
        chart = _chart(html, f"linkage-flow-{linkage.pk}-options")
        assert chart["series"][0]["links"] == [
            {"source": "高德产业园·研发孵化", "target": "马尼干戈·本地落地", "value": 1}
        ]
