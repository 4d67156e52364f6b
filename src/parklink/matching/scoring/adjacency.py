"""How close two chain segments are as supplier and buyer, from the chains' edges.

A chain's edge (supplier, buyer) says the supplier segment's output feeds the buyer segment.
For a supplier listing in segment s and a need in segment b: 1.0 when s feeds b directly, 0.8
when both are the same segment (a maker buys parts from its peers), 0.6 when s is a sub-segment
of a segment that feeds b (or feeds a parent of b), 0.45 when s feeds b through one segment in
between, 0 otherwise. The values are the `ADJACENCY` table below; docs/matching.md lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

DIRECT = 1.0
SAME = 0.8
FAMILY = 0.6
TWO_STEP = 0.45

REASONS = {
    DIRECT: "上游环节直接供给下游环节",
    SAME: "同一产业链环节",
    FAMILY: "所属环节的上下游关系",
    TWO_STEP: "隔一个环节的上下游关系",
}


@dataclass(frozen=True)
class SegmentRef:
    chain: str
    key: str
    name: str
    parent: str | None


def segment_id(chain: str, key: str) -> str:
    return f"{chain}:{key}"


class Adjacency:
    """A dense matrix over every segment of the given chains; index -1 means "no segment"."""

    def __init__(
        self, segments: Sequence[SegmentRef], edges: Iterable[tuple[str, str, str]]
    ) -> None:
        self.ids = [segment_id(s.chain, s.key) for s in segments]
        self.index = {key: i for i, key in enumerate(self.ids)}
        self.names = {segment_id(s.chain, s.key): s.name for s in segments}
        n = len(self.ids)
        # one extra row and column (index n, addressed as -1) for listings without a segment
        matrix = np.zeros((n + 1, n + 1), dtype=np.float32)
        feeds: dict[int, set[int]] = {i: set() for i in range(n)}
        for chain, supplier, buyer in edges:
            a = self.index.get(segment_id(chain, supplier))
            b = self.index.get(segment_id(chain, buyer))
            if a is not None and b is not None:
                feeds[a].add(b)
        parent = {
            i: self.index.get(segment_id(s.chain, s.parent)) if s.parent else None
            for i, s in enumerate(segments)
        }
        for a in range(n):
            matrix[a, a] = SAME
            for b in feeds[a]:
                for c in feeds[b]:
                    matrix[a, c] = max(matrix[a, c], TWO_STEP)
        for a in range(n):
            up = parent[a]
            if up is not None:
                for b in feeds[up]:
                    matrix[a, b] = max(matrix[a, b], FAMILY)
            for b in feeds[a]:
                down = [c for c in range(n) if parent[c] == b]
                for c in down:
                    matrix[a, c] = max(matrix[a, c], FAMILY)
        for a in range(n):
            for b in feeds[a]:
                matrix[a, b] = DIRECT
        self.matrix = matrix

    def id_of(self, chain: str | None, key: str | None) -> int:
        if not chain or not key:
            return -1
        return self.index.get(segment_id(chain, key), -1)

    def supplier_to(self, buyer: int, suppliers: np.ndarray) -> np.ndarray:
        """Score of each supplier segment (array of ids) for one buyer segment."""
        return self.matrix[suppliers, buyer]

    def buyer_of(self, supplier: int, buyers: np.ndarray) -> np.ndarray:
        """Score of each buyer segment (array of ids) for one supplier segment."""
        return self.matrix[supplier, buyers]

    def value(self, supplier: int, buyer: int) -> float:
        return round(float(self.matrix[supplier, buyer]), 4)

    @staticmethod
    def reason(value: float) -> str:
        for level in (DIRECT, SAME, FAMILY, TWO_STEP):
            if value >= level - 1e-6:
                return REASONS[level]
        return ""
