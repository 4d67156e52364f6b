"""Classification reads 经营范围 (the 简介 only when the scope is blank); imported enterprises
are queued for the next `classify --changed` run."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from parklink.accounts.models import Organization, User
from parklink.chains.models import Assignment, ChangedEnterprise, Source
from parklink.chains.services import classification
from parklink.enterprises.imports import import_enterprises
from parklink.enterprises.models import Enterprise
from tests.chains.world import shipped_template
from tests.support import factories
from tests.support.import_files import make_uscc

pytestmark = pytest.mark.django_db

POLY = "一般项目:多晶硅的研发、生产和销售。"
FOOD = "一般项目:餐饮服务;食品销售。"


def segments(enterprise: Enterprise) -> list[str]:
    return list(
        Assignment.objects.filter(enterprise=enterprise, source=Source.CLASSIFIER, accepted=True)
        .order_by("rank")
        .values_list("segment", flat=True)
    )


class TestScopeFirst:
    def test_scope_text_prefers_the_scope(self) -> None:
        assert classification.scope_text(POLY, FOOD) == POLY
        assert classification.scope_text("", FOOD) == FOOD
        assert classification.scope_text("  \n", FOOD) == FOOD
        assert classification.scope_text(None, None) == ""

    def test_the_run_reads_the_scope_and_falls_back_to_the_description(
        self, orgs: dict[str, Organization]
    ) -> None:
        shipped_template()
        org = orgs["jinniu"]
        # Named neutrally so that only the text decides.
        by_scope = factories.enterprise(
            org, "金牛甲有限公司", "510106", business_scope=POLY, description=FOOD
        )
        scope_wins = factories.enterprise(
            org, "金牛乙有限公司", "510106", business_scope=FOOD, description=POLY
        )
        fallback = factories.enterprise(
            org, "金牛丙有限公司", "510106", business_scope="", description=POLY
        )
        classification.classify_registry()
        assert segments(by_scope)[:1] == ["poly"]
        assert segments(scope_wins) == []
        assert segments(fallback)[:1] == ["poly"]


class TestImportedAreQueued:
    HEADER = ["企业名称", "统一社会信用代码", "注册地", "经营范围"]

    def test_an_import_queues_its_enterprises_for_the_changed_run(
        self, orgs: dict[str, Organization], users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        shipped_template()
        earlier = factories.enterprise(orgs["jinniu"], "金牛早先有限公司", "510106")
        classification.classify_registry()
        assert not ChangedEnterprise.objects.exists()
        rows = [
            ["金牛多晶科技有限公司", make_uscc(1), "510106", POLY],
            ["金牛饭店有限公司", make_uscc(2), "510106", FOOD],
        ]
        report = import_enterprises(users["jinniu"], xlsx(self.HEADER, rows))
        assert report.created == 2
        new = set(Enterprise.objects.exclude(pk=earlier.pk).values_list("pk", flat=True))
        assert set(ChangedEnterprise.objects.values_list("enterprise_id", flat=True)) == new

        out = StringIO()
        call_command("chains", "classify", "--changed", stdout=out)
        assert not ChangedEnterprise.objects.exists()
        poly = Enterprise.objects.get(name="金牛多晶科技有限公司")
        assert segments(poly)[:1] == ["poly"]
        assert segments(Enterprise.objects.get(name="金牛饭店有限公司")) == []
        # Only the imported two were read by the changed run.
        assert "已分类 2 家企业" in out.getvalue()

    def test_a_refused_import_queues_nothing(
        self, users: dict[str, User], xlsx: Callable[..., Path]
    ) -> None:
        rows = [
            ["金牛多晶科技有限公司", make_uscc(1), "510106", POLY],
            ["金牛火星有限公司", make_uscc(2), "火星", FOOD],
        ]
        report = import_enterprises(users["jinniu"], xlsx(self.HEADER, rows))
        assert report.created == 0
        assert not Enterprise.objects.exists()
        assert not ChangedEnterprise.objects.exists()

    def test_marking_many_ids_goes_in_parts(self, orgs: dict[str, Organization]) -> None:
        made = [
            factories.enterprise(orgs["jinniu"], f"金牛批量{n}有限公司", "510106")
            for n in range(classification.MARK_BATCH + 5)
        ]
        ChangedEnterprise.objects.all().delete()
        classification.mark_changed([e.pk for e in made])
        assert ChangedEnterprise.objects.count() == len(made)
        classification.mark_changed([made[0].pk])  # again: still one row
        assert ChangedEnterprise.objects.count() == len(made)
