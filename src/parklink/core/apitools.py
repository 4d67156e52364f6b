"""Small helpers every API router shares: the current user, owners, region filters."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from parklink.accounts.models import Organization, User
from parklink.core.errors import Invalid
from parklink.regions.models import Region

# Bounds of integers the API passes on to the database, declared in the OpenAPI document so that
# a number too large for a database column is a 422 rather than an overflow (500) in the driver.
MAX_OFFSET = 2**31 - 1  # list offsets; far beyond any real list, and offset + limit still fits
MAX_ID = 2**63 - 1  # record ids (BigAutoField)


class ApiError(Schema):
    """The body of every error response (docs/api.md, "Errors")."""

    error: str = Field(description="code: invalid, forbidden, not_found, validation_error, …")
    message: str | None = Field(None, description="human-readable, in the request's language")
    detail: Any = Field(description="the fields at fault, the malformed inputs, or the record")


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


def region_by_adcode(adcode: str) -> Region:
    """The region a list filter names, or a 400 naming the unknown code."""
    region = Region.objects.filter(adcode=adcode).first()
    if region is None:
        raise Invalid.on("region", _("未知的行政区划代码: %(adcode)s") % {"adcode": adcode})
    return region
