"""Supply–demand listings: posting with automatic tags, corrections, matches, duplicates."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from parklink.accounts.models import User
from parklink.accounts.services import ensure_can_write
from parklink.chains import industry_codes
from parklink.chains.models import MetroMember
from parklink.core.errors import Invalid, NotFound
from parklink.enterprises.models import Enterprise
from parklink.matching.models import Listing, ListingStatus, Meeting, RegionPreference, Side
from parklink.matching.queries import visible_listings
from parklink.matching.scoring import proximity
from parklink.matching.scoring.rank import NEED, SUPPLY, ListingIndex, Match, Row
from parklink.matching.scoring.tokens import tokenize
from parklink.matching.services import catalog
from parklink.regions.models import Region

EDITABLE = (
    "side",
    "kind",
    "title",
    "description",
    "quantity",
    "unit",
    "period",
    "region_preference",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# The verbs of a listing say which side it is on, not what the firm does with the thing: the
# classifier reads what is left as a bare list of products (its "no verb" weight).
_LISTING_VERBS = re.compile(r"长期|稳定|批量|采购|求购|寻求|寻找|需要|需求|供应|提供|出售|对外")
DUPLICATE_SIMILARITY = 0.6  # word overlap (Jaccard) of two listings of one enterprise and side


def get_visible(user: Any, pk: int) -> Listing:
    try:
        return visible_listings(user).select_related("enterprise", "region", "owner").get(pk=pk)
    except Listing.DoesNotExist:
        raise NotFound(_("供需信息不存在或无权查看。")) from None


# ---------------------------------------------------------------- tags


def auto_tag(listing: Listing) -> None:
    """Chain segment and GB/T 4754 code from the listing's words (unless corrected by hand)."""
    if listing.tags_corrected:
        return
    text = _LISTING_VERBS.sub("", f"{listing.title};{listing.description}")
    candidates = catalog.classifier().classify(listing.enterprise.name, text, None)
    best = candidates[0] if candidates and candidates[0].score >= catalog.TAG_MIN else None
    if best is None:
        listing.chain = listing.segment = ""
        listing.tag_score = None
        listing.tag_evidence = []
    else:
        listing.chain, listing.segment = best.chain, best.segment
        listing.tag_score = round(best.score, 4)
        listing.tag_evidence = list(best.evidence)
    code = ""
    if best is not None:
        segment = catalog.chains()[best.chain].segment(best.segment)
        code = next((c for c in segment.industry_codes if len(c) == 4), "")
        if not code and segment.industry_codes:
            code = segment.industry_codes[0]
    listing.industry_code = code or listing.enterprise.industry_code or ""


def correct_tags(
    user: User, listing: Listing, chain: str, segment: str, industry_code: str
) -> Listing:
    """A person's tags, which win over the classifier from now on."""
    ensure_can_write(user, listing.owner_id)
    chain, segment, industry_code = chain.strip(), segment.strip(), industry_code.strip()
    if chain or segment:
        found = catalog.chains().get(chain)
        if found is None:
            raise Invalid(_("产业链“%(chain)s”不存在。") % {"chain": chain})
        try:
            found.segment(segment)
        except KeyError:
            raise Invalid(
                _("产业链“%(chain)s”没有环节“%(segment)s”。")
                % {"chain": found.name, "segment": segment}
            ) from None
    if industry_code:
        code = industry_codes.normalise(industry_code)
        if not code or code not in industry_codes.table():
            raise Invalid(_("行业代码“%(code)s”不在 GB/T 4754-2017 中。") % {"code": industry_code})
        industry_code = code
    listing.chain, listing.segment, listing.industry_code = chain, segment, industry_code
    listing.tags_corrected = True
    listing.tag_evidence = [_("人工更正")]
    listing.save()
    changed()
    return listing


# ---------------------------------------------------------------- writes


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: data[key] for key in EDITABLE if key in data}
    if "title" in values and not str(values["title"]).strip():
        raise Invalid(_("名称不能为空。"))
    if "side" in values and values["side"] not in Side.values:
        raise Invalid(_("供需只能是“供给”或“需求”。"))
    quantity = values.get("quantity")
    if quantity is not None and Decimal(str(quantity)) <= 0:
        raise Invalid(_("数量应大于 0。"))
    return values


