"""Validation of input facts (``validate_facts``): normalisation of text input and the per-row report.

Rows are numbered from 1 = the first data row after the header, as a commune officer sees them in Excel.
Every error row says which frame, row and column, the offending value, a stable code and a Vietnamese
message.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.standards import FactsError, evaluate, get_standard, validate_facts
from giamngheo.standards.facts import HOUSEHOLD_FACTS_BY_NAME, MEMBER_FACTS_BY_NAME
from giamngheo.standards.validation import ERROR_SCHEMA
from tests.standards.builders import VIETNAMESE, frames, household, one_household, person


def text_households(**columns: Sequence[str | None]) -> pl.DataFrame:
    """A household frame as read from a CSV file: every column text."""
    data = {"household_id": ["h1", "h2", "h3"], "area": ["rural", "rural", "urban"], **columns}
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String()))


def text_members(**columns: Sequence[str | None]) -> pl.DataFrame:
    data = {"household_id": ["h1", "h2", "h3"], "age": ["40", "40", "40"], **columns}
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String()))


# --- normalisation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("area", "nông thôn", "rural"),
        ("area", "Nông thôn", "rural"),
        ("area", " thành thị ", "urban"),
        ("area", "URBAN", "urban"),
        # Money: Vietnamese thousands separators (dot), English ones (comma) and spaces.
        ("income_12m", "1.500.000", 1_500_000),
        ("income_12m", "1,500,000", 1_500_000),
        ("income_12m", "18 000 000", 18_000_000),
        ("income_12m", "18000000", 18_000_000),
        ("income_12m", "", None),
        # Decimal comma.
        ("floor_area_m2", "8,5", 8.5),
        ("floor_area_m2", "8.5", 8.5),
        ("floor_area_m2", "24", 24.0),
        ("income_score", "140,5", 140.5),
        ("durable_main_parts", "2", 2),
        # Yes / no in Vietnamese, with or without diacritics, and the usual spreadsheet marks.
        ("has_tv", "có", True),
        ("has_tv", "Có", True),
        ("has_tv", "co", True),
        ("has_tv", "x", True),
        ("has_tv", "1", True),
        ("has_tv", "không", False),
        ("has_tv", "KHÔNG", False),
        ("has_tv", "khong", False),
        ("has_tv", "0", False),
        ("has_tv", "", None),
        # Enumerations by code or by Vietnamese label.
        ("water_source", "nước máy", "piped"),
        ("water_source", "Giếng khoan", "drilled_well"),
        ("water_source", "rainwater", "rainwater"),
        ("latrine_type", "tự hoại", "septic"),
        ("latrine_type", "không có", "none"),
        ("waste_disposal", "được thu gom", "collected"),
    ],
)
def test_household_text_is_normalised(column: str, text: str, value: object) -> None:
    filler = "rural" if column == "area" else None
    checked = validate_facts(text_households(**{column: [filler, text, filler]}), text_members())
    assert checked.ok, checked.errors
    assert checked.households[column].to_list()[1] == value
    assert checked.households.schema[column] == HOUSEHOLD_FACTS_BY_NAME[column].polars_dtype


@pytest.mark.parametrize(
    ("column", "text", "value"),
    [
        ("age", " 7 ", 7),
        ("sex", "nữ", "female"),
        ("sex", "Nam", "male"),
        ("has_health_insurance", "có", True),
        ("has_labour_capacity", "không", False),
        ("employment", "thất nghiệp", "unemployed"),
        ("employment", "tự làm (kể cả nông nghiệp)", "self_employed"),
        ("school_attendance", "đang đi học", "attending"),
        ("general_education", "trung học phổ thông", "upper_secondary"),
        ("vocational_qualification", "sơ cấp", "elementary"),
    ],
)
def test_member_text_is_normalised(column: str, text: str, value: object) -> None:
    checked = validate_facts(text_households(), text_members(**{column: [text] * 3}))
    assert checked.ok, checked.errors
    assert checked.members[column].to_list() == [value] * 3
    assert checked.members.schema[column] == MEMBER_FACTS_BY_NAME[column].polars_dtype


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        # Numbers typed by a spreadsheet: 1/0 for yes/no; whole floats for whole-number facts.
        ("has_tv", pl.Series([1, 0, None]), [True, False, None]),
        ("income_12m", pl.Series([1_500_000.0, 0.0, None]), [1_500_000, 0, None]),
        ("floor_area_m2", pl.Series([8, 24, None]), [8.0, 24.0, None]),
    ],
)
def test_numeric_input_is_normalised(column: str, values: pl.Series, expected: list[object]) -> None:
    checked = validate_facts(text_households().with_columns(values.alias(column)), text_members())
    assert checked.ok, checked.errors
    assert checked.households[column].to_list() == expected


def test_a_clean_typed_frame_passes_unchanged() -> None:
    households, members = frames(
        [household(household_id="a"), household(household_id="b", area="urban")],
        [person(40, household_id="a"), person(8, household_id="a"), person(70, household_id="b")],
    )
    checked = validate_facts(households, members)
    assert checked.ok
    assert checked.errors.schema == pl.Schema(ERROR_SCHEMA)
    assert_frame_equal(checked.households, households)
    assert_frame_equal(checked.members, members)


def test_text_input_evaluates_like_typed_input() -> None:
    # The same household, once as CSV text with Vietnamese labels, once typed.
    standard = get_standard("vn-2022-2025")
    text = pl.DataFrame(
        {
            "household_id": ["h1"],
            "area": ["nông thôn"],
            "income_12m": ["36.000.000"],
            "has_dwelling": ["có"],
            "durable_main_parts": ["1"],
            "floor_area_m2": ["15,5"],
            "water_source": ["nước mặt (sông, suối, ao, hồ)"],
            "latrine_type": ["tự hoại"],
            "uses_internet": ["không"],
            "has_tv": ["có"],
            "has_radio": ["không"],
            "has_computer": ["không"],
            "has_smartphone": ["không"],
        }
    )
    members = pl.DataFrame(
        {
            "household_id": ["h1", "h1"],
            "age": ["40", "12"],
            "sex": ["nam", "nữ"],
            "has_labour_capacity": ["có", "có"],
            "employment": ["tự làm (kể cả nông nghiệp)", "không tham gia lao động (đi học, nội trợ, …)"],
            "has_health_insurance": ["có", "có"],
            "stunted": ["không", "không"],
            "underweight": ["không", "không"],
            "school_attendance": ["không đi học", "đang đi học"],
            "general_education": ["trung học phổ thông", "tiểu học"],
            "vocational_qualification": ["không có", "không có"],
            "enterprise_trained": ["không", "không"],
        }
    )
    from_text = evaluate(text, members, standard)
    typed = one_household(
        [person(40, employment="self_employed"), person(12, sex="female")],
        income_12m=36_000_000,
        durable_main_parts=1,
        floor_area_m2=15.5,
        water_source="surface_water",
        uses_internet=False,
        has_radio=False,
        has_computer=False,
        has_smartphone=False,
    )
    expected = evaluate(*typed, standard)
    assert_frame_equal(from_text, expected)
    # 36,000,000 / 12 / 2 = 1,500,000: at the rural line; housing, water and internet deprived.
    assert from_text.row(0, named=True)["class"] == "poor"


# --- the error report -----------------------------------------------------------------------------------


def error_rows(errors: pl.DataFrame) -> list[tuple[object, ...]]:
    return list(errors.select("frame", "row", "column", "value", "code").iter_rows())


@pytest.mark.parametrize(
    ("column", "text", "code"),
    [
        ("area", "ngoại ô", "value.invalid"),
        ("income_12m", "1,5", "value.invalid"),
        ("income_12m", "một triệu", "value.invalid"),
        ("income_12m", "-5", "value.out_of_range"),
        ("income_score", "-1", "value.out_of_range"),
        ("floor_area_m2", "abc", "value.invalid"),
        ("floor_area_m2", "-1", "value.out_of_range"),
        ("durable_main_parts", "4", "value.out_of_range"),
        ("durable_main_parts", "2.5", "value.invalid"),
        ("has_tv", "có lẽ", "value.invalid"),
        ("water_source", "giếng", "value.invalid"),
        ("latrine_type", "septic tank", "value.invalid"),
        ("waste_disposal", "đốt", "value.invalid"),
    ],
)
def test_invalid_household_value(column: str, text: str, code: str) -> None:
    filler = "rural" if column == "area" else None
    checked = validate_facts(text_households(**{column: [filler, text, filler]}), text_members())
    assert error_rows(checked.errors) == [("households", 2, column, text, code)]
    message = checked.errors["message_vi"][0]
    assert HOUSEHOLD_FACTS_BY_NAME[column].label_vi in message
    assert VIETNAMESE.search(message)


@pytest.mark.parametrize(
    ("column", "text", "code"),
    [
        ("age", "bốn mươi", "value.invalid"),
        ("age", "131", "value.out_of_range"),
        ("age", "-1", "value.out_of_range"),
        ("age", "40.5", "value.invalid"),
        ("sex", "x", "value.invalid"),
        ("employment", "làm ruộng", "value.invalid"),
        ("has_health_insurance", "chưa rõ", "value.invalid"),
        ("general_education", "đại học", "value.invalid"),
    ],
)
def test_invalid_member_value(column: str, text: str, code: str) -> None:
    filler = "40" if column == "age" else None
    members = text_members(**{column: [filler, text, filler]})
    checked = validate_facts(text_households(), members)
    assert error_rows(checked.errors) == [("members", 2, column, text, code)]
    message = checked.errors["message_vi"][0]
    assert MEMBER_FACTS_BY_NAME[column].label_vi in message
    assert VIETNAMESE.search(message)


@pytest.mark.parametrize("age", [0, 130])
def test_age_range_is_inclusive(age: int) -> None:
    assert validate_facts(text_households(), text_members().with_columns(age=pl.lit(str(age)))).ok


@pytest.mark.parametrize(
    ("households", "members", "expected"),
    [
        (
            text_households().drop("area"),
            text_members(),
            [("households", None, "area", None, "column.missing")],
        ),
        (
            text_households().drop("household_id"),
            text_members(),
            [("households", None, "household_id", None, "column.missing")],
        ),
        (text_households(), text_members().drop("age"), [("members", None, "age", None, "column.missing")]),
        (
            text_households(),
            text_members().drop("household_id"),
            [("members", None, "household_id", None, "column.missing")],
        ),
    ],
)
def test_missing_required_column(
    households: pl.DataFrame, members: pl.DataFrame, expected: list[tuple[object, ...]]
) -> None:
    checked = validate_facts(households, members)
    assert error_rows(checked.errors) == expected
    assert "Thiếu cột bắt buộc" in checked.errors["message_vi"][0]


@pytest.mark.parametrize(
    ("households", "members", "expected"),
    [
        # Row 2 of each frame has a blank (empty, spaces or null) required value.
        (
            text_households(household_id=["h1", "", "h3"]),
            text_members(household_id=["h1", "h1", "h3"]),
            ("households", 2, "household_id", "", "value.required"),
        ),
        (
            text_households(area=["rural", " ", "urban"]),
            text_members(),
            ("households", 2, "area", " ", "value.required"),
        ),
        (
            text_households(),
            text_members(household_id=["h1", None, "h3"]),
            ("members", 2, "household_id", None, "value.required"),
        ),
        (
            text_households(),
            text_members(age=["40", None, "40"]),
            ("members", 2, "age", None, "value.required"),
        ),
    ],
)
def test_blank_required_value(
    households: pl.DataFrame, members: pl.DataFrame, expected: tuple[object, ...]
) -> None:
    checked = validate_facts(households, members)
    assert error_rows(checked.errors) == [expected]
    assert "không được để trống" in checked.errors["message_vi"][0]


def test_duplicate_household_ids_are_reported_on_every_copy() -> None:
    households = text_households().with_columns(household_id=pl.Series(["h1", "h2", "h1"]))
    checked = validate_facts(households, text_members().with_columns(household_id=pl.lit("h1")))
    assert error_rows(checked.errors) == [
        ("households", 1, "household_id", "h1", "household.duplicate"),
        ("households", 3, "household_id", "h1", "household.duplicate"),
    ]
    assert checked.errors["message_vi"].to_list() == ["Mã hộ bị trùng."] * 2


def test_member_of_unknown_household() -> None:
    members = text_members().with_columns(household_id=pl.Series(["h1", "h9", "h3"]))
    checked = validate_facts(text_households(), members)
    assert error_rows(checked.errors) == [("members", 2, "household_id", "h9", "member.unknown_household")]
    assert VIETNAMESE.search(checked.errors["message_vi"][0])


def test_integer_household_ids_link_to_text_member_ids() -> None:
    households = text_households().with_columns(household_id=pl.Series([1, 2, 3]))
    members = text_members().with_columns(household_id=pl.Series(["1", "2", "3"]))
    checked = validate_facts(households, members)
    assert checked.ok
    assert checked.members["household_id"].to_list() == [1, 2, 3]


def test_member_id_of_another_type_is_reported() -> None:
    households = text_households().with_columns(household_id=pl.Series([1, 2, 3]))
    members = text_members().with_columns(household_id=pl.Series(["1", "h9", "3"]))
    checked = validate_facts(households, members)
    assert [row[:3] for row in error_rows(checked.errors)] == [("members", 2, "household_id")]


def test_every_problem_is_reported_in_frame_row_column_order() -> None:
    households = text_households(income_12m=["-1", "abc", None], has_tv=["có", "?", "không"])
    members = text_members(sex=["nam", "nữ", "khác"]).with_columns(age=pl.Series(["200", "40", "40"]))
    checked = validate_facts(households, members)
    assert error_rows(checked.errors) == [
        ("households", 1, "income_12m", "-1", "value.out_of_range"),
        ("households", 2, "has_tv", "?", "value.invalid"),
        ("households", 2, "income_12m", "abc", "value.invalid"),
        ("members", 1, "age", "200", "value.out_of_range"),
        ("members", 3, "sex", "khác", "value.invalid"),
    ]
    assert all(VIETNAMESE.search(m) for m in checked.errors["message_vi"])
    assert not any(VIETNAMESE.search(m) for m in checked.errors["message_en"])


def test_evaluate_raises_facts_error_with_the_report() -> None:
    households = text_households(income_12m=["-1", "1.000.000", "x"])
    members = text_members(sex=["nam", "?", "nữ"])
    with pytest.raises(FactsError) as caught:
        evaluate(households, members, get_standard("vn-2022-2025"))
    expected = validate_facts(households, members).errors
    assert_frame_equal(caught.value.errors, expected)
    assert caught.value.errors.height == 3
    assert str(caught.value).startswith("3 invalid fact value(s)")


def test_evaluate_without_a_column_the_standard_needs() -> None:
    households, members = one_household([person(40)])
    households = households.drop("waste_disposal")  # e.g. a 2024 spreadsheet evaluated under 2027-2030
    try:
        row = evaluate(households, members, get_standard("vn-2027-2030")).row(0, named=True)
    except FactsError as error:
        assert "waste_disposal" in error.errors["column"].to_list()
    else:
        assert (row["class"], row["missing"]) == ("incomplete", ["waste_disposal"])
