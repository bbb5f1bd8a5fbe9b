"""compare_standards: hand-built frames with known outcomes for each driver, and the sums that must hold."""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.reports.compare import CHANGE_COUNTS, REASONS, compare_standards
from giamngheo.standards import CLASSES, FactsError, get_standard
from giamngheo.synth import generate_frames

V2022 = get_standard("vn-2022-2025")
V2027 = get_standard("vn-2027-2030")
V2016 = get_standard("vn-2016-2020")

MONTH = 12  # one member per household: income_12m = monthly income per person × 12


def _household(household_id: int, village: str, *, monthly: int | None, **facts: Any) -> dict[str, Any]:
    """A rural one-member household deprived in nothing at household level under any standard."""
    row: dict[str, Any] = {
        "household_id": household_id,
        "village": village,
        "area": "rural",
        "income_12m": None if monthly is None else monthly * MONTH,
        "ill_member_untreated": False,
        "has_dwelling": True,
        "durable_main_parts": 3,
        "floor_area_m2": 40.0,
        "water_source": "piped",
        "latrine_type": "septic",
        "waste_disposal": "collected",
        "uses_internet": True,
        "uses_telephone": True,
        "has_tv": True,
        "has_radio": False,
        "has_computer": False,
        "has_smartphone": True,
        "hears_loudspeaker": True,
    }
    row.update(facts)
    return row


def _adult(household_id: int) -> dict[str, Any]:
    """An insured, self-employed 40-year-old with upper secondary schooling: deprived in nothing."""
    return {
        "household_id": household_id,
        "age": 40,
        "sex": "male",
        "has_labour_capacity": True,
        "employment": "self_employed",
        "has_health_insurance": True,
        "stunted": False,
        "underweight": False,
        "school_attendance": "not_attending",
        "general_education": "upper_secondary",
        "vocational_qualification": "none",
        "enterprise_trained": False,
    }


BAD_HOUSING = {"durable_main_parts": 0}
BAD_WATER = {"water_source": "surface_water"}
NO_LATRINE = {"latrine_type": "none"}
NO_ASSETS = {"has_tv": False, "has_radio": False, "has_computer": False, "has_smartphone": False}

# household id → (facts, class under 2022-2025, class under 2027-2030, reason)
CASES: dict[int, tuple[dict[str, Any], str, str, str | None]] = {
    # 1.8 M/month: middle-living under 2022 (1.5 M < income <= 2.25 M), below the 2027 rural line 2.2 M.
    1: (_household(1, "Thôn 1", monthly=1_800_000), "middle_living", "near_poor", "income_line"),
    # 2 deprivations + waste thrown away: the new waste indicator makes 3 under 2027 → poor.
    2: (
        _household(2, "Thôn 1", monthly=1_000_000, waste_disposal="discarded", **BAD_HOUSING, **BAD_WATER),
        "near_poor",
        "poor",
        "deprivations",
    ),
    # 2 deprivations + no information asset: the dropped indicator makes 2 under 2027 → near-poor.
    3: (
        _household(3, "Thôn 1", monthly=1_000_000, **BAD_HOUSING, **BAD_WATER, **NO_ASSETS),
        "poor",
        "near_poor",
        "deprivations",
    ),
    # 2.24 M/month: middle-living under 2022, above the 2027 line, and 2027 has no middle-living band.
    4: (_household(4, "Thôn 1", monthly=2_240_000), "middle_living", "not_poor", "middle_band"),
    5: (_household(5, "Thôn 2", monthly=10_000_000), "not_poor", "not_poor", None),
    6: (_household(6, "Thôn 2", monthly=None), "incomplete", "incomplete", None),
    # Waste disposal not recorded: complete under 2022 (which does not use it), incomplete under 2027.
    7: (_household(7, "Thôn 2", monthly=1_000_000, waste_disposal=None), "near_poor", "incomplete", None),
    8: (
        _household(8, "Thôn 2", monthly=1_000_000, **BAD_HOUSING, **BAD_WATER, **NO_LATRINE),
        "poor",
        "poor",
        None,
    ),
}


