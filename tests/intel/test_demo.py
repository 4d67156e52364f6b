"""The demo's queue: one illustrative (示例) article in 张掖经开区管委会's queue, nothing read
from outside the repository, an update suggestion for a library project."""

from __future__ import annotations

from typing import Any

import pytest

from parklink.intel.models import Document, Item
from parklink.projects.models import Project
from tests.cobuild.test_demo import demo

__all__ = ["demo"]


@pytest.mark.django_db
class TestDemoQueue:
    def test_one_illustrative_article_in_the_committees_queue(self, demo: Any) -> None:
        document = Document.objects.get()
        assert document.title.startswith("【示例】") and "虚构" in document.title
        assert "示例" in document.original
        assert document.owner.name == "张掖经开区管委会"
        assert demo.created["intel documents"] == 1
        assert document.items.count() == demo.created["intel items"] >= 2
        assert not Item.objects.exclude(status="pending").exists()  # nothing decided for them

    def test_a_second_load_adds_nothing(self, demo: Any) -> None:
        from parklink.core.demo import load_demo

        before = (Document.objects.count(), Item.objects.count())
        again = load_demo()
        assert "intel documents" not in again.created
        assert (Document.objects.count(), Item.objects.count()) == before

    def test_the_library_project_it_mentions_is_an_update_suggestion(self, demo: Any) -> None:
        silicon = Project.objects.get(name="黑河水电17万吨硅系新材料项目")
        assert Item.objects.filter(match=silicon).exists()

    def test_zhangye_projects_carry_their_lower_bound(self, demo: Any) -> None:
        longyuan = Project.objects.get(name="龙源碳中和产业基地")
        assert longyuan.total_investment_text == "超10亿元"
        assert Project.objects.get(name="中国天楹重力储能项目").total_investment_text == "超5亿元"