@transaction.atomic
def create_listing(
    user: User, enterprise: Enterprise, data: Mapping[str, Any], region: Region | None = None
) -> Listing:
    """An officer posts a listing for an enterprise; the owner is the officer's organisation."""
    ensure_can_write(user, user.organization_id)
    values = _clean(data)
    for required in ("side", "kind", "title"):
        if not values.get(required):
            raise Invalid(_("缺少必填项:%(field)s。") % {"field": required})
    owner_id = user.organization_id
    if owner_id is None:
        raise Invalid(_("用户未关联任何机构,不能发布供需信息。"))
    listing = Listing(
        owner_id=owner_id,
        enterprise=enterprise,
        region=region or enterprise.region,
        **values,
    )
    auto_tag(listing)
    listing.save()
    changed()
    return listing


@transaction.atomic
def update_listing(user: User, listing: Listing, data: Mapping[str, Any]) -> Listing:
    ensure_can_write(user, listing.owner_id)
    for key, value in _clean(data).items():
        setattr(listing, key, value)
    auto_tag(listing)
    listing.save()
    changed()
    return listing


def close_listing(user: User, listing: Listing) -> Listing:
    ensure_can_write(user, listing.owner_id)
    listing.status = ListingStatus.CLOSED
    listing.save(update_fields=["status", "updated_at"])
    changed()
    return listing


# ---------------------------------------------------------------- duplicates


def _words(listing: Listing) -> set[str]:
    return set(tokenize(f"{listing.title} {listing.description}"))


def _jaccard(wa: set[str], wb: set[str]) -> float:
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def similarity(a: Listing, b: Listing) -> float:
    """Word overlap of the titles or of title and description, whichever is higher."""
    if a.title.strip() == b.title.strip():
        return 1.0
    titles = _jaccard(set(tokenize(a.title)), set(tokenize(b.title)))
    return max(titles, _jaccard(_words(a), _words(b)))


def duplicates_of(listing: Listing) -> list[tuple[Listing, float]]:
    """Open listings of the same enterprise and side that say nearly the same thing."""
    others = Listing.objects.filter(
        enterprise_id=listing.enterprise_id, side=listing.side, status=ListingStatus.OPEN
    ).exclude(pk=listing.pk)
    found = [(other, similarity(listing, other)) for other in others]
    return sorted(
        [(o, s) for o, s in found if s >= DUPLICATE_SIMILARITY], key=lambda p: (-p[1], p[0].pk)
    )


