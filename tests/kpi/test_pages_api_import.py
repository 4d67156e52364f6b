"""Pages, the API and the targets import: scoped to what the user may see, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

from django.test import Client

from parklink.accounts.models import User
from parklink.core import imports
from parklink.kpi.imports import TargetImporter
from parklink.kpi.models import Assessment, Target
from tests.kpi.support import World


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ranking_preview_then_saved_with_derivation_and_figure_links(world: World) -> None:
    city = login(world.city)
    page = city.get("/kpi/?scheme=city-districts&period=2025Q1")
    assert page.status_code == 200
    text = page.content.decode()
    assert "预览:尚未保存本期考核结果" in text and "示例数据" in text
    assert world.orgs["jinniu"].name in text
    saved = city.post("/kpi/assess/", {"scheme": "city-districts", "period": "2025Q1"})
    assert saved.status_code == 302
    assessment = Assessment.objects.get(organization=world.orgs["jinniu"])
    text = city.get(saved["Location"]).content.decode()
    assert "已保存的考核结果" in text and f"/kpi/assessments/{assessment.pk}/" in text
    assert 'id="trend-chart"' in text
    detail = city.get(f"/kpi/assessments/{assessment.pk}/").content.decode()
    assert "结果一致" in detail and "扣分:超时限未开工每个0.1分" in detail
    link = f"/kpi/orgs/{world.orgs['jinniu'].pk}/figures/signed_count/?period=2025Q1"
    assert link in detail.replace("&amp;", "&")
    behind = city.get(link).content.decode()
    assert world.projects["alpha"].name in behind and world.projects["lead"].name not in behind
    funds = city.get(
        f"/kpi/orgs/{world.orgs['jinniu'].pk}/figures/funds_unevidenced/?period=2025Q1"
    )
    assert "无凭证的到位资金" in funds.content.decode()
    # A neighbouring county cannot open 金牛区's assessment or figures.
    qbj = login(world.qingbaijiang)
    assert qbj.get(f"/kpi/assessments/{assessment.pk}/").status_code == 404
    assert qbj.get(link).status_code == 404


def test_scheme_pages_write_check_and_preview(world: World) -> None:
    city = login(world.city)
    assert "city-districts" in city.get("/kpi/schemes/").content.decode()
    detail = city.get("/kpi/schemes/county-introduced/?period=2025Q1").content.decode()
    assert "引进成功项目(对目标)" in detail and world.orgs["jinniu"].name in detail
    bad = city.post(
        "/kpi/schemes/new/",
        {"text": "key: x\nname: x\nitems:\n  - {key: a, type: positive, metric: nope}\n"},
    )
    assert bad.status_code == 200 and "未知的指标“nope”" in bad.content.decode()
    good = city.post(
        "/kpi/schemes/new/",
        {
            "text": "key: mine\nname: 我的方案\nitems:\n  - {key: a, label: 签约, type: positive,"
            " metric: signed_count, target: signed_count, weight: 10}\n"
        },
    )
    assert good.status_code == 302 and good["Location"] == "/kpi/schemes/mine/"
    # Another city's organisation does not see it.
    assert login(world.outsider).get("/kpi/schemes/mine/").status_code == 404


def test_api_targets_assess_and_scope(world: World, api_client: Callable[[User], Client]) -> None:
    city = api_client(world.city)
    made = city.post(
        "/api/v1/kpi/targets",
        {
            "organization": world.orgs["jinniu"].pk,
            "period": "2025Q1",
            "kind": "signed_count",
            "value": "4",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    refused = api_client(world.jinniu).post(
        "/api/v1/kpi/targets",
        {
            "organization": world.orgs["qingbaijiang"].pk,
            "period": "2025Q1",
            "kind": "signed_count",
            "value": "4",
        },
        content_type="application/json",
    )
    assert refused.status_code == 404
    result = city.post(
        "/api/v1/kpi/assess",
        {"scheme": "chenzhou-hitech", "period": "2025Q1"},
        content_type="application/json",
    )
    assert result.status_code == 201
    rows = {r["organization"]["name"]: r for r in result.json()}
    jinniu = rows[world.orgs["jinniu"].name]
    # 2 of 4 signed: 30 × 0.5 = 15; landing rate 0.5 reaches the first band: 10.
    assert jinniu["total"] == "25.00"
    one = city.get(f"/api/v1/kpi/assessments/{jinniu['id']}").json()
    assert one["replay_total"] == "25.00"
    figures = city.get(f"/api/v1/kpi/figures/{world.orgs['jinniu'].pk}?period=2025Q1").json()
    assert figures["figures"]["funds_unevidenced"] == "3000000.00"
    projects = city.get(
        f"/api/v1/kpi/figures/{world.orgs['jinniu'].pk}/signed_count/projects?period=2025Q1"
    ).json()
    assert {p["name"] for p in projects} == {
        world.projects["alpha"].name,
        world.projects["beta"].name,
    }
    outsider = api_client(world.outsider)
    assert outsider.get(f"/api/v1/kpi/assessments/{jinniu['id']}").status_code == 404
    assert (
        outsider.get(f"/api/v1/kpi/figures/{world.orgs['jinniu'].pk}?period=2025Q1").status_code
        == 404
    )
    assert outsider.get("/api/v1/kpi/assessments").json() == []
    bad = city.post(
        "/api/v1/kpi/schemes",
        {"text": "key: z\nname: z\nitems: []"},
        content_type="application/json",
    )
    assert bad.status_code == 422 or bad.status_code == 400
    assert "考核项" in json.dumps(bad.json(), ensure_ascii=False)


def test_targets_import_is_all_or_nothing(world: World, xlsx: Callable[..., Path]) -> None:
    jinniu, qbj = world.orgs["jinniu"].name, world.orgs["qingbaijiang"].name
    header = ["机构", "考核期", "目标类型", "目标值(万元)", "工作专班", "说明"]
    bad = xlsx(
        header,
        [
            [jinniu, "2025Q1", "签约金额", "20000", "", ""],
            [qbj, "2025Q5", "签约个数", "3", "", ""],
            ["某外省机构", "2025Q1", "签约个数", "3", "", ""],
            [jinniu, "2025Q1", "项目落地率", "185%", "", ""],
            [jinniu, "2025Q1", "签约金额", "1", "", ""],
        ],
    )
    report = imports.run(TargetImporter(world.city, world.orgs["city"]), bad)
    assert not report.written and Target.objects.count() == 0
    rendered = [p.render("zh") for p in report.problems]
    assert any(r.startswith("第3行 [考核期]") for r in rendered)
    assert any(r.startswith("第4行 [机构]") for r in rendered)
    assert any(r.startswith("第5行 [目标值(万元)]") and "比率" in r for r in rendered)
    assert any(r.startswith("第6行") and "重复" in r for r in rendered)
    good = xlsx(
        header,
        [
            [jinniu, "2025Q1", "签约金额", "20000", "", ""],
            [qbj, "2025q1", "signed_count", "3", "", "示例"],
            [jinniu, "2025Q1", "项目落地率", "85%", "", ""],
            [jinniu, "2025", "签约个数", "12", "招商一组", ""],
        ],
        name="good.xlsx",
    )
    report = imports.run(TargetImporter(world.city, world.orgs["city"]), good)
    assert report.written, [p.render("zh") for p in report.problems]
    assert Target.objects.get(organization=world.orgs["jinniu"], kind="signed_amount").value == D(
        200_000_000
    )
    assert Target.objects.get(organization=world.orgs["jinniu"], kind="landing_rate").value == D(
        "0.85"
    )
    assert Target.objects.get(task_force="招商一组").subject_kind == "task_force"
    # A county cannot import targets for its neighbour.
    report = imports.run(TargetImporter(world.jinniu, world.orgs["jinniu"]), good)
    assert not report.written and any("[机构]" in p.render("zh") for p in report.problems)


def test_bad_periods_are_explained_not_server_errors(world: World) -> None:
    city = login(world.city)
    page = city.get("/kpi/?scheme=city-districts&period=2025Q9")
    assert page.status_code == 200 and "考核期应写作" in page.content.decode()
    assert city.get("/kpi/targets/?period=Q1").status_code == 400
    targets_page = city.get("/kpi/targets/?period=2025Q1")
    assert targets_page.status_code == 200 and "从 Excel 导入目标" in targets_page.content.decode()
    figure = city.get(f"/kpi/orgs/{world.orgs['jinniu'].pk}/figures/signed_count/?period=x")
    assert figure.status_code == 400 and "考核期应写作" in figure.content.decode()
    posted = city.post("/kpi/assess/", {"scheme": "city-districts", "period": "2025Q9"})
    assert posted.status_code == 302 and not Assessment.objects.exists()
    viewer = login(
        User.objects.create_user("viewer", organization=world.orgs["city"], role="viewer")
    )
    assert (
        viewer.post("/kpi/assess/", {"scheme": "city-districts", "period": "2025Q1"}).status_code
        == 403
    )
    assert city.get("/kpi/orgs/999999/figures/signed_count/?period=2025Q1").status_code == 404
    assert (
        city.get(f"/kpi/orgs/{world.orgs['jinniu'].pk}/figures/nope/?period=2025Q1").status_code
        == 404
    )
