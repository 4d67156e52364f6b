"""Error pages (403/404/500): the user's language, the request id, never a traceback."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from tests.ops.urls_failing import SECRET_DETAIL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls_failing")]


def client(language: str) -> Client:
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)


class TestServerError:
    @pytest.mark.parametrize("debug", [False])
    def test_the_500_page_shows_the_request_id_and_nothing_of_the_failure(
        self, debug: bool
    ) -> None:
        with override_settings(DEBUG=debug):
            response = client("zh-hans").get("/ops-test/crash/")
        assert response.status_code == 500
        page = response.content.decode()
        assert "服务器内部错误" in page
        request_id = response["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        assert f'<code id="request-id">{request_id}</code>' in page
        for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "hunter2", "crash"):
            assert leak not in page

    def test_the_500_page_keeps_the_callers_request_id(self) -> None:
        response = Client(raise_request_exception=False).get(
            "/ops-test/crash/", headers={"X-Request-ID": "nginx-7f3a9c"}
        )
        assert response.status_code == 500
        assert "nginx-7f3a9c" in response.content.decode()

    def test_the_500_page_speaks_the_users_language(self) -> None:
        response = client("en").get("/ops-test/crash/")
        assert response.status_code == 500
        assert '<html lang="en">' in response.content.decode()
        response = client("zh-hans").get("/ops-test/crash/")
        assert '<html lang="zh-hans">' in response.content.decode()


class TestApiServerError:
    def test_an_api_client_gets_json_with_the_request_id(self) -> None:
        response = client("zh-hans").get("/api/v1/ops-test/crash/")
        assert response.status_code == 500
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["error"] == "server_error"
        assert body["detail"] == {"request_id": response["X-Request-ID"]}
        assert SECRET_DETAIL not in response.content.decode()


class TestNotFound:
    def test_chinese(self) -> None:
        response = client("zh-hans").get("/no-such-page/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "页面不存在" in page
        assert response["X-Request-ID"] in page
        assert "Traceback" not in page

    def test_english(self) -> None:
        response = client("en").get("/no-such-page/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "Page not found" in page
        assert response["X-Request-ID"] in page


class TestForbidden:
    def test_chinese(self) -> None:
        response = client("zh-hans").get("/ops-test/refuse/")
        assert response.status_code == 403
        page = response.content.decode()
        assert "无权操作" in page
        assert response["X-Request-ID"] in page

    def test_english(self) -> None:
        response = client("en").get("/ops-test/refuse/")
        assert response.status_code == 403
        page = response.content.decode()
        assert "Not allowed" in page
        assert response["X-Request-ID"] in page
        assert "Traceback" not in page


class TestCsrfFailure:
    def test_an_expired_form_gets_the_403_page_in_chinese(self) -> None:
        browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
        response = browser.post("/login/", {"username": "x", "password": "y"})
        assert response.status_code == 403
        page = response.content.decode()
        assert "页面已过期" in page
        assert response["X-Request-ID"] in page
        assert "CSRF token" not in page and "Referer" not in page  # no technical reason
