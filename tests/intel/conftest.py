"""The intel tests' world: two counties' officers, a park, an enterprise and a library project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from parklink.accounts.models import User
from parklink.enterprises import services as enterprise_services
from parklink.enterprises.models import Enterprise
from parklink.parks import services as park_services
from parklink.parks.models import Park
from parklink.projects.models import Project
from parklink.regions.models import Region
from tests.support import factories

YI = Decimal(100_000_000)

# A park WeChat post (invented for the tests): two signed projects, one start of construction,
# a revenue figure that is not an investment, and a related-article teaser about elsewhere.
ARTICLE = """张掖经开区重点项目集中签约
发布时间:2025-03-22  来源:张掖经开区管委会
3月21日,张掖经济技术开发区举行重点项目集中签约仪式。
甘肃云海新材料有限公司投资12亿元建设年产5万吨高纯硅材料项目,项目达产后预计年产值20亿元。
张掖晨光储能科技有限公司投资约3亿元的储能电池组装项目签约落地。
黑河水电17万吨硅系新材料项目当日开工建设。
相关文章
某市新能源产业园项目投资50亿元
"""


@dataclass
class World:
    users: dict[str, User]
    park: Park
    enterprise: Enterprise
    projects: dict[str, Project] = field(default_factory=dict)


@pytest.fixture
def world(users: dict[str, User]) -> World:
    zhangye = users["zhangye"]
    park = park_services.create_park(
        zhangye,
        name="张掖经济技术开发区",
        short_name="张掖经开区",
        kind="national_etdz",
        region=Region.objects.get(adcode="620702"),
    )
    enterprise = enterprise_services.create_enterprise(
        zhangye, name="甘肃黑河水电实业投资有限责任公司", short_name="黑河水电", region_id="620702"
    )
    silicon = factories.project(
        zhangye,
        "黑河水电17万吨硅系新材料项目",
        stage="signed",
        on=date(2024, 10, 15),
        park=park,
        investor=enterprise,
    )
    return World(users, park, enterprise, {"silicon": silicon})


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
