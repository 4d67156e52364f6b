"""The matching demo: the metro-area programme (illustrative) and 金什's shared policies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.accounts.models import User
from parklink.core.demo import load_demo
from parklink.enterprises.models import Enterprise
from parklink.matching.models import Event, Listing, Policy
from parklink.matching.services import events, listings, policies


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
    again = load_demo()
    assert not any(k.startswith("matching") for k, n in again.created.items() if n)
