"""The matching scoring core at the issue's scale, with a naive baseline in the same run.

    python -m bench.matching [listings|policies ...]   # default: both
    python -m bench.matching --listings 1000000 --policies 1000 --enterprises 1000000

- `listings`: 1,000,000 synthetic listings (half supply, half need) on every shipped chain
  segment, in 3,000 places with centroids and 4 metro areas, with 4–8 words each from a
  20,000-word vocabulary (Zipf-like); the index is built once (time printed), then 200
  queries rank the other side's top 20 (`ListingIndex.top`): p50 / p95 / max in ms on one
  core (OPENBLAS/OMP threads 1). Target: p95 < 50 ms. Baseline: the same combined score
  computed by a Python loop per listing (BM25 from the same index's scores excluded: the
  loop reads them, so the baseline only measures the per-listing combination and sort) on a
  50,000-listing sample, extrapolated to 1,000,000.
- `policies`: 1,000 policies of 2–5 conditions (regions, industry codes, flags, capital,
  revenue, headcount, segments) against 1,000,000 synthetic enterprises with missing values;
  each policy's qualifying and one-away enterprises (`eligibility.tally`). Target: < 60 s.
  Baseline: `eligibility.evaluate` (JSON Logic, per enterprise) over a 2,000-enterprise
  sample for 20 policies, extrapolated to 1,000 × 1,000,000; the vectorised answers are
  checked equal to the baseline on that sample.
- `finance`: 2,000 financing needs (amount, term, collateral, urgency, an enterprise's facts
  with missing values) against 200 bank products (0–3 JSON Logic conditions each, amount,
  term and rate ranges): every product's fit per need (`finance.fit.rank`), p50 / p95 / max ms.
- `siting`: one project's needs against 2,000 synthetic parks (land, carriers, power, water,
  industries, chain firms, policies, partners, positioning, with gaps): the ranking with
  every reason (`siting.score.rank`), p50 / p95 ms over 20 rounds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from parklink.chains.catalog import shipped
from parklink.matching.scoring import eligibility as el
from parklink.matching.scoring import proximity
from parklink.matching.scoring.adjacency import Adjacency, SegmentRef
from parklink.matching.scoring.rank import NEED, SUPPLY, WEIGHTS, ListingIndex, Row


def _adjacency() -> Adjacency:
    refs, edges = [], []
    for key, chain in shipped().items():
        refs += [SegmentRef(key, s.key, s.name, s.parent) for s in chain.segments]
        edges += [(key, a, b) for a, b in chain.edges]
    return Adjacency(refs, edges)


def _places(rng: np.random.Generator, n: int = 3000) -> list[proximity.Place]:
    places = []
    for i in range(n):
        province = 11 + i % 30
        city = 1 + (i // 30) % 20
        county = 1 + i // 600
        adcode = f"{province:02d}{city:02d}{county:02d}"
        metro = i % 4 if province == 51 and city <= 4 else -1
        places.append(
            proximity.Place(adcode, metro, float(rng.uniform(20, 45)), float(rng.uniform(90, 125)))
        )
    return places


def _vocabulary(n: int = 20000) -> list[str]:
    return [f"w{i}" for i in range(n)]


def listings(n: int) -> None:
    rng = np.random.default_rng(7)
    adj = _adjacency()
    places = _places(rng)
    vocab = _vocabulary()
    weights = 1.0 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    lengths = rng.integers(4, 9, n)
    words = rng.choice(len(vocab), size=int(lengths.sum()), p=weights)
    segments = rng.integers(-1, len(adj.ids), n)
    where = rng.integers(0, len(places), n)
    quantity = rng.lognormal(5, 1.5, n)
    started = time.perf_counter()
    rows, at = [], 0
    for i in range(n):
        k = int(lengths[i])
        rows.append(
            Row(
                i,
                SUPPLY if i % 2 else NEED,
                tuple(vocab[w] for w in words[at : at + k]),
                int(segments[i]),
                places[int(where[i])],
                float(quantity[i]),
                "吨",
                enterprise=i // 3,
            )
        )
        at += k
    index = ListingIndex(rows, adj)
    built = time.perf_counter() - started
    print(f"listings: {n:,} indexed in {built:.1f} s")
    times = []
    for q in range(200):
        query = rows[int(rng.integers(0, n))]
        start = time.perf_counter()
        found = index.top(query, 20)
        times.append((time.perf_counter() - start) * 1000)
        assert len(found) <= 20
        if q == 0:
            print("  first query's best:", found[0].score, found[0].reasons)
    times_a = np.array(times)
    p50, p95 = np.percentile(times_a, [50, 95])
    print(
        f"  top 20 of {n:,}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times_a.max():.1f} ms"
        f" (target p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'})"
    )
    # naive baseline: the same combination in a Python loop, on a sample
    sample = min(50_000, n)
    query = rows[1]
    _wanted, text = index.text_scores(query)
    best = float(text.max()) or 1.0
    start = time.perf_counter()
    scored = []
    for i in range(sample):
        row = rows[i]
        if row.side == query.side:
            continue
        seg = (
            adj.value(query.segment, row.segment)
            if query.side == SUPPLY
            else (adj.value(row.segment, query.segment))
        )
        p = row.place
        if p.adcode == query.place.adcode:
            region = proximity.COUNTY
        elif p.adcode[:4] == query.place.adcode[:4]:
            region = proximity.CITY
        elif p.metro >= 0 and p.metro == query.place.metro:
            region = proximity.METRO
        elif p.adcode[:2] == query.place.adcode[:2]:
            region = proximity.PROVINCE
        else:
            km = float(
                proximity.haversine_km(
                    np.array([p.lat]), np.array([p.lon]), query.place.lat, query.place.lon
                )[0]
            )
            region = max(0.0, proximity.FAR * (1 - km / proximity.DISTANCE_SCALE_KM))
        size = min(row.quantity, query.quantity) / max(row.quantity, query.quantity)
        total = (
            WEIGHTS["text"] * float(text[index.local[i]]) / best
            + WEIGHTS["segment"] * seg
            + WEIGHTS["region"] * region
            + WEIGHTS["size"] * size
        )
        scored.append((total, i))
    scored.sort(reverse=True)
    loop = time.perf_counter() - start
    print(
        f"  naive Python loop: {sample:,} listings in {loop * 1000:.0f} ms → "
        f"{loop * n / sample * 1000:.0f} ms per query at {n:,} (extrapolated)"
    )


def _policy(rng: np.random.Generator, number: int) -> list[el.Condition]:
    pool = [
        lambda: {
            "in": [
                {"var": "province"},
                [f"{int(p):02d}0000" for p in rng.choice(np.arange(11, 41), 3)],
            ]
        },
        lambda: {
            "in": [
                {"var": "industry_division"},
                [f"{int(d):02d}" for d in rng.choice(np.arange(13, 43), 4)],
            ]
        },
        lambda: {"==": [{"var": "is_high_tech"}, True]},
        lambda: {"==": [{"var": "is_above_scale"}, True]},
        lambda: {">=": [{"var": "registered_capital"}, float(rng.choice([1e6, 5e6, 1e7]))]},
        lambda: {">=": [{"var": "revenue"}, float(rng.choice([5e6, 2e7, 1e8]))]},
        lambda: {"<=": [10, {"var": "headcount"}, 500]},
        lambda: {"in": [f"seg{int(rng.integers(0, 200))}", {"var": "segments"}]},
        lambda: {
            "or": [
                {"==": [{"var": "is_specialised_sme"}, True]},
                {"==": [{"var": "is_chain_leader"}, True]},
            ]
        },
    ]
    chosen = rng.choice(len(pool), int(rng.integers(2, 6)), replace=False)
    return el.parse_conditions(
        [
            {"key": f"c{k}", "label": f"条件{k}", "clause": f"第{k}条", "rule": pool[int(i)]()}
            for k, i in enumerate(chosen)
        ]
    )


def _enterprises(rng: np.random.Generator, n: int) -> el.Columns:
    def missing(values: np.ndarray, share: float) -> np.ndarray:
        return np.where(rng.random(n) < share, np.nan, values)

    provinces = np.array([f"{p:02d}0000" for p in range(11, 41)])
    divisions = np.array([f"{d:02d}" for d in range(13, 43)])
    seg_of = rng.integers(0, 200, n)
    return el.Columns(
        n,
        {
            "province": provinces[rng.integers(0, len(provinces), n)],
            "industry_division": np.where(
                rng.random(n) < 0.05, "", divisions[rng.integers(0, len(divisions), n)]
            ),
            "is_high_tech": rng.random(n) < 0.2,
            "is_above_scale": rng.random(n) < 0.3,
            "is_specialised_sme": rng.random(n) < 0.05,
            "is_chain_leader": rng.random(n) < 0.01,
            "registered_capital": missing(rng.lognormal(15, 1.5, n), 0.05),
            "revenue": missing(rng.lognormal(16, 2, n), 0.4),
            "headcount": missing(rng.lognormal(4, 1.2, n).round(), 0.3),
        },
        {"segments": {f"seg{s}": np.flatnonzero(seg_of == s) for s in range(200)}},
    )


def _facts(cols: el.Columns, i: int) -> dict[str, object]:
    fact: dict[str, object] = {}
    for name, array in cols.arrays.items():
        value = array[i]
        if isinstance(value, np.floating):
            fact[name] = None if np.isnan(value) else float(value)
        elif isinstance(value, np.bool_):
            fact[name] = bool(value)
        else:
            fact[name] = str(value) or None
    fact["segments"] = [k for k, rows in cols.lists["segments"].items() if i in set(rows[:0])]
    return fact


def policies(n_policies: int, n_enterprises: int) -> None:
    rng = np.random.default_rng(11)
    start = time.perf_counter()
    cols = _enterprises(rng, n_enterprises)
    print(f"policies: {n_enterprises:,} enterprises built in {time.perf_counter() - start:.1f} s")
    drafts = [_policy(rng, k) for k in range(n_policies)]
    start = time.perf_counter()
    qualifying = one_away = 0
    compiled_all = []
    for conditions in drafts:
        compiled = [el.compile_rule(c) for c in conditions]
        compiled_all.append(compiled)
        result = el.tally(compiled, cols)
        qualifying += len(result.qualifying)
        one_away += len(result.one_away)
    took = time.perf_counter() - start
    print(
        f"  {n_policies:,} policies × {n_enterprises:,} enterprises: {took:.1f} s "
        f"(target < 60 s: {'met' if took < 60 else 'NOT met'}); "
        f"{qualifying:,} qualifying, {one_away:,} one condition away"
    )
    # naive baseline: JSON Logic per enterprise on a sample, and the same answers
    sample, sample_policies = 2000, 20
    membership = np.full(n_enterprises, "", dtype=object)
    for key, rows in cols.lists["segments"].items():
        membership[rows] = key
    facts = []
    for i in range(sample):
        fact = _facts(cols, i)
        fact["segments"] = [membership[i]] if membership[i] else []
        facts.append(fact)
    start = time.perf_counter()
    answers = [
        [all(el.evaluate(c, fact) == el.MET for c in conditions) for fact in facts]
        for conditions in drafts[:sample_policies]
    ]
    loop = time.perf_counter() - start
    per_pair = loop / (sample * sample_policies)
    print(
        f"  naive loop (JSON Logic per enterprise): {sample_policies} × {sample:,} in {loop:.1f} s"
        f" → {per_pair * n_policies * n_enterprises / 3600:.1f} h at {n_policies:,} × "
        f"{n_enterprises:,} (extrapolated)"
    )
    small = el.Columns(
        sample,
        {name: array[:sample] for name, array in cols.arrays.items()},
        {"segments": {k: rows[rows < sample] for k, rows in cols.lists["segments"].items()}},
    )
    for compiled, expected in zip(compiled_all[:sample_policies], answers, strict=True):
        got = set(el.tally(compiled, small).qualifying.tolist())
        assert got == {i for i, ok in enumerate(expected) if ok}, "vectorised ≠ JSON Logic"
    print("  vectorised answers equal the JSON Logic loop on the sample")


def finance(n_needs: int, n_products: int) -> None:
    """Every product's fit for each need (`finance.fit.rank`), per need, on one core."""
    from decimal import Decimal

    from parklink.matching.finance import fit as fitting

    rng = np.random.default_rng(17)
    kinds = [fitting.CREDIT, fitting.GUARANTEE, fitting.PLEDGE, fitting.POLICY]
    products = []
    for key in range(n_products):
        low = int(rng.choice([100_000, 500_000, 1_000_000, 5_000_000]))
        rate = Decimal(int(rng.integers(2800, 6500))) / 1000
        conditions = _policy(rng, key)[: int(rng.integers(0, 4))]
        products.append(
            fitting.Product(
                key, kinds[key % 4], low, low * int(rng.integers(2, 40)), 3,
                int(rng.choice([12, 24, 36, 60])), rate, rate + Decimal("1.000"), conditions,
            )
        )  # fmt: skip
    cols = _enterprises(rng, n_needs)
    times = []
    eligible = 0
    for i in range(n_needs):
        need = fitting.Need(
            int(rng.integers(1, 400)) * 50_000, int(rng.choice([6, 12, 24, 36])),
            bool(rng.random() < 0.5), bool(rng.random() < 0.3),
        )  # fmt: skip
        facts = _facts(cols, i)
        start = time.perf_counter()
        ranked = fitting.rank(need, products, facts)
        times.append((time.perf_counter() - start) * 1000)
        eligible += sum(1 for f in ranked if f.eligible)
    p50, p95 = np.percentile(times, [50, 95])
    print(
        f"finance: {n_needs} needs × {n_products} products: per need p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms; {eligible / n_needs:.1f} eligible per need"
    )


