"""驻点招商: offices and resident teams, leads linked from projects, targets and results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from parklink.core.errors import Forbidden, Invalid, NotFound
from parklink.core.registry import registry
from parklink.kpi.engine import periods
from parklink.kpi.models import LiaisonOffice, OfficeLead, SubjectKind, Target
from parklink.kpi.services import liaison
from parklink.projects import services as project_services
from tests.kpi.support import WAN, YI, World, make
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(world: World) -> dict[str, LiaisonOffice]:
    shanghai = liaison.save_office(
        world.jinniu,
        None,
        kind="city_office",
        name="金牛区驻上海联络点",
        region=factories.region("310000"),
        staff=[world.jinniu],
        staff_names="张三、李四",
        since=date(2024, 5, 1),
    )
    park = factories.park(world.orgs["zhangye"], "共建园区甲")
    team = liaison.save_office(
        world.city, None, kind="resident_team", name="成都市驻共建园区甲招商组", park=park
    )
    return {"shanghai": shanghai, "team": team}


def test_offices_are_checked(world: World, offices: dict[str, LiaisonOffice]) -> None:
    with pytest.raises(Invalid) as caught:
        liaison.save_office(world.jinniu, None, kind="city_office", name="")
    assert set(caught.value.detail) == {"name", "region"}
    with pytest.raises(Invalid) as caught:
        liaison.save_office(world.jinniu, None, kind="resident_team", name="驻点组")
    assert "park" in caught.value.detail
    with pytest.raises(Invalid) as caught:
        liaison.save_office(
            world.jinniu,
            None,
            kind="city_office",
            name="金牛区驻上海联络点",
            region=factories.region("310000"),
        )
    assert "name" in caught.value.detail
    with pytest.raises(Invalid):  # staff must be the organisation's users
        liaison.save_office(
            world.jinniu,
            offices["shanghai"],
            kind="city_office",
            name="金牛区驻上海联络点",
            region=factories.region("310000"),
            staff=[world.qingbaijiang],
        )
    with pytest.raises(Forbidden):
        liaison.save_office(
            world.qingbaijiang,
            offices["shanghai"],
            kind="city_office",
            name="改名",
            region=factories.region("310000"),
        )


def test_leads_link_to_offices_of_the_owner_or_above(
    world: World, offices: dict[str, LiaisonOffice]
) -> None:
    alpha = world.projects["alpha"]
    qbj = world.projects["qbj"]
    assert {o.name for o in liaison.offices_for_project(world.jinniu, alpha)} == {
        "金牛区驻上海联络点",
        "成都市驻共建园区甲招商组",
    }
    liaison.link_project(world.jinniu, alpha, offices["shanghai"])
    # 金牛区's office cannot claim 青白江区's project; the city's team can.
    with pytest.raises(Invalid):
        liaison.link_project(world.qingbaijiang, qbj, offices["shanghai"])
    liaison.link_project(world.qingbaijiang, qbj, offices["team"])
    # Only the project's own officers set its source.
    with pytest.raises(Forbidden):
        liaison.link_project(world.city, alpha, offices["team"])
    with pytest.raises(NotFound):
        liaison.link_project(world.outsider, alpha, None)
    liaison.link_project(world.jinniu, alpha, offices["team"])  # moved, still one link
    assert OfficeLead.objects.filter(project=alpha).count() == 1
    liaison.link_project(world.jinniu, alpha, None)
    assert not OfficeLead.objects.filter(project=alpha).exists()


def test_results_and_targets_of_an_office(world: World, offices: dict[str, LiaisonOffice]) -> None:
    office = offices["shanghai"]
    for key in ("alpha", "beta", "lead"):
        liaison.link_project(world.jinniu, world.projects[key], office)
    q1 = periods.parse("2025Q1")
    found = liaison.results(world.jinniu, [office.pk], q1)[office.pk]
    assert found.leads == 3  # the lead counts as brought, never as signed
    assert found.values["signed_count"] == 2
    assert found.values["signed_amount"] == 17 * YI  # 5亿 + 12亿
    assert found.values["funds_total"] == 1400 * WAN  # 800 + 400 + 200 evidenced; 300 not
    assert found.values["started_count"] == 1
    # The city sees only signed projects of 金牛区: the lead is not among what it reads.
    assert liaison.results(world.city, [office.pk], q1)[office.pk].leads == 2
    target = liaison.set_office_target(world.jinniu, office, "2025Q1", "signed_count", 4)
    assert target.subject_kind == SubjectKind.OFFICE and target.office == office
    assert liaison.office_targets([office.pk], q1)[office.pk] == {"signed_count": Decimal(4)}
    # An organisation-level target of the same kind is a different target.
    assert Target.objects.filter(organization=world.orgs["jinniu"]).count() == 1
    with pytest.raises(Invalid):
        liaison.set_office_target(world.jinniu, office, "2025Q1", "landing_rate", "0.5")
    client = Client()
    client.force_login(world.jinniu)
    page = client.get(reverse("kpi:office", args=[office.pk]) + "?period=2025Q1")
    text = page.content.decode()
    assert page.status_code == 200 and "50.0%" in text  # 2 of 4 signings
    assert "张三、李四" in text and "新材料产业园" in text


def test_other_organisations_cannot_see_offices(
    world: World, offices: dict[str, LiaisonOffice]
) -> None:
    client = Client()
    client.force_login(world.outsider)
    assert client.get(reverse("kpi:office", args=[offices["shanghai"].pk])).status_code == 404
    assert "金牛区驻上海联络点" not in client.get(reverse("kpi:offices")).content.decode()
    assert not registry.visible(LiaisonOffice, world.outsider).exists()
    client.force_login(world.qingbaijiang)  # a sibling county
    assert client.get(reverse("kpi:office", args=[offices["shanghai"].pk])).status_code == 404


def test_project_panel_and_pages(
    world: World, offices: dict[str, LiaisonOffice], django_assert_max_num_queries: Any
) -> None:
    alpha = world.projects["alpha"]
    request = RequestFactory().get("/")
    request.user = world.jinniu
    html = Template('{% load panels %}{% panels project "section" %}').render(
        Context({"project": alpha, "request": request, "user": world.jinniu})
    )
    assert "驻点招商来源" in html and "金牛区驻上海联络点" in html
    client = Client()
    client.force_login(world.jinniu)
    done = client.post(
        reverse("kpi:project_office", args=[alpha.pk]),
        {"office": offices["shanghai"].pk, "next": "//evil.example/x"},
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "projects:detail", args=[alpha.pk]
    )
    assert OfficeLead.objects.get(project=alpha).office == offices["shanghai"]
    by_name = client.post(
        reverse("kpi:office_link", args=[offices["shanghai"].pk]), {"project": "外资整车项目"}
    )
    assert by_name.status_code == 302
    missing = client.post(
        reverse("kpi:office_link", args=[offices["shanghai"].pk]), {"project": "没有这个项目"}
    )
    assert missing.status_code == 400
    made = client.post(
        reverse("kpi:office_new"),
        {"kind": "city_office", "name": "金牛区驻广州联络点", "region": "440100", "active": "on"},
    )
    assert made.status_code == 302
    assert LiaisonOffice.objects.get(name="金牛区驻广州联络点").region_id == "440100"
    bad = client.post(reverse("kpi:office_new"), {"kind": "city_office", "name": "无城市"})
    assert bad.status_code == 200 and "所在城市" in bad.content.decode()
    for url in (
        reverse("kpi:offices") + "?period=2025Q1",
        reverse("kpi:office", args=[offices["shanghai"].pk]),
        reverse("kpi:office_edit", args=[offices["shanghai"].pk]),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    # A project's officers see the panel; an outsider's request sees nothing of it.
    request.user = world.outsider
    assert "驻点招商来源" not in Template('{% load panels %}{% panels project "section" %}').render(
        Context({"project": world.projects["qbj"], "request": request})
    )


def test_started_projects_count_once_in_the_period_they_started(
    world: World, offices: dict[str, LiaisonOffice]
) -> None:
    gamma = make(world.jinniu, "伽马项目", "signed", date(2025, 1, 5), total_investment=YI)
    project_services.transition(world.jinniu, gamma, "started", on=date(2025, 4, 2))
    liaison.link_project(world.jinniu, gamma, offices["shanghai"])
    q1 = liaison.results(world.jinniu, [offices["shanghai"].pk], periods.parse("2025Q1"))
    q2 = liaison.results(world.jinniu, [offices["shanghai"].pk], periods.parse("2025Q2"))
    assert q1[offices["shanghai"].pk].values["started_count"] == 0
    assert q2[offices["shanghai"].pk].values["started_count"] == 1
