"""A plan's progress report (báo cáo tiến độ thực hiện kế hoạch) as Excel and PDF.

:func:`progress_report` reads the plan (its targets, tasks with their latest report, funding by source)
into a :class:`ProgressReport`; :func:`progress_xlsx` and :func:`progress_pdf` print it in the
presentation of administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I: issuing body and national
motto side by side, number, place and date, title, body, signature block), like the other printed
documents of giamngheo (``documents.pdf``). Numbers are million VND (triệu đồng) for funding; the
report is a draft for the unit to number, sign and seal.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import xlsxwriter  # type: ignore[import-untyped]
from fpdf import FontFace  # type: ignore[import-untyped]
from fpdf.enums import XPos, YPos  # type: ignore[import-untyped]

from giamngheo.accounts.selectors import Viewer
from giamngheo.documents.formatting import date_short, nfc, number, place_date
from giamngheo.documents.pdf import FAMILY, MOTTO, _Document, _output
from giamngheo.planning.models import FundingLine, FundingSource, Plan, TaskStatus
from giamngheo.planning.services import targets as targets_service
from giamngheo.planning.services.budget import FundingSummary, amount_text, funding_summary
from giamngheo.planning.services.tasks import task_rows
from giamngheo.reports.forms.data import short_name

__all__ = ["FORMATS", "ProgressReport", "progress_pdf", "progress_report", "progress_xlsx"]

TITLE: Final = "BÁO CÁO"
SECTION_TARGETS: Final = "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
SECTION_TASKS: Final = "II. TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ"
SECTION_FUNDING: Final = "III. NGUỒN VỐN THỰC HIỆN (triệu đồng)"
TARGET_HEADINGS: Final = ("STT", "Chỉ tiêu", "Đơn vị", "Năm", "Kế hoạch", "Thực hiện", "Đánh giá")
TASK_HEADINGS: Final = (
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian",
    "Trạng thái",
    "Báo cáo gần nhất",
)
FUNDING_HEADINGS: Final = (
    "STT",
    "Nguồn vốn",
    "Kế hoạch",
    "Đã phân bổ",
    "Đã giải ngân",
    "Tỷ lệ giải ngân (%)",
)
OVERDUE_MARK: Final = "Quá hạn"


@dataclass(frozen=True, slots=True)
class TargetLine:
    label: str
    unit: str
    year: str
    value: str
    actual: str
    status: str


@dataclass(frozen=True, slots=True)
class TaskLine:
    text: str
    lead: str
    coordinating: str
    timeframe: str
    status: str
    last_report: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class FundingRow:
    label: str
    planned: Decimal
    allocated: Decimal | None
    disbursed: Decimal | None
    rate: Decimal | None


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """What the progress report prints; plain values, no database."""

    issuer: tuple[str, ...]
    number: str
    place: str
    day: dt.date
    subtitle: str
    period: str
    targets: tuple[TargetLine, ...]
    tasks: tuple[TaskLine, ...]
    funding: tuple[FundingRow, ...]
    funding_total: FundingRow | None
    funding_notes: tuple[str, ...] = ()
    """What does not reconcile in the funding (against the plan's own total, allocations, disbursements)."""
    recipients: tuple[str, ...] = ("Như trên;", "Lưu: VT.")
    signature: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    subject: str = "bao-cao-tien-do"


# --- Reading the plan --------------------------------------------------------------------------------


def _target_lines(plan: Plan, viewer: Viewer) -> tuple[TargetLine, ...]:
    """The plan's targets with their progress read from the approved review rounds the viewer sees
    (``planning.services.targets``)."""
    lines = []
    for row in targets_service.plan_targets(viewer=viewer, plan=plan).rows:
        target, progress = row.target, row.progress
        actual = (
            targets_service.measure_text(target.kind, progress.actual) if progress.actual is not None else ""
        )
        if actual and progress.year:
            actual = f"{actual} ({progress.year})"
        lines.append(
            TargetLine(
                label=("– " if row.depth else "") + targets_service.target_label(target),
                unit=target.unit.name,
                year=str(target.year) if target.year else "Hằng năm",
                value=targets_service.value_text(target),
                actual=actual,
                status=str(targets_service.STATUS_LABELS.get(progress.status, "")),
            )
        )
    return tuple(lines)


def _plan_subtitle(plan: Plan) -> str:
    name = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    issued = f" ngày {date_short(plan.issued_on)}" if plan.issued_on else ""
    issuer = f" của {plan.issuer}" if plan.issuer else ""
    return f"Tiến độ thực hiện {name}{issued}{issuer} — {plan.title}"


def progress_report(plan: Plan, *, viewer: Viewer, today: dt.date) -> ProgressReport:
    """The progress report of ``plan`` on ``today`` (the caller checked that the viewer sees the plan;
    the targets' progress counts the review rounds the viewer sees)."""
    unit = plan.unit
    targets = _target_lines(plan, viewer)
    tasks = []
    for row in task_rows(plan.tasks.all(), today):
        report = row.last_report
        last = (
            f"{report.period_label} ({date_short(report.submitted_at.date())}, {report.agency.name}): "
            f"{report.progress}"
            if report is not None
            else "Chưa báo cáo"
        )
        status = str(TaskStatus(row.task.status).label)
        tasks.append(
            TaskLine(
                text=row.task.text,
                lead="; ".join(row.lead),
                coordinating="; ".join(row.coordinating),
                timeframe=row.timeframe,
                status=f"{status} — {OVERDUE_MARK}" if row.overdue else status,
                last_report=last,
                overdue=row.overdue,
            )
        )
    summary = funding_summary(
        FundingLine.objects.filter(plan=plan).select_related("unit"), plan.funding_total
    )
    funding = tuple(
        FundingRow(label_of(source), t.planned, t.allocated, t.disbursed, t.rate)
        for source, t in summary.by_source
    )
    total = summary.total
    return ProgressReport(
        issuer=("ỦY BAN NHÂN DÂN", unit.name.upper()),
        number="Số:        /BC-UBND",
        place=short_name(unit.name),
        day=today,
        subtitle=_plan_subtitle(plan),
        period=f"Thời gian thực hiện: từ {date_short(plan.period_start)} đến {date_short(plan.period_end)}",
        targets=targets,
        tasks=tuple(tasks),
        funding=funding,
        funding_total=(
            FundingRow("Tổng cộng", total.planned, total.allocated, total.disbursed, total.rate)
            if total.lines
            else None
        ),
        funding_notes=_funding_notes(plan, summary),
        subject=f"bao-cao-tien-do-ke-hoach-{plan.pk}",
    )


def _funding_notes(plan: Plan, summary: FundingSummary) -> tuple[str, ...]:
    notes = []
    if plan.funding_total is not None:
        notes.append(f"Tổng nguồn vốn theo kế hoạch: {amount_text(plan.funding_total)} triệu đồng.")
    notes.extend(f"Chưa khớp: {issue.message}" for issue in summary.issues)
    return tuple(notes)


def label_of(source: str) -> str:
    """The Vietnamese name of a funding source."""
    return str(FundingSource(source).label) if source in FundingSource.values else source


# --- Excel -------------------------------------------------------------------------------------------

_COLUMNS: Final = (6.0, 48.0, 24.0, 24.0, 16.0, 18.0, 40.0)
_AMOUNT_FORMAT: Final = "#,##0.###"
_RATE_FORMAT: Final = "0.00"


def progress_xlsx(report: ProgressReport) -> bytes:
    """The report on one A4 landscape sheet: header, the three sections as bordered tables, signature."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Báo cáo tiến độ")
    base = {"font_name": "Times New Roman", "font_size": 12}
    border = {**base, "border": 1, "valign": "top", "text_wrap": True}
    fmt: dict[str, Any] = {
        "issuer": book.add_format({**base, "bold": True, "align": "center"}),
        "motto": book.add_format({**base, "bold": True, "align": "center"}),
        "center": book.add_format({**base, "align": "center"}),
        "place": book.add_format({**base, "italic": True, "align": "center"}),
        "title": book.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "subtitle": book.add_format({**base, "bold": True, "align": "center", "text_wrap": True}),
        "section": book.add_format({**base, "bold": True}),
        "header": book.add_format({**border, "bold": True, "align": "center", "bg_color": "#E7E6E6"}),
        "text": book.add_format(border),
        "late": book.add_format({**border, "font_color": "#B00020", "bold": True}),
        "amount": book.add_format({**border, "num_format": _AMOUNT_FORMAT}),
        "rate": book.add_format({**border, "num_format": _RATE_FORMAT}),
        "total_text": book.add_format({**border, "bold": True, "bg_color": "#F2F2F2"}),
        "total_amount": book.add_format(
            {**border, "bold": True, "num_format": _AMOUNT_FORMAT, "bg_color": "#F2F2F2"}
        ),
        "total_rate": book.add_format(
            {**border, "bold": True, "num_format": _RATE_FORMAT, "bg_color": "#F2F2F2"}
        ),
        "sign": book.add_format({**base, "bold": True, "align": "center"}),
        "note": book.add_format({**base, "italic": True}),
    }
    for index, width in enumerate(_COLUMNS):
        sheet.set_column(index, index, width)
    last = len(_COLUMNS) - 1

    for row, line in enumerate(report.issuer):
        _merge(sheet, row, 0, row, 2, line, fmt["issuer"])
    _merge(sheet, 0, 3, 0, last, MOTTO[0], fmt["motto"])
    _merge(sheet, 1, 3, 1, last, MOTTO[1], fmt["motto"])
    _merge(sheet, 2, 0, 2, 2, report.number, fmt["center"])
    _merge(sheet, 2, 3, 2, last, place_date(report.place, report.day), fmt["place"])
    _merge(sheet, 4, 0, 4, last, TITLE, fmt["title"])
    _merge(sheet, 5, 0, 5, last, report.subtitle, fmt["subtitle"])
    sheet.set_row(5, 32)
    _merge(sheet, 6, 0, 6, last, report.period, fmt["center"])
    row = 8

    row = _section(sheet, row, SECTION_TARGETS, fmt)
    row = _header(sheet, row, TARGET_HEADINGS, fmt)
    for index, target in enumerate(report.targets, start=1):
        cells = (
            str(index),
            target.label,
            target.unit,
            target.year,
            target.value,
            target.actual,
            target.status,
        )
        for column, value in enumerate(cells):
            sheet.write_string(row, column, nfc(value), fmt["text"])
        row += 1
    if not report.targets:
        _merge(sheet, row, 0, row, len(TARGET_HEADINGS) - 1, "Kế hoạch chưa có chỉ tiêu.", fmt["text"])
        row += 1

    row = _section(sheet, row + 1, SECTION_TASKS, fmt)
    row = _header(sheet, row, TASK_HEADINGS, fmt)
    for index, task in enumerate(report.tasks, start=1):
        values = (
            str(index),
            task.text,
            task.lead,
            task.coordinating,
            task.timeframe,
            task.status,
            task.last_report,
        )
        for column, value in enumerate(values):
            style = fmt["late"] if column == 5 and task.overdue else fmt["text"]
            sheet.write_string(row, column, nfc(value), style)
        row += 1
    if not report.tasks:
        _merge(sheet, row, 0, row, last, "Kế hoạch chưa có nhiệm vụ.", fmt["text"])
        row += 1

    row = _section(sheet, row + 1, SECTION_FUNDING, fmt)
    row = _header(sheet, row, FUNDING_HEADINGS, fmt)
    for index, funding in enumerate(report.funding, start=1):
        _funding_row(sheet, row, str(index), funding, fmt, "")
        row += 1
    if report.funding_total is not None:
        _funding_row(sheet, row, "", report.funding_total, fmt, "total_")
        row += 1
    else:
        _merge(sheet, row, 0, row, len(FUNDING_HEADINGS) - 1, "Kế hoạch chưa có nguồn vốn.", fmt["text"])
        row += 1
    for note in report.funding_notes:
        _merge(sheet, row, 0, row, last, note, fmt["note"])
        row += 1

    row += 1
    sheet.write_string(row, 0, nfc("Nơi nhận:"), fmt["section"])
    for offset, line in enumerate(report.signature):
        _merge(sheet, row + offset, 4, row + offset, last, line, fmt["sign"])
    for offset, recipient in enumerate(report.recipients, start=1):
        sheet.write_string(row + offset, 0, nfc(f"- {recipient}"), fmt["note"])

    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&LLập bằng phần mềm giamngheo&RTrang &P/&N")
    sheet.hide_gridlines(2)
    book.set_properties({"title": nfc(f"{TITLE} {report.subtitle}"), "author": "giamngheo"})
    book.close()
    return buffer.getvalue()


def _merge(sheet: Any, r1: int, c1: int, r2: int, c2: int, text: str, style: Any) -> None:
    if (r1, c1) == (r2, c2):
        sheet.write_string(r1, c1, nfc(text), style)
    else:
        sheet.merge_range(r1, c1, r2, c2, nfc(text), style)


def _section(sheet: Any, row: int, title: str, fmt: dict[str, Any]) -> int:
    sheet.write_string(row, 0, nfc(title), fmt["section"])
    return row + 1


def _header(sheet: Any, row: int, headings: Sequence[str], fmt: dict[str, Any]) -> int:
    for column, heading in enumerate(headings):
        sheet.write_string(row, column, nfc(heading), fmt["header"])
    return row + 1


def _funding_row(
    sheet: Any, row: int, index: str, line: FundingRow, fmt: dict[str, Any], prefix: str
) -> None:
    sheet.write_string(row, 0, index, fmt[f"{prefix}text"] if prefix else fmt["text"])
    sheet.write_string(row, 1, nfc(line.label), fmt[f"{prefix}text"] if prefix else fmt["text"])
    for column, value in ((2, line.planned), (3, line.allocated), (4, line.disbursed)):
        if value is None:
            sheet.write_blank(row, column, None, fmt[f"{prefix}amount"])
        else:
            sheet.write_number(row, column, float(value), fmt[f"{prefix}amount"])
    if line.rate is None:
        sheet.write_blank(row, 5, None, fmt[f"{prefix}rate"])
    else:
        sheet.write_number(row, 5, float(line.rate), fmt[f"{prefix}rate"])


# --- PDF ---------------------------------------------------------------------------------------------

_HEADER_FILL: Final = (230, 230, 230)
_TOTAL_FILL: Final = (245, 245, 245)
_LATE: Final = (176, 0, 32)


def _rate_text(value: Decimal | None) -> str:
    return "" if value is None else number(value, 2)


def _funding_cells(index: str, line: FundingRow) -> tuple[str, ...]:
    """A funding line (or the total) as the PDF table's cells: amounts and rate written the Vietnamese way."""
    return (
        index,
        line.label,
        amount_text(line.planned),
        amount_text(line.allocated),
        amount_text(line.disbursed),
        _rate_text(line.rate),
    )


def progress_pdf(report: ProgressReport) -> bytes:
    """The report as an A4 landscape PDF (the bundled fonts), "Trang i/n" in the footer."""
    pdf = _Document(page_numbers=True, title=f"{TITLE} {report.subtitle}")
    pdf.footer_note = nfc(report.period)
    pdf.add_page(orientation="L")
    pdf.official_header(report.issuer, report.number)
    pdf.place_and_date(report.place, report.day)
    pdf.ln(4)
    pdf.text_line(TITLE, style="B", size=14, align="C", h=7)
    pdf.text_line(report.subtitle, style="B", size=12, align="C", h=6)
    pdf.text_line(report.period, style="I", size=11, align="C", h=6)
    pdf.ln(3)

    pdf.text_line(SECTION_TARGETS, style="B", size=12, h=7)
    if report.targets:
        _pdf_table(
            pdf,
            TARGET_HEADINGS,
            (10, 78, 38, 20, 38, 38, 45),
            [
                (str(i), t.label, t.unit, t.year, t.value, t.actual, t.status)
                for i, t in enumerate(report.targets, 1)
            ],
        )
    else:
        pdf.text_line("Kế hoạch chưa có chỉ tiêu.", style="I", size=11)
    pdf.ln(3)

    pdf.text_line(SECTION_TASKS, style="B", size=12, h=7)
    if report.tasks:
        _pdf_table(
            pdf,
            TASK_HEADINGS,
            (10, 78, 38, 38, 30, 30, 49),
            [
                (
                    str(i),
                    t.text,
                    t.lead,
                    t.coordinating,
                    t.timeframe,
                    t.status.replace(" — ", "\n"),
                    t.last_report,
                )
                for i, t in enumerate(report.tasks, 1)
            ],
            late=[t.overdue for t in report.tasks],
        )
    else:
        pdf.text_line("Kế hoạch chưa có nhiệm vụ.", style="I", size=11)
    pdf.ln(3)

    pdf.text_line(SECTION_FUNDING, style="B", size=12, h=7)
    if report.funding_total is not None:
        rows = [_funding_cells(str(i), f) for i, f in enumerate(report.funding, 1)]
        rows.append(_funding_cells("", report.funding_total))
        _pdf_table(pdf, FUNDING_HEADINGS, (12, 95, 42, 42, 42, 40), rows, numeric_from=2, total_last=True)
    else:
        pdf.text_line("Kế hoạch chưa có nguồn vốn.", style="I", size=11)
    for note in report.funding_notes:
        pdf.text_line(note, style="I", size=10, h=5)
    pdf.ln(4)
    _closing(pdf, report)
    return _output(pdf)


def _pdf_table(
    pdf: _Document,
    headings: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    *,
    late: Sequence[bool] = (),
    numeric_from: int | None = None,
    total_last: bool = False,
) -> None:
    scale = pdf.epw / sum(widths)
    aligns = [
        "CENTER" if i == 0 else ("RIGHT" if numeric_from is not None and i >= numeric_from else "LEFT")
        for i in range(len(headings))
    ]
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(
        col_widths=[w * scale for w in widths],
        width=pdf.epw,
        align="LEFT",
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL),
        line_height=4.6,
        padding=(0.8, 1.2),
        repeat_headings=1,
    ) as table:
        table.row([nfc(h) for h in headings])
        for index, values in enumerate(rows):
            is_total = total_last and index == len(rows) - 1
            style = FontFace(emphasis="BOLD", fill_color=_TOTAL_FILL) if is_total else None
            row = table.row(style=style)
            for column, value in enumerate(values):
                if index < len(late) and late[index] and column == 5:
                    row.cell(nfc(value), style=FontFace(emphasis="BOLD", color=_LATE))
                else:
                    row.cell(nfc(value))


def _closing(pdf: _Document, report: ProgressReport) -> None:
    if pdf.will_page_break(50):
        pdf.add_page(orientation="L")
    top = pdf.get_y()
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(80, 5, nfc("Nơi nhận:"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    for recipient in report.recipients:
        pdf.cell(80, 5, nfc(f"- {recipient}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top)
    pdf.signature_block(report.signature, "")


#: Download formats: extension → (content type, renderer).
FORMATS: Final[dict[str, tuple[str, Callable[[ProgressReport], bytes]]]] = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", progress_xlsx),
    "pdf": ("application/pdf", progress_pdf),
}
