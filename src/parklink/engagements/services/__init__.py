"""The only code that changes the engagements app's records (names importable from here)."""

from parklink.engagements.services.contacts import create_contact, delete_contact, update_contact
from parklink.engagements.services.coordination import briefing, last_met
from parklink.engagements.services.follow_ups import add_follow_up, mine, update_follow_up
from parklink.engagements.services.records import (
    create_engagement,
    delete_engagement,
    update_engagement,
)
from parklink.engagements.services.visits import visits

__all__ = [
    "add_follow_up",
    "briefing",
    "create_contact",
    "create_engagement",
    "delete_contact",
    "delete_engagement",
    "last_met",
    "mine",
    "update_contact",
    "update_engagement",
    "update_follow_up",
    "visits",
]
