"""A filled-in form (:class:`~giamngheo.documents.report_pdf.TableForm`) as Excel, PDF or CSV bytes.

- Excel (xlsxwriter): the issuing body and form number, the title, period and area merged across the
  table, the two-level header with merged cells, a row of column numbers, borders on every cell, counts
  as ``#,##0`` and rates as ``0.00`` (numbers stay numbers: a Vietnamese Excel shows ``1.234``/``12,34``),
  the header frozen, printed on A4 landscape fitted to the page width with the header rows repeated,
  a page header and "Trang i/n" footer, then the notes, place and date and the signatures.
- PDF: :func:`giamngheo.documents.report_pdf.table_form_pdf`.
- CSV: UTF-8 with a byte order mark (so that Excel reads the Vietnamese letters), comma-separated, one
  header line with flat names ("Hộ nghèo - Số hộ"), then the rows and the total row; rates with two
  decimals and a decimal point, counts without grouping, so that any program can read them back.

Framework-free.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, Final

import xlsxwriter  # type: ignore[import-untyped]

from giamngheo.documents.formatting import nfc, place_date
from giamngheo.documents.report_pdf import (
    Cell,
    TableForm,
    column_groups,
    column_numbers,
    table_form_pdf,
)
from giamngheo.documents.xlsx import INTEGER_FORMAT, sheet_title

__all__ = ["FORMATS", "PERCENT_FORMAT", "form_csv", "form_xlsx", "render"]

PERCENT_FORMAT: Final = "0.00"
HEADER_ROW: Final = 6
"""First (0-based) row of the table header in the Excel sheet; the data start three rows later."""


def form_xlsx(form: TableForm) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_title(form.number))
    base = {"font_name": "Times New Roman", "font_size": 11}
    border = {**base, "border": 1, "valign": "vcenter"}
    fmt: dict[str, Any] = {
        "issuer": workbook.add_format({**base, "bold": True, "align": "center"}),
        "number": workbook.add_format({**base, "bold": True, "align": "right"}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "subtitle": workbook.add_format({**base, "bold": True, "align": "center"}),
        "measure": workbook.add_format({**base, "italic": True, "align": "right"}),
        "header": workbook.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#E7E6E6"}
        ),
        "colnum": workbook.add_format({**border, "italic": True, "align": "center"}),
        "text": workbook.add_format({**border, "text_wrap": True}),
        "text_center": workbook.add_format({**border, "align": "center"}),
        "int": workbook.add_format({**border, "num_format": INTEGER_FORMAT}),
        "percent": workbook.add_format({**border, "num_format": PERCENT_FORMAT}),
        "total_text": workbook.add_format({**border, "bold": True, "bg_color": "#F2F2F2"}),
        "total_int": workbook.add_format(
            {**border, "bold": True, "num_format": INTEGER_FORMAT, "bg_color": "#F2F2F2"}
        ),
        "total_percent": workbook.add_format(
            {**border, "bold": True, "num_format": PERCENT_FORMAT, "bg_color": "#F2F2F2"}
        ),
        "note": workbook.add_format({**base, "italic": True, "text_wrap": True, "valign": "top"}),
        "place": workbook.add_format({**base, "italic": True, "align": "center"}),
        "sign": workbook.add_format({**base, "bold": True, "align": "center"}),
        "hint": workbook.add_format({**base, "italic": True, "align": "center"}),
    }
    columns = form.columns
    last = len(columns) - 1
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)

    left = min(3, last)
    for row, line in enumerate(form.issuer):
        _merge(sheet, row, 0, row, left, line, fmt["issuer"])
    _merge(sheet, 0, max(last - 2, left + 1), 0, last, form.number, fmt["number"])
    _merge(sheet, 3, 0, 3, last, form.title.upper(), fmt["title"])
    _merge(sheet, 4, 0, 4, last, f"{form.period} — {form.area}", fmt["subtitle"])
    _merge(sheet, 5, 0, 5, last, form.measure, fmt["measure"])

    top, second, numbers = HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + 2
    sheet.set_row(top, 30)
    sheet.set_row(second, 45)
    for group, first, end in column_groups(columns):
        if group:
            _merge(sheet, top, first, top, end, group, fmt["header"])
            for index in range(first, end + 1):
                sheet.write_string(second, index, nfc(columns[index].label), fmt["header"])
        else:
            _merge(sheet, top, first, second, first, columns[first].label, fmt["header"])
    for index, label in enumerate(column_numbers(columns)):
        sheet.write_string(numbers, index, label, fmt["colnum"])

    row = numbers + 1
    for values in form.rows:
        _write_row(sheet, row, form, values, fmt, "")
        row += 1
    if form.total is not None:
        _write_row(sheet, row, form, form.total, fmt, "total_")
        row += 1

    row += 1
    for note in form.notes:
        _merge(sheet, row, 0, row, last, note, fmt["note"])
        sheet.set_row(row, 30 if len(note) > 120 else 15)
        row += 1
    row += 1
    count = max(len(form.signatures), 1)
    spans = _signature_spans(len(columns), count)
    first, end = spans[-1]
    _merge(sheet, row, first, row, end, place_date(form.place, form.day), fmt["place"])
    row += 1
    for (first, end), signature in zip(spans, form.signatures, strict=False):
        _merge(sheet, row, first, row, end, signature.title, fmt["sign"])
        _merge(sheet, row + 1, first, row + 1, end, signature.hint, fmt["hint"])

    sheet.freeze_panes(numbers + 1, form.key_columns)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(top, numbers)
    sheet.print_area(0, 0, row + 6, last)
    sheet.set_header(nfc(f"&L{form.number}&C{form.title}&R{form.period}"))
    sheet.set_footer("&LLập bằng phần mềm giamngheo&RTrang &P/&N")
    sheet.hide_gridlines(2)
    workbook.set_properties({"title": nfc(f"{form.number} {form.title}"), "author": "giamngheo"})
    workbook.close()
    return buffer.getvalue()


def _merge(sheet: Any, r1: int, c1: int, r2: int, c2: int, text: str, cell_format: Any) -> None:
    if r1 == r2 and c1 == c2:
        sheet.write_string(r1, c1, nfc(text), cell_format)
    else:
        sheet.merge_range(r1, c1, r2, c2, nfc(text), cell_format)


def _write_row(
    sheet: Any, row: int, form: TableForm, values: tuple[Cell, ...], fmt: Any, prefix: str
) -> None:
    for index, (column, value) in enumerate(zip(form.columns, values, strict=True)):
        if column.kind == "text":
            style = fmt[f"{prefix}text"] if prefix or index else fmt["text_center"]
            sheet.write_string(row, index, nfc(str(value or "")), style)
        elif value is None or isinstance(value, str):
            sheet.write_blank(row, index, None, fmt[f"{prefix}{column.kind}"])
        else:
            sheet.write_number(row, index, value, fmt[f"{prefix}{column.kind}"])


def _signature_spans(columns: int, count: int) -> list[tuple[int, int]]:
    """Where each signature sits: the sheet's width cut into ``count`` equal parts."""
    size = max(columns // count, 1)
    return [
        (i * size, min(columns - 1, (i + 1) * size - 1 if i < count - 1 else columns - 1))
        for i in range(count)
    ]


def form_csv(form: TableForm) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([nfc(c.flat_label) for c in form.columns])
    for values in (*form.rows, *([form.total] if form.total is not None else [])):
        writer.writerow([_csv_value(v, c.kind) for v, c in zip(values, form.columns, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Cell, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return nfc(value)
    if kind == "percent":
        return f"{value:.2f}"
    return str(int(value))


#: Download formats: extension → (content type, renderer).
FORMATS: Final[dict[str, tuple[str, Callable[[TableForm], bytes]]]] = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", form_xlsx),
    "pdf": ("application/pdf", table_form_pdf),
    "csv": ("text/csv; charset=utf-8", form_csv),
}


def render(form: TableForm, extension: str) -> bytes:
    """The form in the format of ``extension`` (a key of :data:`FORMATS`)."""
    return FORMATS[extension][1](form)
