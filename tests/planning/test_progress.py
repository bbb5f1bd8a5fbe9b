"""Progress and consistency of targets (pure Polars): the Yên Bái 2019 table, statuses, projections,
largest-remainder splits."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamngheo.planning import progress as calc
from giamngheo.planning.models import TargetKind
from giamngheo.planning.progress import Disagreement, Period, TargetSpec

# Kế hoạch số 131-KH/TU (19/4/2019) của Ban Thường vụ Tỉnh ủy Yên Bái, mục B.2: the province cuts its
# poor-household rate by over 5.8 points (11,869 households) in 2019; per district: (name, points,
# households, end-of-2019 rate).
YEN_BAI_PROVINCE = (5.8, 11_869)
YEN_BAI_DISTRICTS = (
    ("Thành phố Yên Bái", 0.70, 199, 1.99),
    ("Thị xã Nghĩa Lộ", 4.10, 327, 4.98),
    ("Huyện Yên Bình", 5.80, 1_726, 7.60),
    ("Huyện Lục Yên", 7.30, 2_046, 11.46),
    ("Huyện Trấn Yên", 4.30, 1_039, 5.00),
    ("Huyện Văn Yên", 6.90, 2_338, 11.15),
    ("Huyện Văn Chấn", 7.30, 2_762, 14.97),
    ("Huyện Trạm Tấu", 8.50, 453, 44.35),
    ("Huyện Mù Cang Chải", 8.50, 979, 43.16),
)
PROVINCE = 1
YEAR = 2019
PERIOD = Period(2019, 2019)
#: Households of the province at the end of 2018 such that 5.8 points are 11,869 households (11,869.1).
PROVINCE_BASE = 204_640


def _district_base(points: float, households: int) -> int:
    """The household base that makes a district's points and households agree."""
    return round(households * 100 / points)


def yen_bai_targets(households: dict[str, int] | None = None) -> list[TargetSpec]:
    """The table as targets: the province's points and households (ids 1, 2), each district's points,
    households (child of the province's households) and end rate."""
    changed = households or {}
    specs = [
        TargetSpec(1, PROVINCE, TargetKind.POOR_RATE_REDUCTION, YEN_BAI_PROVINCE[0], YEAR),
        TargetSpec(2, PROVINCE, TargetKind.POOR_HOUSEHOLDS_REDUCTION, YEN_BAI_PROVINCE[1], YEAR),
    ]
    for i, (name, points, count, end_rate) in enumerate(YEN_BAI_DISTRICTS, start=1):
        unit = 100 + i
        specs += [
            TargetSpec(10 * unit, unit, TargetKind.POOR_RATE_REDUCTION, points, YEAR),
            TargetSpec(
                10 * unit + 1,
                unit,
                TargetKind.POOR_HOUSEHOLDS_REDUCTION,
                changed.get(name, count),
                YEAR,
                parent_id=2,
            ),
            TargetSpec(10 * unit + 2, unit, TargetKind.END_POOR_RATE, end_rate, YEAR),
        ]
    return specs


def yen_bai_bases() -> pl.DataFrame:
    """2018 household bases (only households: the consistency checks need no more)."""
    units = [PROVINCE, *(100 + i for i in range(1, len(YEN_BAI_DISTRICTS) + 1))]
    bases = [PROVINCE_BASE, *(_district_base(p, h) for _, p, h, _ in YEN_BAI_DISTRICTS)]
    return pl.DataFrame(
        {
            "unit_id": units,
            "year": [YEAR - 1] * len(units),
            "households": bases,
            "poor": [0] * len(units),
            "near_poor": [0] * len(units),
        },
        schema=calc.FIGURE_SCHEMA,
    )


def test_the_kinds_are_those_of_the_model() -> None:
    assert set(calc.REDUCTIONS) | set(calc.LEVELS) | {calc.COVERAGE, calc.OTHER} == set(TargetKind.values)


