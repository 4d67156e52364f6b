"""Park siting (项目选址): every park ranked for a project, with the reasons in words.

The pure scoring is `matching/siting/score.py`; this module gathers what it reads, as the
user may see it:

* the project (projects' visibility) and its siting needs (`SitingNeeds`: power, water, a
  chain segment chosen by hand);
* its chain segment: the one written on its siting needs, else the segment of the chain target
  it was made from (`chains.ChainLead`), else the shipped classifier on its name, sector and
  description (best candidate scoring at least `catalog.TAG_MIN`);
* per park (sub-parks count for their parents): available land, vacant carriers
  (built − occupied), spare power and water (`ParkCapacity`), industries, the enterprises with
  a site there placed in the project's segment and in the segments that supply it or buy from
  it (chains' effective placements), the published policies in force that reach it (its
  region's, and those a co-built agreement of the park shares), its co-built agreements the user
  may see and its park linkages, and the positioning of its region (the registry or a dataset
  the user may see; an industry the place has, or the recommendation's quadrant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains.catalog import Chain
from parklink.chains.models import ChainLead, ChainTemplate
from parklink.chains.services.classification import placements
from parklink.cobuild.models import AgreementStatus
from parklink.cobuild.queries import visible_agreements
from parklink.core.errors import Invalid, NotFound, ParkLinkError
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.matching.models import PolicyStatus
from parklink.matching.models_siting import ParkCapacity, SitingNeeds
from parklink.matching.queries import visible_policies
from parklink.matching.services import catalog
from parklink.matching.siting import score
from parklink.parks.models import LinkageMember, Park
from parklink.projects.models import Project
from parklink.projects.queries import get_visible as visible_project
from parklink.regions.models import Region

PART_LABELS = {
    "land": gettext_lazy("土地与载体"),
    "utilities": gettext_lazy("供电供水"),
    "industries": gettext_lazy("主导产业"),
    "chain": gettext_lazy("产业链配套"),
    "policies": gettext_lazy("适用政策"),
    "partners": gettext_lazy("共建与联动"),
    "positioning": gettext_lazy("产业定位"),
}
QUADRANT_LABELS = {
    "opportunity": gettext_lazy("机会"),
    "entrant": gettext_lazy("可进入"),
    "threat": gettext_lazy("远景"),
    "none": gettext_lazy("不推荐"),
}
ROLE_LABELS = {
    "leading": gettext_lazy("主导产业"),
    "representative": gettext_lazy("代表性产业"),
    "foundational": gettext_lazy("基础性产业"),
}
SOURCE_LABELS = {
    "manual": gettext_lazy("人工指定"),
    "lead": gettext_lazy("来自产业链招商目标"),
    "text": gettext_lazy("按项目名称与简介自动判定"),
}
COMPARE = 3


def get_project(user: Any, pk: int) -> Project:
    return visible_project(user, pk)


def get_park(pk: int) -> Park:
    park = Park.objects.select_related("region", "owner").filter(pk=pk).first()
    if park is None:
        raise NotFound(_("园区不存在。"))
    return park


# ---------------------------------------------------------------- the project's side


@dataclass(frozen=True)
class SegmentChoice:
    chain: str = ""
    segment: str = ""
    source: str = ""  # manual | lead | text | ""
    evidence: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return catalog.segment_name(self.chain, self.segment) if self.segment else ""

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source, ""))


def needs_row(project: Project) -> SitingNeeds | None:
    return SitingNeeds.objects.filter(project=project).first()


def segment_of(project: Project, needs: SitingNeeds | None = None) -> SegmentChoice:
    chains = catalog.chains()
    if needs is not None and needs.segment and needs.chain in chains:
        return SegmentChoice(needs.chain, needs.segment, "manual")
    lead = ChainLead.objects.filter(project=project).select_related("template").first()
    if lead is not None and lead.template.owner_id is None and lead.template.key in chains:
        return SegmentChoice(lead.template.key, lead.segment, "lead")
    # The project's name says what it makes (it is no registrar's firm name): it is read as
    # the first item of a list of products, followed by its sector and description.
    text = ";".join(part for part in (project.name, project.sector, project.description) if part)
    candidates = catalog.classifier().classify("", text, None)
    best = candidates[0] if candidates and candidates[0].score >= catalog.TAG_MIN else None
    if best is None:
        return SegmentChoice()
    return SegmentChoice(best.chain, best.segment, "text", tuple(best.evidence))


def needs_of(project: Project, needs: SitingNeeds | None, segment: SegmentChoice) -> score.Needs:
    return score.Needs(
        land_mu=project.land_area_mu,
        floor_m2=project.floor_area_m2,
        power_kva=needs.power_kva if needs else None,
        water_tpd=needs.water_tpd if needs else None,
        industry_code=project.industry_code or "",
        sector=project.sector or "",
        segment_name=segment.name,
    )


# ---------------------------------------------------------------- the parks' side


def _ancestors(parks: Iterable[Park]) -> dict[int, list[int]]:
    """Each park and the parks above it (a sub-park's tenants count for its parents)."""
    parent = {park.pk: park.parent_id for park in parks}
    found: dict[int, list[int]] = {}
    for pk in parent:
        chain: list[int] = []
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parent.get(current)
        found[pk] = chain
    return found


def _chain_counts(
    parks: list[Park], ancestors: dict[int, list[int]], segment: SegmentChoice
) -> dict[int, tuple[int, int]]:
    """Per park: enterprises with a site there in the segment, and in its neighbours."""
    if not segment.segment:
        return {}
    template = ChainTemplate.objects.filter(owner__isnull=True, key=segment.chain).first()
    chain: Chain | None = catalog.chains().get(segment.chain)
    if template is None or chain is None:
        return {}
    neighbours = {s for s, b in chain.edges if b == segment.segment} | {
        b for s, b in chain.edges if s == segment.segment
    }
    neighbours.discard(segment.segment)
    sites = list(
        EnterpriseSite.objects.filter(park_id__in=[p.pk for p in parks])
        .order_by()
        .values_list("enterprise_id", "park_id")
        .distinct()
    )
    placed = placements(
        [template.pk],
        Enterprise.objects.filter(pk__in={e for e, _p in sites}),
        segments=[segment.segment, *sorted(neighbours)],
    )
    in_segment: dict[int, set[int]] = defaultdict(set)
    around: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, park_id in sites:
        keys = {p.segment for p in placed.get((enterprise_id, template.pk), [])}
        for pk in ancestors.get(park_id, [park_id]):
            if segment.segment in keys:
                in_segment[pk].add(enterprise_id)
            elif keys & neighbours:
                around[pk].add(enterprise_id)
    return {p.pk: (len(in_segment[p.pk]), len(around[p.pk])) for p in parks}


def _in_force_q(on: date) -> Q:
    return (
        Q(status=PolicyStatus.PUBLISHED)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )


def _policies(
    user: Any, parks: list[Park], ancestors: dict[int, list[int]]
) -> dict[int, list[score.PolicyRef]]:
    """Per park: the policies in force that would reach a project there."""
    on = timezone.localdate()
    rows = list(
        visible_policies(user)
        .filter(_in_force_q(on))
        .select_related("issuer_region")
        .prefetch_related("shared_as__agreement__parks")
        .order_by("title", "pk")
    )
    found: dict[int, list[score.PolicyRef]] = {}
    for park in parks:
        mine = set(ancestors.get(park.pk, [park.pk]))
        refs: list[score.PolicyRef] = []
        for policy in rows:
            if policy.issuer_region.contains(park.region):
                refs.append(score.PolicyRef(policy.title))
                continue
            via = next(
                (
                    shared.agreement.title
                    for shared in policy.shared_as.all()
                    if mine & {p.pk for p in shared.agreement.parks.all()}
                ),
                "",
            )
            if via:
                refs.append(score.PolicyRef(policy.title, via))
        found[park.pk] = refs
    return found


def _partners(
    user: Any, parks: list[Park], ancestors: dict[int, list[int]]
) -> dict[int, list[str]]:
    """Per park: the co-built agreements (signed or in force, visible to the user) and linkages."""
    names: dict[int, list[str]] = defaultdict(list)
    ids = [p.pk for p in parks]
    agreements = (
        visible_agreements(user)
        .filter(status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE], parks__in=ids)
        .prefetch_related("parks")
        .distinct()
    )
    below: dict[int, list[int]] = defaultdict(list)
    for pk, chain in ancestors.items():
        for above in chain:
            below[above].append(pk)
    for agreement in agreements:
        for park in agreement.parks.all():
            for pk in below.get(park.pk, [park.pk]):
                if agreement.title not in names[pk]:
                    names[pk].append(agreement.title)
    for member in LinkageMember.objects.filter(park_id__in=ids).select_related("linkage"):
        if member.linkage.name not in names[member.park_id]:
            names[member.park_id].append(member.linkage.name)
    return names


