"""The queue's pages and endpoints run a fixed number of queries, however many items."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.accounts.models import User
from parklink.intel.services import ingest_text
from tests.intel.conftest import ARTICLE, World, client_for

pytestmark = pytest.mark.django_db


def _article(n: int) -> str:
    return ARTICLE.replace("3月21日", f"3月{n}日").replace("约3亿元", f"约{n}亿元")


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_more_articles_do_not_mean_more_queries(
    world: World, api_client: Callable[[User], Client]
) -> None:
    officer = world.users["zhangye"]
    ingest_text(officer, _article(1))
    page, api = client_for(officer), api_client(officer)
    urls = [
        (page, reverse("intel:queue")),
        (page, reverse("intel:queue") + "?status="),
        (page, reverse("intel:documents")),
        (api, "/api/v1/intel/items/"),
        (api, "/api/v1/intel/documents/"),
        (api, "/api/v1/intel/decisions/"),
    ]
    before = [_count(client, url) for client, url in urls]
    for n in range(2, 6):
        assert not ingest_text(officer, _article(n)).duplicate
    after = [_count(client, url) for client, url in urls]
    assert after == before
