"""RCA, presence, diversity, ubiquity, ECI, PCI, proximity, density, COI and COG of one matrix.

`compute(values)` takes one place × product matrix of a measure (exports, employment, firm
counts) for one period and returns every figure as arrays in the same order. The steps and the
conventions (see `conventions.py` and docs/positioning.md):

1. Missing values (NaN) count as 0 and are reported. A place (row) or product (column) whose
   total is 0 (`stata`: ≤ 0) is left out of the period: its figures are NaN (`kept_*` False).
2. RCA_cp = (X_cp / X_c) / (X_p / X). Presence M_cp = RCA ≥ threshold (`stata`: >), or the
   values themselves (`presence="manual"`, which must be 0 or 1).
3. Diversity k_c = Σ_p M_cp, ubiquity k_p = Σ_c M_cp. A place with k_c = 0 or a product with
   k_p = 0 is outside the network: its ECI / PCI / COI / COG are NaN (RCA, M, density stay).
4. ECI / PCI from the second eigenvector of D_p⁻¹ Mᵀ D_c⁻¹ M (eigen.py), sign chosen so that
   ECI correlates positively with diversity; ECI z-scored, PCI with ECI's mean and sd, so ECI_c
   is the mean PCI of the place's products.
5. Proximity φ_pq = U_pq / max(k_p, k_q), U = Mᵀ M (exact integer counts from float32 BLAS),
   diagonal = the convention's self-proximity; density_cp = Σ_q M_cq φ_qp / Σ_q φ_pq.
6. COI_c = Σ_p density_cp (1 − M_cp) PCI_p, z-scored; COG_cp = (1 − M_cp) Σ_q (1 − M_cq)
   φ_qp PCI_q / Σ_r φ_qr, divided by ECI's sd (PCI raw, i.e. before normalisation).

The dense work is float64 BLAS over blocks of rows (density and COG in one product per
block); no place × place matrix is ever formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from parklink.positioning.complexity.conventions import PYECOMPLEXITY, Convention
from parklink.positioning.complexity.eigen import Solver, second_eigenvector

Presence = Literal["rca", "manual"]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# A second eigenvalue this close to 1 means the network falls apart into separate blocks.
DISCONNECTED_TOLERANCE = 1e-9
# Below this relative gap (λ2 − λ3) / λ2 the ECI ranking is not well determined: warn.
WEAK_GAP = 0.1
# Exact integer sums in float32 need totals below 2**24.
FLOAT32_EXACT = 2**24


@dataclass(frozen=True)
class Diagnostic:
    """Something the user should know about the period's figures (code + numbers)."""

    code: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ComplexityResult:
    """Every figure of one period; place arrays follow the rows, product arrays the columns."""

    values: FloatArray
    rca: FloatArray
    mcp: BoolArray
    kept_places: BoolArray
    kept_products: BoolArray
    diversity: IntArray
    ubiquity: IntArray
    eci: FloatArray
    pci: FloatArray
    density: FloatArray
    coi: FloatArray
    cog: FloatArray
    # Over the kept products only (`kept_products` selects them), diagonal = self-proximity.
    proximity: FloatArray
    eigenvalues: tuple[float, ...]
    solver: str
    convention: Convention
    diagnostics: list[Diagnostic]

    @property
    def eigen_gap(self) -> float:
        """(λ2 − λ3) / λ2 of the symmetric product matrix: how clearly ECI's axis stands out."""
        if len(self.eigenvalues) < 3 or self.eigenvalues[1] <= 0:
            return float("nan")
        return (self.eigenvalues[1] - self.eigenvalues[2]) / self.eigenvalues[1]

    def codes(self) -> set[str]:
        return {d.code for d in self.diagnostics}


def _expand(inner: FloatArray, rows: BoolArray, cols: BoolArray | None) -> FloatArray:
    """Put a kept-only array back at the full shape, NaN where rows/columns were left out."""
    if rows.all() and (cols is None or cols.all()):
        return inner
    if cols is None:
        full = np.full(rows.shape[0], np.nan)
        full[rows] = inner
        return full
    full = np.full((rows.shape[0], cols.shape[0]), np.nan)
    full[np.ix_(rows, cols)] = inner
    return full


def _cooccurrence(mcp: BoolArray, block_rows: int) -> FloatArray:
    """U = Mᵀ M as float64, from float32 BLAS (exact: 0/1 products, counts below 2**24)."""
    places, products = mcp.shape
    exact32 = places < FLOAT32_EXACT
    total = np.zeros((products, products))
    for start in range(0, places, block_rows):
        rows = mcp[start : start + block_rows]
        if exact32:
            block32 = rows.astype(np.float32)
            total += block32.T @ block32
        else:
            block64 = rows.astype(np.float64)
            total += block64.T @ block64
    return total


