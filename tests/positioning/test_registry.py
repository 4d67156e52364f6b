"""The registry's place × industry matrix (real database), recommendations, screening, and the
`compute` / `recommend` commands on it."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parklink.core.errors import Invalid
from parklink.positioning.complexity import compute
from parklink.positioning.recommend import _percentile, recommend
from parklink.positioning.registry_matrix import assemble, grade, industry_of
from parklink.positioning.screening import TAGS, screen, table
from parklink.positioning.services.matrix import registry_matrix
from tests.positioning.registry_world import PROFILES, build_registry
from tests.support import factories


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("positioning", *args, stdout=out)
    return out.getvalue()


class TestAssemble:
    def test_codes_are_cut_to_the_level_or_unclassified(self) -> None:
        assert industry_of("3985", 2) == "39" and industry_of("C3985", 3) == "398"
        assert industry_of("39", 3) is None and industry_of("", 2) is None
        assert industry_of("3x85", 2) is None

    def test_thresholds_and_grades(self) -> None:
        rows = [("a", "3911", 1, 1)] * 210 + [("a", "", 1, 1)] * 10  # A: 220, 95 % classified
        rows += [("b", "3911", 1, 1)] * 40 + [("b", "6511", 1, 1)] * 20  # B: 60, 100 %
        rows += [("c", "6511", 1, 1)] * 12 + [("c", "", 1, 1)] * 12  # C: 24, 50 %
        rows += [("d", "6511", 1, 1)] * 5  # too small
        rows += [("e", "", 1, 1)] * 30 + [("e", "6511", 1, 1)] * 5  # mostly unclassified
        rows += [("a", "1311", 1, 1)]  # an industry of one place only
        m = assemble(rows, min_enterprises=20, min_classified=0.5, min_places=2)
        assert m.places == ["a", "b", "c"] and m.industries == ["39", "65"]
        assert {p: q.grade for p, q in m.quality.items()} == {
            "a": "A",
            "b": "B",
            "c": "C",
            "d": "D",
            "e": "D",
        }
        assert m.quality["d"].reason == "small_place" and m.quality["e"].reason == "unclassified"
        assert m.excluded_industries == {"13": (1, "rare_industry")}
        np.testing.assert_array_equal(m.values, [[210, 0], [40, 20], [0, 12]])

    def test_capital_is_summed_exactly(self) -> None:
        rows = [("a", "39", Decimal("0.10"), 1)] * 10 + [("a", "65", None, 1)] * 15
        rows += [("b", "39", Decimal("1"), 1), ("b", "65", Decimal("2"), 1)] * 15
        m = assemble(rows, min_enterprises=20, min_places=1)
        assert m.values[0, 0] == 1.0 and m.values[0, 1] == 0.0

    def test_grade_boundaries(self) -> None:
        assert grade(200, 180, 20, 0.5) == "A" and grade(199, 199, 20, 0.5) == "B"
        assert grade(50, 37, 20, 0.5) == "C" and grade(19, 19, 20, 0.5) == "D"


@pytest.mark.django_db
class TestRegistryMatrix:
    def test_counties_of_sichuan(self) -> None:
        counts = build_registry()
        placed = registry_matrix(level="county", within=factories.region("510000"))
        m = placed.matrix
        assert m.places == sorted(PROFILES)  # 510115 has 3 enterprises: below 20
        assert m.quality["510115"].reason == "small_place" and placed.unplaced == 2
        assert m.quality["510682"].enterprises == counts["510682"]
        assert m.quality["510682"].classified == counts["510682"] - 2
        assert placed.names["513330"].endswith("德格县")
        row = m.places.index("510682")
        assert m.values[row, m.industries.index("26")] == 12 + list(PROFILES).index("510682") % 3
        per_industry: Counter[str] = Counter()
        places_of: Counter[str] = Counter()
        for i, (core, side) in enumerate(PROFILES.values()):
            for code in core:
                per_industry[code] += 12 + i % 3
            for code in side:
                per_industry[code] += 3
            places_of.update(set(core + side))
        assert m.values.sum() == sum(n for c, n in per_industry.items() if places_of[c] >= 2)
        assert set(m.excluded_industries) == {c for c, n in places_of.items() if n < 2}

    def test_within_and_city_level(self) -> None:
        build_registry()
        m = registry_matrix(level="city", min_enterprises=1).matrix
        assert set(m.places) == {"510100", "510600", "513300"}
        chengdu = registry_matrix(within=factories.region("510100"), min_enterprises=1).matrix
        assert "510682" not in chengdu.places and "510104" in chengdu.places

    def test_bad_arguments_are_refused_together(self) -> None:
        with pytest.raises(Invalid) as caught:
            registry_matrix(level="town", measure="jobs", digits=5)
        assert set(caught.value.detail) == {"level", "measure", "digits"}


class TestRecommend:
    def test_quadrants_follow_presence_density_and_pci(self) -> None:
        x = np.random.default_rng(4).lognormal(0, 1.5, (40, 25))
        r = compute(x)
        codes = [f"{j:02d}" for j in range(25)]
        found = recommend(r, 3, codes)
        candidates = [i for i in found.items if not i.present]
        d_med = np.median([i.density for i in candidates])
        p_med = np.median([i.pci for i in candidates])
        for item in found.items:
            if item.present:
                assert item.quadrant == ("strength" if item.pci >= p_med else "weakness")
            else:
                near, high = item.density >= d_med, item.pci >= p_med
                expected = {
                    (True, True): "opportunity",
                    (True, False): "entrant",
                    (False, True): "threat",
                    (False, False): "none",
                }[(near, high)]
                assert item.quadrant == expected
        ranked = found.candidates()
        assert [c.rank for c in ranked] == list(range(1, len(ranked) + 1))
        assert all(a.score >= b.score for a, b in itertools.pairwise(ranked))
        assert {i.industry for i in found.items} == set(codes)

    def test_exclusions_are_kept_aside_with_reasons(self) -> None:
        x = np.random.default_rng(4).lognormal(0, 1.5, (40, 25))
        codes = [f"{j:02d}" for j in range(25)]
        found = recommend(compute(x), 0, codes, exclusions={"07": ["by_hand"]})
        assert "07" not in {i.industry for i in found.items}
        assert found.excluded == {"07": ["by_hand"]}

    def test_percentile_ranks_share_ties(self) -> None:
        np.testing.assert_allclose(
            _percentile(np.array([3.0, 1.0, 3.0, 2.0])), [5 / 6, 0, 5 / 6, 1 / 3]
        )


class TestScreening:
    def test_every_code_exists_and_every_tag_names_its_source(self) -> None:
        from parklink.chains.industry_codes import table as codes

        screening = table()
        assert set(screening.sources) == set(TAGS)
        assert all(code in codes() for code in screening.entries)

    def test_whole_and_partial_tags(self) -> None:
        found = screen(["26", "25", "2511", "39", "27"], ["two_high", "chemical_park"])
        assert found["26"] == ["tag:two_high", "tag:chemical_park"]
        assert found["25"] == ["partly:two_high", "partly:chemical_park"]
        assert found["2511"] == ["tag:two_high", "tag:chemical_park"]
        assert "39" not in found and found["27"] == ["partly:chemical_park"]
        assert "25" not in screen(["25"], ["two_high"], partly=False)
        assert screen(["39"], [], by_hand=["39"]) == {"39": ["by_hand"]}
        with pytest.raises(ValueError, match="unknown tags"):
            screen(["39"], ["noisy"])


@pytest.mark.django_db
class TestCommands:
    def test_compute_writes_the_contract_with_names_and_grades(self, tmp_path) -> None:
        build_registry()
        target = tmp_path / "registry.csv"
        report = run("compute", "--within", "510000", "-o", str(target))
        assert "10 个地区" in report and "2 家企业的注册地高于所选级别" in report
        table_ = pd.read_csv(target, dtype={"loc": str, "prod": str})
        assert list(table_.columns[-3:]) == ["place_name", "grade", "industry_name"]
        row = table_[(table_["loc"] == "510682") & (table_["prod"] == "26")].iloc[0]
        assert row["industry_name"] == "化学原料和化学制品制造业" and row["mcp"] == 1
        assert row["place_name"].endswith("什邡市") and row["grade"] == "C"
        assert len(table_) == 10 * table_["prod"].nunique()

    def test_recommend_for_shifang_with_ecological_screening(self, tmp_path) -> None:
        build_registry()
        target = tmp_path / "rec.csv"
        report = run(
            "recommend",
            "--place",
            "510682",
            "--exclude-tags",
            "two_high,chemical_park",
            "--exclude",
            "61",
            "-o",
            str(target),
        )
        assert "什邡市:ECI" in report and "数据质量 C" in report
        assert "已排除 26 化学原料和化学制品制造业:“两高”行业、须进入化工园区" in report
        assert "已排除 61 住宿业:手工排除" in report
        assert "推荐产业" in report and "  1. " in report
        rows = pd.read_csv(target, dtype={"industry": str})
        assert set(rows.loc[rows["excluded"].notna(), "industry"]) >= {"26", "61"}
        ranked = rows[rows["rank"] > 0].sort_values("rank")
        assert (ranked["score"].diff().dropna() <= 1e-12).all()

    def test_recommend_errors(self) -> None:
        build_registry()
        with pytest.raises(CommandError, match="“999999”不存在"):
            run("recommend", "--place", "999999")
        with pytest.raises(CommandError, match="未参与计算:企业数低于门槛"):
            run("recommend", "--place", "510115")
        with pytest.raises(CommandError, match="未知的生态筛选标签:noisy"):
            run("recommend", "--place", "510682", "--exclude-tags", "noisy")
