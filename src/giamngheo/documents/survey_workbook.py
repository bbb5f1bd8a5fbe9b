"""The Phiếu B survey workbook of a village: a template to fill in (:func:`survey_template`) and its parser
(:func:`survey_parse`).

The template has four sheets:

- "Hướng dẫn": how to fill the workbook in, and every fact with its unit and allowed answers;
- "Hộ": one row per household, prefilled household code, head's name, address (locked) and area, then one
  column per household fact in the order of the facts schema (the paper form's order);
- "Nhân khẩu": one row per member, prefilled household code, member id, name, date of birth (locked), sex
  and age, then the member facts; 20 empty rows at the end for people not yet registered (a newborn);
- "Danh mục" (hidden): the allowed answers that the drop-down lists read.

On "Hộ" and "Nhân khẩu", row 1 is a title, row 2 the Vietnamese headers (label and unit), row 3 the
machine name of each column (``household_code``, ``income_12m`` …) and data starts on row 4. The parser
finds columns by their machine names, so a header reworded by hand does not break it; if the machine-name
row is gone it falls back to the Vietnamese headers as this module writes them.

The parser reads cell values as text and leaves every normalisation and check of fact values to
:func:`giamngheo.standards.validate_facts` (Vietnamese labels, "có"/"không", "1.500.000"): it adds only
what belongs to the workbook (file type, sheets, columns, member ids, Excel row numbers). Any problem,
in any row, raises :class:`SurveyWorkbookError` with the full list, so callers save nothing from a batch
with an error. Nothing here raises anything else for a bad file.

Facts are observations, not verdicts: the workbook never shows or computes a class.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl
import xlsxwriter  # type: ignore[import-untyped]
from python_calamine import CalamineError, CalamineWorkbook
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from giamngheo.documents.formatting import nfc
from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS, Fact
from giamngheo.standards.validation import validate_facts

__all__ = [
    "ERROR_SCHEMA",
    "HOUSEHOLD_SHEET",
    "MEMBER_SHEET",
    "SurveyBatch",
    "SurveyWorkbookError",
    "TemplateHousehold",
    "TemplateMember",
    "survey_parse",
    "survey_template",
]

HOUSEHOLD_SHEET: Final = "Hộ"
MEMBER_SHEET: Final = "Nhân khẩu"
GUIDE_SHEET: Final = "Hướng dẫn"
LISTS_SHEET: Final = "Danh mục"
YES, NO = "Có", "Không"
LABEL_ROW, NAME_ROW, FIRST_DATA_ROW = 1, 2, 3  # 0-based: Excel rows 2, 3 and 4
EXTRA_MEMBER_ROWS: Final = 20
_HEADER_SCAN_ROWS: Final = 15

ERROR_SCHEMA: Final = {
    "sheet": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "column_label": pl.String(),
    "value": pl.String(),
    "code": pl.String(),
    "message_vi": pl.String(),
    "message_en": pl.String(),
}
"""One row per problem: ``row`` is the Excel row number as the user sees it (null for a whole sheet or
column), ``column`` the machine name and ``column_label`` the Vietnamese header."""


# --- public types -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateMember:
    """A member row to prefill. Pass ``date_of_birth=None`` when the user may not see dates of birth."""

    member_id: str
    full_name: str
    sex: str | None = None
    """Fact code (``male`` / ``female``), shown as its Vietnamese label."""
    date_of_birth: dt.date | None = None
    facts: Mapping[str, object] = field(default_factory=dict)
    """Member facts to prefill (e.g. ``age`` at the review date, last round's answers), by fact name."""


@dataclass(frozen=True, slots=True)
class TemplateHousehold:
    """A household row to prefill, with its members."""

    household_code: str
    head_name: str
    address: str = ""
    members: Sequence[TemplateMember] = ()
    facts: Mapping[str, object] = field(default_factory=dict)
    """Household facts to prefill (``area`` above all; last round's answers), by fact name."""


@dataclass(frozen=True)
class SurveyBatch:
    """A parsed, validated workbook.

    ``households``: ``household_code`` and one column per household fact present in the workbook;
    ``members``: ``household_code``, ``member_id`` (null for a person added on an empty row) and one
    column per member fact present. Values have the facts' canonical types (enumeration codes, Booleans,
    numbers); an empty cell is null ("not observed"). ``household_rows`` / ``member_rows``: the Excel row
    number (1-based, as the user sees it) of each row of ``households`` / ``members``, in order.
    """

    households: pl.DataFrame
    members: pl.DataFrame
    household_rows: tuple[int, ...] = ()
    member_rows: tuple[int, ...] = ()

    def engine_frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The frames keyed by ``household_id``, as :func:`giamngheo.standards.evaluate` expects."""
        rename = {"household_code": "household_id"}
        return self.households.rename(rename), self.members.rename(rename).drop("member_id")


class SurveyWorkbookError(ValueError):
    """The workbook cannot be accepted; ``errors`` lists every problem (see :data:`ERROR_SCHEMA`)."""

    def __init__(self, errors: pl.DataFrame) -> None:
        self.errors = errors
        first = errors.row(0, named=True) if errors.height else {}
        super().__init__(
            f"{errors.height} problem(s) in the survey workbook; first: {first.get('message_en')}"
        )

    @property
    def message_vi(self) -> str:
        """A one-line Vietnamese summary for the top of a form."""
        return (
            f"Tệp có {self.errors.height} lỗi; chưa lưu dữ liệu nào. Sửa các ô được liệt kê rồi tải lên lại."
        )


# --- columns ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Col:
    name: str
    label: str
    fact: Fact | None = None
    locked: bool = False
    width: float = 16
    required: bool = False


def _fact_label(fact: Fact) -> str:
    return f"{fact.label_vi} ({fact.unit})" if fact.unit else fact.label_vi


def _fact_col(fact: Fact) -> _Col:
    width = 22.0 if fact.allowed and max(map(len, fact.allowed_labels_vi)) > 12 else 16.0
    return _Col(fact.name, _fact_label(fact), fact, width=width, required=fact.required)


def _chosen(facts: Sequence[str] | None) -> tuple[list[Fact], list[Fact]]:
    """The household and member facts to ask for: ``facts`` (or all), always with the required ones."""
    known = {f.name for f in (*HOUSEHOLD_FACTS, *MEMBER_FACTS)}
    if facts is not None:
        unknown = sorted(set(facts) - known)
        if unknown:
            raise ValueError(f"unknown fact(s): {', '.join(unknown)}")
    wanted = set(facts) if facts is not None else known

    def pick(schema: Sequence[Fact]) -> list[Fact]:
        return [f for f in schema if f.name != "household_id" and (f.required or f.name in wanted)]

    return pick(HOUSEHOLD_FACTS), pick(MEMBER_FACTS)


def _household_columns(facts: Sequence[Fact]) -> list[_Col]:
    return [
        _Col("household_code", "Mã hộ", locked=True, width=14, required=True),
        _Col("head_name", "Họ và tên chủ hộ", locked=True, width=24),
        _Col("address", "Địa chỉ", locked=True, width=26),
        *(_fact_col(f) for f in facts),
    ]


def _member_columns(facts: Sequence[Fact]) -> list[_Col]:
    by_name = {f.name: f for f in facts}
    sex = [_fact_col(by_name["sex"])] if "sex" in by_name else []
    return [
        _Col("household_code", "Mã hộ", locked=True, width=14, required=True),
        _Col("member_id", "Mã nhân khẩu", locked=True, width=14, required=True),
        _Col("full_name", "Họ và tên", locked=True, width=24),
        *sex,
        _Col("date_of_birth", "Ngày sinh", locked=True, width=12),
        *(_fact_col(f) for f in facts if f.name != "sex"),
    ]


_INFO_COLUMNS: Final = frozenset({"head_name", "address", "full_name", "date_of_birth"})
"""Prefilled registry columns shown for orientation; the parser does not return them."""


# --- template -----------------------------------------------------------------------------------------


def survey_template(
    households: Sequence[TemplateHousehold],
    *,
    village_label: str,
    round_label: str,
    facts: Sequence[str] | None = None,
) -> bytes:
    """The .xlsx template for one village and review round (see the module docstring).

    ``facts`` limits the fact columns (e.g. to ``facts_used_by(standard)``); the required facts (``area``,
    ``age``) are always included. An unknown fact name raises ``ValueError`` (a programming error).
    """
    household_facts, member_facts = _chosen(facts)
    hh_cols, mm_cols = _household_columns(household_facts), _member_columns(member_facts)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _formats(book)
    guide = book.add_worksheet(GUIDE_SHEET)
    hh_sheet = book.add_worksheet(HOUSEHOLD_SHEET)
    mm_sheet = book.add_worksheet(MEMBER_SHEET)
    lists = book.add_worksheet(LISTS_SHEET)
    sources = _write_lists(lists, [*household_facts, *member_facts], fmt)
    lists.hide()

    title = f"PHIẾU B — THÔNG TIN HỘ GIA ĐÌNH · {village_label} · {round_label}"
    hh_rows: list[dict[str, object]] = []
    for household in households:
        hh_rows.append(
            {
                "household_code": household.household_code,
                "head_name": household.head_name,
                "address": household.address,
                **household.facts,
            }
        )
    _write_data_sheet(
        hh_sheet, hh_cols, hh_rows, title=title, sources=sources, fmt=fmt, extra_rows=0, freeze=2
    )

    mm_rows: list[dict[str, object]] = []
    for household in households:
        for member in household.members:
            mm_rows.append(
                {
                    **member.facts,
                    "household_code": household.household_code,
                    "member_id": member.member_id,
                    "full_name": member.full_name,
                    "date_of_birth": member.date_of_birth,
                    "sex": member.sex if member.sex is not None else member.facts.get("sex"),
                }
            )
    title = f"PHIẾU B — THÔNG TIN THÀNH VIÊN HỘ · {village_label} · {round_label}"
    _write_data_sheet(
        mm_sheet,
        mm_cols,
        mm_rows,
        title=title,
        sources=sources,
        fmt=fmt,
        extra_rows=EXTRA_MEMBER_ROWS,
        freeze=3,
    )
    _write_guide(guide, household_facts, member_facts, village_label, round_label, fmt)
    guide.activate()
    book.set_properties(
        {"title": nfc(title), "author": "giamngheo", "comments": "Lập bằng phần mềm giamngheo"}
    )
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 13}),
        "header": book.add_format(
            {**base, "bold": True, "text_wrap": True, "border": 1, "bg_color": "#DDEBF7", "valign": "vcenter"}
        ),
        "name": book.add_format(
            {**base, "italic": True, "font_size": 8, "font_color": "#7F7F7F", "border": 1}
        ),
        "locked": book.add_format({**base, "bg_color": "#F2F2F2", "border": 1, "border_color": "#BFBFBF"}),
        "locked_date": book.add_format(
            {
                **base,
                "bg_color": "#F2F2F2",
                "border": 1,
                "border_color": "#BFBFBF",
                "num_format": "dd/mm/yyyy",
            }
        ),
        "open": book.add_format({**base, "locked": False}),
        "open_int": book.add_format({**base, "locked": False, "num_format": "#,##0"}),
        "open_text": book.add_format({**base, "locked": False, "num_format": "@"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "bold": book.add_format({**base, "bold": True}),
    }


def _write_lists(sheet: Any, facts: Sequence[Fact], fmt: Mapping[str, Any]) -> dict[str, str]:
    """One column per enumeration fact (and one for Có/Không); returns fact name → list range."""
    sources: dict[str, str] = {}
    sheet.write_string(0, 0, "boolean", fmt["bold"])
    sheet.write_string(1, 0, YES)
    sheet.write_string(2, 0, NO)
    sources["__boolean"] = f"='{LISTS_SHEET}'!$A$2:$A$3"
    col = 1
    for fact in facts:
        if not fact.allowed:
            continue
        letter = xl_col_to_name(col)
        sheet.write_string(0, col, fact.name, fmt["bold"])
        for i, label in enumerate(fact.allowed_labels_vi, start=1):
            sheet.write_string(i, col, label)
        sources[fact.name] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(fact.allowed) + 1}"
        col += 1
    return sources


def _cell_value(column: _Col, value: object) -> object:
    """A prefilled value as the user should see it: labels for codes, Có/Không for Booleans."""
    fact = column.fact
    if value is None or fact is None:
        return value
    if fact.allowed and isinstance(value, str) and value in fact.allowed:
        return fact.allowed_labels_vi[fact.allowed.index(value)]
    if isinstance(value, bool):
        return YES if value else NO
    return value


def _write_data_sheet(
    sheet: Any,
    columns: Sequence[_Col],
    rows: Sequence[Mapping[str, object]],
    *,
    title: str,
    sources: Mapping[str, str],
    fmt: Mapping[str, Any],
    extra_rows: int,
    freeze: int,
) -> None:
    sheet.write_string(0, 0, nfc(title), fmt["title"])
    sheet.set_row(LABEL_ROW, 64)
    formats: list[Any] = []
    for c, column in enumerate(columns):
        sheet.write_string(LABEL_ROW, c, nfc(column.label), fmt["header"])
        sheet.write_string(NAME_ROW, c, column.name, fmt["name"])
        fact = column.fact
        if fact is not None and fact.is_integer and not fact.allowed:
            default = fmt["open_int"]
        else:
            default = fmt["open_text"] if column.name in ("household_code", "member_id") else fmt["open"]
        sheet.set_column(c, c, column.width, default)
        formats.append(fmt["locked"] if column.locked else default)
    last = FIRST_DATA_ROW + len(rows) + extra_rows - 1
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, column in enumerate(columns):
            value = _cell_value(column, row.get(column.name))
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, fmt["locked_date"] if column.locked else fmt["open"])
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(r, c, value, formats[c])
            elif value is not None:
                sheet.write_string(r, c, nfc(str(value)), formats[c])
            elif column.locked:
                sheet.write_blank(r, c, None, formats[c])
    if last >= FIRST_DATA_ROW:
        for c, column in enumerate(columns):
            _validate_column(sheet, c, column, last, sources)
    sheet.freeze_panes(FIRST_DATA_ROW, freeze)
    sheet.protect(
        "",
        {
            "format_cells": True,
            "format_columns": True,
            "format_rows": True,
            "autofilter": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )
    if rows:
        sheet.autofilter(NAME_ROW, 0, last, len(columns) - 1)


def _validate_column(sheet: Any, col: int, column: _Col, last: int, sources: Mapping[str, str]) -> None:
    fact = column.fact
    if fact is None:
        return
    options: dict[str, Any] = {
        "error_title": "Giá trị không hợp lệ",
        "input_title": fact.label_vi[:32],
        "ignore_blank": True,
    }
    if fact.note_vi:
        options["input_message"] = fact.note_vi[:255]
    if fact.allowed:
        options |= {
            "validate": "list",
            "source": sources[fact.name],
            "error_message": "Chọn một giá trị trong danh sách (xem trang “Hướng dẫn”).",
        }
    elif fact.dtype == pl.Boolean():
        options |= {
            "validate": "list",
            "source": sources["__boolean"],
            "error_message": "Chọn Có hoặc Không.",
        }
    elif fact.dtype.is_numeric() and (fact.minimum is not None or fact.maximum is not None):
        kind = "integer" if fact.is_integer else "decimal"
        kind_vi = "số nguyên" if fact.is_integer else "số"
        if fact.maximum is not None:
            low = fact.minimum if fact.minimum is not None else -1e15
            options |= {"criteria": "between", "minimum": low, "maximum": fact.maximum}
            span = f"từ {low:g} đến {fact.maximum:g}"
        else:
            options |= {"criteria": ">=", "value": fact.minimum}
            span = f"từ {fact.minimum:g} trở lên"
        options |= {"validate": kind, "error_message": f"Nhập {kind_vi} {span}, không kèm đơn vị."}
    else:
        return
    sheet.data_validation(FIRST_DATA_ROW, col, last, col, options)


def _write_guide(
    sheet: Any,
    household_facts: Sequence[Fact],
    member_facts: Sequence[Fact],
    village_label: str,
    round_label: str,
    fmt: Mapping[str, Any],
) -> None:
    lines = [
        f"Phiếu B — {village_label} — {round_label}",
        "",
        "Cách điền:",
        f"1. Trang “{HOUSEHOLD_SHEET}”: mỗi dòng là một hộ; trang “{MEMBER_SHEET}”: mỗi dòng là một người.",
        "2. Các ô nền xám (mã hộ, họ tên, địa chỉ, ngày sinh) lấy từ sổ hộ, không sửa được ở đây.",
        "3. Điền các cột còn lại theo kết quả thu thập thông tin. Ô để trống nghĩa là chưa thu thập được.",
        "4. Câu hỏi có/không: chọn “Có” hoặc “Không”. Câu hỏi có danh sách: chọn trong danh sách thả xuống.",
        "5. Số: chỉ ghi số, không ghi đơn vị; tiền ghi bằng đồng (ví dụ 18000000 hoặc 18.000.000).",
        "6. Không sửa, không xóa dòng 3 (tên cột viết không dấu): phần mềm dựa vào dòng này để đọc tệp.",
        f"7. Người mới (ví dụ trẻ mới sinh): ghi vào dòng trống cuối trang “{MEMBER_SHEET}”, để trống mã "
        "nhân khẩu, ghi đúng mã hộ.",
        "8. Tải tệp lên phần mềm. Nếu có lỗi, phần mềm liệt kê trang, dòng, cột và lý do; "
        "không lưu gì cho đến khi hết lỗi.",
        "",
        "Danh sách câu hỏi:",
    ]
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 60)
    sheet.write_string(0, 0, nfc(lines[0]), fmt["title"])
    for r, line in enumerate(lines[1:], start=1):
        sheet.write_string(r, 0, nfc(line), fmt["bold"] if line.endswith(":") else None)
    r = len(lines)
    for c, heading in enumerate(
        ("Trang / cột (tên máy)", "Câu hỏi", "Đơn vị", "Giá trị được chọn / ghi chú")
    ):
        sheet.write_string(r, c, heading, fmt["header"])
    for sheet_name, facts in ((HOUSEHOLD_SHEET, household_facts), (MEMBER_SHEET, member_facts)):
        for fact in facts:
            r += 1
            if fact.allowed:
                answers = "; ".join(fact.allowed_labels_vi)
            elif fact.dtype == pl.Boolean():
                answers = f"{YES} / {NO}"
            else:
                answers = ""
            note = " — ".join(part for part in (answers, fact.note_vi) if part)
            sheet.write_string(r, 0, f"{sheet_name} / {fact.name}", fmt["text"])
            sheet.write_string(r, 1, nfc(fact.label_vi), fmt["text"])
            sheet.write_string(r, 2, nfc(fact.unit), fmt["text"])
            sheet.write_string(r, 3, nfc(note), fmt["text"])
    sheet.write_string(r + 2, 0, "Lập bằng phần mềm giamngheo.", None)


# --- parser -------------------------------------------------------------------------------------------


class _Problems:
    """Collects error rows; :meth:`raise_if_any` raises :class:`SurveyWorkbookError`."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []

    def add(
        self,
        code: str,
        vi: str,
        en: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        label: str | None = None,
        value: str | None = None,
    ) -> None:
        self.rows.append(
            {
                "sheet": sheet,
                "row": row,
                "column": column,
                "column_label": label,
                "value": value,
                "code": code,
                "message_vi": vi,
                "message_en": en,
            }
        )

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=ERROR_SCHEMA, orient="row")

    def raise_if_any(self, extra: pl.DataFrame | None = None) -> None:
        errors = self.frame()
        if extra is not None:
            errors = pl.concat([errors, extra.select(list(ERROR_SCHEMA))])
        if errors.height:
            raise SurveyWorkbookError(errors.sort("sheet", "row", "column", nulls_last=False))


