"""API authentication: bearer tokens (or a browser session); anything else is a JSON 401."""

from __future__ import annotations

from django.test import Client

from parklink.accounts.models import ApiToken
from parklink.accounts.services import create_token


class TestAuthentication:
    def test_request_without_token_is_401_json(self, users):  # type: ignore[no-untyped-def]
        response = Client().get("/api/v1/projects/")
        assert response.status_code == 401
        assert response.json()["error"] == "unauthenticated"
        assert "detail" in response.json()

    def test_the_401_explains_itself_in_the_clients_language(self, users):  # type: ignore[no-untyped-def]
        chinese = Client().get("/api/v1/projects/").json()["detail"]
        english = Client(headers={"Accept-Language": "en"}).get("/api/v1/projects/").json()
        assert "令牌" in chinese
        assert "token" in english["detail"] and "令牌" not in english["detail"]

    def test_unknown_token_is_401(self, users):  # type: ignore[no-untyped-def]
        client = Client(headers={"Authorization": "Bearer pl_not-a-real-token"})
        assert client.get("/api/v1/parks/").status_code == 401

    def test_revoked_token_is_401(self, users):  # type: ignore[no-untyped-def]
        token = create_token(users["jinniu"], "soon revoked")
        client = Client(headers={"Authorization": f"Bearer {token}"})
        assert client.get("/api/v1/parks/").status_code == 200
        ApiToken.objects.filter(prefix=token[:10]).update(revoked=True)
        assert client.get("/api/v1/parks/").status_code == 401

    def test_token_of_inactive_user_is_401(self, users):  # type: ignore[no-untyped-def]
        token = create_token(users["jinniu"])
        users["jinniu"].is_active = False
        users["jinniu"].save()
        client = Client(headers={"Authorization": f"Bearer {token}"})
        assert client.get("/api/v1/parks/").status_code == 401

    def test_valid_token_records_its_last_use(self, users):  # type: ignore[no-untyped-def]
        token = create_token(users["jinniu"])
        Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/parks/")
        assert ApiToken.objects.get(prefix=token[:10]).last_used_at is not None

    def test_logged_in_browser_session_may_read(self, users):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(users["jinniu"])
        assert client.get("/api/v1/parks/").status_code == 200
