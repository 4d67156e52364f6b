"""The library the ledger, brief and map tests share (no tests of its own).

金牛 has a project under construction with every record an officer keeps (funds, milestones
with one overdue, approvals, 五个一), a confidential lead and a stalled project; 青白江 has a
signed foreign-funded project with illustrative funds. Amounts are chosen so that exactness
shows: 12,345,678.91 元 is 1,234.567891 万元 in the file, never 1234.5678910000001.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from parklink.accounts.models import User
from parklink.enterprises.services import create_enterprise
from parklink.parks.models import Park
from parklink.projects import services
from parklink.projects.models import Project

YI = Decimal(100_000_000)


@dataclass
class LedgerWorld:
    today: date
    projects: dict[str, Project] = field(default_factory=dict)


def build(users: dict[str, User], park: Park, today: date) -> LedgerWorld:
    jinniu, qbj = users["jinniu"], users["qingbaijiang"]
    world = LedgerWorld(today)
    investor = create_enterprise(jinniu, name="成都智造装备股份有限公司", region_id="510106")

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    built = services.create_project(
        jinniu,
        name="智能制造产业基地",
        code_name="ZZ-1",
        park=park,
        region_id="510106",
        investor=investor,
        sector="高端装备",
        total_investment=12 * YI,
        total_investment_qualifier="at_least",
        phase_investment=Decimal("12345678.91"),
        capital_origin="in_province",
        responsible_leader="王主任",
        leader_user=jinniu,
        task_force="智能制造项目专班",
        mechanism="每周调度,每月现场督导",
        stage="signed",
        stage_date=ago(200),
    )
    services.transition(jinniu, built, "started", on=ago(100), note="举行开工仪式")
    built.refresh_from_db()
    services.transition(jinniu, built, "under_construction", on=ago(20), note="主体结构施工")
    built.refresh_from_db()
    services.add_funds(jinniu, built, ago(50), 3 * YI, evidence="银行进账单")
    services.add_milestone(jinniu, built, "完成土地摘牌", ago(150))
    done = built.milestones.get(name="完成土地摘牌")
    services.complete_milestone(jinniu, done, on=ago(140))
    services.add_milestone(jinniu, built, "取得施工许可证", ago(10))
    services.add_milestone(jinniu, built, "厂房封顶", today + timedelta(days=90))
    services.set_approval(
        jinniu,
        built,
        "environmental",
        "approved",
        decided_on=ago(120),
        reference="金环审〔2025〕8号",
    )
    services.set_approval(jinniu, built, "land", "submitted", submitted_on=ago(60))
    built.refresh_from_db()
    world.projects["built"] = built

    world.projects["lead"] = services.create_project(
        jinniu, name="保密线索项目", region_id="510106", stage="lead", stage_date=ago(5)
    )
    stalled = services.create_project(
        jinniu,
        name="停滞的物流园项目",
        region_id="510106",
        sector="现代物流",
        stage="signed",
        stage_date=ago(300),
    )
    services.transition(jinniu, stalled, "stalled", on=ago(30), note="企业资金链紧张")
    stalled.refresh_from_db()
    world.projects["stalled"] = stalled

    foreign = services.create_project(
        qbj,
        name="中欧班列冷链物流中心",
        region_id="510113",
        sector="现代物流",
        total_investment=5 * YI,
        total_investment_qualifier="about",
        capital_origin="foreign",
        stage="signed",
        stage_date=ago(40),
    )
    services.add_funds(qbj, foreign, ago(30), Decimal("50000000"), evidence="示例数据:外资到位凭证")
    foreign.refresh_from_db()
    world.projects["foreign"] = foreign
    return world
