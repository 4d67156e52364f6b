"""The progress log: entries count as progress for 三类三色, the timeline, who may write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parklink.core.errors import Forbidden, Invalid
from parklink.projects import services
from parklink.projects.ageing import Colour
from parklink.projects.models import ProgressEntry, Project
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(users, today):  # type: ignore[no-untyped-def]
    # Signed 200 days ago and not moved since: proposed for removal.
    return factories.project(users["jinniu"], "智能制造产业基地", on=today, days_ago=200)


def test_an_entry_is_progress_and_turns_the_project_green(users, project, today):  # type: ignore[no-untyped-def]
    assert services.colour_of(project) is Colour.REMOVAL
    entry = services.add_entry(
        users["jinniu"], project, today - timedelta(days=3), "完成土地摘牌", "办理规划许可"
    )
    project.refresh_from_db()
    assert project.last_progress_on == today - timedelta(days=3)
    assert services.colour_of(project) is Colour.GREEN
    assert entry.author == users["jinniu"]
    assert entry.reporter == str(users["jinniu"])  # the account's name when none is given


def test_an_older_entry_does_not_move_the_last_progress_back(users, project, today):  # type: ignore[no-untyped-def]
    services.add_entry(users["jinniu"], project, today, "签订补充协议")
    services.add_entry(users["jinniu"], project, today - timedelta(days=100), "早前的对接")
    project.refresh_from_db()
    assert project.last_progress_on == today


def test_deleting_the_latest_entry_works_the_last_progress_out_again(users, project, today):  # type: ignore[no-untyped-def]
    signed_on = project.stage_since
    entry = services.add_entry(users["jinniu"], project, today, "误录的进展")
    services.delete_entry(users["jinniu"], entry)
    project.refresh_from_db()
    assert project.last_progress_on == signed_on
    assert services.colour_of(project) is Colour.REMOVAL


def test_moving_an_entry_back_in_time_recomputes_from_the_other_sources(users, project, today):  # type: ignore[no-untyped-def]
    services.add_funds(users["jinniu"], project, today - timedelta(days=20), Decimal("1000000"))
    entry = services.add_entry(users["jinniu"], project, today, "现场调度")
    services.update_entry(users["jinniu"], entry, happened_on=today - timedelta(days=90))
    project.refresh_from_db()
    assert project.last_progress_on == today - timedelta(days=20)  # the funds in place


def test_a_stall_is_still_not_progress_after_recomputing(users, project, today):  # type: ignore[no-untyped-def]
    services.transition(users["jinniu"], project, "stalled", on=today, note="投资方资金链紧张")
    entry = services.add_entry(users["jinniu"], project, today, "误录")
    services.delete_entry(users["jinniu"], entry)
    project.refresh_from_db()
    assert project.last_progress_on == project.transitions.first().effective_on  # type: ignore[union-attr]
    assert services.colour_of(project) is Colour.STALLED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "   "}, "summary"),
        ({"happened_on_days": -1}, "happened_on"),  # tomorrow
        ({"summary": "长" * 5001}, "summary"),
    ],
)
def test_bad_entries_are_refused_with_the_field(users, project, today, changes, field):  # type: ignore[no-untyped-def]
    days = changes.pop("happened_on_days", 0)
    with pytest.raises(Invalid) as caught:
        services.add_entry(
            users["jinniu"],
            project,
            today - timedelta(days=days),
            changes.get("summary", "进展"),
        )
    assert field in caught.value.detail
    assert not ProgressEntry.objects.exists()


def test_an_entry_links_only_a_stage_change_of_its_own_project(users, project, today):  # type: ignore[no-untyped-def]
    other = factories.project(users["jinniu"], "其他项目", on=today)
    record = services.transition(users["jinniu"], other, "approvals", on=today)
    with pytest.raises(Invalid):
        services.add_entry(users["jinniu"], project, today, "进展", transition=record)
    own = services.transition(users["jinniu"], project, "approvals", on=today)
    entry = services.add_entry(users["jinniu"], project, today, "完成供地", transition=own)
    assert entry.transition == own


def test_only_the_owners_officers_write(users, project, today):  # type: ignore[no-untyped-def]
    for outsider in ("qingbaijiang", "city", "jinniu_viewer"):
        with pytest.raises(Forbidden):
            services.add_entry(users[outsider], project, today, "越权记录")
    entry = services.add_entry(users["jinniu"], project, today, "本机构记录")
    with pytest.raises(Forbidden):
        services.update_entry(users["city"], entry, summary="改写")
    with pytest.raises(Forbidden):
        services.delete_entry(users["qingbaijiang"], entry)
    assert ProgressEntry.objects.get().summary == "本机构记录"


def test_changes_are_kept_in_the_history(users, project, today):  # type: ignore[no-untyped-def]
    entry = services.add_entry(users["jinniu"], project, today, "初稿")
    services.update_entry(users["jinniu"], entry, summary="定稿")
    assert [h.summary for h in entry.history.order_by("history_id")] == ["初稿", "定稿"]


def test_the_timeline_merges_entries_stage_changes_and_milestones(users, project, today):  # type: ignore[no-untyped-def]
    jinniu = users["jinniu"]
    services.add_milestone(jinniu, project, "完成环评", today - timedelta(days=2))
    services.add_entry(jinniu, project, today - timedelta(days=1), "环评公示")
    services.transition(jinniu, project, "approvals", on=today)
    services.add_milestone(jinniu, project, "开工", today + timedelta(days=30))  # not yet due
    kinds = [(item.kind, item.on) for item in services.timeline(Project.objects.get(pk=project.pk))]
    assert kinds == [
        ("stage", today),
        ("progress", today - timedelta(days=1)),
        ("milestone", today - timedelta(days=2)),
        ("stage", project.stage_since),
    ]
