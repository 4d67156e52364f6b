"""Innovation enclaves (科创飞地 / 反向飞地): who sees them, their records, their figures.

An enclave is a county's space in a big city. The county records its tenants (`Tenancy`) and
the enterprises it introduced through it (`Introduction`); whether a tenant has **landed** in
the home county is computed, never recorded: a tenant (current or moved out) has landed when it
has an `EnterpriseSite` in the home region (by its region or its park's) or a signed project
(`signed_on` set, not terminated) whose region is in the home region and which the user may
see (`projects.queries.visible_projects`). The investment brought is the exact sum of those
projects' `total_investment` (元).

Visibility (the stricter choice, the tenant list may be confidential): the owner organisation
(the home county's) and organisations whose region contains the home region see an enclave and
its rows; nobody else but installation administrators. A hidden enclave is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.cobuild.models import Enclave, Introduction, Tenancy
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import LinkageMember, Park, ParkKind, ParkLinkage
from parklink.projects.models import Project, ProjectStage
from parklink.projects.queries import visible_projects
from parklink.regions.models import Region

# ---------------------------------------------------------------- visibility


def _within(prefix: str, path: str) -> Q:
    """Rows whose region (reached through `prefix`) is the region of `path` or inside it."""
    return Q(**{f"{prefix}__path": path}) | Q(**{f"{prefix}__path__startswith": path + "/"})


def visibility_q(user: User) -> Q:
    """Enclaves `user` may see: their organisation's, and those of regions inside theirs."""
    if user.is_superuser:
        return Q()
    org = user.organization
    if org is None:
        return Q(pk__in=[])
    path = org.region.path
    return (
        Q(owner_id=org.pk) | Q(home_region__path=path) | Q(home_region__path__startswith=path + "/")
    )


def visible_enclaves(user: User) -> QuerySet[Enclave]:
    return Enclave.objects.filter(visibility_q(user))


def get_visible(user: User, pk: int) -> Enclave:
    """The enclave, or NotFound when it does not exist or the user may not see it."""
    found = (
        visible_enclaves(user)
        .select_related("owner", "home_region", "host_region", "park")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("科创飞地不存在或无权查看。"), detail={"enclave": pk})
    return found


def _rows(model: type[Any]) -> Callable[[User], QuerySet[Any]]:
    def visible(user: User) -> QuerySet[Any]:
        rows = model._default_manager.all()
        if user.is_superuser:
            return rows
        return rows.filter(enclave__in=visible_enclaves(user).values("pk"))

    return visible


SCOPES: dict[str, Callable[[User], QuerySet[Any]]] = {
    "cobuild.enclave": visible_enclaves,
    "cobuild.tenancy": _rows(Tenancy),
    "cobuild.introduction": _rows(Introduction),
}


# ---------------------------------------------------------------- writes


@transaction.atomic
def create_enclave(
    by: User,
    *,
    owner_id: int,
    name: str,
    home_region: Region,
    host_region: Region,
    park_id: int | None = None,
    opened_on: date | None = None,
    description: str = "",
) -> Enclave:
    """A new enclave of `owner_id` (the home county's organisation)."""
    ensure_can_write(by, owner_id)
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("请填写名称。")
    elif Enclave.objects.filter(owner_id=owner_id, name=name).exists():
        problems["name"] = _("已有同名的科创飞地。")
    if home_region.contains(host_region):
        problems["host_region"] = _("飞地应在本县以外的城市。")
    if park_id is not None:
        park = Park.objects.filter(pk=park_id).first()
        if park is None or park.kind != ParkKind.INNOVATION_ENCLAVE:
            problems["park"] = _("请选择类型为科创飞地的园区。")
    if problems:
        raise Invalid(_("科创飞地信息有误。"), detail=problems)
    return Enclave.objects.create(
        owner_id=owner_id,
        name=name,
        home_region=home_region,
        host_region=host_region,
        park_id=park_id,
        opened_on=opened_on,
        description=description,
    )


