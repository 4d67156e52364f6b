"""Promotion (招商推介): publishing chosen items on public pages, and enquiries as leads.

What a public page shows is decided here and only here:

* a **park's profile** (`PublicationKind.PARK`, the park's organisation): name, kind, region,
  description, planned area, available land, carriers built / occupied / vacant, industries
  and their roles, spare power and water (`ParkCapacity`);
* a chain's **gaps** in a park (`GAPS`): the segments the chains' coverage labels 缺 or 弱,
  frozen when published (segment and label only — no enterprise, no project);
* one of the organisation's **published policies** (`POLICY`): title, region, document
  number, validity, the benefit as the policy states it, the documents to submit;
* one of its **projects** (`PROJECT`), only at or after signing (never a lead, a negotiation,
  a stalled or terminated project: checked when published and again whenever shown), with a
  summary written for the public; the investment only when the publisher ticks 公开投资额.
  Investor, contacts, internal description, remarks and milestones are never shown.

A park's page shows what the park's organisation published about that park; an
organisation's page shows everything it published. An enquiry (name, company, contact,
interest, message) is rate limited per client address (`ENQUIRY_LIMIT` in `ENQUIRY_WINDOW`
seconds, Django's cache), silently dropped when the hidden field is filled (a bot), and becomes
an `Enquiry` and a lead (`projects.services.create_project`, lead source 线上招商, detail
网络推介) owned by the receiving organisation, recorded as entered by the officer who
published the item (else the organisation's first active officer).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parklink.accounts.models import Organization, Role, User
from parklink.accounts.services import ensure_can_write
from parklink.core.errors import Conflict, Invalid, NotFound, ParkLinkError
from parklink.matching.models import Policy, PolicyStatus
from parklink.matching.models_promotion import (
    Enquiry,
    EnquiryStatus,
    Publication,
    PublicationKind,
)
from parklink.matching.models_siting import ParkCapacity
from parklink.matching.services import catalog
from parklink.parks.models import Park
from parklink.projects import lifecycle
from parklink.projects.models import LeadSource, Project, ProjectStage

ENQUIRY_LIMIT = 5  # enquiries one client address may send …
ENQUIRY_WINDOW = 3600  # … within this many seconds
SUMMARY_MAX = 2000
MATURITY_ORDER = {"A": 0, "B": 1, "C": 2}
HIDDEN_STAGES = frozenset({ProjectStage.STALLED, ProjectStage.TERMINATED})


class TooMany(ParkLinkError):
    """Too many enquiries from one client address (HTTP 429)."""

    status = 429
    code = "too_many_requests"


def live() -> QuerySet[Publication]:
    return Publication.objects.filter(withdrawn_at__isnull=True)


def project_is_public(project: Project) -> bool:
    """Signed and after, on the main line: never a lead, a negotiation, stalled or ended."""
    return project.stage not in HIDDEN_STAGES and lifecycle.is_disclosed_stage(project.stage)


def _project_public_q() -> Q:
    stages = [
        s for s in ProjectStage.values if s not in HIDDEN_STAGES and lifecycle.is_disclosed_stage(s)
    ]
    return Q(project__stage__in=stages)


# ---------------------------------------------------------------- publishing


def _already(query: QuerySet[Publication]) -> None:
    if query.exists():
        raise Conflict(_("该内容已经发布。"))


@transaction.atomic
def publish_park(user: User, park: Park) -> Publication:
    ensure_can_write(user, park.owner_id)
    _already(live().filter(owner_id=park.owner_id, kind=PublicationKind.PARK, park=park))
    return Publication.objects.create(
        owner_id=park.owner_id, kind=PublicationKind.PARK, park=park, published_by=user
    )


def gap_snapshot(user: User, park: Park, chain_key: str) -> dict[str, Any]:
    """The chain's 缺/弱 segments in the park as the chains' coverage labels them now."""
    from parklink.chains.coverage import Label
    from parklink.chains.models import ChainTemplate
    from parklink.chains.services.coverage import coverage
    from parklink.chains.services.places import resolve

    chain = catalog.chains().get(chain_key)
    template = ChainTemplate.objects.filter(owner__isnull=True, key=chain_key).first()
    if chain is None or template is None:
        raise Invalid.on("chain", _("未知的产业链:%(key)s") % {"key": chain_key})
    found = coverage(user, resolve(user, f"park:{park.pk}"), template)
    segments = [
        {"key": s.key, "name": s.segment.name, "label": s.label.code}
        for s in found.segments
        if s.label <= Label.WEAK
    ]
    return {"chain": chain.key, "chain_name": chain.name, "segments": segments}


@transaction.atomic
def publish_gaps(user: User, park: Park, chain_key: str) -> Publication:
    ensure_can_write(user, park.owner_id)
    _already(
        live().filter(owner_id=park.owner_id, kind=PublicationKind.GAPS, park=park, chain=chain_key)
    )
    snapshot = gap_snapshot(user, park, chain_key)
    if not snapshot["segments"]:
        raise Invalid.on("chain", _("该产业链在本园区没有缺链或弱链环节,无需发布。"))
    return Publication.objects.create(
        owner_id=park.owner_id,
        kind=PublicationKind.GAPS,
        park=park,
        chain=chain_key,
        snapshot=snapshot,
        published_by=user,
    )


def _own_park(owner_id: int, park: Park | None) -> Park | None:
    if park is not None and park.owner_id != owner_id:
        raise Invalid.on("park", _("只能在本机构的园区推介页上展示。"))
    return park


@transaction.atomic
def publish_policy(user: User, policy: Policy, park: Park | None = None) -> Publication:
    ensure_can_write(user, policy.owner_id)
    if policy.status != PolicyStatus.PUBLISHED:
        raise Invalid.on("policy", _("只有已发布的政策才能对外推介。"))
    _already(live().filter(owner_id=policy.owner_id, kind=PublicationKind.POLICY, policy=policy))
    return Publication.objects.create(
        owner_id=policy.owner_id,
        kind=PublicationKind.POLICY,
        policy=policy,
        park=_own_park(policy.owner_id, park),
        published_by=user,
    )


@transaction.atomic
def publish_project(
    user: User, project: Project, summary: str, show_amounts: bool = False
) -> Publication:
    ensure_can_write(user, project.owner_id)
    if not project_is_public(project):
        raise Invalid.on(
            "project",
            _("“%(stage)s”阶段的项目不能对外推介:线索、在谈、停滞和终止的项目一律保密。")
            % {"stage": ProjectStage(project.stage).label},
        )
    summary = (summary or "").strip()
    if not summary:
        raise Invalid.on("summary", _("请填写对外展示的项目介绍。"))
    if len(summary) > SUMMARY_MAX:
        raise Invalid.on("summary", _("项目介绍最多 %(n)s 字。") % {"n": SUMMARY_MAX})
    _already(
        live().filter(owner_id=project.owner_id, kind=PublicationKind.PROJECT, project=project)
    )
    park = project.park if project.park and project.park.owner_id == project.owner_id else None
    return Publication.objects.create(
        owner_id=project.owner_id,
        kind=PublicationKind.PROJECT,
        project=project,
        park=park,
        summary=summary,
        show_amounts=show_amounts,
        published_by=user,
    )


@transaction.atomic
def withdraw(user: User, publication: Publication) -> Publication:
    ensure_can_write(user, publication.owner_id)
    if publication.withdrawn_at is not None:
        raise Conflict(_("该内容已经撤回。"))
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = user
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    return publication


def own_publications(user: User) -> QuerySet[Publication]:
    """The publications of the user's organisation (live first), for its officers' page."""
    if user.organization_id is None:
        return Publication.objects.none()
    return (
        Publication.objects.filter(owner_id=user.organization_id)
        .select_related("park", "policy", "project", "published_by", "withdrawn_by")
        .order_by("withdrawn_at", "-created_at")
    )


def get_own(user: User, pk: int) -> Publication:
    found = own_publications(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("发布记录不存在或无权查看。"))
    return found


# ---------------------------------------------------------------- public pages


@dataclass
class ParkProfile:
    park: Park
    vacant_m2: Decimal | None
    industries: list[tuple[str, str]]
    capacity: ParkCapacity | None


@dataclass
class GapList:
    chain_name: str
    segments: list[tuple[str, str]]  # (segment name, label code)
    published_at: Any


@dataclass
class PublicProject:
    publication: Publication
    project: Project

    @property
    def summary(self) -> str:
        return self.publication.summary


@dataclass
class PublicPage:
    organization: Organization
    park: Park | None = None
    profiles: list[ParkProfile] = field(default_factory=list)
    gaps: list[GapList] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    projects: list[PublicProject] = field(default_factory=list)
    publications: list[Publication] = field(default_factory=list)  # what an enquiry may name

    @property
    def empty(self) -> bool:
        return not (self.profiles or self.gaps or self.policies or self.projects)


def _profile(park: Park) -> ParkProfile:
    vacant = None
    if park.carrier_built_m2 is not None and park.carrier_occupied_m2 is not None:
        vacant = max(Decimal(0), park.carrier_built_m2 - park.carrier_occupied_m2)
    return ParkProfile(
        park,
        vacant,
        [(i.name, i.get_role_display()) for i in park.industries.all()],
        ParkCapacity.objects.filter(park=park).first(),
    )


def _page(organization: Organization, rows: Iterable[Publication], park: Park | None) -> PublicPage:
    page = PublicPage(organization, park)
    for row in rows:
        if row.kind == PublicationKind.PARK and row.park is not None:
            page.profiles.append(_profile(row.park))
        elif row.kind == PublicationKind.GAPS:
            segments = [(s["name"], s["label"]) for s in row.snapshot.get("segments", [])]
            page.gaps.append(GapList(row.snapshot.get("chain_name", ""), segments, row.created_at))
        elif row.kind == PublicationKind.POLICY and row.policy is not None:
            page.policies.append(row.policy)
        elif row.kind == PublicationKind.PROJECT and row.project is not None:
            page.projects.append(PublicProject(row, row.project))
        else:
            continue
        page.publications.append(row)
    page.projects.sort(
        key=lambda p: (MATURITY_ORDER.get(p.project.maturity, 9), p.project.name, p.project.pk)
    )
    return page


def _public_rows(organization_id: int) -> QuerySet[Publication]:
    """Live publications of the organisation whose item may be shown at all right now."""
    return (
        live()
        .filter(owner_id=organization_id)
        .filter(
            Q(kind__in=[PublicationKind.PARK, PublicationKind.GAPS], park__owner_id=organization_id)
            | Q(kind=PublicationKind.POLICY, policy__status=PolicyStatus.PUBLISHED)
            | (
                Q(kind=PublicationKind.PROJECT, project__owner_id=organization_id)
                & _project_public_q()
            )
        )
        .select_related("park__region", "policy__issuer_region", "project__park", "project__region")
        .prefetch_related("park__industries")
        .order_by("kind", "created_at", "pk")
    )


def public_park(pk: int) -> PublicPage:
    """A park's public page: what the park's organisation published about this park."""
    park = Park.objects.select_related("owner", "region").filter(pk=pk).first()
    if park is None:
        raise NotFound(_("园区不存在。"))
    rows = _public_rows(park.owner_id).filter(park=park)
    return _page(park.owner, rows, park)


def public_organization(pk: int) -> PublicPage:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise NotFound(_("机构不存在。"))
    return _page(organization, _public_rows(organization.pk), None)


def public_parks(organization: Organization) -> list[Park]:
    """The organisation's parks that have a public page with something on it."""
    ids = _public_rows(organization.pk).exclude(park=None).values("park_id")
    return list(Park.objects.filter(pk__in=ids, owner=organization).order_by("name"))


