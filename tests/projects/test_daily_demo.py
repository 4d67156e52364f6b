"""The demo's daily work: illustrative progress and problems on a few article projects, marked
示例数据, loaded once however often the demo runs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parklink.core.registry import DemoContext, registry
from parklink.projects import demo
from parklink.projects.models import Problem, ProgressEntry
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_projects(users, today):  # type: ignore[no-untyped-def]
    """Projects named as the demo's daily work expects (the projects step made them)."""
    made = {}
    for index, rec in enumerate(demo.DAILY):
        made[rec["project"]] = factories.project(
            users["jinniu"],
            rec["project"],
            stage="under_construction" if index < 2 else "signed",
            on=today,
            days_ago=300,
            leader_user=users["jinniu"],
        )
    return made


def test_the_step_runs_after_the_projects(article_projects) -> None:  # type: ignore[no-untyped-def]
    steps = [step.key for step in registry.ordered_demo_steps()]
    assert steps.index("projects") < steps.index("projects-daily")


def test_illustrative_records_are_made_once(users, article_projects) -> None:  # type: ignore[no-untyped-def]
    ctx = DemoContext(admin=users["root"])
    demo.load_daily_work(ctx)
    entries, problems = ProgressEntry.objects.count(), Problem.objects.count()
    assert entries == sum(len(rec["progress"]) for rec in demo.DAILY)
    assert problems == sum(len(rec["problems"]) for rec in demo.DAILY)
    assert not ProgressEntry.objects.filter(illustrative=False).exists()
    assert not Problem.objects.filter(illustrative=False).exists()
    assert set(Problem.objects.values_list("status", flat=True)) == {
        "open",
        "coordinating",
        "solved",
        "escalated",
    }
    demo.load_daily_work(DemoContext(admin=users["root"]))  # a second load changes nothing
    assert (ProgressEntry.objects.count(), Problem.objects.count()) == (entries, problems)


def test_illustrative_records_say_so_on_the_pages(users, article_projects) -> None:  # type: ignore[no-untyped-def]
    demo.load_daily_work(DemoContext(admin=users["root"]))
    project = next(iter(article_projects.values()))
    client = Client()
    client.force_login(users["jinniu"])
    body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    timeline = body[body.index('id="timeline"') :]
    assert "data-illustrative" in timeline
    problems = body[body.index('id="problems"') :]
    assert "data-illustrative" in problems
    listing = client.get(reverse("projects:problems")).content.decode()
    assert listing.count("data-illustrative") == Problem.objects.count()
