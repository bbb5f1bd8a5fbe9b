"""The dashboard figures are the one aggregation path's figures, per unit, per year and per indicator."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.reports.aggregation import cause_counts, summary
from giamngheo.reports.dashboard_data import causes, change, deprivation_profile, headline, sub_units, trend
from tests.reports.test_aggregation import _frame, _row

INDICATORS = ("health_insurance", "housing_quality", "water_source", "latrine")


def _frame_of(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return _frame(rows)


def _province() -> pl.DataFrame:
    return _frame_of(
        [
            _row(commune_id=1, commune_name="Xã A", village_id=11, village_name="Thôn 1", klass="poor"),
            _row(commune_id=1, commune_name="Xã A", village_id=11, village_name="Thôn 1", klass="not_poor"),
            _row(commune_id=1, commune_name="Xã A", village_id=None, village_name=None, klass="poor"),
            _row(commune_id=2, commune_name="Xã B", village_id=21, village_name="Thôn 2", klass="near_poor"),
            _row(commune_id=2, commune_name="Xã B", village_id=21, village_name="Thôn 2", klass="not_poor"),
            _row(commune_id=2, commune_name="Xã B", village_id=22, village_name="Thôn 3"),
            _row(commune_id=3, commune_name="Xã C", village_id=31, village_name="Thôn 4", klass="poor"),
        ]
    )


def test_headline_is_the_summary_row() -> None:
    frame = _province()
    assert headline(frame) == summary(frame).row(0, named=True)
    assert (headline(frame)["households"], headline(frame)["poor"], headline(frame)["near_poor"]) == (7, 3, 1)


def test_sub_units_are_summaries_poorest_first_and_no_village_last() -> None:
    frame = _province()
    communes = sub_units(frame, "commune")
    assert communes["name"].to_list() == ["Xã C", "Xã A", "Xã B"]  # 100 %, 66.7 %, 0 %
    by_id = summary(frame, ["commune_id", "commune_name"]).rename(
        {"commune_id": "id", "commune_name": "name"}
    )
    assert_frame_equal(communes, by_id, check_row_order=False)

    villages = sub_units(frame.filter(pl.col("commune_id") == 1), "village")
    assert villages.select("id", "name", "households", "poor").rows() == [
        (11, "Thôn 1", 2, 1),
        (None, None, 1, 1),  # 100 % poor, but households without a village come last
    ]


def test_trend_rows_equal_each_years_headline_and_change_is_in_points() -> None:
    earlier = _frame_of([_row(klass="poor"), _row(klass="poor"), _row(klass="near_poor"), _row()])
    later = _province()
    table = trend({2024: earlier, 2025: later})
    assert table["year"].to_list() == [2024, 2025]
    for year, frame in ((2024, earlier), (2025, later)):
        row = table.filter(pl.col("year") == year).drop("year").row(0, named=True)
        assert row == headline(frame)
    moved = change(table, 2025)
    assert moved is not None and moved.previous_year == 2024
    assert moved.poor_points == -7.14  # 42.86 - 50.00: the rates as shown (two decimals), then the difference
    assert moved.near_poor_points == -10.71  # 14.29 - 25.00
    assert change(table, 2024) is None
    assert trend({}).height == 0


def test_deprivation_profile_is_alkire_foster_over_all_households() -> None:
    frame = _frame_of(
        [
            _row(klass="poor", deprived=["health_insurance", "housing_quality", "water_source"]),  # 3 of 4
            _row(klass="near_poor", deprived=list(INDICATORS)),  # 4 of 4
            _row(klass="not_poor", deprived=["health_insurance"]),  # 1: censored away
            _row(),  # not reviewed: counts in n, deprived in nothing
        ]
    )
    profile = deprivation_profile(frame, INDICATORS, k=3)
    assert profile is not None
    af = profile.af
    assert af.n == 4 and af.q == 2
    headcount, intensity, adjusted = af.H, af.A, af.M0
    assert headcount == pytest.approx(0.5)
    assert intensity == pytest.approx((3 / 4 + 4 / 4) / 2)
    assert adjusted == pytest.approx(headcount * intensity)
    assert af.censored_headcount["health_insurance"] == pytest.approx(2 / 4)
    assert af.censored_headcount["latrine"] == pytest.approx(1 / 4)
    assert af.uncensored_headcount["health_insurance"] == pytest.approx(3 / 4)
    assert sum(af.contribution.values()) == pytest.approx(1.0)
    assert af.contribution["latrine"] == pytest.approx((1 / 4) / (4 * af.M0))
    assert profile.deprived_households("health_insurance") == 2  # poor and near-poor only
    assert profile.deprived_households("nutrition") == 0
    assert deprivation_profile(frame.head(0), INDICATORS, k=3) is None


def test_causes_are_cause_counts() -> None:
    frame = _frame_of(
        [_row(klass="poor", causes=["capital", "land"]), _row(klass="near_poor", causes=["capital"])]
    )
    assert_frame_equal(causes(frame), cause_counts(frame))
