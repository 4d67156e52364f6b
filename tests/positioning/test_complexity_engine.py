"""The engine's own rules: conventions, duplicates, empty rows, missing values, the eigen-gap
check, the solvers, and invariance under reordering (no Django, no peer unless named)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.positioning.complexity import PYECOMPLEXITY, STATA, compute, convention
from parklink.positioning.complexity.engine import _cooccurrence
from parklink.positioning.complexity.table import slices
from tests.positioning.support import DATA, max_differences, ours, peer_run, read

CBP_COLS = {"time": "", "loc": "cbsa_code", "prod": "naics_code", "val": "emp"}


def sample_matrix() -> np.ndarray:
    frame = read(DATA / "cbp2019_naics4_160_metros.csv.gz", CBP_COLS, time_value="2019")
    return next(slices(frame["time"], frame["loc"], frame["prod"], frame["val"])).values


def brute_force(x: np.ndarray, strict: bool, self_proximity: float, rows_sd: bool) -> dict:
    """Every figure from its textbook formula with loops and a general eigen-solver."""
    c, p = x.shape
    rca = (x / x.sum(1, keepdims=True)) / (x.sum(0) / x.sum())
    m = (rca > 1) if strict else (rca >= 1)
    m = m.astype(float)
    kc, kp = m.sum(1), m.sum(0)
    mpp = (m / kp).T @ (m / kc[:, None])
    values, vectors = np.linalg.eig(mpp)
    v = np.real(vectors[:, np.argsort(np.real(values))[-2]])
    e = (m @ v) / kc
    sign = np.sign(np.corrcoef(kc, e)[0, 1])
    e, v = sign * e, sign * v
    n = c * p
    sd = e.std() * (np.sqrt(n / (n - 1)) if rows_sd else 1)
    phi = np.zeros((p, p))
    for a in range(p):
        for b in range(p):
            phi[a, b] = (m[:, a] * m[:, b]).sum() / max(kp[a], kp[b])
    np.fill_diagonal(phi, self_proximity)
    density = np.zeros((c, p))
    cog = np.zeros((c, p))
    for i in range(c):
        for a in range(p):
            density[i, a] = sum(m[i, q] * phi[q, a] for q in range(p)) / phi[a].sum()
            cog[i, a] = (1 - m[i, a]) * sum(
                (1 - m[i, q]) * phi[q, a] * v[q] / phi[q].sum() for q in range(p)
            )
    coi = ((density * (1 - m)) * v).sum(1)
    coi_sd = coi.std() * (np.sqrt(n / (n - 1)) if rows_sd else 1)
    return {
        "mcp": m,
        "eci": (e - e.mean()) / sd,
        "pci": (v - e.mean()) / sd,
        "density": density,
        "cog": cog / sd,
        "coi": (coi - coi.mean()) / coi_sd,
        "proximity": phi,
    }


SMALL = np.array(
    [
        [30, 0, 5, 1, 0, 2, 9],
        [1, 10, 0, 4, 8, 0, 2],
        [5, 5, 5, 5, 5, 5, 5],
        [0, 2, 9, 0, 1, 7, 3],
        [12, 1, 0, 0, 6, 2, 1],
        [2, 0, 3, 8, 0, 1, 6],
    ],
    dtype=float,
)


class TestConventions:
    @pytest.mark.parametrize("preset", [PYECOMPLEXITY, STATA])
    def test_every_figure_equals_the_textbook_formula(self, preset) -> None:
        r = compute(SMALL, convention=preset)
        ref = brute_force(
            SMALL,
            strict=preset.strict_presence,
            self_proximity=preset.self_proximity,
            rows_sd=preset.sd == "rows",
        )
        np.testing.assert_array_equal(r.mcp, ref["mcp"].astype(bool))
        np.testing.assert_allclose(r.proximity, ref["proximity"], atol=1e-12)
        for name in ("eci", "pci", "density", "coi", "cog"):
            np.testing.assert_allclose(getattr(r, name), ref[name], atol=1e-9, err_msg=name)

    def test_presence_at_exactly_the_threshold(self) -> None:
        # The third place's shares equal the whole's (1/2, 1/2): its RCA is exactly 1.
        x = np.array([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
        assert (compute(x).rca[2] == 1.0).all()
        assert compute(x).mcp[2].all()  # pyecomplexity: RCA ≥ 1
        assert not compute(x, convention=STATA).mcp[2].any()  # stata: RCA > 1
        assert compute(x, convention=convention("stata", strict_presence=False)).mcp[2].all()

    def test_self_proximity(self) -> None:
        assert (np.diag(compute(SMALL).proximity) == 1).all()
        assert (np.diag(compute(SMALL, convention=STATA).proximity) == 0).all()

    def test_the_standard_deviation_convention_scales_eci_pci_coi_and_cog_exactly(self) -> None:
        x = sample_matrix()
        places = compute(x)
        rows = compute(x, convention=convention("pyecomplexity", sd="rows"))
        n = x.shape[0] * x.shape[1]
        factor = np.sqrt((n - 1) / n)
        for name in ("eci", "pci", "coi", "cog"):
            np.testing.assert_allclose(
                getattr(rows, name), getattr(places, name) * factor, atol=1e-12, err_msg=name
            )
        np.testing.assert_array_equal(rows.density, places.density)

    def test_stata_differs_from_the_peer_exactly_as_documented(self) -> None:
        """On real data without an RCA of exactly 1: same RCA and presence, ECI and PCI
        scaled by √((n−1)/n), density/COI/COG from a zero diagonal."""
        x = sample_matrix()
        py, st_ = compute(x), compute(x, convention=STATA)
        assert not (py.rca == 1.0).any()
        np.testing.assert_array_equal(py.rca, st_.rca)
        np.testing.assert_array_equal(py.mcp, st_.mcp)
        n = x.size
        np.testing.assert_allclose(st_.eci, py.eci * np.sqrt((n - 1) / n), atol=1e-12)
        np.testing.assert_allclose(st_.pci, py.pci * np.sqrt((n - 1) / n), atol=1e-12)
        zero_diagonal = compute(x, convention=convention("pyecomplexity", self_proximity=0))
        np.testing.assert_allclose(st_.density, zero_diagonal.density, atol=1e-12)
        assert np.abs(st_.density - py.density).max() > 1e-3
        assert np.abs(st_.cog - py.cog).max() > 1e-3

    def test_unknown_convention_or_flag(self) -> None:
        with pytest.raises(ValueError, match="unknown convention"):
            convention("r")
        with pytest.raises(ValueError, match="self_proximity"):
            convention("stata", self_proximity=0.5)


class TestDefinedBehaviour:
    def test_duplicates_are_summed_not_dropped(self) -> None:
        frame = read(
            DATA / "growthlab_fixture_trade_sample.csv",
            {"time": "year", "loc": "origin", "prod": "hs92", "val": "export_val"},
        )
        extra = frame.iloc[[0, 5, 40]].assign(val=[1e9, 2e8, 3e8])
        doubled = pd.concat([frame, extra], ignore_index=True)
        part = next(slices(doubled["time"], doubled["loc"], doubled["prod"], doubled["val"]))
        assert part.duplicates == 3
        summed = doubled.groupby(["time", "loc", "prod"], as_index=False)["val"].sum()
        # Equal to the peer given the summed table; the peer on the raw table keeps the first.
        assert max(max_differences(peer_run(summed), ours(doubled)).values()) <= 1e-9
        assert max_differences(peer_run(doubled), ours(doubled))["rca"] > 1e-3

    def test_a_place_and_a_product_with_zero_total_are_left_out(self) -> None:
        x = np.vstack([SMALL, np.zeros(7)])
        x = np.hstack([x, np.zeros((7, 1))])
        r = compute(x)
        assert r.codes() >= {"dropped_places", "dropped_products"}
        assert not r.kept_places[6] and not r.kept_products[7]
        assert np.isnan(r.eci[6]) and np.isnan(r.pci[7]) and np.isnan(r.rca[6]).all()
        assert np.isnan(r.rca[:, 7]).all() and np.isnan(r.density[:, 7]).all()
        inner = compute(SMALL)
        np.testing.assert_allclose(r.eci[:6], inner.eci, atol=1e-12)
        np.testing.assert_allclose(r.cog[:6, :7], inner.cog, atol=1e-12)

    def test_missing_values_count_as_zero_and_are_reported(self) -> None:
        x = SMALL.copy()
        x[0, 1] = np.nan
        r = compute(x)
        assert ("missing_values" in r.codes()) and r.rca[0, 1] == 0
        np.testing.assert_allclose(r.eci, compute(np.nan_to_num(x)).eci, atol=0)

    def test_a_place_without_presence_stays_outside_the_network(self) -> None:
        """Threshold 8: 7 places have no product. Their ECI is NaN, the others' are computed
        on the rest; the peer makes every ECI NaN as soon as one place is empty."""
        x = sample_matrix()
        r = compute(x, threshold=8.0)
        empty = r.diversity == 0
        assert empty.sum() == 7 and "zero_diversity" in r.codes()
        assert np.isnan(r.eci[empty]).all() and np.isfinite(r.eci[~empty]).all()
        assert np.isnan(r.coi[empty]).all() and np.isnan(r.cog[empty]).all()
        present = r.mcp[~empty]
        means = (present * np.nan_to_num(r.pci)).sum(1) / r.diversity[~empty]
        np.testing.assert_allclose(r.eci[~empty], means, atol=1e-9)
        assert np.isfinite(r.density).all()
        frame = read(DATA / "cbp2019_naics4_160_metros.csv.gz", CBP_COLS, time_value="2019")
        assert peer_run(frame, threshold=8)["eci"].isna().all()

    def test_manual_presence_must_be_binary(self) -> None:
        with pytest.raises(ValueError, match="0 or 1"):
            compute(SMALL, presence="manual")

    def test_cooccurrence_in_float32_is_exact(self) -> None:
        m = compute(sample_matrix()).mcp
        exact = m.astype(np.int64).T @ m.astype(np.int64)
        np.testing.assert_array_equal(_cooccurrence(m, 37), exact.astype(float))


class TestEigenGap:
    def test_real_data_is_not_flagged(self) -> None:
        r = compute(sample_matrix())
        assert r.eigen_gap > 0.3 and not r.codes() & {"weak_structure", "disconnected"}
        assert r.eigenvalues[0] == pytest.approx(1.0, abs=1e-12)

    def test_noise_without_structure_is_flagged(self) -> None:
        x = np.random.default_rng(3).random((1000, 300))
        r = compute(x)
        assert "weak_structure" in r.codes() and r.eigen_gap < 0.1

    def test_two_separate_blocks_are_flagged(self) -> None:
        x = np.zeros((8, 6))
        x[:4, :3] = np.random.default_rng(1).integers(1, 9, (4, 3))
        x[4:, 3:] = np.random.default_rng(2).integers(1, 9, (4, 3))
        assert "disconnected" in compute(x).codes()


class TestSolvers:
    def test_dense_and_lanczos_agree(self) -> None:
        x = np.random.default_rng(5).lognormal(0, 2, (400, 120))
        a, b = compute(x, solver="dense"), compute(x, solver="arpack")
        assert (a.solver, b.solver) == ("dense", "arpack")
        for name in ("eci", "pci", "coi", "cog"):
            np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-9)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), shape=st.tuples(st.integers(4, 30), st.integers(4, 30)))
def test_reordering_places_and_products_reorders_every_figure(seed, shape) -> None:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(0, 1.5, shape) * (rng.random(shape) < 0.7)
    rows, cols = rng.permutation(shape[0]), rng.permutation(shape[1])
    a, b = compute(x), compute(x[rows][:, cols])
    if not np.isfinite(a.eci).any() or a.codes() & {
        "disconnected",
        "weak_structure",
        "sign_undefined",
    }:
        return  # no well-defined axis (or no orientation of it): nothing to be invariant
    np.testing.assert_array_equal(a.mcp[rows][:, cols], b.mcp)
    np.testing.assert_allclose(a.rca[rows][:, cols], b.rca, atol=1e-12)
    np.testing.assert_allclose(a.eci[rows], b.eci, atol=1e-8)
    np.testing.assert_allclose(a.pci[cols], b.pci, atol=1e-8)
    np.testing.assert_allclose(a.density[rows][:, cols], b.density, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(a.cog[rows][:, cols], b.cog, atol=1e-8, equal_nan=True)
