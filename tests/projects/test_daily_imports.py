"""Imports of progress entries and annual plans: the project found by id, name or code name
among the importing organisation's own; one bad row and nothing is written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from parklink.core import imports
from parklink.core.errors import Forbidden
from parklink.core.registry import registry
from parklink.projects.models import ProgressEntry, ProjectYearPlan
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(users, today):  # type: ignore[no-untyped-def]
    jinniu = users["jinniu"]
    return {
        "base": factories.project(jinniu, "智能制造产业基地", on=today, days_ago=200),
        "coded": factories.project(
            jinniu, "保密项目", stage="negotiating", on=today, code_name="X-7"
        ),
        "twin_a": factories.project(jinniu, "同名项目", on=today),
        "twin_b": factories.project(jinniu, "同名项目", on=today),
        "other": factories.project(users["qingbaijiang"], "中欧班列物流枢纽", on=today),
    }


def run(kind: str, user, path):  # type: ignore[no-untyped-def]
    importer = registry.tabular[kind].build_importer(user, None)
    return imports.run(importer, path)


def test_progress_rows_land_and_count_as_progress(users, projects, xlsx, today):  # type: ignore[no-untyped-def]
    base = projects["base"]
    path = xlsx(
        ["项目名称", "进展日期", "进展情况", "下一步工作", "填报人"],
        [
            ["智能制造产业基地", today, "完成土地摘牌", "办理规划许可", "张三"],
            ["X-7", (today - timedelta(days=1)).isoformat(), "第二轮洽谈", "", ""],
            [str(projects["twin_a"].pk), "2024年1月19日", "按编号找到", "", ""],
        ],
    )
    report = run("progress", users["jinniu"], path)
    assert report.ok and report.created == 3, report.problems
    entry = ProgressEntry.objects.get(project=base)
    assert (entry.reporter, entry.next_step, entry.author) == (
        "张三",
        "办理规划许可",
        users["jinniu"],
    )
    base.refresh_from_db()
    assert base.last_progress_on == today
    assert ProgressEntry.objects.get(project=projects["twin_a"]).happened_on == date(2024, 1, 19)


def test_one_bad_row_names_row_column_and_reason_and_nothing_is_written(
    users, projects, xlsx, today
):  # type: ignore[no-untyped-def]
    path = xlsx(
        ["项目", "日期", "进展情况"],
        [
            ["智能制造产业基地", today, "正常的一行"],
            ["中欧班列物流枢纽", today, "别的机构的项目"],
            ["同名项目", today, "重名"],
            ["智能制造产业基地", today + timedelta(days=2), "将来"],
            ["智能制造产业基地", "昨天", "日期写错"],
        ],
    )
    report = run("progress", users["jinniu"], path)
    assert not report.ok and report.created == 0
    found = {(p.row, p.column): p.reason_zh for p in report.problems}
    assert "本机构没有这个项目" in found[(3, "项目")]
    assert "2个同名项目" in found[(4, "项目")] and str(projects["twin_a"].pk) in found[(4, "项目")]
    assert found[(5, "日期")] == "进展日期不能晚于今天"
    assert "不是有效日期" in found[(6, "日期")]
    assert not ProgressEntry.objects.exists()
    rendered = report.problems[0].render("en")
    assert rendered.startswith("row 3 [项目]")


def test_a_viewer_cannot_import(users, projects, xlsx, today):  # type: ignore[no-untyped-def]
    path = xlsx(["项目名称", "进展日期", "进展情况"], [["智能制造产业基地", today, "x"]])
    with pytest.raises(Forbidden):
        run("progress", users["jinniu_viewer"], path)


def test_year_plans_import_in_wan_and_replace_the_year(users, projects, xlsx):  # type: ignore[no-untyped-def]
    path = xlsx(
        ["项目名称", "年度", "年度计划投资(万元)", "年度完成投资(亿元)"],
        [["智能制造产业基地", 2025, 5000, "0.3"], ["X-7", 2025, "", 1]],
    )
    report = run("project-year-plans", users["jinniu"], path)
    assert report.ok and report.created == 2, report.problems
    plan = ProjectYearPlan.objects.get(project=projects["base"])
    assert plan.planned == Decimal("50000000") and plan.completed == Decimal("30000000")
    assert ProjectYearPlan.objects.get(project=projects["coded"]).completed == Decimal("100000000")
    again = xlsx(
        ["项目名称", "年度", "年度计划投资(万元)"],
        [["智能制造产业基地", 2025, 6000]],
        name="b.xlsx",
    )
    assert run("project-year-plans", users["jinniu"], again).ok
    plan.refresh_from_db()
    assert plan.planned == Decimal("60000000") and plan.completed is None


def test_year_plan_rows_are_checked_before_anything_is_written(users, projects, xlsx):  # type: ignore[no-untyped-def]
    path = xlsx(
        ["项目名称", "年度", "年度计划投资(万元)", "年度完成投资(万元)"],
        [
            ["智能制造产业基地", 2025, 100, 50],
            ["智能制造产业基地", 2025, 200, ""],
            ["智能制造产业基地", 1990, 1, ""],
            ["X-7", 2026, "", ""],
            ["X-7", 2027, "-5", ""],
        ],
    )
    report = run("project-year-plans", users["jinniu"], path)
    found = {(p.row, p.column): p.reason_zh for p in report.problems}
    assert "与第2行重复" in found[(3, "年度")]
    assert "年度必须在2000到2100之间" in found[(4, "年度")]
    assert "请至少填写" in found[(5, "年度计划投资(万元)")]
    assert found[(6, "年度计划投资(万元)")] == "金额不能为负数"
    assert not ProjectYearPlan.objects.exists()


@pytest.mark.parametrize(
    ("kind", "headers"),
    [
        ("progress", ["项目名称", "进展日期", "进展情况", "下一步工作", "填报人"]),
        ("project-year-plans", ["项目名称", "年度", "年度计划投资(万元)", "年度完成投资(万元)"]),
    ],
)
def test_the_import_page_offers_a_template(users, projects, kind, headers):  # type: ignore[no-untyped-def]
    import io

    from django.test import Client
    from django.urls import reverse
    from openpyxl import load_workbook

    client = Client()
    client.force_login(users["jinniu"])
    response = client.get(reverse("import_template", args=[kind]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))] == headers
