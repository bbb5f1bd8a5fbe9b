"""The plan's progress report in Excel and PDF (``planning.exports``) and its download page."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.planning import exports
from giamngheo.planning.models import FundingSource, Plan, TargetKind
from giamngheo.planning.services import budget
from giamngheo.planning.services import tasks as task_services
from tests.planning.factories import target_factory
from tests.planning.test_budget_services import YEN_BAI_SOURCES
from tests.planning.test_tasks_services import World, make_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 10, 1)
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    world = make_world()
    target_factory(
        plan=world.plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal("1"), value_max=Decimal("1.5")
    )
    budget.funding_lines_save(
        plan=world.plan,
        actor=None,
        lines=[
            budget.FundingInput(source=source, label=label, planned=amount, year=2027)
            for source, label, amount in YEN_BAI_SOURCES
        ],
    )
    line = world.plan.funding.get(source=FundingSource.CENTRAL)
    budget.funding_save(
        plan=world.plan,
        actor=None,
        line=line,
        source=FundingSource.CENTRAL,
        year=2027,
        planned=line.planned,
        allocated=Decimal("1000000"),
        disbursed=Decimal("250000"),
    )
    task_services.task_report_submit(
        task=world.continuous,
        actor=world.vbsp_member,
        agency=world.vbsp,
        period_label="6 tháng đầu năm 2027",
        period_end=dt.date(2027, 6, 30),
        progress="Giải ngân 120 tỷ đồng cho 2.500 hộ.",
        status="in_progress",
    )
    return world


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report(world: World) -> exports.ProgressReport:
    return exports.progress_report(world.plan, viewer=world.officer, today=TODAY)


def test_progress_report_reads_the_plan(world: World) -> None:
    report = _report(world)
    assert report.issuer == ("ỦY BAN NHÂN DÂN", "TỈNH THỬ")
    assert report.place == "Thử"
    assert report.subtitle == (
        "Tiến độ thực hiện Kế hoạch số 51/KH-UBND — Kế hoạch giảm nghèo bền vững 2026-2030"
    )
    assert [t.text for t in report.tasks] == [
        "Thành lập Ban Chỉ đạo giảm nghèo",
        "Rà soát hộ nghèo, hộ cận nghèo",
        "Cho vay ưu đãi hộ nghèo",
    ]
    dated, _annual, continuous = report.tasks
    assert dated.status == "Chưa thực hiện — Quá hạn" and dated.overdue
    assert dated.lead == "Sở Nông nghiệp và Môi trường"
    assert dated.coordinating == "Ngân hàng Chính sách xã hội tỉnh"
    assert dated.last_report == "Chưa báo cáo"
    assert continuous.status == "Đang thực hiện" and not continuous.overdue
    assert continuous.last_report.startswith("6 tháng đầu năm 2027 (")
    assert continuous.last_report.endswith(
        "Ngân hàng Chính sách xã hội tỉnh): Giải ngân 120 tỷ đồng cho 2.500 hộ."
    )
    [target] = report.targets
    assert target.label == "Giảm tỷ lệ hộ nghèo (điểm %)"
    assert target.unit == "Tỉnh Thử"
    assert "1,00" in target.value and "1,50" in target.value
    assert report.funding[0].label == "Ngân sách trung ương"
    assert report.funding_total is not None
    assert report.funding_total.planned == Decimal("5440412")
    assert report.funding_total.allocated == Decimal("1000000")
    assert report.funding_total.rate == Decimal("25.00")


def test_xlsx_has_the_administrative_header_and_the_three_sections(world: World) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.progress_xlsx(_report(world))))
    sheet = book.active
    assert sheet.title == "Báo cáo tiến độ"
    assert (sheet["A1"].value, sheet["A2"].value) == ("ỦY BAN NHÂN DÂN", "TỈNH THỬ")
    assert sheet["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["A3"].value.startswith("Số:") and sheet["A3"].value.endswith("/BC-UBND")
    assert sheet["D3"].value == "Thử, ngày 01 tháng 10 năm 2027"
    assert sheet["A5"].value == "BÁO CÁO"
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    rows_of = {value: row for (row, _col), value in cells.items() if isinstance(value, str)}
    for section in (exports.SECTION_TARGETS, exports.SECTION_TASKS, exports.SECTION_FUNDING):
        assert section in rows_of
    assert (
        rows_of[exports.SECTION_TARGETS] < rows_of[exports.SECTION_TASKS] < rows_of[exports.SECTION_FUNDING]
    )
    task_row = rows_of["Thành lập Ban Chỉ đạo giảm nghèo"]
    assert [cells.get((task_row, c)) for c in range(1, 7)] == [
        "1",
        "Thành lập Ban Chỉ đạo giảm nghèo",
        "Sở Nông nghiệp và Môi trường",
        "Ngân hàng Chính sách xã hội tỉnh",
        "Tháng 4/2027",
        "Chưa thực hiện — Quá hạn",
    ]
    assert sheet.cell(task_row, 6).font.color.rgb.endswith("B00020")  # overdue in red
    total_row = rows_of["Tổng cộng"]
    assert [cells.get((total_row, c)) for c in range(2, 7)] == ["Tổng cộng", 5440412, 1000000, 250000, 25]
    central_row = rows_of["Ngân sách trung ương"]
    assert cells[(central_row, 3)] == 1621667
    assert sheet.cell(central_row, 3).number_format == "#,##0.###"


@needs_pdftotext
def test_pdf_prints_the_header_the_tasks_and_the_totals(world: World, tmp_path: Path) -> None:
    content = exports.progress_pdf(_report(world))
    assert content.startswith(b"%PDF")
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(content)
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Thử, ngày 01 tháng 10 năm 2027",
        "BÁO CÁO",
        "Thành lập Ban Chỉ đạo giảm nghèo",
        "Quá hạn",
        "5.440.412",
        "1.621.667",
        "25,00",
        "TM. ỦY BAN NHÂN DÂN",
    ):
        assert words in text, words


def test_empty_plan_still_prints(world: World) -> None:
    report = exports.progress_report(world.plan_q, viewer=world.admin, today=TODAY)
    assert report.funding_total is None and report.targets == ()
    book = openpyxl.load_workbook(io.BytesIO(exports.progress_xlsx(report)))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert "Kế hoạch chưa có nguồn vốn." in values
    assert exports.progress_pdf(report).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_download_page(world: World, fmt: str, content_type: str) -> None:
    url = reverse("planning:plan_export", args=[world.plan.pk, fmt])
    response = _client(world.leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="bao-cao-tien-do-ke-hoach-{world.plan.pk}.{fmt}"'
    )
    assert _client(world.other_officer).get(url).status_code == 404


def test_unknown_format_is_not_found(world: World) -> None:
    plan: Plan = world.plan
    assert _client(world.officer).get(f"/ke-hoach/{plan.pk}/bao-cao.docx").status_code == 404


def test_funding_that_does_not_add_up_to_the_plans_total_is_noted(world: World) -> None:
    world.plan.funding_total = Decimal("5440000")
    world.plan.save(update_fields=["funding_total"])
    report = _report(world)
    assert report.funding_notes == (
        "Tổng nguồn vốn theo kế hoạch: 5.440.000 triệu đồng.",
        "Chưa khớp: Tổng các dòng 5.440.412 triệu đồng khác tổng kinh phí của kế hoạch 5.440.000 triệu đồng "
        "(chênh lệch +412).",
    )
    book = openpyxl.load_workbook(io.BytesIO(exports.progress_xlsx(report)))
    values = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert report.funding_notes[1] in values