def update_enclave(
    by: User,
    enclave: Enclave,
    *,
    name: str,
    home_region: Region,
    host_region: Region,
    park_id: int | None = None,
    opened_on: date | None = None,
    description: str = "",
) -> Enclave:
    """Change an enclave's text (the owner's officers only), with the checks of creation."""
    ensure_can_write(by, enclave.owner_id)
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = _("请填写名称。")
    elif (
        Enclave.objects.filter(owner_id=enclave.owner_id, name=name).exclude(pk=enclave.pk).exists()
    ):
        problems["name"] = _("已有同名的科创飞地。")
    if home_region.contains(host_region):
        problems["host_region"] = _("飞地应在本县以外的城市。")
    if park_id is not None:
        park = Park.objects.filter(pk=park_id).first()
        if park is None or park.kind != ParkKind.INNOVATION_ENCLAVE:
            problems["park"] = _("请选择类型为科创飞地的园区。")
    if problems:
        raise Invalid(_("科创飞地信息有误。"), detail=problems)
    enclave.name, enclave.home_region, enclave.host_region = name, home_region, host_region
    enclave.park_id, enclave.opened_on, enclave.description = park_id, opened_on, description
    enclave.save()
    return enclave


@dataclass(frozen=True)
class TenancyItem:
    """A stay as a page's row: its id when stored."""

    id: int | None
    enterprise: Enterprise
    moved_in: date
    moved_out: date | None = None
    note: str = ""
    illustrative: bool = False


@dataclass(frozen=True)
class IntroductionItem:
    id: int | None
    enterprise: Enterprise
    introduced_on: date | None = None
    note: str = ""
    illustrative: bool = False


@transaction.atomic
def replace_rows(
    by: User,
    enclave: Enclave,
    tenancies: Sequence[TenancyItem],
    introductions: Sequence[IntroductionItem],
) -> None:
    """The enclave's stays and introductions become the given rows (stored rows absent from
    them are removed), all or nothing; each refusal is kept under its row
    (`tenancies.<index>.<field>`, `introductions.<index>.<field>`)."""
    ensure_can_write(by, enclave.owner_id)
    enclave = Enclave.objects.select_for_update().get(pk=enclave.pk)
    problems: dict[str, str] = {}
    stored_stays = {row.pk: row for row in enclave.tenancies.all()}
    stored_intros = {row.pk: row for row in enclave.introductions.all()}
    for index, stay in enumerate(tenancies):
        where = f"tenancies.{index}"
        if stay.id is not None and stay.id not in stored_stays:
            problems[f"{where}.enterprise"] = _("该行已不存在,请刷新页面后再改。")
        if stay.moved_out is not None and stay.moved_out < stay.moved_in:
            problems[f"{where}.moved_out"] = _("迁出日期不能早于入驻日期。")
            continue
        for other_index, other in enumerate(tenancies[:index]):
            if other.enterprise.pk == stay.enterprise.pk and _overlap(other, stay):
                problems[f"{where}.moved_in"] = _(
                    "该企业在这段时间已入驻此飞地(与第%(row)d行重叠)。"
                ) % {"row": other_index + 1}
    seen: dict[int, int] = {}
    for index, item in enumerate(introductions):
        where = f"introductions.{index}"
        if item.id is not None and item.id not in stored_intros:
            problems[f"{where}.enterprise"] = _("该行已不存在,请刷新页面后再改。")
        if item.enterprise.pk in seen:
            problems[f"{where}.enterprise"] = _("该企业已登记为经此飞地引入(第%(row)d行)。") % {
                "row": seen[item.enterprise.pk] + 1
            }
        seen.setdefault(item.enterprise.pk, index)
    if problems:
        raise Invalid(_("飞地入驻或引入企业有误。"), detail=problems)
    keep_stays = {stay.id for stay in tenancies if stay.id is not None}
    Tenancy.objects.filter(enclave=enclave).exclude(pk__in=keep_stays).delete()
    keep_intros = {item.id for item in introductions if item.id is not None}
    Introduction.objects.filter(enclave=enclave).exclude(pk__in=keep_intros).delete()
    try:
        with transaction.atomic():
            _save_rows(enclave, tenancies, introductions, stored_stays, stored_intros)
    except IntegrityError as error:
        raise Invalid(
            _("飞地入驻或引入企业有误:同一企业同一入驻日期或同一引入企业只能有一行。"),
            detail={"tenancies": _("同一企业同一入驻日期只能有一行。")},
        ) from error


