"""The one aggregation path: counts, rates, subgroups, deprivations and causes, and that units add up."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.reports.aggregation import (
    REPORT_SCHEMA,
    cause_counts,
    deprivation_counts,
    rate_expr,
    rate_percent,
    summary,
)


def _row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "province_code": "51",
        "commune_id": 1,
        "commune_code": "23485",
        "commune_name": "Xã Đăk Kôi",
        "village_id": 10,
        "village_name": "Thôn 1",
        "household_id": 0,
        "area": "rural",
        "ethnic_minority": False,
        "meritorious_family": False,
        "social_protection": False,
        "no_labour_capacity": False,
        "klass": "not_reviewed",
        "deprived": [],
        "causes": [],
    }
    row.update(fields)
    return row


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame([{**r, "household_id": i} for i, r in enumerate(rows)], schema=REPORT_SCHEMA)


def test_summary_counts_and_rates_over_all_households() -> None:
    frame = _frame(
        [
            _row(klass="poor", ethnic_minority=True),
            _row(klass="poor", area="urban"),
            _row(klass="near_poor", ethnic_minority=True),
            _row(klass="not_poor"),
            _row(),  # not reviewed: in the denominator, in no class
        ]
    )
    total = summary(frame).row(0, named=True)
    assert (total["households"], total["poor"], total["near_poor"], total["reviewed"]) == (5, 2, 1, 4)
    assert total["poor_rate"] == pytest.approx(40.0)
    assert total["near_poor_rate"] == pytest.approx(20.0)
    assert (total["households_ethnic_minority"], total["poor_ethnic_minority"]) == (2, 1)
    assert total["poor_ethnic_minority_rate"] == pytest.approx(50.0)
    assert (total["households_urban"], total["poor_urban"], total["poor_urban_rate"]) == (1, 1, 100.0)
    assert total["poor_meritorious_family_rate"] is None  # no such household: no rate, not 0


def test_summary_of_an_empty_frame_has_no_rate() -> None:
    total = summary(pl.DataFrame(schema=REPORT_SCHEMA)).row(0, named=True)
    assert total["households"] == 0
    assert total["poor_rate"] is None


def test_deprivations_among_poor_and_near_poor_only() -> None:
    frame = _frame(
        [
            _row(klass="poor", deprived=["health_insurance", "housing_quality", "water_source"]),
            _row(klass="near_poor", deprived=["health_insurance"]),
            _row(klass="not_poor", deprived=["health_insurance"]),  # not counted
        ]
    )
    table = deprivation_counts(frame)
    counts = dict(zip(table["indicator"], table["deprived_households"], strict=True))
    assert counts == {"health_insurance": 2, "housing_quality": 1, "water_source": 1}
    assert set(table["households"]) == {2}
    assert table.filter(pl.col("indicator") == "health_insurance")["share"].item() == pytest.approx(100.0)


def test_causes_count_each_household_once_per_cause() -> None:
    frame = _frame(
        [
            _row(klass="poor", causes=["capital", "land"]),
            _row(klass="near_poor", causes=["capital"]),
            _row(klass="not_poor", causes=["capital"]),  # not counted
        ]
    )
    table = cause_counts(frame)
    assert table.rows() == [("capital", 2, 1, 1), ("land", 1, 1, 0)]


_classes = st.sampled_from(["poor", "near_poor", "middle_living", "not_poor", "incomplete", "not_reviewed"])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(0, 3), _classes, st.booleans(), st.booleans()),
        min_size=0,
        max_size=60,
    )
)
def test_units_add_up_to_the_province(rows: list[tuple[int, int, str, bool, bool]]) -> None:
    """A province's figures equal the sum of its communes', which equal the sum of their villages'."""
    frame = _frame(
        [
            _row(
                commune_id=c,
                commune_code=f"{c:05d}",
                village_id=c * 10 + v,
                klass=k,
                area="urban" if u else "rural",
                ethnic_minority=e,
            )
            for c, v, k, u, e in rows
        ]
    )
    province = summary(frame).drop(pl.selectors.ends_with("_rate"))
    by_commune = summary(frame, ["commune_id"]).drop("commune_id", pl.selectors.ends_with("_rate")).sum()
    by_village = (
        summary(frame, ["commune_id", "village_id"])
        .drop("commune_id", "village_id", pl.selectors.ends_with("_rate"))
        .sum()
    )
    if frame.height:
        assert province.rows() == by_commune.rows() == by_village.rows()


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (867, 20_000, 4.34),  # 4.335: half up on the exact fraction, not on a binary float
        (1, 3, 33.33),
        (2, 3, 66.67),
        (1, 800, 0.13),  # 0.125
        (1, 8, 12.5),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (3, 0, None),
    ],
)
def test_rates_round_half_up_at_two_decimals(
    numerator: int, denominator: int, expected: float | None
) -> None:
    assert rate_percent(numerator, denominator) == expected
    frame = pl.DataFrame({"n": [numerator], "d": [denominator]})
    assert frame.select(rate_expr("n", "d", "rate"))["rate"].item() == expected