# ---------------------------------------------------------------- enquiries


@dataclass(frozen=True)
class EnquiryData:
    name: str
    company: str
    contact: str
    interest: str
    message: str = ""
    publication: int | None = None


def _limit_key(address: str) -> str:
    return f"matching:enquiry:{address}"


def rate_limited(address: str) -> bool:
    return int(cache.get(_limit_key(address), 0)) >= ENQUIRY_LIMIT


def _count(address: str) -> None:
    key = _limit_key(address)
    if cache.add(key, 1, ENQUIRY_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, ENQUIRY_WINDOW)


def _actor(organization: Organization, publication: Publication | None) -> User | None:
    """Who the lead is recorded as entered by: the publisher, else an active officer."""
    if publication is not None and publication.published_by is not None:
        publisher = publication.published_by
        if (
            publisher.is_active
            and publisher.organization_id == organization.pk
            and publisher.role in (Role.OFFICER, Role.ADMIN)
        ):
            return publisher
    return (
        User.objects.filter(
            organization=organization, is_active=True, role__in=[Role.OFFICER, Role.ADMIN]
        )
        .order_by("pk")
        .first()
    )


def _clean(data: EnquiryData) -> dict[str, str]:
    limits = {"name": 64, "company": 200, "contact": 128, "interest": 200}
    cleaned: dict[str, str] = {}
    for name, most in limits.items():
        value = str(getattr(data, name) or "").strip()
        if not value:
            raise Invalid.on(name, _("请填写此项。"))
        if len(value) > most:
            raise Invalid.on(name, _("最多 %(n)s 个字符。") % {"n": most})
        cleaned[name] = value
    message = str(data.message or "").strip()
    if len(message) > SUMMARY_MAX:
        raise Invalid.on("message", _("留言最多 %(n)s 字。") % {"n": SUMMARY_MAX})
    cleaned["message"] = message
    return cleaned


