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
PREFERENCE_FACTOR = 0.5
PREFERENCE_NAMES = {2: "省内", 3: "同一都市圈", 4: "同城"}
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
    # the query's region preference as a proximity level: 0 none, 2 province, 3 metro, 4 city;
    # a counterpart below it keeps half its region part (PREFERENCE_FACTOR)
    prefer: int = 0


@dataclass
class Match:
    id: int
    score: float
    parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)


class ListingIndex:
    """Open and closed listings as columns; `top` ranks one listing's counterparts.

    Only rows that share a word with the query or sit in an adjacent segment can rank (the
    others score at most region + size). `top` scores the adjacent-segment rows and the
    best-by-text rows (a pool of at least 256), then checks that no row outside the pool can
    beat the k-th score: an outside row has no segment part and a text part no higher than the
    pool's lowest, so its score is at most 0.4 × that + 0.3. If the k-th score is not above
    that bound, the pool grows fourfold and the step repeats; the answer is exact.
    """

    POOL = 256

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
        # one BM25 index per side: a query reads only the other side's words
        self.side_rows = {side: np.flatnonzero(self.side == side) for side in (SUPPLY, NEED)}
        self.local = np.zeros(len(rows), dtype=np.int64)  # a row's position within its side
        for side_rows in self.side_rows.values():
            self.local[side_rows] = np.arange(len(side_rows))
        self.texts = {
            side: TextIndex([self.rows[i].tokens for i in side_rows])
            for side, side_rows in self.side_rows.items()
        }
        self.open_weight = {
            side: self.open[side_rows].astype(np.float32)
            for side, side_rows in self.side_rows.items()
        }
        # rows by enterprise, to drop a query's own rows without scanning every row
        self._by_enterprise = np.argsort(self.enterprise, kind="stable")
        self._enterprise_sorted = self.enterprise[self._by_enterprise]
        order = np.argsort(self.segment, kind="stable")
        bounds = np.searchsorted(self.segment[order], np.arange(-1, len(adjacency.ids) + 1))
        self._by_segment = {
            seg: order[bounds[seg + 1] : bounds[seg + 2]] for seg in range(len(adjacency.ids))
        }

    def __len__(self) -> int:
        return len(self.rows)

    def text_scores(self, query: Row) -> tuple[int, np.ndarray]:
        """(the side wanted, BM25 of each of its rows; 0 for closed ones)."""
        wanted = NEED if query.side == SUPPLY else SUPPLY
        scores = self.texts[wanted].scores(query.tokens) * self.open_weight[wanted]
        return wanted, scores

    def _segment_rows(self, query: Row, wanted: int) -> np.ndarray:
        if query.segment < 0:
            return np.zeros(0, dtype=np.int64)
        matrix = self.adjacency.matrix[:-1, :-1]
        if query.side == NEED:
            near = np.flatnonzero(matrix[:, query.segment] > 0)
        else:
            near = np.flatnonzero(matrix[query.segment, :] > 0)
        parts = [self._by_segment[int(s)] for s in near]
        rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return rows[(self.side[rows] == wanted) & self.open[rows]]

    def _score(
        self, query: Row, pool: np.ndarray, text: np.ndarray, best: float
    ) -> dict[str, np.ndarray]:
        """Each part for the pool's rows; `text` holds the wanted side's BM25 scores."""
        local = text[self.local[pool]]
        text_part = local / best if best > 0 else np.zeros(len(pool), dtype=np.float32)
        segs = self.segment[pool]
        if query.segment < 0:
            seg = np.zeros(len(pool), dtype=np.float32)
        elif query.side == NEED:
            seg = self.adjacency.supplier_to(query.segment, segs)
        else:
            seg = self.adjacency.buyer_of(query.segment, segs)
        place_score, place_level = proximity.place_scores(query.place, self.places)
        at = self.places.row_place[pool]
        size = np.full(len(pool), SIZE_UNKNOWN, dtype=np.float64)
        if query.quantity and query.quantity > 0 and query.unit in self.unit_index:
            qty = self.quantity[pool]
            same = (self.unit[pool] == self.unit_index[query.unit]) & (qty > 0)
            with np.errstate(invalid="ignore"):
                ratio = np.minimum(qty, query.quantity) / np.maximum(qty, query.quantity)
            size = np.where(same, ratio, size)
        region = place_score[at].astype(np.float64)
        level = place_level[at]
        if query.prefer > 0:
            region = np.where(level < query.prefer, region * PREFERENCE_FACTOR, region)
        parts = {
            "text": text_part.astype(np.float64),
            "segment": seg.astype(np.float64),
            "region": region,
            "size": size,
        }
        parts["_total"] = sum(WEIGHTS[name] * parts[name] for name in WEIGHTS)
        parts["_level"] = level
        return parts

    def _not_own(self, rows: np.ndarray, query: Row) -> np.ndarray:
        return rows[self.enterprise[rows] != query.enterprise] if query.enterprise >= 0 else rows

    def relevant(self, query: Row) -> tuple[np.ndarray, np.ndarray, float]:
        """Every row that can rank (brute force, for tests): rows, text scores, best."""
        wanted, text = self.text_scores(query)
        rows = self.side_rows[wanted][text > 0]
        rows = self._not_own(np.union1d(rows, self._segment_rows(query, wanted)), query)
        with_text = self._not_own(self.side_rows[wanted][text > 0], query)
        best = float(text[self.local[with_text]].max()) if len(with_text) else 0.0
        return rows, text, best

    def top(self, query: Row, k: int = 20) -> list[Match]:
        wanted, text = self.text_scores(query)
        own = query.enterprise >= 0
        side_rows = self.side_rows[wanted]
        if own:  # the query's own enterprise never matches itself, nor sets the text scale
            lo, hi = np.searchsorted(
                self._enterprise_sorted, [query.enterprise, query.enterprise + 1]
            )
            mine = self._by_enterprise[lo:hi]
            text[self.local[mine[self.side[mine] == wanted]]] = 0
        with_text = int(np.count_nonzero(text))
        best = float(text.max()) if with_text else 0.0
        seg_rows = self._not_own(self._segment_rows(query, wanted), query)
        size = max(self.POOL, 4 * k)
        while True:
            if with_text > size:
                cut = np.argpartition(-text, size - 1)[:size]
                floor = float(text[cut].min()) / best
                complete = False
            else:
                cut, floor, complete = np.flatnonzero(text), 0.0, True
            pool = np.union1d(seg_rows, side_rows[cut])
            if len(pool) == 0:
                return []
            parts = self._score(query, pool, text, best)
            total = parts["_total"]
            n = min(k, len(pool))
            head = np.argpartition(-total, n - 1)[:n] if n < len(pool) else np.arange(len(pool))
            head = head[np.lexsort((self.ids[pool[head]], -total[head]))]
            kth = float(total[head[-1]]) if n == k else -1.0
            bound = WEIGHTS["text"] * floor + WEIGHTS["region"] + WEIGHTS["size"]
            if complete or kth > bound:
                break
            size *= 4
        return [self._match(query, pool, int(i), parts) for i in head]

    def _match(self, query: Row, pool: np.ndarray, j: int, parts: dict[str, np.ndarray]) -> Match:
        i = int(pool[j])
        row = self.rows[i]
        values = {name: round(float(parts[name][j]), 4) for name in WEIGHTS}
        reasons: list[str] = []
        words = TextIndex.matched_words(query.tokens, row.tokens)
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
        level = int(parts["_level"][j])
        if level >= 2:
            reasons.append(proximity.LEVEL_REASONS[level])
        elif level == 1 and query.place.lat is not None:
            at = self.places.row_place[i]
            km = float(
                proximity.haversine_km(
                    np.array([self.places.lat[at]]),
                    np.array([self.places.lon[at]]),
                    query.place.lat,
                    query.place.lon or 0.0,
                )[0]
            )
            reasons.append(proximity.LEVEL_REASONS[1].format(km=km))
        if query.prefer > 0 and level < query.prefer:
            reasons.append(f"不在偏好地域({PREFERENCE_NAMES.get(query.prefer, '')})内")
        if values["size"] != SIZE_UNKNOWN:
            reasons.append(f"数量匹配度 {values['size']:.0%}")
        return Match(row.id, round(float(parts["_total"][j]), 4), values, reasons)
