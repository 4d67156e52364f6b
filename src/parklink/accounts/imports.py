"""Who imports for whom: the owner organisation of an import and whether the user may import.

Every importer of an owned kind of record (`enterprises`, `projects`) subclasses
`OwnedImporter`, so the engine (`core.imports`) refuses a viewer or a member of another
organisation before a row is read.
"""

from __future__ import annotations

from typing import Any

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid, NotFound
from parklink.core.imports import Importer, ImportForbidden


def resolve_owner(user: User, org_name: str | None = None) -> Organization:
    """The organisation an import writes for: the user's own, or `org_name` for an admin."""
    if org_name:
        own = user.organization
        if not user.is_superuser and (own is None or own.name != org_name):
            raise ImportForbidden(
                "只有安装管理员可以代其他机构导入",
                "only an installation admin may import for another organisation",
            )
        org = Organization.objects.filter(name=org_name).select_related("region").first()
        if org is None:
            raise NotFound(
                f"机构“{org_name}”不存在", detail={"en": f"no organisation {org_name!r}"}
            )
        return org
    if user.organization is None:
        raise Invalid(
            "用户未关联任何机构,请用 --org 指定导入到哪个机构",
            detail={"en": "the user belongs to no organisation; name one with --org"},
        )
    return user.organization


def ensure_can_import(user: User, owner: Organization) -> None:
    """Viewers and members of other organisations may not import; the message says why."""
    if not user.is_active:
        raise ImportForbidden("该用户已停用", "this user is deactivated")
    if not user.can_write:
        raise ImportForbidden(
            "当前角色只能查看,不能导入数据(需要专员或管理员角色)",
            "this user's role can only read; importing needs the officer or admin role",
        )
    ensure_can_write(user, owner.pk)


class OwnedImporter(Importer):
    """An importer of records an organisation owns: only its officers and admins import."""

    user: User
    owner: Organization

    def __init__(self, user: User, owner: Organization) -> None:
        super().__init__(user, owner)

    def authorize(self) -> None:
        ensure_can_import(self.user, self.owner)


def importer_factory(importer: type[OwnedImporter]) -> Any:
    """`TabularKind.importer` for `importer`: the owner defaults to the user's organisation."""

    def build(user: User, owner: Organization | None) -> OwnedImporter:
        return importer(user, owner or resolve_owner(user))

    return build
