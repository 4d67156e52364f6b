"""What API routers share about users: the authenticated user, the owner of a new record."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.core.errors import Invalid


def current_user(request: HttpRequest) -> User:
    """The user the bearer token or the session authenticated."""
    return cast(User, request.user)


def owner_id_for(user: User, requested: int | None) -> int:
    """The organisation a new record belongs to: the user's own unless an admin names one."""
    owner_id = requested or user.organization_id
    if owner_id is None:
        raise Invalid.on("owner", _("请指定所属机构(owner)"))
    if requested and not Organization.objects.filter(pk=requested).exists():
        raise Invalid.on("owner", _("机构不存在: %(id)s") % {"id": requested})
    return owner_id
