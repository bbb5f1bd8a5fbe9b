"""Calibration table (bảng hiệu chỉnh): from published poverty rates to generator parameters.

The method, in four documented steps (details and sources in ``docs/synthetic-data.md``):

1. **Regions.** The end-2024 review (Decision 217/QĐ-BLĐTBXH) publishes, per region, the poor +
   near-poor count and rate, and the poor count for two regions. Each region's household count is
   count ÷ rate. The poor count of the other four regions is the national residual, split in
   proportion to (2024 poor + near-poor) × (2022 poor share).
2. **Old provinces.** Where a province's own end-2024 (or end-2023, scaled by its region's decline)
   rate was found it is used; the other provinces of a region share the region's remainder in
   proportion to ``index_2012²`` (poverty fell faster where it was lower). Household weights are
   2019 census population ÷ assumed household size, rescaled to the region's household count.
3. **New provinces.** The 63 are aggregated into the 34 by household weight (Resolution
   202/2025/QH15).
4. **Income.** Within a province the rate below the line is split by area (urban rate = ``URBAN_RATE_RATIO``
   × rural rate). Income per person is log-normal per province and area: the location μ and spread σ
   are solved so that P(income ≤ line) equals that rate *and* the mean equals the province's mean
   income (urban mean = ``URBAN_INCOME_RATIO`` × rural mean). Poor vs near-poor then depends on the
   deprivations: a province's deprivation shift (``DEPRIVATION_SHIFT``) is chosen, offline, by
   :func:`giamngheo.synth.calibrate.fit_deprivation_shifts`, so that among households below the line the
   share with ≥ 3 deprivations equals poor ÷ (poor + near-poor).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np
import polars as pl

from giamngheo.synth import _data
from giamngheo.synth._stats import norm_ppf

#: Urban rate below the line ÷ rural rate in the same province (assumption).
URBAN_RATE_RATIO: Final = 0.25
#: Urban mean income ÷ rural mean income in the same province (assumption, close to VHLSS ratios).
URBAN_INCOME_RATIO: Final = 1.6
#: Bounds on the log-normal spread σ of income per person.
SIGMA_BOUNDS: Final = (0.35, 0.90)
#: Urban households are smaller: mean size difference urban - rural, persons (assumption).
URBAN_SIZE_GAP: Final = -0.5

#: Deprivation shift per province (logit units), fitted offline by ``python -m giamngheo.synth.calibrate``
#: (generator version 1). Regenerate whenever the generator's deprivation model changes.
DEPRIVATION_SHIFT: Final[dict[str, float]] = {
    "01": -1.5,
    "04": 0.383,
    "08": 0.786,
    "11": 0.747,
    "12": 0.818,
    "14": 0.381,
    "15": 0.369,
    "19": 0.078,
    "20": 0.158,
    "22": -0.467,
    "24": 0.102,
    "25": 0.289,
    "31": -0.453,
    "33": -0.383,
    "37": -0.238,
    "38": 0.1,
    "40": 0.116,
    "42": 0.056,
    "44": 0.124,
    "46": -0.093,
    "48": 0.09,
    "51": -0.102,
    "52": -0.143,
    "56": -0.111,
    "66": -0.178,
    "68": -0.354,
    "75": 0.354,
    "79": -1.5,
    "80": -0.915,
    "82": -0.568,
    "86": -0.418,
    "91": -0.537,
    "92": -0.345,
    "96": 0.046,
}


@dataclass(frozen=True, slots=True)
class ProvinceTargets:
    """Targets and parameters for one of the 34 provinces."""

    code: str
    name: str
    households: float
    poor_rate: float  # percent
    near_poor_rate: float  # percent
    urban_share: float
    mean_household_size: float
    mean_income: float  # VND per person per month
    below_line_rural: float  # probability
    below_line_urban: float  # probability
    mu_rural: float
    sigma_rural: float
    mu_urban: float
    sigma_urban: float
    deprivation_shift: float
    mountain: bool

    @property
    def poor_share_below_line(self) -> float:
        """Share of poor among households below the line: poor ÷ (poor + near-poor)."""
        total = self.poor_rate + self.near_poor_rate
        return self.poor_rate / total if total > 0 else 0.0


def regional_poor_rates() -> dict[str, tuple[float, float, float]]:
    """Households, poor rate and near-poor rate (percent) of each region, end-2024 (step 1)."""
    known = {r.region: r.poor for r in _data.REGION_RESULTS_2024 if r.poor is not None}
    residual = _data.NATIONAL_POOR_2024 - sum(v for v in known.values() if v is not None)
    provisional = {
        r.region: r.poor_and_near * r.poor_share_2022 for r in _data.REGION_RESULTS_2024 if r.poor is None
    }
    factor = residual / sum(provisional.values())
    out: dict[str, tuple[float, float, float]] = {}
    for r in _data.REGION_RESULTS_2024:
        households = r.poor_and_near / (r.poor_and_near_rate / 100)
        poor = float(r.poor) if r.poor is not None else provisional[r.region] * factor
        out[r.region] = (households, 100 * poor / households, 100 * (r.poor_and_near - poor) / households)
    return out


def old_province_rates() -> list[tuple[_data.OldProvince, float, float, float]]:
    """(province, household weight, poor rate, near-poor rate) of the 63 old provinces (step 2)."""
    regions = regional_poor_rates()
    by_region: dict[str, list[_data.OldProvince]] = defaultdict(list)
    for p in _data.OLD_PROVINCES:
        by_region[p.region].append(p)
    rows: list[tuple[_data.OldProvince, float, float, float]] = []
    for region, provinces in by_region.items():
        households, poor_r, near_r = regions[region]
        raw = np.array([p.population_2019 * 1000 / p.household_size for p in provinces])
        weight = raw * households / raw.sum()
        poor = _fill_rates(provinces, weight, poor_r, [p.poor for p in provinces])
        near_known: list[float | None] = []
        for p, pr in zip(provinces, poor, strict=True):
            if p.near is not None:
                near_known.append(p.near)
            elif p.poor is not None:
                near_known.append(pr * near_r / poor_r if pr > 0 else _data.RATE_FLOOR)
            else:
                near_known.append(None)
        near = _fill_rates(provinces, weight, near_r, near_known)
        rows.extend(zip(provinces, weight.tolist(), poor.tolist(), near.tolist(), strict=True))
    return rows


def _fill_rates(
    provinces: list[_data.OldProvince], weight: np.ndarray, region_rate: float, known: list[float | None]
) -> np.ndarray:
    """Known rates stay; unknown ones share the regional remainder in proportion to index²."""
    rates = np.array([k if k is not None else 0.0 for k in known])
    unknown = np.array([k is None for k in known])
    if unknown.any():
        index = np.array([p.index_2012**2 for p in provinces])
        remainder = region_rate * weight.sum() - (weight * rates)[~unknown].sum()
        scale = max(remainder, 0.0) / (weight * index)[unknown].sum()
        rates[unknown] = index[unknown] * scale
    return rates


def _lognormal(rate: float, line: float, mean: float) -> tuple[float, float]:
    """μ, σ of a log-normal with P(X ≤ line) = rate and E[X] = mean (σ clipped to SIGMA_BOUNDS)."""
    k = float(norm_ppf(np.array([rate]))[0])
    disc = k * k + 2 * math.log(mean / line)
    sigma = k + math.sqrt(disc) if disc > 0 else SIGMA_BOUNDS[0]
    sigma = min(max(sigma, SIGMA_BOUNDS[0]), SIGMA_BOUNDS[1])
    return math.log(line) - sigma * k, sigma


@cache
def province_targets() -> tuple[ProvinceTargets, ...]:
    """Targets and income parameters of the 34 provinces (steps 3 and 4), in code order."""
    agg: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for p, w, poor, near in old_province_rates():
        a = agg[p.new_code]
        a[0] += w
        a[1] += w * poor
        a[2] += w * near
        a[3] += w * p.household_size
    out = []
    for prov in _data.PROVINCES:
        w, wpoor, wnear, wsize = agg[prov.code]
        poor, near, size = wpoor / w, wnear / w, wsize / w
        u = prov.urban_share
        below = max(poor + near, _data.RATE_FLOOR) / 100
        rural_rate = min(below / (1 - u + URBAN_RATE_RATIO * u), 0.95)
        urban_rate = URBAN_RATE_RATIO * rural_rate
        mean = prov.mean_income * 1000.0
        rural_mean = mean / (1 + (URBAN_INCOME_RATIO - 1) * u)
        mu_r, sigma_r = _lognormal(rural_rate, _data.LINE_RURAL, rural_mean)
        mu_u, sigma_u = _lognormal(urban_rate, _data.LINE_URBAN, rural_mean * URBAN_INCOME_RATIO)
        out.append(
            ProvinceTargets(
                code=prov.code,
                name=prov.name,
                households=w,
                poor_rate=poor,
                near_poor_rate=near,
                urban_share=u,
                mean_household_size=size,
                mean_income=mean,
                below_line_rural=rural_rate,
                below_line_urban=urban_rate,
                mu_rural=mu_r,
                sigma_rural=sigma_r,
                mu_urban=mu_u,
                sigma_urban=sigma_u,
                deprivation_shift=DEPRIVATION_SHIFT.get(prov.code, 0.0),
                mountain=prov.mountain,
            )
        )
    return tuple(out)


def calibration_table() -> pl.DataFrame:
    """The calibration table as a frame: one row per province (also written to ``manifest.json``)."""
    rows = [
        {
            "province_code": t.code,
            "province_name": t.name,
            "households_weight": round(t.households),
            "poor_rate_target": round(t.poor_rate, 3),
            "near_poor_rate_target": round(t.near_poor_rate, 3),
            "urban_share": t.urban_share,
            "mean_household_size": round(t.mean_household_size, 3),
            "mean_income_vnd": round(t.mean_income),
            "below_line_rural": round(t.below_line_rural, 5),
            "below_line_urban": round(t.below_line_urban, 5),
            "mu_rural": round(t.mu_rural, 5),
            "sigma_rural": round(t.sigma_rural, 5),
            "mu_urban": round(t.mu_urban, 5),
            "sigma_urban": round(t.sigma_urban, 5),
            "deprivation_shift": t.deprivation_shift,
            "mountain": t.mountain,
        }
        for t in province_targets()
    ]
    return pl.DataFrame(rows)


def national_targets(province_codes: tuple[str, ...] | None = None) -> tuple[float, float]:
    """Household-weighted poor and near-poor rates (percent) of the selected provinces."""
    ts = [t for t in province_targets() if province_codes is None or t.code in province_codes]
    w = sum(t.households for t in ts)
    return (
        sum(t.households * t.poor_rate for t in ts) / w,
        sum(t.households * t.near_poor_rate for t in ts) / w,
    )
