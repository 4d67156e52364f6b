"""What a place holds: the enterprises and projects a chain map of it counts.

A place is written as `kind:id`: `region:510106` (a region at any level, and everything
inside it), `park:12` (a park and its sub-parks), `cobuild:3` (a co-built park agreement: its
parks and the enterprises it covers), `linkage:4` (a park linkage's member parks) or
`metro:chengdu_metro` (a metro area's member regions). An enterprise is in a place when it is
registered there or has a site (headquarters, R&D, manufacturing …) there; a project when it
lands in one of its regions or parks. A co-built park agreement is a place only for the
organisations that may see it (its parties and its drafter).

Partner regions (where a site makes a target more attractive) are the other side of the
place's co-built park agreements and park linkages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.chains.models import MetroArea
from parklink.cobuild.models import Agreement, CoveredEnterprise
from parklink.cobuild.queries import get_visible as visible_agreement
from parklink.cobuild.queries import visible_agreements
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise, EnterpriseSite
from parklink.parks.models import LinkageMember, Park, ParkLinkage
from parklink.projects.queries import park_and_below
from parklink.regions.models import Region

KINDS = ("region", "park", "cobuild", "linkage", "metro")


@dataclass(frozen=True)
class Place:
    ref: str
    kind: str
    name: str
    region: Region | None  # where distances are measured from, and a lead lands by default
    region_paths: tuple[str, ...] = ()
    park_ids: tuple[int, ...] = ()
    covered_ids: tuple[int, ...] = ()  # enterprises a co-built park agreement covers
    partners: tuple[Region, ...] = field(default=(), compare=False)
    members: tuple[Region, ...] = field(default=(), compare=False)  # a metro area's regions
    park: Park | None = field(default=None, compare=False)

    def _paths_q(self, prefix: str) -> Q:
        parts = [
            Q(**{f"{prefix}path": path}) | Q(**{f"{prefix}path__startswith": path + "/"})
            for path in self.region_paths
        ]
        return reduce(or_, parts, Q(pk__in=[]))

    def site_q(self) -> Q:
        """Sites in the place (on EnterpriseSite)."""
        condition = Q(pk__in=[])
        if self.region_paths:
            condition |= self._paths_q("region__")
        if self.park_ids:
            condition |= Q(park_id__in=self.park_ids)
        return condition

    def enterprise_q(self) -> Q:
        """Enterprises registered in the place, with a site in it, or covered by its agreement."""
        condition = Q(pk__in=EnterpriseSite.objects.filter(self.site_q()).values("enterprise_id"))
        if self.region_paths:
            condition |= self._paths_q("region__")
        if self.covered_ids:
            condition |= Q(pk__in=self.covered_ids)
        return condition

    def enterprises(self) -> QuerySet[Enterprise]:
        return Enterprise.objects.filter(self.enterprise_q())

    def project_q(self) -> Q:
        """Projects landing in the place (on Project)."""
        condition = Q(pk__in=[])
        if self.region_paths:
            condition |= self._paths_q("region__")
        if self.park_ids:
            condition |= Q(park_id__in=self.park_ids)
        return condition

    def contains_region(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.region_paths)


def _bad(ref: str) -> Invalid:
    return Invalid.on(
        "place",
        _(
            "无法识别的地点“%(ref)s”:应为 region:行政区划代码、park:园区编号、cobuild:协议编号、"
            "linkage:联动编号 或 metro:都市圈代码"
        )
        % {"ref": ref},
    )


def _missing(ref: str) -> NotFound:
    return NotFound(_("地点“%(ref)s”不存在或无权查看。") % {"ref": ref}, detail={"place": ref})


def _partner_regions(user: User, park_ids: list[int], own_paths: tuple[str, ...]) -> list[Region]:
    """Regions on the other side of the parks' agreements (visible ones) and linkages."""
    agreements = visible_agreements(user).filter(parks__in=park_ids).distinct()
    regions: dict[str, Region] = {}
    other_parks = Park.objects.filter(cobuild_agreements__in=agreements).exclude(pk__in=park_ids)
    linked = LinkageMember.objects.filter(
        linkage__in=LinkageMember.objects.filter(park_id__in=park_ids).values("linkage_id")
    ).exclude(park_id__in=park_ids)
    other_parks = other_parks | Park.objects.filter(pk__in=linked.values("park_id"))
    for park in other_parks.select_related("region").distinct():
        regions[park.region.path] = park.region
    for agreement in agreements.prefetch_related("parties__organization__region"):
        for party in agreement.parties.all():
            region = party.organization.region
            regions[region.path] = region
    return [
        region
        for path, region in sorted(regions.items())
        if not any(path == p or path.startswith(p + "/") for p in own_paths)
    ]


