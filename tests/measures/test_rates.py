"""Tests for giamngheo.measures.rates (tỷ lệ hộ nghèo = số hộ nghèo / tổng số hộ × 100)."""

from __future__ import annotations

from collections import Counter

import hypothesis.strategies as st
import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal
from polars.testing.parametric import column, dataframes

from giamngheo.measures import household_rates
from giamngheo.measures.rates import HOUSEHOLD_CLASSES

COUNT_COLUMNS = ["households", *HOUSEHOLD_CLASSES]

RESULTS = pl.DataFrame(
    {
        "commune": ["b", "a", "a", "b", "a", "b", "a", "b", "b", "a"],
        "class": [
            "poor",
            "near_poor",
            "poor",
            "not_poor",
            "middle_living",
            "incomplete",
            "not_poor",
            "near_poor",
            "poor",
            "not_poor",
        ],
    }
)


def test_counts_and_rates_by_commune() -> None:
    # Commune a: 5 households (1 poor, 1 near-poor, 1 middle-living, 2 not poor) -> 20 % and 20 %.
    # Commune b: 5 households (2 poor, 1 near-poor, 1 not poor, 1 incomplete) -> 40 % and 20 %.
    expected = pl.DataFrame(
        {
            "commune": ["a", "b"],
            "households": [5, 5],
            "poor": [1, 2],
            "near_poor": [1, 1],
            "middle_living": [1, 0],
            "not_poor": [2, 1],
            "incomplete": [0, 1],
            "poor_rate": [20.0, 40.0],
            "near_poor_rate": [20.0, 20.0],
        }
    )
    assert_frame_equal(household_rates(RESULTS, "commune"), expected)


def test_without_by_one_row() -> None:
    expected = pl.DataFrame(
        {
            "households": [10],
            "poor": [3],
            "near_poor": [2],
            "middle_living": [1],
            "not_poor": [3],
            "incomplete": [1],
            "poor_rate": [30.0],
            "near_poor_rate": [20.0],
        }
    )
    assert_frame_equal(household_rates(RESULTS), expected)


def test_incomplete_households_stay_in_the_denominator() -> None:
    frame = pl.DataFrame({"class": ["poor", "incomplete", "incomplete", "near_poor"]})
    row = household_rates(frame).row(0, named=True)
    # 1 poor of 4 households (2 of them incomplete) -> 25 %, not 1 of 2 -> 50 %.
    assert (row["households"], row["incomplete"], row["poor_rate"], row["near_poor_rate"]) == (
        4,
        2,
        25.0,
        25.0,
    )


def test_rates_are_not_rounded() -> None:
    frame = pl.DataFrame({"class": ["poor", "not_poor", "not_poor"]})
    assert household_rates(frame).item(0, "poor_rate") == 100.0 / 3


def test_several_group_columns_sorted() -> None:
    frame = RESULTS.with_columns(district=pl.Series([2, 1, 2, 1, 2, 1, 2, 1, 2, 1]))
    result = household_rates(frame, ["district", "commune"], class_column="class")
    assert result.select("district", "commune").rows() == [(1, "a"), (1, "b"), (2, "a"), (2, "b")]
    assert result.get_column("households").sum() == 10


def test_custom_class_column_and_categorical_values() -> None:
    frame = RESULTS.rename({"class": "phan_loai"}).with_columns(pl.col("phan_loai").cast(pl.Categorical))
    assert_frame_equal(
        household_rates(frame, "commune", class_column="phan_loai"), household_rates(RESULTS, "commune")
    )


def test_sample_weight_gives_weighted_totals() -> None:
    frame = pl.DataFrame({"class": ["poor", "not_poor", "incomplete"], "weight": [2.0, 5.0, 1.0]})
    expected = pl.DataFrame(
        {
            "households": [8.0],
            "poor": [2.0],
            "near_poor": [0.0],
            "middle_living": [0.0],
            "not_poor": [5.0],
            "incomplete": [1.0],
            "poor_rate": [25.0],
            "near_poor_rate": [0.0],
        }
    )
    assert_frame_equal(household_rates(frame, sample_weight="weight"), expected)


