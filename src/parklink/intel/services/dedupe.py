"""Is an item a project the library (or the queue) already holds?

Candidates are the projects the reviewer's organisation sees (its pipeline and the signed
projects below it) and the organisation's other queued items; `intel.matching` scores them
by name key (simplified, without 项目/一期/有限公司...), investing enterprise (short names
and 简称 inside full names, same pinyin) and place. The best of the organisation's own
projects at or above `matching.SAME` becomes the item's `match`: accepting it updates that
project instead of creating a lead. The extracted enterprise is also looked up in the
enterprise registry.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from parklink.core.text import normalise_name
from parklink.enterprises.models import Enterprise
from parklink.intel import engine, matching
from parklink.intel.models import Item, ItemStatus
from parklink.parks.models import Park
from parklink.projects.models import Project
from parklink.projects.queries import visibility_q as project_visibility_q


def gazetteer() -> Any:
    """The registry's park and enterprise names, for the extractor to recognise."""
    parks = [
        (name, short or "", adcode or "")
        for name, short, adcode in Park.objects.values_list("name", "short_name", "region_id")
    ]
    enterprises = [
        (name, short or "") for name, short in Enterprise.objects.values_list("name", "short_name")
    ]
    return engine.gazetteer(parks, enterprises)


def _project_candidates(item: Item) -> list[matching.Candidate]:
    """The projects the item's organisation sees whose name shares a character pair with it."""
    from parklink.accounts.models import User

    key = matching.project_key(item.data.get("name") or item.name)
    pairs = {key[i : i + 2] for i in range(len(key) - 1)} or {key}
    enterprise = item.data.get("enterprise") or ""
    viewer = User(organization_id=item.owner_id, is_superuser=False)
    # The organisation's visibility: a stand-in user of the organisation (never saved).
    viewer.organization = item.owner
    near = Q()
    for pair in list(pairs)[:40]:
        near |= Q(name__contains=pair)
    ekey = matching.enterprise_key(enterprise) if enterprise else ""
    if ekey:
        near |= Q(investor__name__contains=ekey[:4]) | Q(investor__short_name__contains=ekey[:2])
    rows = (
        Project.objects.filter(project_visibility_q(viewer))
        .filter(near)
        .values_list(
            "pk", "name", "investor__name", "investor__short_name", "region_id", "owner_id"
        )[:500]
    )
    return [
        matching.Candidate(
            "project",
            pk,
            name,
            tuple(e for e in (investor, short) if e),
            adcode or "",
            own=owner_id == item.owner_id,
        )
        for pk, name, investor, short, adcode, owner_id in rows
    ]


def _item_candidates(item: Item) -> list[matching.Candidate]:
    others = (
        Item.objects.filter(owner_id=item.owner_id)
        .exclude(pk=item.pk)
        .exclude(document_id=item.document_id)
        .exclude(status=ItemStatus.REJECTED)
        .only("pk", "name", "data")
        .order_by("-pk")[:2000]
    )
    return [
        matching.Candidate(
            "item",
            other.pk,
            other.data.get("name") or other.name,
            tuple(e for e in [other.data.get("enterprise") or ""] if e),
            other.data.get("adcode") or "",
        )
        for other in others
    ]


def find_enterprise(name: str) -> Enterprise | None:
    """The registry's enterprise of an extracted name: exact, then short name or containment."""
    if not name:
        return None
    exact = Enterprise.objects.filter(normalized_name=normalise_name(name))
    if exact.count() == 1:
        return exact.first()
    key = matching.enterprise_key(name)
    if len(key) < 2:
        return None
    near = Enterprise.objects.filter(
        Q(name__contains=key) | Q(short_name=name) | Q(short_name__contains=key)
    )[:20]
    found = [e for e in near if matching.same_enterprise(name, e.name) or e.short_name == name]
    return found[0] if len(found) == 1 else None


def find_park(name: str) -> Park | None:
    if not name:
        return None
    key = normalise_name(name)
    found = [
        park
        for park in Park.objects.filter(
            Q(name__contains=name[:2]) | Q(short_name__contains=name[:2])
        )[:200]
        if key in {normalise_name(park.name), normalise_name(park.short_name or "")}
    ]
    return found[0] if len(found) == 1 else None


def refresh(item: Item) -> Item:
    """Recompute the item's duplicate suggestions, its library match and its park."""
    data = dict(item.data)
    name = data.get("name") or item.name
    enterprises = [data.get("enterprise") or ""]
    adcode = data.get("adcode") or ""
    candidates = _project_candidates(item) + _item_candidates(item)
    ranked = matching.rank(name, enterprises, adcode, candidates)
    item.suggestions = [
        {
            "kind": m.candidate.kind,
            "id": m.candidate.id,
            "name": m.candidate.name,
            "score": m.score,
            "reasons": m.reasons,
        }
        for m in ranked
    ]
    # Only the organisation's own project can be updated by its reviewers; another's signed
    # project it sees is listed as a suggestion (to merge or to leave), not as an update.
    best = next((m for m in ranked if m.candidate.kind == "project" and m.candidate.own), None)
    item.match_id = best.candidate.id if best and best.score >= matching.SAME else None
    if data.get("park") and not data.get("park_id"):
        park = find_park(data["park"])
        if park is not None:
            data["park_id"] = park.pk
            data["adcode"] = data.get("adcode") or park.region_id
    if data.get("enterprise") and not data.get("enterprise_id"):
        enterprise = find_enterprise(data["enterprise"])
        data["enterprise_id"] = enterprise.pk if enterprise else None
    item.data = data
    item.save(update_fields=["suggestions", "match", "data", "updated_at"])
    return item
