"""A small hand-built registry where the right answers are obvious (imported by the tests).

One chain (测试光伏链: 工业硅 → 多晶硅 → 拉晶切片 → 电池片 → 组件 → 电站), shipped; the place is
金牛区 (510106), whose enterprises make the labels plain:

    silicon  0                          missing
    poly     1 ordinary                 weak
    wafer    3 ordinary                 present
    cell     a chain leader + 2         strong
    module   0                          missing
    plant    1 listed                   present

Outside 金牛: two 工业硅 makers (a large listed chain leader in 张掖, a small firm next door in
青白江) and two 组件 makers alike in every way but one: 'partner' has a manufacturing site in
什邡, whose park is linked with 金牛's. The city's investment bureau has a lead (not signed) on
a 拉晶切片 firm in 金牛, which only the city may see; 金牛 has a signed project with its 电池片
leader.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parklink.accounts.models import Organization, User
from parklink.chains.models import Assignment, ChainTemplate, Source, TemplateVersion
from parklink.chains.services import templates
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park
from parklink.projects.models import Project
from tests.support import factories

CHAIN_TEXT = """\
key: testpv
name: 测试光伏链
name_en: Test PV
version: "1"
segments:
  - {key: silicon, name: 工业硅, stage: upstream, role: manufacturing, keywords: [工业硅, 金属硅]}
  - {key: poly, name: 多晶硅, stage: upstream, role: manufacturing, keywords: [多晶硅]}
  - {key: wafer, name: 拉晶切片, stage: midstream, role: manufacturing,
     keywords: [单晶硅棒, 硅片切割]}
  - {key: cell, name: 电池片, stage: midstream, role: manufacturing, keywords: [太阳能电池片]}
  - {key: module, name: 组件, stage: downstream, role: manufacturing, keywords: [光伏组件]}
  - {key: plant, name: 电站, stage: downstream, role: service, keywords: [光伏电站]}
edges:
  - [silicon, poly]
  - [poly, wafer]
  - [wafer, cell]
  - [cell, module]
  - [module, plant]
"""
YI = Decimal(100_000_000)


@dataclass
class World:
    template: ChainTemplate
    version: TemplateVersion
    e: dict[str, Enterprise]
    parks: dict[str, Park]
    projects: dict[str, Project]
    orgs: dict[str, Organization]
    users: dict[str, User]


def shipped_template(text: str = CHAIN_TEXT) -> tuple[ChainTemplate, TemplateVersion]:
    chain = templates.check_text(text)
    template = ChainTemplate.objects.create(key=chain.key, name=chain.name)
    version = TemplateVersion.objects.create(
        template=template, number=1, text=text, catalog_version=chain.version
    )
    return template, version


def place_in(
    enterprise: Enterprise,
    version: TemplateVersion,
    segment: str,
    score: float = 0.8,
    rank: int = 1,
) -> Assignment:
    """The classifier's accepted candidate (as a run would have written it)."""
    return Assignment.objects.create(
        enterprise=enterprise,
        template=version.template,
        version=version,
        segment=segment,
        score=score,
        rank=rank,
        accepted=score >= 0.5,
        evidence=[f"关键词:{segment}"],
        source=Source.CLASSIFIER,
    )


def build(orgs: dict[str, Organization], users: dict[str, User]) -> World:
    template, version = shipped_template()
    jinniu = orgs["jinniu"]
    e: dict[str, Enterprise] = {}

    def make(key: str, segment: str | None, adcode: str, **fields: Any) -> Enterprise:
        fields.setdefault("registered_capital", Decimal("5000000.00"))
        made = factories.enterprise(jinniu, f"{key}公司", adcode, **fields)
        e[key] = made
        if segment:
            place_in(made, version, segment)
        return made

    parks = {
        "jinniu_park": factories.park(jinniu, "金牛产业园", "510106"),
        "shifang_park": factories.park(jinniu, "什邡合作园", "510682"),
    }
    factories.linkage(
        jinniu,
        "金什联动",
        [(parks["jinniu_park"], "headquarters_rnd"), (parks["shifang_park"], "manufacturing")],
    )
    make("poly1", "poly", "510106")
    for n in range(3):
        make(f"wafer{n}", "wafer", "510106")
    make("cell_leader", "cell", "510106", is_chain_leader=True, registered_capital=20 * YI)
    make("cell1", "cell", "510106")
    make("cell2", "cell", "510106")
    make("plant1", "plant", "510106", is_listed=True)
    make("unplaced", None, "510106")
    # Outside 金牛.
    make(
        "big_silicon",
        "silicon",
        "620702",
        is_chain_leader=True,
        is_listed=True,
        registered_capital=50 * YI,
    )
    make("small_silicon", "silicon", "510113", registered_capital=Decimal("1000000.00"))
    make(
        "partner",
        "module",
        "110105",
        sites=[
            {"role": "manufacturing", "park": parks["shifang_park"], "region_id": "510682"},
        ],
    )
    make("plain", "module", "110105")
    projects = {
        "signed": factories.project(
            users["jinniu"],
            "电池片扩产项目",
            stage="signed",
            region_id="510106",
            investor=e["cell_leader"],
        ),
        "city_lead": factories.project(
            users["city"], "切片线索", stage="lead", region_id="510106", investor=e["wafer0"]
        ),
    }
    return World(template, version, e, parks, projects, orgs, users)
