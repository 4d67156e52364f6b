"""Fixtures shared by every test: organisations in nested regions, their users, API clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import Organization, Role, User
from parklink.accounts.services import create_token
from parklink.regions.models import Region
from tests.support import factories, reference

# Fixtures shared by the API tests and the import tests of every app (tests mirror src, so
# they live in the apps' folders and find their fixtures here).
pytest_plugins = ["tests.support.api_world", "tests.support.import_files"]


@pytest.fixture
def region() -> Callable[[str], Region]:
    return factories.region


@pytest.fixture
def make_org(db: Any) -> Callable[..., Organization]:
    return factories.organization


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    return factories.user


@pytest.fixture
def orgs(db: Any) -> dict[str, Organization]:
    """A province, a city inside it, two counties inside the city, and two outsiders."""
    return factories.nested_organizations()


@pytest.fixture
def users(orgs: dict[str, Organization]) -> dict[str, User]:
    made = {key: factories.user(f"{key}_officer", org) for key, org in orgs.items()}
    made["jinniu_viewer"] = factories.user("jinniu_viewer", orgs["jinniu"], role=Role.VIEWER)
    made["root"] = factories.superuser()
    return made


@pytest.fixture
def api_client() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        token = create_token(user)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in Chinese; a request in English must not leak into the next test."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Counts kept in the cache (bad API tokens per address) do not carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.fixture(autouse=True)
def _reference_tables_kept(request: pytest.FixtureRequest) -> None:
    """Before the first transactional test flushes the database, copy the reference tables."""
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        reference.remember()
        reference.restore()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test's flush, refill the reference tables for the tests after it."""
    yield
    if nextitem is None or not _is_transactional(item):
        return  # the last test: the test database is gone
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        reference.restore()
