"""Coverage and gaps of one chain in a place, places compared, a metro area's division of labour.

Per segment: the enterprises placed in it (corrections first, then the classifier's accepted
candidates), their registered capital (exact, in 元), chain leaders, listed, high-tech and
specialised firms, the user's visible projects landing in the place by stage, and the label
from the organisation's gap rules (`coverage.Rules`, defaults in docs/chains.md). A project
counts in a segment when it was made from a target of that segment, else when its investor is
placed there, else when the classifier places its own name and description there.

A fixed number of queries per map, whatever the size of the place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.chains import classify
from parklink.chains import coverage as pure
from parklink.chains.catalog import Chain, Segment
from parklink.chains.models import Assignment, ChainLead, ChainTemplate, GapRules, MetroLead
from parklink.chains.services import classification
from parklink.chains.services import templates as template_rules
from parklink.chains.services.places import Place, member_places
from parklink.enterprises.models import Enterprise, EnterpriseSite, SiteRole
from parklink.projects.models import Project
from parklink.projects.queries import visible_projects

FEN = 100
CENT = Decimal("0.01")
RND_ROLES = (SiteRole.RND, SiteRole.HEADQUARTERS)


def rules_for(user: User) -> pure.Rules:
    """The user's organisation's gap rules (the documented defaults when it has none)."""
    found = (
        GapRules.objects.filter(organization_id=user.organization_id).first()
        if user.organization_id
        else None
    )
    if found is None:
        return pure.Rules()
    return pure.Rules(
        strong_enterprises=found.strong_enterprises,
        strong_leader_enterprises=found.strong_leader_enterprises,
        strong_capital_fen=int(found.strong_capital * FEN),
        present_enterprises=found.present_enterprises,
    )


def flags_of(leader: bool, listed: bool, high_tech: bool, specialised: bool, above: bool) -> int:
    return (
        (pure.LEADER if leader else 0)
        | (pure.LISTED if listed else 0)
        | (pure.HIGH_TECH if high_tech else 0)
        | (pure.SPECIALISED if specialised else 0)
        | (pure.ABOVE_SCALE if above else 0)
    )


ENTERPRISE_FIELDS = (
    "pk",
    "registered_capital",
    "is_chain_leader",
    "is_listed",
    "is_high_tech",
    "is_specialised_sme",
    "is_above_scale",
)


@dataclass
class ProjectRow:
    pk: int
    name: str
    stage: str
    stage_label: str
    segment: str
    basis: str  # "lead" | "investor" | "text"


@dataclass
class SegmentFigures:
    segment: Segment
    depth: int
    enterprises: int = 0
    capital: Decimal = Decimal("0.00")
    leaders: int = 0
    listed: int = 0
    high_tech: int = 0
    specialised: int = 0
    projects: dict[str, int] = field(default_factory=dict)
    label: pure.Label = pure.Label.MISSING
    rnd_sites: int = 0
    manufacturing_sites: int = 0

    @property
    def key(self) -> str:
        return self.segment.key

    @property
    def project_total(self) -> int:
        return sum(self.projects.values())


@dataclass
class Coverage:
    place: Place
    template: ChainTemplate
    version: Any  # TemplateVersion
    chain: Chain
    rules: pure.Rules
    segments: list[SegmentFigures]
    members: dict[str, list[int]]  # segment → enterprise ids (best score first)
    scores: dict[tuple[int, str], classification.Placement]
    project_rows: list[ProjectRow]
    enterprise_total: int
    assignment_versions: list[int]
    classified_at: Any

    def figures(self, key: str) -> SegmentFigures:
        return next(item for item in self.segments if item.key == key)

    @property
    def gaps(self) -> list[SegmentFigures]:
        return [s for s in self.segments if s.label <= pure.Label.WEAK]

    def label_counts(self) -> dict[str, int]:
        counts = {label.code: 0 for label in pure.Label}
        for item in self.segments:
            counts[item.label.code] += 1
        return counts


def depth_of(chain: Chain) -> dict[str, int]:
    """Each segment's column on the map: its longest supply path from the chain's sources."""
    depth = {segment.key: 0 for segment in chain.segments}
    stage_rank = {"upstream": 0, "midstream": 1, "downstream": 2}
    for _round in range(len(chain.segments)):
        changed = False
        for supplier, buyer in chain.edges:
            if depth[buyer] < depth[supplier] + 1:
                depth[buyer] = depth[supplier] + 1
                changed = True
        if not changed:
            break
    # Segments without edges sit by their stage; sub-segments one column right of the parent.
    for segment in chain.segments:
        has_edge = any(segment.key in edge for edge in chain.edges)
        if not has_edge:
            depth[segment.key] = (
                depth[segment.parent] + 1 if segment.parent else stage_rank[segment.stage] * 2
            )
    return depth


@lru_cache(maxsize=64)
def _classifier(chain: Chain) -> Any:
    return classify.Classifier([chain])


def _project_rows(
    user: User, place: Place, template: ChainTemplate, chain: Chain
) -> list[ProjectRow]:
    in_place = visible_projects(user).filter(place.project_q())
    projects = list(
        in_place.order_by().values_list(
            "pk", "name", "stage", "investor_id", "sector", "description"
        )
    )
    if not projects:
        return []
    leads = dict(
        ChainLead.objects.filter(project_id__in=in_place.values("pk"), template=template)
        .order_by()
        .values_list("project_id", "segment")
    )
    placed = (
        classification.placements(
            [template.pk],
            Enterprise.objects.filter(pk__in=in_place.values("investor_id")),
        )
        if any(row[3] is not None for row in projects)
        else {}
    )
    stages = dict(Project._meta.get_field("stage").choices or [])
    known = {segment.key for segment in chain.segments}
    rows: list[ProjectRow] = []
    for pk, name, stage, investor, sector, description in projects:
        found: list[tuple[str, str]] = []
        if leads.get(pk) in known:
            found = [(leads[pk], "lead")]
        elif investor is not None and placed.get((investor, template.pk)):
            found = [(p.segment, "investor") for p in placed[(investor, template.pk)]]
        else:
            text = " ".join(part for part in (sector, description) if part)
            for candidate in _classifier(chain).classify(name, text, None):
                segment = getattr(candidate.segment, "key", candidate.segment)
                if candidate.score >= classify.ACCEPT and segment in known:
                    found = [(segment, "text")]
                    break
        for segment, basis in found:
            rows.append(ProjectRow(pk, name, stage, str(stages.get(stage, stage)), segment, basis))
    return rows


def coverage(
    user: User,
    place: Place,
    template: ChainTemplate,
    rules: pure.Rules | None = None,
    with_sites: bool = False,
) -> Coverage:
    """The chain's coverage in the place as `user` sees it (their projects, their rules)."""
    version = template_rules.current_version(template)
    chain = template_rules.chain_of(version)
    rules = rules or rules_for(user)
    # One query: the template's rows of the place's enterprises, with what the figures need.
    rows = list(
        Assignment.objects.filter(
            template=template, enterprise_id__in=place.enterprises().values("pk")
        )
        .order_by()
        .values_list(
            *classification.LEAN_FIELDS,
            "version__number",
            *(f"enterprise__{name}" for name in ENTERPRISE_FIELDS[1:]),
        )
    )
    width = len(classification.LEAN_FIELDS)
    placed = classification.effective(row[:width] for row in rows)
    info = {row[0]: (row[0], *row[width + 1 :]) for row in rows}
    used_versions = sorted({row[width] for row in rows})
    keys = [segment.key for segment in chain.segments]
    index = {key: position for position, key in enumerate(keys)}
    members: dict[str, list[int]] = defaultdict(list)
    scores: dict[tuple[int, str], classification.Placement] = {}
    seg_ids, capital, flags = [], [], []
    for (enterprise_id, _t), items in placed.items():
        row = info.get(enterprise_id)
        if row is None:
            continue
        for item in {p.segment: p for p in items}.values():
            if item.segment not in index:
                continue  # a segment the current version no longer has
            members[item.segment].append(enterprise_id)
            scores[(enterprise_id, item.segment)] = item
            seg_ids.append(index[item.segment])
            capital.append(int((row[1] or 0) * FEN))
            flags.append(flags_of(*row[2:]))
    found = pure.tally(seg_ids, [0] * len(seg_ids), capital, flags, len(keys), 1)
    label_codes = pure.labels(found, rules)
    depth = depth_of(chain)
    projects = _project_rows(user, place, template, chain)
    per_segment: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for project in projects:
        per_segment[project.segment][project.stage] += 1
    segments = []
    for position, segment in enumerate(chain.segments):
        segments.append(
            SegmentFigures(
                segment=segment,
                depth=depth[segment.key],
                enterprises=int(found.enterprises[0, position]),
                capital=(Decimal(int(found.capital_fen[0, position])) / FEN).quantize(CENT),
                leaders=int(found.leaders[0, position]),
                listed=int(found.listed[0, position]),
                high_tech=int(found.high_tech[0, position]),
                specialised=int(found.specialised[0, position]),
                projects=dict(per_segment.get(segment.key, {})),
                label=pure.Label(int(label_codes[0, position])),
            )
        )
    for key, ids in members.items():
        ids.sort(key=lambda pk: (-scores[(pk, key)].score, -(info[pk][1] or 0), pk))
    coverage = Coverage(
        place=place,
        template=template,
        version=version,
        chain=chain,
        rules=rules,
        segments=segments,
        members=dict(members),
        scores=scores,
        project_rows=projects,
        enterprise_total=len({pk for ids in members.values() for pk in ids}),
        assignment_versions=used_versions,
        classified_at=version.classified_at,
    )
    if with_sites:
        _count_sites(coverage)
    return coverage


