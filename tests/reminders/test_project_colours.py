"""Projects that turned yellow or red reach their 五个一 leader and their owner's robots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parklink.accounts.models import User
from parklink.core.registry import registry
from parklink.projects.reminder_colours import KIND, coloured_projects
from parklink.reminders import services
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_yellow_and_red_projects_are_due_for_their_leader(people: dict[str, User]) -> None:
    amy = people["amy"]
    today = timezone.localdate()
    green = factories.project(amy, "新签项目", days_ago=5, leader_user=amy)
    yellow = factories.project(amy, "两月无进展", days_ago=75, leader_user=amy)
    red = factories.project(amy, "三月无进展", days_ago=100, leader_user=amy)
    factories.project(amy, "无人负责", days_ago=100)
    items = {i.key: i for i in coloured_projects(today)}
    assert f"{green.pk}:green" not in items
    assert items[f"{yellow.pk}:yellow"].severity == "warning"
    assert items[f"{red.pk}:red"].severity == "danger"
    assert items[f"{red.pk}:red"].responsible == (amy.pk,)
    assert items[f"{red.pk}:red"].organization_id == amy.organization_id
    assert "红色预警" in items[f"{red.pk}:red"].title
    assert "100 天无进展" in items[f"{red.pk}:red"].reason
    assert KIND in registry.reminders
    mine = {i.key for i in services.items_for(amy, today).items if i.kind == KIND}
    assert mine == {f"{yellow.pk}:yellow", f"{red.pk}:red"}
    assert not [i for i in services.items_for(people["bo"], today).items if i.kind == KIND]
    later = {i.key for i in coloured_projects(today + timedelta(days=30))}
    assert f"{yellow.pk}:red" in later  # turned red: a new item for the next digest


def test_each_leader_gets_exactly_their_share_by_a_query_of_their_own(
    people: dict[str, User],
) -> None:
    """A page gathers one user's items (never the installation's): the per-user sources give
    exactly the installation's items routed to that user."""
    amy, bo = people["amy"], people["bo"]
    today = timezone.localdate()
    for n in range(3):
        factories.project(amy, f"甲{n}", days_ago=100 + n, leader_user=amy)
        factories.project(bo, f"乙{n}", days_ago=70 + n, leader_user=bo)
    factories.project(amy, "无人负责", days_ago=100)
    everything = services.gather(today)
    for user in (amy, bo, people["other"]):
        routed = [i for i in everything if user.pk in i.responsible]
        assert services.gather_for(user.pk, today) == routed
    assert {i.key for i in coloured_projects(today, bo.pk)} == {
        i.key for i in everything if i.kind == KIND and bo.pk in i.responsible
    }
    assert len([i for i in services.gather_for(bo.pk, today) if i.kind == KIND]) == 3
