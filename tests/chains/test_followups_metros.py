"""Metro areas and focus chains on pages: who reads, who creates and edits, what is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from parklink.accounts.models import Organization, Role, User
from parklink.chains.models import FocusChain, MetroArea, MetroLead, MetroMember
from parklink.chains.services import metros
from parklink.core.errors import Forbidden, Invalid
from tests.chains.world import shipped_template
from tests.support import factories

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(orgs: dict[str, Organization], users: dict[str, User]) -> dict[str, User]:
    shipped_template()  # chain key "testpv"
    return {
        "city_admin": factories.user("city_admin", orgs["city"], role=Role.ADMIN),
        "jinniu_admin": factories.user("jinniu_admin", orgs["jinniu"], role=Role.ADMIN),
        "zhangye_admin": factories.user("zhangye_admin", orgs["zhangye"], role=Role.ADMIN),
        "city_officer": users["city"],
        "viewer": users["jinniu_viewer"],
        "root": users["root"],
    }


def metro_post(**overrides: str) -> dict[str, str]:
    data = {
        "key": "cdmz",
        "name": "成德眉资",
        "description": "成都都市圈",
        "members": "510100、德阳市\n511400\n512000",
        "leads-TOTAL_FORMS": "2",
        "leads-INITIAL_FORMS": "0",
        "leads-MIN_NUM_FORMS": "0",
        "leads-MAX_NUM_FORMS": "40",
        "leads-0-chain_key": "testpv",
        "leads-0-region": "510600",
        "leads-0-label": "光伏",
        "leads-1-chain_key": "",
        "leads-1-region": "",
        "leads-1-label": "",
    }
    data.update(overrides)
    return data


class TestMetroPages:
    def test_an_organisation_admin_creates_a_metro_area_it_then_maintains(
        self, people: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        client = client_of(people["city_admin"])
        assert 'id="new-metro"' in client.get("/chains/metros/").content.decode()
        response = client.post("/chains/metros/new/", metro_post())
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == "/chains/metro/cdmz/"
        metro = MetroArea.objects.get(key="cdmz")
        assert metro.owner == orgs["city"]
        assert list(metro.members.order_by("order").values_list("region_id", flat=True)) == [
            "510100",
            "510600",
            "511400",
            "512000",
        ]
        lead = metro.leads.get()
        assert (lead.chain_key, lead.region_id, lead.label) == ("testpv", "510600", "光伏")
        page = client.get("/chains/metro/cdmz/").content.decode()
        assert 'id="edit-metro"' in page
        listing = client.get("/chains/metros/").content.decode()
        assert 'data-edit-metro="cdmz"' in listing and "成德眉资" in listing

    def test_readers_see_the_list_but_no_write_controls(self, people: dict[str, User]) -> None:
        metros.save_metro(
            people["city_admin"],
            None,
            key="cdmz",
            name="成德眉资",
            members=list(_regions("510100", "510600")),
            leads=[],
        )
        for who in ("viewer", "city_officer", "jinniu_admin"):
            client = client_of(people[who])
            listing = client.get("/chains/metros/")
            assert listing.status_code == 200
            html = listing.content.decode()
            assert "成德眉资" in html
            assert 'data-edit-metro="cdmz"' not in html
            assert 'id="edit-metro"' not in client.get("/chains/metro/cdmz/").content.decode()
            assert client.get("/chains/metro/cdmz/edit/").status_code == 403
            changed = client.post("/chains/metro/cdmz/edit/", metro_post(name="改名"))
            assert changed.status_code == 403
        assert MetroArea.objects.get(key="cdmz").name == "成德眉资"
        # Officers and viewers create nothing; an admin of any organisation may.
        assert (
            client_of(people["city_officer"]).post("/chains/metros/new/", metro_post()).status_code
            == 403
        )
        assert (
            'id="new-metro"'
            not in client_of(people["viewer"]).get("/chains/metros/").content.decode()
        )

    def test_each_refusal_names_its_field(self, people: dict[str, User]) -> None:
        client = client_of(people["city_admin"])

        def errors(**overrides: str) -> str:
            response = client.post("/chains/metros/new/", metro_post(**overrides))
            assert response.status_code == 422
            return response.content.decode()

        assert "第2个成员“火星市”" in errors(members="510100\n火星市")
        assert "都市圈至少要有 2 个成员行政区" in errors(members="510100")
        assert "已包含在成员" in errors(members="510100\n510106")
        assert "主导城市“甘肃省张掖市”不在都市圈的成员之内" in errors(
            **{"leads-0-region": "620700"}
        )
        assert "请填写主导城市" in errors(**{"leads-0-region": ""})
        assert "代码须以小写字母开头" in errors(key="new")
        assert not MetroArea.objects.exists()
        metros.save_metro(
            people["root"],
            None,
            key="cdmz",
            name="甲",
            members=list(_regions("510100", "510600")),
            leads=[],
        )
        assert "代码“cdmz”已被使用" in errors()

    def test_editing_keeps_the_key_and_an_unchanged_leads_source(
        self, people: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        metro = MetroArea.objects.create(key="cdmz", name="成德眉资", owner=orgs["city"])
        for order, adcode in enumerate(("510100", "510600"), start=1):
            MetroMember.objects.create(metro=metro, region_id=adcode, order=order)
        MetroLead.objects.create(
            metro=metro,
            chain_key="testpv",
            region_id="510600",
            source_quote="原文",
            source_file="a.txt",
        )
        client = client_of(people["city_admin"])
        form = client.get("/chains/metro/cdmz/edit/").content.decode()
        assert 'name="key"' not in form and "德阳市 (510600)" in form
        data = metro_post(name="成德眉资同城化", members="510100\n510600\n511400")
        data["leads-INITIAL_FORMS"] = "1"
        response = client.post("/chains/metro/cdmz/edit/", data)
        assert response.status_code == 302
        metro.refresh_from_db()
        assert (metro.key, metro.name, metro.owner_id) == (
            "cdmz",
            "成德眉资同城化",
            orgs["city"].pk,
        )
        assert metro.members.count() == 3
        lead = metro.leads.get()
        assert (lead.source_quote, lead.source_file) == ("原文", "a.txt")
        # Another city for the chain: the quote no longer applies.
        data["leads-0-region"] = "510100"
        client.post("/chains/metro/cdmz/edit/", data)
        assert metro.leads.get().source_quote == ""

    def test_installation_admin_edits_any_and_chooses_the_maintainer(
        self, people: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        metros.save_metro(
            people["city_admin"],
            None,
            key="cdmz",
            name="成德眉资",
            members=list(_regions("510100", "510600")),
            leads=[],
        )
        client = client_of(people["root"])
        response = client.post(
            "/chains/metro/cdmz/edit/", metro_post(owner=str(orgs["province"].pk))
        )
        assert response.status_code == 302
        assert MetroArea.objects.get(key="cdmz").owner == orgs["province"]
        # The city's admin no longer maintains it.
        assert client_of(people["city_admin"]).get("/chains/metro/cdmz/edit/").status_code == 403
        with pytest.raises(Forbidden):
            metros.save_metro(
                people["city_admin"],
                MetroArea.objects.get(key="cdmz"),
                name="x",
                members=list(_regions("510100", "510600")),
                leads=[],
            )


def _regions(*adcodes: str):  # type: ignore[no-untyped-def]
    from parklink.regions.models import Region

    found = {r.adcode: r for r in Region.objects.filter(adcode__in=adcodes)}
    return [found[code] for code in adcodes]


class TestFocusChains:
    def test_an_admin_sets_focus_chains_of_its_own_places_only(
        self, people: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        own = factories.park(orgs["jinniu"], "金牛测试园")
        other = factories.park(orgs["zhangye"], "张掖测试园")
        client = client_of(people["jinniu_admin"])
        page = client.get("/chains/focus/").content.decode()
        assert f'value="park:{own.pk}"' in page and 'value="region:510106"' in page
        assert f'value="park:{other.pk}"' not in page
        response = client.post(
            "/chains/focus/", {"place": f"park:{own.pk}", "chain": "testpv", "label": "光伏"}
        )
        assert response.status_code == 302
        focus = FocusChain.objects.get()
        assert (focus.place, focus.place_name, focus.label) == (
            f"park:{own.pk}",
            "金牛测试园",
            "光伏",
        )
        refused = client.post("/chains/focus/", {"place": f"park:{other.pk}", "chain": "testpv"})
        assert refused.status_code == 422
        again = client.post("/chains/focus/", {"place": f"park:{own.pk}", "chain": "testpv"})
        assert again.status_code == 422 and "已把这条产业链列为重点" in again.content.decode()
        assert FocusChain.objects.count() == 1

    def test_others_read_but_cannot_change(
        self, people: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        own = factories.park(orgs["jinniu"], "金牛测试园")
        focus = metros.add_focus(people["jinniu_admin"], f"park:{own.pk}", "testpv")
        for who in ("zhangye_admin", "city_officer", "viewer"):
            client = client_of(people[who])
            html = client.get("/chains/focus/").content.decode()
            assert "金牛测试园" in html
            assert f'data-remove-focus="{focus.pk}"' not in html
            assert client.post(f"/chains/focus/{focus.pk}/remove/").status_code == 403
        assert (
            client_of(people["viewer"])
            .post("/chains/focus/", {"place": f"park:{own.pk}", "chain": "testpv"})
            .status_code
            == 403
        )
        with pytest.raises(Invalid):
            metros.add_focus(people["zhangye_admin"], f"park:{own.pk}", "testpv")
        assert FocusChain.objects.filter(pk=focus.pk).exists()
        # The owner's admin and an installation administrator may remove it.
        client = client_of(people["root"])
        assert f'data-remove-focus="{focus.pk}"' in client.get("/chains/focus/").content.decode()
        assert client.post(f"/chains/focus/{focus.pk}/remove/").status_code == 302
        assert not FocusChain.objects.exists()
