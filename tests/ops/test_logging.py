"""Log lines: JSON or text, the request id on each, slow requests and slow queries."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from parklink.core.observability import (
    JsonFormatter,
    RequestIdFilter,
    accepted_request_id,
    slow_query,
)
from tests.ops.support import PARKLINK, ROOT, production_env

HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the console handler would print with PARKLINK_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


class TestRequestId:
    @pytest.mark.parametrize("sane", ["abc", "lb-01.req:42", "9f1c" * 8, "A" * 128])
    def test_a_sane_incoming_id_is_kept(self, sane: str) -> None:
        assert accepted_request_id(sane) == sane

    @pytest.mark.parametrize(
        "insane", [None, "", "a b", "x\nINFO forged line", '"quoted"', "A" * 129, "-lead", "中文"]
    )
    def test_anything_else_gets_a_new_id(self, insane: str | None) -> None:
        assert HEX32.match(accepted_request_id(insane))

    def test_every_response_carries_its_id(self) -> None:
        first = Client().get("/healthz")
        second = Client().get("/healthz")
        assert HEX32.match(first["X-Request-ID"])
        assert first["X-Request-ID"] != second["X-Request-ID"]
        echoed = Client().get("/healthz", headers={"X-Request-ID": "edge-42"})
        assert echoed["X-Request-ID"] == "edge-42"


@pytest.mark.django_db
class TestJsonLines:
    def test_a_line_written_during_a_request_names_that_request(
        self, json_lines: io.StringIO
    ) -> None:
        response = Client().get("/readyz", headers={"X-Request-ID": "probe-7"})
        assert response.status_code == 503  # no worker: parklink.health logs a warning
        found = [line for line in lines(json_lines) if line["logger"] == "parklink.health"]
        assert len(found) == 1
        line = found[0]
        assert line["request_id"] == "probe-7"
        assert line["level"] == "WARNING"
        assert line["message"] == "not ready: no task worker seen in the last 90 s"
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", str(line["time"]))

    def test_slow_requests_are_logged_with_their_figures(self, json_lines: io.StringIO) -> None:
        with override_settings(PARKLINK_SLOW_REQUEST_MS=1, PARKLINK_SLOW_QUERY_MS=0):
            response = Client().get("/login/")
        found = [line for line in lines(json_lines) if line["logger"] == "parklink.requests"]
        assert len(found) == 1, found
        line = found[0]
        assert line["request_id"] == response["X-Request-ID"]
        assert (line["method"], line["path"], line["status"]) == ("GET", "/login/", 200)
        assert float(str(line["duration_ms"])) >= 1
        assert isinstance(line["queries"], int)
        assert str(line["message"]).startswith("slow request: GET /login/ 200 ")

    def test_fast_requests_are_quiet_unless_asked(
        self, json_lines: io.StringIO, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="parklink.requests")  # LOG_LEVEL=INFO outside tests
        with override_settings(PARKLINK_SLOW_REQUEST_MS=60_000):
            Client().get("/healthz")
        assert not [line for line in lines(json_lines) if line["logger"] == "parklink.requests"]
        with override_settings(PARKLINK_SLOW_REQUEST_MS=60_000, PARKLINK_LOG_REQUESTS=True):
            Client().get("/healthz")
        found = [line for line in lines(json_lines) if line["logger"] == "parklink.requests"]
        assert [line["level"] for line in found] == ["INFO"]
        assert found[0]["status"] == 200

    def test_an_exception_keeps_its_traceback_in_the_log_only(
        self, json_lines: io.StringIO
    ) -> None:
        log = logging.getLogger("parklink.test")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
        line = next(line for line in lines(json_lines) if line["logger"] == "parklink.test")
        assert line["request_id"] == "-"
        assert "ValueError: boom" in str(line["exception"])


@pytest.mark.django_db
class TestSlowQueries:
    def slow_sql(self) -> str:
        if connection.vendor == "postgresql":
            return "SELECT pg_sleep(0.05), %s"
        return (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) "
            "SELECT count(*), %s FROM n"
        )

    def test_a_slow_statement_is_logged_without_its_parameters(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with (
            override_settings(PARKLINK_SLOW_QUERY_MS=5),
            caplog.at_level(logging.WARNING, logger="parklink.sql"),
            connection.cursor() as cursor,
        ):
            cursor.execute(self.slow_sql(), ["personal-secret-value"])
        records = [record for record in caplog.records if record.name == "parklink.sql"]
        assert len(records) == 1
        record = records[0]
        assert record.duration_ms >= 5  # type: ignore[attr-defined]
        assert record.database == "default"  # type: ignore[attr-defined]
        assert "pg_sleep" in record.sql or "RECURSIVE" in record.sql  # type: ignore[attr-defined]
        assert "personal-secret-value" not in record.getMessage()

    def test_fast_statements_and_a_zero_threshold_log_nothing(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING, logger="parklink.sql"):
            with override_settings(PARKLINK_SLOW_QUERY_MS=60_000), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            with override_settings(PARKLINK_SLOW_QUERY_MS=0), connection.cursor() as cursor:
                cursor.execute(self.slow_sql(), ["x"])
        assert not [record for record in caplog.records if record.name == "parklink.sql"]

    def test_every_connection_runs_through_the_wrapper(self) -> None:
        connection.ensure_connection()
        assert slow_query in connection.execute_wrappers
        assert connection.execute_wrappers.count(slow_query) == 1


# A request in a process configured as in production: its log lines as printed.
REQUEST_PROBE = (
    "import django; django.setup(); from django.test import Client; "
    "response = Client().get('/readyz', headers={'X-Request-ID': 'probe-42'}); "
    "print(response.status_code, response['X-Request-ID'])"
)


class TestFormats:
    def run_request(self, tmp_path: Path, fmt: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / "static").mkdir()  # as collectstatic leaves it (no warning about it)
        env = production_env(
            tmp_path,
            PARKLINK_LOG_FORMAT=fmt,
            LOG_LEVEL="INFO",
            ALLOWED_HOSTS="testserver",
            DJANGO_SETTINGS_MODULE="parklink.settings",
        )
        return subprocess.run(
            [PARKLINK[0], "-c", REQUEST_PROBE],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_json_every_line_parses_and_names_the_request(self, tmp_path: Path) -> None:
        done = self.run_request(tmp_path, "json")
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["503", "probe-42"]  # not migrated: not ready
        logged = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
        assert logged, "the not-ready warning was not logged"
        for entry in logged:
            assert {"time", "level", "logger", "message", "request_id"} <= set(entry)
        health = [entry for entry in logged if entry["logger"] == "parklink.health"]
        assert [entry["request_id"] for entry in health] == ["probe-42"]
        assert str(health[0]["message"]).startswith("not ready: unapplied migrations: ")

    def test_text_lines_carry_the_request_id(self, tmp_path: Path) -> None:
        done = self.run_request(tmp_path, "text")
        assert done.returncode == 0, done.stderr
        logged = [line for line in done.stderr.splitlines() if line.strip()]
        assert any(
            " WARNING parklink.health [probe-42] not ready: unapplied migrations" in line
            for line in logged
        ), logged

    def test_an_unknown_format_is_refused_by_name(self, tmp_path: Path) -> None:
        done = self.run_request(tmp_path, "xml")
        assert done.returncode != 0
        assert "PARKLINK_LOG_FORMAT must be json or text" in done.stderr
