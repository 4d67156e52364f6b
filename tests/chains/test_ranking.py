"""Target ranking (chains/ranking.py): each part moves a candidate the way it should."""

from __future__ import annotations

import pytest

from parklink.chains import ranking
from parklink.chains.coverage import LEADER, LISTED
from parklink.chains.ranking import Candidate, Neighbours


def candidate(pk: int, **fields: object) -> Candidate:
    defaults: dict[str, object] = {"segment": "poly", "fit": 0.6}
    return Candidate(enterprise_id=pk, **{**defaults, **fields})  # type: ignore[arg-type]


class TestParts:
    def test_size_is_logarithmic_and_bounded(self) -> None:
        assert ranking.size_part(None) == 0.0
        assert ranking.size_part(ranking.SMALL_FEN) == 0.0
        assert ranking.size_part(ranking.LARGE_FEN * 10) == 1.0
        middle = ranking.size_part(10_000_000 * 100)  # 1000 万元: halfway on the log scale
        assert middle == pytest.approx(0.5)

    def test_flags_cap_at_one(self) -> None:
        assert ranking.flags_part(LEADER | LISTED) == pytest.approx(0.7)
        assert ranking.flags_part(0b1111) == 1.0

    def test_distance_decays(self) -> None:
        assert ranking.distance_part(0) == 1.0
        assert ranking.distance_part(500) == 0.5
        assert ranking.distance_part(None) == 0.0

    def test_haversine_chengdu_to_beijing(self) -> None:
        km = ranking.haversine_km(104.07, 30.67, 116.40, 39.90)
        assert 1500 < km < 1560


class TestRank:
    def test_a_chain_leader_outranks_an_ordinary_firm(self) -> None:
        ordered = ranking.rank(
            [candidate(1), candidate(2, flags=LEADER, capital_fen=50 * 10**8 * 100)], {}
        )
        assert [r.candidate.enterprise_id for r in ordered] == [2, 1]
        assert {r.code for r in ordered[0].reasons} >= {"fit", "leader", "capital"}

    def test_a_site_in_a_partner_region_counts(self) -> None:
        ordered = ranking.rank([candidate(1), candidate(2, partner_region="什邡市")], {})
        assert ordered[0].candidate.enterprise_id == 2
        assert any(r.code == "partner_site" for r in ordered[0].reasons)

    def test_the_nearer_of_two_equal_firms_first(self) -> None:
        ordered = ranking.rank(
            [candidate(1, distance_km=1500.0), candidate(2, distance_km=20.0)], {}
        )
        assert [r.candidate.enterprise_id for r in ordered] == [2, 1]

    def test_a_gap_between_local_segments_ranks_its_candidates_higher(self) -> None:
        neighbours = {"poly": Neighbours(buyers={"wafer": 4}, suppliers={"silicon": 1})}
        ordered = ranking.rank(
            [candidate(1, segment="plant"), candidate(2, segment="poly")], neighbours
        )
        assert ordered[0].candidate.enterprise_id == 2
        codes = {r.code: r.figures for r in ordered[0].reasons}
        assert codes["supplies"] == {"segments": {"wafer": 4}}
        assert codes["buys"] == {"segments": {"silicon": 1}}

    def test_a_confirmed_placement_counts_as_a_full_fit(self) -> None:
        ordered = ranking.rank([candidate(1, fit=0.9), candidate(2, fit=0.5, confirmed=True)], {})
        assert ordered[0].candidate.enterprise_id == 2

    def test_an_enterprise_appears_once_under_its_best_segment(self) -> None:
        neighbours = {"poly": Neighbours(buyers={"wafer": 5})}
        ordered = ranking.rank(
            [candidate(1, segment="plant"), candidate(1, segment="poly")], neighbours
        )
        assert len(ordered) == 1 and ordered[0].candidate.segment == "poly"

    def test_limit(self) -> None:
        assert len(ranking.rank([candidate(i) for i in range(10)], {}, limit=3)) == 3

    def test_neighbours_of_keeps_only_segments_with_enterprises(self) -> None:
        found = ranking.neighbours_of(
            "poly", ["silicon"], ["wafer", "cell"], {"wafer": 2, "silicon": 0}
        )
        assert found.buyers == {"wafer": 2} and found.suppliers == {}