def test_zero_weight_group_has_null_rates() -> None:
    frame = pl.DataFrame({"unit": ["a", "b"], "class": ["poor", "poor"], "weight": [1, 0]})
    result = household_rates(frame, "unit", sample_weight="weight")
    assert result.get_column("poor_rate").to_list() == [100.0, None]


@pytest.mark.parametrize("bad", ["POOR", "rich", "", None])
def test_unknown_class_raises(bad: str | None) -> None:
    frame = pl.DataFrame({"class": ["poor", bad, "not_poor"]}, schema={"class": pl.String})
    with pytest.raises(ValueError, match=r"1 household\(s\) with an unknown class in 'class'"):
        household_rates(frame)


def test_unknown_class_message_lists_values() -> None:
    frame = pl.DataFrame({"class": ["poor", "rich", "rich", "hộ nghèo"]})
    with pytest.raises(ValueError, match="3 household") as error:
        household_rates(frame)
    assert "'rich'" in str(error.value) and "'hộ nghèo'" in str(error.value)


def test_missing_columns_raise() -> None:
    with pytest.raises(ValueError, match=r"unknown class column\(s\): status"):
        household_rates(RESULTS, class_column="status")
    with pytest.raises(ValueError, match=r"unknown group column\(s\): district"):
        household_rates(RESULTS, "district")


def test_group_column_clashing_with_output_raises() -> None:
    with pytest.raises(ValueError, match="clash with output"):
        household_rates(RESULTS.with_columns(poor=pl.lit(1)), "poor")


def test_bad_sample_weight_raises() -> None:
    with pytest.raises(ValueError, match="1 negative"):
        household_rates(
            RESULTS.with_columns(w=pl.lit(-1.0).head(1).extend_constant(1.0, 9)), sample_weight="w"
        )


@pytest.mark.parametrize("by", [None, "commune", ["commune", "district"]])
def test_empty_input_returns_empty_frame_with_schema(by: str | list[str] | None) -> None:
    frame = RESULTS.with_columns(district=pl.lit(1, dtype=pl.Int32)).clear()
    result = household_rates(frame, by)
    groups = [] if by is None else [by] if isinstance(by, str) else by
    assert result.height == 0
    assert dict(result.schema) == (
        {
            **{name: frame.schema[name] for name in groups},
            **dict.fromkeys(COUNT_COLUMNS, pl.Int64),
            "poor_rate": pl.Float64,
            "near_poor_rate": pl.Float64,
        }
    )


@settings(max_examples=100, deadline=None)
@given(
    dataframes(
        cols=[
            column("unit", dtype=pl.Int8, strategy=st.integers(0, 3), allow_null=False),
            column("class", dtype=pl.String, strategy=st.sampled_from(HOUSEHOLD_CLASSES), allow_null=False),
        ],
        min_size=1,
        max_size=30,
    )
)
def test_counts_add_up_and_match_a_plain_count(frame: pl.DataFrame) -> None:
    result = household_rates(frame, "unit")
    assert result.get_column("unit").to_list() == sorted(set(frame.get_column("unit").to_list()))
    for row in result.iter_rows(named=True):
        classes = Counter(frame.filter(pl.col("unit") == row["unit"]).get_column("class").to_list())
        total = sum(classes.values())
        assert row["households"] == total
        assert {name: row[name] for name in HOUSEHOLD_CLASSES} == {
            name: classes[name] for name in HOUSEHOLD_CLASSES
        }
        assert row["poor_rate"] == pytest.approx(100 * classes["poor"] / total)
        assert row["near_poor_rate"] == pytest.approx(100 * classes["near_poor"] / total)
        assert 0.0 <= row["poor_rate"] + row["near_poor_rate"] <= 100.0
