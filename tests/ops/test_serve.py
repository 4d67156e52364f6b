"""`parklink serve`: the gunicorn configuration it builds, and a real start answering requests.

The real server runs outside debug mode on its own SQLite database and collected static
files: every static URL a page names must resolve (hashed name, compressed copy, a year's
cache), /healthz must answer, /readyz must wait for a task worker and see it go.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from parklink.core import serving
from tests.ops.support import (
    PARKLINK,
    ROOT,
    free_port,
    parklink,
    production_env,
    suite_database_env,
)


class TestGunicornConfig:
    def test_defaults_come_from_the_settings(self) -> None:
        with override_settings(
            PARKLINK_BIND="0.0.0.0:9001", PARKLINK_WORKERS=3, PARKLINK_TIMEOUT=45
        ):
            config = serving.gunicorn_config()
        assert config["bind"] == ["0.0.0.0:9001"]
        assert config["workers"] == 3
        assert config["timeout"] == 45
        assert config["graceful_timeout"] == 30
        assert config["worker_class"] == "sync"
        assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0

    def test_arguments_win_over_the_settings(self) -> None:
        with override_settings(PARKLINK_BIND="0.0.0.0:9001", PARKLINK_WORKERS=3):
            config = serving.gunicorn_config(bind="unix:/run/parklink.sock", workers=9, timeout=5)
        assert config["bind"] == ["unix:/run/parklink.sock"]
        assert config["workers"] == 9
        assert (config["timeout"], config["graceful_timeout"]) == (5, 5)

    def test_workers_default_to_twice_the_cores_plus_one(self) -> None:
        assert serving.default_workers(2) == 5
        assert serving.default_workers(8) == 17
        with override_settings(PARKLINK_WORKERS=0):
            assert serving.gunicorn_config()["workers"] == serving.default_workers()

    @pytest.mark.parametrize("bind", ["8000", "localhost", "host:99999", "a b:80", "unix:"])
    def test_a_bad_address_is_refused_by_name(self, bind: str) -> None:
        with pytest.raises(ImproperlyConfigured, match="HOST:PORT"):
            serving.gunicorn_config(bind=bind)

    def test_ipv6_addresses_are_accepted(self) -> None:
        assert serving.gunicorn_config(bind="[::1]:8000")["bind"] == ["[::1]:8000"]

    def test_gunicorn_logs_in_parklinks_format(self) -> None:
        with override_settings(PARKLINK_LOG_FORMAT="json"):
            logging = serving.gunicorn_config()["logconfig_dict"]
        assert logging["handlers"]["console"]["formatter"] == "json"
        assert "gunicorn.error" in logging["loggers"]

    def test_the_command_hands_its_options_to_gunicorn(self, monkeypatch: Any) -> None:
        seen: list[dict[str, Any]] = []
        monkeypatch.setattr(serving, "serve", seen.append)
        call_command("serve", "--bind", "127.0.0.1:9100", "--workers", "2", "--timeout", "30")
        assert seen[0]["bind"] == ["127.0.0.1:9100"]
        assert (seen[0]["workers"], seen[0]["timeout"]) == (2, 30)

    def test_the_command_refuses_a_bad_address(self, monkeypatch: Any) -> None:
        monkeypatch.setattr(serving, "serve", lambda config: None)
        with pytest.raises(CommandError, match="HOST:PORT"):
            call_command("serve", "--bind", "nowhere")

    def test_the_environment_sets_the_defaults(self, tmp_path: Path) -> None:
        probe = (
            "import django, json; django.setup(); "
            "from parklink.core.serving import gunicorn_config as g; c = g(); "
            "print(json.dumps([c['bind'], c['workers'], c['timeout']]))"
        )
        env = production_env(
            tmp_path,
            PARKLINK_BIND="0.0.0.0:8123",
            PARKLINK_WORKERS="7",
            PARKLINK_TIMEOUT="20",
            DJANGO_SETTINGS_MODULE="parklink.settings",
        )
        done = subprocess.run(
            [PARKLINK[0], "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == [["0.0.0.0:8123"], 7, 20]


# A real server ---------------------------------------------------------------------------------


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.communicate()}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM, as systemd stops it. A worker still booting when the signal comes is waited
    for up to the graceful timeout (30 s here) before gunicorn ends it, so wait longer."""
    process.send_signal(signal.SIGTERM)
    try:
        _out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    return err


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """An installation as `make install` leaves it: migrated, static files collected."""
    var = tmp_path_factory.mktemp("served")
    # SQLite, or a PostgreSQL database of its own when the suite runs on PostgreSQL.
    env = production_env(var, **suite_database_env("parklink_ops_served"))
    for args in (("migrate", "--no-input", "-v", "0"), ("collectstatic", "--no-input", "-v", "0")):
        done = parklink(env, *args)
        assert done.returncode == 0, done.stderr
    return var, env


