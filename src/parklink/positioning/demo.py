"""The positioning demo step: a synthetic dataset of Sichuan's counties (示例数据 / synthetic).

The demo registry is far too small for complexity measures, so the demo ships a generated
county × GB/T 4754 division table of enterprise counts (`synthetic.county_figures`), shared
with every organisation and marked illustrative wherever it shows. Running it twice changes
nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from parklink.core.registry import DemoContext
from parklink.positioning.models import Dataset, DatasetFigure, DatasetMeasure
from parklink.positioning.synthetic import county_figures
from parklink.regions.models import Region, RegionLevel

NAME = "四川省县域企业数(示例数据)"


@transaction.atomic
def load_dataset(ctx: DemoContext) -> None:
    dataset, created = Dataset.objects.get_or_create(
        name=NAME,
        owner=None,
        defaults={
            "measure": DatasetMeasure.ENTERPRISES,
            "year": 2024,
            "illustrative": True,
            "source": "示例数据 / synthetic:由 parklink.positioning.synthetic 生成,并非真实统计",
        },
    )
    ctx.remember("positioning", "sichuan", dataset)
    if not created:
        return
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, path__startswith="510000/")
        .order_by("adcode")
        .values_list("adcode", flat=True)
    )
    figures = county_figures(counties)
    DatasetFigure.objects.bulk_create(
        DatasetFigure(dataset=dataset, region_id=adcode, industry_code=code, value=Decimal(n))
        for (adcode, code), n in sorted(figures.items())
    )
    ctx.count("positioning figures", len(figures))
