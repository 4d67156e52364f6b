"""Listings: automatic tags and corrections, ranked matches, duplicates, visibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.core.errors import Forbidden, Invalid
from parklink.matching import queries
from parklink.matching.models import Listing, ListingStatus, Meeting, Outcome
from parklink.matching.services import events, listings


def test_a_listing_is_tagged_with_a_segment_and_an_industry_code(world):
    listing = world.post(
        "shifang", "cathode", "supply", "磷酸铁锂正极材料", quantity=500, unit="吨"
    )
    assert (listing.chain, listing.segment) == ("lithium", "cathode")
    assert listing.industry_code and len(listing.industry_code) == 4
    assert listing.tag_evidence and not listing.tags_corrected
    assert listing.owner_id == world.orgs["shifang"].pk
    assert listing.region_id == "510682"


def test_corrected_tags_survive_an_edit(world):
    listing = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    listings.correct_tags(world.users["shifang"], listing, "lithium", "cell", "3841")
    listings.update_listing(world.users["shifang"], listing, {"description": "另供应三元前驱体"})
    listing.refresh_from_db()
    assert (listing.segment, listing.industry_code, listing.tags_corrected) == (
        "cell",
        "3841",
        True,
    )


@pytest.mark.parametrize(
    ("chain", "segment", "code", "message"),
    [
        ("nosuch", "x", "", "产业链“nosuch”不存在"),
        ("lithium", "nosuch", "", "没有环节“nosuch”"),
        ("lithium", "cell", "9999", "不在 GB/T 4754-2017 中"),
    ],
)
def test_bad_corrections_are_refused(world, chain, segment, code, message):
    listing = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    with pytest.raises(Invalid, match=message):
        listings.correct_tags(world.users["shifang"], listing, chain, segment, code)


def test_another_organisation_cannot_change_a_listing(world):
    listing = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    with pytest.raises(Forbidden):
        listings.update_listing(world.users["jinniu"], listing, {"title": "改名"})
    with pytest.raises(Forbidden):
        listings.close_listing(world.users["jinniu_viewer"], listing)


def test_matches_rank_the_metro_supplier_first_with_reasons(world):
    near = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料", quantity=500, unit="吨")
    far = world.post(
        "zhangye", "far_cathode", "supply", "磷酸铁锂正极材料", quantity=500, unit="吨"
    )
    world.post("meishan", "gas", "supply", "高纯电子特气三氟化氮")
    need = world.post("jinniu", "cell", "need", "采购磷酸铁锂正极材料", quantity=400, unit="吨")
    found = listings.matches(world.users["jinniu"], need)
    assert [m.listing.pk for m in found] == [near.pk, far.pk]
    reasons = found[0].match.reasons
    assert "同一都市圈" in reasons
    assert any("正极" in r for r in reasons)
    assert any("上游" in r or "同一产业链" in r for r in reasons)
    # the supplier's view finds the need
    assert [m.listing.pk for m in listings.matches(world.users["shifang"], near)] == [need.pk]


def test_a_closed_listing_leaves_the_matches(world):
    supply = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    need = world.post("jinniu", "cell", "need", "磷酸铁锂正极材料")
    assert listings.matches(world.users["jinniu"], need)
    listings.close_listing(world.users["shifang"], supply)
    assert listings.matches(world.users["jinniu"], need) == []


def test_duplicates_are_found_and_merged_with_their_meetings(world):
    first = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料 长期供应")
    again = world.post("shifang", "cathode", "supply", "供应磷酸铁锂正极材料")
    other = world.post("shifang", "cathode", "supply", "锂电池回收服务")
    need = world.post("jinniu", "cell", "need", "磷酸铁锂正极材料")
    assert [d.pk for d, _ in listings.duplicates_of(first)] == [again.pk]
    groups = listings.duplicate_groups()
    assert [[x.pk for x in g] for g in groups] == [[first.pk, again.pk]]
    event = _event(world)
    meeting = events.schedule(world.users["jinniu"], event, again, need)
    listings.merge(world.users["shifang"], first, again)
    again.refresh_from_db()
    meeting.refresh_from_db()
    assert again.status == ListingStatus.MERGED and again.merged_into_id == first.pk
    assert meeting.supply_id == first.pk
    assert first in event.listings.all()
    assert other.status == ListingStatus.OPEN
    with pytest.raises(Invalid, match="已经合并过"):
        listings.merge(world.users["shifang"], first, again)
    with pytest.raises(Invalid, match="同一企业"):
        listings.merge(world.users["root"], first, need)


def _event(world):
    from parklink.matching.models import Event

    return Event.objects.create(owner=world.orgs["jinniu"], name="成德眉资供需对接会")


def test_event_figures_come_from_the_records(world):
    supply = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    gas = world.post("meishan", "gas", "supply", "电子特气")
    need = world.post("jinniu", "cell", "need", "磷酸铁锂正极材料")
    panel = world.post("ziyang", "display", "need", "电子特气")
    event = _event(world)
    officer = world.users["jinniu"]
    deal = events.schedule(officer, event, supply, need)
    contact = events.schedule(officer, event, gas, panel)
    events.schedule(officer, event, gas, need)
    events.record_outcome(officer, deal, Outcome.DEAL, Decimal("12345678.91"))
    events.record_outcome(officer, contact, Outcome.CONTACT)
    with pytest.raises(Invalid, match="只有“已签约”"):
        events.record_outcome(officer, contact, Outcome.CONTACT, Decimal("1"))
    with pytest.raises(Invalid, match="精确到分"):
        events.record_outcome(officer, deal, Outcome.DEAL, Decimal("1.001"))
    with pytest.raises(Forbidden):
        events.record_outcome(world.users["shifang"], deal, Outcome.NO_DEAL)
    figures = events.figures(type(event).objects.filter(pk=event.pk))
    assert (figures.listings, figures.supply, figures.need) == (4, 2, 2)
    assert (figures.enterprises, figures.cities) == (4, 4)
    assert (figures.meetings, figures.contacts, figures.deals) == (3, 2, 1)
    assert figures.amount == Decimal("12345678.91")
    assert figures.cross_city_enterprises == 4 and figures.cross_city_deals == 1


def test_contacts_only_for_officers_of_participating_organisations(world):
    listing = world.post(
        "shifang", "cathode", "supply", "磷酸铁锂正极材料", contact_phone="13800000000"
    )
    users = world.users
    assert queries.can_see_contacts(users["shifang"], listing)  # its own organisation
    assert queries.can_see_contacts(users["root"], listing)
    assert not queries.can_see_contacts(users["jinniu"], listing)  # not participating yet
    world.post("jinniu", "cell", "need", "正极材料")
    assert queries.can_see_contacts(users["jinniu"], listing)
    assert not queries.can_see_contacts(users["jinniu_viewer"], listing)  # a viewer
    from django.contrib.auth.models import AnonymousUser

    assert not queries.can_see_contacts(AnonymousUser(), listing)
    assert not queries.visible_listings(AnonymousUser()).exists()
    # listings themselves are visible across the installation
    assert queries.visible_listings(users["zhangye"]).filter(pk=listing.pk).exists()


def test_meetings_are_visible_to_the_parties_and_the_organiser_only(world):
    supply = world.post("shifang", "cathode", "supply", "磷酸铁锂正极材料")
    need = world.post("jinniu", "cell", "need", "磷酸铁锂正极材料")
    meeting = events.schedule(world.users["jinniu"], _event(world), supply, need)
    for key, sees in (("jinniu", True), ("shifang", True), ("meishan", False), ("root", True)):
        assert queries.visible_meetings(world.users[key]).filter(pk=meeting.pk).exists() is sees
    assert Meeting.objects.count() == 1 and Listing.objects.count() == 2
