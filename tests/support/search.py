"""Records to search for and readers of a search result, shared by the engine and provider tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from parklink.accounts.models import Organization
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park, ParkKind
from parklink.projects.models import Project
from parklink.regions.models import Region


def new_park(owner: Organization, name: str, short_name: str = "", adcode: str = "510106") -> Park:
    return Park.objects.create(
        name=name,
        short_name=short_name,
        kind=ParkKind.INDUSTRIAL_PARK,
        region=Region.objects.get(adcode=adcode),
        owner=owner,
    )


def new_enterprise(
    owner: Organization, name: str, uscc: str | None = None, short_name: str = ""
) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        short_name=short_name,
        uscc=uscc,
        region=Region.objects.get(adcode="510106"),
        owner=owner,
    )


def new_project(
    owner: Organization, name: str, on: date, signed: bool = False, code_name: str = ""
) -> Project:
    return Project.objects.create(
        name=name,
        code_name=code_name,
        owner=owner,
        region=owner.region,
        stage="signed" if signed else "negotiating",
        stage_since=on,
        last_progress_on=on,
        signed_on=on if signed else None,
    )


def group(result: Any, kind: str) -> Any:
    return next(group for group in result.groups if group.kind == kind)


def names(result: Any, kind: str) -> list[str]:
    return [hit.name for hit in group(result, kind).hits]


def count(result: Any, kind: str) -> int:
    return int(group(result, kind).count)