def _frames(rows: list[dict[str, Any]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The household frame of ``rows`` and one adult member per household."""
    return pl.DataFrame(rows), pl.DataFrame([_adult(row["household_id"]) for row in rows])


KNOWN_ROWS = [facts for facts, *_ in CASES.values()]


@pytest.fixture(scope="module")
def known() -> Any:
    households, members = _frames(KNOWN_ROWS)
    return compare_standards(households, members, a=V2022, b=V2027, by=["village"])


def test_each_household_gets_the_expected_classes_and_reason(known: Any) -> None:
    expected = pl.DataFrame(
        {
            "household_id": list(CASES),
            "class_a": [c[1] for c in CASES.values()],
            "class_b": [c[2] for c in CASES.values()],
            "reason": [c[3] for c in CASES.values()],
        }
    )
    assert_frame_equal(known.per_household.select(expected.columns), expected)
    assert known.changes()["household_id"].to_list() == [1, 2, 3, 4]


def test_the_matrix_sums_to_the_households_and_matches_the_classes(known: Any) -> None:
    matrix = known.matrix
    assert matrix["class_a"].to_list() == list(CLASSES)
    assert int(matrix["total"].sum()) == known.households == len(CASES)
    cell = {row["class_a"]: row for row in matrix.iter_rows(named=True)}
    assert cell["middle_living"]["near_poor"] == 1
    assert cell["middle_living"]["not_poor"] == 1
    assert cell["near_poor"]["poor"] == 1
    assert cell["near_poor"]["incomplete"] == 1
    assert cell["poor"]["near_poor"] == 1
    assert cell["poor"]["poor"] == 1
    assert cell["incomplete"]["incomplete"] == 1
    assert cell["not_poor"]["not_poor"] == 1
    # Nothing is middle-living under 2027-2030: the standard has no such band.
    assert int(matrix["middle_living"].sum()) == 0
    assert known.classes_b == ("poor", "near_poor", "not_poor", "incomplete")


def test_per_unit_counts_and_their_sums(known: Any) -> None:
    rows = {row["village"]: row for row in known.by_unit.iter_rows(named=True)}
    first, second = rows["Thôn 1"], rows["Thôn 2"]
    assert (first["households"], first["changed"], first["became_poor"], first["left_poor"]) == (4, 4, 1, 1)
    assert (first["became_near_poor"], first["left_near_poor"], first["incomplete"]) == (2, 1, 0)
    assert (first["a_middle_living"], first["b_middle_living"], first["b_not_poor"]) == (2, 0, 1)
    assert (second["households"], second["changed"], second["incomplete"]) == (4, 0, 2)
    numbers = known.by_unit.drop("village")
    for column in numbers.columns:
        assert int(numbers[column].sum()) == known.totals[column], column
    assert known.totals["households"] == len(CASES)
    assert sum(known.totals[f"a_{c}"] for c in CLASSES) == len(CASES)
    assert sum(known.totals[f"b_{c}"] for c in CLASSES) == len(CASES)


def test_drivers_name_the_part_of_the_rule_that_moved_each_household(known: Any) -> None:
    drivers = known.drivers
    assert dict(drivers.by_reason) == {"income_line": 1, "deprivations": 2, "lower_line": 0, "middle_band": 1}
    rural = next(s for s in drivers.lines if s.area == "rural")
    assert (rural.line_a, rural.line_b, rural.entered, rural.left) == (1_500_000, 2_200_000, 1, 0)
    assert rural.area_households == 6  # complete under both standards
    urban = next(s for s in drivers.lines if s.area == "urban")
    assert (urban.line_a, urban.line_b, urban.households, urban.area_households) == (
        2_000_000,
        2_800_000,
        0,
        0,
    )
    indicators = {d.id: d for d in drivers.indicators}
    waste, assets = indicators["waste_treatment"], indicators["information_assets"]
    assert (waste.change, waste.gained, waste.lost, waste.gained_all) == ("added", 1, 0, 1)
    assert (assets.change, assets.gained, assets.lost, assets.lost_all) == ("removed", 0, 1, 1)
    housing = indicators["housing_quality"]
    # Deprived under both standards: never a difference, whatever the household.
    assert (housing.change, housing.gained, housing.lost, housing.gained_all, housing.lost_all) == (
        "same",
        0,
        0,
        0,
        0,
    )
    assert drivers.middle.available_a and not drivers.middle.available_b
    assert drivers.middle.upper_b == {}
    assert (drivers.middle.to_not_poor, drivers.middle.to_middle) == (1, 0)
    assert ("retirement_age_male", 61, 62) in drivers.shared_params


def test_incomplete_households_are_reported_separately(known: Any) -> None:
    incomplete = known.incomplete
    assert (incomplete.a_only, incomplete.b_only, incomplete.both) == (0, 1, 1)
    assert known.totals["incomplete"] == 2
    assert dict(incomplete.missing_b.iter_rows()) == {"income_12m": 1, "waste_disposal": 1}
    assert dict(incomplete.missing_a.iter_rows()) == {"income_12m": 1}
    # Incomplete households never count as changing class.
    assert sum(known.drivers.by_reason.values()) == known.totals["changed"] == 4


def test_indicator_sets_that_differ_both_ways() -> None:
    """B → A: the added indicator becomes a removed one and the counts swap."""
    households, members = _frames(KNOWN_ROWS)
    back = compare_standards(households, members, a=V2027, b=V2022, by=["village"])
    indicators = {d.id: d for d in back.drivers.indicators}
    assert (indicators["waste_treatment"].change, indicators["waste_treatment"].lost) == ("removed", 1)
    assert (indicators["information_assets"].change, indicators["information_assets"].gained) == ("added", 1)
    assert back.drivers.middle.to_middle == 1 and not back.drivers.middle.available_a
    rural = next(s for s in back.drivers.lines if s.area == "rural")
    assert (rural.entered, rural.left) == (0, 1)


def test_a_changed_cut_off_and_threshold() -> None:
    """The same indicator with another cut-off: floor area under 10 m² instead of 8 m²."""
    floor = next(i for i in V2022.indicators if i.id == "floor_area")
    wider = dataclasses.replace(floor, params={"min_m2_per_person": 10})
    b = dataclasses.replace(
        V2022,
        id="test-wider-floor",
        indicators=tuple(wider if i.id == "floor_area" else i for i in V2022.indicators),
    )
    households, members = _frames(
        [
            # 9 m² for one person, plus housing and water: 2 deprivations under A, 3 under B.
            _household(1, "Thôn 1", monthly=1_000_000, floor_area_m2=9.0, **BAD_HOUSING, **BAD_WATER),
            _household(2, "Thôn 1", monthly=5_000_000, floor_area_m2=9.0),
        ]
    )
    result = compare_standards(households, members, a=V2022, b=b, by=["village"])
    assert result.per_household["class_a"].to_list() == ["near_poor", "not_poor"]
    assert result.per_household["class_b"].to_list() == ["poor", "not_poor"]
    floor_driver = next(d for d in result.drivers.indicators if d.id == "floor_area")
    assert (floor_driver.change, floor_driver.gained, floor_driver.gained_all) == ("changed", 1, 2)
    assert result.drivers.shared_params == ()

    stricter = dataclasses.replace(V2022, id="test-threshold-2", poor_min_deprivations=2)
    result = compare_standards(households, members, a=V2022, b=stricter, by=["village"])
    assert result.per_household["reason"].to_list() == ["deprivations", None]
    assert (result.drivers.threshold_a, result.drivers.threshold_b) == (3, 2)


def test_the_lower_line_of_a_two_band_standard() -> None:
    """600,000/month: poor under 2016-2020 (at or below the 700,000 lower line, whatever the deprivations),
    near-poor under 2022-2025 (below 1.5 M, no deprivation)."""
    households, members = _frames([_household(1, "Thôn 1", monthly=600_000)])
    result = compare_standards(households, members, a=V2016, b=V2022, by=["village"])
    assert result.per_household.row(0, named=True)["class_a"] == "poor"
    assert result.per_household.row(0, named=True)["class_b"] == "near_poor"
    assert result.drivers.by_reason["lower_line"] == 1
    middle = result.drivers.middle
    assert (middle.upper_a["rural"], middle.upper_b["rural"], middle.households) == (1_500_000, 2_250_000, 0)


def test_no_grouping_gives_one_row() -> None:
    households, members = _frames(KNOWN_ROWS)
    result = compare_standards(households, members, a=V2022, b=V2027, by=[])
    assert result.by_unit.height == 1
    assert result.by_unit["households"].item() == len(CASES)
    assert result.by_unit["changed"].item() == 4


def test_bad_input_is_refused() -> None:
    households, members = _frames(KNOWN_ROWS)
    with pytest.raises(ValueError, match="grouping columns"):
        compare_standards(households, members, a=V2022, b=V2027, by=["commune"])
    with pytest.raises(FactsError):
        compare_standards(
            households.with_columns(pl.lit("moon").alias("area")), members, a=V2022, b=V2027, by=[]
        )


@pytest.mark.parametrize("seed", [3, 11])
def test_sums_hold_on_synthetic_households(seed: int) -> None:
    households, members = generate_frames(400, seed=seed)
    result = compare_standards(households, members, a=V2022, b=V2027, by=["commune_code", "village_code"])
    assert int(result.matrix["total"].sum()) == result.households == 400
    assert int(result.by_unit["households"].sum()) == 400
    assert sum(result.drivers.by_reason.values()) == result.totals["changed"]
    assert set(result.drivers.by_reason) == set(REASONS)
    for name in CHANGE_COUNTS:
        assert int(result.by_unit[name].sum()) == result.totals[name]
    complete_both = 400 - result.incomplete.households
    diagonal = sum(
        row[row["class_a"]] for row in result.matrix.iter_rows(named=True) if row["class_a"] != "incomplete"
    )
    assert complete_both - diagonal == result.totals["changed"]


def test_row_order_does_not_change_the_counts() -> None:
    households, members = generate_frames(300, seed=5)
    first = compare_standards(households, members, a=V2022, b=V2027, by=["commune_code"])
    shuffled = compare_standards(
        households.sample(fraction=1.0, shuffle=True, seed=1), members, a=V2022, b=V2027, by=["commune_code"]
    )
    assert_frame_equal(first.matrix, shuffled.matrix)
    assert_frame_equal(first.by_unit, shuffled.by_unit)
    assert first.drivers == shuffled.drivers


def test_five_thousand_households_add_up() -> None:
    households, members = generate_frames(5_000, seed=1)
    result = compare_standards(households, members, a=V2022, b=V2027, by=["village_code"])
    assert result.households == 5_000
    assert int(result.matrix["total"].sum()) == 5_000