class _Positioning:
    """The positioning of a place for the project's industry, computed once per region."""

    def __init__(self, user: Any, code: str) -> None:
        self.user = user
        self.code = (code or "")[:2]
        self.cache: dict[str, score.Positioning | None] = {}

    def sources(self) -> list[tuple[Any, str]]:
        from parklink.positioning.queries import visible_datasets

        found: list[tuple[Any, str]] = [(None, _("企业登记数据"))]
        for dataset in visible_datasets(self.user).order_by("-pk")[:5]:
            found.append((dataset, dataset.name))
        return found

    def of(self, region: Region) -> score.Positioning | None:
        if len(self.code) != 2 or not self.code.isdigit():
            return None
        if region.adcode not in self.cache:
            self.cache[region.adcode] = self._compute(region)
        return self.cache[region.adcode]

    def _compute(self, region: Region) -> score.Positioning | None:
        from parklink.positioning.services.report import Options, place_report

        for dataset, name in self.sources():
            try:
                report = place_report(region.adcode, Options(dataset=dataset))
            except (ParkLinkError, ValueError):
                continue
            item = next((i for i in report.found.items if i.industry == self.code), None)
            if item is None:
                continue
            return score.Positioning(item.present, item.quadrant, item.rank, name)
        return None


def offers(
    user: Any, segment: SegmentChoice, industry_code: str, parks: list[Park] | None = None
) -> tuple[list[Park], list[score.Offer]]:
    everything = list(Park.objects.select_related("region").prefetch_related("industries"))
    ancestors = _ancestors(everything)
    chosen = everything if parks is None else parks
    capacity = {c.park_id: c for c in ParkCapacity.objects.filter(park__in=chosen)}
    counts = _chain_counts(everything, ancestors, segment)
    policies = _policies(user, chosen, ancestors)
    partners = _partners(user, everything, ancestors)
    positioning = _Positioning(user, industry_code)
    result = []
    for park in chosen:
        cap = capacity.get(park.pk)
        vacant = None
        if park.carrier_built_m2 is not None and park.carrier_occupied_m2 is not None:
            vacant = max(Decimal(0), park.carrier_built_m2 - park.carrier_occupied_m2)
        in_segment = counts.get(park.pk)
        result.append(
            score.Offer(
                park=park.pk,
                land_mu=park.available_land_mu,
                vacant_m2=vacant,
                power_kva=cap.power_kva if cap else None,
                water_tpd=cap.water_tpd if cap else None,
                industries=[
                    score.Industry(i.name, i.role, i.industry_code) for i in park.industries.all()
                ],
                segment_firms=in_segment[0] if in_segment else None,
                neighbour_firms=in_segment[1] if in_segment else 0,
                policies=policies.get(park.pk, []),
                partners=partners.get(park.pk, []),
                positioning=positioning.of(park.region),
            )
        )
    return chosen, result