def _matvec(mcp: BoolArray, vector: FloatArray, block_rows: int) -> FloatArray:
    out = np.empty(mcp.shape[0])
    for start in range(0, mcp.shape[0], block_rows):
        out[start : start + block_rows] = (
            mcp[start : start + block_rows].astype(np.float64) @ vector
        )
    return out


def _spread(values: FloatArray, weight_rows: int, sd: str, mean: float) -> float:
    if sd == "rows":
        # Stata's summarize over the rectangular rows: each place's value repeats once per product.
        n = values.size * weight_rows
        if n < 2:
            return float("nan")
        return float(np.sqrt(np.sum((values - mean) ** 2) * weight_rows / (n - 1)))
    return float(values.std())


def compute(
    values: npt.ArrayLike,
    *,
    presence: Presence = "rca",
    threshold: float = 1.0,
    convention: Convention = PYECOMPLEXITY,
    solver: Solver = "auto",
    weak_gap: float = WEAK_GAP,
    block_rows: int = 4096,
) -> ComplexityResult:
    """Every complexity figure of one place × product matrix (see the module docstring)."""
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("values must be a place × product matrix")
    diagnostics: list[Diagnostic] = []
    if not np.isfinite(x).all():
        missing = np.isnan(x)
        n_missing = int(missing.sum())
        x = np.where(missing, 0.0, x)
        if not np.isfinite(x).all():
            raise ValueError("values must be finite")
        diagnostics.append(Diagnostic("missing_values", {"count": n_missing}))

    row_total = x.sum(axis=1)
    col_total = x.sum(axis=0)
    if convention.drop_nonpositive:
        kept_places, kept_products = row_total > 0, col_total > 0
    else:
        kept_places, kept_products = row_total != 0, col_total != 0
    if not kept_places.all():
        diagnostics.append(Diagnostic("dropped_places", {"count": int((~kept_places).sum())}))
    if not kept_products.all():
        diagnostics.append(Diagnostic("dropped_products", {"count": int((~kept_products).sum())}))
    whole = bool(kept_places.all() and kept_products.all())
    xk = x if whole else x[np.ix_(kept_places, kept_products)]
    places, products = xk.shape

    # RCA and presence.
    if presence == "manual":
        if not np.isin(xk, (0.0, 1.0)).all():
            raise ValueError("manual presence values must be 0 or 1")
        rca = xk
        mcp = xk.astype(bool)
    elif presence == "rca":
        with np.errstate(divide="ignore", invalid="ignore"):
            place_total = xk.sum(axis=1)
            product_total = xk.sum(axis=0)
            rca = xk / place_total[:, None]
            rca /= (product_total / product_total.sum())[None, :]
        mcp = rca > threshold if convention.strict_presence else rca >= threshold
        if threshold <= 0 and not convention.strict_presence:
            mcp |= np.isnan(rca)  # the peer reads NaN as 0 before comparing
    else:
        raise ValueError(f"unknown presence test {presence!r}")

    diversity = mcp.sum(axis=1, dtype=np.int64)
    ubiquity = mcp.sum(axis=0, dtype=np.int64)
    net_places = diversity > 0
    net_products = ubiquity > 0
    if places and not net_places.all():
        diagnostics.append(Diagnostic("zero_diversity", {"count": int((~net_places).sum())}))
    if products and not net_products.all():
        diagnostics.append(Diagnostic("zero_ubiquity", {"count": int((~net_products).sum())}))

    # Proximity from exact co-occurrence counts.
    u = _cooccurrence(mcp, block_rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        proximity = u / np.maximum.outer(ubiquity, ubiquity)
    proximity[~np.isfinite(proximity)] = 0.0
    np.fill_diagonal(proximity, convention.self_proximity)
    del u
    proximity_total = proximity.sum(axis=1)
    no_neighbours = proximity_total == 0

    # ECI and PCI.
    eci_raw = np.full(places, np.nan)
    pci_raw = np.full(products, np.nan)
    eigenvalues: tuple[float, ...] = ()
    solver_used = "none"
    mean = sd = float("nan")
    n_net_places, n_net_products = int(net_places.sum()), int(net_products.sum())
    if n_net_places >= 2 and n_net_products >= 2:
        net_whole = bool(net_places.all() and net_products.all())
        m_net = mcp if net_whole else mcp[np.ix_(net_places, net_products)]
        div_net = diversity[net_places].astype(np.float64)
        eigen = second_eigenvector(
            m_net, div_net, ubiquity[net_products].astype(np.float64), solver, block_rows
        )
        eigenvalues, solver_used = eigen.eigenvalues, eigen.solver
        kp = eigen.vector
        kc = _matvec(m_net, kp, block_rows) / div_net
        with np.errstate(divide="ignore", invalid="ignore"):
            correlation = np.corrcoef(div_net, kc)[0, 1] if n_net_places > 1 else np.nan
        if np.isfinite(correlation) and correlation != 0:
            sign = 1.0 if correlation > 0 else -1.0
        else:
            # Diversity does not orient the axis (all places equally diverse): orient PCI
            # against ubiquity instead, and say so. If that is undefined too (a structure
            # symmetric under the flip), no orientation is better than the other.
            ubi_net = ubiquity[net_products].astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                fallback = np.corrcoef(ubi_net, kp)[0, 1]
            sign = -1.0 if np.isfinite(fallback) and fallback > 0 else 1.0
            diagnostics.append(Diagnostic("sign_undefined", {}))
        eci_raw[net_places] = sign * kc
        pci_raw[net_products] = sign * kp
        e = eci_raw[net_places]
        mean = float(e.mean())
        sd = _spread(e, products, convention.sd, mean)
        if eigenvalues[1] > 1 - DISCONNECTED_TOLERANCE:
            diagnostics.append(Diagnostic("disconnected", {"eigenvalues": eigenvalues}))
        elif (
            len(eigenvalues) >= 3 and (eigenvalues[1] - eigenvalues[2]) < weak_gap * eigenvalues[1]
        ):
            diagnostics.append(
                Diagnostic(
                    "weak_structure",
                    {
                        "eigenvalues": eigenvalues,
                        "gap": (eigenvalues[1] - eigenvalues[2]) / eigenvalues[1],
                        "threshold": weak_gap,
                    },
                )
            )
        if not (np.isfinite(sd) and sd > 0):
            diagnostics.append(Diagnostic("eci_constant", {}))
    else:
        diagnostics.append(
            Diagnostic("too_small", {"places": n_net_places, "products": n_net_products})
        )

    # Density, COI and COG: one float64 BLAS product per block of rows.
    pci_weight = np.where(net_products, np.nan_to_num(pci_raw), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        density_weights = np.where(
            no_neighbours[None, :], 0.0, proximity.T / proximity_total[None, :]
        )
        gain_weights = (
            proximity * np.where(no_neighbours, 0.0, pci_weight / proximity_total)[:, None]
        )
    stacked = np.hstack([density_weights, gain_weights])
    gain_total = gain_weights.sum(axis=0)
    density = np.empty((places, products))
    cog = np.empty((places, products))
    coi_raw = np.empty(places)
    for start in range(0, places, block_rows):
        stop = start + block_rows
        block = mcp[start:stop].astype(np.float64)
        product = block @ stacked
        absent = 1.0 - block
        density[start:stop] = product[:, :products]
        cog[start:stop] = absent * (gain_total[None, :] - product[:, products:])
        coi_raw[start:stop] = (product[:, :products] * absent) @ pci_weight
    del stacked
    density[:, no_neighbours] = np.nan

    # Normalisation (ECI's mean and sd for ECI and PCI, ECI's sd for COG, COI on its own).
    usable = np.isfinite(sd) and sd > 0
    if usable:
        eci = (eci_raw - mean) / sd
        pci = (pci_raw - mean) / sd
        cog /= sd
        c = coi_raw[net_places]
        coi_mean = float(c.mean())
        coi_sd = _spread(c, products, convention.sd, coi_mean)
        coi = (coi_raw - coi_mean) / coi_sd if coi_sd > 0 else np.full(places, np.nan)
        coi[~net_places] = np.nan
        cog[~net_places, :] = np.nan
        cog[:, ~net_products] = np.nan
    else:
        eci = np.full(places, np.nan)
        pci = np.full(products, np.nan)
        coi = np.full(places, np.nan)
        cog[:] = np.nan

    rows, cols = kept_places, kept_products
    return ComplexityResult(
        values=x,
        rca=_expand(rca, rows, cols),
        mcp=mcp if whole else _expand_bool(mcp, rows, cols),
        kept_places=rows,
        kept_products=cols,
        diversity=diversity if whole else _expand_int(diversity, rows),
        ubiquity=ubiquity if whole else _expand_int(ubiquity, cols),
        eci=_expand(eci, rows, None),
        pci=_expand(pci, cols, None),
        density=_expand(density, rows, cols),
        coi=_expand(coi, rows, None),
        cog=_expand(cog, rows, cols),
        proximity=proximity,
        eigenvalues=eigenvalues,
        solver=solver_used,
        convention=convention,
        diagnostics=diagnostics,
    )


def _expand_bool(inner: BoolArray, rows: BoolArray, cols: BoolArray) -> BoolArray:
    full = np.zeros((rows.shape[0], cols.shape[0]), dtype=bool)
    full[np.ix_(rows, cols)] = inner
    return full


def _expand_int(inner: IntArray, mask: BoolArray) -> IntArray:
    full = np.zeros(mask.shape[0], dtype=np.int64)
    full[mask] = inner
    return full
