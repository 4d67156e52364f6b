"""The dashboard after a write: the figures from before it, for a bounded time, while exactly one
background task recomputes them; each scope only ever gets figures computed for itself."""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language

from parklink.accounts.models import User
from parklink.projects import dashboard, queries, tasks
from tests.projects import projectworld
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users, today):  # type: ignore[no-untyped-def]
    return projectworld.build(users, today)


class Queue:
    """A task backend whose worker has not run yet: what was queued, to run when the test says."""

    def __init__(self) -> None:
        self.task = tasks.refresh_dashboard  # the real task, run as the worker would
        self.queued: list[tuple[Any, ...]] = []
        self.lock = threading.Lock()

    def enqueue(self, *args: Any) -> None:
        with self.lock:
            self.queued.append(args)

    def run_all(self) -> None:
        while self.queued:
            self.task.call(*self.queued.pop(0))


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Queue:
    found = Queue()
    monkeypatch.setattr(tasks, "refresh_dashboard", _Wrapped(found))
    return found


class _Wrapped:
    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    def enqueue(self, *args: Any) -> None:
        self.queue.enqueue(*args)


def page(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return str(response.content.decode())


def active(html: str) -> int:
    match = re.search(r'data-stat="active">(\d+)<', html)
    assert match
    return int(match.group(1))


def figures_of(board: dashboard.Dashboard) -> tuple[Any, ...]:
    return (board.totals, board.ageing, board.stage_rows, board.off_line, board.charts)


def signed_project(user: User, on: date, name: str = "新签约项目") -> None:
    factories.project(user, name=name, stage="signed", on=on, days_ago=1, sector="新材料")


class TestAfterAWrite:
    def test_previous_figures_are_shown_with_their_time_while_one_task_recomputes(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        city = users["city"]
        before = page(city)
        assert "统计于" in before and "data-stale" not in before
        signed_project(users["jinniu"], today)

        stale = page(city)
        assert active(stale) == active(before)
        assert "统计于" in stale and "data-stale" in stale and "正在更新" in stale
        page(city)
        page(city)
        assert len(queue.queued) == 1, "one recomputation for the scope, however many requests"

        queue.run_all()  # the worker
        after = page(city)
        assert active(after) == active(before) + 1
        assert "data-stale" not in after
        assert queue.queued == []

    def test_once_recomputed_the_figures_equal_a_fresh_computation(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        city = users["city"]
        dashboard.figures(city, today)
        signed_project(users["jinniu"], today)
        factories.project(
            users["qingbaijiang"], name="开工的项目", stage="started", on=today, days_ago=200
        )
        assert dashboard.figures(city, today).stale
        queue.run_all()
        served = dashboard.figures(city, today)
        assert not served.stale
        assert figures_of(served) == figures_of(dashboard.compute(city, today))

    def test_the_writer_sees_the_change_on_the_next_page_once_the_task_ran(  # type: ignore[no-untyped-def]
        self, users, world, today
    ):
        # The tests' task backend runs a task when it is queued, as an idle worker soon does.
        jinniu = users["jinniu"]
        before = active(page(jinniu))
        signed_project(jinniu, today)
        after = page(jinniu)
        assert active(after) == before + 1
        assert "data-stale" not in after

    def test_concurrent_requests_queue_exactly_one_recomputation(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        city = users["city"]
        old = dashboard.figures(city, today)
        signed_project(users["jinniu"], today)
        language = get_language()
        start = threading.Barrier(8)
        served: list[dashboard.Dashboard] = []

        def visit() -> None:
            from django.utils import translation

            translation.activate(language)
            start.wait()
            served.append(dashboard.figures(city, today))

        threads = [threading.Thread(target=visit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(served) == 8
        assert len(queue.queued) == 1
        assert all(b.stale and b.totals == old.totals for b in served)


class TestStalenessIsBounded:
    def test_past_the_bound_the_request_computes_the_figures_itself(  # type: ignore[no-untyped-def]
        self, users, world, today, queue, settings, monkeypatch
    ):
        settings.PARKLINK_DASHBOARD_STALE_SECONDS = 30
        city = users["city"]
        before = active(page(city))
        signed_project(users["jinniu"], today)
        assert active(page(city)) == before  # within the bound: the figures from before
        later = time.time() + 31
        monkeypatch.setattr(dashboard.time, "time", lambda: later)
        fresh = page(city)
        assert active(fresh) == before + 1 and "data-stale" not in fresh

    def test_a_bound_of_zero_never_shows_figures_from_before_a_write(  # type: ignore[no-untyped-def]
        self, users, world, today, queue, settings
    ):
        settings.PARKLINK_DASHBOARD_STALE_SECONDS = 0
        city = users["city"]
        before = active(page(city))
        signed_project(users["jinniu"], today)
        assert active(page(city)) == before + 1
        assert queue.queued == []

    def test_an_unknown_write_time_counts_as_too_old(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        from django.core.cache import cache

        city = users["city"]
        before = active(page(city))
        version = queries.data_version()
        signed_project(users["jinniu"], today)
        cache.delete(f"{queries.CHANGED_KEY}:{version + 1}")  # evicted: when was the write?
        fresh = page(city)
        assert active(fresh) == before + 1 and "data-stale" not in fresh
        assert queue.queued == []

    def test_the_write_time_is_the_first_write_after_the_figures(self, db) -> None:  # type: ignore[no-untyped-def]
        version = queries.data_version()
        assert queries.changed_since(version) is None
        queries.changed()
        first = queries.changed_since(version)
        assert first is not None and abs(first - time.time()) < 5
        queries.changed()
        assert queries.changed_since(version) == first


class TestVisibility:
    def test_figures_from_before_a_write_are_the_users_own_scope(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        province, jinniu, qbj = users["province"], users["jinniu"], users["qingbaijiang"]
        seen = {name: active(page(users[name])) for name in ("province", "jinniu", "qingbaijiang")}
        # A negotiation only its owner sees.
        factories.project(jinniu, name="未签约洽谈", stage="negotiating", on=today)
        # Each user is shown their own scope's figures from before, never another scope's.
        assert active(page(province)) == seen["province"]
        assert active(page(jinniu)) == seen["jinniu"]
        assert active(page(qbj)) == seen["qingbaijiang"]
        assert len(queue.queued) == 3
        queue.run_all()
        assert active(page(jinniu)) == seen["jinniu"] + 1
        assert active(page(province)) == seen["province"]
        assert active(page(qbj)) == seen["qingbaijiang"]

    def test_a_user_without_figures_of_their_own_scope_gets_them_computed(  # type: ignore[no-untyped-def]
        self, users, world, today, queue
    ):
        page(users["province"])
        factories.project(users["jinniu"], name="未签约洽谈", stage="negotiating", on=today)
        # The county's own figures were never computed: no other scope's are shown instead.
        board = dashboard.figures(users["jinniu"], today)
        assert not board.stale
        assert figures_of(board) == figures_of(dashboard.compute(users["jinniu"], today))
        assert queue.queued == []


class TestThroughTheWorker:
    def test_the_database_queue_and_the_worker_recompute_once(  # type: ignore[no-untyped-def]
        self, users, world, today, settings, monkeypatch
    ):
        """Production's path: the request queues a row, `db_worker` (`parklink worker`) runs it.

        The worker runs in the test's own connection, so its closing of old connections
        between tasks is switched off here.
        """
        from django.core.management import call_command
        from django_tasks_db.management.commands import db_worker
        from django_tasks_db.models import DBTaskResult

        monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }
        city = users["city"]
        before = active(page(city))
        signed_project(users["jinniu"], today)
        for _ in range(3):
            stale = page(city)
            assert active(stale) == before and "data-stale" in stale
        assert DBTaskResult.objects.count() == 1

        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

        after = page(city)
        assert active(after) == before + 1 and "data-stale" not in after
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