def test_yen_bai_district_cuts_add_up_to_the_province() -> None:
    assert sum(households for _, _, households, _ in YEN_BAI_DISTRICTS) == 11_869 == YEN_BAI_PROVINCE[1]
    assert calc.consistency(yen_bai_targets(), yen_bai_bases(), PERIOD) == []
    # 5.8 points of 204,640 households are 11,869.1 households: the rate and the count agree
    assert abs(5.8 * PROVINCE_BASE / 100 - 11_869) < 1


def test_a_wrong_yen_bai_table_is_reported_with_its_numbers() -> None:
    """Văn Chấn's 2,762 households typed as 2,276: the districts no longer add up to the province, and
    Văn Chấn's households no longer agree with its 7.3 points."""
    found = calc.consistency(yen_bai_targets({"Huyện Văn Chấn": 2_276}), yen_bai_bases(), PERIOD)
    van_chan = 100 + 7
    base = _district_base(7.30, 2_762)
    assert base == 37_836
    assert found == [
        Disagreement(
            "children_sum", 2, tuple(10 * (100 + i) + 1 for i in range(1, 10)), PROVINCE, 2019, 11_869, 11_383
        ),
        Disagreement(
            "rate_households",
            10 * van_chan + 1,
            (10 * van_chan,),
            van_chan,
            2019,
            round(7.3 * base / 100, 1),
            2_276,
            round(0.005 * base, 1),
            base,
        ),
    ]
    assert found[0].difference == -486
    assert found[1].expected == 2_762.0 and found[1].tolerance == 189.2


def test_the_rate_and_count_rule_allows_rounding_and_no_more() -> None:
    """|households − points × base / 100| ≤ max(1, 0.5 % × base)."""
    figures = yen_bai_bases()

    def check(households: float, unit: int = PROVINCE) -> list[Disagreement]:
        specs = [
            TargetSpec(1, unit, TargetKind.POOR_RATE_REDUCTION, 5.8, YEAR),
            TargetSpec(2, unit, TargetKind.POOR_HOUSEHOLDS_REDUCTION, households, YEAR),
        ]
        return calc.consistency(specs, figures, PERIOD)

    assert calc.tolerance(PROVINCE_BASE) == pytest.approx(1_023.2)
    assert check(11_869 - 1_023) == []  # 1,023.1 households short: within
    assert [d.code for d in check(11_869 - 1_024)] == ["rate_households"]
    assert [d.code for d in check(11_869 + 1_025)] == ["rate_households"]
    # a tiny base: the floor of one household
    tiny = pl.DataFrame(
        {"unit_id": [9], "year": [YEAR - 1], "households": [100], "poor": [10], "near_poor": [0]},
        schema=calc.FIGURE_SCHEMA,
    )
    specs = [TargetSpec(1, 9, TargetKind.POOR_RATE_REDUCTION, 1.5, YEAR)]
    assert (
        calc.consistency(
            [*specs, TargetSpec(2, 9, TargetKind.POOR_HOUSEHOLDS_REDUCTION, 2, YEAR)], tiny, PERIOD
        )
        == []
    )
    wrong = calc.consistency(
        [*specs, TargetSpec(2, 9, TargetKind.POOR_HOUSEHOLDS_REDUCTION, 3, YEAR)], tiny, PERIOD
    )
    assert [(d.expected, d.found, d.tolerance) for d in wrong] == [(1.5, 3, 1.0)]
    # no base, no check (nothing to compare with)
    assert (
        calc.consistency(
            [*specs, TargetSpec(2, 9, TargetKind.POOR_HOUSEHOLDS_REDUCTION, 3, YEAR)],
            calc.empty_figures(),
            PERIOD,
        )
        == []
    )


def _figures(rows: list[tuple[int, int, int, int]]) -> pl.DataFrame:
    """(unit, year, households, poor) rows."""
    return pl.DataFrame(
        {
            "unit_id": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "households": [r[2] for r in rows],
            "poor": [r[3] for r in rows],
            "near_poor": [0 for _ in rows],
        },
        schema=calc.FIGURE_SCHEMA,
    )