# ---------------------------------------------------------------- the ranking


@dataclass
class ParkFit:
    park: Park
    fit: score.Fit
    offer: score.Offer
    capacity: ParkCapacity | None = None

    @property
    def score(self) -> float:
        return self.fit.score

    @property
    def parts(self) -> list[tuple[str, str, float, float]]:
        """(key, label, part in [0, 1], its weight) in the documented order."""
        return [
            (key, str(PART_LABELS[key]), self.fit.parts[key], score.WEIGHTS[key])
            for key in score.PARTS
        ]

    def reasons(self, part: str | None = None) -> list[tuple[str, bool | None]]:
        return [
            (describe(reason), reason.good)
            for reason in self.fit.reasons
            if part is None or reason.part == part
        ]

    @property
    def by_part(self) -> list[tuple[str, str, float, list[tuple[str, bool | None]]]]:
        return [(key, label, value, self.reasons(key)) for key, label, value, _w in self.parts]


@dataclass
class Siting:
    project: Project
    needs: SitingNeeds | None
    segment: SegmentChoice
    wanted: score.Needs
    fits: list[ParkFit] = field(default_factory=list)

    @property
    def top(self) -> list[ParkFit]:
        return self.fits[:COMPARE]


def rank(user: Any, project: Project, top: int | None = None) -> Siting:
    needs = needs_row(project)
    segment = segment_of(project, needs)
    wanted = needs_of(project, needs, segment)
    parks, found = offers(user, segment, project.industry_code or "")
    by_pk = {p.pk: p for p in parks}
    by_offer = {o.park: o for o in found}
    capacity = {c.park_id: c for c in ParkCapacity.objects.filter(park__in=parks)}
    fits = [
        ParkFit(by_pk[f.park], f, by_offer[f.park], capacity.get(f.park))
        for f in score.rank(wanted, found, top)
    ]
    return Siting(project, needs, segment, wanted, fits)


