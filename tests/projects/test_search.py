"""The projects search provider: code names, and only the projects the user may see."""

from __future__ import annotations

from datetime import date

import pytest

from parklink.accounts.models import Organization, User
from parklink.core.search import search
from parklink.projects.services import create_project
from tests.support.search import count, names, new_project

pytestmark = pytest.mark.django_db


class TestProjectSearch:
    def test_project_code_name_finds_the_project(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_project(orgs["jinniu"], "某新能源汽车整车项目", today, code_name="北极星")
        assert names(search(users["jinniu"], "北极星"), "project") == ["某新能源汽车整车项目"]

    def test_code_name_is_found_by_its_pinyin(self, users: dict[str, User]) -> None:
        create_project(users["jinniu"], name="某保密项目", code_name="凤凰计划", region_id="510106")
        assert "某保密项目" in names(search(users["jinniu"], "fenghuang"), "project")

    def test_confidential_project_of_another_org_is_neither_listed_nor_counted(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_project(orgs["qingbaijiang"], "氢能重卡项目", today)
        result = search(users["jinniu"], "氢能")
        assert (names(result, "project"), count(result, "project")) == ([], 0)

    def test_confidential_project_is_not_found_by_its_pinyin_either(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_project(orgs["qingbaijiang"], "氢能重卡项目", today)
        assert count(search(users["jinniu"], "qnzkxm"), "project") == 0

    def test_owner_finds_its_own_confidential_project(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_project(orgs["qingbaijiang"], "氢能重卡项目", today)
        assert names(search(users["qingbaijiang"], "氢能"), "project") == ["氢能重卡项目"]

    def test_signed_project_below_the_users_region_is_found(
        self, users: dict[str, User], orgs: dict[str, Organization], today: date
    ) -> None:
        new_project(orgs["qingbaijiang"], "氢能重卡项目", today, signed=True)
        assert names(search(users["city"], "氢能"), "project") == ["氢能重卡项目"]
