"""Excel list export: title, header, frozen pane, filter, typed cells and formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from giamngheo.documents import Column, list_xlsx
from giamngheo.documents.xlsx import sheet_title

COLUMNS = [
    Column("Mã hộ"),
    Column("Họ và tên chủ hộ", width=30),
    Column("Ngày lập"),
    Column("Cập nhật lúc"),
    Column("Thu nhập 12 tháng (đồng)"),
    Column("Diện tích nhà ở (m²)"),
    Column("Dân tộc thiểu số"),
]


def sheet_of(data: bytes) -> Worksheet:
    book = load_workbook(BytesIO(data))
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


def rows() -> Iterator[tuple[object, ...]]:
    yield (
        "DK-0001",
        "Y Nhĩ",
        dt.date(2026, 11, 27),
        dt.datetime(2026, 11, 27, 8, 30),
        18_000_000,
        24.5,
        True,
    )
    yield ('=HYPERLINK("x")', "A Đức", None, None, Decimal("1500000"), float("nan"), False)


def test_list_xlsx_layout_and_types() -> None:
    sheet = sheet_of(
        list_xlsx(COLUMNS, rows(), title="Danh sách hộ nghèo — Xã Đăk Kôi", sheet_name="Hộ nghèo")
    )
    assert sheet.title == "Hộ nghèo"
    assert sheet["A1"].value == "Danh sách hộ nghèo — Xã Đăk Kôi"
    assert [c.value for c in sheet[2]] == [c.label for c in COLUMNS]
    assert all(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G4"

    code, name, created, updated, income, area, minority = sheet[3]
    assert (code.value, name.value) == ("DK-0001", "Y Nhĩ")
    assert created.is_date and created.value == dt.datetime(2026, 11, 27)
    assert created.number_format == "dd/mm/yyyy"
    assert updated.is_date and updated.value == dt.datetime(2026, 11, 27, 8, 30)
    assert updated.number_format == "dd/mm/yyyy hh:mm"
    assert (income.value, income.number_format, income.data_type) == (18_000_000, "#,##0", "n")
    assert (area.value, area.number_format) == (24.5, "#,##0.0#")
    assert minority.value == "Có"

    code, _, created, _, income, area, minority = sheet[4]
    assert code.data_type == "s" and code.value == '=HYPERLINK("x")'  # text, never a formula
    assert created.value is None
    assert (income.value, income.number_format) == (1_500_000, "#,##0")
    assert area.value is None  # NaN cannot be stored
    assert minority.value == "Không"


def test_list_xlsx_widths() -> None:
    sheet = sheet_of(list_xlsx(COLUMNS, rows(), title="t", sheet_name="s"))
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert 30 <= widths["B"] < 31  # explicit width (Excel adds padding)
    assert 10 <= widths["C"] <= 20  # a date
    assert widths["E"] >= len("18,000,000")


def test_list_xlsx_streams_many_rows() -> None:
    many = ((f"H{i:06d}", i) for i in range(20_000))
    sheet = sheet_of(list_xlsx([Column("Mã hộ"), Column("Số")], many, title="t", sheet_name="s"))
    assert sheet.max_row == 20_002  # title, header, 20 000 rows
    assert sheet["B20002"].value == 19_999


def test_list_xlsx_without_rows() -> None:
    sheet = sheet_of(list_xlsx(COLUMNS, [], title="Trống", sheet_name="s"))
    assert [c.value for c in sheet[2]] == [c.label for c in COLUMNS]
    assert sheet.max_row == 2


def test_sheet_title() -> None:
    assert sheet_title("Hộ: 2026/1 [thôn]") == "Hộ 2026 1 thôn"
    assert sheet_title("?") == "Danh sách"
    assert len(sheet_title("x" * 40)) == 31
