"""Fixtures for the API tests: clients per user and a small project library."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.enterprises import services as enterprise_services
from parklink.enterprises.models import Enterprise
from parklink.enterprises.uscc import check_character
from parklink.parks import services as park_services
from parklink.parks.models import Park
from parklink.projects import services as project_services
from parklink.projects.models import Project
from parklink.regions.models import Region


def valid_uscc(serial: int) -> str:
    """A well-formed USCC for a company registered in 金牛区."""
    first17 = f"91510106{serial:09d}"
    return first17 + check_character(first17)


@pytest.fixture
def client_for(
    users: dict[str, User], api_client: Callable[[User], Client]
) -> Callable[[str], Client]:
    """`client_for("jinniu")`: an API client holding a token of that fixture user."""
    made: dict[str, Client] = {}

    def get(key: str) -> Client:
        if key not in made:
            made[key] = api_client(users[key])
        return made[key]

    return get


@pytest.fixture
def park(users: dict[str, User]) -> Park:
    return park_services.create_park(
        users["jinniu"],
        name="金牛高新技术产业园区",
        short_name="金牛高新",
        kind="high_tech_zone",
        region=Region.objects.get(adcode="510106"),
    )


@pytest.fixture
def sub_park(users: dict[str, User], park: Park) -> Park:
    return park_services.create_park(
        users["jinniu"],
        name="金牛数字经济园",
        kind="industrial_park",
        region=Region.objects.get(adcode="510106"),
        parent=park,
    )


@pytest.fixture
def enterprise(users: dict[str, User], park: Park) -> Enterprise:
    return enterprise_services.create_enterprise(
        users["jinniu"],
        name="成都星河光伏科技有限公司",
        region_id="510106",
        uscc=valid_uscc(1),
        industry_code="3825",
        is_high_tech=True,
        registered_capital=Decimal("50000000"),
        sites=[{"role": "manufacturing", "park_id": park.pk, "region_id": "510106"}],
    )


@pytest.fixture
def make_project(users: dict[str, User], today: date) -> Callable[..., Project]:
    def make(
        name: str,
        owner: str = "jinniu",
        stage: str = "signed",
        region: str = "510106",
        days_ago: int = 0,
        **fields: Any,
    ) -> Project:
        return project_services.create_project(
            users[owner],
            name=name,
            region_id=region,
            stage=stage,
            stage_date=today - timedelta(days=days_ago),
            **fields,
        )

    return make


@pytest.fixture
def confidential(make_project: Callable[..., Project]) -> dict[str, Project]:
    """金牛's lead and negotiation (secret) and its signed project (disclosed upwards)."""
    return {
        "lead": make_project("保密线索项目", stage="lead"),
        "negotiating": make_project("在谈项目", stage="negotiating"),
        "signed": make_project("已签约项目", stage="signed"),
    }
