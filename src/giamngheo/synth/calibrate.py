"""Offline fit of the provinces' deprivation shifts (run: ``python -m giamngheo.synth.calibrate``).

For each province, pilot households are drawn *below the income line* (welfare ``z`` from the normal
distribution truncated at the province-and-area quantile of the line) with the real generator, for a
grid of deprivation shifts, using the same random numbers for every shift. The share with ≥ 3
deprivations (the generator's own count, which equals the fact-based count) rises with the shift; the
fitted shift is where it crosses the target poor ÷ (poor + near-poor), by linear interpolation.
The result is pasted into :data:`giamngheo.synth.calibration.DEPRIVATION_SHIFT`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from giamngheo.synth._population import Params, draw_population
from giamngheo.synth._stats import norm_ppf
from giamngheo.synth.calibration import URBAN_SIZE_GAP, province_targets

#: Grid of shifts tried (logit units); the fit is clamped to its ends.
SHIFT_GRID = np.arange(-1.5, 4.01, 0.25)
PILOT_HOUSEHOLDS = 20_000


def fit_deprivation_shifts(pilot: int = PILOT_HOUSEHOLDS, seed: int = 20_250_701) -> dict[str, float]:
    """Fitted deprivation shift per province code (see the module docstring)."""
    targets = province_targets()
    base = Params.from_targets(targets, URBAN_SIZE_GAP)
    out: dict[str, float] = {}
    for i, t in enumerate(targets):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i])))
        # the urban share *among households below the line*, not among all households
        below_urban = t.urban_share * t.below_line_urban
        urban_share = below_urban / (below_urban + (1 - t.urban_share) * t.below_line_rural)
        urban = rng.random(pilot) < urban_share
        below = np.where(urban, t.below_line_urban, t.below_line_rural)
        z = norm_ppf(np.clip(rng.random(pilot) * below, 1e-12, 1 - 1e-12))
        prov = np.full(pilot, i, dtype=np.int64)
        shares = []
        for shift in SHIFT_GRID:
            params = replace(base, shift=np.full(len(targets), shift))
            pop = draw_population(
                np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i, 1]))),
                prov,
                urban,
                z,
                params,
            )
            shares.append(float((pop.deprivations >= 3).mean()))
        curve = np.maximum.accumulate(np.array(shares))
        out[t.code] = round(float(np.interp(t.poor_share_below_line, curve, SHIFT_GRID)), 3)
    return out


if __name__ == "__main__":  # pragma: no cover - developer tool
    for code, shift in fit_deprivation_shifts().items():
        print(f'    "{code}": {shift},')
