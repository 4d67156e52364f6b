"""The search service: names, pinyin, initials, traditional characters, USCC, ranking, scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import Organization, User
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import check_character
from parklink.parks.models import Park, ParkKind
from parklink.projects.models import Project
from parklink.regions.models import Region
from parklink.web.search import CONTAINS, EXACT, PREFIX, parse_query, search

USCC_BODY = "91510106MA6CJK0R5"
USCC = USCC_BODY + check_character(USCC_BODY)


@pytest.fixture
def make_park(orgs: dict[str, Organization]) -> Callable[..., Park]:
    def make(name: str, short_name: str = "", adcode: str = "510106") -> Park:
        return Park.objects.create(
            name=name,
            short_name=short_name,
            kind=ParkKind.INDUSTRIAL_PARK,
            region=Region.objects.get(adcode=adcode),
            owner=orgs["jinniu"],
        )

    return make


@pytest.fixture
def make_enterprise(orgs: dict[str, Organization]) -> Callable[..., Enterprise]:
    def make(name: str, uscc: str | None = None, short_name: str = "") -> Enterprise:
        return Enterprise.objects.create(
            name=name,
            short_name=short_name,
            uscc=uscc,
            region=Region.objects.get(adcode="510106"),
            owner=orgs["jinniu"],
        )

    return make


@pytest.fixture
def make_project(today: date) -> Callable[..., Project]:
    def make(name: str, owner: Organization, signed: bool = False, code_name: str = "") -> Project:
        return Project.objects.create(
            name=name,
            code_name=code_name,
            owner=owner,
            region=owner.region,
            stage="signed" if signed else "negotiating",
            stage_since=today,
            last_progress_on=today,
            signed_on=today if signed else None,
        )

    return make


def names(result: Any, kind: str) -> list[str]:
    group = next(group for group in result.groups if group.kind == kind)
    return [hit.name for hit in group.hits]


def count(result: Any, kind: str) -> int:
    return next(group.count for group in result.groups if group.kind == kind)


class TestParseQuery:
    def test_traditional_characters_become_simplified(self) -> None:
        assert parse_query("高德產業園").text == "高德产业园"

    def test_full_width_letters_are_folded_into_a_pinyin_key(self) -> None:
        assert parse_query(" ＧＤ cyy ").latin == "gdcyy"

    def test_chinese_text_has_no_pinyin_key(self) -> None:
        assert parse_query("高德").latin == ""

    def test_a_uscc_is_upper_cased_as_a_code(self) -> None:
        assert parse_query(USCC.lower()).code == USCC

    def test_blank_input_is_an_empty_query(self) -> None:
        assert parse_query("   ").is_empty
        assert parse_query(None).is_empty


@pytest.mark.django_db
class TestSearch:
    def test_chinese_name_fragment_finds_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        make_park("天府软件园")
        assert names(search(users["jinniu"], "产业"), "park") == ["高德产业园"]

    def test_short_name_finds_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("成都高新技术产业开发区", short_name="成都高新区")
        assert names(search(users["jinniu"], "高新区"), "park") == ["成都高新技术产业开发区"]

    def test_pinyin_initials_find_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        assert names(search(users["jinniu"], "gdcyy"), "park") == ["高德产业园"]

    def test_full_pinyin_prefix_finds_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        assert names(search(users["jinniu"], "gaode"), "park") == ["高德产业园"]

    def test_initials_of_the_short_name_find_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("成都高新区—德格县共建产业园区", short_name="高德产业园")
        make_park("天府软件园")
        assert names(search(users["jinniu"], "gdcyy"), "park") == ["成都高新区—德格县共建产业园区"]

    def test_pinyin_of_the_short_name_ranks_as_a_prefix_match(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("成都高新区—德格县共建产业园区", short_name="高德产业园")
        [hit] = search(users["jinniu"], "gaode").groups[0].hits
        assert hit.rank == PREFIX

    def test_upper_case_pinyin_finds_the_park(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        assert names(search(users["jinniu"], "GDCYY"), "park") == ["高德产业园"]

    def test_traditional_characters_find_the_simplified_name(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        assert names(search(users["jinniu"], "高德產業園"), "park") == ["高德产业园"]

    def test_uscc_finds_the_enterprise(
        self, users: dict[str, User], make_enterprise: Callable[..., Enterprise]
    ) -> None:
        make_enterprise("四川长虹电器股份有限公司", uscc=USCC)
        make_enterprise("成都银河磁体股份有限公司")
        result = search(users["jinniu"], USCC.lower())
        assert names(result, "enterprise") == ["四川长虹电器股份有限公司"]
        assert result.groups[1].hits[0].rank == EXACT

    def test_enterprise_name_with_full_width_brackets_is_found(
        self, users: dict[str, User], make_enterprise: Callable[..., Enterprise]
    ) -> None:
        make_enterprise("宁德时代(四川)新能源科技有限公司")
        result = search(users["jinniu"], "宁德时代（四川）")
        assert names(result, "enterprise") == ["宁德时代(四川)新能源科技有限公司"]

    def test_exact_match_comes_before_prefix_before_contains(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("金牛新区高德园")
        make_park("高德园区")
        make_park("高德园")
        found = search(users["jinniu"], "高德园").groups[0].hits
        assert [hit.name for hit in found] == ["高德园", "高德园区", "金牛新区高德园"]
        assert [hit.rank for hit in found] == [EXACT, PREFIX, CONTAINS]

    def test_each_group_is_limited_but_counts_every_match(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        for number in range(7):
            make_park(f"测试园{number}号")
        group = search(users["jinniu"], "测试园", limit=3).groups[0]
        assert (len(group.hits), group.count, group.has_more) == (3, 7, True)

    def test_results_are_grouped_by_kind_with_counts(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_park: Callable[..., Park],
        make_enterprise: Callable[..., Enterprise],
        make_project: Callable[..., Project],
    ) -> None:
        make_park("锂电产业园")
        make_enterprise("四川锂电材料有限公司")
        make_project("锂电正极材料项目", orgs["jinniu"])
        make_project("锂电负极材料项目", orgs["jinniu"])
        result = search(users["jinniu"], "锂电")
        assert [(g.kind, g.count) for g in result.groups] == [
            ("park", 1),
            ("enterprise", 1),
            ("project", 2),
        ]
        assert result.total == 4

    def test_project_code_name_finds_the_project(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_project: Callable[..., Project],
    ) -> None:
        make_project("某新能源汽车整车项目", orgs["jinniu"], code_name="北极星")
        assert names(search(users["jinniu"], "北极星"), "project") == ["某新能源汽车整车项目"]

    def test_confidential_project_of_another_org_is_neither_listed_nor_counted(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_project: Callable[..., Project],
    ) -> None:
        make_project("氢能重卡项目", orgs["qingbaijiang"])
        result = search(users["jinniu"], "氢能")
        assert (names(result, "project"), count(result, "project")) == ([], 0)

    def test_confidential_project_is_not_found_by_its_pinyin_either(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_project: Callable[..., Project],
    ) -> None:
        make_project("氢能重卡项目", orgs["qingbaijiang"])
        assert count(search(users["jinniu"], "qnzkxm"), "project") == 0

    def test_owner_finds_its_own_confidential_project(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_project: Callable[..., Project],
    ) -> None:
        make_project("氢能重卡项目", orgs["qingbaijiang"])
        assert names(search(users["qingbaijiang"], "氢能"), "project") == ["氢能重卡项目"]

    def test_signed_project_below_the_users_region_is_found(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_project: Callable[..., Project],
    ) -> None:
        make_project("氢能重卡项目", orgs["qingbaijiang"], signed=True)
        assert names(search(users["city"], "氢能"), "project") == ["氢能重卡项目"]

    def test_query_count_does_not_grow_with_the_number_of_hits(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        make_park: Callable[..., Park],
        make_enterprise: Callable[..., Enterprise],
        make_project: Callable[..., Project],
    ) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                search(users["jinniu"], "lidian", limit=3)
            return len(captured)

        make_park("锂电一园", short_name="锂电")
        make_enterprise("锂电一号公司")
        make_project("锂电一号项目", orgs["jinniu"])
        few = queries()
        for number in range(2, 6):
            make_park(f"锂电{number}园", short_name=f"锂电{number}")
            make_enterprise(f"锂电{number}号公司")
            make_project(f"锂电{number}号项目", orgs["jinniu"])
        assert queries() == few + 3  # one count per group once it is cut at the limit

    def test_empty_query_finds_nothing(
        self, users: dict[str, User], make_park: Callable[..., Park]
    ) -> None:
        make_park("高德产业园")
        result = search(users["jinniu"], "  ")
        assert (result.groups, result.total) == ([], 0)


class TestAliasPinyin:
    def test_enterprise_short_name_and_project_code_name_by_pinyin(self, users):  # type: ignore[no-untyped-def]
        from parklink.enterprises.services import create_enterprise
        from parklink.projects.services import create_project
        from parklink.web.search import search

        create_enterprise(
            users["jinniu"],
            name="四川新荷花中药饮片股份有限公司",
            short_name="新荷花",
            region_id="510106",
        )
        create_project(users["jinniu"], name="某保密项目", code_name="凤凰计划", region_id="510106")

        def names(raw: str, kind: str) -> list[str]:
            groups = {group.kind: group for group in search(users["jinniu"], raw).groups}
            return [hit.name for hit in groups[kind].hits]

        assert names("xhh", "enterprise")[:1] == ["四川新荷花中药饮片股份有限公司"]
        assert "某保密项目" in names("fenghuang", "project")
