"""Who sees what of the engagements app (docs/engagements.md, "Visibility").

- A contact (客商联系人): the officers and admins of its owner organisation (not its read-only
  viewers, not other organisations), and installation administrators.
- An engagement, whole (title, purpose, notes, 诉求, contacts, follow-ups): every member of its
  owner organisation, every user named as a participant, and installation administrators.
- The facts "who met this enterprise, when, how" (organisation, date, kind and the enterprise):
  every signed-in user of an organisation, installation-wide, so that agencies coordinate
  (`meeting_facts`); nothing else of the record leaves its readers.
- A follow-up: with its engagement, and to the user it is assigned to.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import Role, User
from parklink.core.errors import NotFound
from parklink.engagements.models import Contact, Engagement, FollowUp

OFFICER_ROLES = (Role.ADMIN, Role.OFFICER)


def can_see_contacts(user: User, owner_id: int | None) -> bool:
    """Whether `user` sees the contacts an organisation keeps (its officers and admins)."""
    if user.is_superuser:
        return True
    return (
        user.organization_id is not None
        and user.organization_id == owner_id
        and user.role in OFFICER_ROLES
    )


def visible_contacts(user: User) -> QuerySet[Contact]:
    if user.is_superuser:
        return Contact.objects.all()
    if user.organization_id is None or user.role not in OFFICER_ROLES:
        return Contact.objects.none()
    return Contact.objects.filter(owner_id=user.organization_id)


def engagement_q(user: User) -> Q:
    """The engagements `user` reads whole: the owner's members and the participants."""
    if user.is_superuser:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    participated = Engagement.participants.through.objects.filter(user_id=user.pk).values(
        "engagement_id"
    )
    mine = Q(pk__in=participated)
    if user.organization_id is not None:
        mine |= Q(owner_id=user.organization_id)
    return mine


def visible_engagements(user: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(engagement_q(user))


def visible_follow_ups(user: User) -> QuerySet[FollowUp]:
    """Follow-ups of the engagements the user reads, and those assigned to the user."""
    if user.is_superuser:
        return FollowUp.objects.all()
    return FollowUp.objects.filter(
        Q(engagement__in=visible_engagements(user).values("pk")) | Q(assignee_id=user.pk)
    )


def meeting_facts(user: User) -> QuerySet[Engagement]:
    """Every engagement, for its installation-wide facts only (organisation, date, kind).

    Callers read `owner`, `held_on`, `kind` and the enterprises from it and nothing else;
    a user without an organisation (and not an installation administrator) sees none.
    """
    if not user.is_superuser and user.organization_id is None:
        return Engagement.objects.none()
    return Engagement.objects.all()


def get_engagement(user: User, pk: int) -> Engagement:
    found = visible_engagements(user).select_related("owner", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("对接记录不存在或无权查看。"))
    return found


def get_contact(user: User, pk: int) -> Contact:
    found = visible_contacts(user).select_related("enterprise", "owner").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("联系人不存在或无权查看。"))
    return found


def get_follow_up(user: User, pk: int) -> FollowUp:
    found = visible_follow_ups(user).select_related("engagement", "assignee").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("跟进事项不存在或无权查看。"))
    return found


SCOPES: dict[str, Any] = {
    "engagements.contact": visible_contacts,
    "engagements.engagement": visible_engagements,
    "engagements.followup": visible_follow_ups,
}
