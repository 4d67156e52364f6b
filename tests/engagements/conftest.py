"""The engagements tests' world: two organisations that meet the same enterprise, a third that
never does, their officers and a viewer, an enterprise with a contact of each, and projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from parklink.accounts.models import Organization, Role, User
from parklink.engagements.models import Contact, Engagement
from parklink.engagements.services import create_contact, create_engagement
from parklink.enterprises.models import Enterprise
from parklink.projects.models import Project
from tests.support import factories


@dataclass
class World:
    jinniu: Organization
    dege: Organization
    zhangye: Organization
    jinniu_officer: User
    jinniu_viewer: User
    jinniu_colleague: User
    dege_officer: User
    zhangye_officer: User
    root: User
    firm: Enterprise
    other_firm: Enterprise
    jinniu_project: Project
    dege_project: Project
    jinniu_contact: Contact
    dege_contact: Contact
    today: date

    def engagement(self, by: User | None = None, **data: Any) -> Engagement:
        by = by or self.jinniu_officer
        values: dict[str, Any] = {
            "kind": "visit_out",
            "held_on": self.today - timedelta(days=10),
            "title": "拜访示例科技",
            "summary": "机密纪要:企业计划扩产",
            "requests": "需要200亩工业用地",
            "enterprises": [self.firm.pk],
        }
        values.update(data)
        return create_engagement(by, values)


@pytest.fixture
def world(db: Any, today: date) -> World:
    jinniu = factories.organization("金牛区投资促进局", "510106")
    dege = factories.organization("德格县人民政府", "513330", "government")
    zhangye = factories.organization("张掖经开区管委会", "620700", "park_committee")
    jinniu_officer = factories.user("jn_officer", jinniu, display_name="金牛专员")
    firm = factories.enterprise(jinniu, "示例科技有限公司")
    other_firm = factories.enterprise(dege, "德格示例农牧公司")
    dege_officer = factories.user("dg_officer", dege)
    world = World(
        jinniu=jinniu,
        dege=dege,
        zhangye=zhangye,
        jinniu_officer=jinniu_officer,
        jinniu_viewer=factories.user("jn_viewer", jinniu, role=Role.VIEWER),
        jinniu_colleague=factories.user("jn_colleague", jinniu),
        dege_officer=dege_officer,
        zhangye_officer=factories.user("zy_officer", zhangye),
        root=factories.superuser(),
        firm=firm,
        other_firm=other_firm,
        jinniu_project=factories.project(jinniu_officer, "金牛扩产项目", stage="negotiating"),
        dege_project=factories.project(dege_officer, "德格牦牛加工项目", stage="negotiating"),
        jinniu_contact=create_contact(
            jinniu_officer, {"enterprise": firm, "name": "李经理", "phone": "13800000001"}
        ),
        dege_contact=create_contact(
            dege_officer, {"enterprise": firm, "name": "王总", "wechat": "wang-dege"}
        ),
        today=today,
    )
    return world
