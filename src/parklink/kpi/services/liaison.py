"""Liaison offices and resident teams (驻点招商): records, the leads they bring, their results.

An office belongs to an organisation and is changed by its officers. A project's officers
link it to an office of the project's owner or of an organisation above it (a city's office
brings a county's lead); a project has at most one such lead source. An office's results
are computed from the pipeline as the acting user may see it, like every kpi figure: leads
brought, projects signed and their 总投资, evidenced funds in place, projects started.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Invalid, NotFound
from parklink.kpi.engine import periods
from parklink.kpi.models import LiaisonOffice, OfficeKind, OfficeLead, SubjectKind, Target
from parklink.kpi.queries import visible_offices
from parklink.parks.models import Park
from parklink.projects.amounts import Qualifier, from_counts
from parklink.projects.models import FundsInPlace, Project, StageTransition
from parklink.projects.queries import visible_projects
from parklink.regions.models import Region

STARTED = ("started", "under_construction", "completed", "in_production", "full_production")
RESULT_KINDS = ("signed_count", "signed_amount", "funds_total", "started_count")


def get_office(user: User, pk: int) -> LiaisonOffice:
    found = (
        visible_offices(user).select_related("organization", "region", "park").filter(pk=pk).first()
    )
    if found is None:
        raise NotFound(_("驻点招商机构不存在或无权查看。"))
    return found


def _check(
    kind: str, name: str, region: Region | None, park: Park | None, since: date | None
) -> None:
    errors: dict[str, str] = {}
    if kind not in OfficeKind.values:
        errors["kind"] = _("未知的类型")
    if not name.strip():
        errors["name"] = _("请填写名称")
    if kind == OfficeKind.CITY_OFFICE and region is None:
        errors["region"] = _("异地联络点须填写所在城市")
    if kind == OfficeKind.RESIDENT_TEAM and park is None:
        errors["park"] = _("驻点招商组须选择驻点的共建园区")
    if since is not None and since > date.today():
        errors["since"] = _("设立日期不能晚于今天")
    if errors:
        raise Invalid(next(iter(errors.values())), detail=errors)


def save_office(
    user: User,
    office: LiaisonOffice | None,
    *,
    organization: Organization | None = None,
    kind: str,
    name: str,
    region: Region | None = None,
    park: Park | None = None,
    staff: Iterable[User] = (),
    staff_names: str = "",
    since: date | None = None,
    active: bool = True,
    note: str = "",
    source_quote: str = "",
    illustrative: bool = False,
) -> LiaisonOffice:
    """Create (office None) or change an office of the user's organisation."""
    if office is not None:
        owner_id: int | None = office.organization_id
    else:
        owner_id = organization.pk if organization is not None else user.organization_id
    ensure_can_write(user, owner_id)
    if owner_id is None:
        raise Invalid.on("organization", _("请指定所属机构"))
    _check(kind, name, region, park, since)
    members = list(staff)
    strangers = [m for m in members if m.organization_id != owner_id]
    if strangers:
        raise Invalid.on("staff", _("人员应为本机构的用户:%(names)s") % {"names": strangers[0]})
    clash = LiaisonOffice.objects.filter(organization_id=owner_id, name=name.strip())
    if office is not None:
        clash = clash.exclude(pk=office.pk)
    if clash.exists():
        raise Invalid.on("name", _("本机构已有同名的驻点招商机构"))
    with transaction.atomic():
        if office is None:
            office = LiaisonOffice(organization_id=owner_id)
        office.kind = kind
        office.name = name.strip()
        office.region = region if kind == OfficeKind.CITY_OFFICE else (region or None)
        office.park = park if kind == OfficeKind.RESIDENT_TEAM else None
        office.staff_names = staff_names.strip()
        office.since = since
        office.active = active
        office.note = note.strip()
        office.source_quote = source_quote
        office.illustrative = illustrative
        office.save()
        office.staff.set(members)
    return office


def offices_for_project(user: User, project: Project) -> list[LiaisonOffice]:
    """The offices a project may be linked to: its owner's and those of organisations above."""
    path = project.owner.region.path
    above = _prefixes(path)
    return list(
        LiaisonOffice.objects.filter(organization__region__path__in=above, active=True)
        .select_related("organization")
        .order_by("organization__name", "name")
    )


