"""A synthetic pipeline: organisations in every county of a province, projects at every stage."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from parklink.accounts.models import Organization, Role, User
from parklink.projects.lifecycle import PIPELINE
from parklink.projects.models import Project, StageTransition
from parklink.regions.models import Region

SECTORS = ["新能源", "生物医药", "新材料", "数字经济", "高端装备", "文化旅游", "有机农牧"]


def make_orgs(province: str = "510000") -> list[Organization]:
    regions = Region.objects.filter(path__startswith=province).order_by("adcode")
    orgs = [
        Organization(name=f"{r.full_name}投资促进局", kind="investment_bureau", region=r)
        for r in regions
    ]
    Organization.objects.bulk_create(orgs, ignore_conflicts=True)
    return list(Organization.objects.filter(region__path__startswith=province).order_by("pk"))


def make_user(org: Organization, username: str) -> User:
    return User.objects.create_user(
        username=username, password="x" * 12, organization=org, role=Role.OFFICER
    )


def make_projects(orgs: list[Organization], count: int, seed: int = 7) -> None:
    """Insert `count` projects with one history row each, spread over `orgs` (bulk, fast)."""
    rng = random.Random(seed)
    today = date.today()
    batch: list[Project] = []
    for index in range(count):
        org = orgs[index % len(orgs)]
        stage = PIPELINE[rng.randrange(len(PIPELINE))]
        since = today - timedelta(days=rng.randrange(0, 400))
        disclosed = PIPELINE.index(stage) >= 2
        batch.append(
            Project(
                name=f"合成项目{index:07d}",
                owner=org,
                region_id=org.region_id,
                sector=rng.choice(SECTORS),
                stage=stage.value,
                stage_since=since,
                last_progress_on=since,
                signed_on=since if disclosed else None,
                total_investment=Decimal(rng.randrange(1, 500)) * Decimal(10_000_000),
            )
        )
    Project.objects.bulk_create(batch, batch_size=2000)
    created = Project.objects.order_by("-pk")[:count]
    StageTransition.objects.bulk_create(
        [
            StageTransition(project=p, from_stage="", to_stage=p.stage, effective_on=p.stage_since)
            for p in created
        ],
        batch_size=2000,
    )
