"""The ledger and the brief carry the daily work: the progress log, open problems, the year's
plan, the contract dates and the warnings those dates raise."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from parklink.accounts.models import User
from parklink.parks.models import Park
from parklink.projects.brief import project_brief
from parklink.projects.ledger import LedgerOptions, export_ledger
from parklink.projects.models import Problem, ProgressEntry, Project, ProjectYearPlan
from parklink.projects.queries import ProjectFilters
from tests.projects.test_ledger import by_name
from tests.projects.test_ledger_world import YI, LedgerWorld, build


@pytest.fixture
def world(users: dict[str, User], park: Park, today: date) -> LedgerWorld:
    world = build(users, park, today)
    built, foreign = world.projects["built"], world.projects["foreign"]
    ProgressEntry.objects.create(
        project=built,
        happened_on=today - timedelta(days=3),
        summary="完成三号厂房钢结构吊装",
        next_step="下周启动屋面施工",
        reporter="李专员",
    )
    ProgressEntry.objects.create(
        project=built, happened_on=today - timedelta(days=60), summary="较早的进展"
    )
    Problem.objects.create(
        project=built,
        category="power",
        description="施工临时用电容量不足",
        department="区供电公司",
        raised_on=today - timedelta(days=20),
        deadline=today - timedelta(days=2),
    )
    Problem.objects.create(
        project=built,
        category="land",
        description="已解决的用地问题",
        raised_on=today - timedelta(days=90),
        status="solved",
        solved_on=today - timedelta(days=80),
    )
    ProjectYearPlan.objects.create(
        project=built, year=today.year, planned=4 * YI, completed=Decimal("150000000.55")
    )
    ProjectYearPlan.objects.create(project=built, year=today.year - 1, planned=YI, completed=YI)
    Project.objects.filter(pk=foreign.pk).update(
        contract_start_date=today - timedelta(days=10),
        contract_production_date=today + timedelta(days=700),
    )
    ProgressEntry.objects.create(
        project=foreign,
        happened_on=today - timedelta(days=1),
        summary="示例:与外方股东视频会商",
        illustrative=True,
    )
    return world


def test_the_ledger_row_carries_the_daily_work(
    users: dict[str, User], world: LedgerWorld, today: date
) -> None:
    rows = by_name(export_ledger(users["jinniu"], ProjectFilters(), LedgerOptions(unit="元")))
    row = rows["智能制造产业基地"]
    progress = row["最新进展"].value
    assert progress.startswith(f"{today - timedelta(days=3):%Y-%m-%d} 完成三号厂房钢结构吊装")
    assert "李专员" in progress
    assert "下一步:下周启动屋面施工" in progress
    problems = row["未解决问题"].value
    assert "施工临时用电容量不足" in problems
    assert "区供电公司" in problems
    assert "已逾期" in problems
    assert "已解决的用地问题" not in problems
    assert row["本年计划投资(元)"].value == 400000000
    assert row["本年完成投资(元)"].value == pytest.approx(150000000.55)


def test_contract_dates_and_their_warnings(
    users: dict[str, User], world: LedgerWorld, today: date
) -> None:
    rows = by_name(export_ledger(users["qingbaijiang"], ProjectFilters(), LedgerOptions()))
    row = rows["中欧班列冷链物流中心"]
    assert row["合同约定开工日期"].value.date() == today - timedelta(days=10)
    assert row["合同约定投产日期"].value.date() == today + timedelta(days=700)
    assert "逾期未开工" in row["预警原因"].value
    assert row["数据说明"].value == "示例数据"
    assert row["最新进展"].value.startswith(f"{today - timedelta(days=1):%Y-%m-%d} [示例数据]")


def test_the_brief_carries_the_daily_work(users: dict[str, User], world: LedgerWorld) -> None:
    _project, pdf = project_brief(users["jinniu"], world.projects["built"].pk)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "完成三号厂房钢结构吊装" in text
    assert "未解决问题(1)" in text
    assert "施工临时用电容量不足" in text
    assert "4亿元/1.5亿元" in text