def test_yen_bai_progress_met_and_missed() -> None:
    """Trạm Tấu meets all three of its targets to the household; Mù Cang Chải misses all three."""
    tram_tau, mu_cang_chai = 108, 109
    figures = _figures(
        [
            (tram_tau, 2018, 5_330, 2_817),  # 52.85 %
            (tram_tau, 2019, 5_330, 2_364),  # 44.35 %
            (mu_cang_chai, 2018, 11_518, 5_950),  # 51.66 %
            (mu_cang_chai, 2019, 11_518, 5_100),  # 44.28 %
        ]
    )
    specs = [s for s in yen_bai_targets() if s.unit_id in (PROVINCE, tram_tau, mu_cang_chai)]
    found = calc.progress(specs, figures, PERIOD)
    by_unit = {(s.unit_id, s.kind): found[s.id] for s in specs}
    tram = [
        by_unit[(tram_tau, k)]
        for k in (calc.POOR_RATE_REDUCTION, calc.POOR_HOUSEHOLDS_REDUCTION, calc.END_POOR_RATE)
    ]
    assert [(p.actual, p.status, p.final) for p in tram] == [
        (8.5, "met", True),
        (453, "met", True),
        (44.35, "met", True),
    ]
    assert (tram[0].baseline_year, tram[0].baseline, tram[0].year) == (2018, 52.85, 2019)
    mu = [
        by_unit[(mu_cang_chai, k)]
        for k in (calc.POOR_RATE_REDUCTION, calc.POOR_HOUSEHOLDS_REDUCTION, calc.END_POOR_RATE)
    ]
    assert [(p.actual, p.status) for p in mu] == [
        (7.38, "off_track"),
        (850, "off_track"),
        (44.28, "off_track"),
    ]
    assert all(p.off_track for p in mu)
    # two approved years (2018, 2019): a projection to the end of the period
    assert tram[2].end_rate_projection == 44.35 and tram[2].projection_note == ""
    # the province has no figures
    assert found[1].status == calc.NO_DATA and found[1].actual is None


def test_projection_is_linear_and_needs_two_years() -> None:
    period = Period(2022, 2025)
    figures = _figures([(1, 2021, 1_000, 100), (1, 2022, 1_000, 80), (1, 2023, 1_000, 60)])  # 10, 8, 6 %
    specs = [
        TargetSpec(1, 1, TargetKind.END_POOR_RATE, 5.0),  # end of the period: the trend gives 2 %
        TargetSpec(2, 1, TargetKind.END_POOR_RATE, 1.0),
        TargetSpec(3, 1, TargetKind.POOR_RATE_REDUCTION, 2.0),  # per year: 2 points a year so far
        TargetSpec(4, 1, TargetKind.POOR_RATE_REDUCTION, 2.5),
        TargetSpec(5, 1, TargetKind.POOR_HOUSEHOLDS_REDUCTION, 15, year=2024),  # future year: trend 20/yr
        TargetSpec(6, 1, TargetKind.COVERAGE, 100.0, year=2024),
        TargetSpec(7, 1, TargetKind.END_POOR_RATE, 0.5, year=2022),  # past year, missed
    ]
    found = calc.progress(specs, figures, period)
    assert (found[1].projection, found[1].projection_year, found[1].status) == (2.0, 2025, "not_yet")
    assert (found[1].actual, found[1].year, found[1].final) == (6.0, 2023, False)
    assert found[2].status == "off_track"
    assert (found[3].actual, found[3].baseline_year, found[3].year, found[3].status) == (
        2.0,
        2021,
        2023,
        "met",
    )
    assert (found[4].actual, found[4].projection, found[4].status) == (2.0, 2.0, "off_track")
    assert (found[5].actual, found[5].projection, found[5].status) == (None, 20, "not_yet")
    assert found[6].status == "not_measured"
    assert (found[7].actual, found[7].final, found[7].status) == (8.0, True, "off_track")
    assert found[1].end_rate_projection == 2.0
    # one approved year only: "not enough years"
    one = calc.progress(specs[:1], figures.filter(pl.col("year") == 2021), period)[1]
    assert (one.projection, one.projection_note, one.status) == (None, calc.NOT_ENOUGH_YEARS, "not_yet")
    assert one.actual == 10.0 and one.year == 2021
    # the straight line is kept within 0–100 %
    steep = _figures([(1, 2021, 100, 50), (1, 2022, 100, 10)])
    assert calc.progress(specs[:1], steep, period)[1].projection == 0.0


