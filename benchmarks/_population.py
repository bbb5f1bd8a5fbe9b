"""A small, vectorised fallback population for the benchmark (used only when ``giamngheo.synth`` is absent).

Not calibrated to anything: it only has the right columns (every fact of ``giamngheo.standards.facts``
plus ``province_code`` and ``commune_code``), plausible shapes (1-8 members, incomes spread around the
2022-2025 lines, most facts "good" with a minority deprived) and a few blank facts, so that every branch
of the engine runs. Use ``giamngheo.synth`` for anything that needs realistic rates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS, Level, polars_schema

COMMUNES_PER_PROVINCE = 100
PROVINCES = 34


def _choice(
    rng: np.random.Generator, n: int, values: tuple[str, ...], weights: list[float]
) -> np.ndarray[Any, Any]:
    p = np.asarray(weights, dtype=float)
    return np.asarray(values)[rng.choice(len(values), size=n, p=p / p.sum())]


def _blank(rng: np.random.Generator, frame: pl.DataFrame, column: str, rate: float) -> pl.Expr:
    """``column`` with a share ``rate`` of its values blanked (null)."""
    keep = pl.Series(rng.random(frame.height) >= rate)
    return pl.when(pl.lit(keep)).then(pl.col(column)).alias(column)


def build_population(
    households: int, seed: int = 0, missing_rate: float = 0.02
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Household and member frames for ``households`` households (deterministic for a ``seed``)."""
    rng = np.random.default_rng(seed)
    n = households
    size = rng.choice(np.arange(1, 9), size=n, p=[0.12, 0.2, 0.22, 0.22, 0.12, 0.07, 0.03, 0.02])
    urban = rng.random(n) < 0.35
    line_year = np.where(urban, 2_000_000, 1_500_000) * 12
    income = (np.exp(rng.normal(np.log(1.8), 0.6, n)) * line_year * size).astype(np.int64)
    commune = rng.integers(0, PROVINCES * COMMUNES_PER_PROVINCE, n)
    ids = np.arange(1, n + 1, dtype=np.int64)
    has_dwelling = rng.random(n) < 0.99
    hh_columns: dict[str, Any] = {
        "household_id": ids,
        "province_code": pl.Series(commune // COMMUNES_PER_PROVINCE + 1).cast(pl.String).str.zfill(2),
        "commune_code": pl.Series(commune).cast(pl.String).str.zfill(5),
        "area": np.where(urban, "urban", "rural"),
        "income_12m": income,
        "income_score": np.round(income / size / 12 / np.where(urban, 2_000_000 / 175, 1_500_000 / 140), 1),
        "ill_member_untreated": rng.random(n) < 0.05,
        "has_dwelling": has_dwelling,
        "durable_main_parts": rng.choice(4, size=n, p=[0.03, 0.05, 0.12, 0.8]),
        "floor_area_m2": np.round(size * rng.gamma(4.0, 6.0, n), 1),
        "water_source": _choice(
            rng, n, ("piped", "drilled_well", "surface_water", "other"), [6, 3, 0.6, 0.4]
        ),
        "latrine_type": _choice(rng, n, ("septic", "semi_septic", "simple_pit", "none"), [7, 2, 0.7, 0.3]),
        "waste_disposal": _choice(rng, n, ("collected", "treated_on_site", "discarded"), [6, 3, 1]),
        "uses_internet": rng.random(n) < 0.8,
        "uses_telephone": rng.random(n) < 0.95,
        "has_tv": rng.random(n) < 0.85,
        "has_radio": rng.random(n) < 0.2,
        "has_computer": rng.random(n) < 0.3,
        "has_smartphone": rng.random(n) < 0.8,
        "hears_loudspeaker": rng.random(n) < 0.7,
    }
    m = int(size.sum())
    age = np.clip(rng.gamma(2.0, 16.0, m), 0, 100).astype(np.int64)
    child = age < 16
    working = (age >= 15) & (age < 60)
    mm_columns: dict[str, Any] = {
        "household_id": np.repeat(ids, size),
        "age": age,
        "sex": np.where(rng.random(m) < 0.5, "male", "female"),
        "has_labour_capacity": rng.random(m) < 0.95,
        "employment": np.where(
            working,
            _choice(
                rng,
                m,
                (
                    "wage_with_contract",
                    "wage_without_contract",
                    "self_employed",
                    "unemployed",
                    "not_in_labour_force",
                ),
                [4, 1, 4, 0.3, 1],
            ),
            "not_in_labour_force",
        ),
        "has_health_insurance": rng.random(m) < 0.92,
        "stunted": child & (rng.random(m) < 0.08),
        "underweight": child & (rng.random(m) < 0.06),
        "school_attendance": np.where(
            age < 25,
            _choice(rng, m, ("attending", "attending_below_age_level", "not_attending"), [9, 0.5, 1]),
            "not_attending",
        ),
        "general_education": _choice(
            rng, m, ("none", "primary", "lower_secondary", "upper_secondary"), [1, 2, 3, 4]
        ),
        "vocational_qualification": _choice(
            rng, m, ("none", "elementary", "intermediate", "college_or_higher"), [6, 1, 1, 1]
        ),
        "enterprise_trained": rng.random(m) < 0.03,
    }
    hh_schema = {
        **polars_schema(Level.HOUSEHOLD),
        "household_id": pl.Int64(),
        "province_code": pl.String(),
        "commune_code": pl.String(),
    }
    mm_schema = {**polars_schema(Level.MEMBER), "household_id": pl.Int64()}
    hh = pl.DataFrame({k: pl.Series(k, v).cast(hh_schema[k]) for k, v in hh_columns.items()})
    parts = pl.col("durable_main_parts")
    hh = hh.with_columns(pl.when(pl.col("has_dwelling")).then(parts).alias(parts.meta.output_name()))
    mm = pl.DataFrame({k: pl.Series(k, v).cast(mm_schema[k]) for k, v in mm_columns.items()})
    blank_hh = [f.name for f in HOUSEHOLD_FACTS if not f.required and f.name != "income_score"]
    blank_mm = [f.name for f in MEMBER_FACTS if not f.required]
    hh = hh.with_columns(_blank(rng, hh, c, missing_rate / len(blank_hh)) for c in blank_hh)
    mm = mm.with_columns(_blank(rng, mm, c, missing_rate / len(blank_mm)) for c in blank_mm)
    return hh, mm
