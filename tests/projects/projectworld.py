"""A small project library for the page tests: two counties' projects, parks, an investor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from parklink.accounts.models import User
from parklink.enterprises import services as enterprise_services
from parklink.enterprises.models import Enterprise
from parklink.parks import services as park_services
from parklink.parks.models import Park
from parklink.projects.models import Project, ProjectTag
from parklink.regions.models import Region
from tests.support import factories

YI = Decimal(100_000_000)


@dataclass
class ProjectWorld:
    users: dict[str, User]
    parks: dict[str, Park] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    investor: Enterprise | None = None


def build(users: dict[str, User], on: date) -> ProjectWorld:
    """Jinniu's signed, started and confidential projects; Qingbaijiang's own signed one."""
    jinniu, qbj = users["jinniu"], users["qingbaijiang"]
    world = ProjectWorld(users)
    world.parks["jinniu"] = park_services.create_park(
        jinniu,
        name="金牛高新技术产业园区",
        short_name="金牛高新",
        kind="industrial_park",
        region=Region.objects.get(adcode="510106"),
    )
    world.parks["qbj"] = park_services.create_park(
        qbj,
        name="成都国际铁路港经开区",
        short_name="铁路港",
        kind="national_etdz",
        region=Region.objects.get(adcode="510113"),
    )
    world.investor = enterprise_services.create_enterprise(
        jinniu, name="成都高新发展股份有限公司", region_id="510106"
    )
    ProjectTag.objects.get_or_create(code="aid", defaults={"name": "托底性帮扶"})
    ProjectTag.objects.get_or_create(code="key", defaults={"name": "重点项目"})

    def make(key: str, user: User, park: str, stage: str, days_ago: int, **extra: Any) -> None:
        world.projects[key] = factories.project(
            user, stage=stage, on=on, days_ago=days_ago, park=world.parks[park], **extra
        )

    make(
        "signed",
        jinniu,
        "jinniu",
        "signed",
        10,
        name="智能制造产业基地",
        sector="高端装备",
        total_investment=12 * YI,
        phase_investment=5 * YI,
        investor=world.investor,
        maturity="A",
        responsible_leader="王主任",
        leader_user=jinniu,
        tags=["key"],
    )
    make(
        "started",
        jinniu,
        "jinniu",
        "started",
        120,
        name="新材料研发中心",
        sector="新材料",
        total_investment=5 * YI,
        maturity="B",
        responsible_leader="王主任",
        leader_user=jinniu,
    )
    make(
        "secret",
        jinniu,
        "jinniu",
        "negotiating",
        5,
        name="保密洽谈项目",
        sector="数字经济",
        total_investment=3 * YI,
        code_name="X-7",
    )
    make(
        "rail",
        qbj,
        "qbj",
        "signed",
        40,
        name="中欧班列物流枢纽",
        sector="现代物流",
        total_investment=8 * YI,
        tags=["aid"],
    )
    return world
