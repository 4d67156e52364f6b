"""The pure siting score (matching/siting/score.py): parts, weights, unknowns and reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.matching.siting import score as s

D = Decimal


def codes(fit: s.Fit, part: str | None = None) -> list[str]:
    return [r.code for r in fit.reasons if part is None or r.part == part]


class TestWeights:
    def test_the_weights_add_up_to_one(self) -> None:
        assert sum(s.WEIGHTS.values()) == pytest.approx(1.0)
        assert set(s.PARTS) == set(s.WEIGHTS)


class TestLand:
    def test_enough_land_scores_full_and_short_land_its_share(self) -> None:
        needs = s.Needs(land_mu=D("200"))
        enough, reasons = s.land(needs, s.Offer(1, land_mu=D("500")))
        assert enough == 1.0 and reasons[0].code == "land_enough" and reasons[0].good
        short, reasons = s.land(needs, s.Offer(2, land_mu=D("50")))
        assert short == pytest.approx(0.25) and reasons[0].code == "land_short"
        assert reasons[0].param("have") == D("50") and reasons[0].param("need") == D("200")

    def test_vacant_carriers_may_stand_in_for_land(self) -> None:
        needs = s.Needs(land_mu=D("100"), floor_m2=D("20000"))
        value, reasons = s.land(needs, s.Offer(1, land_mu=D("10"), vacant_m2=D("30000")))
        assert value == 1.0
        assert [r.code for r in reasons] == ["land_short", "carrier_enough"]

    def test_a_park_without_figures_is_unknown_not_zero(self) -> None:
        value, reasons = s.land(s.Needs(land_mu=D("100")), s.Offer(1))
        assert value == s.UNKNOWN and reasons[0].code == "land_unknown" and reasons[0].good is None

    def test_a_project_without_land_needs_ranks_every_park_alike(self) -> None:
        a, why = s.land(s.Needs(), s.Offer(1, land_mu=D("999")))
        b, _ = s.land(s.Needs(), s.Offer(2))
        assert a == b == 1.0 and why[0].code == "land_not_given"


class TestUtilities:
    def test_power_and_water_are_averaged(self) -> None:
        needs = s.Needs(power_kva=D("1000"), water_tpd=D("100"))
        value, reasons = s.utilities(needs, s.Offer(1, power_kva=D("500"), water_tpd=D("200")))
        assert value == pytest.approx(0.75)
        assert [r.code for r in reasons] == ["power_short", "water_enough"]

    def test_unknown_capacity_counts_as_unknown(self) -> None:
        value, reasons = s.utilities(s.Needs(power_kva=D("1000")), s.Offer(1))
        assert value == s.UNKNOWN and reasons[0].code == "power_unknown"


class TestIndustries:
    def test_code_or_words_match_and_the_role_decides(self) -> None:
        needs = s.Needs(industry_code="2619", sector="新材料", segment_name="特种气体 · 电子特气")
        by_code = s.Offer(1, industries=[s.Industry("化工", "foundational", "2614")])
        by_word = s.Offer(2, industries=[s.Industry("先进材料", "leading")])
        none = s.Offer(3, industries=[s.Industry("文化旅游", "leading")])
        assert s.industries(needs, by_code)[0] == s.ROLE_SCORES["foundational"]
        value, why = s.industries(needs, by_word)
        assert value == 1.0 and why[0].param("name") == "先进材料"
        value, why = s.industries(needs, none)
        assert value == 0.0 and why[0].code == "industries_other" and why[0].good is False

    def test_filler_words_do_not_match(self) -> None:
        needs = s.Needs(sector="配套产业")
        value, _ = s.industries(needs, s.Offer(1, industries=[s.Industry("产业配套", "leading")]))
        assert value == 0.0


class TestChain:
    def test_more_firms_in_and_around_the_segment_score_higher(self) -> None:
        none, why = s.chain(s.Offer(1, segment_firms=0, neighbour_firms=0))
        some, _ = s.chain(s.Offer(2, segment_firms=1, neighbour_firms=2))
        many, _ = s.chain(s.Offer(3, segment_firms=6, neighbour_firms=4))
        assert none == 0.0 and why[0].code == "chain_none"
        assert 0 < some < many < 1

    def test_no_segment_is_unknown(self) -> None:
        value, why = s.chain(s.Offer(1))
        assert value == s.UNKNOWN and why[0].code == "segment_unknown"


class TestRank:
    def test_parks_are_ranked_best_first_with_every_part(self) -> None:
        needs = s.Needs(land_mu=D("100"), power_kva=D("1000"), sector="新材料")
        good = s.Offer(
            7,
            land_mu=D("300"),
            power_kva=D("5000"),
            industries=[s.Industry("新材料", "leading")],
            segment_firms=3,
            policies=[s.PolicyRef("落户奖励"), s.PolicyRef("共享政策", "某共建协议")],
            partners=["某共建协议"],
            positioning=s.Positioning(True, "strength", 0, "登记数据"),
        )
        poor = s.Offer(3, land_mu=D("10"), power_kva=D("100"), segment_firms=0)
        fits = s.rank(needs, [poor, good])
        assert [f.park for f in fits] == [7, 3]
        best = fits[0]
        assert set(best.parts) == set(s.PARTS)
        assert best.score == pytest.approx(
            sum(s.WEIGHTS[p] * best.parts[p] for p in s.PARTS), abs=1e-4
        )
        assert "policies_shared" in codes(best, "policies")
        assert codes(fits[1], "positioning") == ["positioning_unknown"]

    def test_ties_keep_the_park_order_and_top_cuts(self) -> None:
        fits = s.rank(s.Needs(), [s.Offer(5), s.Offer(2), s.Offer(9)], top=2)
        assert [f.park for f in fits] == [2, 5]
