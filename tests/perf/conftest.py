"""A province's worth of organisations and a library of projects inserted in bulk."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest

from parklink.accounts.models import Organization
from parklink.projects.lifecycle import PIPELINE
from parklink.projects.models import Project
from parklink.regions.models import Region

SECTORS = ["新能源", "生物医药", "新材料", "数字经济"]


def county_organisations(count: int) -> list[Organization]:
    """`count` more county bureaus of Sichuan (besides the fixtures' two), in adcode order."""
    taken = set(Organization.objects.values_list("region_id", flat=True))
    regions = [
        region
        for region in Region.objects.filter(path__startswith="510000/", level="county").order_by(
            "adcode"
        )
        if region.adcode not in taken
    ][:count]
    Organization.objects.bulk_create(
        Organization(name=f"{r.full_name}投资促进局", kind="investment_bureau", region=r)
        for r in regions
    )
    return list(Organization.objects.filter(region__in=regions).order_by("pk"))


def insert_projects(owners: list[Organization], count: int, on: date, seed: int = 1) -> None:
    """`count` projects spread over `owners`, every stage, half of them signed (bulk insert)."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        owner = owners[index % len(owners)]
        stage = PIPELINE[rng.randrange(len(PIPELINE))]
        since = on - timedelta(days=rng.randrange(0, 400))
        rows.append(
            Project(
                name=f"批量项目{seed}-{index:06d}",
                owner=owner,
                region_id=owner.region_id,
                sector=rng.choice(SECTORS),
                stage=stage.value,
                stage_since=since,
                last_progress_on=since,
                signed_on=since if PIPELINE.index(stage) >= 2 else None,
                total_investment=Decimal(rng.randrange(1, 500)) * 10_000_000,
            )
        )
    Project.objects.bulk_create(rows, batch_size=1000)


@pytest.fixture
def grow() -> Callable[[list[Organization], int, date, int], None]:
    return insert_projects
