"""Small record makers for test worlds: organisations in nested regions, users, parks, ...

Plain functions with sensible defaults (no factory library): each makes one record the way
the tests' worlds did by hand, so a world states only what matters to its tests. Parks,
enterprises and linkages are written directly (no permission check); projects go through
`projects.services.create_project`, as users create them, so their stage history is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from parklink.accounts.models import Organization, Role, User
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import LinkageMember, Park, ParkLinkage
from parklink.projects import services as project_services
from parklink.projects.models import Project
from parklink.regions.models import Region

NESTED_ORGANIZATIONS: dict[str, tuple[str, str, str]] = {
    # key: (name, adcode, kind) — a province, a city inside it, two counties inside the
    # city, and two outsiders (a county in another prefecture, a park in another province).
    "province": ("四川省投资促进局", "510000", "investment_bureau"),
    "city": ("成都市投资促进局", "510100", "investment_bureau"),
    "jinniu": ("金牛区投资促进局", "510106", "investment_bureau"),
    "qingbaijiang": ("青白江区投资促进局", "510113", "investment_bureau"),
    "dege": ("德格县人民政府", "513330", "government"),
    "zhangye": ("张掖经开区管委会", "620700", "park_committee"),
}


def region(adcode: str) -> Region:
    return Region.objects.get(adcode=adcode)


def organization(
    name: str, adcode: str, kind: str = "investment_bureau", **fields: Any
) -> Organization:
    return Organization.objects.create(name=name, kind=kind, region=region(adcode), **fields)


def nested_organizations() -> dict[str, Organization]:
    """The organisations of NESTED_ORGANIZATIONS, by key."""
    return {
        key: organization(name, adcode, kind)
        for key, (name, adcode, kind) in NESTED_ORGANIZATIONS.items()
    }


def password_for(username: str) -> str:
    """The password `user()` gives a user unless told otherwise."""
    return "pw-" + username * 2


def user(
    username: str,
    org: Organization | None,
    role: str = Role.OFFICER,
    password: str | None = None,
    **extra: Any,
) -> User:
    return User.objects.create_user(
        username=username,
        password=password or password_for(username),
        organization=org,
        role=role,
        **extra,
    )


def superuser(username: str = "root", password: str = "pw-rootroot") -> User:
    return User.objects.create_superuser(username, f"{username}@example.org", password)


def park(
    owner: Organization,
    name: str,
    adcode: str | None = None,
    kind: str = "industrial_park",
    **fields: Any,
) -> Park:
    """A park of `owner`, in `adcode` (default: the owner's region)."""
    return Park.objects.create(
        owner=owner, name=name, region_id=adcode or owner.region_id, kind=kind, **fields
    )


def linkage(
    owner: Organization, name: str, members: Iterable[tuple[Park, str]], **fields: Any
) -> ParkLinkage:
    """A linkage of `owner` with its (park, role) members, in order."""
    made = ParkLinkage.objects.create(owner=owner, name=name, **fields)
    for order, (member, role) in enumerate(members):
        LinkageMember.objects.create(linkage=made, park=member, role=role, order=order)
    return made


def enterprise(
    owner: Organization,
    name: str,
    adcode: str | None = None,
    sites: Iterable[dict[str, Any]] = (),
    **fields: Any,
) -> Enterprise:
    """An enterprise of `owner` in `adcode` (default: the owner's region), with its sites.

    Each site is the keyword arguments of an `EnterpriseSite` (`park`, `region_id`, `role`).
    """
    made = Enterprise.objects.create(
        owner=owner, name=name, region_id=adcode or owner.region_id, **fields
    )
    for site in sites:
        EnterpriseSite.objects.create(enterprise=made, **site)
    return made


def project(
    by: User,
    name: str,
    stage: str = "signed",
    on: date | None = None,
    days_ago: int = 0,
    **fields: Any,
) -> Project:
    """A project created by `by` (owned by its organisation) at `stage`, `days_ago` before `on`.

    `on` defaults to today; the region defaults to the park's, else the owner's.
    """
    from django.utils import timezone

    when = (on or timezone.localdate()) - timedelta(days=days_ago)
    if "region" not in fields and "region_id" not in fields:
        place = fields.get("park")
        fields["region_id"] = place.region_id if place else _owner_region(by, fields)
    return project_services.create_project(by, name=name, stage=stage, stage_date=when, **fields)


def _owner_region(by: User, fields: dict[str, Any]) -> str | None:
    owner_id = fields.get("owner_id") or by.organization_id
    owner = Organization.objects.filter(pk=owner_id).first()
    return owner.region_id if owner else None