def compare(user: Any, project: Project, park_ids: list[int] | None = None) -> Siting:
    """The best three parks side by side, or the parks named (two to five)."""
    if not park_ids:
        return rank(user, project, COMPARE)
    if not 2 <= len(park_ids) <= 5:
        raise Invalid.on("parks", _("请选择 2 至 5 个园区进行对比。"))
    found = rank(user, project)
    wanted = [f for pk in park_ids for f in found.fits if f.park.pk == pk]
    if len(wanted) != len(set(park_ids)):
        raise NotFound(_("所选园区不存在。"))
    found.fits = wanted
    return found


# ---------------------------------------------------------------- words


def _n(value: Any) -> str:
    return number_format(Decimal(value).normalize() if isinstance(value, Decimal) else value)


def _list(items: Iterable[str]) -> str:
    from parklink.matching.services.words import join

    return join(list(items))


def describe(reason: score.Reason) -> str:
    p = reason.param
    code = reason.code
    if code == "land_not_given":
        return _("项目未填写用地和建筑面积,土地不参与比较")
    if code == "land_unknown":
        return _("园区未登记可用土地")
    if code == "land_enough":
        return _("可用土地 %(have)s 亩,满足用地 %(need)s 亩") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "land_short":
        return _("可用土地 %(have)s 亩,不足用地 %(need)s 亩") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "carrier_unknown":
        return _("园区未登记载体面积")
    if code == "carrier_enough":
        return _("空置载体 %(have)s 平方米,满足建筑面积 %(need)s 平方米") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "carrier_short":
        return _("空置载体 %(have)s 平方米,不足建筑面积 %(need)s 平方米") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "power_unknown":
        return _("园区未登记可供电力")
    if code == "power_enough":
        return _("可供电力 %(have)s 千伏安,满足需求 %(need)s 千伏安") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "power_short":
        return _("可供电力 %(have)s 千伏安,不足需求 %(need)s 千伏安") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "water_unknown":
        return _("园区未登记可供水量")
    if code == "water_enough":
        return _("可供水 %(have)s 吨/日,满足需求 %(need)s 吨/日") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "water_short":
        return _("可供水 %(have)s 吨/日,不足需求 %(need)s 吨/日") % {
            "have": _n(p("have")),
            "need": _n(p("need")),
        }
    if code == "industries_unknown":
        return _("园区未登记主导产业")
    if code == "industries_other":
        return _("园区产业(%(names)s)与项目领域不符") % {"names": _list(p("names"))}
    if code == "industry_match":
        return _("与园区%(role)s“%(name)s”相符") % {
            "role": ROLE_LABELS.get(p("role"), p("role")),
            "name": p("name"),
        }
    if code == "segment_unknown":
        return _("项目未判定产业链环节,未计产业链配套")
    if code == "chain_none":
        return _("园区尚无本环节及上下游环节企业")
    if code == "chain_firms":
        return _("园区有本环节企业 %(segment)s 家、上下游环节企业 %(neighbours)s 家") % {
            "segment": p("segment"),
            "neighbours": p("neighbours"),
        }
    if code == "policies_none":
        return _("暂无适用于该园区的有效政策")
    if code == "policies_local":
        return _("适用本地政策:%(titles)s") % {"titles": _list(p("titles"))}
    if code == "policies_shared":
        return _("共建园区共享政策:%(titles)s") % {"titles": _list(p("titles"))}
    if code == "partners":
        return _("共建或联动:%(names)s") % {"names": _list(p("names"))}
    if code == "positioning_unknown":
        return _("所在地产业定位尚未计算或数据不足")
    if code == "positioning_present":
        return _("所在地已具备该产业的比较优势(%(source)s)") % {"source": p("source")}
    if code == "positioning_quadrant":
        return _("所在地产业定位:%(quadrant)s,推荐第 %(rank)s 位(%(source)s)") % {
            "quadrant": QUADRANT_LABELS.get(p("quadrant"), p("quadrant")),
            "rank": p("rank"),
            "source": p("source"),
        }
    return code


