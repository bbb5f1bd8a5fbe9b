"""Excel export of a list (danh sách) for download: :func:`list_xlsx`.

One sheet: a title row, a bold header row with the Vietnamese column labels, the header frozen and
filtered, and one row per item. Values keep their type so that people can sort and sum in Excel:

- ``datetime.date`` → a real Excel date shown ``dd/mm/yyyy``; ``datetime.datetime`` → ``dd/mm/yyyy hh:mm``
  (convert aware datetimes to local time first; the zone is dropped);
- ``int`` → a number shown ``#,##0``; ``float`` / ``Decimal`` → ``#,##0.0#``. Excel draws the separators
  of the reader's locale, so a Vietnamese Excel shows ``1.234.567``; a number format cannot force the dot;
- ``bool`` → the text "Có" / "Không"; ``None`` → an empty cell; anything else → its text.

Text is always written as text, never as a formula, so a cell starting with ``=`` cannot run anything.
The workbook is written in xlsxwriter's ``constant_memory`` mode: rows stream to a temporary file, so a
commune's 100 000 members export without holding the sheet in memory.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any, Final

import xlsxwriter  # type: ignore[import-untyped]

from giamngheo.documents.formatting import nfc

__all__ = ["BOOLEAN_TEXT", "DATETIME_FORMAT", "DATE_FORMAT", "INTEGER_FORMAT", "Column", "list_xlsx"]

DATE_FORMAT: Final = "dd/mm/yyyy"
DATETIME_FORMAT: Final = "dd/mm/yyyy hh:mm"
INTEGER_FORMAT: Final = "#,##0"
DECIMAL_FORMAT: Final = "#,##0.0#"
BOOLEAN_TEXT: Final = {True: "Có", False: "Không"}
_MAX_WIDTH: Final = 60.0
_MIN_WIDTH: Final = 6.0
_MEASURED_ROWS: Final = 2000
_BAD_SHEET_CHARS: Final = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an exported list: its Vietnamese label and, optionally, a width in characters."""

    label: str
    width: float | None = None


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: without ``[]:*?/\\``, at most 31 characters, never empty."""
    cleaned = " ".join(_BAD_SHEET_CHARS.sub(" ", nfc(name)).split()).strip("'")[:31].strip()
    return cleaned or "Danh sách"


def _header_width(label: str) -> float:
    """Room for the header: its longest word, and the whole label when short (longer ones wrap)."""
    longest_word = max((len(word) for word in label.split()), default=0)
    return float(max(longest_word, min(len(label), 18)) + 2)


def _display_length(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return len(BOOLEAN_TEXT[value])
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def list_xlsx(
    columns: Sequence[Column], rows: Iterable[Sequence[object]], *, title: str, sheet_name: str
) -> bytes:
    """The list as .xlsx bytes; ``rows`` may be a generator (each row in ``columns`` order)."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(sheet_title(sheet_name))
    fmt: dict[str, Any] = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "header": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#E7E6E6"}
        ),
        "date": workbook.add_format({"num_format": DATE_FORMAT, "align": "left"}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"}),
        "int": workbook.add_format({"num_format": INTEGER_FORMAT}),
        "decimal": workbook.add_format({"num_format": DECIMAL_FORMAT}),
    }
    width = len(columns)
    sheet.write_string(0, 0, nfc(title), fmt["title"])
    sheet.set_row(1, 30)
    for c, column in enumerate(columns):
        sheet.write_string(1, c, nfc(column.label), fmt["header"])
    measured = [_header_width(column.label) for column in columns]
    last = 1
    for r, values in enumerate(rows, start=2):
        last = r
        for c, value in enumerate(values[:width]):
            _write(sheet, r, c, value, fmt)
            if r < _MEASURED_ROWS:
                measured[c] = max(measured[c], float(_display_length(value)) + 2)
    for c, column in enumerate(columns):
        chosen = column.width if column.width is not None else min(max(measured[c], _MIN_WIDTH), _MAX_WIDTH)
        sheet.set_column(c, c, chosen)
    if width:
        sheet.freeze_panes(2, 0)
        sheet.autofilter(1, 0, last, width - 1)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, col: int, value: object, fmt: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, BOOLEAN_TEXT[value])
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, fmt["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, int):
        sheet.write_number(row, col, value, fmt["int"])
    elif isinstance(value, float | Decimal):
        number = float(value)
        if not math.isfinite(number):  # NaN and infinity: Excel cannot store them; leave the cell empty
            return
        whole = isinstance(value, Decimal) and value == value.to_integral_value()
        sheet.write_number(row, col, number, fmt["int" if whole else "decimal"])
    else:
        sheet.write_string(row, col, nfc(str(value)))
