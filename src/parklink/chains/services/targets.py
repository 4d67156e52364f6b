"""Targets (精准招商): enterprises outside a place that could fill its weak or missing segments,
ranked with their reasons (`chains.ranking`), and the lead a target becomes.

`make_lead` creates the lead through the project library's own service
(`projects.services.create_project`: the user's organisation owns it, its write rules apply)
and records the gap it fills (`ChainLead`: template version, segment, label, place, score and
reasons); the project's 来源说明 says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.chains import ranking
from parklink.chains.coverage import Label
from parklink.chains.models import Assignment, ChainLead, ChainTemplate
from parklink.chains.services import classification
from parklink.chains.services import coverage as coverage_rules
from parklink.chains.services.coverage import Coverage, flags_of
from parklink.chains.services.places import Place
from parklink.core.errors import Conflict, Invalid, NotFound
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.projects.lifecycle import Stage
from parklink.projects.models import LeadSource, Project
from parklink.projects.services import create_project

DEFAULT_LIMIT = 50
DEFAULT_WEIGHTS = ranking.Weights()
CANDIDATE_FIELDS = (
    "enterprise__registered_capital",
    "enterprise__is_chain_leader",
    "enterprise__is_listed",
    "enterprise__is_high_tech",
    "enterprise__is_specialised_sme",
    "enterprise__is_above_scale",
    "enterprise__region__longitude",
    "enterprise__region__latitude",
)
MAX_LIMIT = 500
FEN = 100


@dataclass
class Target:
    ranked: ranking.Ranked
    enterprise: Enterprise
    segment_name: str
    label: Label
    lead: ChainLead | None  # the user's organisation's lead for this gap, if made already

    @property
    def score(self) -> float:
        return self.ranked.score


@dataclass
class TargetList:
    coverage: Coverage
    segments: list[str]  # the gap segments the list is for
    targets: list[Target]


def _gap_keys(found: Coverage, segments: Sequence[str] | None) -> list[str]:
    known = {item.key for item in found.segments}
    if segments:
        unknown = [key for key in segments if key not in known]
        if unknown:
            raise Invalid.on(
                "segment",
                _("产业链“%(chain)s”没有环节 %(keys)s")
                % {"chain": found.chain.name, "keys": ", ".join(unknown)},
            )
        return list(dict.fromkeys(segments))
    return [item.key for item in found.gaps]


def targets(
    user: User,
    place: Place,
    template: ChainTemplate,
    segments: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    weights: ranking.Weights = DEFAULT_WEIGHTS,
    enterprise_id: int | None = None,
) -> TargetList:
    """Ranked enterprises outside the place for its gap segments (or the segments given).

    `enterprise_id` scores that one enterprise only (a lead is made from it, wherever it ranks).
    """
    limit = max(1, min(limit, MAX_LIMIT))
    found = coverage_rules.coverage(user, place, template)
    gaps = _gap_keys(found, segments)
    if not gaps:
        return TargetList(found, [], [])
    counts = {item.key: item.enterprises for item in found.segments}
    neighbours = {
        key: ranking.neighbours_of(
            key,
            [s.key for s in found.chain.upstream_of(key)],
            [s.key for s in found.chain.downstream_of(key)],
            counts,
        )
        for key in gaps
    }
    # The enterprises outside the place with a row in a gap segment, read once with every
    # figure the ranking needs (all their rows: a correction elsewhere still wins).
    pool = Assignment.objects.filter(template=template, segment__in=gaps).exclude(
        enterprise_id__in=place.enterprises().values("pk")
    )
    if enterprise_id is not None:
        pool = pool.filter(enterprise_id=enterprise_id)
    outside = pool.values("enterprise_id")
    width = len(classification.LEAN_FIELDS)
    rows = list(
        Assignment.objects.filter(template=template, enterprise_id__in=outside)
        .order_by()
        .values_list(*classification.LEAN_FIELDS, *CANDIDATE_FIELDS)
    )
    placed = classification.effective(row[:width] for row in rows)
    info = {row[0]: row[width:] for row in rows}
    wanted = set(gaps)
    partner_of = _partner_sites(place, outside)
    origin = place.region
    candidates = []
    for (enterprise_id, _t), items in placed.items():
        capital, leader, listed, high_tech, specialised, above, lon, lat = info[enterprise_id]
        distance = None
        if (
            origin is not None
            and origin.longitude is not None
            and origin.latitude is not None
            and lon is not None
            and lat is not None
        ):
            distance = ranking.haversine_km(origin.longitude, origin.latitude, lon, lat)
        for item in items:
            if item.segment not in wanted:
                continue
            candidates.append(
                ranking.Candidate(
                    enterprise_id=enterprise_id,
                    segment=item.segment,
                    fit=item.score,
                    confirmed=item.confirmed,
                    capital_fen=int(capital * FEN) if capital is not None else None,
                    flags=flags_of(leader, listed, high_tech, specialised, above),
                    partner_region=partner_of.get(enterprise_id, ""),
                    distance_km=distance,
                )
            )
    ranked = ranking.rank(candidates, neighbours, weights, limit)
    enterprises = Enterprise.objects.select_related("region").in_bulk(
        [item.candidate.enterprise_id for item in ranked]
    )
    leads = {
        (lead.enterprise_id, lead.segment): lead
        for lead in ChainLead.objects.filter(
            template=template,
            place=place.ref,
            project__owner_id=user.organization_id,
            enterprise_id__in=[r.candidate.enterprise_id for r in ranked],
        ).select_related("project")
    }
    names = {segment.key: segment.name for segment in found.chain.segments}
    return TargetList(
        found,
        gaps,
        [
            Target(
                ranked=item,
                enterprise=enterprises[item.candidate.enterprise_id],
                segment_name=names[item.candidate.segment],
                label=found.figures(item.candidate.segment).label,
                lead=leads.get((item.candidate.enterprise_id, item.candidate.segment)),
            )
            for item in ranked
        ],
    )


def _partner_sites(place: Place, outside: QuerySet[Any]) -> dict[int, str]:
    """Enterprise → the name of a partner region where it has a site (one query)."""
    if not place.partners:
        return {}
    condition = Q(pk__in=[])
    for region in place.partners:
        condition |= Q(region__path=region.path) | Q(region__path__startswith=region.path + "/")
    found: dict[int, str] = {}
    for enterprise_id, name in (
        EnterpriseSite.objects.filter(condition, enterprise_id__in=outside)
        .order_by("enterprise_id", "pk")
        .values_list("enterprise_id", "region__name")
    ):
        found.setdefault(enterprise_id, name)
    return found


def reason_texts(target_ranked: ranking.Ranked, names: dict[str, str]) -> list[str]:
    """The reasons in words (the active language)."""
    texts: list[str] = []
    for reason in target_ranked.reasons:
        figures = reason.figures
        if reason.code == "fit":
            texts.append(_("环节匹配度 %(score).2f") % {"score": figures["score"]})
        elif reason.code == "confirmed":
            texts.append(_("环节归属已人工确认"))
        elif reason.code == "capital":
            yuan = Decimal(figures["fen"]) / FEN
            texts.append(_("注册资本 %(wan)s 万元") % {"wan": f"{yuan / 10000:,.0f}"})
        elif reason.code == "leader":
            texts.append(_("链主企业"))
        elif reason.code == "listed":
            texts.append(_("上市企业"))
        elif reason.code == "high_tech":
            texts.append(_("高新技术企业"))
        elif reason.code == "specialised":
            texts.append(_("专精特新"))
        elif reason.code in ("supplies", "buys"):
            parts = "、".join(
                f"{names.get(key, key)} {count} 家" for key, count in figures["segments"].items()
            )
            if reason.code == "supplies":
                texts.append(_("可向本地下游企业供货:%(parts)s") % {"parts": parts})
            else:
                texts.append(_("可从本地上游企业采购:%(parts)s") % {"parts": parts})
        elif reason.code == "partner_site":
            texts.append(_("在合作地区 %(region)s 有基地") % {"region": figures["region"]})
        elif reason.code == "distance":
            texts.append(_("距离约 %(km)s 公里") % {"km": figures["km"]})
    return texts


@transaction.atomic
def make_lead(
    user: User,
    place: Place,
    template: ChainTemplate,
    segment: str,
    enterprise_id: int,
) -> ChainLead:
    """Turn a target into a lead of the user's organisation, the gap recorded as its reason."""
    found = targets(user, place, template, [segment], enterprise_id=enterprise_id)
    target = next(
        (
            t
            for t in found.targets
            if t.enterprise.pk == enterprise_id and t.ranked.candidate.segment == segment
        ),
        None,
    )
    if target is None:
        if not Enterprise.objects.filter(pk=enterprise_id).exists():
            raise NotFound(_("企业不存在。"), detail={"enterprise": enterprise_id})
        raise Invalid.on(
            "enterprise",
            _("该企业不是此环节在本地之外的推荐目标(可能已在本地,或未归入该环节)"),
        )
    if target.lead is not None and target.lead.project.stage != Stage.TERMINATED:
        raise Conflict(
            _("本机构已为该企业和环节建立线索:%(name)s") % {"name": target.lead.project.name},
            detail={"project": target.lead.project_id},
        )
    version = found.coverage.version
    label_name = coverage_rules.label_names()[target.label.code]
    reason = _("产业链补链:%(place)s %(chain)s·%(segment)s(%(label)s,模板 v%(n)s)") % {
        "place": place.name,
        "chain": found.coverage.chain.name,
        "segment": target.segment_name,
        "label": label_name,
        "n": version.number,
    }
    names = {s.key: s.name for s in found.coverage.chain.segments}
    reasons = reason_texts(target.ranked, names)
    region = place.region or (user.organization.region if user.organization else None)
    if region is None:
        raise Invalid.on("place", _("无法确定线索的落地行政区"))
    project: Project = create_project(
        user,
        name=_("%(enterprise)s(%(segment)s补链)")
        % {
            "enterprise": target.enterprise.name,
            "segment": target.segment_name,
        },
        region=region,
        park=place.park,
        investor=target.enterprise,
        sector=found.coverage.chain.name[:64],
        industry_code=target.enterprise.industry_code,
        description="\n".join([reason, *reasons]),
        lead_source=LeadSource.OTHER,
        lead_source_detail=reason[:255],
        note=reason,
    )
    return ChainLead.objects.create(
        project=project,
        template=template,
        version=version,
        segment=segment,
        label=target.label.code,
        place=place.ref,
        place_name=place.name[:128],
        enterprise=target.enterprise,
        score=target.score,
        reasons=reasons,
        created_by=user,
    )