@pytest.fixture
def server(installed: tuple[Path, dict[str, str]]) -> Iterator[str]:
    _var, env = installed
    port = free_port()
    process = subprocess.Popen(
        [*PARKLINK, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30"],
        env={**env, "PARKLINK_WORKER_STALE_SECONDS": "30"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz", process)
    yield base
    errors = stop(process)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors


class TestRealServer:
    def test_healthz_answers_with_a_request_id(self, server: str) -> None:
        status, headers, body = fetch(f"{server}/healthz", **{"X-Request-ID": "lb-check-0001"})
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        assert headers["X-Request-ID"] == "lb-check-0001"
        assert "no-store" in headers["Cache-Control"]

    def test_readyz_waits_for_a_worker_and_sees_it_leave(
        self, server: str, installed: tuple[Path, dict[str, str]]
    ) -> None:
        status, _headers, body = fetch(f"{server}/readyz")
        assert status == 503
        assert json.loads(body)["checks"]["worker"].startswith("no task worker seen")
        _var, env = installed
        worker = subprocess.Popen(
            [*PARKLINK, "worker", "--interval", "0.5", "--no-startup-delay", "-v", "0"],
            env={**env, "PARKLINK_HEARTBEAT_SECONDS": "1"},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                status, _headers, body = fetch(f"{server}/readyz")
                if status == 200:
                    break
                time.sleep(0.3)
            assert status == 200, body
            assert json.loads(body) == {
                "status": "ready",
                "checks": {"database": "ok", "migrations": "ok", "worker": "ok", "cache": "ok"},
            }
        finally:
            errors = stop(worker)
        assert worker.returncode == 0, errors
        # A worker that stops says goodbye: its heartbeat goes at once.
        status, _headers, body = fetch(f"{server}/readyz")
        assert status == 503, body

    def test_every_static_file_a_page_names_is_served_hashed_compressed_and_cached(
        self, server: str
    ) -> None:
        status, _headers, body = fetch(f"{server}/login/")
        assert status == 200
        page = body.decode()
        urls = sorted(set(re.findall(r"""(?:href|src)="(/static/[^"]+)\"""", page)))
        assert any(url.endswith(".css") for url in urls), urls
        assert any("htmx" in url for url in urls), urls
        for url in urls:
            assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} has no hashed name"
            status, headers, content = fetch(f"{server}{url}", **{"Accept-Encoding": "gzip"})
            assert status == 200, url
            assert content
            assert "max-age=31536000" in headers["Cache-Control"], url
            assert headers.get("Content-Encoding") == "gzip", url

    def test_the_chart_library_and_the_admins_files_are_served_too(
        self, server: str, installed: tuple[Path, dict[str, str]]
    ) -> None:
        var, _env = installed
        manifest = json.loads((var / "static" / "staticfiles.json").read_text("utf-8"))["paths"]
        wanted = [name for name in manifest if "echarts" in name and name.endswith(".js")]
        wanted += ["admin/css/base.css"]
        assert len(wanted) >= 2, sorted(manifest)[:20]
        for name in wanted:
            status, headers, _content = fetch(f"{server}/static/{manifest[name]}")
            assert status == 200, name
            assert (
                "immutable" in headers["Cache-Control"]
                or "max-age=31536000" in headers["Cache-Control"]
            )
