"""Follow-ups falling due reach the reminders app through `registry.reminders`."""

from __future__ import annotations

from datetime import timedelta

from parklink.core.registry import registry
from parklink.engagements import reminders
from parklink.engagements.services import add_follow_up, update_follow_up


def test_overdue_today_and_soon_for_their_assignee(world) -> None:
    made = world.engagement(participants=[world.dege_officer.pk])
    day = world.today

    def add(task, due, who=world.jinniu_officer):
        return add_follow_up(
            world.jinniu_officer, made, {"task": task, "assignee": who, "due_on": due}
        )

    late = add("逾期事项", day - timedelta(days=4))
    add("今天事项", day, world.dege_officer)
    add("三天后", day + timedelta(days=3))
    add("下周", day + timedelta(days=8))
    done = add("已办", day - timedelta(days=1))
    update_follow_up(world.jinniu_officer, done, {"status": "done"})
    source = registry.reminders[reminders.KIND]
    items = {item.title.split(":")[1].split("(")[0]: item for item in source.collect(day)}
    assert set(items) == {"逾期事项", "今天事项", "三天后"}
    overdue = items["逾期事项"]
    assert overdue.severity == "danger" and overdue.reason.startswith("已逾期4天")
    assert overdue.responsible == (world.jinniu_officer.pk,)
    assert overdue.organization_id == world.jinniu.pk
    assert overdue.key == str(late.pk)
    assert overdue.url == f"/engagements/{made.pk}/#follow-up-{late.pk}"
    assert items["今天事项"].responsible == (world.dege_officer.pk,)
    assert items["今天事项"].severity == "warning" and items["三天后"].severity == "info"
