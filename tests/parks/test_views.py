"""Park pages: the list, the profile page and the create/edit form, each scoped to the user."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parklink.accounts.models import Organization, User
from parklink.core.sources import cite
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import (
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkResource,
)
from parklink.projects import services as project_services
from parklink.projects.models import Project
from tests.support import factories

QUERY_COUNTS = Path(__file__).resolve().parent.parent / "web_query_counts_registry.json"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def options(html: str, script_id: str) -> dict[str, Any]:
    """The ECharts option dict a page embedded with json_script under `script_id`."""
    start = html.index(f'id="{script_id}"')
    body_start = html.index(">", start) + 1
    body_end = html.index("</script>", body_start)
    return dict(json.loads(html[body_start:body_end]))


@pytest.fixture
def world(orgs: dict[str, Organization], users: dict[str, User], today: Any) -> dict[str, Any]:
    """高德产业园 (一区四园 reduced to two) in the 三园联动, and 张掖经开区 with its 2+6."""
    city, dege = orgs["city"], orgs["dege"]
    gaode = factories.park(
        city,
        "成都高新区—德格县共建产业园区",
        "510100",
        kind="cobuilt_park",
        short_name="高德产业园",
        carrier_built_m2=Decimal("745000"),
        carrier_occupied_m2=Decimal("558750"),
        planned_area_mu=Decimal("1200"),
    )
    future = factories.park(city, "成都未来科技城", "510100", parent=gaode)
    bio = factories.park(city, "成都天府国际生物城", "510116", parent=gaode)
    ganmei = factories.park(dege, "甘眉工业园", "511400")
    manigange = factories.park(dege, "马尼干戈产业园", "513330")
    linkage = factories.linkage(
        city,
        "“三园联动”(高德—甘眉—德格)",
        [
            (gaode, "rnd_incubation"),
            (ganmei, "supporting_manufacturing"),
            (manigange, "local_landing"),
        ],
    )
    ParkIndustry.objects.create(park=future, name="新能源", role="leading")

    zhangye = factories.park(orgs["zhangye"], "张掖经开区", "620702", kind="national_etdz")
    hydrogen = factories.park(
        orgs["zhangye"], "氢能零碳产业园", "620702", parent=zhangye, planned_area_mu=Decimal("4100")
    )
    for order, name in enumerate(["氢能零碳产业", "国家玉米种子产业"]):
        ParkIndustry.objects.create(park=zhangye, name=name, role="representative", order=order)
    for order, name in enumerate(
        [
            "综合能源及装备制造",
            "有色冶金新材料",
            "农畜产品精深加工",
            "生物医药化工",
            "智能制造大数据",
            "现代服务",
        ]
    ):
        ParkIndustry.objects.create(park=zhangye, name=name, role="foundational", order=order)
    ParkResource.objects.create(
        park=zhangye, kind="avg_temperature", value=6, value_max=8, unit="℃", note="张掖平均气温"
    )
    ParkResource.objects.create(park=zhangye, kind="frost_free_days", value=160, unit="天")
    for indicator, value, unit in [
        ("gdp", Decimal("17625000000"), ""),
        ("gdp_share_of_city", Decimal(29), "%"),
        ("tax", Decimal("1460000000"), ""),
        ("national_rank", Decimal(131), "位"),
        ("national_rank_total", Decimal(230), "家"),
    ]:
        ParkIndicator.objects.create(
            park=zhangye, year=2023, indicator=indicator, value=value, unit=unit
        )
    cite(
        zhangye,
        [
            {
                "file": "003_d6a5ce08102744b4.txt",
                "quote": "2023年完成地区生产总值176.25亿元、占全市29%",
            }
        ],
    )

    jinniu = users["jinniu"]
    projects = {
        "city_lead": project_services.create_project(
            users["city"],
            name="沃飞长空全球总部基地",
            park=gaode,
            stage="lead",
            stage_date=today,
            total_investment=Decimal("5000000000"),
        ),
        "jinniu_signed": project_services.create_project(
            jinniu,
            name="3D打印研发与产业化基地",
            park=future,
            stage="signed",
            stage_date=today,
            total_investment=Decimal("300000000"),
        ),
        "jinniu_secret": project_services.create_project(
            jinniu, name="金牛保密线索", park=gaode, stage="negotiating", stage_date=today
        ),
    }
    investor = Enterprise.objects.create(
        owner=city, name="四川沃飞长空科技发展有限公司", region_id="510100", is_high_tech=True
    )
    EnterpriseSite.objects.create(enterprise=investor, park=future, role="headquarters")
    return {
        "gaode": gaode,
        "future": future,
        "bio": bio,
        "ganmei": ganmei,
        "manigange": manigange,
        "zhangye": zhangye,
        "hydrogen": hydrogen,
        "linkage": linkage,
        "projects": projects,
        "investor": investor,
    }


class TestParkList:
    def test_requires_login(self, db: Any) -> None:
        response = Client().get(reverse("parks:list"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]

    def test_sub_parks_follow_their_parent_one_level_deeper(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"))
        rows = [(p.name, p.depth) for p in response.context["parks"]]
        gaode_at = rows.index(("成都高新区—德格县共建产业园区", 0))
        assert set(rows[gaode_at + 1 : gaode_at + 3]) == {
            ("成都未来科技城", 1),
            ("成都天府国际生物城", 1),
        }
        assert rows[rows.index(("张掖经开区", 0)) + 1] == ("氢能零碳产业园", 1)

    def test_filters_by_kind(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"), {"kind": "national_etdz"})
        assert [p.name for p in response.context["parks"]] == ["张掖经开区"]

    def test_region_filter_includes_parks_in_sub_regions(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"), {"region": "510000"})
        names = {p.name for p in response.context["parks"]}
        assert {"成都天府国际生物城", "马尼干戈产业园", "甘眉工业园"} <= names
        assert "张掖经开区" not in names

    def test_a_region_without_parks_lists_none_rather_than_all(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"), {"region": "110000"})
        assert response.context["parks"] == []
        assert ("110000", "北京市") in response.context["form"].fields["region"].choices

    def test_a_bad_filter_value_is_ignored_and_the_others_still_apply(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("parks:list"), {"kind": "no_such_kind", "region": "620000"}
        )
        assert {p.name for p in response.context["parks"]} == {"张掖经开区", "氢能零碳产业园"}

    def test_region_choices_are_the_regions_that_hold_parks(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"))
        codes = [code for code, _label in response.context["form"].fields["region"].choices]
        assert {"510000", "510100", "513330", "620000", "620702"} <= set(codes)
        assert "110000" not in codes

    @pytest.mark.parametrize("text", ["共建产业园", "高德产业园", "chengdugaoxinqu", "cdgxq"])
    def test_text_search_matches_name_short_name_pinyin_and_initials(  # type: ignore[no-untyped-def]
        self, users, world, text
    ) -> None:
        response = client_for(users["city"]).get(reverse("parks:list"), {"q": text})
        assert "成都高新区—德格县共建产业园区" in {p.name for p in response.context["parks"]}
        assert "张掖经开区" not in {p.name for p in response.context["parks"]}

    def test_project_count_excludes_other_organisations_confidential_projects(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        response = client_for(users["city"]).get(reverse("parks:list"))
        gaode = next(p for p in response.context["parks"] if p.pk == world["gaode"].pk)
        # Its own lead, and the signed project of its sub-park; never jinniu's negotiation.
        assert (gaode.own_projects, gaode.sub_projects, gaode.project_total) == (1, 1, 2)

    def test_the_owner_of_a_confidential_project_counts_it(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["jinniu"]).get(reverse("parks:list"))
        gaode = next(p for p in response.context["parks"] if p.pk == world["gaode"].pk)
        assert gaode.own_projects == 1  # its own negotiation; the city's lead stays hidden
        assert gaode.sub_projects == 1

    def test_sorting_by_occupancy_gives_a_flat_list(self, users, world) -> None:  # type: ignore[no-untyped-def]
        Park.objects.filter(pk=world["zhangye"].pk).update(
            carrier_built_m2=Decimal(1000), carrier_occupied_m2=Decimal(900)
        )
        response = client_for(users["city"]).get(reverse("parks:list"), {"sort": "-occupancy"})
        parks = response.context["parks"]
        assert [p.name for p in parks[:2]] == ["张掖经开区", "成都高新区—德格县共建产业园区"]
        assert response.context["tree"] is False
        assert "隶属" in response.content.decode()

    def test_unknown_sort_falls_back_to_the_tree(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:list"), {"sort": "owner__name"})
        assert response.status_code == 200
        assert response.context["tree"] is True

    def test_shows_carriers_in_wan_square_metres_and_the_occupancy(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = client_for(users["city"]).get(reverse("parks:list")).content.decode()
        assert "74.5万平方米" in html
        assert "75%" in html

    def test_pages_hold_twenty_five_parks(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        for index in range(30):
            factories.park(orgs["city"], f"测试园区{index:02d}", "510100")
        client = client_for(users["city"])
        first = client.get(reverse("parks:list"))
        second = client.get(reverse("parks:list"), {"page": 2})
        assert len(first.context["parks"]) == 25
        assert len(second.context["parks"]) == 5
        assert first.context["total"] == 30


def _populate(
    orgs: dict[str, Organization], users: dict[str, User], count: int, today: Any
) -> None:
    top = factories.park(orgs["city"], "顶级园区", "510100")
    for index in range(count - 1):
        park = factories.park(
            orgs["jinniu"],
            f"园区{index:02d}",
            "510106",
            parent=top if index % 2 else None,
            carrier_built_m2=Decimal(1000),
            carrier_occupied_m2=Decimal(500),
        )
        ParkIndustry.objects.create(park=park, name="电子信息")
        ParkIndustry.objects.create(park=park, name="生物医药", role="foundational")
        project_services.create_project(
            users["jinniu"], name=f"项目{index}", park=park, stage="signed", stage_date=today
        )


def _queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


class TestParkListQueryCount:
    @pytest.mark.parametrize("params", [{}, {"sort": "-projects"}], ids=["tree", "sorted"])
    def test_queries_do_not_grow_with_the_number_of_parks(  # type: ignore[no-untyped-def]
        self, orgs, users, today, params
    ) -> None:
        client = client_for(users["city"])
        _populate(orgs, users, 5, today)
        few = _queries(client, reverse("parks:list"), params)
        _populate_more = [factories.park(orgs["jinniu"], f"新园区{i}", "510106") for i in range(20)]
        for park in _populate_more:
            ParkIndustry.objects.create(park=park, name="新材料")
        many = _queries(client, reverse("parks:list"), params)
        assert few == many
        pinned = json.loads(QUERY_COUNTS.read_text("utf-8"))
        assert many == pinned["parks:list"]


class TestParkDetailQueryCount:
    def test_queries_do_not_grow_with_the_number_of_project_owners(  # type: ignore[no-untyped-def]
        self, orgs, users, today
    ) -> None:
        park = factories.park(orgs["city"], "多方共建园", "510100")
        url = reverse("parks:detail", args=[park.pk])
        client = client_for(users["province"])
        for index in range(3):
            project_services.create_project(
                users["city"], name=f"市级项目{index}", park=park, stage="signed", stage_date=today
            )
        client.get(url)  # warm-up: caches that fill once per process are not the page's
        one_owner = _queries(client, url)
        for key in ("jinniu", "qingbaijiang", "dege"):
            project_services.create_project(
                users[key], name=f"{key}项目", park=park, stage="signed", stage_date=today
            )
        client.get(url)  # the writes moved the library on: its cached figures fill again
        four_owners = _queries(client, url)
        assert len(client.get(url).context["projects"]["rows"]) == 6
        assert one_owner == four_owners


class TestParkDetail:
    def test_header_shows_kind_region_parent_and_owner(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:detail", args=[world["bio"].pk]))
        html = response.content.decode()
        assert "四川省成都市双流区" in html or "双流区" in html
        assert reverse("parks:detail", args=[world["gaode"].pk]) in html
        assert "成都市投资促进局" in html
        assert "产业园" in html

    def test_missing_park_is_404(self, users, db) -> None:  # type: ignore[no-untyped-def]
        assert (
            client_for(users["city"]).get(reverse("parks:detail", args=[999999])).status_code == 404
        )

    def test_the_tree_starts_at_the_top_park_and_highlights_the_current_one(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        html = (
            client_for(users["city"])
            .get(reverse("parks:detail", args=[world["bio"].pk]))
            .content.decode()
        )
        root = options(html, "park-tree-options")["series"][0]["data"][0]
        assert root["name"] == "高德产业园"
        assert root["url"] == reverse("parks:detail", args=[world["gaode"].pk])
        bio = next(c for c in root["children"] if c["name"] == "成都天府国际生物城")
        assert bio["label"]["fontWeight"] == "bold"
        future = next(c for c in root["children"] if c["name"] == "成都未来科技城")
        assert future["url"] == reverse("parks:detail", args=[world["future"].pk])

    def test_a_park_without_family_shows_no_tree(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:detail", args=[world["ganmei"].pk]))
        assert response.context["tree"] is None
        assert "park-tree-options" not in response.content.decode()

    def test_the_linkage_graph_labels_each_park_with_its_role(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("parks:detail", args=[world["ganmei"].pk]))
            .content.decode()
        )
        series = options(html, "park-linkage-options")["series"][0]
        labels = {node["name"]: node["label"]["formatter"] for node in series["data"]}
        assert "研发孵化" in labels["高德产业园"]
        assert "配套制造" in labels["甘眉工业园"]
        assert "本地落地" in labels["马尼干戈产业园"]
        urls = {node["name"]: node.get("url") for node in series["data"]}
        assert urls["马尼干戈产业园"] == reverse("parks:detail", args=[world["manigange"].pk])
        assert urls["甘眉工业园"] is None
        assert "“三园联动”(高德—甘眉—德格)" in html

    def test_carriers_and_the_occupancy_gauge(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("parks:detail", args=[world["gaode"].pk]))
            .content.decode()
        )
        assert "74.5万平方米" in html
        assert "55.88万平方米" in html
        assert options(html, "park-gauge-options")["series"][0]["data"][0]["value"] == 75.0
        assert "1200" in html

    def test_industries_are_grouped_by_role_two_plus_six(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("parks:detail", args=[world["zhangye"].pk])
        )
        groups = {group["label"]: group["names"] for group in response.context["industries"]}
        assert groups["代表性产业"] == ["氢能零碳产业", "国家玉米种子产业"]
        assert len(groups["基础性产业"]) == 6
        assert "2+6" in response.content.decode()

    def test_resources_show_ranges_with_units(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(
            reverse("parks:detail", args=[world["zhangye"].pk])
        )
        rows = {row["kind"]: row for row in response.context["resources"]}
        assert rows["平均气温"]["value"] == "6–8"
        assert rows["平均气温"]["unit"] == "℃"
        assert rows["无霜期"]["value"] == "160"

    def test_indicators_are_charted_and_tabulated_in_their_units(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("parks:detail", args=[world["zhangye"].pk]))
            .content.decode()
        )
        money = options(html, "park-money-options")
        assert {s["name"]: s["data"] for s in money["series"]} == {
            "地区生产总值": [176.25],
            "税收": [14.6],
        }
        assert options(html, "park-share-options")["series"][0]["data"] == [29.0]
        rank = options(html, "park-rank-options")
        assert rank["yAxis"]["inverse"] is True and rank["yAxis"]["max"] == 230
        assert "176.25亿元" in html and "29%" in html

    def test_never_lists_another_organisations_confidential_project(  # type: ignore[no-untyped-def]
        self, users, world
    ) -> None:
        response = client_for(users["city"]).get(reverse("parks:detail", args=[world["gaode"].pk]))
        html = response.content.decode()
        assert "沃飞长空全球总部基地" in html
        assert "金牛保密线索" not in html
        assert response.context["projects"]["count"] == 2

    def test_sub_park_projects_are_listed_on_the_parent_and_marked(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:detail", args=[world["gaode"].pk]))
        rows = {row.project.name: row for row in response.context["projects"]["rows"]}
        assert rows["3D打印研发与产业化基地"].via == world["future"]
        assert rows["沃飞长空全球总部基地"].via is None
        assert rows["沃飞长空全球总部基地"].colour == "green"
        assert "50亿元" in response.content.decode()

    def test_an_outsider_sees_no_projects_of_the_park(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["zhangye"]).get(
            reverse("parks:detail", args=[world["gaode"].pk])
        )
        assert response.context["projects"]["count"] == 0
        assert not Project.objects.filter(
            name__in=[r.project.name for r in response.context["projects"]["rows"]]
        ).exists()

    def test_enterprises_are_listed_with_their_site_role(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).get(reverse("parks:detail", args=[world["gaode"].pk]))
        html = response.content.decode()
        assert "四川沃飞长空科技发展有限公司" in html
        assert "总部" in html
        assert reverse("enterprises:detail", args=[world["investor"].pk]) in html

    def test_sources_are_quoted(self, users, world) -> None:  # type: ignore[no-untyped-def]
        html = (
            client_for(users["city"])
            .get(reverse("parks:detail", args=[world["zhangye"].pk]))
            .content.decode()
        )
        assert "003_d6a5ce08102744b4.txt" in html
        assert "2023年完成地区生产总值176.25亿元" in html

    def test_the_edit_button_is_for_writers_of_the_owner_only(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:detail", args=[world["gaode"].pk])
        edit = reverse("parks:edit", args=[world["gaode"].pk])
        assert edit in client_for(users["city"]).get(url).content.decode()
        assert edit not in client_for(users["jinniu"]).get(url).content.decode()
        assert edit not in client_for(users["jinniu_viewer"]).get(url).content.decode()


def _form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "德格县马尼干戈二期",
        "short_name": "",
        "kind": "industrial_park",
        "region": "513330",
        "parent": "",
        "established": "",
        "planned_area_mu": "300",
        "available_land_mu": "",
        "description": "",
        "carrier_built_wan": "74.5",
        "carrier_occupied_wan": "50",
    }
    data.update(overrides)
    return data


class TestParkCreate:
    def test_a_writer_creates_a_park_with_carriers_entered_in_wan_square_metres(  # type: ignore[no-untyped-def]
        self, users, orgs
    ) -> None:
        response = client_for(users["dege"]).post(reverse("parks:create"), _form_data())
        park = Park.objects.get(name="德格县马尼干戈二期")
        assert response.status_code == 302
        assert response["Location"] == reverse("parks:detail", args=[park.pk])
        assert park.carrier_built_m2 == Decimal("745000")
        assert park.carrier_occupied_m2 == Decimal("500000")
        assert park.owner == orgs["dege"]

    def test_the_region_may_be_typed_as_a_name(self, users, db) -> None:  # type: ignore[no-untyped-def]
        client_for(users["dege"]).post(reverse("parks:create"), _form_data(region="德格县"))
        assert Park.objects.get(name="德格县马尼干戈二期").region_id == "513330"

    def test_an_unknown_region_is_reported_next_to_the_field(self, users, db) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["dege"]).post(
            reverse("parks:create"), _form_data(region="不存在的地方")
        )
        assert response.status_code == 200
        assert "无法识别的行政区划" in str(response.context["form"].errors["region"])

    def test_occupied_above_built_is_reported_next_to_the_occupied_field(  # type: ignore[no-untyped-def]
        self, users, db
    ) -> None:
        response = client_for(users["dege"]).post(
            reverse("parks:create"), _form_data(carrier_occupied_wan="80")
        )
        assert (
            "已入驻载体不能大于已建载体"
            in response.context["form"].errors["carrier_occupied_wan"][0]
        )
        assert not Park.objects.filter(name="德格县马尼干戈二期").exists()

    def test_a_duplicate_name_in_the_region_names_the_existing_park(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["dege"]).post(
            reverse("parks:create"), _form_data(name="马尼干戈产业园")
        )
        assert "已有同名园区“马尼干戈产业园”" in response.context["form"].errors["name"][0]

    def test_a_viewer_may_not_open_the_form(self, users, db) -> None:  # type: ignore[no-untyped-def]
        assert client_for(users["jinniu_viewer"]).get(reverse("parks:create")).status_code == 403


class TestParkEdit:
    def test_the_owner_edits_and_sees_current_values(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:edit", args=[world["gaode"].pk])
        client = client_for(users["city"])
        page = client.get(url)
        assert page.context["form"].initial["carrier_built_wan"] == Decimal("74.5")
        assert "成都市 (510100)" in page.content.decode()
        response = client.post(
            url,
            _form_data(
                name="成都高新区—德格县共建产业园区",
                short_name="高德产业园",
                kind="cobuilt_park",
                region="510100",
                carrier_occupied_wan="60",
            ),
        )
        assert response.status_code == 302
        world["gaode"].refresh_from_db()
        assert world["gaode"].carrier_occupied_m2 == Decimal("600000")

    def test_a_non_owner_gets_403_on_the_page_and_on_post(self, users, world) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:edit", args=[world["gaode"].pk])
        client = client_for(users["jinniu"])
        assert client.get(url).status_code == 403
        response = client.post(url, _form_data(name="改名"))
        assert response.status_code == 403
        assert "只有所属机构的用户可以修改" in response.content.decode()
        world["gaode"].refresh_from_db()
        assert world["gaode"].name == "成都高新区—德格县共建产业园区"

    def test_a_park_cannot_become_a_sub_park_of_its_own_sub_park(self, users, world) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["city"]).post(
            reverse("parks:edit", args=[world["gaode"].pk]),
            _form_data(
                name="成都高新区—德格县共建产业园区",
                kind="cobuilt_park",
                region="510100",
                parent=str(world["future"].pk),
            ),
        )
        assert response.status_code == 200
        assert "上级园区不能是本园区或其下属园区" in response.context["form"].errors["parent"][0]


class TestParkCreateByInstallationAdmin:
    def test_an_installation_admin_chooses_the_owner(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["root"])
        assert "owner" in client.get(reverse("parks:create")).context["form"].fields
        response = client.post(reverse("parks:create"), _form_data(owner=str(orgs["dege"].pk)))
        assert response.status_code == 302
        assert Park.objects.get(name="德格县马尼干戈二期").owner == orgs["dege"]


class TestParkPagesInEnglish:
    def test_the_profile_page_renders_in_english(self, users, world) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["zhangye"])
        # The middleware switches this thread to English; put the default back afterwards.
        with translation.override(settings.LANGUAGE_CODE):
            response = client.get(
                reverse("parks:detail", args=[world["zhangye"].pk]), HTTP_ACCEPT_LANGUAGE="en"
            )
        assert response.status_code == 200
        assert 'lang="en"' in response.content.decode()
        assert options(response.content.decode(), "park-rank-options")["yAxis"]["inverse"]
