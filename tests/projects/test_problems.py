"""The problem list: raising, the status table with its records, overdue problems in the
attention list, on the dashboard and as reminders; who sees and changes what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from parklink.core.errors import Forbidden, IllegalTransition, Invalid
from parklink.core.registry import registry
from parklink.projects import dashboard, reminders, services
from parklink.projects.models import Problem, ProblemEvent
from parklink.projects.services.problems import ProblemFilters, filter_problems, overdue_for
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(users, today):  # type: ignore[no-untyped-def]
    return factories.project(
        users["jinniu"],
        "智能制造产业基地",
        on=today,
        days_ago=10,
        responsible_leader="王主任",
        leader_user=users["jinniu"],
    )


@pytest.fixture
def secret(users, today):  # type: ignore[no-untyped-def]
    return factories.project(users["jinniu"], "保密洽谈项目", stage="negotiating", on=today)


def raise_one(user, project, today, days=-3, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "category": "power",
        "description": "双回路供电接入待批复",
        "department": "区经信局",
        "deadline": today + timedelta(days=days),
        "raised_on": today - timedelta(days=10),
    }
    fields.update(extra)
    return services.raise_problem(user, project, **fields)


def test_the_leader_defaults_to_the_projects_five_ones_leader(users, project, today):  # type: ignore[no-untyped-def]
    problem = raise_one(users["jinniu"], project, today)
    assert problem.leader == users["jinniu"] and problem.leader_name == "王主任"
    assert problem.status == "open"
    [event] = problem.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", "open", users["jinniu"])


def test_a_named_leader_is_kept(users, project, today):  # type: ignore[no-untyped-def]
    problem = raise_one(users["jinniu"], project, today, leader_name="李副县长")
    assert problem.leader is None and problem.leader_name == "李副县长"


def test_every_status_change_is_a_record_with_who_and_why(users, project, today):  # type: ignore[no-untyped-def]
    officer = users["jinniu"]
    problem = raise_one(officer, project, today)
    services.change_status(officer, problem, "coordinating", "召开协调会")
    services.change_status(officer, problem, "solved", "供电公司已批复方案", on=today)
    problem.refresh_from_db()
    assert problem.status == "solved" and problem.solved_on == today
    assert problem.resolution == "供电公司已批复方案"
    moves = list(problem.events.values_list("from_status", "to_status", "note"))
    assert moves == [
        ("", "open", ""),
        ("open", "coordinating", "召开协调会"),
        ("coordinating", "solved", "供电公司已批复方案"),
    ]
    services.change_status(officer, problem, "open", "问题反复")
    problem.refresh_from_db()
    assert problem.status == "open" and problem.solved_on is None


def test_a_move_off_the_table_is_refused_with_what_is_allowed(users, project, today):  # type: ignore[no-untyped-def]
    officer = users["jinniu"]
    problem = raise_one(officer, project, today)
    services.change_status(officer, problem, "solved", "已解决")
    with pytest.raises(IllegalTransition) as caught:
        services.change_status(officer, problem, "escalated", "提级")
    assert "已解决" in caught.value.message and "待协调" in caught.value.message
    assert caught.value.detail["allowed"] == ["open"]


@pytest.mark.parametrize("target", ["solved", "escalated"])
def test_solving_or_escalating_needs_a_note(users, project, today, target):  # type: ignore[no-untyped-def]
    problem = raise_one(users["jinniu"], project, today)
    with pytest.raises(Invalid) as caught:
        services.change_status(users["jinniu"], problem, target, "  ")
    assert "note" in caught.value.detail
    assert Problem.objects.get().status == "open"
    assert ProblemEvent.objects.count() == 1


def test_bad_problems_are_refused_field_by_field(users, project, today):  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        raise_one(users["jinniu"], project, today, category="weather")
    assert "category" in caught.value.detail
    with pytest.raises(Invalid) as caught:
        raise_one(users["jinniu"], project, today, days=-20)  # before it was raised
    assert "deadline" in caught.value.detail
    with pytest.raises(Invalid) as caught:
        raise_one(users["jinniu"], project, today, owner=users["qingbaijiang"])
    assert "owner" in caught.value.detail
    assert not Problem.objects.exists()


def test_another_organisation_cannot_read_or_change_a_confidential_projects_problems(
    users, secret, today
):  # type: ignore[no-untyped-def]
    problem = raise_one(users["jinniu"], secret, today)
    for outsider in ("qingbaijiang", "city", "province", "zhangye"):
        assert not filter_problems(users[outsider], ProblemFilters()).exists()
        assert not registry.visible(Problem, users[outsider]).exists()
        assert not registry.visible(ProblemEvent, users[outsider]).exists()
        with pytest.raises(Forbidden):
            services.change_status(users[outsider], problem, "coordinating", "越权")
        with pytest.raises(Forbidden):
            services.update_problem(users[outsider], problem, description="改写")
    assert filter_problems(users["jinniu"], ProblemFilters()).get() == problem
    problem.refresh_from_db()
    assert problem.status == "open" and problem.description == "双回路供电接入待批复"


def test_filters_by_status_overdue_category_owner_and_mine(users, project, today):  # type: ignore[no-untyped-def]
    officer = users["jinniu"]
    late = raise_one(officer, project, today, days=-1, owner=officer)
    later = raise_one(officer, project, today, days=5, category="land")
    done = raise_one(officer, project, today, days=-5)
    services.change_status(officer, done, "solved", "已解决")

    def found(**f):  # type: ignore[no-untyped-def]
        return set(filter_problems(officer, ProblemFilters(**f)))

    assert found(overdue=True) == {late}
    assert found(status=["solved"]) == {done}
    assert found(category="land") == {later}
    assert found(owner=officer.pk) == {late}
    assert found(mine=True) == {late, later, done}  # the 五个一 leader coordinates all three
    with pytest.raises(Invalid):
        found(status=["closed"])


def test_overdue_problems_reach_the_owner_the_leader_and_the_dashboard(users, project, today):  # type: ignore[no-untyped-def]
    officer, colleague = users["jinniu"], factories.user("jinniu_two", users["jinniu"].organization)
    late = raise_one(officer, project, today, owner=colleague)
    raise_one(officer, project, today, days=3)  # not yet due
    assert list(overdue_for(colleague)) == [late]  # the owner
    assert list(overdue_for(officer)) == [late]  # the coordinating leader
    assert list(overdue_for(users["qingbaijiang"])) == []
    board = dashboard.build(colleague)
    assert board.totals.problems_overdue == 1 and board.problems == [late]
    client = Client()
    client.force_login(colleague)
    body = client.get(reverse("home")).content.decode()
    assert f'data-attention-problem="{late.pk}"' in body
    assert 'data-stat="problems-overdue">1<' in body


def test_the_dashboard_figure_updates_when_a_problem_is_solved(users, project, today):  # type: ignore[no-untyped-def]
    late = raise_one(users["jinniu"], project, today)
    assert dashboard.build(users["jinniu"]).totals.problems_overdue == 1
    services.change_status(users["jinniu"], late, "solved", "已解决")
    assert dashboard.build(users["jinniu"]).totals.problems_overdue == 0


def test_reminders_for_overdue_problems_and_milestones(users, project, today):  # type: ignore[no-untyped-def]
    officer = users["jinniu"]
    colleague = factories.user("jinniu_two", officer.organization)
    late = raise_one(
        officer, project, today, days=-40, owner=colleague, raised_on=today - timedelta(days=50)
    )
    raise_one(officer, project, today, days=2)
    milestone = services.add_milestone(officer, project, "完成环评", today - timedelta(days=3))
    assert reminders.PROBLEMS in registry.reminders and reminders.MILESTONES in registry.reminders
    [item] = list(registry.reminders[reminders.PROBLEMS].collect(today))
    assert item.key == str(late.pk) and item.severity == "danger"
    assert set(item.responsible) == {colleague.pk, officer.pk}
    assert item.organization_id == project.owner_id
    assert "逾期40天" in item.reason and item.url.endswith("#problems")
    [due] = list(registry.reminders[reminders.MILESTONES].collect(today))
    assert due.key == str(milestone.pk) and due.responsible == (officer.pk,)
    assert due.severity == "warning" and "完成环评" in due.title
    services.complete_milestone(officer, milestone, on=today)
    assert list(registry.reminders[reminders.MILESTONES].collect(today)) == []
