"""The leading non-trivial eigenvector of the product–product matrix, symmetrically.

The Hidalgo–Hausmann matrix is M̃ = D_p⁻¹ Mᵀ D_c⁻¹ M (D_c = diversity, D_p = ubiquity on the
diagonal). It is not symmetric, but it is similar to the symmetric positive semi-definite
S = Bᵀ B with B = D_c^-½ M D_p^-½: if S v = λ v then M̃ (D_p^-½ v) = λ (D_p^-½ v). So its
eigenvalues are real, in [0, 1], the largest is 1 (eigenvector D_p^½ 1, the trivial one) and
the one ECI and PCI come from is the second largest. We take it from S with a symmetric
solver on the dense p × p matrix S (formed in float64 BLAS, row block by row block, never a
place × place matrix): LAPACK's `syevr` for a few hundred products, ARPACK's Lanczos (`eigsh`)
above; or (`arpack`, chosen automatically beyond DENSE_WORK_LIMIT / DENSE_PRODUCTS_LIMIT)
Lanczos on S as an operator v ↦ Bᵀ(B v) with B sparse, never forming S.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.sparse
import scipy.sparse.linalg

Solver = Literal["auto", "dense", "arpack"]

# Forming S densely costs places × products² multiply-adds (BLAS, ~1 s at 40,000 × 1,000);
# above this, or above DENSE_PRODUCTS_LIMIT products, Lanczos on the sparse operator is used.
DENSE_WORK_LIMIT = 100_000_000_000
DENSE_PRODUCTS_LIMIT = 4_000
# Up to this many products the dense S goes to LAPACK whole; above, to Lanczos.
SMALL_PRODUCTS = 200


@dataclass(frozen=True)
class Eigen:
    """The second eigenvector of M̃ (any positive scale), and the top eigenvalues, largest first."""

    vector: npt.NDArray[np.float64]
    eigenvalues: tuple[float, ...]
    solver: str


def _start(n: int) -> npt.NDArray[np.float64]:
    """A fixed, generic starting vector (not the trivial eigenvector) so runs are repeatable."""
    return np.random.default_rng(20_191).uniform(0.5, 1.5, n)


def choose_solver(places: int, products: int, solver: Solver = "auto") -> str:
    if solver != "auto":
        return solver
    if products <= DENSE_PRODUCTS_LIMIT and places * products * products <= DENSE_WORK_LIMIT:
        return "dense"
    return "arpack"


def second_eigenvector(
    mcp: npt.NDArray[np.bool_],
    diversity: npt.NDArray[np.float64],
    ubiquity: npt.NDArray[np.float64],
    solver: Solver = "auto",
    block_rows: int = 4096,
) -> Eigen:
    """`mcp` has no empty row or column; `diversity`/`ubiquity` are its row/column sums."""
    places, products = mcp.shape
    if places < 2 or products < 2:
        raise ValueError("at least two places and two products are needed")
    row_weight = 1.0 / np.sqrt(diversity)
    col_weight = 1.0 / np.sqrt(ubiquity)
    method = choose_solver(places, products, solver)
    wanted = min(3, products)
    if method == "dense":
        s = np.zeros((products, products))
        for start in range(0, places, block_rows):
            block = mcp[start : start + block_rows].astype(np.float64)
            block *= row_weight[start : start + block_rows, None]
            s += block.T @ block
        s *= col_weight[:, None]
        s *= col_weight[None, :]
        if products <= SMALL_PRODUCTS:
            values, vectors = scipy.linalg.eigh(
                s, subset_by_index=[products - wanted, products - 1], driver="evr"
            )
        else:
            # Lanczos on the dense S: a few dozen p × p products instead of the O(p³)
            # tridiagonal reduction (0.05 s instead of 2 s at 1,000 products).
            values, vectors = scipy.sparse.linalg.eigsh(
                s, k=wanted, which="LA", tol=0, v0=_start(products), maxiter=products * 50
            )
        order = np.argsort(values)[::-1]
        values, vectors = values[order], vectors[:, order]
    elif method == "arpack":
        rows, cols = np.nonzero(mcp)
        b = scipy.sparse.csr_matrix(
            (row_weight[rows] * col_weight[cols], (rows, cols)), shape=(places, products)
        )
        bt = b.T.tocsr()

        def matvec(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return np.asarray(bt @ (b @ np.ravel(v)))

        operator = scipy.sparse.linalg.LinearOperator(
            (products, products), matvec=matvec, dtype=np.float64
        )
        k = min(3, products - 1)
        values, vectors = scipy.sparse.linalg.eigsh(
            operator, k=k, which="LA", tol=0, v0=_start(products), maxiter=products * 50
        )
        order = np.argsort(values)[::-1]
        values, vectors = values[order], vectors[:, order]
    else:
        raise ValueError(f"unknown eigen solver {solver!r}")
    vector = vectors[:, 1] * col_weight
    return Eigen(vector=vector, eigenvalues=tuple(float(v) for v in values), solver=method)
