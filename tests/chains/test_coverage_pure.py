"""The pure coverage tally and labels (chains/coverage.py): exact sums, every rule's edge."""

from __future__ import annotations

import numpy as np
import pytest

from parklink.chains import coverage as pure
from parklink.chains.coverage import HIGH_TECH, LEADER, LISTED, YI, Label, Rules


class TestTally:
    def test_counts_per_place_and_segment(self) -> None:
        found = pure.tally(
            segments=[0, 0, 1, 2, 2, 2],
            places=[0, 1, 1, 0, 0, 1],
            capital_fen=[100, 200, 300, 400, 500, 600],
            flags=[LEADER, 0, LISTED | HIGH_TECH, 0, HIGH_TECH, 0],
            n_segments=3,
            n_places=2,
        )
        assert found.enterprises.tolist() == [[1, 0, 2], [1, 1, 1]]
        assert found.capital_fen.tolist() == [[100, 0, 900], [200, 300, 600]]
        assert found.leaders.tolist() == [[1, 0, 0], [0, 0, 0]]
        assert found.listed.tolist() == [[0, 0, 0], [0, 1, 0]]
        assert found.high_tech.tolist() == [[0, 0, 1], [0, 1, 0]]

    def test_capital_sums_are_exact_beyond_float_precision(self) -> None:
        big = 2**53 + 1  # a float would round this
        found = pure.tally([0, 0], [0, 0], [big, 1], [0, 0], 1, 1)
        assert int(found.capital_fen[0, 0]) == big + 1

    def test_rows_outside_the_ranges_are_skipped(self) -> None:
        found = pure.tally([0, -1, 5, 0], [0, 0, 0, 3], [1, 1, 1, 1], [0, 0, 0, 0], 2, 1)
        assert found.enterprises.tolist() == [[1, 0]]

    def test_mismatched_lengths_are_refused(self) -> None:
        with pytest.raises(ValueError):
            pure.tally([0, 1], [0], [1, 1], [0, 0], 2, 1)


class TestLabels:
    def cell(self, n: int, leaders: int = 0, listed: int = 0, capital: int = 0) -> pure.Tally:
        one = lambda v: np.array([[v]], dtype=np.int64)  # noqa: E731
        return pure.Tally(one(n), one(capital), one(leaders), one(listed), one(0), one(0))

    @pytest.mark.parametrize(
        ("n", "leaders", "listed", "capital", "expected"),
        [
            (0, 0, 0, 0, Label.MISSING),
            (1, 0, 0, 0, Label.WEAK),
            (2, 0, 0, 0, Label.WEAK),
            (3, 0, 0, 0, Label.PRESENT),
            (1, 0, 1, 0, Label.PRESENT),  # a listed firm alone
            (1, 1, 0, 0, Label.PRESENT),  # a chain leader alone
            (3, 1, 0, 0, Label.STRONG),  # a leader among three
            (3, 0, 0, 10 * YI, Label.STRONG),  # three with 10 亿元 between them
            (3, 0, 0, 10 * YI - 1, Label.PRESENT),
            (9, 0, 0, 0, Label.PRESENT),
            (10, 0, 0, 0, Label.STRONG),
        ],
    )
    def test_default_rules(
        self, n: int, leaders: int, listed: int, capital: int, expected: Label
    ) -> None:
        assert pure.labels(self.cell(n, leaders, listed, capital))[0, 0] == expected
        assert pure.label_of(n, leaders, listed, capital) == expected

    def test_rules_are_adjustable(self) -> None:
        strict = Rules(strong_enterprises=50, strong_leader_enterprises=5, present_enterprises=5)
        assert pure.labels(self.cell(10), strict)[0, 0] == Label.PRESENT
        assert pure.labels(self.cell(4), strict)[0, 0] == Label.WEAK
        assert pure.labels(self.cell(4, leaders=1), strict)[0, 0] == Label.PRESENT

    def test_inconsistent_rules_are_named(self) -> None:
        problems = Rules(strong_enterprises=2, present_enterprises=3).problems()
        assert set(problems) == {"strong_enterprises"}
        assert "present_enterprises" in Rules(present_enterprises=0).problems()


class TestProvinces:
    def test_rows_grouped_by_province(self) -> None:
        codes, found, labels = pure.coverage_by_province(
            segments=[0, 0, 0, 1],
            adcodes=[510106, 510682, 620702, 620702],
            capital_fen=[1, 2, 3, 4],
            flags=[0, 0, LEADER, 0],
            n_segments=2,
        )
        assert codes.tolist() == [510000, 620000]
        assert found.enterprises.tolist() == [[2, 0], [1, 1]]
        assert labels.tolist() == [[Label.WEAK, Label.MISSING], [Label.PRESENT, Label.WEAK]]


class TestBenchmark:
    def test_the_benchmark_runs_and_meets_its_target_on_a_small_registry(self, capsys) -> None:  # type: ignore[no-untyped-def]
        from bench import chains_coverage

        assert chains_coverage.main(["bench", "20000"]) == 0
        out = capsys.readouterr().out
        assert "20,000 enterprises" in out and "faster" in out

    def test_bad_adcodes_are_refused(self) -> None:
        with pytest.raises(ValueError):
            pure.province_index([1234567])
