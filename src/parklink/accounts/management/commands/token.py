"""`parklink token create|revoke|list`: manage the bearer tokens of the JSON API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parklink.accounts.models import ApiToken, User
from parklink.accounts.services import create_token, revoke_token
from parklink.core.errors import ParkLinkError


class Command(BaseCommand):
    help = "创建、吊销或列出 API 令牌 (create, revoke or list API tokens)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a token and print it (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'etl'")
        revoke = actions.add_parser("revoke", help="revoke the token that starts with PREFIX")
        revoke.add_argument("prefix", help="the token's prefix as `token list` shows it")
        listing = actions.add_parser("list", help="list a user's tokens")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.stdout.write(create_token(self._user(options["username"]), options["name"]))
        elif action == "revoke":
            token = self._revoke(options["prefix"])
            self.stdout.write(f"revoked {token.prefix} ({token.user.username})")
        else:
            self._list(self._user(options["username"]))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在 (no such user): {username}")
        return user

    def _revoke(self, prefix: str) -> ApiToken:
        try:
            return revoke_token(prefix)
        except ParkLinkError as exc:
            raise CommandError(exc.message) from exc

    def _list(self, user: User) -> None:
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "id"):
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-"
            state = "revoked" if token.revoked else "active"
            self.stdout.write(
                f"{token.prefix}\t{state}\t{token.created_at:%Y-%m-%d}\t{used}\t{token.name}"
            )
