"""Links from a recommended industry to the chains app: the segments of the chain templates the
user may see that list the industry's GB/T 4754 code, each with the chains' targets view for
the place and segment (ranked enterprises outside the place, where a lead is made).

A recommendation "turned into a chain-targeting task" is that targets view: it lists the
enterprises to approach for the segment, and each one becomes a lead (chains.ChainLead) there
with the chains' own permission and visibility rules; positioning stores no task of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.urls import reverse

from parklink.accounts.models import User
from parklink.chains.services.templates import chain_of, current_versions, visible_templates
from parklink.positioning.links import SegmentRef, segments_by_industry
from parklink.positioning.services.report import PlaceReport


def chain_ref(report: PlaceReport) -> str:
    """The place as the chains app writes it."""
    return f"park:{report.park.pk}" if report.park else f"region:{report.place.adcode}"


def targets_url(report: PlaceReport, ref: SegmentRef) -> str:
    query = urlencode({"place": chain_ref(report), "chain": ref.chain, "segment": ref.segment})
    return f"{reverse('chains:targets')}?{query}"


def segments_for(user: User, industries: Sequence[str]) -> dict[str, list[SegmentRef]]:
    versions = current_versions(visible_templates(user))
    chains = []
    for pk, version in sorted(versions.items()):
        chain = chain_of(version)
        chains.append(
            (
                pk,
                version.template.key,
                version.template.name,
                [(s.key, s.name, s.industry_codes) for s in chain.segments],
            )
        )
    return segments_by_industry(industries, chains)


def links_for(
    user: User, report: PlaceReport, products: Sequence[str]
) -> dict[str, list[SegmentRef]]:
    """Each product's segments: on the chain-segment axis the product is the segment itself."""
    chain = report.placed.chain
    if chain is None:
        return segments_for(user, products)
    names = report.product_names()
    return {
        key: [SegmentRef(chain.pk, chain.key, chain.name, key, names.get(key, key))]
        for key in products
    }
