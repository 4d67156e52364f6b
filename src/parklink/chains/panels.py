"""The chains app's blocks on other apps' pages: a park's chains, an enterprise's segments."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest

from parklink.chains.models import FocusChain
from parklink.chains.services import classification, places, templates
from parklink.core.views import authenticated
from parklink.enterprises.models import Enterprise
from parklink.parks.models import Park


def park_panel(request: HttpRequest, park: Park) -> dict[str, Any] | None:
    """The chains the park's enterprises are placed in (and its focus chains), with map links.

    A fixed number of queries: the park's sub-parks, the visible templates and their latest
    versions, every placement of the park's enterprises, the focus chains.
    """
    user = authenticated(request)
    place = places.resolve(user, f"park:{park.pk}")
    visible = templates.visible_templates(user)
    versions = templates.current_versions(visible)
    placed = classification.placements(list(versions), place.enterprises())
    enterprises: dict[int, set[int]] = defaultdict(set)
    segments: dict[int, set[str]] = defaultdict(set)
    for (enterprise_id, template_id), items in placed.items():
        enterprises[template_id].add(enterprise_id)
        segments[template_id].update(item.segment for item in items)
    focus = {item.chain_key: item for item in FocusChain.objects.filter(place=place.ref)}
    rows: list[dict[str, Any]] = []
    for template_id, version in versions.items():
        chain = templates.chain_of(version)
        named = focus.get(chain.key) if version.template.owner_id is None else None
        if template_id not in enterprises and named is None:
            continue
        rows.append(
            {
                "template": version.template,
                "version": version,
                "chain": chain,
                "enterprises": len(enterprises.get(template_id, ())),
                "segments": len(segments.get(template_id, set()) & {s.key for s in chain.segments}),
                "total": len(chain.segments),
                "focus": named,
            }
        )
    rows.sort(key=lambda row: (row["focus"] is None, -row["enterprises"], row["chain"].name))
    return {"rows": rows, "place": place}


def enterprise_panel(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any] | None:
    """The enterprise's chain segments with their evidence, and the confirm/correct form."""
    user = authenticated(request)
    found = classification.for_enterprise(user, enterprise)
    chains = []
    for item in found:
        version = item.version
        chain = templates.chain_of(version) if version is not None else None
        names = {s.key: s.name for s in chain.segments} if chain else {}
        chains.append(
            {
                "item": item,
                "chain": chain,
                "names": names,
                "effective": [
                    names.get(a.segment, a.segment)
                    for a in (item.corrections or [c for c in item.candidates if c.accepted])
                    if a.segment
                ],
                "candidates": [(a, names.get(a.segment, a.segment)) for a in item.candidates],
                "segments": list(chain.segments) if chain else [],
            }
        )
    # Chains the enterprise is in no row of, which the user may place it in by hand.
    shown = {item.template.pk for item in found}
    others = []
    user_templates = templates.visible_templates(user).exclude(pk__in=shown)
    for version in templates.current_versions(user_templates).values():
        if classification.may_correct(user, version.template):
            others.append((version.template, templates.chain_of(version)))
    others.sort(key=lambda pair: pair[1].name)
    return {"chains": chains, "enterprise": enterprise, "others": others}
