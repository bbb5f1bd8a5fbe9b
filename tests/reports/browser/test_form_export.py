"""A province officer exports Biểu 01 of the province in a real browser, opens the Excel file and checks
its cells against ``aggregation.summary`` of the same data; then asks for the same form in the
background and downloads it from the job's page (screenshots in /tmp/shots/form-export-*.png)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import Role
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.reports.aggregation import summary
from giamngheo.reports.forms.summary import TITLE
from giamngheo.reports.selectors import report_frame
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.reports.test_dashboard_views import approved_round, households_in
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["geo_map"]

SHOTS = Path("/tmp/shots")


def _rows(path: Path) -> tuple[list[tuple[Any, ...]], set[str]]:
    """The cell values of the workbook's sheet and its merged ranges (``A1:D1``)."""
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)], {
        str(r) for r in sheet.merged_cells.ranges
    }


def test_province_officer_exports_the_summary_form_and_its_cells_add_up(
    page: Page, live_server: LiveServer, geo_map: Map, settings: SettingsWrapper, tmp_path: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.JOBS_WORKER = "inline"  # the job runs in the live server's request, after its commit
    v1 = households_in(geo_map.c1, geo_map.v1, 3)
    v1b = households_in(geo_map.c1, geo_map.v1b, 2)
    v2 = households_in(geo_map.c2, geo_map.v2, 2)
    approved_round(geo_map.c1, 2025, [(v1[0], "poor"), (v1[1], "poor"), *((h, "rich") for h in v1[2:] + v1b)])
    approved_round(geo_map.c2, 2025, [(v2[0], "poor"), (v2[1], "rich")])
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p, username="canbotinh")
    expected = summary(report_frame(viewer=officer, year=2025, unit=geo_map.p)).row(0, named=True)
    assert (expected["households"], expected["poor"]) == (7, 3)

    log_in(page, live_server, "canbotinh", PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/")
    page.select_option("select[name=bieu]", value="01")
    page.select_option("select[name=don_vi]", value="tinh-97")
    page.select_option("select[name=nam]", value="2025")
    page.click("button:text-is('Xem biểu')")
    page.wait_for_url(f"{live_server.url}/bao-cao/bieu/01/tinh-97/2025/")
    assert page.inner_text("h1") == TITLE
    page.screenshot(path=SHOTS / "form-export-page.png", full_page=True)

    with page.expect_download() as direct:
        page.click("a[href$='tai-ve.xlsx']")
    assert direct.value.suggested_filename == "bieu-01-tinh-97-2025.xlsx"
    saved = tmp_path / "direct.xlsx"
    direct.value.save_as(saved)
    rows, merged = _rows(saved)
    assert rows[3][0] == TITLE.upper()  # A4, merged across the table
    assert any(r.startswith("A4:") for r in merged)
    header = rows[6]
    poor_column = header.index("Hộ nghèo")
    assert rows[7][poor_column : poor_column + 2] == ("Số hộ", "Tỷ lệ (%)")
    letter = openpyxl.utils.get_column_letter
    assert f"{letter(poor_column + 1)}7:{letter(poor_column + 2)}7" in merged  # the merged group header
    total = next(row for row in rows if row[1] == "Toàn tỉnh")
    assert total[2:4] == (expected["households"], expected["poor"])
    assert total[poor_column + 1] == pytest.approx(expected["poor_rate"], abs=0.005)
    assert total[poor_column + 2 : poor_column + 4] == (
        expected["near_poor"],
        pytest.approx(expected["near_poor_rate"], abs=0.005),
    )
    communes = [row[1] for row in rows[9:] if row[1] in (geo_map.c1.name, geo_map.c2.name)]
    assert communes == [geo_map.c1.name, geo_map.c2.name]

    page.click("#form-background button:text-is('Lập trong nền: Excel (.xlsx)')")
    page.wait_for_url(re.compile(r"/cong-viec/\d+/$"))
    job = Job.objects.get(owner=officer)
    assert job.title == f"Biểu 01 — Tổng hợp hộ nghèo, hộ cận nghèo — {geo_map.p.name} — 2025 (XLSX)"
    page.wait_for_selector("a.job-download")
    assert page.inner_text(".job-percent") == "100 %"
    page.screenshot(path=SHOTS / "form-export-job.png", full_page=True)
    with page.expect_download() as background:
        page.click("a.job-download")
    assert background.value.suggested_filename == "bieu-01-tinh-97-2025.xlsx"
    from_job = tmp_path / "job.xlsx"
    background.value.save_as(from_job)
    assert _rows(from_job) == (rows, merged)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