def _count_sites(found: Coverage) -> None:
    """Per segment: the place's enterprises with an R&D (or HQ) site and a manufacturing site."""
    if not found.members:
        return
    in_chain = Assignment.objects.filter(template=found.template).values("enterprise_id")
    roles: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, role in (
        EnterpriseSite.objects.filter(found.place.site_q(), enterprise_id__in=in_chain)
        .order_by()
        .values_list("enterprise_id", "role")
    ):
        roles[enterprise_id].add(role)
    for item in found.segments:
        ids = found.members.get(item.key, [])
        item.rnd_sites = sum(1 for pk in ids if roles[pk] & set(RND_ROLES))
        item.manufacturing_sites = sum(1 for pk in ids if SiteRole.MANUFACTURING in roles[pk])


def segment_enterprises(found: Coverage, key: str) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(pk__in=found.members.get(key, [])).select_related("region")


def compare(user: User, places: Sequence[Place], template: ChainTemplate) -> list[Coverage]:
    """The same chain in several places, with who has R&D and who has manufacturing sites."""
    rules = rules_for(user)
    return [coverage(user, place, template, rules, with_sites=True) for place in places]


# ---------------------------------------------------------------- a metro area


@dataclass
class CityShare:
    place: Place
    labels: dict[str, pure.Label]  # segment key → label
    enterprises: int

    def carried(self, chain: Chain) -> list[Segment]:
        return [s for s in chain.segments if self.labels.get(s.key, 0) >= pure.Label.PRESENT]

    def roles(self, chain: Chain) -> list[str]:
        return sorted({s.role for s in self.carried(chain)})


