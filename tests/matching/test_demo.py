"""The matching demo: the metro-area programme (illustrative) and 金什's shared policies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.accounts.models import User
from parklink.core.demo import load_demo
from parklink.enterprises.models import Enterprise
from parklink.matching.models import Event, Listing, Policy
from parklink.matching.models_siting import ParkCapacity, SitingNeeds
from parklink.matching.services import events, listings, policies, siting
from parklink.projects.models import Project


@pytest.mark.django_db
def test_demo_programme_and_shared_policies():
    report = load_demo()
    assert report.created["matching listings"] == 11
    event = Event.objects.get()
    assert event.illustrative and event.listings.count() == 11
    figures = events.figures(Event.objects.all())
    assert figures.cities == 4  # 成都, 德阳, 眉山, 资阳
    assert figures.deals == 2 and figures.amount == Decimal("44500000.00")
    assert figures.illustrative
    assert all(x.illustrative for x in Listing.objects.all())
    tagged = set(Listing.objects.exclude(chain="").values_list("chain", flat=True))
    assert {"lithium", "specialty_gases"} <= tagged
    need = Listing.objects.get(title="采购磷酸铁锂正极材料")
    root = User.objects.filter(is_superuser=True).first()
    best = listings.matches(root, need)[0]
    assert best.listing.title in ("磷酸铁锂正极材料", "长期供应磷酸铁锂正极材料")
    assert len(listings.duplicate_groups()) == 1
    tenant = Enterprise.objects.get(name="什邡示例电子特气有限公司")
    rows = policies.for_enterprise(root, tenant)
    assert {r.policy.title for r in rows} == {
        "金牛区招商优惠政策(示例条款)",
        "什邡市招商优惠政策(示例条款)",
    }
    jinniu = next(r for r in rows if r.policy.title.startswith("金牛"))
    assert jinniu.via and jinniu.qualifies and jinniu.estimate == Decimal("200000.00")
    shifang = next(r for r in rows if r.policy.title.startswith("什邡"))
    assert shifang.readiness.mode == policies.QUICK and shifang.readiness.documents
    assert Policy.objects.filter(illustrative=True).count() == 2
    _siting_demo(report.created)
    again = load_demo()
    assert not any(k.startswith("matching") for k, n in again.created.items() if n)


def _siting_demo(created: dict[str, int]) -> None:
    """一氧化二氮高纯特种气体项目 against 甘眉工业园 and the other parks (illustrative needs)."""
    assert created["matching siting needs"] == 2
    assert created["matching park capacities"] == 5
    assert all(row.illustrative for row in SitingNeeds.objects.all())
    assert all(row.illustrative for row in ParkCapacity.objects.all())
    project = Project.objects.get(name="一氧化二氮高纯特种气体项目")
    officer = User.objects.get(username="cdht_committee")
    found = siting.rank(officer, project)
    assert (found.segment.chain, found.segment.segment) == ("specialty_gases", "electronic")
    by_name = {f.park.name: f for f in found.fits}
    ganmei = [text for text, _good in by_name["甘眉工业园"].reasons()]
    assert "可供电力 30000 千伏安,满足需求 12000 千伏安" in ganmei
    assert any(text.startswith("共建或联动:“三园联动”") for text in ganmei)
    jinshi = [text for text, _good in by_name["金什合作产业园"].reasons()]
    assert "园区有本环节企业 1 家、上下游环节企业 0 家" in jinshi
