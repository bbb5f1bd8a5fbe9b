"""Figures frames (counts per unit, as stored for approved rounds) give the same numbers as the households
they were counted from, for every function of the aggregation path, at every level."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from giamngheo.measures import alkire_foster
from giamngheo.reports.aggregation import (
    REPORT_SCHEMA,
    TRANSITION_COLUMNS,
    af_totals,
    cause_counts,
    count_figures,
    deprivation_counts,
    is_figures,
    summary,
    transition_summary,
    without_cause_counts,
)
from giamngheo.reports.dashboard_data import deprivation_profile, trend

INDICATORS = ("a", "b", "c", "d")
K = 2
_CLASSES = ("poor", "near_poor", "middle_living", "not_poor", "incomplete", "not_reviewed")
_CATEGORIES = ("remained_poor", "escaped_poverty", "newly_poor", "relapsed", "moved_in", "moved_out", None)

_household = st.fixed_dictionaries(
    {
        "commune_id": st.integers(1, 3),
        "village": st.integers(0, 3),  # 0: no village
        "klass": st.sampled_from(_CLASSES),
        "area": st.sampled_from(("urban", "rural")),
        "ethnic_minority": st.booleans(),
        "no_labour_capacity": st.booleans(),
        "deprived": st.lists(st.sampled_from(INDICATORS), unique=True, max_size=4),
        "causes": st.lists(st.sampled_from(("land", "capital", "illness")), unique=True, max_size=2),
        "category": st.sampled_from(_CATEGORIES),
        "previous": st.sampled_from(("poor", "near_poor", "not_poor", None)),
    }
)


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "province_code": "51",
                "commune_id": r["commune_id"],
                "commune_code": f"{r['commune_id']:05d}",
                "commune_name": f"Xã {r['commune_id']}",
                "village_id": r["commune_id"] * 10 + r["village"] if r["village"] else None,
                "village_name": f"Thôn {r['village']}" if r["village"] else None,
                "household_id": i,
                "area": r["area"],
                "ethnic_minority": r["ethnic_minority"],
                "meritorious_family": False,
                "social_protection": r["village"] == 1,
                "no_labour_capacity": r["no_labour_capacity"],
                "klass": r["klass"],
                # a household the round did not list has no deprivations or causes
                "deprived": r["deprived"] if r["klass"] != "not_reviewed" else [],
                "causes": r["causes"] if r["klass"] in ("poor", "near_poor") else [],
            }
            for i, r in enumerate(rows)
        ],
        schema=REPORT_SCHEMA,
    )


def _transitions(rows: list[dict[str, Any]], frame: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": frame["household_id"],
            "commune_id": frame["commune_id"],
            "village_id": frame["village_id"],
            "previous_class": [r["previous"] for r in rows],
            "current_class": frame["klass"],
            "category": [r["category"] for r in rows],
        }
    ).filter(pl.col("category").is_not_null())


def _stored(frame: pl.DataFrame, transitions: pl.DataFrame) -> pl.DataFrame:
    """What the service stores: per commune (as a round is one commune), per village, the counts."""
    parts = []
    for (commune,), households in frame.group_by(["commune_id"]):
        moves = transitions.filter(pl.col("commune_id") == commune).drop("commune_id")
        counted = count_figures(households, ["village_id"], indicators=INDICATORS, k=K, transitions=moves)
        units = households.select("province_code", "commune_id", "commune_code", "commune_name").head(1)
        parts.append(units.join(counted, how="cross"))
    return pl.concat(parts, how="diagonal_relaxed")


def _fill(frame: pl.DataFrame) -> pl.DataFrame:
    counts = [c for c in frame.columns if c not in REPORT_SCHEMA and c != "village_id"]
    return frame.with_columns(pl.col(counts).fill_null(0))


def _nonzero(table: pl.DataFrame) -> pl.DataFrame:
    return table.filter(pl.sum_horizontal(pl.col(list(TRANSITION_COLUMNS))) > 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(_household, min_size=1, max_size=80))
def test_figures_give_the_households_numbers(rows: list[dict[str, Any]]) -> None:
    frame = _frame(rows)
    moves = _transitions(rows, frame)
    stored = _fill(_stored(frame, moves))
    assert is_figures(stored) and not is_figures(frame)
    for by in ([], ["commune_id"], ["commune_id", "village_id"]):
        assert_frame_equal(summary(stored, by), summary(frame, by), check_column_order=False)
        assert_frame_equal(
            deprivation_counts(stored, by), deprivation_counts(frame, by), check_column_order=False
        )
        assert_frame_equal(
            deprivation_counts(stored, by, classes=("poor",)),
            deprivation_counts(frame, by, classes=("poor",)),
            check_column_order=False,
        )
        assert_frame_equal(cause_counts(stored, by), cause_counts(frame, by), check_column_order=False)
        assert_frame_equal(
            without_cause_counts(stored, by), without_cause_counts(frame, by), check_column_order=False
        )
        # a unit with no transition at all is a row of zeros from the figures, no row from the households
        assert_frame_equal(
            _nonzero(transition_summary(stored, by)),
            _nonzero(transition_summary(moves, by)),
            check_column_order=False,
        )


@settings(max_examples=40, deadline=None)
@given(st.lists(_household, min_size=1, max_size=80))
def test_the_deprivation_profile_from_stored_sums_is_alkire_foster_on_the_households(
    rows: list[dict[str, Any]],
) -> None:
    frame = _frame(rows)
    stored = _fill(_stored(frame, _transitions(rows, frame)))
    from_sums = deprivation_profile(stored, INDICATORS, K)
    matrix = frame.select([pl.col("deprived").list.contains(pl.lit(i)).alias(i) for i in INDICATORS])
    direct = alkire_foster(matrix, dict.fromkeys(INDICATORS, 1.0), K)
    assert from_sums is not None
    assert pytest.approx((direct.H, direct.A, direct.M0)) == (from_sums.af.H, from_sums.af.A, from_sums.af.M0)
    assert from_sums.af.contribution == pytest.approx(direct.contribution)
    assert from_sums.af.censored_headcount == pytest.approx(direct.censored_headcount)
    assert af_totals(stored)["n"] == frame.height


def test_trend_mixes_figures_and_households_by_year() -> None:
    rows = [
        {
            "commune_id": 1,
            "village": 1,
            "klass": "poor",
            "area": "rural",
            "ethnic_minority": True,
            "no_labour_capacity": False,
            "deprived": ["a", "b"],
            "causes": ["land"],
            "category": None,
            "previous": None,
        },
        {
            "commune_id": 1,
            "village": 2,
            "klass": "not_poor",
            "area": "urban",
            "ethnic_minority": False,
            "no_labour_capacity": False,
            "deprived": [],
            "causes": [],
            "category": None,
            "previous": None,
        },
    ]
    frame = _frame(rows)
    stored = _fill(_stored(frame, _transitions(rows, frame)))
    table = trend({2024: frame, 2025: stored})
    assert table["year"].to_list() == [2024, 2025]
    assert table["poor"].to_list() == [1, 1]
    assert table["poor_rate"].to_list() == [50.0, 50.0]


def test_a_figures_frame_without_a_column_counts_it_as_zero() -> None:
    stored = pl.DataFrame({"commune_id": [1, 2], "households": [10, 5], "poor": [2, 0]})
    total = summary(stored).row(0, named=True)
    assert (total["households"], total["poor"], total["near_poor"], total["poor_rate"]) == (15, 2, 0, 13.33)
    assert deprivation_counts(stored).height == 0
    assert cause_counts(stored).height == 0
