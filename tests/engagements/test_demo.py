"""The engagements demo: 高德产业园's signing ceremony from the article with its projects,
illustrative contacts and visits marked so; a second load changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from parklink.core.demo import load_demo
from parklink.core.sources import sources_of
from parklink.engagements.models import Contact, Engagement, FollowUp
from parklink.engagements.services import briefing
from tests.cobuild.test_demo import _rows_counts, clear_demo


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        before = _rows_counts()
        load_demo()
        counts = {
            "engagements": Engagement.objects.count(),
            "contacts": Contact.objects.count(),
            "follow_ups": FollowUp.objects.count(),
        }
        yield counts
        clear_demo(before)


@pytest.fixture
def demo_db(loaded: dict[str, int], db: Any) -> dict[str, int]:
    return loaded


def test_the_ceremony_as_an_event(demo_db) -> None:
    event = Engagement.objects.get(kind="signing")
    assert event.held_on.isoformat() == "2025-03-21" and event.place == "成都未来科技城"
    assert event.signed_count == 15 and not event.illustrative
    assert event.signed_projects.count() == 6
    assert "光伏及配套储能项目" in set(event.signed_projects.values_list("name", flat=True))
    assert event.owner.name == "德格县人民政府"
    assert sources_of(event).count() == 3


def test_invented_records_are_marked(demo_db) -> None:
    assert Contact.objects.filter(illustrative=False).count() == 0
    assert all(c.name.startswith("示例") for c in Contact.objects.all())
    visits = Engagement.objects.exclude(kind="signing")
    assert visits.exists() and not visits.filter(illustrative=False).exists()
    assert all(e.title.startswith("示例") for e in visits)


def test_two_agencies_visited_the_same_firm(demo_db, settings) -> None:
    """Seen as of the demo's data date (as `make run` shows it)."""
    from parklink.accounts.models import User
    from parklink.core.demo import data_date

    settings.PARKLINK_TODAY = data_date()

    officer = User.objects.get(username="dege_gov")
    firm = Engagement.objects.get(kind="aftercare").enterprises.get()
    seen = briefing(officer, firm.pk)
    assert [m.org_name for m in seen.others_recent] == ["成都高新区管委会"]


def test_a_second_load_changes_nothing(demo_db) -> None:
    report = load_demo()
    assert not {k: v for k, v in report.created.items() if "engagement" in k}
    assert Engagement.objects.count() == demo_db["engagements"]
    assert Contact.objects.count() == demo_db["contacts"]
    assert FollowUp.objects.count() == demo_db["follow_ups"]
