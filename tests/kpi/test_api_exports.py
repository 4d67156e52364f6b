"""The API and Excel exports of surveys, liaison offices, findings and departments: read
through the pages' scopes; another organisation neither reads nor changes them."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from parklink.accounts.models import User
from parklink.kpi.models import Department, Finding, LiaisonOffice, Target
from parklink.kpi.services import liaison
from parklink.kpi.services import surveys as service
from parklink.projects.models import Project
from tests.kpi.support import World
from tests.kpi.test_liaison import offices  # noqa: F401  (a fixture)
from tests.kpi.test_surveys import answer_raw, setup  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_survey_api_and_export_are_the_surveying_organisations(
    setup: dict[str, Any],  # noqa: F811
    api_client: Callable[[User], Client],
    orgs: dict[str, Any],
) -> None:
    survey, officer = setup["survey"], setup["officer"]
    service.add_recipients(officer, survey, "park_key", setup["park"])
    by_name = {r.name: r for r in survey.recipients.all()}
    service.answer_by_officer(officer, by_name["规上甲公司"], answer_raw("resumed", "90"))
    own = api_client(officer)
    listed = own.get("/api/v1/kpi/surveys").json()
    assert [s["id"] for s in listed] == [survey.pk]
    detail = own.get(f"/api/v1/kpi/surveys/{survey.pk}").json()
    answered = next(r for r in detail["recipients"] if r["name"] == "规上甲公司")
    assert answered["status"] == "resumed" and answered["capacity"] == "90.00"
    rates = {(r["group"], r["rate"]): r["value"] for r in detail["rates"]}
    assert rates[("all", "resumption")] == "1.0000"
    exported = own.get(f"/api/v1/kpi/surveys/{survey.pk}/export")
    assert exported.status_code == 200
    book = sheets(exported.content)
    assert set(book) == {"调查", "调查对象", "答卷", "比率"}
    assert ("调查名称", "青白江复工复产调查") in book["调查"]
    people = {row[0]: row for row in book["调查对象"][1:]}
    assert people["规上甲公司"][3] == "复工" and people["链主乙公司"][3] == "未填报"
    assert ("全部", "复工率", "100.0%", "1", "1") in book["比率"]
    page = login(officer).get(reverse("kpi:survey_export", args=[survey.pk]))
    assert page.status_code == 200 and page.content[:2] == b"PK"
    # Another organisation (金牛区) neither lists, reads nor exports it.
    stranger = User.objects.create_user("jn_s", organization=orgs["jinniu"], role="officer")
    other = api_client(stranger)
    assert other.get("/api/v1/kpi/surveys").json() == []
    assert other.get(f"/api/v1/kpi/surveys/{survey.pk}").status_code == 404
    assert other.get(f"/api/v1/kpi/surveys/{survey.pk}/export").status_code == 404
    assert login(stranger).get(reverse("kpi:survey_export", args=[survey.pk])).status_code == 404


def test_office_api_and_export_with_qualified_sums(
    world: World,
    offices: dict[str, LiaisonOffice],  # noqa: F811
    api_client: Callable[[User], Client],
) -> None:
    office = offices["shanghai"]
    for key in ("alpha", "beta", "lead"):
        liaison.link_project(world.jinniu, world.projects[key], office)
    # 新材料产业园's 总投资 is "超5亿": the office's signed sum is a lower bound.
    Project.objects.filter(pk=world.projects["alpha"].pk).update(
        total_investment_qualifier="at_least"
    )
    own = api_client(world.jinniu)
    made = own.post(
        f"/api/v1/kpi/offices/{office.pk}/targets",
        {"period": "2025Q1", "kind": "signed_count", "value": "4"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["office"] == office.pk
    found = own.get(f"/api/v1/kpi/offices/{office.pk}?period=2025Q1").json()
    assert found["staff"] == ["jinniu"] and found["staff_names"] == ["张三", "李四"]
    assert {p["name"] for p in found["leads"]} == {"新材料产业园", "外资整车项目", "洽谈中的大项目"}
    assert found["results"]["signed_count"] == "2"
    assert found["qualifiers"] == {"signed_amount": "at_least"}
    assert found["targets"] == {"signed_count": "4.0000"}
    listed = own.get("/api/v1/kpi/offices?period=2025Q1").json()
    assert [o["id"] for o in listed] == [office.pk]  # the city's team is not 金牛区's
    book = sheets(own.get("/api/v1/kpi/offices/export?period=2025Q1").content)
    results = {(r[0], r[2]): r for r in book["目标与成绩"][1:]}
    assert results[("金牛区驻上海联络点", "签约金额")][4] == "超17亿元"
    assert results[("金牛区驻上海联络点", "签约项目个数")][5] == "50.0%"
    page = login(world.jinniu).get(reverse("kpi:office", args=[office.pk]) + "?period=2025Q1")
    assert "超17亿元" in page.content.decode()
    listing = login(world.jinniu).get(reverse("kpi:offices") + "?period=2025Q1")
    assert "超17亿元" in listing.content.decode()
    exported = login(world.jinniu).get(reverse("kpi:offices_export") + "?period=2025Q1")
    assert exported.status_code == 200
    # A neighbour and an outsider: nothing listed, a 404 on reading or changing it.
    for user in (world.qingbaijiang, world.outsider):
        other = api_client(user)
        assert other.get("/api/v1/kpi/offices?period=2025Q1").json() == []
        assert other.get(f"/api/v1/kpi/offices/{office.pk}?period=2025Q1").status_code == 404
        refused = other.post(
            f"/api/v1/kpi/offices/{office.pk}/targets",
            {"period": "2025Q1", "kind": "signed_count", "value": "9"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        rows = sheets(other.get("/api/v1/kpi/offices/export?period=2025Q1").content)
        assert len(rows["驻点招商机构"]) == 1  # the header only
    assert Target.objects.get(office=office).value == 4


def test_findings_api_and_export(world: World, api_client: Callable[[User], Client]) -> None:
    city = api_client(world.city)
    made = city.post(
        "/api/v1/kpi/findings",
        {
            "project": world.projects["alpha"].pk,
            "kind": "falsified",
            "noted_on": "2025-02-01",
            "note": "虚报投资额",
            "evidence": "=现场核查记录第3号",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["noted_by"]["id"] == world.orgs["city"].pk
    assert [f["note"] for f in city.get("/api/v1/kpi/findings").json()] == ["虚报投资额"]
    book = sheets(city.get("/api/v1/kpi/findings/export").content)
    row = book["核查认定"][1]
    assert row[:4] == ("新材料产业园", "弄虚作假", "2025-02-01", world.orgs["city"].name)
    assert row[5] == "=现场核查记录第3号"  # text, never a formula
    assert login(world.city).get(reverse("kpi:findings_export")).status_code == 200
    # 青白江区 may not judge 金牛区's project, nor read the finding.
    qbj = api_client(world.qingbaijiang)
    refused = qbj.post(
        "/api/v1/kpi/findings",
        {
            "project": world.projects["alpha"].pk,
            "kind": "falsified",
            "noted_on": "2025-02-01",
            "note": "x",
            "evidence": "y",
        },
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    assert qbj.get("/api/v1/kpi/findings").json() == []
    assert len(sheets(qbj.get("/api/v1/kpi/findings/export").content)["核查认定"]) == 1
    assert Finding.objects.count() == 1


def test_departments_api(world: World, api_client: Callable[[User], Client]) -> None:
    own = api_client(world.jinniu)
    made = own.post(
        "/api/v1/kpi/departments", {"name": "招商一局"}, content_type="application/json"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert own.post(
        f"/api/v1/kpi/departments/{pk}/members",
        {"members": [world.jinniu.pk]},
        content_type="application/json",
    ).json()["members"] == ["jinniu"]
    Project.objects.filter(pk=world.projects["alpha"].pk).update(leader_user=world.jinniu)
    target = own.post(
        "/api/v1/kpi/targets",
        {
            "organization": world.orgs["jinniu"].pk,
            "period": "2025Q1",
            "kind": "signed_count",
            "value": "2",
            "department": pk,
        },
        content_type="application/json",
    )
    assert target.status_code == 201 and target.json()["department"] == pk
    city = api_client(world.city)
    read = city.get(f"/api/v1/kpi/departments/{pk}?period=2025Q1").json()
    assert read["figures"]["signed_count"] == "1" and read["targets"] == {"signed_count": "2.0000"}
    assessed = city.post(
        "/api/v1/kpi/assess",
        {
            "scheme": "city-districts",
            "period": "2025Q1",
            "organization": world.orgs["jinniu"].pk,
            "subject": "department",
        },
        content_type="application/json",
    )
    assert assessed.status_code == 201
    assert [a["subject"]["key"] for a in assessed.json()] == [str(pk)]
    # The city above reads it but may not change it; others get a 404.
    refused = city.post(
        f"/api/v1/kpi/departments/{pk}/members",
        {"members": []},
        content_type="application/json",
    )
    assert refused.status_code == 403
    for user in (world.qingbaijiang, world.outsider):
        other = api_client(user)
        assert other.get("/api/v1/kpi/departments").json() == []
        assert other.get(f"/api/v1/kpi/departments/{pk}").status_code == 404
        assert (
            other.post(
                f"/api/v1/kpi/departments/{pk}/members",
                {"members": []},
                content_type="application/json",
            ).status_code
            == 404
        )
    assert Department.objects.get(pk=pk).memberships.count() == 1


def test_monthly_report_keeps_the_qualifier_of_its_sums(world: World) -> None:
    from parklink.kpi import reports

    Project.objects.filter(pk=world.projects["alpha"].pk).update(total_investment_qualifier="about")
    built = reports.build(world.city, world.orgs["jinniu"].pk, "2025Q1")
    figures = {row[0]: row[1] for row in built.figures}
    assert figures["签约金额"] == "约17亿元"  # 约5亿 + 12亿
    signings = {row[0]: row[2] for row in built.signings}
    assert signings["新材料产业园"] == "约5亿元"
    assert signings["外资整车项目"] == "1,200,000,000.00"