def _save_rows(
    enclave: Enclave,
    tenancies: Sequence[TenancyItem],
    introductions: Sequence[IntroductionItem],
    stored_stays: dict[int, Tenancy],
    stored_intros: dict[int, Introduction],
) -> None:
    for stay in tenancies:
        row = stored_stays.get(stay.id) if stay.id is not None else None
        row = row or Tenancy(enclave=enclave)
        row.enterprise, row.moved_in, row.moved_out = stay.enterprise, stay.moved_in, stay.moved_out
        row.note, row.illustrative = stay.note, stay.illustrative
        row.save()
    for item in introductions:
        intro = stored_intros.get(item.id) if item.id is not None else None
        intro = intro or Introduction(enclave=enclave)
        intro.enterprise, intro.introduced_on = item.enterprise, item.introduced_on
        intro.note, intro.illustrative = item.note, item.illustrative
        intro.save()


def _overlap(one: TenancyItem, other: TenancyItem) -> bool:
    """Whether two stays share a day (an open stay runs on)."""
    starts_before_other_ends = other.moved_out is None or one.moved_in <= other.moved_out
    ends_after_other_starts = one.moved_out is None or one.moved_out >= other.moved_in
    return starts_before_other_ends and ends_after_other_starts


def add_tenancy(
    by: User,
    enclave: Enclave,
    enterprise: Enterprise,
    *,
    moved_in: date,
    moved_out: date | None = None,
    note: str = "",
    illustrative: bool = False,
) -> Tenancy:
    """Record an enterprise's stay in the enclave (the owner's officers only)."""
    ensure_can_write(by, enclave.owner_id)
    if moved_out is not None and moved_out < moved_in:
        raise Invalid.on("moved_out", _("迁出日期不能早于入驻日期。"))
    overlapping = enclave.tenancies.filter(enterprise=enterprise).filter(
        Q(moved_out__isnull=True) | Q(moved_out__gte=moved_in)
    )
    if moved_out is not None:
        overlapping = overlapping.filter(moved_in__lte=moved_out)
    if overlapping.exists():
        raise Invalid.on("moved_in", _("该企业在这段时间已入驻此飞地。"))
    return Tenancy.objects.create(
        enclave=enclave,
        enterprise=enterprise,
        moved_in=moved_in,
        moved_out=moved_out,
        note=note,
        illustrative=illustrative,
    )


def add_introduction(
    by: User,
    enclave: Enclave,
    enterprise: Enterprise,
    *,
    introduced_on: date | None = None,
    note: str = "",
    illustrative: bool = False,
) -> Introduction:
    """Record an enterprise the county says it brought in through the enclave."""
    ensure_can_write(by, enclave.owner_id)
    if enclave.introductions.filter(enterprise=enterprise).exists():
        raise Invalid.on("enterprise", _("该企业已登记为经此飞地引入。"))
    return Introduction.objects.create(
        enclave=enclave,
        enterprise=enterprise,
        introduced_on=introduced_on,
        note=note,
        illustrative=illustrative,
    )


def remove_tenancy(by: User, enclave: Enclave, tenancy_id: int) -> None:
    """Remove one stay of the enclave (the owner's officers only); another enclave's is a 404."""
    ensure_can_write(by, enclave.owner_id)
    deleted, _kinds = Tenancy.objects.filter(enclave=enclave, pk=tenancy_id).delete()
    if not deleted:
        raise NotFound(_("该入驻记录不存在。"), detail={"tenancy": tenancy_id})


def remove_introduction(by: User, enclave: Enclave, introduction_id: int) -> None:
    """Remove one introduction of the enclave (the owner's officers only)."""
    ensure_can_write(by, enclave.owner_id)
    deleted, _kinds = Introduction.objects.filter(enclave=enclave, pk=introduction_id).delete()
    if not deleted:
        raise NotFound(_("该引入记录不存在。"), detail={"introduction": introduction_id})


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Landing:
    """One piece of evidence that a tenant landed in the home county: a site or a project."""

    kind: str  # "site" | "project"
    pk: int
    label: str
    place: str
    on: date | None  # a project's signing date; sites carry no date
    investment: Decimal | None = None


