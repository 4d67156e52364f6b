"""A small metro-area world for the matching tests: organisations, enterprises, listings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from parklink.accounts.models import Organization, Role, User
from parklink.chains.models import MetroArea, MetroMember
from parklink.enterprises.models import Enterprise
from parklink.matching.models import Listing
from parklink.matching.services import listings
from tests.support import factories


@dataclass
class World:
    orgs: dict[str, Organization]
    users: dict[str, User]
    firms: dict[str, Enterprise]
    metro: MetroArea

    def post(self, by: str, firm: str, side: str, title: str, **data: Any) -> Listing:
        values = {"side": side, "kind": "product", "title": title, **data}
        return listings.create_listing(self.users[by], self.firms[firm], values)


@pytest.fixture
def world(db: Any) -> World:
    orgs = {
        "jinniu": factories.organization("金牛区投资促进局", "510106"),
        "shifang": factories.organization("什邡市经济合作局", "510682"),
        "meishan": factories.organization("眉山市经济合作局", "511400"),
        "ziyang": factories.organization("资阳市投资促进局", "512000"),
        "zhangye": factories.organization("张掖经开区管委会", "620700", "park_committee"),
    }
    users = {key: factories.user(f"{key}_officer", org) for key, org in orgs.items()}
    users["jinniu_viewer"] = factories.user("jinniu_viewer", orgs["jinniu"], role=Role.VIEWER)
    users["root"] = factories.superuser()
    metro = MetroArea.objects.create(key="cdmy", name="成德眉资同城化")
    for order, adcode in enumerate(("510100", "510600", "511400", "512000")):
        MetroMember.objects.create(metro=metro, region_id=adcode, order=order)
    firms = {
        "cathode": factories.enterprise(
            orgs["shifang"], "四川示例正极材料有限公司", "510682", industry_code="3985"
        ),
        "cell": factories.enterprise(orgs["jinniu"], "成都示例动力电池有限公司", "510106"),
        "far_cathode": factories.enterprise(orgs["zhangye"], "张掖示例锂电材料有限公司", "620702"),
        "gas": factories.enterprise(orgs["meishan"], "眉山示例特种气体有限公司", "511402"),
        "display": factories.enterprise(orgs["ziyang"], "资阳示例显示面板有限公司", "512002"),
    }
    return World(orgs, users, firms, metro)
