"""The members list makes a fixed number of SQL queries, however many members.

The count is pinned in tests/web_query_counts_accounts.json, so an N+1 regression fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.accounts.models import Organization, Role, User
from parklink.accounts.services import create_token

PINNED: dict[str, int] = json.loads(
    (Path(__file__).parent.parent / "web_query_counts_accounts.json").read_text()
)
SIZES = (5, 25)
ROLES = (Role.ADMIN, Role.OFFICER, Role.VIEWER)

pytestmark = pytest.mark.django_db


def fill(org: Organization, count: int, make_user: Callable[..., User]) -> None:
    """Top the organisation up to `count` members of every role, some inactive, with tokens."""
    have = User.objects.filter(organization=org).count()
    for number in range(have, count):
        user = make_user(
            f"member{number:02d}",
            org,
            role=ROLES[number % len(ROLES)],
            is_active=number % 4 != 0,
            display_name=f"成员{number}",
        )
        create_token(user)


def queries(user: User, url: str, params: dict[str, str]) -> int:
    client = Client()
    client.force_login(user)
    client.get(url, params)  # warm-up: caches that fill once per process are not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


class TestQueryCounts:
    def test_members_list_makes_the_pinned_number_of_queries_for_5_and_25_members(
        self, orgs: dict[str, Organization], make_user: Callable[..., User]
    ) -> None:
        admin = make_user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN)
        counts = []
        for size in SIZES:
            fill(orgs["jinniu"], size, make_user)
            counts.append(queries(admin, reverse("accounts:members"), {}))
        assert counts == [PINNED["accounts:members"]] * len(SIZES), counts

    def test_installation_admins_members_list_is_pinned_too(
        self, orgs: dict[str, Organization], users: dict[str, User], make_user: Callable[..., User]
    ) -> None:
        counts = []
        params = {"org": str(orgs["jinniu"].pk)}
        for size in SIZES:
            fill(orgs["jinniu"], size, make_user)
            counts.append(queries(users["root"], reverse("accounts:members"), params))
        assert counts == [PINNED["accounts:members chosen"]] * len(SIZES), counts

    def test_account_page_makes_the_pinned_number_of_queries_for_5_and_25_tokens(
        self, users: dict[str, User]
    ) -> None:
        user = users["jinniu"]
        counts = []
        for size in SIZES:
            while user.api_tokens.count() < size:
                create_token(user, "etl")
            counts.append(queries(user, reverse("accounts:account"), {}))
        assert counts == [PINNED["accounts:account"]] * len(SIZES), counts