def resolve(user: User, ref: str) -> Place:
    """The place a reference names, as `user` may see it (NotFound otherwise)."""
    kind, sep, key = (ref or "").strip().partition(":")
    if not sep or kind not in KINDS or not key:
        raise _bad(ref)
    ref = f"{kind}:{key}"
    if kind == "metro":
        metro = MetroArea.objects.filter(key=key).first()
        if metro is None:
            raise _missing(ref)
        members = tuple(
            m.region for m in metro.members.select_related("region").order_by("order", "pk")
        )
        return Place(
            ref,
            kind,
            metro.name,
            members[0] if members else None,
            region_paths=tuple(region.path for region in members),
            members=members,
        )
    if kind == "region":
        region = Region.objects.filter(pk=key).first()
        if region is None:
            raise _missing(ref)
        park_ids = list(
            Park.objects.filter(
                Q(region__path=region.path) | Q(region__path__startswith=region.path + "/")
            ).values_list("pk", flat=True)
        )
        return Place(
            ref,
            kind,
            region.full_name,
            region,
            region_paths=(region.path,),
            partners=tuple(_partner_regions(user, park_ids, (region.path,))),
        )
    if not key.isdigit():
        raise _bad(ref)
    pk = int(key)
    if kind == "park":
        park = Park.objects.select_related("region").filter(pk=pk).first()
        if park is None:
            raise _missing(ref)
        ids = park_and_below(park.pk)
        return Place(
            ref,
            kind,
            park.name,
            park.region,
            park_ids=tuple(ids),
            partners=tuple(_partner_regions(user, ids, ())),
            park=park,
        )
    if kind == "cobuild":
        try:
            agreement: Agreement = visible_agreement(user, pk)
        except NotFound:
            raise _missing(ref) from None
        parks = list(agreement.parks.select_related("region"))
        ids = sorted({i for park in parks for i in park_and_below(park.pk)})
        covered = CoveredEnterprise.objects.filter(agreement=agreement)
        partners = {
            p.organization.region.path: p.organization.region
            for p in agreement.parties.select_related("organization__region")
        }
        return Place(
            ref,
            kind,
            agreement.title,
            parks[0].region if parks else None,
            park_ids=tuple(ids),
            covered_ids=tuple(covered.values_list("enterprise_id", flat=True)),
            partners=tuple(partners[path] for path in sorted(partners)),
            park=parks[0] if len(parks) == 1 else None,
        )
    linkage = ParkLinkage.objects.filter(pk=pk).first()
    if linkage is None:
        raise _missing(ref)
    parks = [m.park for m in linkage.members.select_related("park__region").order_by("order")]
    ids = sorted({i for park in parks for i in park_and_below(park.pk)})
    return Place(
        ref,
        kind,
        linkage.name,
        parks[0].region if parks else None,
        park_ids=tuple(ids),
        partners=tuple(_partner_regions(user, ids, ())),
    )


def member_places(place: Place) -> list[Place]:
    """A metro area's member regions, each a place of its own."""
    return [
        Place(f"region:{region.adcode}", "region", region.name, region, (region.path,))
        for region in place.members
    ]


def choices(user: User) -> list[tuple[str, str]]:
    """Places to pick from on a page: metro areas, co-built parks the user sees, linkages."""
    found: list[tuple[str, str]] = []
    found += [(f"metro:{m.key}", f"{m.name}({_('都市圈')})") for m in MetroArea.objects.all()]
    found += [
        (f"cobuild:{a.pk}", f"{a.title}({_('共建园区')})")
        for a in visible_agreements(user).order_by("title")
    ]
    found += [
        (f"linkage:{pk}", f"{name}({_('园区联动')})")
        for pk, name in ParkLinkage.objects.order_by("name").values_list("pk", "name")
    ]
    found += [
        (f"park:{pk}", name) for pk, name in Park.objects.order_by("name").values_list("pk", "name")
    ]
    return found