@dataclass
class TenantRow:
    tenancy: Tenancy
    current: bool
    landings: list[Landing] = field(default_factory=list)

    @property
    def landed(self) -> bool:
        return bool(self.landings)

    @property
    def landed_on(self) -> date | None:
        dates = [item.on for item in self.landings if item.on is not None]
        return min(dates) if dates else None


@dataclass
class Figures:
    """What the system computes from the records, as of `today`."""

    tenants_now: int
    tenants_ever: int
    landed: int
    introduced: int
    investment: Decimal
    investment_projects: int
    projects_without_amount: int
    illustrative: bool
    rows: list[TenantRow]
    introductions: list[Introduction]


LANDING_EXCLUDED_STAGES = (ProjectStage.TERMINATED,)


def _inside(path: str | None, home: Region) -> bool:
    """Whether a region path is the home region's or inside it (as `_within`, in Python)."""
    return path is not None and (path == home.path or path.startswith(home.path + "/"))


def _any_within(prefix: str, homes: Iterable[Region]) -> Q:
    found = Q(pk__in=[])
    for home in {region.path: region for region in homes}.values():
        found |= _within(prefix, home.path)
    return found


def _sites(enterprise_ids: Iterable[int], homes: Iterable[Region]) -> QuerySet[EnterpriseSite]:
    homes = list(homes)
    return (
        EnterpriseSite.objects.filter(enterprise_id__in=list(enterprise_ids))
        .filter(_any_within("region", homes) | _any_within("park__region", homes))
        .select_related("region", "park", "park__region", "enterprise")
        .order_by("enterprise_id", "id")
    )


def _projects(
    user: User, enterprise_ids: Iterable[int], homes: Iterable[Region]
) -> QuerySet[Project]:
    return (
        visible_projects(user)
        .filter(investor_id__in=list(enterprise_ids), signed_on__isnull=False)
        .exclude(stage__in=LANDING_EXCLUDED_STAGES)
        .filter(_any_within("region", list(homes)))
        .select_related("region")
        .order_by("signed_on", "id")
    )


def _site_landing(site: EnterpriseSite) -> Landing:
    place = site.park.name if site.park else (site.region.name if site.region else "")
    return Landing(
        "site", site.pk, f"{site.enterprise.name}·{site.get_role_display()}", place, None
    )


def _site_inside(site: EnterpriseSite, home: Region) -> bool:
    return _inside(site.region.path if site.region else None, home) or _inside(
        site.park.region.path if site.park and site.park.region else None, home
    )


def figures(user: User, enclave: Enclave, today: date | None = None) -> Figures:
    """The enclave's figures, computed from its tenancies, introductions, sites and projects.

    A fixed number of queries whatever the number of tenants (`figures_of`).
    """
    return figures_of(user, [enclave], today)[enclave.pk]


def figures_of(
    user: User, chosen: Sequence[Enclave], today: date | None = None
) -> dict[int, Figures]:
    """The figures of several enclaves at once: a fixed number of queries whatever the number
    of enclaves and tenants (each enclave's landings are those inside its own home region)."""
    today = today or timezone.localdate()
    if not chosen:
        return {}
    ids = [enclave.pk for enclave in chosen]
    tenancies_of: dict[int, list[Tenancy]] = {pk: [] for pk in ids}
    for tenancy in (
        Tenancy.objects.filter(enclave_id__in=ids)
        .select_related("enterprise")
        .order_by("moved_in", "enterprise__name", "pk")
    ):
        tenancies_of[tenancy.enclave_id].append(tenancy)
    introductions_of: dict[int, list[Introduction]] = {pk: [] for pk in ids}
    for item in (
        Introduction.objects.filter(enclave_id__in=ids)
        .select_related("enterprise")
        .order_by("introduced_on", "id")
    ):
        introductions_of[item.enclave_id].append(item)
    firms = {t.enterprise_id for rows in tenancies_of.values() for t in rows}
    homes = [enclave.home_region for enclave in chosen]
    sites: dict[int, list[EnterpriseSite]] = {}
    for site in _sites(firms, homes):
        sites.setdefault(site.enterprise_id, []).append(site)
    projects: dict[int, list[Project]] = {}
    for project in _projects(user, firms, homes):
        assert project.investor_id is not None
        projects.setdefault(project.investor_id, []).append(project)
    return {
        enclave.pk: _figures(
            enclave,
            tenancies_of[enclave.pk],
            introductions_of[enclave.pk],
            sites,
            projects,
            today,
        )
        for enclave in chosen
    }


