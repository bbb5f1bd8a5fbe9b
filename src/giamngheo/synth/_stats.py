"""Small vectorised statistical helpers (no SciPy): normal quantiles, logistic, categorical draws."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# Coefficients of Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716)
_A6 = 2.506628277459239
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572)
_C = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968)
_C6 = 2.938163982698783
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
_P_LOW = 0.02425


def norm_ppf(p: FloatArray) -> FloatArray:
    """Quantile of the standard normal distribution, element-wise, for 0 < p < 1."""
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    low = p < _P_LOW
    high = p > 1 - _P_LOW
    mid = ~(low | high)
    if mid.any():
        q = p[mid] - 0.5
        r = q * q
        num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A6) * q
        den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
        out[mid] = num / den
    for mask, sign in ((low, 1.0), (high, -1.0)):
        if mask.any():
            pp = p[mask] if sign > 0 else 1 - p[mask]
            q = np.sqrt(-2 * np.log(pp))
            num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C6
            den = (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
            out[mask] = sign * num / den
    return out


def logistic(x: FloatArray) -> FloatArray:
    """The logistic function 1 / (1 + exp(-x)), element-wise."""
    return 1.0 / (1.0 + np.exp(-x))


def choose(rng: np.random.Generator, n: int, probs: tuple[float, ...]) -> IntArray:
    """Draw ``n`` category indices with the same probabilities ``probs`` (normalised)."""
    p = np.asarray(probs, dtype=np.float64)
    cum = np.cumsum(p / p.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, rng.random(n), side="right").astype(np.int64)


def choose_by_group(
    rng: np.random.Generator, group: IntArray, table: tuple[tuple[float, ...], ...]
) -> IntArray:
    """Draw one category index per row, with probabilities ``table[group[row]]``."""
    cum: FloatArray = np.cumsum(np.asarray(table, dtype=np.float64), axis=1)
    cum = cum / cum[:, -1:]
    u: FloatArray = rng.random(int(group.shape[0]))
    above: BoolArray = u[:, None] >= cum[group]
    return np.asarray(above.sum(axis=1), dtype=np.int64)


def ordinal(latent: FloatArray, probs: tuple[float, ...]) -> IntArray:
    """Map a standard-normal ``latent`` to ordered categories with marginal probabilities ``probs``.

    Higher latent values give higher categories, so a latent that correlates with welfare makes the
    category correlate with welfare while keeping (approximately) the stated marginal shares.
    """
    p = np.asarray(probs, dtype=np.float64)
    cum = np.cumsum(p / p.sum())[:-1]
    cuts = norm_ppf(np.clip(cum, 1e-12, 1 - 1e-12))
    return np.searchsorted(cuts, latent, side="right").astype(np.int64)


def pick_one_per_group(
    rng: np.random.Generator, starts: IntArray, eligible: BoolArray
) -> tuple[BoolArray, BoolArray]:
    """Pick one eligible row at random inside each contiguous group.

    ``starts`` are the first row of each group (groups are contiguous and non-empty). Returns the
    per-row mask of picked rows and the per-group mask "has at least one eligible row".
    """
    key = np.where(eligible, rng.random(eligible.shape[0]), -1.0)
    best = np.maximum.reduceat(key, starts)
    sizes = np.diff(np.append(starts, eligible.shape[0]))
    picked = eligible & (key == np.repeat(best, sizes))
    return picked, best >= 0
