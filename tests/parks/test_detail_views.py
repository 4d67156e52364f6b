"""Park edit page lists (industries, resources, indicators) and the linkage pages."""

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
from parklink.parks.models import (
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)
from tests.support import factories

QUERY_COUNTS = Path(__file__).resolve().parent.parent / "web_query_counts_registry.json"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(prefix: str, items: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    """POST data of a formset: its management form and one group of fields per row."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for name, value in item.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def park_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "张掖经开区",
        "short_name": "",
        "kind": "national_etdz",
        "region": "620702",
        "parent": "",
        "established": "",
        "planned_area_mu": "",
        "available_land_mu": "",
        "description": "",
        "carrier_built_wan": "",
        "carrier_occupied_wan": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def zhangye(orgs: dict[str, Organization]) -> Park:
    park = factories.park(orgs["zhangye"], "张掖经开区", "620702", kind="national_etdz")
    ParkIndustry.objects.create(park=park, name="氢能零碳产业", role="representative")
    ParkResource.objects.create(park=park, kind="frost_free_days", value=160, unit="天")
    ParkIndicator.objects.create(
        park=park, year=2023, indicator="gdp", value=Decimal("17625000000"), unit="元"
    )
    ParkIndicator.objects.create(
        park=park, year=2024, indicator="enterprises_settled", value=13, unit="户"
    )
    return park


def all_lists(**lists: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for prefix in ("industries", "resources", "indicators"):
        data.update(rows(prefix, lists.get(prefix, [])))
    return data


class TestParkEditLists:
    def test_the_page_shows_current_rows_with_money_in_yi_yuan(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["zhangye"]).get(reverse("parks:edit", args=[zhangye.pk]))
        lists = response.context["lists"]
        assert lists["industries"].formset.initial == [
            {"name": "氢能零碳产业", "role": "representative", "industry_code": ""}
        ]
        gdp = lists["indicators"].formset.forms[0]
        assert (gdp.initial["value"], gdp.value_unit) == ("176.25", "亿元")
        settled = lists["indicators"].formset.forms[1]
        assert settled.value_unit == "户"
        html = response.content.decode()
        assert 'value="176.25"' in html
        assert "data-add-row" in html and "__prefix__" in html

    def test_saving_replaces_every_list_and_converts_yi_yuan_to_yuan(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        data = park_data(short_name="张掖经开") | all_lists(
            industries=[
                {"name": "氢能零碳产业", "role": "representative"},
                {"name": "国家玉米种子产业", "role": "representative"},
                {"name": "有色冶金新材料", "role": "foundational", "industry_code": "3216"},
            ],
            resources=[{"kind": "avg_temperature", "value": "6", "value_max": "8", "unit": "℃"}],
            indicators=[
                {"year": "2023", "indicator": "gdp", "value": "176.25"},
                {"year": "2023", "indicator": "gdp_share_of_city", "value": "29"},
            ],
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        assert response.status_code == 302
        assert response["Location"] == reverse("parks:detail", args=[zhangye.pk])
        assert [i.name for i in zhangye.industries.order_by("order")] == [
            "氢能零碳产业",
            "国家玉米种子产业",
            "有色冶金新材料",
        ]
        assert [(r.kind, r.value, r.value_max) for r in zhangye.resources.all()] == [
            ("avg_temperature", 6, 8)
        ]
        figures = {i.indicator: (i.value, i.unit) for i in zhangye.indicators.all()}
        assert figures == {
            "gdp": (Decimal("17625000000"), "元"),
            "gdp_share_of_city": (Decimal(29), "%"),
        }
        zhangye.refresh_from_db()
        assert zhangye.short_name == "张掖经开"

    def test_blank_rows_are_ignored_and_deleted_rows_removed(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        data = park_data() | all_lists(
            industries=[
                {"name": "氢能零碳产业", "role": "representative", "DELETE": "on"},
                {"name": "", "role": "leading", "industry_code": ""},
                {"name": "新材料", "role": "leading"},
            ],
        )
        client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        assert [i.name for i in zhangye.industries.all()] == ["新材料"]

    def test_an_unchanged_existing_indicator_keeps_its_own_unit(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        data = park_data() | all_lists()
        data.update(
            rows(
                "indicators",
                [
                    {"year": "2023", "indicator": "gdp", "value": "176.25", "unit": "元"},
                    {
                        "year": "2024",
                        "indicator": "enterprises_settled",
                        "value": "14",
                        "unit": "户",
                    },
                ],
                initial=2,
            )
        )
        client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        settled = zhangye.indicators.get(indicator="enterprises_settled")
        assert (settled.value, settled.unit) == (14, "户")

    def test_a_bad_row_is_marked_on_its_field_and_nothing_is_saved(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        data = park_data(short_name="改了") | all_lists(
            industries=[{"name": "新材料", "role": "leading"}],
            indicators=[
                {"year": "2023", "indicator": "gdp", "value": "176.25"},
                {"year": "2023", "indicator": "gdp_share_of_city", "value": "120"},
            ],
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        assert response.status_code == 200
        share_row = response.context["lists"]["indicators"].formset.forms[1]
        assert share_row.errors["value"] == ["比重应在 0–100 之间"]
        html = response.content.decode()
        assert "比重应在 0–100 之间" in html and "请修改标红的内容后再保存" in html
        zhangye.refresh_from_db()
        assert zhangye.short_name == ""
        assert [i.name for i in zhangye.industries.all()] == ["氢能零碳产业"]
        assert zhangye.indicators.count() == 2

    def test_errors_of_the_park_and_of_rows_show_together(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        data = park_data(carrier_built_wan="1", carrier_occupied_wan="2") | all_lists(
            industries=[
                {"name": "新材料", "role": "leading"},
                {"name": "新材料", "role": "leading"},
            ],
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        assert (
            "已入驻载体不能大于已建载体"
            in response.context["form"].errors["carrier_occupied_wan"][0]
        )
        second = response.context["lists"]["industries"].formset.forms[1]
        assert "第 1 行重复" in second.errors["name"][0]

    def test_a_row_skipped_before_a_bad_one_does_not_shift_the_message(
        self, users, zhangye
    ) -> None:  # type: ignore[no-untyped-def]
        data = park_data() | all_lists(
            resources=[
                {"kind": "", "value": "", "value_max": "", "unit": "", "note": ""},
                {"kind": "water", "value": "5", "value_max": "3", "unit": "", "note": ""},
            ],
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        forms = response.context["lists"]["resources"].formset.forms
        assert forms[0].errors == {}
        assert forms[1].errors["value_max"] == ["上限不能小于数值"]

    def test_a_number_the_form_cannot_read_is_reported_without_calling_the_service(  # type: ignore[no-untyped-def]
        self, users, zhangye
    ) -> None:
        data = park_data(short_name="改了") | all_lists(
            indicators=[{"year": "二〇二三", "indicator": "tax", "value": "很多"}]
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        row = response.context["lists"]["indicators"].formset.forms[0]
        assert set(row.errors) == {"year", "value"}
        zhangye.refresh_from_db()
        assert zhangye.short_name == ""

    def test_a_post_without_the_lists_leaves_them_alone(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["zhangye"]).post(
            reverse("parks:edit", args=[zhangye.pk]), park_data(short_name="张掖经开")
        )
        assert response.status_code == 302
        assert zhangye.industries.count() == 1 and zhangye.indicators.count() == 2

    def test_another_organisation_gets_403_and_the_rows_stay(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        url = reverse("parks:edit", args=[zhangye.pk])
        assert client.get(url).status_code == 403
        response = client.post(url, park_data() | all_lists())
        assert response.status_code == 403
        assert zhangye.industries.count() == 1

    def test_a_missing_park_is_404(self, users, db) -> None:  # type: ignore[no-untyped-def]
        assert (
            client_for(users["city"]).get(reverse("parks:edit", args=[987654])).status_code == 404
        )


@pytest.fixture
def linked(orgs: dict[str, Organization]) -> dict[str, Any]:
    """三园联动 owned by the city: its own park and two parks of 德格县."""
    gaode = factories.park(orgs["city"], "高德产业园", "510100", kind="cobuilt_park")
    ganmei = factories.park(orgs["dege"], "甘眉工业园", "513330")
    manigange = factories.park(orgs["dege"], "马尼干戈产业园", "513330")
    linkage = ParkLinkage.objects.create(owner=orgs["city"], name="三园联动", description="成甘")
    for order, (park, role) in enumerate(
        [
            (gaode, "rnd_incubation"),
            (ganmei, "supporting_manufacturing"),
            (manigange, "local_landing"),
        ]
    ):
        LinkageMember.objects.create(linkage=linkage, park=park, role=role, order=order)
    return {"gaode": gaode, "ganmei": ganmei, "manigange": manigange, "linkage": linkage}


def members_data(items: list[dict[str, Any]], **fields: str) -> dict[str, Any]:
    return {"name": "三园联动", "description": ""} | fields | rows("members", items)


class TestLinkageList:
    def test_requires_login(self, db) -> None:  # type: ignore[no-untyped-def]
        response = Client().get(reverse("parks:linkage_list"))
        assert response.status_code == 302

    def test_every_user_sees_linkages_with_members_in_order(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["zhangye"]).get(reverse("parks:linkage_list"))
        (linkage,) = response.context["linkages"]
        assert [m.park.name for m in linkage.members.all()] == [
            "高德产业园",
            "甘眉工业园",
            "马尼干戈产业园",
        ]
        html = response.content.decode()
        assert reverse("parks:linkage_detail", args=[linked["linkage"].pk]) in html
        assert "配套制造" in html
        assert reverse("parks:linkage_create") in html

    def test_a_viewer_is_not_offered_to_create_one(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        html = client_for(users["jinniu_viewer"]).get(reverse("parks:linkage_list")).content
        assert reverse("parks:linkage_create").encode() not in html

    def test_search_finds_a_linkage_by_a_member_park(self, users, linked, orgs) -> None:  # type: ignore[no-untyped-def]
        ParkLinkage.objects.create(owner=orgs["dege"], name="另一个联动")
        client = client_for(users["city"])
        found = client.get(reverse("parks:linkage_list"), {"q": "甘眉"}).context["linkages"]
        assert [linkage.name for linkage in found] == ["三园联动"]

    def test_the_parks_list_and_a_member_parks_page_link_to_linkages(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["dege"])
        assert reverse("parks:linkage_list") in client.get(reverse("parks:list")).content.decode()
        detail = client.get(reverse("parks:detail", args=[linked["ganmei"].pk])).content.decode()
        assert reverse("parks:linkage_detail", args=[linked["linkage"].pk]) in detail
        assert f"{reverse('parks:linkage_create')}?park={linked['ganmei'].pk}" in detail


def _fill_linkages(org: Organization, count: int) -> None:
    start = ParkLinkage.objects.count()
    for index in range(start, count):
        linkage = ParkLinkage.objects.create(owner=org, name=f"联动{index:02d}")
        for order in range(3):
            park = factories.park(org, f"联动{index:02d}园区{order}", "510100")
            LinkageMember.objects.create(linkage=linkage, park=park, role="other", order=order)


class TestLinkageListQueryCount:
    def test_queries_do_not_grow_with_the_number_of_linkages(self, users, orgs) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["city"])
        counts = []
        for size in (5, 25):
            _fill_linkages(orgs["city"], size)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("parks:linkage_list"))
            assert len(response.context["linkages"]) == size
            counts.append(len(captured))
        assert counts[0] == counts[1]
        pinned = json.loads(QUERY_COUNTS.read_text("utf-8"))
        assert counts[1] == pinned["parks:linkage_list"]


class TestLinkageDetail:
    def test_shows_the_graph_with_every_park_clickable(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["zhangye"]).get(
            reverse("parks:linkage_detail", args=[linked["linkage"].pk])
        )
        nodes = response.context["graph"]["series"][0]["data"]
        assert [node["name"] for node in nodes] == ["高德产业园", "甘眉工业园", "马尼干戈产业园"]
        assert nodes[2]["url"] == reverse("parks:detail", args=[linked["manigange"].pk])
        html = response.content.decode()
        assert 'id="linkage-graph-options"' in html
        assert reverse("parks:linkage_edit", args=[linked["linkage"].pk]) not in html

    def test_the_owner_sees_the_edit_button(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:linkage_detail", args=[linked["linkage"].pk])
        html = client_for(users["city"]).get(url).content.decode()
        assert reverse("parks:linkage_edit", args=[linked["linkage"].pk]) in html

    def test_a_missing_linkage_is_404(self, users, db) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:linkage_detail", args=[987654])
        assert client_for(users["city"]).get(url).status_code == 404


class TestLinkageCreate:
    def test_an_officer_links_parks_of_other_organisations(self, users, orgs, linked) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["dege"]).post(
            reverse("parks:linkage_create"),
            members_data(
                [
                    {"park": str(linked["manigange"].pk), "role": "local_landing", "order": ""},
                    {"park": str(linked["gaode"].pk), "role": "rnd_incubation", "order": ""},
                ],
                name="德格—成都联动",
            ),
        )
        linkage = ParkLinkage.objects.get(name="德格—成都联动")
        assert response.status_code == 302
        assert response["Location"] == reverse("parks:linkage_detail", args=[linkage.pk])
        assert linkage.owner == orgs["dege"]
        assert [m.park.name for m in linkage.members.all()] == ["马尼干戈产业园", "高德产业园"]

    def test_started_from_a_park_page_the_park_is_the_first_member(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["dege"]).get(
            reverse("parks:linkage_create"), {"park": linked["ganmei"].pk}
        )
        assert response.context["members"].formset.forms[0].initial == {
            "park": str(linked["ganmei"].pk)
        }

    def test_a_park_twice_is_marked_on_its_row_and_nothing_is_saved(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        park = str(linked["gaode"].pk)
        response = client_for(users["dege"]).post(
            reverse("parks:linkage_create"),
            members_data(
                [
                    {"park": park, "role": "rnd_incubation", "order": ""},
                    {"park": park, "role": "other", "order": ""},
                ],
                name="新联动",
            ),
        )
        assert response.status_code == 200
        second = response.context["members"].formset.forms[1]
        assert "只出现一次" in second.errors["park"][0]
        assert not ParkLinkage.objects.filter(name="新联动").exists()

    def test_a_name_taken_is_reported_next_to_the_name(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        response = client_for(users["dege"]).post(reverse("parks:linkage_create"), members_data([]))
        assert "已有同名" in response.context["form"].errors["name"][0]

    def test_a_viewer_gets_403(self, users, db) -> None:  # type: ignore[no-untyped-def]
        client = client_for(users["jinniu_viewer"])
        assert client.get(reverse("parks:linkage_create")).status_code == 403
        assert client.post(reverse("parks:linkage_create"), members_data([])).status_code == 403
        assert not ParkLinkage.objects.exists()


class TestLinkageEdit:
    def test_the_owner_reorders_members_and_renames(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:linkage_edit", args=[linked["linkage"].pk])
        client = client_for(users["city"])
        page = client.get(url)
        assert len(page.context["members"].formset.initial) == 3
        response = client.post(
            url,
            members_data(
                [
                    {"park": str(linked["gaode"].pk), "role": "rnd_incubation", "order": "2"},
                    {"park": str(linked["ganmei"].pk), "role": "supporting_manufacturing"},
                    {"park": str(linked["manigange"].pk), "role": "local_landing", "order": "0"},
                ],
                name="成甘三园联动",
            ),
        )
        assert response.status_code == 302
        linkage = ParkLinkage.objects.get(pk=linked["linkage"].pk)
        assert linkage.name == "成甘三园联动"
        assert [m.park.name for m in linkage.members.all()] == [
            "马尼干戈产业园",
            "甘眉工业园",
            "高德产业园",
        ]

    def test_a_member_parks_owner_gets_403(self, users, linked) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:linkage_edit", args=[linked["linkage"].pk])
        client = client_for(users["dege"])
        assert client.get(url).status_code == 403
        assert client.post(url, members_data([], name="德格改名")).status_code == 403
        assert ParkLinkage.objects.get(pk=linked["linkage"].pk).name == "三园联动"

    def test_a_missing_linkage_is_404(self, users, db) -> None:  # type: ignore[no-untyped-def]
        url = reverse("parks:linkage_edit", args=[987654])
        assert client_for(users["city"]).get(url).status_code == 404


class TestPagesInEnglish:
    def test_the_edit_page_and_the_linkage_pages_render_in_english(  # type: ignore[no-untyped-def]
        self, users, zhangye, linked
    ) -> None:
        client = client_for(users["zhangye"])
        # The middleware switches this thread to English; put the default back afterwards.
        with translation.override(settings.LANGUAGE_CODE):
            edit = client.get(reverse("parks:edit", args=[zhangye.pk]), HTTP_ACCEPT_LANGUAGE="en")
            listed = client.get(reverse("parks:linkage_list"), HTTP_ACCEPT_LANGUAGE="en")
        assert "+ Add a row" in edit.content.decode()
        assert "Resource endowment" in edit.content.decode()
        assert "Member parks and roles" in listed.content.decode()


class TestIndicatorRowBounds:
    def test_an_absurdly_large_amount_is_an_error_on_the_field_not_a_crash(  # type: ignore[no-untyped-def]
        self, users, zhangye
    ) -> None:
        data = park_data() | all_lists(
            indicators=[{"year": "2023", "indicator": "gdp", "value": "1e30"}]
        )
        response = client_for(users["zhangye"]).post(reverse("parks:edit", args=[zhangye.pk]), data)
        assert response.status_code == 200
        assert "value" in response.context["lists"]["indicators"].formset.forms[0].errors
