"""Policies: conditions tested on real enterprises, readiness, per-enterprise and per-policy
answers, and the shared policies of a co-built park."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parklink.cobuild.models import Agreement, Party, SharedPolicy
from parklink.core.errors import Forbidden, Invalid
from parklink.enterprises.models import EnterpriseSite
from parklink.matching.models import EnterpriseFigures
from parklink.matching.scoring import eligibility as el
from parklink.matching.services import policies
from tests.support import factories

SCALE = {
    "key": "scale",
    "label": "规上企业",
    "clause": "第三条 规上企业",
    "rule": {"==": [{"var": "is_above_scale"}, True]},
}
REVENUE = {
    "key": "revenue",
    "label": "年营业收入不低于2000万元",
    "clause": "第三条 年营业收入达到2000万元",
    "rule": {">=": [{"var": "revenue"}, 20000000]},
}


@pytest.fixture
def jinshi(world):
    """金什合作产业园: a park in 什邡, an agreement of 金牛 and 什邡 sharing both policies."""
    park = factories.park(world.orgs["shifang"], "金什合作产业园", "510682")
    agreement = Agreement.objects.create(owner=world.orgs["jinniu"], title="金什合作协议")
    agreement.parks.add(park)
    jinniu = Party.objects.create(
        agreement=agreement, organization=world.orgs["jinniu"], key="jinniu", order=0
    )
    shifang = Party.objects.create(
        agreement=agreement, organization=world.orgs["shifang"], key="shifang", order=1
    )
    shared = {
        "jinniu": SharedPolicy.objects.create(
            agreement=agreement, name="金牛区招商优惠政策", issued_by=jinniu
        ),
        "shifang": SharedPolicy.objects.create(
            agreement=agreement, name="什邡市招商优惠政策", issued_by=shifang
        ),
    }
    tenant = world.firms["gas"]  # moved into the park below
    tenant.region_id = "510682"
    tenant.is_above_scale = True
    tenant.save()
    EnterpriseSite.objects.create(enterprise=tenant, park=park, role="manufacturing")
    EnterpriseFigures.objects.create(enterprise=tenant, year=2023, revenue=Decimal("35000000"))
    return park, agreement, shared


def _policy(world, org, region, **extra):
    data = {
        "title": f"{region} 落户奖励",
        "issuer_region_id": region,
        "conditions": [SCALE, REVENUE],
        "benefit_kind": "fixed",
        "benefit_amount": Decimal("200000.00"),
        "valid_from": date(2020, 1, 1),
        "valid_to": date(2099, 12, 31),
        **extra,
    }
    policy = policies.create_policy(world.users[org], **data)
    return policies.publish(world.users[org], policy)


def test_a_tenant_of_the_cobuilt_park_sees_both_sides_shared_policies(world, jinshi):
    _park, _agreement, shared = jinshi
    jinniu = _policy(world, "jinniu", "510106", shared_as=[shared["jinniu"]])
    shifang = _policy(world, "shifang", "510682", shared_as=[shared["shifang"]])
    unshared = _policy(world, "jinniu", "510106", title="金牛区未共享政策")
    rows = policies.for_enterprise(world.users["shifang"], world.firms["gas"])
    by_id = {row.policy.pk: row for row in rows}
    assert set(by_id) == {jinniu.pk, shifang.pk}
    assert unshared.pk not in by_id
    assert by_id[jinniu.pk].via == ["金什合作协议"] and by_id[shifang.pk].via == []
    assert by_id[jinniu.pk].qualifies and by_id[jinniu.pk].estimate == Decimal("200000.00")
    # a 金牛 enterprise outside the park sees 金牛's policies only
    cell = {
        r.policy.pk for r in policies.for_enterprise(world.users["jinniu"], world.firms["cell"])
    }
    assert cell == {jinniu.pk, unshared.pk}


def test_a_shared_policy_links_only_to_its_issuers_row(world, jinshi):
    _park, _agreement, shared = jinshi
    with pytest.raises(Invalid, match="不是本机构"):
        _policy(world, "jinniu", "510106", shared_as=[shared["shifang"]])


def test_conditions_met_not_met_unknown_and_the_candidates(world, jinshi):
    policy = _policy(world, "shifang", "510682")
    cathode = world.firms["cathode"]  # in 什邡, no figures: revenue unknown
    cathode.is_above_scale = True
    cathode.save()
    found = policies.enterprises_for(policy)
    assert [e.pk for e, _ in found.qualifying] == [world.firms["gas"].pk]
    assert found.qualifying[0][1] == Decimal("200000.00")
    assert [(e.pk, c.key, s) for e, c, s in found.one_away] == [(cathode.pk, "revenue", el.UNKNOWN)]
    rows = policies.for_enterprise(world.users["shifang"], cathode)
    assert [s.state for s in rows[0].states] == [el.MET, el.UNKNOWN]
    assert rows[0].estimate is None


def test_readiness_free_versus_quick_with_documents(world):
    free = _policy(world, "jinniu", "510106")
    assert policies.readiness(free).mode == policies.FREE
    quick = _policy(
        world,
        "jinniu",
        "510106",
        title="研发补助",
        conditions=[
            {
                "key": "rnd",
                "label": "研发投入占比不低于3%",
                "clause": "第四条",
                "rule": {">=": [{"var": "rnd_ratio"}, 3]},
            }
        ],
        benefit_kind="rate",
        benefit_rate=Decimal("0.05"),
        benefit_base="project_investment",
        documents=["项目备案证明"],
    )
    ready = policies.readiness(quick)
    assert ready.mode == policies.QUICK and ready.documents == ["项目备案证明"]
    assert any("研发投入占比" in p for p in ready.problems)
    assert any("金额" in p for p in ready.problems)
    expired = _policy(world, "jinniu", "510106", title="过期", valid_to=date(2021, 1, 1))
    assert "有效期" in policies.readiness(expired).problems[0]


def test_the_officer_tests_draft_conditions_on_real_enterprises(world, jinshi):
    policy = _policy(world, "shifang", "510682")
    draft = [REVENUE, {**SCALE, "rule": {"==": [{"var": "is_high_tech"}, True]}}]
    results = policies.test_conditions(
        world.users["shifang"], policy, draft, [world.firms["gas"], world.firms["cathode"]]
    )
    assert [[s.state for s in states] for _e, states, _ok in results] == [
        [el.MET, el.NOT_MET],
        [el.UNKNOWN, el.NOT_MET],
    ]
    policy.refresh_from_db()
    assert policy.conditions == [SCALE, REVENUE]  # nothing saved
    with pytest.raises(Invalid, match="未知的企业字段"):
        policies.test_conditions(
            world.users["shifang"],
            policy,
            [{**SCALE, "rule": {"var": "salary"}}],
            [world.firms["gas"]],
        )
    with pytest.raises(Forbidden):
        policies.test_conditions(world.users["jinniu"], policy, draft, [world.firms["gas"]])


def test_bad_policies_are_refused_with_the_field(world):
    with pytest.raises(Invalid) as refused:
        policies.create_policy(
            world.users["jinniu"],
            title="x",
            issuer_region_id="510106",
            conditions=[{**SCALE, "clause": ""}],
        )
    assert "clause" in refused.value.detail["conditions"]
    with pytest.raises(Invalid) as refused:
        policies.create_policy(
            world.users["jinniu"],
            title="x",
            issuer_region_id="510106",
            conditions=[SCALE],
            benefit_kind="fixed",
        )
    assert "benefit_amount" in refused.value.detail
    draft = policies.create_policy(world.users["jinniu"], title="x", issuer_region_id="510106")
    with pytest.raises(Invalid, match="至少一个享受条件"):
        policies.publish(world.users["jinniu"], draft)


def test_drafts_stay_with_their_organisation(world):
    from parklink.matching.queries import visible_policies

    draft = policies.create_policy(
        world.users["jinniu"], title="草稿", issuer_region_id="510106", conditions=[SCALE]
    )
    assert visible_policies(world.users["jinniu"]).filter(pk=draft.pk).exists()
    assert not visible_policies(world.users["shifang"]).filter(pk=draft.pk).exists()
    policies.publish(world.users["jinniu"], draft)
    assert visible_policies(world.users["shifang"]).filter(pk=draft.pk).exists()


def test_policy_api(world, jinshi, api_client):
    _park, _agreement, shared = jinshi
    policy = _policy(world, "jinniu", "510106", shared_as=[shared["jinniu"]])
    client = api_client(world.users["shifang"])
    body = client.get(f"/api/v1/matching/policies/{policy.pk}").json()
    assert body["mode"] == "free" and body["conditions"][0]["clause"]
    rows = client.get(f"/api/v1/matching/enterprises/{world.firms['gas'].pk}/policies").json()
    assert [r["policy"]["id"] for r in rows] == [policy.pk]
    assert rows[0]["via"] == ["金什合作协议"] and rows[0]["estimate"] == "200000.00"
    assert [s["state"] for s in rows[0]["states"]] == ["met", "met"]
    found = client.get(f"/api/v1/matching/policies/{policy.pk}/candidates").json()
    assert [(r["enterprise"], r["qualifies"]) for r in found] == [(world.firms["gas"].pk, True)]
    draft = policies.create_policy(
        world.users["jinniu"], title="草稿", issuer_region_id="510106", conditions=[SCALE]
    )
    assert client.get(f"/api/v1/matching/policies/{draft.pk}").status_code == 404
