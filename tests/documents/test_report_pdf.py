"""Table forms as PDF: header groups, column numbers, panels for wide tables, Vietnamese text."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from giamngheo.documents.report_pdf import (
    Cell,
    FormColumn,
    TableForm,
    cell_text,
    column_groups,
    column_numbers,
    table_form_pdf,
)


def _form(groups: int) -> TableForm:
    columns = [FormColumn("STT", kind="text", width=5), FormColumn("Thôn, tổ dân phố", kind="text", width=28)]
    for g in range(groups):
        columns += [
            FormColumn("Số hộ", f"Nhóm {g + 1}"),
            FormColumn("Tỷ lệ (%)", f"Nhóm {g + 1}", kind="percent"),
        ]
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (str(i), f"Thôn Kon Rế {i}", *([1234 * i, 12.345] * groups)) for i in range(1, 4)
    )
    return TableForm(
        number="Biểu số 01",
        title="Tổng hợp hộ nghèo, hộ cận nghèo",
        period="Năm 2025",
        area="Xã Đăk Kôi, Tỉnh Quảng Ngãi",
        issuer=("ỦY BAN NHÂN DÂN", "XÃ ĐĂK KÔI"),
        columns=tuple(columns),
        rows=rows,
        total=("", "Toàn xã", *([7404, None] * groups)),
        day=dt.date(2026, 2, 5),
        place="Đăk Kôi",
        notes=("Số liệu theo kết quả rà soát định kỳ năm 2025.",),
    )


def test_groups_numbers_and_cell_text() -> None:
    form = _form(2)
    assert column_groups(form.columns) == [("", 0, 0), ("", 1, 1), ("Nhóm 1", 2, 3), ("Nhóm 2", 4, 5)]
    assert column_numbers(form.columns) == ["A", "B", "1", "2", "3", "4"]
    assert cell_text(1234567, "int") == "1.234.567"
    assert cell_text(12.5, "percent") == "12,50"
    assert cell_text(None, "int") == ""
    assert form.columns[2].flat_label == "Nhóm 1 - Số hộ"


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_narrow_form_is_one_page_with_signatures() -> None:
    text = _text(table_form_pdf(_form(2)))
    for words in (
        "TỔNG HỢP HỘ NGHÈO, HỘ CẬN NGHÈO",
        "Năm 2025 — Xã Đăk Kôi, Tỉnh Quảng Ngãi",
        "Nhóm 1",
        "Thôn Kon Rế 2",
        "2.468",
        "Toàn xã",
        "Đăk Kôi, ngày 05 tháng 02 năm 2026",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Trang 1/1",
    ):
        assert words in text, words
    assert "(tiếp theo)" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_wide_form_is_cut_into_panels_repeating_the_key_columns() -> None:
    text = _text(table_form_pdf(_form(14)))
    pages = text.split("\f")
    assert "Biểu số 01 (tiếp theo)" in pages[1]
    assert "Nhóm 14" in text and "Nhóm 14" not in pages[0]
    assert all("Thôn Kon Rế 3" in page for page in pages if "Nhóm" in page)
