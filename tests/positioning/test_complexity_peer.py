"""Our engine equals PyPI `ecomplexity` 0.5.3 to 1e-9 on every figure, on real tables.

The Growth Lab fixture and a 160-metro CBP sample ship with the tests; the full CBP 2019
tables (6- and 4-digit NAICS) and world trade run where `PARKLINK_COMPLEXITY_DIR` (default
`../shared/data/complexity`) holds them, and fail instead of skipping under CI=true. Each
peer run is made once per session (tests/positioning/support.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parklink.positioning.complexity import compute
from parklink.positioning.complexity.table import slices
from tests.positioning.support import (
    DATA,
    FIGURES,
    cached,
    max_differences,
    ours,
    peer_run,
    read,
    require_complexity_file,
)

TOLERANCE = 1e-9
FIXTURE_COLS = {"time": "year", "loc": "origin", "prod": "hs92", "val": "export_val"}
CBP_COLS = {"time": "", "loc": "cbsa_code", "prod": "naics_code", "val": "emp"}
TRADE_COLS = {"time": "", "loc": "country", "prod": "product", "val": "value"}


def fixture() -> pd.DataFrame:
    return read(DATA / "growthlab_fixture_trade_sample.csv", FIXTURE_COLS)


def cbp_sample() -> pd.DataFrame:
    return read(DATA / "cbp2019_naics4_160_metros.csv.gz", CBP_COLS, time_value="2019")


def assert_equal_to_peer(peer: pd.DataFrame, mine: pd.DataFrame) -> None:
    assert len(peer) > 0
    differences = max_differences(peer, mine)
    assert all(v <= TOLERANCE for v in differences.values()), differences
    # The comparison is not vacuous: every figure is defined on the peer's rows.
    assert not peer[list(FIGURES)].isna().any().any()


class TestShippedTables:
    @pytest.mark.parametrize("solver", ["dense", "arpack"])
    def test_growth_lab_fixture_both_years(self, solver: str) -> None:
        frame = fixture()
        peer = cached("fixture", lambda: peer_run(frame))
        assert sorted(peer.index.get_level_values("time").unique()) == ["1995", "1996"]
        assert_equal_to_peer(peer, ours(frame, solver=solver))

    @pytest.mark.parametrize("solver", ["dense", "arpack"])
    def test_cbp_sample_160_metros(self, solver: str) -> None:
        frame = cbp_sample()
        peer = cached("cbp-sample", lambda: peer_run(frame))
        assert len(peer) == 160 * peer.index.get_level_values("prod").nunique()
        assert_equal_to_peer(peer, ours(frame, solver=solver))

    def test_manual_presence(self) -> None:
        frame = cbp_sample()
        binary = frame.assign(val=(frame["val"] >= 500).astype(float))
        peer = peer_run(binary, presence="manual")
        assert_equal_to_peer(peer, ours(binary, presence="manual"))

    def test_a_higher_threshold(self) -> None:
        """Threshold 0.5: more presence, a different network, still the peer's figures."""
        frame = cbp_sample()
        peer = peer_run(frame, threshold=0.5)
        assert_equal_to_peer(peer, ours(frame, threshold=0.5))

    def test_a_difference_above_the_tolerance_is_caught(self) -> None:
        frame = fixture()
        peer = cached("fixture", lambda: peer_run(frame))
        mine = ours(frame)
        mine.iloc[7, mine.columns.get_loc("cog")] += 2e-9
        assert max_differences(peer, mine)["cog"] > TOLERANCE


class TestFullTables:
    def test_cbp_2019_six_digit(self) -> None:
        frame = read(require_complexity_file("cbp2019_cbsa_naics6_emp.csv.gz"), CBP_COLS, "2019")
        peer = cached("cbp6", lambda: peer_run(frame))
        assert peer.index.get_level_values("loc").nunique() == 933
        assert peer.index.get_level_values("prod").nunique() == 961
        assert_equal_to_peer(peer, ours(frame))

    def test_cbp_2019_four_digit(self) -> None:
        frame = read(require_complexity_file("cbp2019_cbsa_naics4_emp.csv.gz"), CBP_COLS, "2019")
        peer = cached("cbp4", lambda: peer_run(frame))
        assert peer.index.get_level_values("prod").nunique() == 288
        assert_equal_to_peer(peer, ours(frame))

    def test_cbp_2019_six_digit_with_lanczos(self) -> None:
        frame = read(require_complexity_file("cbp2019_cbsa_naics6_emp.csv.gz"), CBP_COLS, "2019")
        peer = cached("cbp6", lambda: peer_run(frame))
        assert_equal_to_peer(peer, ours(frame, solver="arpack"))

    def test_world_trade(self) -> None:
        frame = read(
            require_complexity_file("world_trade_sitc2_4d_avg_1998_2000.csv.gz"),
            TRADE_COLS,
            "2000",
        )
        peer = cached("trade", lambda: peer_run(frame))
        assert peer.index.get_level_values("loc").nunique() == 226
        assert_equal_to_peer(peer, ours(frame))


class TestPeerNormalisation:
    def test_eci_is_the_mean_pci_of_each_places_products(self) -> None:
        frame = cbp_sample()
        part = next(slices(frame["time"], frame["loc"], frame["prod"], frame["val"]))
        r = compute(part.values)
        means = (r.mcp * r.pci[None, :]).sum(axis=1) / r.diversity
        np.testing.assert_allclose(r.eci, means, rtol=0, atol=1e-9)
        assert abs(r.eci.mean()) < 1e-12 and abs(r.eci.std() - 1) < 1e-12

    def test_sign_rule_eci_rises_with_diversity(self) -> None:
        frame = cbp_sample()
        part = next(slices(frame["time"], frame["loc"], frame["prod"], frame["val"]))
        r = compute(part.values)
        assert np.corrcoef(r.diversity, r.eci)[0, 1] > 0
        # Flipping the data's order does not flip the sign.
        flipped = compute(part.values[::-1, ::-1])
        np.testing.assert_allclose(flipped.eci[::-1], r.eci, atol=1e-12)
