"""Classification: income lines, the deprivation count, the score card and missing facts.

Lines are "from X or less" (từ X trở xuống): income per person ≤ line is below it (docs:
vietnam-poverty-rules.md §1). The engine compares whole đồng per year, ``income_12m ≤ line × 12 ×
members``, so the household exactly at the line is below it and one đồng more per year is above.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.standards import Standard, StandardError, evaluate, get_standard, list_standards
from tests.standards.builders import (
    DEPRIVATIONS,
    Row,
    deprived_in,
    evaluate_one,
    frames,
    household,
    income_at,
    person,
)

STANDARDS = list_standards()
AREAS = ("rural", "urban")


def family(size: int) -> list[Row]:
    """``size`` working adults: no deprivation of their own."""
    return [person(40) for _ in range(size)]


def classify(
    standard: Standard, *, area: str, income: int | None, deprivations: int = 0, size: int = 1
) -> Row:
    row = evaluate_one(standard, family(size), area=area, income_12m=income, **deprived_in(deprivations))
    assert row["deprivation_count"] == deprivations
    return row


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_the_deprivation_builder_deprives_one_indicator_each(standard: Standard) -> None:
    for count in range(len(DEPRIVATIONS) + 1):
        row = evaluate_one(standard, family(1), **deprived_in(count))
        deprived = {k.removeprefix("dep_") for k, v in row.items() if k.startswith("dep_") and v}
        assert deprived == {name for name, _ in DEPRIVATIONS[:count]}
        assert row["deprivation_count"] == count


# --- literal examples from the decrees (VND per person per month, unless said otherwise) ----------------

LITERAL = [
    # Decree 07/2021 art. 3 (2022-2025): rural 1,500,000 / urban 2,000,000; middle-living up to
    # 2,250,000 / 3,000,000.
    ("vn-2022-2025", "rural", 1, 1_500_000 * 12, 0, "near_poor"),
    ("vn-2022-2025", "rural", 1, 1_500_000 * 12, 3, "poor"),
    ("vn-2022-2025", "rural", 1, 1_500_000 * 12 + 1, 0, "middle_living"),
    ("vn-2022-2025", "rural", 1, 1_500_000 * 12 + 1, 4, "middle_living"),
    ("vn-2022-2025", "rural", 1, 2_250_000 * 12, 0, "middle_living"),
    ("vn-2022-2025", "rural", 1, 2_250_000 * 12 + 1, 0, "not_poor"),
    ("vn-2022-2025", "rural", 4, 1_500_000 * 12 * 4, 2, "near_poor"),
    ("vn-2022-2025", "rural", 4, 1_500_000 * 12 * 4 + 1, 2, "middle_living"),
    ("vn-2022-2025", "urban", 1, 2_000_000 * 12, 2, "near_poor"),
    ("vn-2022-2025", "urban", 1, 2_000_000 * 12, 3, "poor"),
    ("vn-2022-2025", "urban", 1, 2_000_000 * 12 + 1, 3, "middle_living"),
    ("vn-2022-2025", "urban", 1, 3_000_000 * 12, 0, "middle_living"),
    ("vn-2022-2025", "urban", 1, 3_000_000 * 12 + 1, 0, "not_poor"),
    # Decision 59/2015 (2016-2020): rural 700,000 / 1,000,000, urban 900,000 / 1,300,000. At or below
    # the lower line: poor with no deprivation; between the lines: poor with >= 3 of 10, else near-poor;
    # middle-living (unconfirmed) up to 1,500,000 / 1,950,000.
    ("vn-2016-2020", "rural", 1, 700_000 * 12, 0, "poor"),
    ("vn-2016-2020", "rural", 1, 700_000 * 12 + 1, 0, "near_poor"),
    ("vn-2016-2020", "rural", 1, 700_000 * 12 + 1, 2, "near_poor"),
    ("vn-2016-2020", "rural", 1, 700_000 * 12 + 1, 3, "poor"),
    ("vn-2016-2020", "rural", 1, 1_000_000 * 12, 2, "near_poor"),
    ("vn-2016-2020", "rural", 1, 1_000_000 * 12, 3, "poor"),
    ("vn-2016-2020", "rural", 1, 1_000_000 * 12 + 1, 3, "middle_living"),
    ("vn-2016-2020", "rural", 1, 1_500_000 * 12, 0, "middle_living"),
    ("vn-2016-2020", "rural", 1, 1_500_000 * 12 + 1, 0, "not_poor"),
    ("vn-2016-2020", "urban", 1, 900_000 * 12, 0, "poor"),
    ("vn-2016-2020", "urban", 1, 900_000 * 12 + 1, 0, "near_poor"),
    ("vn-2016-2020", "urban", 1, 1_300_000 * 12, 3, "poor"),
    ("vn-2016-2020", "urban", 1, 1_300_000 * 12 + 1, 0, "middle_living"),
    ("vn-2016-2020", "urban", 1, 1_950_000 * 12, 0, "middle_living"),
    ("vn-2016-2020", "urban", 1, 1_950_000 * 12 + 1, 0, "not_poor"),
    # Decree 351/2025 (2027-2030): rural 2,200,000, urban 2,800,000; no middle-living band encoded.
    ("vn-2027-2030", "rural", 1, 2_200_000 * 12, 2, "near_poor"),
    ("vn-2027-2030", "rural", 1, 2_200_000 * 12, 3, "poor"),
    ("vn-2027-2030", "rural", 1, 2_200_000 * 12 + 1, 0, "not_poor"),
    ("vn-2027-2030", "urban", 1, 2_800_000 * 12, 0, "near_poor"),
    ("vn-2027-2030", "urban", 1, 2_800_000 * 12 + 1, 3, "not_poor"),
    # HCMC 2025 review (Decision 505/QĐ-UBND): per person per YEAR, poor <= 46,000,000, near-poor above
    # 46 up to 54 million; no middle-living band.
    ("local-79-hcm-2025", "urban", 1, 46_000_000, 0, "poor"),
    ("local-79-hcm-2025", "urban", 1, 46_000_001, 0, "near_poor"),
    ("local-79-hcm-2025", "urban", 1, 46_000_001, 3, "poor"),
    ("local-79-hcm-2025", "urban", 1, 54_000_000, 2, "near_poor"),
    ("local-79-hcm-2025", "urban", 1, 54_000_001, 0, "not_poor"),
    ("local-79-hcm-2025", "rural", 3, 46_000_000 * 3, 0, "poor"),
    ("local-79-hcm-2025", "rural", 3, 54_000_000 * 3, 0, "near_poor"),
    ("local-79-hcm-2025", "rural", 3, 54_000_000 * 3 + 1, 0, "not_poor"),
]


@pytest.mark.parametrize(("standard_id", "area", "size", "income", "deprivations", "expected"), LITERAL)
def test_literal_examples(
    standard_id: str, area: str, size: int, income: int, deprivations: int, expected: str
) -> None:
    row = classify(get_standard(standard_id), area=area, income=income, deprivations=deprivations, size=size)
    assert row["class"] == expected
    assert row["income_per_person"] == income / 12 / size


@pytest.mark.parametrize(
    ("standard_id", "area", "monthly_line"),
    [
        ("vn-2016-2020", "rural", 1_000_000),
        ("vn-2016-2020", "urban", 1_300_000),
        ("vn-2022-2025", "rural", 1_500_000),
        ("vn-2022-2025", "urban", 2_000_000),
        ("vn-2027-2030", "rural", 2_200_000),
        ("vn-2027-2030", "urban", 2_800_000),
        ("local-79-hcm-2025", "urban", 54_000_000 / 12),
    ],
)
def test_line_column_is_the_monthly_poverty_line(standard_id: str, area: str, monthly_line: float) -> None:
    row = classify(get_standard(standard_id), area=area, income=1)
    assert row["line"] == monthly_line


# --- every line of every standard, read from the data file ----------------------------------------------


def line_table(standard: Standard) -> list[tuple[str, str, str, int, int, int, str]]:
    """(label, area, line, đồng added per year, deprivations, members, expected class)."""
    k = standard.poor_min_deprivations
    above_poverty = "middle_living" if standard.has_middle_living else "not_poor"
    table = [
        # At the poverty line: the poor / near-poor test applies (≤ line).
        ("poverty", 0, 0, "near_poor"),
        ("poverty", 0, k - 1, "near_poor"),
        ("poverty", 0, k, "poor"),
        # One đồng more per year: above the line, whatever the deprivations.
        ("poverty", 1, 0, above_poverty),
        ("poverty", 1, k, above_poverty),
    ]
    if standard.rule == "two_band":
        table += [
            ("lower", 0, 0, "poor"),  # at or below the lower line: poor without any deprivation
            ("lower", 1, 0, "near_poor"),
            ("lower", 1, k - 1, "near_poor"),
            ("lower", 1, k, "poor"),
        ]
    if standard.has_middle_living:
        table += [("middle_upper", 0, k, "middle_living"), ("middle_upper", 1, 0, "not_poor")]
    return [
        (f"{area}-{line}{'+1' if delta else ''}-{count}dep-{size}p", area, line, delta, count, size, expected)
        for area in AREAS
        for line, delta, count, expected in table
        for size in (1, 3)
    ]


@functools.cache
def line_results(standard_id: str) -> dict[str, Row]:
    """All line cases of one standard in one batch (one household per case), by label."""
    standard = get_standard(standard_id)
    households, members = [], []
    for label, area, line, delta, count, size, _ in line_table(standard):
        income = income_at(standard, area, size, line, delta)
        households.append(household(household_id=label, area=area, income_12m=income, **deprived_in(count)))
        members += [person(40, household_id=label) for _ in range(size)]
    result = evaluate(*frames(households, members), standard)
    return {row["household_id"]: row for row in result.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("standard", "label", "count", "expected"),
    [
        pytest.param(s, label, count, expected, id=f"{s.id}-{label}")
        for s in STANDARDS
        for label, _, _, _, count, _, expected in line_table(s)
    ],
)
def test_income_lines(standard: Standard, label: str, count: int, expected: str) -> None:
    row = line_results(standard.id)[label]
    assert (row["class"], row["deprivation_count"]) == (expected, count)


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_lines_are_ordered(standard: Standard) -> None:
    for lines in standard.lines.values():
        assert lines.lower is None or lines.lower < lines.poverty
        assert lines.middle_upper is None or lines.middle_upper > lines.poverty
    assert standard.lines["urban"].poverty >= standard.lines["rural"].poverty


def test_which_standards_have_a_middle_living_band() -> None:
    # 2027-2030: the issued decree's band was not found, so none is encoded (no middle_living class);
    # HCMC's local lines replace the national ones and define no band.
    assert {s.id: s.has_middle_living for s in STANDARDS} == {
        "vn-2016-2020": True,
        "vn-2022-2025": True,
        "vn-2027-2030": False,
        "local-79-hcm-2025": False,
    }


# --- the deprivation count ------------------------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
@pytest.mark.parametrize(
    ("count", "expected"), [(0, "near_poor"), (1, "near_poor"), (2, "near_poor"), (3, "poor"), (4, "poor")]
)
def test_two_deprivations_near_poor_three_poor(standard: Standard, count: int, expected: str) -> None:
    # Every standard: at the poverty line, poor with >= 3 deprivations, near-poor with fewer.
    assert standard.poor_min_deprivations == 3
    row = classify(standard, area="rural", income=income_at(standard, "rural", 2), deprivations=count, size=2)
    assert row["class"] == expected


# --- the score card (Circular 07/2021/TT-BLĐTBXH) -------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "score", "count", "expected"),
    [
        # Score A <= 140 (rural) / 175 (urban) estimates income at or below the line; B = 10 per
        # deprivation, poor when B >= 30.
        ("rural", 140.0, 0, "near_poor"),
        ("rural", 140.0, 2, "near_poor"),
        ("rural", 140.0, 3, "poor"),
        ("rural", 60.0, 3, "poor"),
        ("rural", 140.5, 0, "not_poor"),
        ("rural", 140.5, 3, "not_poor"),
        ("rural", 175.0, 0, "not_poor"),
        ("urban", 175.0, 2, "near_poor"),
        ("urban", 175.0, 3, "poor"),
        ("urban", 175.5, 0, "not_poor"),
        ("urban", 175.5, 4, "not_poor"),
    ],
)
def test_score_basis_2022(area: str, score: float, count: int, expected: str) -> None:
    standard = get_standard("vn-2022-2025")
    assert standard.score is not None
    assert (standard.score.rural, standard.score.urban) == (140, 175)
    row = evaluate_one(
        standard,
        family(1),
        basis="score",
        area=area,
        income_score=score,
        income_12m=None,
        **deprived_in(count),
    )
    assert row["class"] == expected
    assert row["income_score"] == score


def test_score_basis_never_gives_middle_living() -> None:
    # Middle-living is identified from measured income (Decision 24/2021/QĐ-TTg art. 2), not the score.
    standard = get_standard("vn-2022-2025")
    middle_income = income_at(standard, "rural", 1, "poverty", 1)
    by_income = evaluate_one(standard, family(1), income_12m=middle_income, income_score=141.0)
    by_score = evaluate_one(standard, family(1), basis="score", income_12m=middle_income, income_score=141.0)
    assert (by_income["class"], by_score["class"]) == ("middle_living", "not_poor")


def test_score_basis_needs_the_score_not_the_income() -> None:
    standard = get_standard("vn-2022-2025")
    missing = evaluate_one(standard, family(1), basis="score", income_score=None, income_12m=1)
    assert (missing["class"], missing["missing"]) == ("incomplete", ["income_score"])
    no_income = evaluate_one(standard, family(1), basis="score", income_score=100.0, income_12m=None)
    assert (no_income["class"], no_income["missing"]) == ("near_poor", [])


@pytest.mark.parametrize("standard_id", ["vn-2016-2020", "vn-2027-2030", "local-79-hcm-2025"])
def test_score_basis_without_score_lines_raises(standard_id: str) -> None:
    # HCMC changes the lines, so it does not inherit the national score card (calibrated to them).
    standard = get_standard(standard_id)
    assert standard.score is None
    with pytest.raises(StandardError) as caught:
        evaluate_one(standard, family(1), basis="score")
    assert "điểm" in caught.value.message_vi


# --- missing facts (Kleene logic) -----------------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_no_members_is_incomplete(standard: Standard) -> None:
    row = evaluate_one(standard, [], income_12m=0)
    assert (row["class"], row["members"], row["missing"]) == ("incomplete", 0, ["members"])
    assert row["income_per_person"] is None


def test_no_members_leaves_floor_area_per_person_unknown() -> None:
    row = evaluate_one(get_standard("vn-2022-2025"), [], income_12m=0, floor_area_m2=0.0)
    assert row["dep_health_insurance"] is None
    assert row["dep_floor_area"] is None


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_no_income_is_incomplete(standard: Standard) -> None:
    row = evaluate_one(standard, family(2), income_12m=None)
    assert (row["class"], row["missing"]) == ("incomplete", ["income_12m"])
    assert row["income_per_person"] is None


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_a_missing_fact_that_decides_an_indicator_makes_the_household_incomplete(standard: Standard) -> None:
    # A 40-year-old with unknown health insurance: the indicator could go either way.
    row = evaluate_one(
        standard, [person(40, has_health_insurance=None)], income_12m=income_at(standard, "rural", 1)
    )
    assert row["dep_health_insurance"] is None
    assert (row["class"], row["missing"]) == ("incomplete", ["has_health_insurance"])


@pytest.mark.parametrize(
    ("standard_id", "subject"),
    [
        # Finished upper secondary: qualified in every band, the enterprise route can't matter.
        ("vn-2022-2025", person(20, enterprise_trained=None)),
        ("vn-2027-2030", person(20, enterprise_trained=None)),
        ("vn-2016-2020", person(20, enterprise_trained=None)),
        # Nutrition looks at children under 16 only.
        ("vn-2022-2025", person(30, stunted=None, underweight=None)),
        # Sex decides working age only between the two retirement ages.
        ("vn-2022-2025", person(30, sex=None)),
        ("vn-2027-2030", person(30, sex=None)),
        # Health insurance from age 6 only.
        ("vn-2022-2025", person(5, has_health_insurance=None)),
    ],
)
def test_a_missing_fact_that_cannot_change_the_result_is_harmless(standard_id: str, subject: Row) -> None:
    standard = get_standard(standard_id)
    row = evaluate_one(
        standard, [person(40), person(40), subject], income_12m=income_at(standard, "rural", 3)
    )
    assert (row["class"], row["missing"]) == ("near_poor", [])


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_a_known_deprivation_wins_over_another_members_null(standard: Standard) -> None:
    members = [person(40, has_health_insurance=False), person(40, has_health_insurance=None)]
    row = evaluate_one(standard, members, income_12m=income_at(standard, "rural", 2), **deprived_in(2))
    assert row["dep_health_insurance"] is True
    assert (row["deprivation_count"], row["class"], row["missing"]) == (3, "poor", [])


def test_incomplete_even_when_no_indicator_could_change_the_class() -> None:
    # Documented behaviour (evaluate, Notes): any unknown indicator makes the household incomplete,
    # even far above every line, or at or below the lower line of a two-band rule, where the class
    # cannot depend on deprivations. Pinned here; see the report for whether it should stay so.
    rich = evaluate_one(get_standard("vn-2022-2025"), [person(40, has_health_insurance=None)])
    assert rich["class"] == "incomplete"
    very_poor = evaluate_one(
        get_standard("vn-2016-2020"), [person(40, has_health_insurance=None)], income_12m=0
    )
    assert very_poor["class"] == "incomplete"


# --- batches --------------------------------------------------------------------------------------------


def test_batch_keeps_input_order_and_passthrough_columns() -> None:
    standard = get_standard("vn-2022-2025")
    line = income_at(standard, "rural", 1)
    households = [
        household(
            household_id="c", income_12m=line + 1, province_code="11", commune_code="03166", weight=2.5
        ),
        household(household_id="a", income_12m=line, province_code="11", commune_code="03166", weight=1.0),
        household(
            household_id="b",
            income_12m=line,
            province_code="11",
            commune_code="03169",
            weight=1.0,
            **deprived_in(3),
        ),
        household(household_id="d", income_12m=None, province_code="11", commune_code="03169", weight=1.0),
    ]
    members = [person(40, household_id=h) for h in ("a", "b", "c", "d")]
    result = evaluate(*frames(households, members), standard)
    assert result.columns[:5] == ["household_id", "province_code", "commune_code", "weight", "area"]
    assert result["household_id"].to_list() == ["c", "a", "b", "d"]
    assert result["class"].to_list() == ["middle_living", "near_poor", "poor", "incomplete"]
    assert result["weight"].to_list() == [2.5, 1.0, 1.0, 1.0]


def test_income_per_person_is_the_same_alone_and_in_a_batch() -> None:
    standard = get_standard("vn-2022-2025")
    households = [household(household_id=h, income_12m=5) for h in ("a", "b")]
    members = [person(40, household_id=h) for h in ("a", "b")]
    batch = evaluate(*frames(households, members), standard)["income_per_person"].to_list()
    alone = evaluate(*frames(households[:1], members[:1]), standard)["income_per_person"].to_list()
    assert batch == [5 / 12, 5 / 12]
    assert alone == [5 / 12]


@settings(max_examples=30, deadline=None)
@given(
    standard=st.sampled_from(STANDARDS),
    area=st.sampled_from(AREAS),
    size=st.integers(1, 6),
    per_person=st.integers(0, 70_000_000),  # VND per person per year: spans every line
    count=st.integers(0, len(DEPRIVATIONS) - 1),
)
def test_one_more_deprivation_never_improves_the_class(
    standard: Standard, area: str, size: int, per_person: int, count: int
) -> None:
    order = ["poor", "near_poor", "middle_living", "not_poor"]
    before = classify(standard, area=area, income=per_person * size, deprivations=count, size=size)
    after = classify(standard, area=area, income=per_person * size, deprivations=count + 1, size=size)
    assert order.index(after["class"]) <= order.index(before["class"])
