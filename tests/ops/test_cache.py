"""Shared state: the cache chosen by PARKLINK_CACHE_URL, shared between processes.

The Redis tests start their own redis-server (tests/ops/conftest.py); `make test` installs
Debian's. Under CI=true a missing redis-server fails them, elsewhere they skip naming it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings

from parklink.core.throttle import FailureWindow, TooManyAttempts
from parklink.settings import cache_backend
from tests.ops.support import PARKLINK, ROOT, production_env

SETTINGS_PROBE = (
    "import json, parklink.settings as s; "
    "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE "
    "if hasattr(s, 'SESSION_ENGINE') else 'django.contrib.sessions.backends.db']))"
)


class TestCacheSetting:
    def test_empty_is_this_process_only(self) -> None:
        assert cache_backend("")["BACKEND"].endswith("LocMemCache")
        assert cache_backend("locmem://")["BACKEND"].endswith("LocMemCache")

    def test_redis_uses_djangos_redis_cache(self) -> None:
        found = cache_backend("redis://cache.internal:6379/2")
        assert found["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert found["LOCATION"] == "redis://cache.internal:6379/2"

    def test_db_uses_the_cache_table(self) -> None:
        found = cache_backend("db://")
        assert found == {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "parklink_cache",
        }

    def test_anything_else_is_refused_by_name(self) -> None:
        with pytest.raises(ImproperlyConfigured, match="PARKLINK_CACHE_URL"):
            cache_backend("memcached://x:11211")

    @pytest.mark.parametrize(
        ("url", "backend", "sessions"),
        [
            ("", "LocMemCache", "sessions.backends.db"),
            ("redis://127.0.0.1:6379/0", "RedisCache", "sessions.backends.cached_db"),
            ("db://", "DatabaseCache", "sessions.backends.db"),
        ],
    )
    def test_sessions_are_cached_only_in_redis(
        self, tmp_path: Path, url: str, backend: str, sessions: str
    ) -> None:
        env = production_env(tmp_path, PARKLINK_CACHE_URL=url)
        done = subprocess.run(
            [PARKLINK[0], "-c", SETTINGS_PROBE], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        found_backend, found_sessions = json.loads(done.stdout.strip().splitlines()[-1])
        assert found_backend.endswith(backend)
        assert found_sessions.endswith(sessions)


class TestRedis:
    def test_two_clients_see_each_others_values(self, redis_url: str) -> None:
        config = cache_backend(redis_url)
        params = {"KEY_PREFIX": config["KEY_PREFIX"], "OPTIONS": config["OPTIONS"]}
        one = RedisCache(redis_url, params)
        two = RedisCache(redis_url, params)
        one.set("dashboard:510000", {"signed": 12}, timeout=30)
        assert two.get("dashboard:510000") == {"signed": 12}
        two.delete("dashboard:510000")
        assert one.get("dashboard:510000") is None

    def test_throttling_counts_add_up_across_processes(
        self, redis_url: str, tmp_path: Path
    ) -> None:
        window = FailureWindow("api-token", limit=3, seconds=60)
        with override_settings(CACHES={"default": cache_backend(redis_url)}):
            cache.clear()
            window.fail("203.0.113.9")
            window.fail("203.0.113.9")
            window.check("203.0.113.9")  # two failures: still allowed
            other = (
                "import django; django.setup(); "
                "from parklink.core.throttle import FailureWindow; "
                "FailureWindow('api-token', limit=3, seconds=60).fail('203.0.113.9')"
            )
            env = production_env(
                tmp_path, PARKLINK_CACHE_URL=redis_url, DJANGO_SETTINGS_MODULE="parklink.settings"
            )
            done = subprocess.run(
                [PARKLINK[0], "-c", other], env=env, cwd=ROOT, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stderr
            with pytest.raises(TooManyAttempts):
                window.check("203.0.113.9")
            window.check("203.0.113.10")  # another address is not locked
            cache.clear()

    def test_concurrent_failures_from_many_processes_are_all_counted(
        self, redis_url: str, tmp_path: Path
    ) -> None:
        window = FailureWindow("api-token", limit=1000, seconds=60)
        burst = (
            "import django; django.setup(); "
            "from parklink.core.throttle import FailureWindow; "
            "w = FailureWindow('api-token', limit=1000, seconds=60); "
            "[w.fail('198.51.100.7') for _ in range(25)]"
        )
        env = production_env(
            tmp_path, PARKLINK_CACHE_URL=redis_url, DJANGO_SETTINGS_MODULE="parklink.settings"
        )
        with override_settings(CACHES={"default": cache_backend(redis_url)}):
            cache.clear()
            processes = [
                subprocess.Popen(
                    [PARKLINK[0], "-c", burst],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(4)
            ]
            for process in processes:
                _out, errors = process.communicate(timeout=120)
                assert process.returncode == 0, errors
            assert cache.get(f"{window._key('198.51.100.7')}:n") == 100
            cache.clear()

    @pytest.mark.django_db
    def test_readyz_names_an_unreachable_cache(self, redis_url: str) -> None:
        closed = "redis://127.0.0.1:1/0"
        with override_settings(CACHES={"default": cache_backend(closed)}):
            response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] == "cache unreachable (ConnectionError)"
        with override_settings(CACHES={"default": cache_backend(redis_url)}):
            response = Client().get("/readyz")
        assert response.json()["checks"]["cache"] == "ok"

    @pytest.mark.django_db
    def test_a_session_survives_in_the_shared_cache(self, redis_url: str) -> None:
        from tests.support import factories

        orgs = factories.nested_organizations()
        with override_settings(
            CACHES={"default": cache_backend(redis_url)},
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        ):
            user = factories.user("cache_user", orgs["province"])
            browser = Client()
            browser.force_login(user)
            key = browser.cookies["sessionid"].value
            other = RedisCache(redis_url, {"KEY_PREFIX": "parklink"})
            stored = other.get(f"django.contrib.sessions.cached_db{key}")
            assert stored["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
class TestDatabaseCache:
    def test_the_cache_table_is_shared_by_two_clients(self) -> None:
        with override_settings(CACHES={"default": cache_backend("db://")}):
            call_command("createcachetable", verbosity=0)
            cache.set("parklink:probe", [1, 2, 3], timeout=30)
            other = DatabaseCache("parklink_cache", {})
            assert other.get("parklink:probe") == [1, 2, 3]