@transaction.atomic
def enquire(
    page: PublicPage, data: EnquiryData, address: str, honeypot: str = ""
) -> Enquiry | None:
    """Record an investor's enquiry and open a lead for the page's organisation.

    Returns None for a bot (the hidden field filled): nothing is stored, and the page thanks
    it all the same. Refuses (429) a client address over its limit.
    """
    if honeypot.strip():
        return None
    if rate_limited(address):
        raise TooMany(_("提交过于频繁,请一小时后再试。"))
    cleaned = _clean(data)
    publication = None
    if data.publication is not None:
        publication = next((p for p in page.publications if p.pk == data.publication), None)
        if publication is None:
            raise Invalid.on("publication", _("所选内容不在本页。"))
    _count(address)
    organization = page.organization
    park = page.park or (publication.park if publication else None)
    enquiry = Enquiry.objects.create(
        organization=organization,
        park=park,
        publication=publication,
        language=(get_language() or "")[:16],
        **cleaned,
    )
    actor = _actor(organization, publication)
    if actor is not None:
        enquiry.lead = _lead(actor, organization, park, enquiry)
        enquiry.save(update_fields=["lead", "updated_at"])
    return enquiry


def _lead(actor: User, organization: Organization, park: Park | None, enquiry: Enquiry) -> Project:
    from parklink.projects.services import create_project

    name = f"{enquiry.company}:{enquiry.interest}"[:200]
    remarks = "\n".join(
        part
        for part in (
            _("网络推介询盘 #%(id)s") % {"id": enquiry.pk},
            _("联系人:%(name)s,%(contact)s") % {"name": enquiry.name, "contact": enquiry.contact},
            enquiry.message,
        )
        if part
    )
    return create_project(
        actor,
        owner_id=organization.pk,
        note=_("网络推介询盘"),
        name=name,
        park=park,
        region_id=(park.region_id if park else organization.region_id),
        description=enquiry.message,
        remarks=remarks,
        lead_source=LeadSource.ONLINE,
        lead_source_detail=_("网络推介 · 询盘 #%(id)s") % {"id": enquiry.pk},
    )


def own_enquiries(user: User) -> QuerySet[Enquiry]:
    if user.organization_id is None:
        return Enquiry.objects.none()
    return Enquiry.objects.filter(organization_id=user.organization_id).select_related(
        "park", "lead", "publication"
    )


def mark_handled(user: User, enquiry: Enquiry) -> Enquiry:
    ensure_can_write(user, enquiry.organization_id)
    enquiry.status = EnquiryStatus.HANDLED
    enquiry.save(update_fields=["status", "updated_at"])
    return enquiry
