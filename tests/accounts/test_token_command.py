"""`parklink token create|revoke|list`: tokens for the API, managed from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.__main__ import main
from parklink.accounts.models import ApiToken
from parklink.accounts.services import user_for_token


def _run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


class TestTokenCommand:
    def test_create_prints_a_token_that_authenticates(self, users):  # type: ignore[no-untyped-def]
        token = _run("create", "jinniu_officer", "--name", "数据同步").strip()
        assert user_for_token(token) == users["jinniu"]
        assert ApiToken.objects.get(user=users["jinniu"]).name == "数据同步"

    def test_revoke_by_prefix_stops_the_token(self, users):  # type: ignore[no-untyped-def]
        token = _run("create", "jinniu_officer").strip()
        output = _run("revoke", token[:10])
        assert token[:10] in output
        assert user_for_token(token) is None

    def test_list_shows_prefix_state_and_name(self, users):  # type: ignore[no-untyped-def]
        first = _run("create", "jinniu_officer", "--name", "etl").strip()
        _run("create", "jinniu_officer", "--name", "bi")
        _run("revoke", first[:10])
        lines = _run("list", "jinniu_officer").splitlines()
        assert len(lines) == 2
        assert lines[0].startswith(first[:10])
        assert "revoked" in lines[0] and lines[0].endswith("etl")
        assert "active" in lines[1] and lines[1].endswith("bi")

    def test_unknown_user_is_a_clear_error(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(CommandError, match="nobody"):
            _run("create", "nobody")
        with pytest.raises(CommandError, match="nobody"):
            _run("list", "nobody")

    def test_unknown_prefix_is_an_error(self, users):  # type: ignore[no-untyped-def]
        with pytest.raises(CommandError):
            _run("revoke", "pl_missing")

    def test_unknown_user_exits_non_zero_from_the_command_line(self, users, capsys):  # type: ignore[no-untyped-def]
        with pytest.raises(SystemExit) as exit_info:
            main(["token", "create", "nobody"])
        assert exit_info.value.code != 0
        assert "nobody" in capsys.readouterr().err
