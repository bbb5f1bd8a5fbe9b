"""The Phiếu B workbook: template contents, round trip through Excel, and every kind of error report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO

import polars as pl
import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from polars.testing import assert_frame_equal

from giamngheo.documents import (
    SurveyWorkbookError,
    TemplateHousehold,
    TemplateMember,
    survey_parse,
    survey_template,
)
from giamngheo.documents.survey_workbook import ERROR_SCHEMA
from giamngheo.standards import evaluate, get_standard
from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS, Level, polars_schema

HOUSEHOLDS = (
    TemplateHousehold(
        "DK-001",
        "Y Nhĩ",
        "Thôn Kon Rế",
        facts={"area": "rural"},
        members=(
            TemplateMember("M-1", "Y Nhĩ", "female", dt.date(1978, 3, 1), facts={"age": 48}),
            TemplateMember("M-2", "A Đức", "male", dt.date(1980, 1, 1), facts={"age": 46}),
        ),
    ),
    TemplateHousehold(
        "DK-002",
        "A Khải",
        "Thôn Kon Rế",
        facts={"area": "rural", "income_12m": 30_000_000, "has_tv": True},
        members=(TemplateMember("M-3", "A Khải", "male", None, facts={"age": 30}),),
    ),
)


def template(facts: Sequence[str] | None = None) -> bytes:
    return survey_template(
        HOUSEHOLDS, village_label="Thôn Kon Rế", round_label="Rà soát định kỳ 2026", facts=facts
    )


def sheet(book: Workbook, name: str) -> Worksheet:
    ws = book[name]
    assert isinstance(ws, Worksheet)
    return ws


def column_of(ws: Worksheet, name: str) -> int:
    """1-based column whose machine name (row 3) is ``name``."""
    for cell in ws[3]:
        if cell.value == name:
            return int(cell.column)
    raise KeyError(name)


def fill(
    data: bytes, households: Mapping[int, Mapping[str, object]], members: Mapping[int, Mapping[str, object]]
) -> bytes:
    """Write values into Excel rows (as numbered in Excel) by machine name, as a surveyor would."""
    book = load_workbook(BytesIO(data))
    for name, rows in (("Hộ", households), ("Nhân khẩu", members)):
        ws = sheet(book, name)
        for row, values in rows.items():
            for column, value in values.items():
                ws.cell(
                    row=row, column=column_of(ws, column)
                ).value = value  # cell(value=None) would not clear
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    book = load_workbook(BytesIO(data))
    change(book)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def errors_of(data: bytes) -> pl.DataFrame:
    with pytest.raises(SurveyWorkbookError) as caught:
        survey_parse(data)
    assert caught.value.errors.schema == pl.Schema(ERROR_SCHEMA)
    assert "chưa lưu dữ liệu nào" in caught.value.message_vi
    return caught.value.errors


def rows_of(errors: pl.DataFrame) -> list[tuple[object, ...]]:
    return errors.select("sheet", "row", "column", "column_label", "value", "code").rows()


FULL_HOUSEHOLD = {
    "income_12m": "18.000.000",
    "income_score": 120.5,
    "ill_member_untreated": "Không",
    "has_dwelling": "Có",
    "durable_main_parts": 2,
    "floor_area_m2": 24.5,
    "water_source": "giếng khoan",
    "latrine_type": "tự hoại",
    "waste_disposal": "được thu gom",
    "uses_internet": "Có",
    "uses_telephone": "Có",
    "has_tv": "Không",
    "has_radio": "Không",
    "has_computer": "Không",
    "has_smartphone": "Có",
    "hears_loudspeaker": "Có",
}
FULL_MEMBER = {
    "has_labour_capacity": "Có",
    "employment": "tự làm (kể cả nông nghiệp)",
    "has_health_insurance": "Có",
    "stunted": "Không",
    "underweight": "Không",
    "school_attendance": "không đi học",
    "general_education": "trung học cơ sở",
    "vocational_qualification": "không có",
    "enterprise_trained": "Không",
}


# --- the template -------------------------------------------------------------------------------------


def test_template_sheets_headers_and_prefill() -> None:
    book = load_workbook(BytesIO(template()))
    assert book.sheetnames == ["Hướng dẫn", "Hộ", "Nhân khẩu", "Danh mục"]
    assert sheet(book, "Danh mục").sheet_state == "hidden"
    hh, mm = sheet(book, "Hộ"), sheet(book, "Nhân khẩu")
    assert "Thôn Kon Rế" in str(hh["A1"].value) and "Rà soát định kỳ 2026" in str(hh["A1"].value)

    names = [c.value for c in hh[3]]
    facts = [f.name for f in HOUSEHOLD_FACTS if f.name != "household_id"]
    assert names == ["household_code", "head_name", "address", *facts]  # the schema's (paper form's) order
    labels = [c.value for c in hh[2]]
    assert labels[:4] == ["Mã hộ", "Họ và tên chủ hộ", "Địa chỉ", "Khu vực"]
    assert labels[names.index("income_12m")] == "Tổng thu nhập của hộ 12 tháng qua (VND)"
    assert [c.value for c in hh[4]][:5] == ["DK-001", "Y Nhĩ", "Thôn Kon Rế", "nông thôn", None]
    row5 = [c.value for c in hh[5]]
    assert row5[names.index("income_12m")] == 30_000_000
    assert row5[names.index("has_tv")] == "Có"
    assert hh.max_row == 5

    member_names = [c.value for c in mm[3]]
    assert member_names[:6] == ["household_code", "member_id", "full_name", "sex", "date_of_birth", "age"]
    assert [c.value for c in mm[4]][:6] == ["DK-001", "M-1", "Y Nhĩ", "nữ", dt.datetime(1978, 3, 1), 48]
    assert mm["E4"].number_format == "dd/mm/yyyy"
    assert [c.value for c in mm[6]][:6] == ["DK-002", "M-3", "A Khải", "nam", None, 30]

    guide = sheet(book, "Hướng dẫn")
    guide_text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "Không sửa, không xóa dòng 3" in guide_text
    assert "Hộ / water_source" in guide_text and "giếng khoan" in guide_text


def test_template_protection_and_validation() -> None:
    book = load_workbook(BytesIO(template()))
    hh, mm = sheet(book, "Hộ"), sheet(book, "Nhân khẩu")
    assert hh.protection.sheet and mm.protection.sheet
    assert hh.freeze_panes == "C4" and mm.freeze_panes == "D4"
    names = [c.value for c in hh[3]]
    # Prefilled registry cells are locked; the answers are not.
    assert hh["A4"].protection.locked and hh["B4"].protection.locked
    area = hh.cell(row=4, column=names.index("area") + 1)
    assert not area.protection.locked
    assert not mm["F4"].protection.locked  # age

    def rule(ws: Worksheet, name: str) -> tuple[str | None, str | None, str | None, str]:
        letter = ws.cell(row=3, column=column_of(ws, name)).column_letter
        for dv in ws.data_validations.dataValidation:
            if f"{letter}4" in dv.sqref:
                return dv.type, dv.operator, dv.formula1, str(dv.sqref)
        raise AssertionError(f"no validation for {name}")

    assert rule(hh, "has_tv")[0] == "list" and rule(hh, "has_tv")[2] == "'Danh mục'!$A$2:$A$3"
    kind, _, source, cells = rule(hh, "water_source")
    assert kind == "list" and source is not None and source.startswith("'Danh mục'!$")
    assert cells.endswith("5")  # the two household rows
    assert rule(hh, "income_12m")[:3] == ("whole", "greaterThanOrEqual", "0")
    assert rule(hh, "floor_area_m2")[:3] == ("decimal", "greaterThanOrEqual", "0")
    assert rule(hh, "durable_main_parts")[:3] == ("whole", None, "0")  # no operator means "between"
    assert rule(mm, "age")[:3] == ("whole", None, "0")
    assert rule(mm, "age")[3].endswith("26")  # 3 members + 20 empty rows for newcomers, from row 4
    lists = sheet(book, "Danh mục")
    assert [lists["A2"].value, lists["A3"].value] == ["Có", "Không"]


def test_template_with_a_subset_of_facts_keeps_the_required_ones() -> None:
    book = load_workbook(BytesIO(template(facts=["income_12m", "has_tv", "has_health_insurance"])))
    assert [c.value for c in sheet(book, "Hộ")[3]] == [
        "household_code", "head_name", "address", "area", "income_12m", "has_tv"
    ]  # fmt: skip
    assert [c.value for c in sheet(book, "Nhân khẩu")[3]] == [
        "household_code", "member_id", "full_name", "date_of_birth", "age", "has_health_insurance"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown fact"):
        template(facts=["income"])


# --- round trip ---------------------------------------------------------------------------------------


def test_round_trip_gives_the_filled_values() -> None:
    filled = fill(
        template(),
        households={
            4: FULL_HOUSEHOLD,
            5: {**FULL_HOUSEHOLD, "income_12m": 50_400_000, "water_source": "nước máy"},
        },
        members={
            4: FULL_MEMBER,
            5: {**FULL_MEMBER, "employment": "thất nghiệp", "has_health_insurance": "không"},
            6: {**FULL_MEMBER, "sex": "nam", "general_education": "tiểu học"},
            # A newborn on the first empty row: household code, no member id.
            7: {"household_code": "DK-002", "full_name": "Bé Hoa", "age": 0, "sex": "nữ"},
        },
    )
    batch = survey_parse(filled)
    assert batch.household_rows == (4, 5)  # the Excel rows the user filled, for error reports
    assert batch.member_rows == (4, 5, 6, 7)
    hh_schema = polars_schema(Level.HOUSEHOLD)
    expected_households = pl.DataFrame(
        {
            "household_code": ["DK-001", "DK-002"],
            "area": ["rural", "rural"],
            "income_12m": [18_000_000, 50_400_000],
            "income_score": [120.5, 120.5],
            "ill_member_untreated": [False, False],
            "has_dwelling": [True, True],
            "durable_main_parts": [2, 2],
            "floor_area_m2": [24.5, 24.5],
            "water_source": ["drilled_well", "piped"],
            "latrine_type": ["septic", "septic"],
            "waste_disposal": ["collected", "collected"],
            "uses_internet": [True, True],
            "uses_telephone": [True, True],
            "has_tv": [False, False],
            "has_radio": [False, False],
            "has_computer": [False, False],
            "has_smartphone": [True, True],
            "hears_loudspeaker": [True, True],
        },
        schema={"household_code": pl.String(), **{k: v for k, v in hh_schema.items() if k != "household_id"}},
    )
    assert_frame_equal(batch.households, expected_households)

    mm_schema = polars_schema(Level.MEMBER)
    expected_members = pl.DataFrame(
        {
            "household_code": ["DK-001", "DK-001", "DK-002", "DK-002"],
            "member_id": ["M-1", "M-2", "M-3", None],
            "sex": ["female", "male", "male", "female"],
            "age": [48, 46, 30, 0],
            "has_labour_capacity": [True, True, True, None],
            "employment": ["self_employed", "unemployed", "self_employed", None],
            "has_health_insurance": [True, False, True, None],
            "stunted": [False, False, False, None],
            "underweight": [False, False, False, None],
            "school_attendance": ["not_attending"] * 3 + [None],
            "general_education": ["lower_secondary", "lower_secondary", "primary", None],
            "vocational_qualification": ["none"] * 3 + [None],
            "enterprise_trained": [False, False, False, None],
        },
        schema={
            "household_code": pl.String(),
            "member_id": pl.String(),
            **{k: v for k, v in mm_schema.items() if k != "household_id"},
        },
    )
    assert_frame_equal(batch.members, expected_members)

    # The frames go straight into the engine.
    households, members = batch.engine_frames()
    result = evaluate(households, members, get_standard("vn-2022-2025"))
    assert result.height == 2


def test_untouched_template_parses_with_nulls() -> None:
    batch = survey_parse(template(facts=["income_12m"]))
    assert batch.households.columns == ["household_code", "area", "income_12m"]
    assert batch.households["income_12m"].to_list() == [None, 30_000_000]
    assert batch.members["age"].to_list() == [48, 46, 30]


def test_edited_labels_do_not_matter() -> None:
    def relabel(book: Workbook) -> None:
        ws = sheet(book, "Hộ")
        ws.cell(row=2, column=column_of(ws, "income_12m"), value="Thu nhập (đồng)")

    data = edit(fill(template(), {4: {"income_12m": "abc"}}, {}), relabel)
    assert rows_of(errors_of(data)) == [("Hộ", 4, "income_12m", "Thu nhập (đồng)", "abc", "value.invalid")]


def test_labels_are_used_when_the_machine_name_row_is_gone() -> None:
    data = edit(fill(template(), {4: {"income_12m": 1_000_000}}, {}), lambda b: sheet(b, "Hộ").delete_rows(3))
    batch = survey_parse(data)
    assert batch.households["income_12m"].to_list() == [1_000_000, 30_000_000]


# --- errors -------------------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_rejects_the_batch() -> None:
    filled = fill(
        template(),
        households={4: FULL_HOUSEHOLD, 5: {**FULL_HOUSEHOLD, "income_12m": "nhiều", "water_source": "suối"}},
        members={4: FULL_MEMBER, 5: {**FULL_MEMBER, "age": -3}},
    )
    errors = errors_of(filled)
    assert rows_of(errors) == [
        ("Hộ", 5, "income_12m", "Tổng thu nhập của hộ 12 tháng qua (VND)", "nhiều", "value.invalid"),
        ("Hộ", 5, "water_source", "Nguồn nước sinh hoạt chính", "suối", "value.invalid"),
        ("Nhân khẩu", 5, "age", "Tuổi (tròn năm tại ngày rà soát) (năm / years)", "-3", "value.out_of_range"),
    ]
    assert errors["message_vi"][0] == "“Tổng thu nhập của hộ 12 tháng qua” phải là số nguyên."
    assert errors["message_en"][0] == "'income_12m' must be of type Int64."


def test_required_value_missing() -> None:
    errors = errors_of(fill(template(), {5: {"area": None}}, {}))
    assert rows_of(errors) == [("Hộ", 5, "area", "Khu vực", None, "value.required")]
    assert errors["message_vi"][0] == "“Khu vực” không được để trống."


def test_duplicate_household_code() -> None:
    def duplicate(book: Workbook) -> None:
        sheet(book, "Hộ")["A5"] = "DK-001"

    errors = errors_of(edit(template(), duplicate))
    assert rows_of(errors.filter(pl.col("code") == "household.duplicate")) == [
        ("Hộ", 4, "household_code", "Mã hộ", "DK-001", "household.duplicate"),
        ("Hộ", 5, "household_code", "Mã hộ", "DK-001", "household.duplicate"),
    ]


def test_member_of_an_unknown_household() -> None:
    errors = errors_of(fill(template(), {}, {6: {"household_code": "DK-999"}}))
    assert rows_of(errors) == [
        ("Nhân khẩu", 6, "household_code", "Mã hộ", "DK-999", "member.unknown_household")
    ]
    assert errors["message_vi"][0] == "Thành viên thuộc mã hộ không có trong danh sách hộ."


def test_duplicate_member_id() -> None:
    errors = errors_of(fill(template(), {}, {5: {"member_id": "M-1"}}))
    assert rows_of(errors) == [("Nhân khẩu", 5, "member_id", "Mã nhân khẩu", "M-1", "member.duplicate")]
    assert errors["message_vi"][0] == "Mã nhân khẩu bị trùng với dòng 4."


def test_missing_sheet() -> None:
    errors = errors_of(edit(template(), lambda book: book.remove(book["Nhân khẩu"])))
    assert rows_of(errors) == [("Nhân khẩu", None, None, None, None, "sheet.missing")]
    assert errors["message_vi"][0].startswith("Thiếu trang “Nhân khẩu”.")


def test_missing_required_column() -> None:
    def drop_area(book: Workbook) -> None:
        ws = sheet(book, "Hộ")
        ws.delete_cols(column_of(ws, "area"))

    errors = errors_of(edit(template(), drop_area))
    assert rows_of(errors) == [("Hộ", None, "area", "Khu vực", None, "column.missing")]
    assert "thiếu cột bắt buộc “Khu vực” (area)" in errors["message_vi"][0]


def test_unknown_column() -> None:
    def add_column(book: Workbook) -> None:
        ws = sheet(book, "Hộ")
        ws.cell(row=3, column=ws.max_column + 1, value="income12")

    errors = errors_of(edit(template(), add_column))
    assert rows_of(errors) == [("Hộ", None, "income12", "income12", None, "column.unknown")]


def test_no_households() -> None:
    def clear(book: Workbook) -> None:
        sheet(book, "Hộ").delete_rows(4, 2)
        sheet(book, "Nhân khẩu").delete_rows(4, 3)

    errors = errors_of(edit(template(), clear))
    assert rows_of(errors) == [("Hộ", None, None, None, None, "sheet.empty")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.empty"),
        (b"household_code,area\nDK-1,rural\n", "file.type"),
        (b"%PDF-1.7 not a workbook", "file.type"),
        (b"PK\x03\x04" + b"\x00" * 64, "file.type"),  # looks like a zip, is not one
    ],
)
def test_wrong_or_empty_file(data: bytes, code: str) -> None:
    errors = errors_of(data)
    assert errors["code"].to_list() == [code]
    assert errors["sheet"].to_list() == [None]


def test_a_zip_that_is_not_a_workbook() -> None:
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert error_codes(out.getvalue()) == ["file.type"]


def error_codes(data: bytes) -> list[str]:
    return [str(code) for code in errors_of(data)["code"].to_list()]


def test_other_workbook_lists_both_missing_sheets() -> None:
    book = Workbook()
    out = BytesIO()
    book.save(out)
    errors = errors_of(out.getvalue())
    assert rows_of(errors) == [
        ("Hộ", None, None, None, None, "sheet.missing"),
        ("Nhân khẩu", None, None, None, None, "sheet.missing"),
    ]


def test_member_facts_schema_is_covered() -> None:
    """Every member fact except the key has a column in the full template (nothing forgotten)."""
    book = load_workbook(BytesIO(template()))
    names = {c.value for c in sheet(book, "Nhân khẩu")[3]}
    assert {f.name for f in MEMBER_FACTS if f.name != "household_id"} <= names
