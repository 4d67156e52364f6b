"""The enterprises search provider: USCC, full-width brackets, short name by pinyin."""

from __future__ import annotations

import pytest

from parklink.accounts.models import Organization, User
from parklink.core.search import EXACT, search
from parklink.enterprises.services import create_enterprise
from parklink.enterprises.uscc import check_character
from tests.support.search import group, names, new_enterprise

pytestmark = pytest.mark.django_db

USCC_BODY = "91510106MA6CJK0R5"
USCC = USCC_BODY + check_character(USCC_BODY)


class TestEnterpriseSearch:
    def test_uscc_finds_the_enterprise(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_enterprise(orgs["jinniu"], "四川长虹电器股份有限公司", uscc=USCC)
        new_enterprise(orgs["jinniu"], "成都银河磁体股份有限公司")
        result = search(users["jinniu"], USCC.lower())
        assert names(result, "enterprise") == ["四川长虹电器股份有限公司"]
        assert group(result, "enterprise").hits[0].rank == EXACT

    def test_beginning_of_a_uscc_finds_the_enterprise(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_enterprise(orgs["jinniu"], "四川长虹电器股份有限公司", uscc=USCC)
        assert names(search(users["jinniu"], USCC[:10]), "enterprise") == [
            "四川长虹电器股份有限公司"
        ]

    def test_enterprise_name_with_full_width_brackets_is_found(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_enterprise(orgs["jinniu"], "宁德时代(四川)新能源科技有限公司")
        result = search(users["jinniu"], "宁德时代（四川）")
        assert names(result, "enterprise") == ["宁德时代(四川)新能源科技有限公司"]

    def test_short_name_is_found_by_its_pinyin_initials(self, users: dict[str, User]) -> None:
        create_enterprise(
            users["jinniu"],
            name="四川新荷花中药饮片股份有限公司",
            short_name="新荷花",
            region_id="510106",
        )
        assert names(search(users["jinniu"], "xhh"), "enterprise")[:1] == [
            "四川新荷花中药饮片股份有限公司"
        ]

    def test_detail_is_the_region_and_the_uscc(
        self, users: dict[str, User], orgs: dict[str, Organization]
    ) -> None:
        new_enterprise(orgs["jinniu"], "四川长虹电器股份有限公司", uscc=USCC)
        [hit] = group(search(users["jinniu"], "长虹"), "enterprise").hits
        assert hit.detail == f"金牛区 · {USCC}"
