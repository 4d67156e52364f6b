"""Matchmaking events (对接会): gathering listings, meetings, outcomes and the figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid, NotFound
from parklink.matching.models import Event, Listing, ListingStatus, Meeting, Outcome, Side
from parklink.matching.queries import visible_events


def get_visible(user: object, pk: int) -> Event:
    try:
        return visible_events(user).select_related("owner", "metro").get(pk=pk)
    except Event.DoesNotExist:
        raise NotFound(_("对接会不存在或无权查看。")) from None


def gather(user: User, event: Event, listings: Iterable[Listing]) -> int:
    """Add open listings to the event (the organiser only); returns how many were added."""
    ensure_can_write(user, event.owner_id)
    rows = [listing for listing in listings if listing.status == ListingStatus.OPEN]
    before = event.listings.count()
    event.listings.add(*rows)
    return event.listings.count() - before


@transaction.atomic
def schedule(
    user: User, event: Event, supply: Listing, need: Listing, at: datetime | None = None
) -> Meeting:
    ensure_can_write(user, event.owner_id)
    if supply.side != Side.SUPPLY or need.side != Side.NEED:
        raise Invalid(_("洽谈须由一条供给信息和一条需求信息组成。"))
    if supply.enterprise_id == need.enterprise_id:
        raise Invalid(_("供需双方是同一家企业。"))
    event.listings.add(supply, need)
    meeting, created = Meeting.objects.get_or_create(
        event=event,
        supply=supply,
        need=need,
        defaults={"scheduled_at": at, "recorded_by": user},
    )
    if not created:
        raise Invalid(_("这两条信息在本次对接会上已安排过洽谈。"))
    return meeting


def record_outcome(
    user: User,
    meeting: Meeting,
    outcome: str,
    amount: Decimal | None = None,
    signed_on: date | None = None,
    note: str = "",
) -> Meeting:
    """The organiser records what came of a meeting; a deal may carry its amount in 元."""
    ensure_can_write(user, meeting.event.owner_id)
    if outcome not in Outcome.values:
        raise Invalid(_("未知的洽谈结果:%(value)s。") % {"value": outcome})
    if amount is not None:
        amount = Decimal(amount)
        if amount < 0:
            raise Invalid(_("签约金额不能为负数。"))
        if outcome != Outcome.DEAL:
            raise Invalid(_("只有“已签约”的洽谈可以填写签约金额。"))
        if amount != amount.quantize(Decimal("0.01")):
            raise Invalid(_("签约金额最多精确到分。"))
    meeting.outcome = outcome
    meeting.amount = amount
    meeting.signed_on = signed_on if outcome == Outcome.DEAL else None
    meeting.note = note
    meeting.recorded_by = user
    meeting.save()
    return meeting


@dataclass(frozen=True)
class Figures:
    listings: int
    supply: int
    need: int
    enterprises: int
    cities: int
    meetings: int
    contacts: int  # meetings that reached contact or a deal
    deals: int
    amount: Decimal  # 元, exact
    cross_city_enterprises: int  # enterprises in a contact or deal with a firm of another city
    cross_city_deals: int
    illustrative: bool


def _city(adcode: str) -> str:
    return adcode[:4]


def figures(events: QuerySet[Event]) -> Figures:
    """The figures the articles quote, computed from the records of the given events."""
    listing_rows = list(
        Listing.objects.filter(events__in=events)
        .distinct()
        .values_list("pk", "side", "enterprise_id", "region_id", "illustrative")
    )
    meeting_rows = list(
        Meeting.objects.filter(event__in=events).values_list(
            "outcome",
            "amount",
            "supply__enterprise_id",
            "supply__region_id",
            "need__enterprise_id",
            "need__region_id",
        )
    )
    crossing: set[int] = set()
    cross_deals = contacts = deals = 0
    amount = Decimal("0")
    for outcome, value, s_ent, s_reg, n_ent, n_reg in meeting_rows:
        if outcome in (Outcome.CONTACT, Outcome.DEAL):
            contacts += 1
            if _city(s_reg) != _city(n_reg):
                crossing.update((s_ent, n_ent))
        if outcome == Outcome.DEAL:
            deals += 1
            amount += value or Decimal("0")
            if _city(s_reg) != _city(n_reg):
                cross_deals += 1
    return Figures(
        listings=len(listing_rows),
        supply=sum(1 for r in listing_rows if r[1] == Side.SUPPLY),
        need=sum(1 for r in listing_rows if r[1] == Side.NEED),
        enterprises=len({r[2] for r in listing_rows}),
        cities=len({_city(r[3]) for r in listing_rows}),
        meetings=len(meeting_rows),
        contacts=contacts,
        deals=deals,
        amount=amount,
        cross_city_enterprises=len(crossing),
        cross_city_deals=cross_deals,
        illustrative=any(r[4] for r in listing_rows) or events.filter(illustrative=True).exists(),
    )
