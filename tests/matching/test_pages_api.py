"""The matching pages, the API and the command, on a small world."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client

from parklink.matching.models import Event, Listing
from parklink.matching.services import events
from tests.support import factories


def _login(user):
    client = Client()
    client.force_login(user)
    return client


def _pair(world):
    supply = world.post(
        "shifang", "cathode", "supply", "磷酸铁锂正极材料", contact_phone="13800000001"
    )
    need = world.post("jinniu", "cell", "need", "采购磷酸铁锂正极材料", contact_phone="13900000002")
    return supply, need


def test_listing_pages_show_matches_and_hide_contacts_from_outsiders(world):
    supply, need = _pair(world)
    page = _login(world.users["jinniu"]).get(f"/matching/listings/{need.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "磷酸铁锂正极材料" in html and "同一都市圈" in html
    assert "13800000001" in html  # a participating officer sees the supplier's phone
    outsider = factories.user("zy_viewer", world.orgs["zhangye"], role="viewer")
    html = _login(outsider).get(f"/matching/listings/{need.pk}/").content.decode()
    assert "13900000002" not in html and "13800000001" not in html
    assert "仅向参与对接机构的专员显示" in html
    assert Client().get(f"/matching/listings/{need.pk}/").status_code == 302  # login first
    listing_list = _login(outsider).get("/matching/?side=supply")
    assert (
        listing_list.status_code == 200
        and f'data-listing="{supply.pk}"' in listing_list.content.decode()
    )


def test_posting_correcting_merging_and_closing_on_the_pages(world):
    client = _login(world.users["shifang"])
    form = {
        "enterprise": world.firms["cathode"].pk,
        "side": "supply",
        "kind": "material",
        "title": "磷酸铁锂正极材料",
        "region_preference": "any",
    }
    made = client.post("/matching/listings/new/", form)
    assert made.status_code == 302
    first = Listing.objects.get()
    assert first.segment == "cathode"
    bad = client.post("/matching/listings/new/", {**form, "quantity": "-3"})
    assert bad.status_code == 422
    client.post("/matching/listings/new/", {**form, "title": "供应磷酸铁锂正极材料"})
    again = Listing.objects.exclude(pk=first.pk).get()
    page = client.get(f"/matching/listings/{first.pk}/").content.decode()
    assert "疑似重复发布" in page
    client.post(f"/matching/listings/{first.pk}/merge/", {"other": again.pk})
    again.refresh_from_db()
    assert again.status == "merged"
    client.post(
        f"/matching/listings/{first.pk}/tags/",
        {"chain": "lithium", "segment": "cell", "industry_code": "3841"},
    )
    first.refresh_from_db()
    assert first.tags_corrected and first.segment == "cell"
    other = _login(world.users["jinniu"])
    other.post(f"/matching/listings/{first.pk}/close/")
    first.refresh_from_db()
    assert first.status == "open"  # another organisation cannot close it
    client.post(f"/matching/listings/{first.pk}/close/")
    first.refresh_from_db()
    assert first.status == "closed"


def test_event_page_figures_and_meetings_visibility(world):
    supply, need = _pair(world)
    event = Event.objects.create(owner=world.orgs["jinniu"], name="对接会")
    meeting = events.schedule(world.users["jinniu"], event, supply, need)
    events.record_outcome(world.users["jinniu"], meeting, "deal", amount=None)
    html = _login(world.users["meishan"]).get(f"/matching/events/{event.pk}/").content.decode()
    assert 'data-figure="deals">1<' in html
    assert "没有可查看的洽谈记录" in html  # not a party
    html = _login(world.users["shifang"]).get(f"/matching/events/{event.pk}/").content.decode()
    assert "没有可查看的洽谈记录" not in html


def test_api_lists_matches_and_blanks_contacts(world, api_client):
    supply, need = _pair(world)
    outsider = factories.user("zy_viewer", world.orgs["zhangye"], role="viewer")
    body = api_client(outsider).get(f"/api/v1/matching/listings/{supply.pk}").json()
    assert body["contact_phone"] == "" and body["contacts_hidden"] is True
    body = api_client(world.users["jinniu"]).get(f"/api/v1/matching/listings/{supply.pk}").json()
    assert body["contact_phone"] == "13800000001"
    found = api_client(world.users["jinniu"]).get(f"/api/v1/matching/listings/{need.pk}/matches")
    assert found.status_code == 200
    assert [m["listing"]["id"] for m in found.json()] == [supply.pk]
    assert found.json()[0]["reasons"]
    made = api_client(world.users["meishan"]).post(
        "/api/v1/matching/listings",
        data=json.dumps(
            {
                "enterprise": world.firms["gas"].pk,
                "side": "supply",
                "kind": "material",
                "title": "高纯电子特气",
                "quantity": "12.5",
                "unit": "吨",
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["chain"] == "specialty_gases"
    bad = api_client(world.users["meishan"]).put(
        f"/api/v1/matching/listings/{supply.pk}/tags",
        data=json.dumps({"chain": "lithium", "segment": "cell"}),
        content_type="application/json",
    )
    assert bad.status_code == 403  # another organisation's listing
    assert api_client(outsider).get("/api/v1/matching/listings/999999").status_code == 404


def test_command_prints_matches(world):
    supply, need = _pair(world)
    out = StringIO()
    call_command(
        "matching", "listings", "match", str(need.pk), "--as", "jinniu_officer", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id\tscore") and lines[1].startswith(f"{supply.pk}\t")
    assert "同一都市圈" in lines[1]


def test_a_policy_officer_writes_tests_and_publishes_on_the_pages(world):
    from parklink.matching.models import Policy

    client = _login(world.users["shifang"])
    made = client.post(
        "/matching/policies/new/",
        {
            "title": "什邡市规上企业奖励",
            "issuer_region": "510682",
            "benefit_kind": "fixed",
            "benefit_amount": "100000.00",
            "documents": "申请表\n营业执照",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    policy = Policy.objects.get()
    assert policy.status == "draft" and policy.documents == ["申请表", "营业执照"]
    bad = client.post(
        "/matching/policies/new/",
        {"title": "x", "issuer_region": "510682", "benefit_kind": "fixed"},
    )
    assert bad.status_code == 422 and "定额兑现须填写金额" in bad.content.decode()
    conditions = json.dumps(
        [
            {
                "key": "scale",
                "label": "规上企业",
                "clause": "第二条 规上工业企业",
                "rule": {"==": [{"var": "is_above_scale"}, True]},
            }
        ],
        ensure_ascii=False,
    )
    firm = world.firms["cathode"]
    firm.is_above_scale = True
    firm.save()
    tested = client.post(
        f"/matching/policies/{policy.pk}/test/",
        {"conditions": conditions, "enterprises": str(firm.pk), "action": "test"},
    )
    html = tested.content.decode()
    assert tested.status_code == 200 and 'data-state="met"' in html
    policy.refresh_from_db()
    assert policy.conditions == []  # a test saves nothing
    broken = client.post(
        f"/matching/policies/{policy.pk}/test/", {"conditions": "[{", "action": "save"}
    )
    assert broken.status_code == 422 and "第 1 行" in broken.content.decode()
    published = client.post(
        f"/matching/policies/{policy.pk}/test/",
        {"conditions": conditions, "enterprises": "", "action": "publish"},
    )
    assert published.status_code == 302
    policy.refresh_from_db()
    assert policy.status == "published" and policy.conditions[0]["key"] == "scale"
    detail = _login(world.users["jinniu"]).get(f"/matching/policies/{policy.pk}/").content.decode()
    assert "免申即享" in detail and f'data-qualifying="{firm.pk}"' in detail
    page = _login(world.users["jinniu"]).get(f"/matching/enterprises/{firm.pk}/policies/")
    assert "什邡市规上企业奖励" in page.content.decode() and "100000.00" in page.content.decode()
    # another organisation can neither edit nor test it
    assert (
        _login(world.users["jinniu"]).get(f"/matching/policies/{policy.pk}/edit/").status_code
        == 403
    )
    assert (
        _login(world.users["jinniu"])
        .post(f"/matching/policies/{policy.pk}/test/", {"conditions": conditions, "action": "save"})
        .status_code
        == 403
    )


def test_the_enterprise_page_shows_its_listings_and_links_its_policies(world):
    supply, _need = _pair(world)
    html = (
        _login(world.users["jinniu"]).get(f"/enterprises/{supply.enterprise_id}/").content.decode()
    )
    assert 'id="matching"' in html and supply.title in html
    assert f"/matching/enterprises/{supply.enterprise_id}/policies/" in html


def test_match_list_export_is_a_workbook_without_hidden_contacts(world):
    import io

    from openpyxl import load_workbook

    supply, need = _pair(world)
    world.post(
        "zhangye", "far_cathode", "supply", "=1+2 磷酸铁锂正极材料", contact_phone="13700000003"
    )
    outsider = factories.user("zy_viewer", world.orgs["zhangye"], role="viewer")
    response = _login(outsider).get(f"/matching/listings/{need.pk}/matches.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "名次"))
    body = rows[header + 1 :]
    assert body[0][1] == supply.pk
    assert body[0][15] in (None, "")  # a viewer sees no other organisation's phone
    assert any(isinstance(r[2], str) and r[2].startswith("=") for r in body)  # text, not a formula
    mine = _login(world.users["jinniu"]).get(f"/matching/listings/{need.pk}/matches.xlsx")
    rows = list(load_workbook(io.BytesIO(mine.content)).active.iter_rows(values_only=True))
    assert "13800000001" in [r[15] for r in rows]


def test_the_organiser_runs_an_event_on_its_page(world):
    supply, need = _pair(world)
    client = _login(world.users["jinniu"])
    made = client.post(
        "/matching/events/new/", {"name": "成德眉资供需对接会", "held_on": "2024-01-19"}
    )
    assert made.status_code == 302
    event = Event.objects.get()
    url = f"/matching/events/{event.pk}/action/"
    client.post(url, {"action": "gather", "listing": supply.pk})
    client.post(url, {"action": "gather", "listing": need.pk})
    assert event.listings.count() == 2
    client.post(url, {"action": "schedule", "supply": supply.pk, "need": need.pk})
    meeting = event.meetings.get()
    bad = client.post(
        url,
        {"action": "outcome", "meeting": meeting.pk, "outcome": "deal", "amount": "1.005"},
        follow=True,
    )
    assert "精确到分" in bad.content.decode()
    client.post(
        url,
        {
            "action": "outcome",
            "meeting": meeting.pk,
            "outcome": "deal",
            "amount": "1,250,000.50",
            "signed_on": "2024-01-19",
        },
    )
    meeting.refresh_from_db()
    assert meeting.outcome == "deal" and str(meeting.amount) == "1250000.50"
    html = client.get(f"/matching/events/{event.pk}/").content.decode()
    assert 'data-figure="amount">1250000.50<' in html
    # a party to the meeting sees it but cannot change the event
    other = _login(world.users["shifang"])
    assert other.post(url, {"action": "gather", "listing": supply.pk}).status_code == 403


def test_the_owner_edits_a_listing_and_others_cannot(world):
    supply, _need = _pair(world)
    form = {
        "side": "supply",
        "kind": "material",
        "title": "三元正极材料",
        "region_preference": "metro",
        "quantity": "20",
        "unit": "吨",
    }
    assert (
        _login(world.users["jinniu"])
        .post(f"/matching/listings/{supply.pk}/edit/", form)
        .status_code
        == 403
    )
    saved = _login(world.users["shifang"]).post(f"/matching/listings/{supply.pk}/edit/", form)
    assert saved.status_code == 302
    supply.refresh_from_db()
    assert (supply.title, supply.region_preference, supply.enterprise_id) == (
        "三元正极材料",
        "metro",
        world.firms["cathode"].pk,
    )
