"""Settings read from the environment: what a server gets outside debug mode and in debug mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOWN = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STORAGES",
    "DATABASES",
    "PARKLINK_READ_REPLICA",
    "MIDDLEWARE",
)
PROBE = (
    "import json, parklink.settings as s; "
    f"print(json.dumps({{name: getattr(s, name, None) for name in {SHOWN!r}}}, default=str))"
)


def settings_under(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import parklink.settings in a fresh interpreter (no pytest in it) with only `env` set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PARKLINK_", "DJANGO_"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DATABASE_REPLICA_URL"}
    }
    clean.update(PARKLINK_VAR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=ROOT, capture_output=True, text=True
    )


def values(tmp_path: Path, **env: str) -> dict[str, object]:
    done = settings_under(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


class TestSettingsOutsideDebug:
    def test_a_server_without_a_secret_key_refuses_to_start(self, tmp_path: Path) -> None:
        done = settings_under(tmp_path)
        assert done.returncode != 0
        assert "SECRET_KEY must be set" in done.stderr

    def test_cookies_travel_only_over_https(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret")
        assert found["DEBUG"] is False
        assert found["SESSION_COOKIE_SECURE"] is True
        assert found["CSRF_COOKIE_SECURE"] is True

    def test_hosts_default_to_this_machine_only(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret")
        assert found["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]

    def test_lists_written_with_spaces_after_the_commas_are_read_clean(
        self, tmp_path: Path
    ) -> None:
        found = values(
            tmp_path,
            SECRET_KEY="a-real-secret",
            ALLOWED_HOSTS="parklink.example.org, www.parklink.example.org ,",
            CSRF_TRUSTED_ORIGINS="https://parklink.example.org, https://www.parklink.example.org",
        )
        assert found["ALLOWED_HOSTS"] == ["parklink.example.org", "www.parklink.example.org"]
        assert found["CSRF_TRUSTED_ORIGINS"] == [
            "https://parklink.example.org",
            "https://www.parklink.example.org",
        ]

    def test_a_plain_http_intranet_may_turn_secure_cookies_off(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret", PARKLINK_SECURE_COOKIES="0")
        assert found["SESSION_COOKIE_SECURE"] is False
        assert found["CSRF_COOKIE_SECURE"] is False


class TestBehindATlsProxy:
    def test_nothing_is_trusted_or_forced_by_default(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret")
        assert found["SECURE_PROXY_SSL_HEADER"] is None
        assert found["SECURE_SSL_REDIRECT"] is False
        assert found["SECURE_HSTS_SECONDS"] == 0

    def test_the_environment_switches_proxy_header_redirect_and_hsts(self, tmp_path: Path) -> None:
        found = values(
            tmp_path,
            SECRET_KEY="a-real-secret",
            PARKLINK_BEHIND_TLS_PROXY="1",
            PARKLINK_SSL_REDIRECT="1",
            PARKLINK_HSTS_SECONDS="31536000",
            PARKLINK_HSTS_INCLUDE_SUBDOMAINS="1",
            PARKLINK_HSTS_PRELOAD="1",
        )
        assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
        assert found["SECURE_SSL_REDIRECT"] is True
        assert found["SECURE_HSTS_SECONDS"] == 31536000
        assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
        assert found["SECURE_HSTS_PRELOAD"] is True


class TestStaticFilesAndStorage:
    def test_static_files_are_hashed_and_compressed_outside_the_tests(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret")
        storages = found["STORAGES"]
        assert isinstance(storages, dict)
        assert storages["staticfiles"]["BACKEND"] == (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
        middleware = found["MIDDLEWARE"]
        assert isinstance(middleware, list)
        assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 2

    def test_an_s3_url_configures_a_bucket(self, tmp_path: Path) -> None:
        found = values(
            tmp_path,
            SECRET_KEY="a-real-secret",
            PARKLINK_STORAGE_URL=(
                "s3://parklink-files/prod?endpoint_url=https://oss.example.cn&region_name=cn-x"
            ),
        )
        storages = found["STORAGES"]
        assert isinstance(storages, dict)
        default = storages["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == "parklink-files"
        assert default["OPTIONS"]["location"] == "prod"
        assert default["OPTIONS"]["endpoint_url"] == "https://oss.example.cn"
        assert default["OPTIONS"]["region_name"] == "cn-x"

    def test_a_storage_url_of_another_kind_is_refused(self, tmp_path: Path) -> None:
        done = settings_under(tmp_path, SECRET_KEY="x", PARKLINK_STORAGE_URL="ftp://files/x")
        assert done.returncode != 0
        assert "PARKLINK_STORAGE_URL must be empty or s3://" in done.stderr


class TestReadReplica:
    def test_no_replica_unless_configured(self, tmp_path: Path) -> None:
        found = values(tmp_path, SECRET_KEY="a-real-secret")
        databases = found["DATABASES"]
        assert isinstance(databases, dict)
        assert set(databases) == {"default"}
        assert found["PARKLINK_READ_REPLICA"] == ""

    def test_a_replica_url_adds_the_alias_the_router_reads_from(self, tmp_path: Path) -> None:
        found = values(
            tmp_path,
            SECRET_KEY="a-real-secret",
            DATABASE_URL="postgresql://parklink:pw@primary.internal:5432/parklink",
            DATABASE_REPLICA_URL="postgresql://parklink:pw@replica.internal:5432/parklink",
        )
        databases = found["DATABASES"]
        assert isinstance(databases, dict)
        assert databases["replica"]["HOST"] == "replica.internal"
        assert databases["default"]["HOST"] == "primary.internal"
        assert found["PARKLINK_READ_REPLICA"] == "replica"


class TestSettingsInDebug:
    @pytest.mark.parametrize("flag", ["1", "true"])
    def test_debug_serves_plain_http_without_a_secret(self, tmp_path: Path, flag: str) -> None:
        found = values(tmp_path, PARKLINK_DEBUG=flag)
        assert found["DEBUG"] is True
        assert found["SESSION_COOKIE_SECURE"] is False
        assert found["ALLOWED_HOSTS"] == ["*"]


# A transaction that reads and then writes, while another connection has started writing in
# between: the situation two concurrent requests on the default SQLite database create.
SQLITE_PROBE = """
import sqlite3

import django

django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (n integer)")
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM probe")
    try:
        other.execute("BEGIN")
        other.execute("INSERT INTO probe VALUES (2)")
    except sqlite3.OperationalError:
        pass  # the other writer has to wait for this transaction (here it gives up at once)
    cursor.execute("INSERT INTO probe VALUES (1)")
print("written")
"""


class TestSqliteDatabase:
    def test_a_transaction_that_reads_first_is_not_refused_when_another_writer_came_in_between(
        self, tmp_path: Path
    ) -> None:
        clean = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PARKLINK_", "DJANGO_")) and key != "DATABASE_URL"
        }
        clean.update(
            PARKLINK_VAR=str(tmp_path),
            PARKLINK_DEBUG="1",
            DJANGO_SETTINGS_MODULE="parklink.settings",
        )
        done = subprocess.run(
            [sys.executable, "-c", SQLITE_PROBE],
            env=clean,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "written"
