"""Load the demo data set hand-written from the source articles (src/parklink/data/demo/).

Every record is matched by its natural key, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from parklink.accounts.models import Organization, Role, User
from parklink.core.money import parse_amount
from parklink.core.sources import cite
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import (
    IndicatorKind,
    LinkageMember,
    Park,
    ParkIndicator,
    ParkIndustry,
    ParkLinkage,
    ParkResource,
)
from parklink.projects import services as project_services
from parklink.projects.models import Approval, Milestone, Project
from parklink.regions.models import Region

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_ADMIN = "admin"
DEMO_PASSWORD = "parklink-demo"  # printed by `parklink demo`; demo installations only
FLAG_FIELDS = {
    "chain_leader": "is_chain_leader",
    "listed": "is_listed",
    "high_tech": "is_high_tech",
    "above_scale": "is_above_scale",
    "specialised_sme": "is_specialised_sme",
}


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


def read(name: str) -> list[dict[str, Any]]:
    path = DEMO_DIR / f"{name}.yaml"
    return list(yaml.safe_load(path.read_text("utf-8")) or [])


def _sources(record: dict[str, Any]) -> list[dict[str, str]]:
    return list(record.get("sources") or ([record["source"]] if record.get("source") else []))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _amount(value: Any) -> Decimal | None:
    return None if value in (None, "") else parse_amount(value, default_unit="元")


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class Loader:
    def __init__(self, admin: User) -> None:
        self.admin = admin
        self.report = DemoReport()
        self.orgs: dict[str, Organization] = {}
        self.parks: dict[str, Park] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.regions = {r.adcode: r for r in Region.objects.all()}

    def region(self, adcode: Any) -> Region:
        return self.regions[str(adcode)]

    def _created(self, kind: str, obj: Any, record: dict[str, Any]) -> None:
        cite(obj, _sources(record))
        self.report.count(kind)

    def organizations(self) -> None:
        for rec in read("organizations"):
            org = Organization.objects.filter(name=rec["name"]).first()
            if org is None:
                org = Organization.objects.create(
                    name=rec["name"],
                    kind=rec["kind"],
                    region=self.region(rec["region"]),
                    description=rec.get("description", ""),
                )
                self._created("organizations", org, rec)
            self.orgs[rec["key"]] = org
            self.officer(rec["key"], org)

    def officer(self, key: str, org: Organization) -> User:
        user = User.objects.filter(username=key).first()
        if user is None:
            user = User.objects.create_user(
                username=key,
                password=DEMO_PASSWORD,
                organization=org,
                role=Role.OFFICER,
                display_name=f"{org.name}专员",
            )
            self.report.count("users")
        return user

    def parks_(self) -> None:
        records = read("parks")
        for rec in records:  # parents are linked in a second pass
            park = Park.objects.filter(name=rec["name"], region_id=str(rec["region"])).first()
            if park is None:
                park = Park.objects.create(
                    name=rec["name"],
                    short_name=rec.get("short_name", ""),
                    kind=rec["kind"],
                    region=self.region(rec["region"]),
                    owner=self.orgs[rec["owner"]],
                    description=rec.get("description", ""),
                    established=_date(rec.get("established")),
                    planned_area_mu=_decimal(rec.get("planned_area_mu")),
                    carrier_built_m2=_decimal(rec.get("carrier_built_m2")),
                    carrier_occupied_m2=_decimal(rec.get("carrier_occupied_m2")),
                    available_land_mu=_decimal(rec.get("available_land_mu")),
                )
                self._created("parks", park, rec)
                self._park_details(park, rec)
            self.parks[rec["key"]] = park
        for rec in records:
            park = self.parks[rec["key"]]
            if rec.get("parent") and park.parent_id is None:
                park.parent = self.parks[rec["parent"]]
                park.save(update_fields=["parent"])

    def _park_details(self, park: Park, rec: dict[str, Any]) -> None:
        for order, item in enumerate(rec.get("industries") or []):
            ParkIndustry.objects.get_or_create(
                park=park,
                name=item["name"],
                defaults={
                    "role": item.get("role", "leading"),
                    "order": order,
                    "industry_code": str(item.get("industry_code", "") or ""),
                },
            )
        for item in rec.get("resources") or []:
            ParkResource.objects.create(
                park=park,
                kind=item["kind"],
                value=_decimal(item.get("value")),
                value_max=_decimal(item.get("value_max")),
                unit=item.get("unit", "") or "",
                note=item.get("note", "") or "",
            )
        for item in rec.get("indicators") or []:
            money = item["indicator"] in IndicatorKind.money()
            ParkIndicator.objects.get_or_create(
                park=park,
                year=int(item["year"]),
                indicator=item["indicator"],
                defaults={
                    "value": parse_amount(item["value"], default_unit="元")
                    if money
                    else Decimal(str(item["value"])),
                    "unit": "元" if money else str(item.get("unit", "") or ""),
                },
            )

    def linkages(self) -> None:
        for rec in read("linkages"):
            members = rec.get("members") or []
            owner = (
                self.parks[members[0]["park"]].owner if members else next(iter(self.orgs.values()))
            )
            linkage = ParkLinkage.objects.filter(name=rec["name"]).first()
            created = linkage is None
            if linkage is None:
                linkage = ParkLinkage.objects.create(
                    name=rec["name"], description=rec.get("description", ""), owner=owner
                )
                self._created("linkages", linkage, rec)
            if created:
                for order, member in enumerate(members):
                    LinkageMember.objects.create(
                        linkage=linkage,
                        park=self.parks[member["park"]],
                        role=member["role"],
                        order=order,
                    )

    def enterprises_(self) -> None:
        from parklink.core.text import normalise_name

        default_owner = next(iter(self.orgs.values()))
        for rec in read("enterprises"):
            owner = self.orgs.get(rec.get("owner", ""), default_owner)
            enterprise = Enterprise.objects.filter(
                normalized_name=normalise_name(rec["name"]), region_id=str(rec["region"])
            ).first()
            created = enterprise is None
            if enterprise is None:
                flags = {FLAG_FIELDS[k]: bool(v) for k, v in (rec.get("flags") or {}).items()}
                enterprise = Enterprise.objects.create(
                    name=rec["name"],
                    short_name=rec.get("short_name", "") or "",
                    uscc=rec.get("uscc") or None,
                    region=self.region(rec["region"]),
                    owner=owner,
                    industry_code=str(rec.get("industry_code", "") or ""),
                    description=rec.get("description", "") or "",
                    registered_capital=_amount(rec.get("registered_capital")),
                    **flags,
                )
                self._created("enterprises", enterprise, rec)
            self.enterprises[rec["key"]] = enterprise
            if created:
                for site in rec.get("sites") or []:
                    park = self.parks.get(site.get("park", "")) if site.get("park") else None
                    EnterpriseSite.objects.create(
                        enterprise=enterprise,
                        role=site["role"],
                        park=park,
                        region=self.region(site["region"])
                        if site.get("region")
                        else (park.region if park else None),
                    )

    def projects(self) -> None:
        for rec in read("projects"):
            owner = self.orgs[rec["owner"]]
            if Project.objects.filter(owner=owner, name=rec["name"]).exists():
                continue
            self._project(rec, owner)

    def _project(self, rec: dict[str, Any], owner: Organization) -> None:
        steps = [(s["stage"], _date(s["date"])) for s in rec.get("history") or []]
        steps.append((rec["stage"], _date(rec["stage_date"])))
        park = self.parks.get(rec.get("park") or "")
        officer = User.objects.get(username=next(k for k, o in self.orgs.items() if o == owner))
        fields: dict[str, Any] = {
            "name": rec["name"],
            "code_name": rec.get("code_name", "") or "",
            "park": park,
            "region": self.region(rec["region"])
            if rec.get("region")
            else park.region
            if park
            else None,
            "investor": self.enterprises.get(rec.get("investor") or ""),
            "sector": rec.get("sector", "") or "",
            "industry_code": str(rec.get("industry_code", "") or ""),
            "description": rec.get("description", "") or "",
            "total_investment": _amount(rec.get("total_investment")),
            "phase_investment": _amount(rec.get("phase_investment")),
            "capital_origin": rec.get("capital_origin", "") or "",
            "expected_annual_revenue": _amount(rec.get("expected_annual_revenue")),
            "expected_annual_tax": _amount(rec.get("expected_annual_tax")),
            "jobs": rec.get("jobs"),
            "land_area_mu": _decimal(rec.get("land_area_mu")),
            "floor_area_m2": _decimal(rec.get("floor_area_m2")),
            "remarks": rec.get("note", "") or "",
            "maturity": rec.get("maturity", "") or "",
            "lead_source": rec.get("lead_source", "") or "",
            "responsible_leader": rec.get("leader", "") or "",
            "leader_user": officer,
            "task_force": rec.get("task_force", "") or "",
            "mechanism": rec.get("mechanism", "") or "",
        }
        first_stage, first_date = steps[0]
        project = project_services.create_project(
            self.admin,
            owner_id=owner.pk,
            stage=first_stage,
            stage_date=first_date,
            tags=rec.get("tags") or [],
            note="据来源文章录入",
            **fields,
        )
        for stage, when in steps[1:]:
            project_services.transition(self.admin, project, stage, on=when, note="据来源文章录入")
            project.refresh_from_db()
        for item in rec.get("milestones") or []:
            Milestone.objects.create(
                project=project,
                name=item["name"],
                due_on=date.fromisoformat(str(item["due_date"])),
                done_on=_date(item.get("done_date")),
                note=item.get("note", "") or "",
            )
        for item in rec.get("approvals") or []:
            Approval.objects.create(
                project=project,
                kind=item["kind"],
                status=item.get("status", "not_started"),
                due_on=_date(item.get("due_date")),
                note=item.get("note", "") or "",
            )
        for item in rec.get("funds") or []:
            project_services.add_funds(
                self.admin,
                project,
                date.fromisoformat(str(item["date"])),
                parse_amount(item["amount"], default_unit="元"),
                evidence=item.get("evidence", ""),
            )
        cite(project, _sources(rec))
        self.report.count("projects")


def demo_admin() -> tuple[User, bool]:
    user = User.objects.filter(username=DEMO_ADMIN).first()
    if user is not None:
        return user, False
    user = User.objects.create_superuser(
        DEMO_ADMIN, "admin@parklink.invalid", DEMO_PASSWORD, display_name="演示管理员"
    )
    return user, True


@transaction.atomic
def load_demo() -> DemoReport:
    """Load (or top up) the demo set; returns what was created this time."""
    admin, created = demo_admin()
    loader = Loader(admin)
    if created:
        loader.report.count("users")
    loader.organizations()
    loader.parks_()
    loader.linkages()
    loader.enterprises_()
    loader.projects()
    return loader.report
