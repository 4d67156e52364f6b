"""Who may change what in an agreement: the parties' officers, within the agreement's status.

A party's officers (and the drafting organisation's) may edit only drafts (draft and
negotiating agreements) and the records their side contributes; confirming a run needs an
officer of each party. Installation administrators may change anything but confirm nothing
unless their own organisation is a party.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.cobuild import lifecycle
from parklink.cobuild.models import Agreement, Party
from parklink.core.errors import Conflict, Forbidden


def member_org_ids(agreement: Agreement) -> set[int]:
    """The drafting organisation and every party's organisation."""
    ids = set(agreement.parties.values_list("organization_id", flat=True))
    ids.add(agreement.owner_id)
    return ids


def ensure_officer(user: User, agreement: Agreement) -> None:
    """Refuse unless the user is an officer or admin of the drafter or of a party."""
    if user.is_superuser:
        return
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    if user.organization_id not in member_org_ids(agreement):
        raise Forbidden(_("只有协议各方的专员可以修改协议。"))


def ensure_editable(user: User, agreement: Agreement) -> None:
    """Refuse a change to the agreement's text once it is signed."""
    ensure_officer(user, agreement)
    if agreement.status not in lifecycle.EDITABLE:
        raise Conflict(
            _("协议已签署,不能再修改;请通过修订(新版本)调整分享规则。"),
            detail={"status": agreement.status},
        )


def party_officer(user: User, agreement: Agreement) -> Party:
    """The party the user acts for: an officer of a party's organisation (admins included)."""
    if not user.can_write:
        raise Forbidden(_("当前角色只能查看,不能修改数据。"))
    party = (
        agreement.parties.filter(organization_id=user.organization_id).first()
        if user.organization_id is not None
        else None
    )
    if party is None:
        raise Forbidden(_("只有协议方的专员可以进行此操作。"))
    return party
