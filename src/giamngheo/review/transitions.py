"""Transitions between two approved review rounds of a commune (biến động hộ nghèo, hộ cận nghèo).

Framework-free Polars: one row per household with its class in the previous and the current round, the
registry status and when it joined the register, and one category per household:

=========================  ====================================================================
``remained_poor``          poor in both rounds (hộ nghèo còn lại)
``escaped_to_near_poor``   poor before, near-poor now (thoát nghèo, thành hộ cận nghèo)
``escaped_poverty``        poor before, neither poor nor near-poor now (thoát nghèo)
``remained_near_poor``     near-poor in both rounds
``escaped_near_poverty``   near-poor before, neither now (thoát cận nghèo)
``relapsed``               poor now, not poor in the previous round, poor in an earlier approved
                           round (tái nghèo)
``newly_poor``             poor now, not poor before and never poor in an earlier round (phát sinh)
``newly_near_poor``        near-poor now, neither before (cận nghèo phát sinh)
``moved_in``               poor or near-poor now, not in the previous round, and entered the
                           register after the previous round's reference date (chuyển đến)
``moved_out``              poor or near-poor before, not reviewed now, moved out (chuyển đi)
``died_merged``            poor or near-poor before, not reviewed now, household merged into
                           another or dissolved (hộ chết, nhập hộ)
``not_reviewed``           poor or near-poor before, still active, but not in the current round
``incomplete``             the current result lacks facts (chưa đủ thông tin)
``other``                  neither poor nor near-poor in either round
=========================  ====================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import polars as pl

CATEGORIES: Final = (
    "remained_poor",
    "escaped_to_near_poor",
    "escaped_poverty",
    "remained_near_poor",
    "escaped_near_poverty",
    "relapsed",
    "newly_poor",
    "newly_near_poor",
    "moved_in",
    "moved_out",
    "died_merged",
    "not_reviewed",
    "incomplete",
    "other",
)
CategoryDtype: Final = pl.Enum(list(CATEGORIES))
ROUND_SCHEMA: Final = {"household_id": pl.Int64(), "village_id": pl.Int64(), "klass": pl.String()}
REGISTRY_SCHEMA: Final = {"household_id": pl.Int64(), "status": pl.String(), "joined_on": pl.Date()}
GONE_STATUSES: Final = {"moved_out": "moved_out", "merged": "died_merged", "dissolved": "died_merged"}
LISTED: Final = ("poor", "near_poor")


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def household_transitions(
    previous: pl.DataFrame,
    current: pl.DataFrame,
    registry: pl.DataFrame,
    *,
    earlier_poor: Iterable[int] = (),
    previous_reference: dt.date,
) -> pl.DataFrame:
    """One row per household of either round: ``household_id``, ``village_id`` (current round's, else
    the previous one's), ``previous_class``, ``current_class``, ``category`` (see the module docstring).

    ``previous`` and ``current``: ``household_id``, ``village_id``, ``klass`` (current results of each
    round). ``registry``: ``household_id``, ``status``, ``joined_on``. ``earlier_poor``: households poor
    in any approved round before ``previous``.
    """
    prev = _typed(previous, ROUND_SCHEMA).rename({"village_id": "prev_village", "klass": "previous_class"})
    cur = _typed(current, ROUND_SCHEMA).rename({"klass": "current_class"})
    reg = _typed(registry, REGISTRY_SCHEMA)
    earlier = pl.Series("household_id", list(earlier_poor), dtype=pl.Int64())
    both = (
        cur.join(prev, on="household_id", how="full", coalesce=True)
        .join(reg, on="household_id", how="left")
        .with_columns(
            pl.coalesce("village_id", "prev_village").alias("village_id"),
            pl.col("household_id").is_in(earlier.implode()).alias("was_poor_earlier"),
        )
    )
    p, c = pl.col("previous_class"), pl.col("current_class")
    joined_after = pl.col("joined_on").is_not_null() & (pl.col("joined_on") > previous_reference)
    new_here = p.is_null() & joined_after
    gone = pl.col("status").replace_strict(GONE_STATUSES, default="not_reviewed")
    category = (
        pl.when(c.is_null() & p.is_in(LISTED))
        .then(gone)
        .when(c == "poor")
        .then(
            pl.when(p == "poor")
            .then(pl.lit("remained_poor"))
            .when(new_here)
            .then(pl.lit("moved_in"))
            .when(pl.col("was_poor_earlier"))
            .then(pl.lit("relapsed"))
            .otherwise(pl.lit("newly_poor"))
        )
        .when(c == "near_poor")
        .then(
            pl.when(p == "poor")
            .then(pl.lit("escaped_to_near_poor"))
            .when(p == "near_poor")
            .then(pl.lit("remained_near_poor"))
            .when(new_here)
            .then(pl.lit("moved_in"))
            .otherwise(pl.lit("newly_near_poor"))
        )
        .when(c == "incomplete")
        .then(pl.lit("incomplete"))
        .when(p == "poor")
        .then(pl.lit("escaped_poverty"))
        .when(p == "near_poor")
        .then(pl.lit("escaped_near_poverty"))
        .otherwise(pl.lit("other"))
    )
    return both.select(
        "household_id",
        "village_id",
        "previous_class",
        "current_class",
        category.cast(CategoryDtype).alias("category"),
    ).sort("household_id")


def transition_counts(per_household: pl.DataFrame) -> pl.DataFrame:
    """Households per village (``village_id``, null for households without a village) and category:
    one row per village, one column per category of :data:`CATEGORIES` (zeros included)."""
    if per_household.height == 0:
        return pl.DataFrame(schema={"village_id": pl.Int64(), **dict.fromkeys(CATEGORIES, pl.Int64())})
    long = per_household.group_by("village_id", "category").agg(pl.len().cast(pl.Int64).alias("households"))
    villages = per_household.select("village_id").unique()
    grid = villages.join(pl.DataFrame({"category": pl.Series(CATEGORIES, dtype=CategoryDtype)}), how="cross")
    filled = grid.join(long, on=["village_id", "category"], how="left", nulls_equal=True).with_columns(
        pl.col("households").fill_null(0)
    )
    wide = filled.pivot(on="category", index="village_id", values="households", sort_columns=False)
    return wide.select("village_id", *CATEGORIES).sort("village_id", nulls_last=True)


def commune_totals(counts: pl.DataFrame) -> dict[str, int]:
    """The commune's total per category (the sum of the village rows)."""
    sums = counts.select([pl.col(c).sum() for c in CATEGORIES]).row(0, named=True) if counts.height else {}
    return {c: int(sums.get(c) or 0) for c in CATEGORIES}
