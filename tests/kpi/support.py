"""A kpi world: 金牛区 and 青白江区 (counties of 成都市) with projects of 2025Q1.

Projects go through the projects services, as users enter them; the day each entered the
library (`created_at`) is set afterwards, since the monthly ledger rule reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parklink.accounts.models import Organization, User
from parklink.projects import services as project_services
from parklink.projects.models import Project
from tests.support import factories
from tests.support.import_files import make_uscc

YI = Decimal(100_000_000)
WAN = Decimal(10_000)


def entered(project: Project, on: date) -> None:
    Project.objects.filter(pk=project.pk).update(
        created_at=timezone.make_aware(datetime.combine(on, time(10)))
    )


def make(
    by: User, name: str, stage: str, on: date, entered_on: date | None = None, **fields: Any
) -> Project:
    project = factories.project(by, name, stage=stage, on=on, **fields)
    entered(project, entered_on or on)
    return project


@dataclass
class World:
    orgs: dict[str, Organization]
    city: User
    jinniu: User
    qingbaijiang: User
    outsider: User
    projects: dict[str, Project]


def build(orgs: dict[str, Organization]) -> World:
    city = factories.user("city", orgs["city"])
    jinniu = factories.user("jinniu", orgs["jinniu"])
    qbj = factories.user("qbj", orgs["qingbaijiang"])
    outsider = factories.user("zhangye", orgs["zhangye"])
    registered = factories.enterprise(orgs["jinniu"], "成都某新材料有限公司", uscc=make_uscc(1))
    unregistered = factories.enterprise(orgs["jinniu"], "某未注册投资方")
    p: dict[str, Project] = {}
    # 金牛区, 2025Q1: a 5亿 key project, registered, started in February, 1200万 evidenced.
    p["alpha"] = make(
        jinniu,
        "新材料产业园",
        "signed",
        date(2025, 1, 10),
        total_investment=5 * YI,
        investor=registered,
        capital_origin="out_of_province",
        tags=["key"],
    )
    project_services.transition(jinniu, p["alpha"], "started", on=date(2025, 2, 20))
    project_services.add_funds(
        jinniu, p["alpha"], date(2025, 1, 20), 800 * WAN, evidence="转账凭证001"
    )
    project_services.add_funds(
        jinniu, p["alpha"], date(2025, 3, 5), 400 * WAN, evidence="发票号 123"
    )
    project_services.add_funds(jinniu, p["alpha"], date(2025, 3, 6), 300 * WAN)  # no evidence
    # A 12亿 project signed in March, foreign money, not started, investor unregistered.
    p["beta"] = make(
        jinniu,
        "外资整车项目",
        "signed",
        date(2025, 3, 1),
        total_investment=12 * YI,
        investor=unregistered,
        capital_origin="foreign",
        industry_code="3612",
    )
    project_services.add_funds(jinniu, p["beta"], date(2025, 3, 15), 200 * WAN, evidence="SWIFT 9")
    # A lead worth 30亿: never counts, for anyone.
    p["lead"] = make(jinniu, "洽谈中的大项目", "lead", date(2025, 2, 1), total_investment=30 * YI)
    # Signed in Q1 but entered in April: 突击上报.
    p["late"] = make(
        jinniu,
        "补录项目",
        "signed",
        date(2025, 3, 20),
        entered_on=date(2025, 4, 3),
        total_investment=25 * YI,
    )
    # Signed in 2024-06, never started: overdue by 2025Q1 (6 months).
    p["old"] = make(jinniu, "迟迟未开工项目", "signed", date(2024, 6, 1), total_investment=1 * YI)
    # 青白江区: one 2亿 project in Q1.
    p["qbj"] = make(
        qbj,
        "青白江物流园",
        "signed",
        date(2025, 2, 2),
        total_investment=2 * YI,
        capital_origin="in_province",
    )
    return World(orgs, city, jinniu, qbj, outsider, p)
