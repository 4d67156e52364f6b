"""/healthz and /readyz: what a load balancer is told in each state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.utils import timezone

from parklink.core import health
from parklink.core.models import WorkerHeartbeat


@pytest.fixture(autouse=True)
def fresh_migration_check() -> Iterator[None]:
    health.forget_migration_check()
    yield
    health.forget_migration_check()


def seen(seconds_ago: int) -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=f"w-{seconds_ago}",
        host="worker-1",
        pid=4242,
        queues="default",
        started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(seconds=seconds_ago),
    )


class TestHealthz:
    def test_the_process_answers_without_touching_the_database(self) -> None:
        # Not marked django_db: any query would fail this test.
        response = Client().get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert "no-store" in response["Cache-Control"]

    def test_only_get(self) -> None:
        assert Client().post("/healthz").status_code == 405


@pytest.mark.django_db
class TestReadyz:
    def test_ready_with_a_recent_worker(self) -> None:
        seen(seconds_ago=5)
        response = Client().get("/readyz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "worker": "ok", "cache": "ok"},
        }

    def test_no_worker_heartbeat_is_not_ready(self) -> None:
        response = Client().get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "not ready"
        assert body["reasons"] == ["no task worker seen in the last 90 s"]

    def test_a_stale_heartbeat_does_not_count(self) -> None:
        seen(seconds_ago=91)
        with override_settings(PARKLINK_WORKER_STALE_SECONDS=90):
            response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["worker"] == "no task worker seen in the last 90 s"

    def test_a_web_only_machine_may_leave_workers_out(self) -> None:
        with override_settings(PARKLINK_READY_NEEDS_WORKER=False):
            response = Client().get("/readyz")
        assert response.status_code == 200

    def test_an_unapplied_migration_is_named(self) -> None:
        from tests.ops.test_backup import latest_migration

        latest = latest_migration("core")
        seen(seconds_ago=1)
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM django_migrations WHERE app = %s AND name = %s",
                ["core", latest],
            )
        response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json()["reasons"] == [f"unapplied migrations: core.{latest}"]

    def test_a_positive_migration_check_is_remembered_a_while(self) -> None:
        seen(seconds_ago=1)
        assert Client().get("/readyz").status_code == 200
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE app = 'core'")
        assert Client().get("/readyz").status_code == 200  # within the minute
        health.forget_migration_check()
        assert Client().get("/readyz").status_code == 503

    def test_a_database_that_does_not_answer(self, monkeypatch: Any) -> None:
        class Down:
            def cursor(self) -> Any:
                raise OperationalError("could not connect to server: Connection refused")

        monkeypatch.setattr(health, "connections", {"default": Down()})
        response = Client().get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["reasons"] == ["database unreachable (OperationalError)"]
        assert "refused" not in response.content.decode()  # no driver detail leaks out


@pytest.mark.django_db
class TestHeartbeat:
    def test_a_beat_writes_the_row_and_stopping_removes_it(self) -> None:
        beat = health.Heartbeat("host-1-99", "default", interval=5)
        beat.beat()
        row = WorkerHeartbeat.objects.get(worker_id="host-1-99")
        assert (timezone.now() - row.seen_at).total_seconds() < 5
        first = row.seen_at
        beat.beat()
        assert WorkerHeartbeat.objects.get(worker_id="host-1-99").seen_at >= first
        assert WorkerHeartbeat.objects.count() == 1
        beat.stop()
        assert not WorkerHeartbeat.objects.exists()

    def test_rows_of_workers_gone_for_a_day_are_dropped(self) -> None:
        seen(seconds_ago=2 * 24 * 3600)
        health.Heartbeat("host-2-1", "default", interval=5).beat()
        assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["host-2-1"]


class TestBehindTls:
    def test_health_checks_are_exempt_from_the_https_redirect(self) -> None:
        with override_settings(SECURE_SSL_REDIRECT=True):
            browser = Client()
            assert browser.get("/healthz").status_code == 200
            login = browser.get("/login/")
        assert login.status_code == 301
        assert login["Location"] == "https://testserver/login/"
