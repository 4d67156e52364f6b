"""One organisation cannot read or change another's confidential engagements data: contacts,
notes, 诉求 and follow-ups stay with the owner (and participants) in pages, API, search,
exports and the admin's scope; only the facts "who met whom, when, how" are shared."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from parklink.accounts.services import create_token
from parklink.core.registry import registry
from parklink.core.search import search
from parklink.engagements.models import Contact, Engagement
from parklink.engagements.services import add_follow_up, briefing


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user)}"})


def _cells(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


@pytest.fixture
def secret(world) -> Engagement:
    made = world.engagement(contacts=[world.jinniu_contact.pk])
    add_follow_up(
        world.jinniu_officer,
        made,
        {"task": "报送用地诉求", "assignee": world.jinniu_officer, "due_on": world.today},
    )
    return made


class TestContacts:
    def test_scope(self, world) -> None:
        assert list(registry.visible(Contact, world.jinniu_officer)) == [world.jinniu_contact]
        assert list(registry.visible(Contact, world.dege_officer)) == [world.dege_contact]
        assert not registry.visible(Contact, world.zhangye_officer).exists()
        assert not registry.visible(Contact, world.jinniu_viewer).exists()

    def test_pages(self, world) -> None:
        page = _client(world.dege_officer).get("/engagements/contacts/")
        assert "王总" in page.content.decode() and "李经理" not in page.content.decode()
        other = _client(world.dege_officer).get(f"/engagements/contacts/{world.jinniu_contact.pk}/")
        assert other.status_code == 404
        edit = _client(world.dege_officer).post(
            f"/engagements/contacts/{world.jinniu_contact.pk}/edit/", {"name": "x"}
        )
        assert edit.status_code == 404

    def test_api(self, world) -> None:
        listed = _api(world.dege_officer).get("/api/v1/engagements/contacts").json()
        assert [c["name"] for c in listed["items"]] == ["王总"]
        one = _api(world.dege_officer).get(
            f"/api/v1/engagements/contacts/{world.jinniu_contact.pk}"
        )
        assert one.status_code == 404
        changed = _api(world.dege_officer).patch(
            f"/api/v1/engagements/contacts/{world.jinniu_contact.pk}",
            {"phone": "1"},
            content_type="application/json",
        )
        assert changed.status_code == 404
        world.jinniu_contact.refresh_from_db()
        assert world.jinniu_contact.phone == "13800000001"

    def test_search(self, world) -> None:
        groups = {g.kind: g for g in search(world.dege_officer, "李经理").groups}
        assert groups["contact"].count == 0
        mine = {g.kind: g for g in search(world.jinniu_officer, "李经理").groups}
        assert [h.name for h in mine["contact"].hits] == ["李经理"]

    def test_export(self, world) -> None:
        data = _client(world.dege_officer).get("/engagements/contacts/export.xlsx").content
        text = _cells(data)
        assert "王总" in text and "李经理" not in text and "13800000001" not in text


class TestEngagements:
    def test_scope(self, world, secret) -> None:
        assert list(registry.visible(Engagement, world.jinniu_viewer)) == [secret]
        assert not registry.visible(Engagement, world.dege_officer).exists()

    def test_pages(self, world, secret) -> None:
        other = _client(world.dege_officer)
        assert other.get(f"/engagements/{secret.pk}/").status_code == 404
        assert "拜访示例科技" not in other.get("/engagements/").content.decode()
        assert other.post(f"/engagements/{secret.pk}/delete/").status_code == 404
        assert (
            other.post(
                f"/engagements/{secret.pk}/follow-ups/",
                {"task": "x", "assignee": world.dege_officer.pk, "due_on": "2030-01-01"},
            ).status_code
            == 404
        )
        follow = secret.follow_ups.get()
        assert (
            other.post(f"/engagements/follow-ups/{follow.pk}/", {"status": "done"}).status_code
            == 404
        )
        assert Engagement.objects.filter(pk=secret.pk).exists()

    def test_api(self, world, secret) -> None:
        other = _api(world.dege_officer)
        assert other.get("/api/v1/engagements/").json()["count"] == 0
        assert other.get(f"/api/v1/engagements/{secret.pk}").status_code == 404
        assert other.delete(f"/api/v1/engagements/{secret.pk}").status_code == 404
        assert other.get("/api/v1/engagements/follow-ups/mine").json() == []

    def test_search_and_export(self, world, secret) -> None:
        groups = {g.kind: g for g in search(world.dege_officer, "示例科技").groups}
        assert groups["engagement"].count == 0
        text = _cells(_client(world.dege_officer).get("/engagements/export.xlsx").content)
        assert "机密纪要" not in text and "200亩" not in text
        mine = _cells(_client(world.jinniu_officer).get("/engagements/export.xlsx").content)
        assert "机密纪要" in mine and "李经理" in mine

    def test_enterprise_page_shares_the_facts_only(self, world, secret) -> None:
        page = _client(world.dege_officer).get(f"/enterprises/{world.firm.pk}/")
        html = page.content.decode()
        assert "金牛区投资促进局" in html and "外出拜访" in html
        assert "机密纪要" not in html and "200亩" not in html and "拜访示例科技" not in html
        assert "李经理" not in html

    def test_a_participant_reads_it_but_not_the_owners_contacts(self, world) -> None:
        made = world.engagement(
            contacts=[world.jinniu_contact.pk], participants=[world.dege_officer.pk]
        )
        page = _client(world.dege_officer).get(f"/engagements/{made.pk}/")
        html = page.content.decode()
        assert page.status_code == 200 and "机密纪要" in html
        assert "李经理" not in html and "仅本机构专员可见" in html
        body = _api(world.dege_officer).get(f"/api/v1/engagements/{made.pk}").json()
        assert body["contacts"] == [] and body["contacts_hidden"] is True
        assert "编辑" not in page.content.decode().split("engagement-facts")[0].split("<h1>")[1]


class TestBriefing:
    def test_who_met_last_and_others_recent(self, world, secret) -> None:
        world.engagement(
            by=world.dege_officer,
            kind="aftercare",
            held_on=world.today - timedelta(days=3),
            title="德格回访",
        )
        seen_by_jinniu = briefing(world.jinniu_officer, world.firm.pk)
        assert seen_by_jinniu.last is not None
        assert seen_by_jinniu.last.org_name == "德格县人民政府"
        assert seen_by_jinniu.last.kind_label == "安商稳商走访"
        assert [m.org_name for m in seen_by_jinniu.others_recent] == ["德格县人民政府"]
        seen_by_zhangye = briefing(world.zhangye_officer, world.firm.pk)
        assert len(seen_by_zhangye.others_recent) == 2

    def test_api_gives_facts_without_titles(self, world, secret) -> None:
        body = (
            _api(world.zhangye_officer)
            .get(f"/api/v1/engagements/enterprises/{world.firm.pk}/briefing")
            .json()
        )
        assert body["last"]["organization_name"] == "金牛区投资促进局"
        assert body["last"]["kind"] == "visit_out"
        assert "title" not in body["last"] and "拜访示例科技" not in str(body)
