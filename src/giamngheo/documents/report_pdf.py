"""Report forms (biểu mẫu báo cáo) as PDF: a table with a two-level header, a total row, notes, place and
date and the signature block, on A4 landscape (fpdf2, bundled fonts).

:class:`TableForm` describes one filled-in form independently of its output: the reports context builds
it from aggregated figures and renders it to PDF here, and to Excel and CSV itself. It carries no
personal data, only counts and rates.

Layout. We could not confirm a national layout for these summary forms (the Circulars give the survey
forms, not the summaries); the layout follows the usual presentation of statistical report forms:
issuing body on the left, form number on the right, the title, the period and the area, the unit of
measure above the table, a row of column numbers under the header, notes, and two signatures
(NGƯỜI LẬP BIỂU / THỦ TRƯỞNG ĐƠN VỊ). Every page names giamngheo in its footer.

A table too wide for the page is cut into panels at the first-level header groups: each panel repeats
the key columns (STT, name) and the header, and is headed "(tiếp theo)". Numbers are Vietnamese
(``1.234.567``; rates with two decimals, ``12,34``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from fpdf import FontFace  # type: ignore[import-untyped]
from fpdf.enums import XPos, YPos  # type: ignore[import-untyped]

from giamngheo.documents.formatting import nfc, number, place_date
from giamngheo.documents.pdf import FAMILY, _Document, _output

__all__ = [
    "DEFAULT_SIGNATURES",
    "Cell",
    "FormColumn",
    "Signature",
    "TableForm",
    "cell_text",
    "column_groups",
    "column_numbers",
    "table_form_pdf",
]

Cell = int | float | str | None
Kind = Literal["text", "int", "percent"]

_HEADER_FILL: Final = (230, 230, 230)
_TOTAL_FILL: Final = (245, 245, 245)
_MIN_NUMBER_WIDTH: Final = 14.0  # mm: "1.234.567" at 7.5 pt with padding


@dataclass(frozen=True, slots=True)
class FormColumn:
    """One column: its header (``label`` under the first-level ``group``; no group → the label spans
    both header rows), what it holds (``text``, ``int`` counts, ``percent`` rates already ×100) and a
    width in characters (Excel; the PDF scales the widths to the page)."""

    label: str
    group: str = ""
    kind: Kind = "int"
    width: float = 11.0

    @property
    def flat_label(self) -> str:
        """One-line header for CSV: ``"Hộ nghèo - Số hộ"``."""
        return f"{self.group} - {self.label}" if self.group else self.label


@dataclass(frozen=True, slots=True)
class Signature:
    title: str
    hint: str


DEFAULT_SIGNATURES: Final = (
    Signature("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"),
    Signature("THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"),
)


@dataclass(frozen=True, slots=True)
class TableForm:
    """A filled-in report form.

    ``rows`` and ``total`` hold one value per column (``None`` → empty cell); ``total`` is printed last,
    in bold. ``issuer`` are the lines of the issuing body ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"),
    ``number`` the form's number ("Biểu số 01"), ``area`` the unit reported on and ``period`` the
    period ("Năm 2025"). ``key_columns`` leading columns are repeated on every panel of a wide table.
    """

    number: str
    title: str
    period: str
    area: str
    issuer: tuple[str, ...]
    columns: tuple[FormColumn, ...]
    rows: tuple[tuple[Cell, ...], ...]
    day: dt.date
    place: str
    total: tuple[Cell, ...] | None = None
    measure: str = "Đơn vị tính: hộ; tỷ lệ: %"
    notes: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = DEFAULT_SIGNATURES
    key_columns: int = 2
    subject: str = field(default="")
    """A short name for file names and the PDF title ("bieu-01-tinh-51-2025")."""


def column_groups(columns: Sequence[FormColumn]) -> list[tuple[str, int, int]]:
    """The first-level header cells: ``(group, first column, last column)`` for each run of consecutive
    columns with the same non-empty group, and ``("", i, i)`` for a column without a group."""
    spans: list[tuple[str, int, int]] = []
    for index, column in enumerate(columns):
        if column.group and spans and spans[-1][0] == column.group and spans[-1][2] == index - 1:
            spans[-1] = (column.group, spans[-1][1], index)
        else:
            spans.append((column.group, index, index))
    return spans


def cell_text(value: Cell, kind: Kind) -> str:
    """A value as printed: ``1.234.567``; a rate ``12,34``; ``None`` → empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "percent":
        return number(float(value), 2)
    return number(value)


# --- PDF ------------------------------------------------------------------------------------------


def table_form_pdf(form: TableForm) -> bytes:
    """The form as an A4 landscape PDF: header repeated on every page, "Trang i/n" in the footer."""
    pdf = _Document(page_numbers=True, title=f"{form.number} {form.title}")
    pdf.set_margins(left=12, top=12, right=12)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.footer_note = nfc(f"{form.number} · {form.area} · {form.period}")
    pdf.add_page(orientation="L")
    _heading(pdf, form)
    panels = _panels(pdf, form)
    for index, panel in enumerate(panels):
        if index:
            pdf.add_page(orientation="L")
            pdf.text_line(f"{form.number} (tiếp theo)", style="I", size=9, align="L", h=5)
        _table(pdf, form, panel)
    pdf.ln(2)
    for note in form.notes:
        pdf.text_line(note, style="I", size=8.5, h=4.5)
    _signatures(pdf, form)
    return _output(pdf)