def siting(n_parks: int) -> None:
    """One project's parks ranked (`siting.score.rank`) over many synthetic parks."""
    from decimal import Decimal

    from parklink.matching.siting import score

    rng = np.random.default_rng(23)
    roles = list(score.ROLE_SCORES)
    offers = [
        score.Offer(
            park=k,
            land_mu=None if rng.random() < 0.3 else Decimal(int(rng.integers(0, 3000))),
            vacant_m2=None if rng.random() < 0.5 else Decimal(int(rng.integers(0, 200_000))),
            power_kva=None if rng.random() < 0.6 else Decimal(int(rng.integers(0, 50_000))),
            water_tpd=None if rng.random() < 0.6 else Decimal(int(rng.integers(0, 9000))),
            industries=[
                score.Industry(
                    f"产业{int(rng.integers(0, 60))}",
                    roles[int(rng.integers(0, 3))],
                    f"{int(rng.integers(13, 43)):02d}",
                )
                for _i in range(int(rng.integers(0, 6)))
            ],
            segment_firms=int(rng.integers(0, 12)),
            neighbour_firms=int(rng.integers(0, 20)),
            policies=[score.PolicyRef(f"政策{j}") for j in range(int(rng.integers(0, 5)))],
            partners=["共建"] if rng.random() < 0.2 else [],
            positioning=None
            if rng.random() < 0.5
            else score.Positioning(bool(rng.random() < 0.3), "opportunity", 3),
        )
        for k in range(n_parks)
    ]
    needs = score.Needs(
        land_mu=Decimal(200), floor_m2=Decimal(30_000), power_kva=Decimal(8000),
        water_tpd=Decimal(500), industry_code="2619", sector="新材料 产业12",
    )  # fmt: skip
    times = []
    for _round in range(20):
        start = time.perf_counter()
        score.rank(needs, offers)
        times.append((time.perf_counter() - start) * 1000)
    p50, p95 = np.percentile(times, [50, 95])
    print(f"siting: {n_parks} parks ranked with reasons: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching")
    parser.add_argument(
        "cases", nargs="*", help="listings, policies, finance, siting (default: all four)"
    )
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--policies", type=int, default=1_000)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--parks", type=int, default=2_000)
    args = parser.parse_args(argv)
    cases = args.cases or ["listings", "policies", "finance", "siting"]
    unknown = sorted(set(cases) - {"listings", "policies", "finance", "siting"})
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    if "listings" in cases:
        listings(args.listings)
    if "policies" in cases:
        policies(args.policies, args.enterprises)
    if "finance" in cases:
        finance(args.needs, args.products)
    if "siting" in cases:
        siting(args.parks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
