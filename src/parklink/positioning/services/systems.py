"""A place's declared industry systems against its report (systems.py does the comparison).

Declared systems are public policy statements: every user reads them; they belong to the
place's report whatever data it was computed from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.chains.industry_codes import table as industry_table
from parklink.core.errors import Forbidden, Invalid
from parklink.positioning.models import DeclaredIndustry, IndustryRole, IndustrySystem
from parklink.positioning.recommend import Recommendation
from parklink.positioning.services.report import PlaceReport
from parklink.positioning.systems import Declared, Verdict, compare
from parklink.regions.models import Region


@dataclass
class SystemReport:
    system: IndustrySystem
    verdicts: list[Verdict]
    missing: list[Recommendation]


def systems_for(report: PlaceReport) -> list[SystemReport]:
    out: list[SystemReport] = []
    if report.park is not None or report.placed.chain is not None:
        # systems are declared for regions, in GB/T codes: not for a park or the segment axis
        return out
    systems = IndustrySystem.objects.filter(region=report.place).prefetch_related("industries")
    for system in systems:
        declared = [
            Declared(item.name, item.role, tuple(item.code_list()))
            for item in system.industries.all()
        ]
        verdicts, missing = compare(
            declared, report.found, report.placed.matrix.industries, report.placed.digits
        )
        out.append(SystemReport(system, verdicts, missing))
    return out


# --- changing declared systems (pages; the admin does the same for administrators) -----------


def ensure_can_change(user: User, system: IndustrySystem | None = None) -> None:
    """Officers and admins of the owner organisation (any organisation for a new system), and
    installation administrators. A system without an owner (the demo's) only administrators."""
    if user.is_superuser:
        return
    if not user.can_write or user.organization_id is None:
        raise Forbidden(_("只有机构的管理员或业务人员可以修改产业体系"))
    if system is not None and system.owner_id != user.organization_id:
        raise Forbidden(_("只能修改本机构提出的产业体系"))


def clean_codes(text: str, field_name: str = "codes") -> str:
    """Comma-separated GB/T 4754 codes (2–4 digits, each in the code table), normalised."""
    codes = [c.strip() for c in (text or "").replace(",", ",").split(",") if c.strip()]
    if not codes:
        raise Invalid.on(field_name, _("请至少填写一个国民经济行业代码"))
    for code in codes:
        if not (code.isdigit() and 2 <= len(code) <= 4):
            raise Invalid.on(
                field_name, _("“%(code)s”不是 2 至 4 位的国民经济行业代码") % {"code": code}
            )
        if industry_table().get(code) is None:
            raise Invalid.on(field_name, _("GB/T 4754-2017 中没有代码“%(code)s”") % {"code": code})
    return ",".join(dict.fromkeys(codes))


@transaction.atomic
def create_system(
    user: User, region: Region, name: str, declared_by: str = "", source: str = ""
) -> IndustrySystem:
    ensure_can_change(user)
    if not name.strip():
        raise Invalid.on("name", _("请填写名称"))
    return IndustrySystem.objects.create(
        name=name.strip(),
        region=region,
        declared_by=declared_by.strip(),
        source=source.strip(),
        owner_id=user.organization_id,
    )


@transaction.atomic
def update_system(user: User, system: IndustrySystem, **fields: str) -> IndustrySystem:
    ensure_can_change(user, system)
    for name in ("name", "declared_by", "source"):
        if name in fields:
            setattr(system, name, fields[name].strip())
    if not system.name:
        raise Invalid.on("name", _("请填写名称"))
    system.save()
    return system


@transaction.atomic
def delete_system(user: User, system: IndustrySystem) -> None:
    ensure_can_change(user, system)
    system.delete()


@transaction.atomic
def add_industry(
    user: User, system: IndustrySystem, name: str, role: str, codes: str
) -> DeclaredIndustry:
    ensure_can_change(user, system)
    if not name.strip():
        raise Invalid.on("name", _("请填写产业名称"))
    if role not in IndustryRole.values:
        raise Invalid.on("role", _("地位应为代表性、基础性或主导产业"))
    order = system.industries.count()
    return DeclaredIndustry.objects.create(
        system=system, name=name.strip(), role=role, codes=clean_codes(codes), order=order
    )


@transaction.atomic
def update_industry(
    user: User, item: DeclaredIndustry, name: str, role: str, codes: str
) -> DeclaredIndustry:
    ensure_can_change(user, item.system)
    if not name.strip():
        raise Invalid.on("name", _("请填写产业名称"))
    if role not in IndustryRole.values:
        raise Invalid.on("role", _("地位应为代表性、基础性或主导产业"))
    item.name, item.role, item.codes = name.strip(), role, clean_codes(codes)
    item.save()
    return item


@transaction.atomic
def delete_industry(user: User, item: DeclaredIndustry) -> None:
    ensure_can_change(user, item.system)
    item.delete()


@transaction.atomic
def save_recommendation(
    user: User, region: Region, code: str, role: str = IndustryRole.LEADING
) -> DeclaredIndustry:
    """A recommended industry into the place's system of the user's organisation (made as a
    working draft, 工作稿, when it has none for the place). An industry already there is
    refused, naming the declared industry that covers it."""
    ensure_can_change(user)
    if user.organization_id is None:
        raise Forbidden(_("需要所属机构才能保存到产业体系"))
    code = clean_codes(code, "industry")
    system = (
        IndustrySystem.objects.filter(region=region, owner_id=user.organization_id)
        .order_by("pk")
        .first()
    )
    if system is None:
        system = IndustrySystem.objects.create(
            name=_("%(place)s产业体系(工作稿)") % {"place": region.name},
            region=region,
            declared_by=user.organization.name if user.organization else "",
            owner_id=user.organization_id,
        )
    for item in system.industries.all():
        if code in item.code_list():
            raise Invalid.on(
                "industry",
                _("%(code)s 已在“%(system)s”的“%(name)s”中")
                % {"code": code, "system": system.name, "name": item.name},
            )
    name = industry_table().get(code)
    return add_industry(user, system, name.name.strip() if name else code, role, code)