def _heading(pdf: _Document, form: TableForm) -> None:
    top = pdf.get_y()
    pdf.set_font(FAMILY, "B", 10)
    for line in form.issuer:
        pdf.cell(90, 5, nfc(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    below = pdf.get_y()
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin + 30, below + 0.8, pdf.l_margin + 60, below + 0.8)
    pdf.set_xy(pdf.l_margin + pdf.epw - 60, top)
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(60, 5, nfc(form.number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, max(below, pdf.get_y()) + 4)
    pdf.text_line(form.title.upper(), style="B", size=13, align="C", h=6.5)
    pdf.text_line(f"{form.period} — {form.area}", style="B", size=11, align="C", h=6)
    pdf.set_font(FAMILY, "I", 9)
    pdf.cell(0, 5, nfc(form.measure), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _natural_widths(pdf: _Document, form: TableForm) -> list[float]:
    """Each column's width in mm at 7.5 pt: the widest value or header word, at least the minimum."""
    pdf.set_font(FAMILY, "", 7.5)
    rows = [*form.rows, *([form.total] if form.total else [])]
    widths = []
    for index, column in enumerate(form.columns):
        values = [cell_text(row[index], column.kind) for row in rows]
        longest = max((pdf.get_string_width(nfc(v)) for v in values), default=0.0)
        word = max((pdf.get_string_width(nfc(w)) for w in column.label.split()), default=0.0)
        if column.kind == "text":
            widths.append(max(column.width * 1.2, min(longest + 3, 60.0), word + 3))
        else:
            widths.append(max(_MIN_NUMBER_WIDTH, longest + 3, word + 3))
    return widths


def _panels(pdf: _Document, form: TableForm) -> list[list[int]]:
    """Column indexes of each panel: the key columns, then whole header groups, as evenly as the page
    allows (a table that fits is one panel)."""
    widths = _natural_widths(pdf, form)
    keys = list(range(min(form.key_columns, len(form.columns))))
    room = pdf.epw - sum(widths[i] for i in keys)
    groups = [
        list(range(max(first, len(keys)), last + 1))
        for _group, first, last in column_groups(form.columns)
        if last >= len(keys)
    ]
    total = sum(widths[i] for group in groups for i in group)
    target = total / max(math.ceil(total / room), 1) if room > 0 else total
    panels: list[list[int]] = []
    current: list[int] = []
    used = 0.0
    for members in groups:
        need = sum(widths[i] for i in members)
        if current and used + need > room:
            panels.append(current)
            current, used = [], 0.0
        current += members
        used += need
        if used >= target * 0.95:
            panels.append(current)
            current, used = [], 0.0
    if current or not panels:
        panels.append(current)
    return [keys + panel for panel in panels]


def _table(pdf: _Document, form: TableForm, panel: list[int]) -> None:
    widths = _natural_widths(pdf, form)
    chosen = [widths[i] for i in panel]
    natural = sum(chosen)
    scale = pdf.epw / natural if natural > pdf.epw * 0.7 else 1.0  # a narrow panel keeps its widths
    columns = [form.columns[i] for i in panel]
    aligns = ["LEFT" if c.kind == "text" else "RIGHT" for c in columns]
    if columns and columns[0].label == "STT":
        aligns[0] = "CENTER"
    pdf.set_font(FAMILY, "", 7.5)
    with pdf.table(
        col_widths=[w * scale for w in chosen],
        width=natural * scale,
        align="LEFT",
        text_align=aligns,
        v_align="MIDDLE",
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL),
        line_height=3.8,
        padding=(0.8, 1.0),
        num_heading_rows=3,
        repeat_headings=1,
    ) as table:
        top = table.row()
        for group, first, last in column_groups(columns):
            if group:
                top.cell(nfc(group), colspan=last - first + 1, align="CENTER")
            else:
                top.cell(nfc(columns[first].label), rowspan=2, align="CENTER")
        second = table.row()
        for column in columns:
            if column.group:
                second.cell(nfc(column.label), align="CENTER")
        numbers = table.row()
        labels = column_numbers(form.columns)
        for index in panel:
            numbers.cell(labels[index], align="CENTER", style=FontFace(emphasis="ITALICS"))
        for values in form.rows:
            row = table.row()
            for index, column in zip(panel, columns, strict=True):
                row.cell(nfc(cell_text(values[index], column.kind)))
        if form.total is not None:
            row = table.row(style=FontFace(emphasis="BOLD", fill_color=_TOTAL_FILL))
            for index, column in zip(panel, columns, strict=True):
                row.cell(nfc(cell_text(form.total[index], column.kind)))


def column_numbers(columns: Sequence[FormColumn]) -> list[str]:
    """The row of column numbers printed under the header, as official forms do: text columns A, B, C …,
    figures 1, 2, 3 …"""
    labels: list[str] = []
    letters = numbers = 0
    for column in columns:
        if column.kind == "text":
            labels.append("ABCDEFGHIJ"[letters] if letters < 10 else "")
            letters += 1
        else:
            numbers += 1
            labels.append(str(numbers))
    return labels


def _signatures(pdf: _Document, form: TableForm) -> None:
    if pdf.will_page_break(42):
        pdf.add_page(orientation="L")
    pdf.ln(3)
    count = max(len(form.signatures), 1)
    width = pdf.epw / count
    right = pdf.l_margin + width * (count - 1)
    pdf.set_font(FAMILY, "I", 10)
    pdf.set_x(right)
    pdf.cell(width, 5, nfc(place_date(form.place, form.day)), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y()
    for index, signature in enumerate(form.signatures):
        x = pdf.l_margin + width * index
        pdf.set_xy(x, top)
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(width, 5, nfc(signature.title), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "I", 9)
        pdf.cell(width, 5, nfc(signature.hint), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, top + 30)