@dataclass
class _Sheet:
    """One data sheet read back: column name → label, values as text, and each data row's Excel number."""

    name: str
    labels: dict[str, str]
    columns: dict[str, list[str | None]]
    excel_rows: list[int]


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _text(value: object) -> str | None:
    """A cell as text for ``validate_facts``; None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = nfc(str(value)).strip()
    return text or None


def survey_parse(data: bytes) -> SurveyBatch:
    """Read a filled-in template back into validated frames, or raise :class:`SurveyWorkbookError`."""
    problems = _Problems()
    book = _open(data, problems)
    problems.raise_if_any()
    assert book is not None
    household_facts = [f for f in HOUSEHOLD_FACTS if f.name != "household_id"]
    member_facts = [f for f in MEMBER_FACTS if f.name != "household_id"]
    hh = _read_sheet(book, HOUSEHOLD_SHEET, _household_columns(household_facts), problems)
    mm = _read_sheet(book, MEMBER_SHEET, _member_columns(member_facts), problems)
    problems.raise_if_any()
    assert hh is not None and mm is not None
    if not hh.excel_rows:
        problems.add(
            "sheet.empty",
            f"Trang “{HOUSEHOLD_SHEET}” không có hộ nào.",
            f"Sheet '{HOUSEHOLD_SHEET}' has no household rows.",
            sheet=HOUSEHOLD_SHEET,
        )
        problems.raise_if_any()
    _check_member_ids(mm, problems)

    hh_frame = _frame(hh, household_facts)
    mm_frame = _frame(mm, member_facts)
    validated = validate_facts(hh_frame, mm_frame)
    extra = _map_errors(validated.errors, {"households": hh, "members": mm})
    problems.raise_if_any(extra)
    households = validated.households.select(
        pl.col("household_id").alias("household_code"),
        *[f.name for f in household_facts if f.name in hh.columns],
    )
    members = validated.members.select(
        pl.col("household_id").alias("household_code"),
        "member_id",
        *[f.name for f in member_facts if f.name in mm.columns],
    )
    return SurveyBatch(households, members, tuple(hh.excel_rows), tuple(mm.excel_rows))


def _open(data: bytes, problems: _Problems) -> CalamineWorkbook | None:
    if not data:
        problems.add("file.empty", "Tệp tải lên rỗng.", "The uploaded file is empty.")
        return None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problems.add(
            "file.type",
            "Tệp không phải là sổ tính Excel (.xlsx). Hãy tải lên đúng tệp mẫu Phiếu B đã tải về.",
            "The file is not an Excel workbook (.xlsx).",
        )
        return None
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError):
        problems.add(
            "file.type",
            "Không đọc được tệp: tệp hỏng hoặc không phải sổ tính Excel (.xlsx).",
            "The file cannot be read: damaged or not an .xlsx workbook.",
        )
        return None


def _read_sheet(
    book: CalamineWorkbook, title: str, expected: Sequence[_Col], problems: _Problems
) -> _Sheet | None:
    names = {_fold(name): name for name in book.sheet_names}
    actual = names.get(_fold(title))
    if actual is None:
        problems.add(
            "sheet.missing",
            f"Thiếu trang “{title}”. Hãy dùng tệp mẫu Phiếu B, không đổi tên trang.",
            f"Sheet '{title}' is missing.",
            sheet=title,
        )
        return None
    try:
        rows = book.get_sheet_by_name(actual).to_python(skip_empty_area=False)
    except (CalamineError, ValueError):
        problems.add(
            "sheet.unreadable", f"Không đọc được trang “{title}”.", f"Sheet '{title}' cannot be read."
        )
        return None
    by_name = {c.name: c for c in expected}
    by_label = {_fold(c.label): c for c in expected}
    header_at, positions, labels = _find_header(rows, by_name, by_label)
    if header_at is None:
        problems.add(
            "column.missing",
            f"Trang “{title}”: không tìm thấy dòng tiêu đề có cột “Mã hộ” (household_code).",
            f"Sheet '{title}': no header row with a 'household_code' column.",
            sheet=title,
            column="household_code",
            label="Mã hộ",
        )
        return None
    for column in expected:
        if column.required and column.name not in positions:
            problems.add(
                "column.missing",
                f"Trang “{title}”: thiếu cột bắt buộc “{column.label}” ({column.name}).",
                f"Sheet '{title}': required column '{column.name}' is missing.",
                sheet=title,
                column=column.name,
                label=column.label,
            )
    for name, index in positions.items():
        if index < 0:  # a header cell naming no known column, or the same column twice
            problems.add(
                "column.unknown",
                f"Trang “{title}”: cột “{name}” không có trong mẫu hoặc bị lặp; "
                "hãy xóa cột hoặc sửa tên ở dòng 3.",
                f"Sheet '{title}': column '{name}' is not in the template or is repeated.",
                sheet=title,
                column=name,
                label=name,
            )
    positions = {k: v for k, v in positions.items() if v >= 0 and k in by_name}
    columns: dict[str, list[str | None]] = {name: [] for name in positions}
    excel_rows: list[int] = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        cells = {name: _text(row[index]) if index < len(row) else None for name, index in positions.items()}
        if all(value is None for name, value in cells.items() if name not in _INFO_COLUMNS):
            continue  # an empty row, or only the registry columns of a row nobody touched
        excel_rows.append(i + 1)
        for name, value in cells.items():
            columns[name].append(value)
    return _Sheet(actual, {**labels}, columns, excel_rows)


def _find_header(
    rows: Sequence[Sequence[object]], by_name: Mapping[str, _Col], by_label: Mapping[str, _Col]
) -> tuple[int | None, dict[str, int], dict[str, str]]:
    """The header row (machine names, else Vietnamese labels): its index, name → column index (-1 for
    an unknown or repeated header) and name → label as the user sees it."""
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        texts = [_text(v) or "" for v in row]
        if "household_code" in texts:
            label_row = rows[i - 1] if i > 0 else []
            positions: dict[str, int] = {}
            labels: dict[str, str] = {}
            for c, name in enumerate(texts):
                if not name:
                    continue
                if name not in by_name or name in positions:
                    positions[name] = -1
                    continue
                positions[name] = c
                label = _text(label_row[c]) if c < len(label_row) else None
                labels[name] = label or by_name[name].label
            return i, positions, labels
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        folded = [_fold(_text(v) or "") for v in row]
        if _fold("Mã hộ") in folded:
            positions, labels = {}, {}
            for c, text in enumerate(folded):
                column = by_label.get(text)
                if column is not None and column.name not in positions:
                    positions[column.name] = c
                    labels[column.name] = column.label
            return i, positions, labels
    return None, {}, {}


def _check_member_ids(sheet: _Sheet, problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for excel_row, member_id in zip(sheet.excel_rows, sheet.columns.get("member_id", []), strict=False):
        if member_id is None:
            continue
        if member_id in seen:
            problems.add(
                "member.duplicate",
                f"Mã nhân khẩu bị trùng với dòng {seen[member_id]}.",
                f"Duplicate member_id (also on row {seen[member_id]}).",
                sheet=MEMBER_SHEET,
                row=excel_row,
                column="member_id",
                label=sheet.labels.get("member_id", "Mã nhân khẩu"),
                value=member_id,
            )
        else:
            seen[member_id] = excel_row


def _frame(sheet: _Sheet, facts: Sequence[Fact]) -> pl.DataFrame:
    """All-text frame for ``validate_facts``: ``household_code`` becomes ``household_id``."""
    keep = {"household_code", "member_id", *(f.name for f in facts)}
    data = {
        ("household_id" if k == "household_code" else k): v for k, v in sheet.columns.items() if k in keep
    }
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String()))


def _map_errors(errors: pl.DataFrame, sheets: Mapping[str, _Sheet]) -> pl.DataFrame:
    """``validate_facts``'s report in workbook terms: sheet title, Excel row, column header."""
    mapped: list[dict[str, object]] = []
    for error in errors.iter_rows(named=True):
        sheet = sheets[error["frame"]]
        column = "household_code" if error["column"] == "household_id" else error["column"]
        row = error["row"]
        mapped.append(
            {
                "sheet": HOUSEHOLD_SHEET if error["frame"] == "households" else MEMBER_SHEET,
                "row": sheet.excel_rows[row - 1] if row is not None else None,
                "column": column,
                "column_label": sheet.labels.get(column, column),
                "value": error["value"],
                "code": error["code"],
                "message_vi": error["message_vi"],
                "message_en": error["message_en"],
            }
        )
    return pl.DataFrame(mapped, schema=ERROR_SCHEMA, orient="row")
