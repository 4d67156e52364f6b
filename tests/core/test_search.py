"""The search engine: query forms, ranking, limits, grouping by registered provider, queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parklink.accounts.models import Organization, User
from parklink.core.registry import SearchProvider, registry
from parklink.core.search import CONTAINS, EXACT, PREFIX, Query, parse_query, search
from tests.support.search import count, names, new_enterprise, new_park, new_project


class TestParseQuery:
    def test_traditional_characters_become_simplified(self) -> None:
        assert parse_query("高德產業園").text == "高德产业园"

    def test_full_width_letters_are_folded_into_a_pinyin_key(self) -> None:
        assert parse_query(" ＧＤ cyy ").latin == "gdcyy"

    def test_chinese_text_has_no_pinyin_key(self) -> None:
        assert parse_query("高德").latin == ""

    def test_letters_and_digits_are_upper_cased_as_a_code(self) -> None:
        assert parse_query("91510106ma6cjk0r5x").code == "91510106MA6CJK0R5X"

    def test_full_width_code_with_spaces_is_folded(self) -> None:
        assert parse_query("９１５１ ０１０６").code == "91510106"

    def test_chinese_text_has_no_code(self) -> None:
        assert parse_query("高德").code == ""

    def test_blank_input_is_an_empty_query(self) -> None:
        assert parse_query("   ").is_empty
        assert parse_query(None).is_empty


@pytest.fixture
def throwaway_provider() -> Iterator[SearchProvider]:
    """A second kind of park result, ordered between parks and enterprises."""

    def matches(user: Any, query: Query) -> Any:
        return registry.search["park"].matches(user, query)

    provider = registry.search.add(
        SearchProvider("test-park", "测试", "parks:detail", matches, lambda obj: "", order=15)
    )
    yield provider
    registry.search.remove("test-park")


@pytest.mark.django_db
class TestSearch:
    def test_exact_match_comes_before_prefix_before_contains(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        for name in ("金牛新区高德园", "高德园区", "高德园"):
            new_park(orgs["jinniu"], name)
        found = search(users["jinniu"], "高德园").groups[0].hits
        assert [hit.name for hit in found] == ["高德园", "高德园区", "金牛新区高德园"]
        assert [hit.rank for hit in found] == [EXACT, PREFIX, CONTAINS]

    def test_each_group_is_limited_but_counts_every_match(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        for number in range(7):
            new_park(orgs["jinniu"], f"测试园{number}号")
        group = search(users["jinniu"], "测试园", limit=3).groups[0]
        assert (len(group.hits), group.count, group.has_more) == (3, 7, True)

    def test_results_are_grouped_by_kind_in_the_providers_order(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_park(orgs["jinniu"], "锂电产业园")
        new_enterprise(orgs["jinniu"], "四川锂电材料有限公司")
        new_project(orgs["jinniu"], "锂电正极材料项目", today)
        new_project(orgs["jinniu"], "锂电负极材料项目", today)
        result = search(users["jinniu"], "锂电")
        # Other apps' providers (chain templates, queued articles) find nothing here.
        assert [(g.kind, g.count) for g in result.groups if g.count] == [
            ("park", 1),
            ("enterprise", 1),
            ("project", 2),
        ]
        assert result.total == 4

    def test_hits_carry_the_providers_detail_url_name(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        park = new_park(orgs["jinniu"], "高德产业园")
        [hit] = search(users["jinniu"], "高德").groups[0].hits
        assert (hit.kind, hit.pk, hit.url_name) == ("park", park.pk, "parks:detail")

    def test_a_registered_provider_gets_its_own_group_in_its_order(
        self,
        users: dict[str, User],
        orgs: dict[str, Organization],
        throwaway_provider: SearchProvider,
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        result = search(users["jinniu"], "高德")
        kinds = [g.kind for g in result.groups]
        assert kinds == [provider.kind for provider in registry.search]  # every provider, in order
        assert kinds[:4] == ["park", "test-park", "enterprise", "project"]
        assert names(result, "test-park") == ["高德产业园"]
        assert count(result, "test-park") == 1

    def test_group_label_is_the_providers_label_in_the_active_language(
        self, users: dict[str, User]
    ) -> None:
        from django.utils import translation

        with translation.override("en"):
            result = search(users["jinniu"], "高德")
        assert [g.label for g in result.groups][:3] == ["Parks", "Enterprises", "Projects"]

    def test_query_count_does_not_grow_with_the_number_of_hits(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                search(users["jinniu"], "lidian", limit=3)
            return len(captured)

        new_park(orgs["jinniu"], "锂电一园", short_name="锂电")
        new_enterprise(orgs["jinniu"], "锂电一号公司")
        new_project(orgs["jinniu"], "锂电一号项目", today)
        few = queries()
        for number in range(2, 6):
            new_park(orgs["jinniu"], f"锂电{number}园", short_name=f"锂电{number}")
            new_enterprise(orgs["jinniu"], f"锂电{number}号公司")
            new_project(orgs["jinniu"], f"锂电{number}号项目", today)
        assert queries() == few + 3  # one count per group once it is cut at the limit

    def test_empty_query_finds_nothing(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        result = search(users["jinniu"], "  ")
        assert (result.groups, result.total) == ([], 0)
