"""Synthetic communes and villages (xã/phường, thôn/tổ dân phố), stable whatever the seed.

Each province gets about as many communes as its share of the country's 3,321 commune-level units
(at least 40, at most 168). Commune sizes are log-normal shares; the largest communes are wards
(phường, urban) until the province's urban household share is reached, the rest are communes (xã,
rural). Codes are synthetic: ``commune_code`` = province code + three digits (``"01001"``),
``village_code`` = commune code + ``"-"`` + two digits (``"01001-07"``). The geography depends only
on the province list and the generator version, never on the seed or the population size, so the
same commune code means the same place in every synthetic population.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from giamngheo.synth._stats import FloatArray, IntArray
from giamngheo.synth.calibration import ProvinceTargets, province_targets

#: Commune-level units since 1 July 2025 (2,621 xã, 687 phường, 13 đặc khu).
NATIONAL_COMMUNES: Final = 3321
COMMUNE_BOUNDS: Final = (40, 168)
#: Households per village at the national scale (assumption), and bounds on villages per commune.
HOUSEHOLDS_PER_VILLAGE: Final = 450
VILLAGE_BOUNDS: Final = (4, 40)
_GEO_SALT: Final = 0x6E0


@dataclass(frozen=True, slots=True)
class Geography:
    """Communes of the selected provinces, in province order, with their household counts.

    ``commune_end[c]`` is one past the last household index of commune ``c`` (households are numbered
    0..N-1 and sorted by province, commune, village).
    """

    province_index: np.ndarray  # per commune: index into the selected provinces
    commune_code: list[str]
    urban: np.ndarray  # per commune: bool
    villages: np.ndarray  # per commune: number of villages
    commune_start: np.ndarray  # per commune: first household index
    commune_count: np.ndarray  # per commune: households
    province_count: np.ndarray  # per selected province: households


def _largest_remainder(total: int, weights: np.ndarray) -> IntArray:
    """Split ``total`` into integers proportional to ``weights`` (largest-remainder rounding)."""
    exact: FloatArray = total * weights / weights.sum()
    base: IntArray = np.floor(exact).astype(np.int64)
    short = total - int(base.sum())
    if short > 0:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:short]] += 1
    return base


def build_geography(targets: tuple[ProvinceTargets, ...], households: int) -> Geography:
    """Communes and villages of ``targets`` (selected provinces), holding ``households`` in all."""
    national = sum(t.households for t in province_targets())
    weights = np.array([t.households for t in targets])
    province_count = _largest_remainder(households, weights)
    prov_idx: list[np.ndarray] = []
    codes: list[str] = []
    urban: list[np.ndarray] = []
    villages: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for i, t in enumerate(targets):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([_GEO_SALT, int(t.code)])))
        share_of_nation = t.households / national
        n = int(np.clip(round(NATIONAL_COMMUNES * share_of_nation), *COMMUNE_BOUNDS))
        size = rng.lognormal(0.0, 0.55, n)
        size = np.sort(size)[::-1] / size.sum()
        cum = np.cumsum(size)
        is_urban = (cum - size) < t.urban_share
        # the ward that crosses the target share is urban only if most of it lies below the target
        crossing = np.argmax(cum >= t.urban_share) if t.urban_share > 0 else -1
        if crossing >= 0 and t.urban_share - (cum[crossing] - size[crossing]) < size[crossing] / 2:
            is_urban[crossing] = False
        order = rng.permutation(n)  # interleave wards and communes in code order
        size, is_urban = size[order], is_urban[order]
        nominal = size * t.households
        villages.append(np.clip(np.round(nominal / HOUSEHOLDS_PER_VILLAGE), *VILLAGE_BOUNDS).astype(np.int64))
        counts.append(_largest_remainder(int(province_count[i]), size))
        prov_idx.append(np.full(n, i, dtype=np.int64))
        codes.extend(f"{t.code}{k:03d}" for k in range(1, n + 1))
        urban.append(is_urban)
    commune_count = np.concatenate(counts)
    commune_start = np.concatenate([[0], np.cumsum(commune_count)[:-1]]).astype(np.int64)
    return Geography(
        province_index=np.concatenate(prov_idx),
        commune_code=codes,
        urban=np.concatenate(urban),
        villages=np.concatenate(villages),
        commune_start=commune_start,
        commune_count=commune_count,
        province_count=province_count,
    )


def locate(geo: Geography, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """Commune index and village number (1-based) of households ``start..stop-1``."""
    idx = np.arange(start, stop, dtype=np.int64)
    commune = np.searchsorted(geo.commune_start + geo.commune_count, idx, side="right")
    offset = idx - geo.commune_start[commune]
    village = offset * geo.villages[commune] // np.maximum(geo.commune_count[commune], 1) + 1
    return commune, village
