"""Tokens and the write rule shared by every app: only the owner organisation changes data."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import ApiToken, User
from parklink.core.errors import Conflict, Forbidden, NotFound

TOKEN_PREFIX = "pl_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str = "") -> str:
    """Create a token and return it; it is shown once and only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=_digest(token), prefix=token[:10])
    return token


def user_for_token(token: str) -> User | None:
    record = (
        ApiToken.objects.select_related("user", "user__organization", "user__organization__region")
        .filter(digest=_digest(token), revoked=False, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


def ensure_can_write(user: User, owner_id: int | None) -> None:
    """Refuse a change unless the user is an officer/admin of the owning organisation."""
    if user.is_superuser:
        return
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    if owner_id is None or user.organization_id != owner_id:
        raise Forbidden(_("只有所属机构的用户可以修改这条记录。"))


def ensure_member(user: User) -> None:
    if not user.is_superuser and user.organization_id is None:
        raise Forbidden(_("用户未关联任何机构。"))


@transaction.atomic
def revoke_token(prefix: str) -> ApiToken:
    """Revoke the one active token that starts with `prefix` (the whole token works too)."""
    # Tokens keep their first ten characters.
    matches = list(
        ApiToken.objects.select_for_update()
        .select_related("user")
        .filter(prefix__startswith=prefix[:10], revoked=False)
    )
    if not prefix or not matches:
        raise NotFound(
            _("没有以此开头的有效令牌 (no active token starts with): %(prefix)s")
            % {"prefix": prefix}
        )
    if len(matches) > 1:
        raise Conflict(_("前缀匹配多个令牌,请写得更长: %(prefix)s") % {"prefix": prefix})
    token = matches[0]
    token.revoked = True
    token.save(update_fields=["revoked", "updated_at"])
    return token
