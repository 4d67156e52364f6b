"""Services behind a park page's lists and linkages: validation, replacement, ownership."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from parklink.accounts.models import User
from parklink.core.errors import Forbidden, Invalid
from parklink.parks.models import (
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)
from parklink.parks.services import (
    create_linkage,
    create_park,
    set_indicators,
    set_industries,
    set_linkage_members,
    set_resources,
    update_linkage,
    update_park_details,
)


@pytest.fixture
def zhangye(users: dict[str, User]) -> Park:
    return create_park(
        users["zhangye"], name="张掖经开区", kind="national_etdz", region_id="620702"
    )


@pytest.fixture
def parks(users: dict[str, User], zhangye: Park) -> dict[str, Park]:
    """高德产业园 (成都市), 甘眉工业园 and 马尼干戈产业园 (德格县), 张掖经开区."""
    return {
        "gaode": create_park(
            users["city"], name="高德产业园", kind="cobuilt_park", region_id="510100"
        ),
        "ganmei": create_park(
            users["dege"], name="甘眉工业园", kind="industrial_park", region_id="513330"
        ),
        "manigange": create_park(
            users["dege"], name="马尼干戈产业园", kind="industrial_park", region_id="513330"
        ),
        "zhangye": zhangye,
    }


def problems(caught: pytest.ExceptionInfo[Invalid]) -> dict[str, Any]:
    detail = caught.value.detail
    assert isinstance(detail, dict)
    return detail


class TestSetIndustries:
    def test_replaces_the_parks_industries_in_the_given_order(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkIndustry.objects.create(park=zhangye, name="旧产业")
        set_industries(
            users["zhangye"],
            zhangye,
            [
                {"name": "氢能零碳产业", "role": "representative"},
                {"name": " 国家玉米种子产业 ", "role": "representative"},
                {"name": "有色冶金新材料", "role": "foundational", "industry_code": "3216"},
            ],
        )
        rows = list(zhangye.industries.order_by("order"))
        assert [(r.name, r.role, r.order) for r in rows] == [
            ("氢能零碳产业", "representative", 0),
            ("国家玉米种子产业", "representative", 1),
            ("有色冶金新材料", "foundational", 2),
        ]
        assert rows[2].industry_code == "3216"

    def test_the_role_defaults_to_leading(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        set_industries(users["zhangye"], zhangye, [{"name": "新材料"}])
        assert zhangye.industries.get().role == "leading"

    def test_an_empty_list_removes_every_industry(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkIndustry.objects.create(park=zhangye, name="旧产业")
        set_industries(users["zhangye"], zhangye, [])
        assert not zhangye.industries.exists()

    def test_a_blank_name_is_reported_on_its_row(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_industries(users["zhangye"], zhangye, [{"name": "新材料"}, {"name": "  "}])
        assert problems(caught) == {"items.1.name": "产业名称不能为空"}

    def test_a_name_given_twice_is_refused_and_nothing_changes(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkIndustry.objects.create(park=zhangye, name="旧产业")
        with pytest.raises(Invalid) as caught:
            set_industries(users["zhangye"], zhangye, [{"name": "新材料"}, {"name": "新材料 "}])
        assert "第 1 行重复" in problems(caught)["items.1.name"]
        assert [i.name for i in zhangye.industries.all()] == ["旧产业"]

    def test_an_unknown_role_or_a_bad_industry_code_is_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_industries(
                users["zhangye"],
                zhangye,
                [{"name": "新材料", "role": "chain_leader", "industry_code": "38-25"}],
            )
        assert set(problems(caught)) == {"items.0.role", "items.0.industry_code"}

    def test_another_organisation_may_not_change_them(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            set_industries(users["city"], zhangye, [{"name": "新材料"}])

    def test_a_viewer_of_the_owner_may_not_change_them(self, users, make_user, orgs) -> None:  # type: ignore[no-untyped-def]
        park = create_park(
            users["jinniu"], name="金牛高新园", kind="industrial_park", region_id="510106"
        )
        with pytest.raises(Forbidden):
            set_industries(users["jinniu_viewer"], park, [{"name": "新材料"}])


class TestSetResources:
    def test_a_range_and_a_single_value_are_stored_with_units(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkResource.objects.create(park=zhangye, kind="water", note="旧")
        set_resources(
            users["zhangye"],
            zhangye,
            [
                {"kind": "avg_temperature", "value": 6, "value_max": "8", "unit": "℃"},
                {"kind": "sunshine_hours", "value": Decimal("3085.5"), "unit": "小时"},
                {"kind": "green_power", "note": "风光资源丰富"},
            ],
        )
        rows = {r.kind: r for r in zhangye.resources.all()}
        assert set(rows) == {"avg_temperature", "sunshine_hours", "green_power"}
        assert (rows["avg_temperature"].value, rows["avg_temperature"].value_max) == (6, 8)
        assert rows["sunshine_hours"].value == Decimal("3085.50")
        assert rows["green_power"].note == "风光资源丰富"

    def test_a_value_above_its_upper_bound_is_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_resources(
                users["zhangye"], zhangye, [{"kind": "avg_temperature", "value": 9, "value_max": 8}]
            )
        assert problems(caught) == {"items.0.value_max": "上限不能小于数值"}

    def test_an_unknown_kind_and_a_word_for_a_number_are_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_resources(users["zhangye"], zhangye, [{"kind": "gold", "value": "很多"}])
        assert set(problems(caught)) == {"items.0.kind", "items.0.value"}

    @pytest.mark.parametrize("value", ["1e30", "99999999999999.999"])
    def test_a_number_too_wide_for_the_column_is_refused(self, users, zhangye, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_resources(users["zhangye"], zhangye, [{"kind": "water", "value": value}])
        assert problems(caught) == {"items.0.value": "数值过大"}

    def test_a_row_with_neither_value_nor_note_is_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_resources(users["zhangye"], zhangye, [{"kind": "water", "unit": "亿立方米"}])
        assert problems(caught) == {"items.0.value": "请填写数值或说明"}

    def test_another_organisation_may_not_change_them(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            set_resources(users["dege"], zhangye, [])


class TestSetIndicators:
    def test_money_is_stored_in_yuan_and_other_figures_get_their_kinds_unit(  # type: ignore[no-untyped-def]
        self, users, zhangye
    ) -> None:
        set_indicators(
            users["zhangye"],
            zhangye,
            [
                {"year": 2023, "indicator": "gdp", "value": Decimal("17625000000")},
                {"year": 2023, "indicator": "gdp_share_of_city", "value": 29},
                {"year": 2023, "indicator": "national_rank", "value": 131},
                {"year": 2023, "indicator": "national_rank_total", "value": 230},
                {"year": 2024, "indicator": "enterprises_settled", "value": 13, "unit": "户"},
            ],
        )
        rows = {(r.year, r.indicator): (r.value, r.unit) for r in zhangye.indicators.all()}
        assert rows == {
            (2023, "gdp"): (Decimal("17625000000"), "元"),
            (2023, "gdp_share_of_city"): (Decimal(29), "%"),
            (2023, "national_rank"): (Decimal(131), "位"),
            (2023, "national_rank_total"): (Decimal(230), "家"),
            (2024, "enterprises_settled"): (Decimal(13), "户"),
        }

    @pytest.mark.parametrize("offset", [0, 1])
    def test_this_year_and_next_are_accepted(self, users, zhangye, offset) -> None:  # type: ignore[no-untyped-def]
        year = timezone.localdate().year + offset
        set_indicators(users["zhangye"], zhangye, [{"year": year, "indicator": "tax", "value": 1}])
        assert zhangye.indicators.get().year == year

    @pytest.mark.parametrize("year", [1948, "next+2", "二〇二三", True])
    def test_a_year_outside_1949_to_next_year_is_refused(self, users, zhangye, year) -> None:  # type: ignore[no-untyped-def]
        if year == "next+2":
            year = timezone.localdate().year + 2
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"], zhangye, [{"year": year, "indicator": "tax", "value": 1}]
            )
        assert "1949" in problems(caught)["items.0.year"]

    def test_the_same_indicator_twice_in_one_year_is_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"],
                zhangye,
                [
                    {"year": 2023, "indicator": "tax", "value": 1},
                    {"year": 2024, "indicator": "tax", "value": 2},
                    {"year": 2023, "indicator": "tax", "value": 3},
                ],
            )
        assert list(problems(caught)) == ["items.2.indicator"]
        assert "第 1 行重复" in problems(caught)["items.2.indicator"]

    @pytest.mark.parametrize("value", [-1, "100.5"])
    def test_shares_lie_between_0_and_100(self, users, zhangye, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"],
                zhangye,
                [{"year": 2023, "indicator": "tax_share_of_city", "value": value}],
            )
        assert problems(caught) == {"items.0.value": "比重应在 0–100 之间"}

    @pytest.mark.parametrize("value", [0, "12.5", -3])
    def test_ranks_are_positive_integers(self, users, zhangye, value) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"],
                zhangye,
                [{"year": 2023, "indicator": "national_rank", "value": value}],
            )
        assert problems(caught) == {"items.0.value": "应为正整数"}

    def test_a_rank_beyond_the_number_of_ranked_parks_is_refused(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"],
                zhangye,
                [
                    {"year": 2023, "indicator": "national_rank_total", "value": 230},
                    {"year": 2023, "indicator": "national_rank", "value": 231},
                ],
            )
        assert problems(caught) == {"items.1.value": "排名不能大于参评园区数"}

    def test_money_is_refused_when_negative_or_in_another_unit(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            set_indicators(
                users["zhangye"],
                zhangye,
                [
                    {"year": 2023, "indicator": "gdp", "value": -5},
                    {"year": 2023, "indicator": "tax", "value": 14.6, "unit": "亿元"},
                ],
            )
        assert problems(caught) == {
            "items.0.value": "金额不能为负数",
            "items.1.unit": "金额以元为单位填写",
        }

    def test_one_bad_row_leaves_every_stored_figure_in_place(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkIndicator.objects.create(park=zhangye, year=2022, indicator="tax", value=1)
        with pytest.raises(Invalid):
            set_indicators(
                users["zhangye"],
                zhangye,
                [
                    {"year": 2023, "indicator": "tax", "value": 2},
                    {"year": 2023, "indicator": "no_such_indicator", "value": 3},
                ],
            )
        assert [(i.year, i.value) for i in zhangye.indicators.all()] == [(2022, 1)]

    def test_another_organisation_may_not_change_them(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            set_indicators(users["jinniu"], zhangye, [])


class TestUpdateParkDetails:
    def test_the_park_and_its_lists_change_together(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        update_park_details(
            users["zhangye"],
            zhangye,
            {"short_name": "张掖经开"},
            industries=[{"name": "氢能零碳产业", "role": "representative"}],
            indicators=[{"year": 2023, "indicator": "gdp", "value": 100}],
        )
        zhangye.refresh_from_db()
        assert zhangye.short_name == "张掖经开"
        assert [i.name for i in zhangye.industries.all()] == ["氢能零碳产业"]
        assert zhangye.indicators.get().value == 100

    def test_lists_not_given_are_left_alone(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkResource.objects.create(park=zhangye, kind="water", note="黑河水")
        update_park_details(users["zhangye"], zhangye, {}, industries=[])
        assert zhangye.resources.get().note == "黑河水"

    def test_every_problem_is_reported_at_once_and_nothing_is_saved(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        ParkIndustry.objects.create(park=zhangye, name="旧产业")
        with pytest.raises(Invalid) as caught:
            update_park_details(
                users["zhangye"],
                zhangye,
                {"name": "", "carrier_built_m2": Decimal(10), "carrier_occupied_m2": Decimal(20)},
                industries=[{"name": "新材料"}],
                resources=[{"kind": "water", "value": 3, "value_max": 2}],
                indicators=[{"year": 1900, "indicator": "tax", "value": 1}],
            )
        assert set(problems(caught)) == {
            "name",
            "carrier_occupied_m2",
            "resources.0.value_max",
            "indicators.0.year",
        }
        zhangye.refresh_from_db()
        assert zhangye.name == "张掖经开区"
        assert [i.name for i in zhangye.industries.all()] == ["旧产业"]

    def test_a_bad_row_alone_keeps_the_park_unchanged(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid):
            update_park_details(
                users["zhangye"], zhangye, {"short_name": "改了"}, industries=[{"name": ""}]
            )
        zhangye.refresh_from_db()
        assert zhangye.short_name == ""

    def test_another_organisation_may_not_change_them(self, users, zhangye) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            update_park_details(users["city"], zhangye, {}, industries=[])


def _members(parks: dict[str, Park]) -> list[dict[str, Any]]:
    return [
        {"park": parks["gaode"], "role": "rnd_incubation"},
        {"park": parks["ganmei"].pk, "role": "supporting_manufacturing"},
        {"park": str(parks["manigange"].pk), "role": "local_landing"},
    ]


class TestCreateLinkage:
    def test_an_officer_links_parks_of_other_organisations_and_owns_the_linkage(  # type: ignore[no-untyped-def]
        self, users, orgs, parks
    ) -> None:
        linkage = create_linkage(
            users["city"], name="三园联动", description="高德—甘眉—德格", members=_members(parks)
        )
        assert linkage.owner == orgs["city"]
        assert [(m.park.name, m.role, m.order) for m in linkage.members.all()] == [
            ("高德产业园", "rnd_incubation", 0),
            ("甘眉工业园", "supporting_manufacturing", 1),
            ("马尼干戈产业园", "local_landing", 2),
        ]

    def test_a_park_appears_once_per_linkage(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        members = [*_members(parks), {"park": parks["gaode"].pk, "role": "other"}]
        with pytest.raises(Invalid) as caught:
            create_linkage(users["city"], name="三园联动", members=members)
        assert "只出现一次" in problems(caught)["members.3.park"]
        assert not ParkLinkage.objects.exists()

    def test_the_name_is_required_and_unique(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as blank:
            create_linkage(users["city"], name="  ")
        create_linkage(users["city"], name="三园联动")
        with pytest.raises(Invalid) as twice:
            create_linkage(users["dege"], name="三园联动")
        assert problems(blank) == {"name": "联动名称不能为空"}
        assert "已有同名" in problems(twice)["name"]

    def test_unknown_parks_roles_and_orders_are_reported_on_their_rows(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Invalid) as caught:
            create_linkage(
                users["city"],
                name="三园联动",
                members=[
                    {"park": 987654, "role": "rnd_incubation"},
                    {"park": parks["gaode"].pk, "role": "boss"},
                    {"park": None, "role": "other", "order": -1},
                ],
            )
        assert set(problems(caught)) == {
            "members.0.park",
            "members.1.role",
            "members.2.park",
            "members.2.order",
        }

    def test_a_viewer_may_not_create_one(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(Forbidden):
            create_linkage(users["jinniu_viewer"], name="三园联动")

    def test_an_installation_admin_without_organisation_names_the_owner(  # type: ignore[no-untyped-def]
        self, users, orgs
    ) -> None:
        with pytest.raises(Invalid) as caught:
            create_linkage(users["root"], name="三园联动")
        assert "owner" in problems(caught)
        linkage = create_linkage(users["root"], name="三园联动", owner_id=orgs["dege"].pk)
        assert linkage.owner == orgs["dege"]


class TestUpdateLinkage:
    def test_the_owner_renames_it_and_members_stay_unless_given(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动", members=_members(parks))
        update_linkage(users["city"], linkage, name="成甘三园联动", description="新说明")
        linkage.refresh_from_db()
        assert (linkage.name, linkage.description) == ("成甘三园联动", "新说明")
        assert linkage.members.count() == 3

    def test_members_given_replace_the_old_ones(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动", members=_members(parks))
        update_linkage(
            users["city"],
            linkage,
            members=[{"park": parks["zhangye"].pk, "role": "manufacturing", "order": 5}],
        )
        assert [(m.park_id, m.order) for m in linkage.members.all()] == [(parks["zhangye"].pk, 5)]

    def test_a_member_parks_owner_may_not_change_someone_elses_linkage(  # type: ignore[no-untyped-def]
        self, users, parks
    ) -> None:
        linkage = create_linkage(users["city"], name="三园联动", members=_members(parks))
        with pytest.raises(Forbidden):
            update_linkage(users["dege"], linkage, name="德格的联动")
        with pytest.raises(Forbidden):
            set_linkage_members(users["dege"], linkage, [])

    def test_unknown_fields_are_refused(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动")
        with pytest.raises(Invalid):
            update_linkage(users["city"], linkage, owner_id=5)

    def test_a_bad_member_list_keeps_the_old_name_and_members(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动", members=_members(parks))
        with pytest.raises(Invalid):
            update_linkage(
                users["city"], linkage, name="改名", members=[{"park": None, "role": ""}]
            )
        assert ParkLinkage.objects.get(pk=linkage.pk).name == "三园联动"
        assert linkage.members.count() == 3


class TestSetLinkageMembers:
    def test_replaces_the_members_in_their_given_order(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动", members=_members(parks))
        set_linkage_members(
            users["city"],
            linkage,
            [
                {"park": parks["manigange"].pk, "role": "local_landing", "order": 2},
                {"park": parks["gaode"].pk, "role": "headquarters_rnd", "order": 1},
            ],
        )
        members = LinkageMember.objects.filter(linkage=linkage).order_by("order")
        assert [(m.park.name, m.role) for m in members] == [
            ("高德产业园", "headquarters_rnd"),
            ("马尼干戈产业园", "local_landing"),
        ]

    def test_problems_are_keyed_by_member_row(self, users, parks) -> None:  # type: ignore[no-untyped-def]
        linkage = create_linkage(users["city"], name="三园联动")
        with pytest.raises(Invalid) as caught:
            set_linkage_members(users["city"], linkage, [{"park": "abc", "role": "other"}])
        assert list(problems(caught)) == ["members.0.park"]
