"""The dashboard's figures are computed once and kept until a write changes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import User
from parklink.projects import dashboard, services
from parklink.projects.models import Project
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_a_second_build_reads_the_figures_from_the_cache(
    users: dict[str, User], today: date
) -> None:
    factories.project(users["jinniu"], "已签约项目", on=today)
    with CaptureQueriesContext(connection) as first:
        dashboard.build(users["province"])
    with CaptureQueriesContext(connection) as second:
        again = dashboard.build(users["province"])
    assert len(second) < len(first)
    assert again.stage_rows[0].count + sum(row.count for row in again.stage_rows[1:]) >= 1


def test_a_new_project_changes_the_figures(users: dict[str, User], today: date) -> None:
    jinniu = users["jinniu"]
    factories.project(jinniu, "第一个项目", on=today)
    before = dashboard.build(users["province"])
    factories.project(jinniu, "第二个项目", on=today)
    after = dashboard.build(users["province"])
    assert after.totals.signed_this_year == before.totals.signed_this_year + 1
    assert after.totals.active == before.totals.active + 1


def test_a_project_moved_on_changes_the_funnel(users: dict[str, User], today: date) -> None:
    jinniu = users["jinniu"]
    project = factories.project(jinniu, "要开工的项目", on=today, days_ago=30)
    before = {row.key: row.count for row in dashboard.build(jinniu).stage_rows}
    services.transition(jinniu, project, "approvals", on=today)
    after = {row.key: row.count for row in dashboard.build(jinniu).stage_rows}
    assert after["signed"] == before["signed"] - 1
    assert after["approvals"] == before["approvals"] + 1


def test_funds_received_change_the_total(users: dict[str, User], today: date) -> None:
    jinniu = users["jinniu"]
    project = factories.project(jinniu, "到资项目", on=today, days_ago=10, stage="started")
    before = dashboard.build(jinniu).totals.funds_this_year
    services.add_funds(jinniu, project, today, Decimal(5_000_000))
    assert dashboard.build(jinniu).totals.funds_this_year == before + 5_000_000


def test_figures_are_kept_per_organisation(users: dict[str, User], today: date) -> None:
    """A county's own lead is in its figures and never in its neighbour's, cache or not."""
    factories.project(users["jinniu"], "金牛的线索", on=today, stage="lead")
    jinniu = dashboard.build(users["jinniu"])
    neighbour = dashboard.build(users["qingbaijiang"])
    leads = {row.key: row.count for row in jinniu.stage_rows}["lead"]
    assert leads == 1
    assert {row.key: row.count for row in neighbour.stage_rows}["lead"] == 0
    assert Project.objects.filter(stage="lead").count() == 1


def test_the_attention_list_stays_the_users_own(users: dict[str, User], today: date) -> None:
    """Figures are shared by an organisation; the attention list is read for each user."""
    jinniu = users["jinniu"]
    other = factories.user("jinniu_second", jinniu.organization)
    factories.project(
        jinniu, "久未推进的项目", on=today, days_ago=200, stage="started", leader_user=jinniu
    )
    mine = dashboard.build(jinniu)
    theirs = dashboard.build(other)
    assert mine.attention_total == 1
    assert theirs.attention_total == 0
    assert mine.totals == theirs.totals
