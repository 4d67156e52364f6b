"""A project's standing: its colour and the contract warnings under its owner's rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parklink.projects import services
from parklink.projects.ageing import Colour
from parklink.projects.models import AgeingPolicy
from parklink.projects.services.year_plans import year_plan
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_funds_behind_the_schedule_with_the_reason_in_words(users, today):  # type: ignore[no-untyped-def]
    project = factories.project(
        users["jinniu"],
        "新材料研发中心",
        stage="started",
        on=today,
        days_ago=100,
        total_investment=Decimal("200000000"),
    )
    services.update_project(
        users["jinniu"], project, contract_production_date=project.stage_since + timedelta(days=200)
    )
    services.add_funds(users["jinniu"], project, today, Decimal("10000000"))
    project.refresh_from_db()  # the funds are progress too
    standing = services.standing_of(project)
    assert standing.colour is Colour.GREEN
    [(rule, label, reason)] = standing.warning_items
    assert (rule, label) == ("funds_behind", "资金到位滞后")
    # 100 of 200 days of 2亿元 is 1亿元; 1000万元 is 10.0% of it.
    assert "1,000万元" in reason and "1亿元" in reason and "10.0%" in reason


def test_an_organisations_own_rules_apply_to_its_projects(users, orgs, today):  # type: ignore[no-untyped-def]
    project = factories.project(users["jinniu"], "签约项目", on=today, days_ago=130)
    assert services.standing_of(project).warnings == ()  # 6 months by default
    AgeingPolicy.objects.create(organization=orgs["jinniu"], unstarted_months=4)
    [warning] = services.standing_of(project).warnings
    assert warning.rule == "unstarted" and warning.months == 4
    # Saved as the rules page saves it: the cached policies are read again after the write.
    policy = AgeingPolicy.objects.get(organization=orgs["jinniu"])
    policy.unstarted_months = 0
    policy.save()
    assert services.standing_of(project).warnings == ()


def test_contract_dates_are_checked_when_entered(users, today):  # type: ignore[no-untyped-def]
    from parklink.core.errors import Invalid

    project = factories.project(users["jinniu"], "签约项目", on=today)
    with pytest.raises(Invalid) as caught:
        services.update_project(
            users["jinniu"],
            project,
            contract_start_date=today + timedelta(days=30),
            contract_production_date=today,
        )
    assert "contract_production_date" in caught.value.detail


def test_year_plan_reads_one_year_for_many_projects(users, today):  # type: ignore[no-untyped-def]
    a = factories.project(users["jinniu"], "甲", on=today)
    b = factories.project(users["jinniu"], "乙", on=today)
    services.set_year_plan(users["jinniu"], a, 2025, Decimal("1000000.00"), Decimal("250000.00"))
    services.set_year_plan(users["jinniu"], a, 2024, Decimal("5"), None)
    services.set_year_plan(users["jinniu"], b, 2025, None, Decimal("7.50"))
    found = year_plan([a.pk, b.pk], 2025)
    assert found[a.pk].planned == Decimal("1000000.00") and found[a.pk].rate == Decimal("25.0")
    assert found[b.pk].planned is None and found[b.pk].rate is None
    services.set_year_plan(users["jinniu"], b, 2025, None, None)  # both empty: removed
    assert set(year_plan([a.pk, b.pk], 2025)) == {a.pk}
