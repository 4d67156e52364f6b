"""One combined score for a listing's counterparts, with the reasons, over column arrays.

score = 0.40 × text + 0.30 × segment + 0.20 × region + 0.10 × size, each part in 0..1:
text is the BM25 score divided by the best candidate's (so the best text match is 1), segment
is `adjacency` (supplier feeds buyer), region is `proximity`, size compares the quantities when
both sides give one in the same unit (min / max), 0.5 when unknown. Only the other side's open
listings are candidates; a query's own enterprise is never its own match. The top k come from
`np.argpartition` (linear in the number of listings), so a million listings rank in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from parklink.matching.scoring import proximity
from parklink.matching.scoring.adjacency import Adjacency
from parklink.matching.scoring.text import TextIndex

WEIGHTS = {"text": 0.40, "segment": 0.30, "region": 0.20, "size": 0.10}
SIZE_UNKNOWN = 0.5
SUPPLY, NEED = 0, 1


@dataclass(frozen=True)
class Row:
    """One listing as the scoring core sees it (the Django side builds these)."""

    id: int
    side: int  # SUPPLY or NEED
    tokens: tuple[str, ...]
    segment: int  # Adjacency id, -1 none
    place: proximity.Place
    quantity: float | None = None  # for the size fit only (never money)
    unit: str = ""
    enterprise: int = -1
    open: bool = True


@dataclass
class Match:
    id: int
    score: float
    parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)


class ListingIndex:
    def __init__(self, rows: Sequence[Row], adjacency: Adjacency):
        self.rows = list(rows)
        self.adjacency = adjacency
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.side = np.array([r.side for r in rows], dtype=np.int8)
        self.open = np.array([r.open for r in rows], dtype=bool)
        self.segment = np.array([r.segment for r in rows], dtype=np.int32)
        self.enterprise = np.array([r.enterprise for r in rows], dtype=np.int64)
        self.places = proximity.PlaceColumns.build([r.place for r in rows])
        self.quantity = np.array(
            [np.nan if r.quantity is None else r.quantity for r in rows], dtype=np.float64
        )
        units = sorted({r.unit for r in rows if r.unit})
        self.unit_index = {u: i + 1 for i, u in enumerate(units)}
        self.unit = np.array([self.unit_index.get(r.unit, 0) for r in rows], dtype=np.int32)
        self.text = TextIndex([r.tokens for r in rows])

    def __len__(self) -> int:
        return len(self.rows)

    def parts(self, query: Row) -> dict[str, np.ndarray]:
        """Each part's score for every row (before the side filter)."""
        text = self.text.scores(query.tokens)
        wanted = NEED if query.side == SUPPLY else SUPPLY
        candidates = (self.side == wanted) & self.open
        if query.enterprise >= 0:
            candidates &= self.enterprise != query.enterprise
        best = float(text[candidates].max()) if candidates.any() else 0.0
        text_part = text / best if best > 0 else np.zeros_like(text)
        if query.segment < 0:
            seg = np.zeros(len(self.rows), dtype=np.float32)
        elif query.side == NEED:
            seg = self.adjacency.supplier_to(query.segment, self.segment)
        else:
            seg = self.adjacency.buyer_of(query.segment, self.segment)
        region, level = proximity.scores(query.place, self.places)
        size = np.full(len(self.rows), SIZE_UNKNOWN, dtype=np.float64)
        if query.quantity and query.quantity > 0 and query.unit in self.unit_index:
            same = (self.unit == self.unit_index[query.unit]) & (self.quantity > 0)
            ratio = np.minimum(self.quantity, query.quantity) / np.maximum(
                self.quantity, query.quantity
            )
            size = np.where(same, ratio, size)
        return {
            "text": text_part,
            "segment": seg,
            "region": region,
            "size": size,
            "_level": level,
            "_candidates": candidates,
        }

    def top(self, query: Row, k: int = 20) -> list[Match]:
        parts = self.parts(query)
        total = (
            WEIGHTS["text"] * parts["text"]
            + WEIGHTS["segment"] * parts["segment"]
            + WEIGHTS["region"] * parts["region"]
            + WEIGHTS["size"] * parts["size"]
        )
        relevant = parts["_candidates"] & ((parts["text"] > 0) | (parts["segment"] > 0))
        total = np.where(relevant, total, -1.0)
        n = int(relevant.sum())
        if n == 0:
            return []
        k = min(k, n)
        head = np.argpartition(-total, k - 1)[:k] if k < len(total) else np.arange(len(total))
        head = head[np.lexsort((self.ids[head], -total[head]))][:k]
        return [self._match(query, int(i), float(total[i]), parts) for i in head]

    def _match(self, query: Row, i: int, score: float, parts: dict[str, np.ndarray]) -> Match:
        row = self.rows[i]
        values = {name: round(float(parts[name][i]), 4) for name in WEIGHTS}
        reasons: list[str] = []
        words = self.text.matched_words(query.tokens, row.tokens)
        if words:
            reasons.append("关键词相符:" + "、".join(words[:6]))
        if values["segment"] > 0:
            supplier, buyer = (
                (row.segment, query.segment) if query.side == NEED else (query.segment, row.segment)
            )
            names = self.adjacency.ids
            reasons.append(
                f"{Adjacency.reason(values['segment'])}("
                f"{self.adjacency.names.get(names[supplier], '')} → "
                f"{self.adjacency.names.get(names[buyer], '')})"
            )
        level = int(parts["_level"][i])
        if level >= 2:
            reasons.append(proximity.LEVEL_REASONS[level])
        elif level == 1 and query.place.lat is not None:
            km = float(
                proximity.haversine_km(
                    np.array([self.places.lat[i]]),
                    np.array([self.places.lon[i]]),
                    query.place.lat,
                    query.place.lon or 0.0,
                )[0]
            )
            reasons.append(proximity.LEVEL_REASONS[1].format(km=km))
        if values["size"] != SIZE_UNKNOWN:
            reasons.append(f"数量匹配度 {values['size']:.0%}")
        return Match(row.id, round(score, 4), values, reasons)
