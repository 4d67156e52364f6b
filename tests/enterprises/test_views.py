"""Enterprise pages: the list, the profile page, create/edit and the live USCC check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parklink.accounts.models import Organization, User
from parklink.core.sources import cite
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.enterprises.uscc import check_character
from parklink.parks.models import Park
from parklink.projects import services as project_services
from tests.support import factories

QUERY_COUNTS = Path(__file__).resolve().parent.parent / "web_query_counts_registry.json"


def uscc(serial: int, region: str = "510100") -> str:
    """A well-formed code: legal-person enterprise (91), the region, a serial, its check char."""
    body = f"91{region}{serial:09d}"
    return body + check_character(body)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User], today: Any) -> dict[str, Any]:
    city = orgs["city"]
    gaode = factories.park(city, "高德产业园", "510100", kind="cobuilt_park")
    future = factories.park(city, "成都未来科技城", "510100", parent=gaode)
    hydrogen = factories.park(orgs["zhangye"], "氢能零碳产业园", "620702")
    wofei = factories.enterprise(
        city,
        "四川沃飞长空科技发展有限公司",
        "510100",
        sites=[{"park": future, "role": "headquarters"}],
        short_name="沃飞长空",
        uscc=uscc(1),
        industry_code="3741",
        is_chain_leader=True,
        is_high_tech=True,
        registered_capital=Decimal("200000000"),
    )
    rongsu = factories.enterprise(
        city,
        "苏州融速智造科技有限公司",
        "320500",
        sites=[
            {"park": gaode, "role": "rnd"},
            {"region_id": "320500", "role": "manufacturing"},
        ],
        uscc=uscc(2, "320500"),
        industry_code="3421",
        is_specialised_sme=True,
    )
    hexi = factories.enterprise(
        orgs["zhangye"],
        "甘肃河西硅业有限公司",
        "620702",
        sites=[{"park": hydrogen, "role": "manufacturing"}],
        industry_code="3140",
        is_above_scale=True,
        is_listed=True,
    )
    cite(
        wofei,
        [
            {
                "file": "000_37f854685ce8a0f4.txt",
                "quote": "沃飞长空全球总部基地等 6 个项目也正在加快建设",
            }
        ],
    )
    projects = {
        "signed": project_services.create_project(
            users["jinniu"],
            name="沃飞长空全球总部基地",
            park=future,
            investor=wofei,
            stage="under_construction",
            stage_date=today,
            total_investment=Decimal("5000000000"),
        ),
        "secret": project_services.create_project(
            users["jinniu"],
            name="沃飞长空二期(保密)",
            park=future,
            investor=wofei,
            stage="negotiating",
            stage_date=today,
        ),
    }
    return {
        "gaode": gaode,
        "future": future,
        "hydrogen": hydrogen,
        "wofei": wofei,
        "rongsu": rongsu,
        "hexi": hexi,
        "projects": projects,
    }


def names(response: Any) -> list[str]:
    return [e.name for e in response.context["enterprises"]]


class TestEnterpriseList:
    def test_requires_login(self, db: Any) -> None:
        assert Client().get(reverse("enterprises:list")).status_code == 302

    def test_lists_every_enterprise_by_pinyin_with_flag_badges(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("enterprises:list"))
        assert names(response) == [
            "甘肃河西硅业有限公司",
            "四川沃飞长空科技发展有限公司",
            "苏州融速智造科技有限公司",
        ]
        html = response.content.decode()
        for badge in ("链主", "上市", "高新", "规上", "专精特新"):
            assert badge in html

    def test_region_filter_includes_sub_regions(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("enterprises:list"), {"region": "510000"})
        assert names(response) == ["四川沃飞长空科技发展有限公司"]

    def test_industry_filter_is_a_code_prefix(self, users, world) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        assert names(client.get(reverse("enterprises:list"), {"industry": "37"})) == [
            "四川沃飞长空科技发展有限公司"
        ]
        assert names(client.get(reverse("enterprises:list"), {"industry": "3"})) == [
            "甘肃河西硅业有限公司",
            "四川沃飞长空科技发展有限公司",
            "苏州融速智造科技有限公司",
        ]

    def test_flags_filter_requires_every_chosen_flag(self, users, world) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        url = reverse("enterprises:list")
        assert names(client.get(url, {"flags": ["listed"]})) == ["甘肃河西硅业有限公司"]
        assert names(client.get(url, {"flags": ["chain_leader", "high_tech"]})) == [
            "四川沃飞长空科技发展有限公司"
        ]
        assert names(client.get(url, {"flags": ["chain_leader", "listed"]})) == []

    def test_park_filter_includes_enterprises_on_its_sub_parks(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("enterprises:list"), {"park": world["gaode"].pk}
        )
        assert names(response) == ["四川沃飞长空科技发展有限公司", "苏州融速智造科技有限公司"]

    @pytest.mark.parametrize("text", ["沃飞", "wofei", "scwfck", "915101000000000"])
    def test_text_matches_name_pinyin_initials_and_uscc(self, users, world, text) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("enterprises:list"), {"q": text})
        assert names(response) == ["四川沃飞长空科技发展有限公司"]

    def test_project_count_excludes_other_organisations_confidential_projects(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        city = client_for(users["city"]).get(reverse("enterprises:list"))
        jinniu = client_for(users["jinniu"]).get(reverse("enterprises:list"))
        counts = {e.name: e.project_count for e in city.context["enterprises"]}
        assert counts["四川沃飞长空科技发展有限公司"] == 1
        assert {e.name: e.project_count for e in jinniu.context["enterprises"]}[
            "四川沃飞长空科技发展有限公司"
        ] == 2

    def test_sorts_by_registered_capital(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("enterprises:list"), {"sort": "-capital"})
        assert names(response)[0] == "四川沃飞长空科技发展有限公司"
        assert "2亿元" in response.content.decode()

    def test_queries_do_not_grow_with_the_number_of_enterprises(  # type: ignore[no-untyped-def]
        self, users, orgs, today
    ) -> None:
        park = Park.objects.create(
            owner=orgs["city"], name="园", region_id="510100", kind="industrial_park"
        )

        def add(count: int, start: int) -> None:
            for index in range(start, start + count):
                enterprise = Enterprise.objects.create(
                    owner=orgs["city"], name=f"企业{index}", uscc=uscc(index), region_id="510100"
                )
                EnterpriseSite.objects.create(enterprise=enterprise, park=park, role="rnd")
                project_services.create_project(
                    users["city"],
                    name=f"项目{index}",
                    investor=enterprise,
                    region_id="510100",
                    stage="signed",
                    stage_date=today,
                )

        client = client_for(users["city"])
        counts = []
        for count, start in ((5, 100), (20, 200)):
            add(count, start)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("enterprises:list")).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1]
        assert counts[1] == json.loads(QUERY_COUNTS.read_text("utf-8"))["enterprises:list"]


class TestEnterpriseDetail:
    def test_shows_the_uscc_with_a_valid_marker_region_industry_and_capital(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        response = client_for(users["city"]).get(
            reverse("enterprises:detail", args=[world["wofei"].pk])
        )
        html = response.content.decode()
        assert world["wofei"].uscc in html
        assert 'id="uscc-valid"' in html
        assert "3741" in html and "铁路、船舶、航空航天和其他运输设备制造业" in html
        assert "2亿元" in html
        assert "链主" in html

    def test_a_stored_invalid_code_is_flagged(self, users, world) -> None:  # type: ignore[no-untyped-def]
        good = world["hexi"]
        bad = uscc(3)[:-1] + ("0" if uscc(3)[-1] != "0" else "1")
        Enterprise.objects.filter(pk=good.pk).update(uscc=bad)
        html = (
            client_for(users["city"])
            .get(reverse("enterprises:detail", args=[good.pk]))
            .content.decode()
        )
        assert 'id="uscc-valid"' not in html
        assert "校验未通过" in html

    def test_sites_table_links_each_park_with_the_site_role(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("enterprises:detail", args=[world["rongsu"].pk])
        )
        html = response.content.decode()
        assert reverse("parks:detail", args=[world["gaode"].pk]) in html
        assert "研发" in html and "生产制造" in html
        graph = response.context["sites_graph"]["series"][0]
        assert [link["label"]["formatter"] for link in graph["links"]] == ["研发", "生产制造"]

    def test_lists_only_the_projects_the_user_may_see(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("enterprises:detail", args=[world["wofei"].pk])
        city = client_for(users["city"]).get(url).content.decode()
        assert "沃飞长空全球总部基地" in city
        assert "沃飞长空二期(保密)" not in city
        assert "50亿元" in city
        jinniu = client_for(users["jinniu"]).get(url).content.decode()
        assert "沃飞长空二期(保密)" in jinniu

    def test_sources_are_quoted(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("enterprises:detail", args=[world["wofei"].pk]))
            .content.decode()
        )
        assert "沃飞长空全球总部基地等 6 个项目也正在加快建设" in html

    def test_edit_button_only_for_writers_of_the_owner(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("enterprises:detail", args=[world["wofei"].pk])
        edit = reverse("enterprises:edit", args=[world["wofei"].pk])
        assert edit in client_for(users["city"]).get(url).content.decode()
        assert edit not in client_for(users["zhangye"]).get(url).content.decode()


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "四川逢春麝业集团有限公司",
        "short_name": "",
        "uscc": "",
        "region": "510100",
        "industry_code": "0399",
        "registered_capital_wan": "5000",
        "description": "",
        "sites-TOTAL_FORMS": "2",
        "sites-INITIAL_FORMS": "0",
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "10",
        "sites-0-role": "",
        "sites-0-park": "",
        "sites-0-address": "",
        "sites-1-role": "",
        "sites-1-park": "",
        "sites-1-address": "",
    }
    data.update(overrides)
    return data


class TestEnterpriseCreate:
    def test_creates_an_enterprise_with_capital_in_wan_yuan_and_its_sites(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        response = client_for(users["city"]).post(
            reverse("enterprises:create"),
            _form(
                uscc=uscc(77),
                is_specialised_sme="on",
                **{"sites-0-role": "manufacturing", "sites-0-park": str(world["gaode"].pk)},
            ),
        )
        created = Enterprise.objects.get(name="四川逢春麝业集团有限公司")
        assert response.status_code == 302
        assert response["Location"] == reverse("enterprises:detail", args=[created.pk])
        assert created.registered_capital == Decimal("50000000")
        assert created.is_specialised_sme
        site = created.sites.get()
        assert (site.role, site.park, site.region_id) == ("manufacturing", world["gaode"], "510100")

    def test_an_invalid_uscc_shows_the_check_character_reason(self, users, world) -> None:  # type: ignore[no-untyped-def]
        good = uscc(78)
        wrong = "0" if good[-1] != "0" else "1"
        response = client_for(users["city"]).post(
            reverse("enterprises:create"), _form(uscc=good[:-1] + wrong)
        )
        message = response.context["form"].errors["uscc"][0]
        assert f"第18位应为“{good[-1]}”,实际为“{wrong}”" in message
        assert message in response.content.decode()
        assert not Enterprise.objects.filter(name="四川逢春麝业集团有限公司").exists()

    def test_a_duplicate_name_names_the_existing_enterprise(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).post(
            reverse("enterprises:create"), _form(name="四川沃飞长空科技发展有限公司")
        )
        assert (
            "已有同名企业“四川沃飞长空科技发展有限公司”"
            in response.context["form"].errors["name"][0]
        )
        html = response.content.decode()
        assert 'id="duplicate"' in html
        assert reverse("enterprises:detail", args=[world["wofei"].pk]) in html

    def test_a_registered_uscc_names_its_holder_next_to_the_code(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).post(
            reverse("enterprises:create"), _form(uscc=world["wofei"].uscc.lower())
        )
        message = response.context["form"].errors["uscc"][0]
        assert "已登记为“四川沃飞长空科技发展有限公司”" in message

    def test_a_site_without_a_role_is_refused(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).post(
            reverse("enterprises:create"), _form(**{"sites-0-park": str(world["gaode"].pk)})
        )
        assert response.status_code == 200
        assert response.context["sites"].forms[0].errors["role"]

    def test_an_installation_admin_chooses_the_owner(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["root"]).post(
            reverse("enterprises:create"), _form(owner=str(orgs["dege"].pk))
        )
        assert response.status_code == 302
        assert Enterprise.objects.get(name="四川逢春麝业集团有限公司").owner == orgs["dege"]

    def test_a_viewer_gets_403(self, users, db) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["jinniu_viewer"])
        assert client.get(reverse("enterprises:create")).status_code == 403
        assert client.post(reverse("enterprises:create"), _form()).status_code == 403
        assert not Enterprise.objects.exists()


class TestEnterpriseEdit:
    def test_the_owner_edits_with_current_values_filled_in(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("enterprises:edit", args=[world["wofei"].pk])
        client = client_for(users["city"])
        page = client.get(url)
        assert page.context["form"].initial["registered_capital_wan"] == Decimal("20000")
        response = client.post(
            url,
            _form(
                name="四川沃飞长空科技发展有限公司",
                uscc=world["wofei"].uscc,
                registered_capital_wan="30000",
                is_listed="on",
            ),
        )
        assert response.status_code == 302
        world["wofei"].refresh_from_db()
        assert world["wofei"].registered_capital == Decimal("300000000")
        assert world["wofei"].is_listed

    def test_a_non_owner_gets_403_on_the_page_and_on_post(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("enterprises:edit", args=[world["wofei"].pk])
        client = client_for(users["zhangye"])
        assert client.get(url).status_code == 403
        assert client.post(url, _form(name="改名")).status_code == 403
        world["wofei"].refresh_from_db()
        assert world["wofei"].name == "四川沃飞长空科技发展有限公司"

    def test_renaming_onto_another_enterprise_names_it(self, users, world) -> None:  # type: ignore[no-untyped-def]
        Enterprise.objects.filter(pk=world["rongsu"].pk).update(region_id="510100")
        response = client_for(users["city"]).post(
            reverse("enterprises:edit", args=[world["wofei"].pk]),
            _form(name="苏州融速智造科技有限公司", uscc=world["wofei"].uscc),
        )
        assert "“苏州融速智造科技有限公司”" in response.context["form"].errors["name"][0]


class TestUsccCheck:
    def test_a_good_code_is_confirmed(self, users, db) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("enterprises:uscc_check"), {"uscc": uscc(5)})
            .content.decode()
        )
        assert 'data-uscc="valid"' in html

    def test_a_bad_check_character_is_explained(self, users, db) -> None:  # type: ignore[no-untyped-def]
        good = uscc(5)
        wrong = "0" if good[-1] != "0" else "1"
        html = (
            client_for(users["city"])
            .get(reverse("enterprises:uscc_check"), {"uscc": good[:-1] + wrong})
            .content.decode()
        )
        assert f"第18位应为“{good[-1]}”" in html

    def test_a_registered_code_names_its_holder_except_on_its_own_form(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        client = client_for(users["city"])
        url = reverse("enterprises:uscc_check")
        taken = client.get(url, {"uscc": world["wofei"].uscc}).content.decode()
        assert "四川沃飞长空科技发展有限公司" in taken
        own = client.get(url, {"uscc": world["wofei"].uscc, "pk": world["wofei"].pk})
        assert 'data-uscc="valid"' in own.content.decode()

    def test_an_unreadable_record_number_is_ignored(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("enterprises:uscc_check"), {"uscc": world["wofei"].uscc, "pk": "²"}
        )
        assert response.status_code == 200
        assert "四川沃飞长空科技发展有限公司" in response.content.decode()


class TestEditSites:
    def test_edit_page_changes_the_sites(self, users):  # type: ignore[no-untyped-def]
        from django.test import Client

        from parklink.enterprises.services import create_enterprise

        company = create_enterprise(
            users["jinniu"],
            name="冷链物联网设备公司",
            region_id="510106",
            sites=[{"role": "headquarters", "region_id": "510106"}],
        )
        client = Client()
        client.force_login(users["jinniu"])
        page = client.get(f"/enterprises/{company.pk}/edit/").content.decode()
        assert 'name="sites-0-role"' in page and 'value="headquarters" selected' in page
        data = {
            "name": company.name,
            "region": "510106",
            "sites-TOTAL_FORMS": "2",
            "sites-INITIAL_FORMS": "1",
            "sites-MIN_NUM_FORMS": "0",
            "sites-MAX_NUM_FORMS": "10",
            "sites-0-role": "rnd",
            "sites-0-park": "",
            "sites-0-address": "金牛区",
            "sites-1-role": "manufacturing",
            "sites-1-park": "",
            "sites-1-address": "什邡",
        }
        response = client.post(f"/enterprises/{company.pk}/edit/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert sorted(company.sites.values_list("role", flat=True)) == ["manufacturing", "rnd"]

    def test_saving_the_form_keeps_the_region_of_a_site_outside_parks(self, users, world):  # type: ignore[no-untyped-def]
        rongsu = world["rongsu"]
        url = reverse("enterprises:edit", args=[rongsu.pk])
        client = client_for(users["city"])
        sites = client.get(url).context["sites"]
        # What the browser sends back for the site rows when nobody touches them.
        shown = {
            field.html_name: field.field.prepare_value(field.value())
            for form in [sites.management_form, *sites.forms]
            for field in form
        }
        data = _form(name=rongsu.name, uscc=rongsu.uscc, region="320500")
        data.update({key: "" if value is None else str(value) for key, value in shown.items()})
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
        sites = {(s.role, s.park_id, s.region_id) for s in rongsu.sites.all()}
        assert sites == {
            ("rnd", world["gaode"].pk, "510100"),
            ("manufacturing", None, "320500"),
        }

    def test_a_region_inside_the_park_is_kept_and_one_outside_gives_way_to_the_park(  # type: ignore[no-untyped-def]
        self, users, world
    ):
        rongsu = world["rongsu"]
        response = client_for(users["city"]).post(
            reverse("enterprises:edit", args=[rongsu.pk]),
            _form(
                name=rongsu.name,
                uscc=rongsu.uscc,
                region="320500",
                **{
                    "sites-0-role": "rnd",
                    "sites-0-park": str(world["gaode"].pk),
                    "sites-0-region": "510106",
                    "sites-1-role": "manufacturing",
                    "sites-1-park": str(world["hydrogen"].pk),
                    "sites-1-region": "苏州市 (320500)",
                },
            ),
        )
        assert response.status_code == 302
        sites = {(s.role, s.region_id) for s in rongsu.sites.all()}
        assert sites == {("rnd", "510106"), ("manufacturing", "620702")}