def _prefixes(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def link_project(user: User, project: Project, office: LiaisonOffice | None) -> OfficeLead | None:
    """Set (or clear, office None) the office that brought a project."""
    if not visible_projects(user).filter(pk=project.pk).exists():
        raise NotFound(_("项目不存在或无权查看。"))
    ensure_can_write(user, project.owner_id)
    if office is None:
        OfficeLead.objects.filter(project=project).delete()
        return None
    if office.pk not in {o.pk for o in offices_for_project(user, project)}:
        raise Invalid.on("office", _("只能关联项目所属机构或其上级机构的驻点招商机构"))
    lead, _created = OfficeLead.objects.update_or_create(
        project=project, defaults={"office": office, "linked_by": user}
    )
    return lead


def set_office_target(
    user: User, office: LiaisonOffice, period_label: str, kind: str, value: Any, note: str = ""
) -> Target:
    from parklink.kpi.services.targets import set_target

    if kind not in RESULT_KINDS:
        raise Invalid.on(
            "kind", _("驻点招商机构的目标类型应为签约个数、签约金额、到位资金或开工个数")
        )
    return set_target(
        user,
        office.organization,
        period_label,
        kind,
        value,
        subject_kind=SubjectKind.OFFICE,
        office=office,
        note=note,
    )


@dataclass
class Results:
    leads: int = 0
    leads_in_period: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)
    # A summed amount's qualifier (超: a lower bound among its parts; 约: an estimate).
    qualifiers: dict[str, str] = field(default_factory=dict)


def _qualified(qualifier: Qualifier, start: date, end: date) -> Count:
    """The period's signed 总投资 figures carrying `qualifier` (the sum's qualifier)."""
    return Count(
        "pk",
        filter=Q(
            signed_on__gte=start,
            signed_on__lte=end,
            total_investment__isnull=False,
            total_investment_qualifier=qualifier,
        ),
    )


def results(user: User, office_ids: list[int], period: periods.Period) -> dict[int, Results]:
    """Each office's results in the period, over the projects the user may see.

    A few grouped queries for any number of offices: leads, signings, funds, starts.
    """
    out = {pk: Results(values={k: Decimal(0) for k in RESULT_KINDS}) for pk in office_ids}
    if not office_ids:
        return out
    seen = visible_projects(user).filter(kpi_office_lead__office_id__in=office_ids)
    start, end = period.start, period.end
    for row in seen.values("kpi_office_lead__office_id").annotate(
        n=Count("pk"),
        new=Count("pk", filter=Q(created_at__date__gte=start, created_at__date__lte=end)),
        signed=Count("pk", filter=Q(signed_on__gte=start, signed_on__lte=end)),
        amount=Sum("total_investment", filter=Q(signed_on__gte=start, signed_on__lte=end)),
        least=_qualified(Qualifier.AT_LEAST, start, end),
        about=_qualified(Qualifier.ABOUT, start, end),
    ):
        r = out[row["kpi_office_lead__office_id"]]
        r.leads, r.leads_in_period = row["n"], row["new"]
        r.values["signed_count"] = Decimal(row["signed"])
        r.values["signed_amount"] = row["amount"] or Decimal(0)
        word = from_counts(row["least"], row["about"])
        if word != Qualifier.EXACT:
            r.qualifiers["signed_amount"] = word.value
    signed = seen.filter(signed_on__isnull=False).values("pk")
    funds = (
        FundsInPlace.objects.filter(
            project__in=signed, received_on__gte=start, received_on__lte=end
        )
        .exclude(evidence="")
        .values("project__kpi_office_lead__office_id")
        .annotate(total=Sum("amount"))
    )
    for money in funds:
        out[money["project__kpi_office_lead__office_id"]].values["funds_total"] = money["total"]
    starts = (
        StageTransition.objects.filter(project__in=signed, to_stage__in=STARTED)
        .values("project_id", "project__kpi_office_lead__office_id")
        .annotate(first=Min("effective_on"))
        .filter(first__gte=start, first__lte=end)
    )
    for start_row in starts:
        out[start_row["project__kpi_office_lead__office_id"]].values["started_count"] += 1
    return out


def office_targets(office_ids: list[int], period: periods.Period) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = {pk: {} for pk in office_ids}
    for office_id, kind, value in Target.objects.filter(
        subject_kind=SubjectKind.OFFICE, office_id__in=office_ids, period=period.label
    ).values_list("office_id", "kind", "value"):
        found[office_id][kind] = value
    return found


def lead_projects(user: User, office: LiaisonOffice) -> Any:
    return (
        visible_projects(user)
        .filter(kpi_office_lead__office=office)
        .select_related("owner")
        .order_by("-signed_on", "-pk")
    )