def _figures(
    enclave: Enclave,
    tenancies: list[Tenancy],
    introductions: list[Introduction],
    sites: dict[int, list[EnterpriseSite]],
    projects: dict[int, list[Project]],
    today: date,
) -> Figures:
    home = enclave.home_region
    firms = {t.enterprise_id for t in tenancies}
    evidence: dict[int, list[Landing]] = {pk: [] for pk in firms}
    investment = Decimal("0.00")
    counted, without_amount = 0, 0
    for firm in sorted(firms):
        for site in sites.get(firm, []):
            if _site_inside(site, home):
                evidence[firm].append(_site_landing(site))
    mine = sorted(
        (
            project
            for firm in firms
            for project in projects.get(firm, [])
            if _inside(project.region.path, home)
        ),
        key=lambda project: (project.signed_on, project.pk),
    )
    for project in mine:
        assert project.investor_id is not None
        evidence[project.investor_id].append(
            Landing(
                "project",
                project.pk,
                project.name,
                project.region.name,
                project.signed_on,
                project.total_investment,
            )
        )
        if project.total_investment is None:
            without_amount += 1
        else:
            investment += project.total_investment
            counted += 1
    # One row per enterprise: its current stay, else its latest one.
    chosen: dict[int, TenantRow] = {}
    for tenancy in tenancies:
        current = tenancy.moved_in <= today and (
            tenancy.moved_out is None or tenancy.moved_out > today
        )
        before = chosen.get(tenancy.enterprise_id)
        if before is None or current or not before.current:
            chosen[tenancy.enterprise_id] = TenantRow(
                tenancy, current, evidence[tenancy.enterprise_id]
            )
    rows = sorted(chosen.values(), key=lambda r: (r.tenancy.moved_in, r.tenancy.enterprise.name))
    return Figures(
        tenants_now=sum(1 for row in rows if row.current),
        tenants_ever=len(rows),
        landed=sum(1 for row in rows if row.landed),
        introduced=len({item.enterprise_id for item in introductions}),
        investment=investment,
        investment_projects=counted,
        projects_without_amount=without_amount,
        illustrative=any(t.illustrative for t in tenancies)
        or any(i.illustrative for i in introductions),
        rows=rows,
        introductions=introductions,
    )


# ---------------------------------------------------------------- 三园联动 as a flow

# The stages of an incubation-to-landing flow, in order; each linkage role has its stage.
FLOW_STAGES: dict[str, int] = {
    "rnd_incubation": 0,
    "headquarters_rnd": 0,
    "supporting_manufacturing": 1,
    "manufacturing": 1,
    "local_landing": 2,
}


@dataclass(frozen=True)
class LinkageFlow:
    linkage: ParkLinkage
    stages: list[list[LinkageMember]]  # members by stage; an empty stage is skipped


def linkage_flows() -> list[LinkageFlow]:
    """Linkages whose members' roles make a flow: at least two stages, ending in a landing
    or starting in incubation (三园联动: 研发孵化 → 配套制造 → 本地落地). Linkages are public."""
    members = LinkageMember.objects.select_related("park").order_by("order", "pk")
    found: list[LinkageFlow] = []
    linkages = ParkLinkage.objects.prefetch_related(Prefetch("members", queryset=members))
    for linkage in linkages.order_by("name", "pk"):
        stages: list[list[LinkageMember]] = [[], [], []]
        for member in linkage.members.all():
            if member.role in FLOW_STAGES:
                stages[FLOW_STAGES[member.role]].append(member)
        used = [stage for stage in stages if stage]
        if len(used) >= 2 and (stages[0] or stages[2]):
            found.append(LinkageFlow(linkage, used))
    return found
