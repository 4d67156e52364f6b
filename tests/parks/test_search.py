"""The parks search provider: name, short name, pinyin and initials, traditional characters."""

from __future__ import annotations

import pytest

from parklink.accounts.models import Organization, User
from parklink.core.search import PREFIX, search
from tests.support.search import group, names, new_park

pytestmark = pytest.mark.django_db


class TestParkSearch:
    def test_chinese_name_fragment_finds_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        new_park(orgs["jinniu"], "天府软件园")
        assert names(search(users["jinniu"], "产业"), "park") == ["高德产业园"]

    def test_short_name_finds_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "成都高新技术产业开发区", short_name="成都高新区")
        assert names(search(users["jinniu"], "高新区"), "park") == ["成都高新技术产业开发区"]

    def test_pinyin_initials_find_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        assert names(search(users["jinniu"], "gdcyy"), "park") == ["高德产业园"]

    def test_full_pinyin_prefix_finds_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        assert names(search(users["jinniu"], "gaode"), "park") == ["高德产业园"]

    def test_initials_of_the_short_name_find_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "成都高新区—德格县共建产业园区", short_name="高德产业园")
        new_park(orgs["jinniu"], "天府软件园")
        assert names(search(users["jinniu"], "gdcyy"), "park") == ["成都高新区—德格县共建产业园区"]

    def test_pinyin_of_the_short_name_ranks_as_a_prefix_match(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "成都高新区—德格县共建产业园区", short_name="高德产业园")
        [hit] = group(search(users["jinniu"], "gaode"), "park").hits
        assert hit.rank == PREFIX

    def test_upper_case_pinyin_finds_the_park(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        assert names(search(users["jinniu"], "GDCYY"), "park") == ["高德产业园"]

    def test_traditional_characters_find_the_simplified_name(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        assert names(search(users["jinniu"], "高德產業園"), "park") == ["高德产业园"]

    def test_detail_is_the_region_and_the_kind(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_park(orgs["jinniu"], "高德产业园")
        [hit] = group(search(users["jinniu"], "高德"), "park").hits
        assert hit.detail == "金牛区 · 产业园"
