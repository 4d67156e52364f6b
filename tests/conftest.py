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


@pytest.fixture
def region() -> Callable[[str], Region]:
    return lambda adcode: Region.objects.get(adcode=adcode)


@pytest.fixture
def make_org(db: Any) -> Callable[..., Organization]:
    def make(name: str, adcode: str, kind: str = "investment_bureau") -> Organization:
        return Organization.objects.create(
            name=name, kind=kind, region=Region.objects.get(adcode=adcode)
        )

    return make


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(
        username: str, org: Organization | None, role: str = Role.OFFICER, **extra: Any
    ) -> User:
        return User.objects.create_user(
            username=username, password="pw-" + username * 2, organization=org, role=role, **extra
        )

    return make


@pytest.fixture
def orgs(make_org: Callable[..., Organization]) -> dict[str, Organization]:
    """A province, a city inside it, two counties inside the city, and an outsider."""
    return {
        "province": make_org("四川省投资促进局", "510000"),
        "city": make_org("成都市投资促进局", "510100"),
        "jinniu": make_org("金牛区投资促进局", "510106"),
        "qingbaijiang": make_org("青白江区投资促进局", "510113"),
        "dege": make_org("德格县人民政府", "513330", kind="government"),
        "zhangye": make_org("张掖经开区管委会", "620700", kind="park_committee"),
    }


@pytest.fixture
def users(orgs: dict[str, Organization], make_user: Callable[..., User]) -> dict[str, User]:
    made = {key: make_user(f"{key}_officer", org) for key, org in orgs.items()}
    made["jinniu_viewer"] = make_user("jinniu_viewer", orgs["jinniu"], role=Role.VIEWER)
    made["root"] = User.objects.create_superuser("root", "root@example.org", "pw-rootroot")
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