# ---------------------------------------------------------------- writes

NEEDS_FIELDS = ("power_kva", "water_tpd", "chain", "segment", "note")
CAPACITY_FIELDS = ("power_kva", "water_tpd", "note")


def _positive(data: dict[str, Any], name: str, allow_zero: bool = False) -> None:
    value = data.get(name)
    if value is None:
        return
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            raise Invalid.on(name, _("请填写数字。")) from None
        data[name] = value
    if value < 0 or (value == 0 and not allow_zero):
        raise Invalid.on(name, _("须为正数。") if not allow_zero else _("不能为负数。"))
    if value != value.quantize(Decimal("0.01")):
        raise Invalid.on(name, _("最多两位小数。"))


@transaction.atomic
def save_needs(user: User, project: Project, **data: Any) -> SitingNeeds:
    """The project's power and water needs and, optionally, its chain segment by hand."""
    ensure_can_write(user, project.owner_id)
    unknown = set(data) - set(NEEDS_FIELDS)
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name in ("power_kva", "water_tpd"):
        _positive(data, name)
    chain, segment = data.get("chain", "") or "", data.get("segment", "") or ""
    if bool(chain) != bool(segment):
        raise Invalid.on("segment", _("产业链与环节须同时填写或同时留空。"))
    if chain:
        found = catalog.chains().get(chain)
        if found is None:
            raise Invalid.on("chain", _("未知的产业链:%(key)s") % {"key": chain})
        if segment not in {s.key for s in found.segments}:
            raise Invalid.on(
                "segment",
                _("产业链“%(chain)s”没有环节“%(segment)s”")
                % {"chain": found.name, "segment": segment},
            )
    row, _made = SitingNeeds.objects.get_or_create(project=project)
    for name in NEEDS_FIELDS:
        if name in data:
            value = data[name]
            setattr(row, name, value if name in ("power_kva", "water_tpd") else (value or ""))
    row.updated_by = user
    row.illustrative = False
    row.save()
    row.refresh_from_db()
    return row


@transaction.atomic
def save_capacity(user: User, park: Park, **data: Any) -> ParkCapacity:
    """A park's spare power and water, written by the park's organisation."""
    ensure_can_write(user, park.owner_id)
    unknown = set(data) - set(CAPACITY_FIELDS)
    if unknown:
        raise Invalid(_("未知字段: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name in ("power_kva", "water_tpd"):
        _positive(data, name, allow_zero=True)
    row, _made = ParkCapacity.objects.get_or_create(park=park)
    for name in CAPACITY_FIELDS:
        if name in data:
            setattr(row, name, data[name] if name != "note" else (data[name] or ""))
    row.updated_by = user
    row.illustrative = False
    row.save()
    row.refresh_from_db()
    return row


def segment_choices() -> list[tuple[str, str]]:
    """(chain:segment, 链 · 环节) for the needs form."""
    return [
        (f"{key}:{segment.key}", f"{chain.name} · {segment.name}")
        for key, chain in catalog.chains().items()
        for segment in chain.segments
    ]
