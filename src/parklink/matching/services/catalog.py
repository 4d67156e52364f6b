"""The shipped chains as the scoring core needs them: the classifier and the adjacency matrix."""

from __future__ import annotations

from functools import cache

from parklink.chains.catalog import Chain, shipped
from parklink.chains.classify import Classifier
from parklink.chains.classify import default as default_classifier
from parklink.matching.scoring.adjacency import Adjacency, SegmentRef

TAG_MIN = 0.3  # a listing names a product, not a registrar's scope: one name hit (0.4) tags it


def chains() -> dict[str, Chain]:
    return shipped()


def classifier() -> Classifier:
    return default_classifier()


@cache
def adjacency() -> Adjacency:
    refs: list[SegmentRef] = []
    edges: list[tuple[str, str, str]] = []
    for key, chain in shipped().items():
        for segment in chain.segments:
            refs.append(SegmentRef(key, segment.key, segment.name, segment.parent))
        edges.extend((key, supplier, buyer) for supplier, buyer in chain.edges)
    return Adjacency(refs, edges)


def segment_name(chain: str, segment: str) -> str:
    found = shipped().get(chain)
    if found is None:
        return ""
    try:
        return f"{found.name} · {found.segment(segment).name}"
    except KeyError:
        return ""
