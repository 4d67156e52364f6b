"""Who sees what in matching (docs/matching.md, "Visibility").

* Listings are visible to every signed-in user of the installation (that is their point), and
  so are events, their figures and policies.
* A listing's contact (name, phone, e-mail) is shown only to signed-in officers and admins of
  a *participating organisation*: one that has at least one open listing of its own, or that
  organises a matchmaking event; the listing's own organisation and installation
  administrators always see it. Viewers (read-only roles) never do.
* A meeting (who met whom, its outcome and amount) is visible to the event's organiser and the
  organisations that posted either listing; everyone else sees only the event's totals.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from parklink.accounts.models import Role, User
from parklink.matching.models import Event, Listing, ListingStatus, Meeting, Policy


def visible_listings(user: Any) -> QuerySet[Listing]:
    if not getattr(user, "is_authenticated", False):
        return Listing.objects.none()
    return Listing.objects.all()


def visible_events(user: Any) -> QuerySet[Event]:
    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    return Event.objects.all()


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    org = user.organization_id
    if org is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(event__owner_id=org) | Q(supply__owner_id=org) | Q(need__owner_id=org)
    )


def visible_policies(user: Any) -> QuerySet[Policy]:
    """Published policies for every signed-in user; drafts only for their own organisation."""
    if not getattr(user, "is_authenticated", False):
        return Policy.objects.none()
    if user.is_superuser:
        return Policy.objects.all()
    return Policy.objects.filter(Q(status="published") | Q(owner_id=user.organization_id))


def is_participating(organization_id: int | None) -> bool:
    if organization_id is None:
        return False
    return (
        Listing.objects.filter(owner_id=organization_id, status=ListingStatus.OPEN).exists()
        or Event.objects.filter(owner_id=organization_id).exists()
    )


def can_see_contacts(user: Any, listing: Listing) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    assert isinstance(user, User)
    if user.is_superuser or user.organization_id == listing.owner_id:
        return True
    if user.role not in (Role.OFFICER, Role.ADMIN):
        return False
    return is_participating(user.organization_id)


SCOPES = {
    "matching.listing": visible_listings,
    "matching.event": visible_events,
    "matching.meeting": visible_meetings,
    "matching.policy": visible_policies,
}
