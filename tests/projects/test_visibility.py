"""Who sees which project: owners see theirs, regions above see signed ones, leads stay secret."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parklink.core.errors import Forbidden, NotFound
from parklink.projects import services
from parklink.projects.queries import get_visible, visible_projects


@pytest.fixture
def projects(users, today):  # type: ignore[no-untyped-def]
    jinniu = users["jinniu"]
    return {
        "lead": services.create_project(
            jinniu, name="保密线索", region_id="510106", stage="lead", stage_date=today
        ),
        "negotiating": services.create_project(
            jinniu, name="在谈项目", region_id="510106", stage="negotiating", stage_date=today
        ),
        "signed": services.create_project(
            jinniu, name="已签约项目", region_id="510106", stage="signed", stage_date=today
        ),
    }


class TestVisibility:
    def test_owner_sees_all_its_projects(self, users, projects):  # type: ignore[no-untyped-def]
        assert visible_projects(users["jinniu"]).count() == 3

    def test_city_sees_only_signed_projects_of_its_counties(self, users, projects):  # type: ignore[no-untyped-def]
        names = set(visible_projects(users["city"]).values_list("name", flat=True))
        assert names == {"已签约项目"}

    def test_province_sees_signed_projects_two_levels_down(self, users, projects):  # type: ignore[no-untyped-def]
        assert set(visible_projects(users["province"]).values_list("name", flat=True)) == {
            "已签约项目"
        }

    def test_sibling_county_and_other_province_see_nothing(self, users, projects):  # type: ignore[no-untyped-def]
        assert visible_projects(users["qingbaijiang"]).count() == 0
        assert visible_projects(users["zhangye"]).count() == 0

    def test_hidden_project_reads_as_not_found(self, users, projects):  # type: ignore[no-untyped-def]
        with pytest.raises(NotFound):
            get_visible(users["city"], projects["lead"].pk)

    def test_stalled_negotiation_stays_confidential(self, users, projects, today):  # type: ignore[no-untyped-def]
        services.transition(
            users["jinniu"], projects["negotiating"], "stalled", on=today, note="投资方暂缓"
        )
        assert not visible_projects(users["city"]).filter(pk=projects["negotiating"].pk).exists()

    def test_once_signed_always_disclosed_even_if_stalled(self, users, projects, today):  # type: ignore[no-untyped-def]
        services.transition(users["jinniu"], projects["signed"], "stalled", on=today, note="资金")
        assert visible_projects(users["city"]).filter(pk=projects["signed"].pk).exists()

    def test_installation_admin_sees_all(self, users, projects):  # type: ignore[no-untyped-def]
        assert visible_projects(users["root"]).count() == 3

    def test_city_cannot_change_county_project(self, users, projects):  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            services.update_project(users["city"], projects["signed"], name="改名")
        with pytest.raises(Forbidden):
            services.transition(users["city"], projects["signed"], "approvals")

    def test_viewer_cannot_change_own_organisations_project(self, users, projects):  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            services.update_project(users["jinniu_viewer"], projects["signed"], name="改名")

    def test_future_dates_refused(self, users, projects, today):  # type: ignore[no-untyped-def]
        from parklink.core.errors import Invalid

        with pytest.raises(Invalid):
            services.transition(
                users["jinniu"], projects["signed"], "approvals", on=today + timedelta(days=1)
            )