@dataclass
class ChainDivision:
    template: ChainTemplate
    chain: Chain
    version: Any
    lead: MetroLead | None
    cities: list[CityShare]


def metro_division(user: User, metro: Place) -> list[ChainDivision]:
    """For every visible shipped chain: its lead city and the segments each member carries.

    One query per member city for its enterprises, one for every placement, one for the
    leads; the labels use the user's organisation's rules.
    """
    rules = rules_for(user)
    cities = member_places(metro)
    templates = template_rules.visible_templates(user).filter(owner__isnull=True)
    versions = template_rules.current_versions(templates)
    city_members = [
        set(city.enterprises().order_by().values_list("pk", flat=True)) for city in cities
    ]
    everyone = metro.enterprises()
    info = {row[0]: row for row in everyone.order_by().values_list(*ENTERPRISE_FIELDS)}
    placed = classification.placements(list(versions), everyone)
    by_template: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (enterprise_id, template_id), items in placed.items():
        for item in items:
            by_template[template_id].append((enterprise_id, item.segment))
    metro_key = metro.ref.split(":", 1)[1]
    leads = {
        lead.chain_key: lead
        for lead in MetroLead.objects.filter(metro__key=metro_key).select_related("region")
    }
    result = []
    for template_id, version in sorted(versions.items(), key=lambda kv: kv[1].template.key):
        chain = template_rules.chain_of(version)
        keys = [segment.key for segment in chain.segments]
        index = {key: position for position, key in enumerate(keys)}
        seg_ids, place_ids, capital, flags = [], [], [], []
        for enterprise_id, segment in by_template.get(template_id, []):
            if segment not in index:
                continue
            row = info[enterprise_id]
            for city_index, ids in enumerate(city_members):
                if enterprise_id in ids:
                    seg_ids.append(index[segment])
                    place_ids.append(city_index)
                    capital.append(int((row[1] or 0) * FEN))
                    flags.append(flags_of(*row[2:]))
        found = pure.tally(seg_ids, place_ids, capital, flags, len(keys), len(cities))
        codes = pure.labels(found, rules)
        shares = [
            CityShare(
                place=city,
                labels={key: pure.Label(int(codes[c, i])) for i, key in enumerate(keys)},
                enterprises=int(found.enterprises[c].sum()),
            )
            for c, city in enumerate(cities)
        ]
        result.append(ChainDivision(version.template, chain, version, leads.get(chain.key), shares))
    # Chains the metro area names first (in the order of their lead), then the others.
    result.sort(key=lambda d: (d.lead is None, d.template.key))
    return result


def label_names() -> dict[str, str]:
    return {
        "strong": _("强"),
        "present": _("有"),
        "weak": _("弱"),
        "missing": _("缺"),
    }
