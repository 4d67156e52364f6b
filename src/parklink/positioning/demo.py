"""The positioning demo step: synthetic datasets of Sichuan's and Gansu's counties (示例数据 /
synthetic) and 张掖's declared "2+6" industry system (seed article 003).

The demo registry is far too small for complexity measures, so the demo ships a generated
county × GB/T 4754 division table of enterprise counts (`synthetic.county_figures`), shared
with every organisation and marked illustrative wherever it shows. Running it twice changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from parklink.core.registry import DemoContext
from parklink.parks.models import Park
from parklink.positioning.models import (
    Dataset,
    DatasetFigure,
    DatasetMeasure,
    DeclaredIndustry,
    IndustrySystem,
)
from parklink.positioning.synthetic import (
    PARK_PROFILES,
    county_figures,
    earlier_figures,
    park_figures,
)
from parklink.regions.models import Region, RegionLevel

NAME = "四川省县域企业数(示例数据)"
EARLIER = "四川省县域企业数 2020(示例数据)"
GANSU = "甘肃省县域企业数(示例数据)"
SOURCE = "示例数据 / synthetic:由 parklink.positioning.synthetic 生成,并非真实统计"
# The seed article's words (003, 2024-10-15), as it is written there.
ZHANGYE_FILE = "003_d6a5ce08102744b4.txt"
ZHANGYE_QUOTE = (
    "確定以發(fā)展氫能零碳產(chǎn)業(yè)、國家玉米種子產(chǎn)業(yè)2個(gè)代表性產(chǎn)業(yè)為重點(diǎn),"
    "綜合能源及裝備制造、有色冶金新材料、農(nóng)畜產(chǎn)品精深加工、生物醫(yī)藥化工、"
    "智能制造大數(shù)據(jù)和現(xiàn)代服務(wù)6個(gè)基礎(chǔ)性產(chǎn)業(yè)為支撐的“2+6”現(xiàn)代產(chǎn)業(yè)體系"
)
# The "2+6" system's industries with our reading of their GB/T 4754 codes.
ZHANGYE = (
    ("氢能零碳产业", "representative", "4415,4416,3849,3463"),
    ("国家玉米种子产业", "representative", "0511,0113,5112"),
    ("综合能源及装备制造", "foundational", "44,3415,3811"),
    ("有色冶金新材料", "foundational", "32"),
    ("农畜产品精深加工", "foundational", "13,14"),
    ("生物医药化工", "foundational", "27,26"),
    ("智能制造大数据", "foundational", "6450,65"),
    ("现代服务", "foundational", "54,59,72"),
)


def _dataset(name: str, province: str) -> tuple[Dataset, bool]:
    dataset, created = Dataset.objects.get_or_create(
        name=name,
        owner=None,
        defaults={
            "measure": DatasetMeasure.ENTERPRISES,
            "year": 2024,
            "illustrative": True,
            "source": SOURCE,
        },
    )
    if created:
        counties = list(
            Region.objects.filter(level=RegionLevel.COUNTY, path__startswith=f"{province}/")
            .order_by("adcode")
            .values_list("adcode", flat=True)
        )
        figures = county_figures(counties)
        DatasetFigure.objects.bulk_create(
            DatasetFigure(dataset=dataset, region_id=adcode, industry_code=code, value=Decimal(n))
            for (adcode, code), n in sorted(figures.items())
        )
    return dataset, created


def _earlier(later: Dataset) -> Dataset:
    """Four years before the Sichuan table (2020), derived from it (its parks' rows too): two
    years side by side."""
    dataset, created = Dataset.objects.get_or_create(
        name=EARLIER,
        owner=None,
        defaults={
            "measure": DatasetMeasure.ENTERPRISES,
            "year": 2020,
            "illustrative": True,
            "source": SOURCE,
        },
    )
    if created:
        figures = {
            (region or f"park:{park}", code): int(value)
            for region, park, code, value in later.figures.values_list(
                "region_id", "park_id", "industry_code", "value"
            )
        }
        DatasetFigure.objects.bulk_create(
            DatasetFigure(
                dataset=dataset,
                region_id=None if place.startswith("park:") else place,
                park_id=int(place[5:]) if place.startswith("park:") else None,
                industry_code=code,
                value=Decimal(n),
            )
            for (place, code), n in sorted(earlier_figures(figures).items())
        )
    return dataset


def _park_rows(ctx: DemoContext, dataset: Dataset) -> int:
    """The demo parks' synthetic rows (成都高新区), added once to the Sichuan dataset."""
    parks: dict[str, Park] = {}
    for key in PARK_PROFILES:
        found = ctx.lookup("parks", key)
        if isinstance(found, Park):
            parks[key] = found
    if not parks or DatasetFigure.objects.filter(dataset=dataset, park__isnull=False).exists():
        return 0
    rows = [
        DatasetFigure(dataset=dataset, park=parks[key], industry_code=code, value=Decimal(n))
        for (key, code), n in sorted(park_figures(list(parks)).items())
    ]
    DatasetFigure.objects.bulk_create(rows)
    return len(parks)


@transaction.atomic
def load_dataset(ctx: DemoContext) -> None:
    sichuan, created = _dataset(NAME, "510000")
    ctx.remember("positioning", "sichuan", sichuan)
    if _park_rows(ctx, sichuan):
        ctx.count("positioning park tables")
    ctx.remember("positioning", "sichuan_2020", _earlier(sichuan))
    gansu, _new = _dataset(GANSU, "620000")
    ctx.remember("positioning", "gansu", gansu)
    if created:
        ctx.count("positioning datasets", 2)
    system, made = IndustrySystem.objects.get_or_create(
        name="张掖“2+6”现代产业体系",
        region_id="620702",
        defaults={
            "declared_by": "张掖经济技术开发区",
            "source": f"{ZHANGYE_FILE}:{ZHANGYE_QUOTE}",
        },
    )
    ctx.remember("positioning", "zhangye", system)
    if made:
        DeclaredIndustry.objects.bulk_create(
            DeclaredIndustry(system=system, name=name, role=role, codes=codes, order=n)
            for n, (name, role, codes) in enumerate(ZHANGYE)
        )
