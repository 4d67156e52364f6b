"""Items reach exactly their responsible users, less the kinds each muted; a failing source
leaves the others' items."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.accounts.models import User
from parklink.core.registry import ReminderSource, registry
from parklink.reminders import services
from tests.reminders.conftest import KIND, Source

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 2)


def test_each_item_goes_to_its_responsible_users(source: Source, people: dict[str, User]) -> None:
    amy, bo = people["amy"], people["bo"]
    source.items = [
        {"key": 1, "to": [amy.pk]},
        {"key": 2, "to": [amy.pk, bo.pk, amy.pk], "severity": "danger"},
    ]
    assert [i.key for i in services.items_for(amy, DAY).items] == ["2", "1"]  # danger first
    assert [i.key for i in services.items_for(bo, DAY).items] == ["2"]
    assert services.items_for(people["other"], DAY).items == []
    assert source.days == [DAY] * 3  # each user's own gathering …
    services.items_for(amy, DAY)
    assert source.days == [DAY] * 3  # … is kept for a minute


def test_pages_share_a_gathering_and_the_daily_send_gathers_anew(
    source: Source, people: dict[str, User]
) -> None:
    from django.core.cache import cache

    amy = people["amy"]
    source.items = [{"key": 1, "to": [amy.pk]}]
    assert len(services.items_for(amy, DAY).items) == 1
    source.items = [{"key": 1, "to": [amy.pk]}, {"key": 2, "to": [amy.pk]}]
    assert len(services.items_for(amy, DAY).items) == 1
    assert services.send_daily(DAY, dry_run=True).items == 2
    cache.clear()  # what CACHE_SECONDS later brings
    assert len(services.items_for(amy, DAY).items) == 2


def test_a_muted_kind_is_hidden_and_counted(source: Source, people: dict[str, User]) -> None:
    amy = people["amy"]
    source.items = [{"key": 1, "to": [amy.pk]}, {"key": 2, "kind": "test-other", "to": [amy.pk]}]
    services.save_preference(amy, muted=[KIND], email_digest=True, language="zh-hans")
    mine = services.items_for(amy, DAY)
    assert [i.kind for i in mine.items] == ["test-other"] and mine.muted == 1


def test_unknown_kinds_cannot_be_muted(source: Source, people: dict[str, User]) -> None:
    from parklink.core.errors import Invalid

    with pytest.raises(Invalid) as caught:
        services.save_preference(people["amy"], muted=["nope"], email_digest=True, language="en")
    assert "nope" in caught.value.message


def test_a_failing_source_does_not_stop_the_others(source: Source, people: dict[str, User]) -> None:
    def broken(day: date) -> list[object]:
        raise RuntimeError("database hiccup")

    source.items = [{"key": 1, "to": [people["amy"].pk]}]
    registry.reminders.add(ReminderSource("test-broken", "坏的", broken, order=1))
    try:
        assert [i.key for i in services.gather(DAY)] == ["1"]
    finally:
        registry.reminders.remove("test-broken")
