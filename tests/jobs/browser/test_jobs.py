"""A commune officer starts the household export in a real browser, watches the progress bar reach
100 % (the page asks every second, the real worker thread runs the job) and downloads the workbook."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.demo import DEMO_PASSWORD
from giamngheo.accounts.models import User, UserScope
from giamngheo.geo.models import UnitType
from giamngheo.jobs import job_kinds, worker
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.registry.models import Household
from tests.geo.factories import commune_factory, province_factory
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jobs_in_thread(settings: SettingsWrapper) -> Iterator[None]:
    """Jobs are queued for the worker thread, which the test starts once the job is queued (as after a
    restart) and stops before it reads the database itself: the tests' shared in-memory SQLite answers
    "locked" to a second connection while the worker writes."""
    settings.JOBS_WORKER = "thread"
    yield
    worker.stop_worker_thread()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GIAMNGHEO_SHOTS", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_officer_exports_the_commune_and_downloads_it(
    page: Page, live_server: LiveServer, jobs_in_thread: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    commune = commune_factory(province=province, code="23485", name="Xã Đăk Kôi", unit_type=UnitType.COMMUNE)
    UserScope.objects.create(user=User.objects.get(username="xa"), unit=commune, province_code="51")
    Household.objects.bulk_create(
        Household(commune=commune, province_code="51", code=f"DK{i:03d}", area="rural") for i in range(1, 41)
    )
    monkeypatch.setattr(job_kinds, "CHUNK", 10)  # the bar moves four times on the way

    log_in(page, live_server, "xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cong-viec/")
    assert page.inner_text("h1") == "Công việc chạy nền"
    page.select_option("select[name=commune]", value=str(commune.pk))
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") == "true" else None)
    page.click(".job-export-form button[type=submit]")

    page.wait_for_url(re.compile(r"/cong-viec/\d+/$"))
    job = Job.objects.get(owner__username="xa")
    assert page.url == f"{live_server.url}/cong-viec/{job.pk}/"
    assert page.inner_text("h1") == "Danh sách hộ — Xã Đăk Kôi"
    assert page.inner_text(".job-pill") == "Đang chờ"
    assert page.inner_text(".job-percent") == "0 %"

    worker.start_worker_thread(interval=0.5)
    page.wait_for_selector(".job-percent:text-is('100 %')")
    worker.stop_worker_thread()
    assert page.get_attribute("progress.job-bar", "value") == "100"
    assert page.inner_text(".job-pill") == "Hoàn thành"
    assert polls and all(url == f"{live_server.url}/cong-viec/{job.pk}/" for url in polls)
    page.screenshot(path=_shots(tmp_path) / "job-done.png", full_page=True)

    count = len(polls)
    page.wait_for_timeout(1500)
    assert len(polls) == count  # the bar stopped asking once the job was done

    with page.expect_download() as download:
        page.click("a.job-download")
    assert download.value.suggested_filename.startswith("danh-sach-ho-23485-")
    saved = tmp_path / "danh-sach-ho.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()), read_only=True).active
    codes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    assert codes == [f"DK{i:03d}" for i in range(1, 41)]
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)

    page.goto(f"{live_server.url}/cong-viec/")
    assert page.inner_text(".job-table tbody tr td:first-child") == "Danh sách hộ — Xã Đăk Kôi"
