"""The demo's 驻点招商: 张掖经开区's liaison points (seed article 003).

The article says: 在上海、广州、成都等11个城市设立联络点,选派5个县级工业园区招商骨干,赴12家合作共建
园区开展驻点招商. It names three of the eleven cities and none of the twelve parks, so the demo
records exactly the three named liaison points (no staff, no dates: the article gives none)
and no resident teams; each carries the article's sentence, counts included.
"""

from __future__ import annotations

from parklink.core import demo
from parklink.core.registry import DemoContext
from parklink.kpi.models import LiaisonOffice, OfficeKind
from parklink.regions.models import Region

OWNER = "zhangye_etdz_committee"
QUOTE = (
    "原文(张掖经开区):“在上海、广州、成都等11个城市设立联络点,选派5个县级工业园区招商骨干,"
    "赴12家合作共建园区开展驻点招商。”原文只点名其中3个城市,其余8个城市和12家共建园区未具名,未录入。"
)
CITIES = (("上海", "310000"), ("广州", "440100"), ("成都", "510100"))


def load(ctx: DemoContext) -> None:
    owner = demo.require(ctx, "organizations", OWNER)
    for city, adcode in CITIES:
        name = f"张掖经开区驻{city}招商联络点"
        if LiaisonOffice.objects.filter(organization=owner, name=name).exists():
            continue
        LiaisonOffice.objects.create(
            organization=owner,
            kind=OfficeKind.CITY_OFFICE,
            name=name,
            region=Region.objects.filter(adcode=adcode).first(),
            source_quote=QUOTE,
        )
        ctx.count("kpi liaison offices")
