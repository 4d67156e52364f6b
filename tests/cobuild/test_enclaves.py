"""Innovation enclaves: figures computed from the records (tenants now, landed, introduced,
investment), scoped by who may see the enclave and its projects.

德格县 keeps an enclave in 成都; the province above it sees it, 成都市 (not above 德格) and the
counties beside it do not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from parklink.accounts.models import Organization, User
from parklink.cobuild.models import Enclave, Introduction, Tenancy
from parklink.cobuild.services import enclaves
from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.registry import registry
from parklink.projects.services import transition
from tests.support import factories

TODAY = date(2025, 6, 30)


def make_world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    dege, officer = orgs["dege"], users["dege"]
    enclave = enclaves.create_enclave(
        officer,
        owner_id=dege.pk,
        name="德格成都科创飞地",
        home_region=factories.region("513330"),
        host_region=factories.region("510100"),
        opened_on=date(2024, 1, 1),
    )
    landing_park = factories.park(dege, "马尼干戈产业园", "513330")
    chengdu_park = factories.park(orgs["jinniu"], "金牛孵化园", "510106")
    firms = {
        # landed through a site in the home county (by region)
        "site": factories.enterprise(
            dege,
            "甲科技有限公司",
            "510106",
            sites=[{"role": "manufacturing", "region_id": "513330"}],
        ),
        # landed through a site in a park of the home county (the site names no region)
        "park": factories.enterprise(
            dege, "乙科技有限公司", "510106", sites=[{"role": "rnd", "park": landing_park}]
        ),
        # moved out, landed through signed projects
        "project": factories.enterprise(dege, "丙科技有限公司", "510106"),
        # sites and projects elsewhere only: not landed
        "elsewhere": factories.enterprise(
            dege, "丁科技有限公司", "510106", sites=[{"role": "rnd", "park": chengdu_park}]
        ),
        # a lead in the home county is no landing
        "lead": factories.enterprise(dege, "戊科技有限公司", "510106"),
    }
    for key, firm in firms.items():
        out = date(2025, 3, 31) if key == "project" else None
        enclaves.add_tenancy(officer, enclave, firm, moved_in=date(2024, 3, 1), moved_out=out)
    projects = {
        "big": factories.project(
            officer,
            "丙高纯气体项目",
            on=date(2025, 4, 1),
            region_id="513330",
            investor=firms["project"],
            total_investment=Decimal("12345678.91"),
        ),
        "small": factories.project(
            officer,
            "丙配套项目",
            on=date(2025, 5, 1),
            region_id="513330",
            investor=firms["project"],
            total_investment=Decimal("0.10"),
        ),
        "unpriced": factories.project(
            officer, "丙研发楼", on=date(2025, 5, 2), region_id="513330", investor=firms["project"]
        ),
        # owned by 金牛区: 德格 does not see it, the province (above both) does
        "jinniu": factories.project(
            users["jinniu"],
            "金牛投资的德格项目",
            on=date(2025, 5, 3),
            region_id="513330",
            investor=firms["project"],
            total_investment=Decimal("1000.00"),
        ),
        "elsewhere": factories.project(
            officer,
            "丁在金牛的项目",
            on=date(2025, 5, 4),
            region_id="510106",
            investor=firms["elsewhere"],
            total_investment=Decimal("5000000.00"),
        ),
        "lead": factories.project(
            officer,
            "戊在德格的线索",
            stage="lead",
            on=date(2025, 5, 5),
            region_id="513330",
            investor=firms["lead"],
            total_investment=Decimal("7000000.00"),
        ),
    }
    return {"enclave": enclave, "firms": firms, "projects": projects}


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, Any]:
    return make_world(orgs, users)


def _landed(figures: enclaves.Figures) -> dict[str, list[tuple[str, str]]]:
    return {
        row.tenancy.enterprise.name: [(item.kind, item.label) for item in row.landings]
        for row in figures.rows
        if row.landed
    }


class TestFigures:
    def test_tenants_now_leave_out_the_moved_out(self, world: dict[str, Any], users: Any) -> None:
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        assert found.tenants_now == 4 and found.tenants_ever == 5
        moved = next(r for r in found.rows if r.tenancy.enterprise == world["firms"]["project"])
        assert not moved.current and moved.landed

    def test_landed_via_site_park_and_project_not_elsewhere_nor_a_lead(
        self, world: dict[str, Any], users: Any
    ) -> None:
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        assert found.landed == 3
        assert _landed(found) == {
            "甲科技有限公司": [("site", "甲科技有限公司·生产制造")],
            "乙科技有限公司": [("site", "乙科技有限公司·研发")],
            "丙科技有限公司": [
                ("project", "丙高纯气体项目"),
                ("project", "丙配套项目"),
                ("project", "丙研发楼"),
            ],
        }

    def test_landing_is_dated_by_the_first_signed_project(
        self, world: dict[str, Any], users: Any
    ) -> None:
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        rows = {r.tenancy.enterprise.name: r for r in found.rows}
        assert rows["丙科技有限公司"].landed_on == date(2025, 4, 1)
        assert rows["甲科技有限公司"].landed_on is None  # a site carries no date

    def test_investment_is_the_exact_sum_of_the_visible_landing_projects(
        self, world: dict[str, Any], users: Any
    ) -> None:
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        assert found.investment == Decimal("12345679.01")
        assert (found.investment_projects, found.projects_without_amount) == (2, 1)

    def test_the_province_also_counts_the_project_only_it_may_see(
        self, world: dict[str, Any], users: Any
    ) -> None:
        found = enclaves.figures(users["province"], world["enclave"], TODAY)
        assert found.investment == Decimal("12346679.01")
        assert found.investment_projects == 3

    def test_a_terminated_project_is_no_landing(self, world: dict[str, Any], users: Any) -> None:
        project = world["projects"]["big"]
        transition(users["dege"], project, "terminated", on=date(2025, 6, 1), note="撤资")
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        assert found.investment == Decimal("0.10")

    def test_introduced_counts_the_recorded_enterprises(
        self, world: dict[str, Any], users: Any, orgs: Any
    ) -> None:
        enclave = world["enclave"]
        for n in range(3):
            firm = factories.enterprise(orgs["dege"], f"引入企业{n}有限公司")
            enclaves.add_introduction(
                users["dege"], enclave, firm, introduced_on=date(2025, 1, n + 1)
            )
        found = enclaves.figures(users["dege"], enclave, TODAY)
        assert found.introduced == 3 and not found.illustrative

    def test_a_tenant_who_moved_back_in_counts_once(
        self, world: dict[str, Any], users: Any
    ) -> None:
        firm = world["firms"]["project"]
        enclaves.add_tenancy(users["dege"], world["enclave"], firm, moved_in=date(2025, 5, 1))
        found = enclaves.figures(users["dege"], world["enclave"], TODAY)
        assert (found.tenants_now, found.tenants_ever, found.landed) == (5, 5, 3)

    def test_figures_before_a_tenant_moves_in(self, world: dict[str, Any], users: Any) -> None:
        found = enclaves.figures(users["dege"], world["enclave"], date(2024, 2, 1))
        assert found.tenants_now == 0 and found.tenants_ever == 5


class TestWrites:
    def test_only_the_owners_officers_record_tenants(
        self, world: dict[str, Any], users: Any
    ) -> None:
        with pytest.raises(Forbidden):
            enclaves.add_tenancy(
                users["province"], world["enclave"], world["firms"]["site"], moved_in=TODAY
            )

    def test_overlapping_stays_are_refused(self, world: dict[str, Any], users: Any) -> None:
        with pytest.raises(Invalid) as caught:
            enclaves.add_tenancy(
                users["dege"], world["enclave"], world["firms"]["site"], moved_in=date(2025, 1, 1)
            )
        assert "moved_in" in caught.value.detail

    def test_moved_out_before_moved_in_is_refused(self, world: dict[str, Any], users: Any) -> None:
        with pytest.raises(Invalid):
            enclaves.add_tenancy(
                users["dege"],
                world["enclave"],
                world["firms"]["site"],
                moved_in=date(2020, 5, 1),
                moved_out=date(2020, 4, 1),
            )

    def test_an_enclave_in_the_home_county_is_refused(self, orgs: Any, users: Any) -> None:
        with pytest.raises(Invalid) as caught:
            enclaves.create_enclave(
                users["dege"],
                owner_id=orgs["dege"].pk,
                name="县内",
                home_region=factories.region("513330"),
                host_region=factories.region("513330"),
            )
        assert "host_region" in caught.value.detail

    def test_an_introduction_is_recorded_once(self, world: dict[str, Any], users: Any) -> None:
        firm = world["firms"]["site"]
        enclaves.add_introduction(users["dege"], world["enclave"], firm)
        with pytest.raises(Invalid):
            enclaves.add_introduction(users["dege"], world["enclave"], firm)


class TestVisibility:
    @pytest.mark.parametrize("who", ["dege", "province", "root"])
    def test_the_owner_and_regions_above_see_it(
        self, world: dict[str, Any], users: Any, who: str
    ) -> None:
        assert enclaves.get_visible(users[who], world["enclave"].pk) == world["enclave"]

    @pytest.mark.parametrize("who", ["city", "jinniu", "qingbaijiang", "zhangye"])
    def test_others_get_not_found(self, world: dict[str, Any], users: Any, who: str) -> None:
        with pytest.raises(NotFound):
            enclaves.get_visible(users[who], world["enclave"].pk)

    @pytest.mark.parametrize(
        "label", ["cobuild.enclave", "cobuild.tenancy", "cobuild.introduction"]
    )
    def test_every_row_is_scoped(self, world: dict[str, Any], users: Any, label: str) -> None:
        enclaves.add_introduction(users["dege"], world["enclave"], world["firms"]["site"])
        scope = registry.scopes[label]
        assert scope.visible(users["dege"]).exists()
        assert not scope.visible(users["jinniu"]).exists()

    def test_models_are_what_the_scopes_name(self) -> None:
        assert {m._meta.label_lower for m in (Enclave, Tenancy, Introduction)} == set(
            enclaves.SCOPES
        )


class TestLinkageFlows:
    def test_a_three_park_linkage_is_a_flow_a_single_stage_is_not(self, orgs: Any) -> None:
        owner = orgs["dege"]
        gaode = factories.park(owner, "高德产业园")
        ganmei = factories.park(owner, "甘眉工业园")
        manigange = factories.park(owner, "马尼干戈")
        factories.linkage(
            owner,
            "三园联动",
            [
                (manigange, "local_landing"),
                (gaode, "rnd_incubation"),
                (ganmei, "supporting_manufacturing"),
            ],
        )
        factories.linkage(owner, "只有制造", [(ganmei, "manufacturing")])
        flows = enclaves.linkage_flows()
        assert [f.linkage.name for f in flows] == ["三园联动"]
        assert [[m.park.name for m in stage] for stage in flows[0].stages] == [
            ["高德产业园"],
            ["甘眉工业园"],
            ["马尼干戈"],
        ]
