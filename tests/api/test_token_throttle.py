"""Bad bearer tokens are counted per client address; too many make that address wait (429)."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings

from parklink.accounts.models import User
from parklink.accounts.services import create_token

pytestmark = pytest.mark.django_db

HOME = "10.1.0.1"
ELSEWHERE = "10.2.0.2"
LIMIT = 20  # the default PARKLINK_API_TOKEN_FAILURE_LIMIT


def get(token: str, address: str = HOME, **headers: str):  # type: ignore[no-untyped-def]
    client = Client(REMOTE_ADDR=address, headers={"Authorization": f"Bearer {token}", **headers})
    return client.get("/api/v1/parks/")


def send_bad_tokens(count: int, address: str = HOME) -> None:
    for attempt in range(count):
        assert get(f"pl_guess-{attempt}", address).status_code == 401


class TestBadTokenThrottle:
    def test_after_too_many_bad_tokens_even_a_good_one_gets_429(
        self, users: dict[str, User]
    ) -> None:
        good = create_token(users["jinniu"])
        send_bad_tokens(LIMIT)
        response = get(good)
        assert response.status_code == 429
        body = response.json()
        assert body["error"] == "too_many_attempts" and "detail" in body
        assert body["detail"]["retry_after"] == 15 * 60
        assert response["Retry-After"] == "900"

    def test_fewer_bad_tokens_do_not_stop_a_good_one(self, users: dict[str, User]) -> None:
        good = create_token(users["jinniu"])
        send_bad_tokens(LIMIT - 1)
        assert get(good).status_code == 200

    def test_the_429_explains_itself_in_the_clients_language(self, users: dict[str, User]) -> None:
        send_bad_tokens(LIMIT)
        assert "分钟" in get("pl_more").json()["message"]
        english = get("pl_more", **{"Accept-Language": "en"}).json()["message"]
        assert "minute" in english and "分钟" not in english

    def test_another_address_is_not_affected(self, users: dict[str, User]) -> None:
        good = create_token(users["jinniu"])
        send_bad_tokens(LIMIT, address=HOME)
        assert get(good, address=ELSEWHERE).status_code == 200
        assert get("pl_guess", address=ELSEWHERE).status_code == 401

    @override_settings(PARKLINK_API_TOKEN_FAILURE_LIMIT=3, PARKLINK_API_TOKEN_LOCKOUT_MINUTES=1)
    def test_the_address_may_try_again_once_the_window_has_passed(
        self, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        good = create_token(users["jinniu"])
        send_bad_tokens(3)
        response = get(good)
        assert response.status_code == 429 and response["Retry-After"] == "60"
        start = time.time()
        monkeypatch.setattr(time, "time", lambda: start + 30)
        assert get(good)["Retry-After"] == "30"
        monkeypatch.setattr(time, "time", lambda: start + 61)
        assert get(good).status_code == 200

    def test_a_session_without_a_token_is_not_counted(self, users: dict[str, User]) -> None:
        send_bad_tokens(LIMIT)
        client = Client(REMOTE_ADDR=HOME)
        client.force_login(users["jinniu"])
        assert client.get("/api/v1/parks/").status_code == 200

    @override_settings(PARKLINK_PROXY_COUNT=1)
    def test_behind_a_proxy_the_address_the_proxy_saw_is_counted(
        self, users: dict[str, User]
    ) -> None:
        good = create_token(users["jinniu"])
        proxy = "192.0.2.10"
        for attempt in range(LIMIT):
            get(f"pl_guess-{attempt}", proxy, **{"X-Forwarded-For": f"1.2.3.4, {HOME}"})
        assert get(good, proxy, **{"X-Forwarded-For": HOME}).status_code == 429
        assert get(good, proxy, **{"X-Forwarded-For": ELSEWHERE}).status_code == 200

    def test_the_openapi_document_declares_the_429(self, users: dict[str, User]) -> None:
        document = Client().get("/api/v1/openapi.json").json()
        responses = document["paths"]["/api/v1/parks/"]["get"]["responses"]
        assert "429" in responses
        assert responses["429"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ApiError"
        )