def test_range_targets_use_the_lower_end_of_a_cut_and_the_upper_end_of_a_rate() -> None:
    figures = _figures([(1, 2021, 1_000, 100), (1, 2022, 1_000, 88)])  # 10 % → 8.8 %: 1.2 points
    period = Period(2022, 2022)
    cut = TargetSpec(1, 1, TargetKind.POOR_RATE_REDUCTION, 1.0, 2022, value_max=1.5)
    rate = TargetSpec(2, 1, TargetKind.END_POOR_RATE, 8.0, 2022, value_max=9.0)
    found = calc.progress([cut, rate], figures, period)
    assert (found[1].actual, found[1].status) == (1.2, "met")
    assert (found[2].actual, found[2].status) == (8.8, "met")


def test_children_of_a_points_target_are_weighted_by_their_bases() -> None:
    figures = _figures([(1, 2021, 1_000, 100), (2, 2021, 600, 80), (3, 2021, 400, 20)])
    period = Period(2022, 2022)
    parent = TargetSpec(1, 1, TargetKind.POOR_RATE_REDUCTION, 2.0, 2022)  # 20 households
    good = [
        TargetSpec(2, 2, TargetKind.POOR_RATE_REDUCTION, 2.67, 2022, parent_id=1),  # 16 of 600
        TargetSpec(3, 3, TargetKind.POOR_RATE_REDUCTION, 1.0, 2022, parent_id=1),  # 4 of 400
    ]
    assert calc.consistency([parent, *good], figures, period) == []
    bad = [good[0], TargetSpec(3, 3, TargetKind.POOR_RATE_REDUCTION, 3.0, 2022, parent_id=1)]  # 12 of 400
    found = calc.consistency([parent, *bad], figures, period)
    assert [(d.code, d.expected, d.found, d.tolerance, d.base) for d in found] == [
        ("children_points", 20.0, 28.0, 5.0, 1_000)
    ]


def test_largest_remainder_splits_exactly() -> None:
    assert calc.largest_remainder(10, {"a": 3, "b": 1}) == {"a": 8, "b": 2}  # 7.5 / 2.5: tie → larger weight
    assert calc.largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert calc.largest_remainder(5, {"a": 0, "b": 0}) == {"a": 3, "b": 2}  # no weight: evenly
    assert calc.largest_remainder(0, {"a": 2}) == {"a": 0}
    # Yên Bái's 11,869 households split by the districts' own cuts give the cuts back
    weights = {name: households for name, _, households, _ in YEN_BAI_DISTRICTS}
    assert calc.largest_remainder(11_869, weights) == weights
    with pytest.raises(ValueError, match="negative"):
        calc.largest_remainder(3, {"a": -1})


@given(
    total=st.integers(min_value=0, max_value=100_000),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12),
)
def test_largest_remainder_sums_and_stays_within_one_of_the_exact_share(
    total: int, weights: list[int]
) -> None:
    parts = calc.largest_remainder(total, dict(enumerate(weights)))
    assert sum(parts.values()) == total
    whole = sum(weights)
    if whole:
        for i, w in enumerate(weights):
            assert abs(parts[i] - total * w / whole) < 1


def test_split_points_goes_through_households() -> None:
    households, points = calc.split_points(2.0, 1_000, {2: 80, 3: 20}, {2: 600, 3: 400})
    assert households == {2: 16, 3: 4}  # 20 households of 1,000
    assert points == {2: 2.67, 3: 1.0}