def duplicate_groups() -> list[list[Listing]]:
    """Every group of reposted listings (same enterprise and side, similar words)."""
    keys = (
        Listing.objects.filter(status=ListingStatus.OPEN)
        .values("enterprise_id", "side")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    groups: list[list[Listing]] = []
    for key in keys:
        rows = list(
            Listing.objects.filter(
                enterprise_id=key["enterprise_id"], side=key["side"], status=ListingStatus.OPEN
            ).order_by("created_at", "id")
        )
        taken: set[int] = set()
        for i, first in enumerate(rows):
            if first.pk in taken:
                continue
            group = [first] + [
                other
                for other in rows[i + 1 :]
                if other.pk not in taken and similarity(first, other) >= DUPLICATE_SIMILARITY
            ]
            if len(group) > 1:
                taken.update(o.pk for o in group)
                groups.append(group)
    return groups


@transaction.atomic
def merge(user: User, keep: Listing, other: Listing) -> Listing:
    """`other` is a repost of `keep`: it closes as merged; events and meetings move to `keep`."""
    ensure_can_write(user, keep.owner_id)
    ensure_can_write(user, other.owner_id)
    if keep.pk == other.pk:
        raise Invalid(_("不能把一条供需信息合并到它自己。"))
    if keep.enterprise_id != other.enterprise_id or keep.side != other.side:
        raise Invalid(_("只能合并同一企业、同一供需方向的信息。"))
    if other.status == ListingStatus.MERGED:
        raise Invalid(_("这条信息已经合并过。"))
    for event in other.events.all():
        event.listings.add(keep)
    field = "supply" if other.side == Side.SUPPLY else "need"
    for meeting in Meeting.objects.filter(**{field: other}):
        clash = Meeting.objects.filter(
            event=meeting.event, **{field: keep, _other(field): getattr(meeting, _other(field))}
        ).exists()
        if not clash:
            setattr(meeting, field, keep)
            meeting.save(update_fields=[field, "updated_at"])
    if not keep.description and other.description:
        keep.description = other.description
    if keep.quantity is None and other.quantity is not None:
        keep.quantity, keep.unit = other.quantity, other.unit
    keep.save()
    other.status = ListingStatus.MERGED
    other.merged_into = keep
    other.save(update_fields=["status", "merged_into", "updated_at"])
    changed()
    return keep


def _other(field: str) -> str:
    return "need" if field == "supply" else "supply"


# ---------------------------------------------------------------- matching


@dataclass
class RankedMatch:
    listing: Listing
    match: Match


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def changed() -> None:
    with _lock:
        _cache.clear()


def _metro_of() -> dict[str, int]:
    return {
        adcode: metro for adcode, metro in MetroMember.objects.values_list("region_id", "metro_id")
    }


def _place(
    adcode: str | None, lat: float | None, lon: float | None, metros: dict[str, int]
) -> proximity.Place:
    metro = -1
    if adcode:
        for key in (adcode, adcode[:4] + "00", adcode[:2] + "0000"):
            if key in metros:
                metro = metros[key]
                break
    return proximity.Place(adcode, metro, lat, lon)


def _row(values: tuple[Any, ...], metros: dict[str, int]) -> Row:
    (pk, side, title, description, chain, segment, adcode, lat, lon, qty, unit, ent, status,
     preference) = values  # fmt: skip
    adjacency = catalog.adjacency()
    return Row(
        id=pk,
        side=SUPPLY if side == Side.SUPPLY else NEED,
        tokens=tuple(tokenize(f"{title} {description}")),
        segment=adjacency.id_of(chain, segment),
        place=_place(adcode, lat, lon, metros),
        quantity=float(qty) if qty is not None else None,
        unit=unit or "",
        enterprise=ent,
        open=status == ListingStatus.OPEN,
        prefer=PREFERENCE_LEVELS.get(preference, 0),
    )


FIELDS = (
    "pk",
    "side",
    "title",
    "description",
    "chain",
    "segment",
    "region_id",
    "region__latitude",
    "region__longitude",
    "quantity",
    "unit",
    "enterprise_id",
    "status",
    "region_preference",
)
PREFERENCE_LEVELS = {
    RegionPreference.PROVINCE: 2,
    RegionPreference.METRO: 3,
    RegionPreference.CITY: 4,
}


def index() -> ListingIndex:
    """The open listings' index, rebuilt when a listing changes (any process: by its stamp)."""
    stamp = Listing.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    key = f"{stamp['n']}:{stamp['last']}"
    with _lock:
        if _cache.get("key") == key:
            return _cache["index"]
    metros = _metro_of()
    rows = [
        _row(values, metros)
        for values in Listing.objects.filter(status=ListingStatus.OPEN).values_list(*FIELDS)
    ]
    built = ListingIndex(rows, catalog.adjacency())
    with _lock:
        _cache.update(key=key, index=built)
    return built


def matches(user: Any, listing: Listing, k: int = 20) -> list[RankedMatch]:
    """The other side's open listings, best first, with the reasons."""
    built = index()
    query = _row(
        tuple(Listing.objects.filter(pk=listing.pk).values_list(*FIELDS).get()), _metro_of()
    )
    found = built.top(query, k)
    by_id = (
        visible_listings(user).select_related("enterprise", "region").in_bulk([m.id for m in found])
    )
    return [RankedMatch(by_id[m.id], m) for m in found if m.id in by_id]


def tag_label(listing: Listing) -> str:
    return catalog.segment_name(listing.chain, listing.segment)
