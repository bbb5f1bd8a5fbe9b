"""The ``reports.form`` job kind: the same form as the direct download, built in the background as the
job's owner, with the territory checked again when it runs; the province's form page offers it."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import Role, User, UserScope
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.jobs.kinds import job_kinds
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.jobs.services import job_submit
from giamngheo.jobs.storage import result_path
from giamngheo.reports import job_kinds as report_job_kinds
from giamngheo.reports.job_kinds import REPORT_FORM, form_job_params
from tests.accounts.factories import scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _jobs_inline(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.JOBS_WORKER = "inline"
    settings.VAR_DIR = tmp_path


@pytest.fixture
def province() -> dict[str, AdminUnit | Village]:
    """Province 98: Xã Một (Thôn A: one poor, two not poor households, approved 2025), Xã Hai (no round)."""
    province = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    village = village_factory(commune=c1, name="Thôn A")
    households = [household_with_adult(commune=c1, village=village) for _ in range(3)]
    rnd = open_round(commune=c1, households=[h for h, _ in households], year=2025)
    for index, (household, adult) in enumerate(households):
        facts = household_facts(income=POOR_INCOME, deprived=3) if index == 0 else household_facts()
        survey(rnd, household, facts, [adult_facts(adult)])
    approve(rnd, posting_day=dt.date(2025, 11, 1))
    return {"p": province, "c1": c1, "c2": c2, "village": village}


def _officer(unit: AdminUnit) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=unit)


def _cells(content: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _job_bytes(job: Job) -> bytes:
    path = result_path(job.result_file)
    assert path is not None
    return path.read_bytes()


def _run(capture: Capture, actor: User, **params: Any) -> Job:
    with capture(execute=True):
        job = job_submit(kind=REPORT_FORM, params=form_job_params(**params), actor=actor)
    job.refresh_from_db()
    return job


def test_the_kind_is_registered_by_autodiscovery() -> None:
    kind = job_kinds()[REPORT_FORM]
    assert str(kind.label) == "Lập biểu mẫu báo cáo"
    assert kind.run is report_job_kinds.report_form


@pytest.mark.parametrize("code", ["01", "02", "03", "04"])
def test_the_job_gives_the_cells_of_the_direct_download(
    province: dict[str, Any], code: str, django_capture_on_commit_callbacks: Capture
) -> None:
    officer = _officer(province["p"])
    client = Client()
    client.force_login(officer)
    url = reverse(
        "reports:form_download", kwargs={"code": code, "unit": "tinh-98", "year": 2025, "fmt": "xlsx"}
    )
    response = client.get(url)
    assert response.status_code == 200
    direct = b"".join(response.streaming_content)  # type: ignore[attr-defined]

    job = _run(django_capture_on_commit_callbacks, officer, code=code, unit="tinh-98", year=2025, fmt="xlsx")
    assert job.status == JobStatus.DONE, job.error
    assert (job.progress, job.result_name, job.result_type) == (
        100,
        f"bieu-{code}-tinh-98-2025.xlsx",
        XLSX_TYPE,
    )
    assert job.title.startswith(f"Biểu {code} — ") and job.title.endswith(" — Tỉnh Thử — 2025 (XLSX)")
    cells = _cells(_job_bytes(job))
    assert cells == _cells(direct)
    if code == "01":
        assert cells[9][1:4] == ("Xã Một", 3, 1)  # first row: the commune, 3 households, 1 poor
        assert cells[10][1:4] == ("Toàn tỉnh", 3, 1)  # the total row


def test_csv_and_pdf_come_out_too(
    province: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    officer = _officer(province["p"])
    csv_job = _run(
        django_capture_on_commit_callbacks, officer, code="01", unit="xa-98001", year=2025, fmt="csv"
    )
    assert csv_job.status == JobStatus.DONE, csv_job.error
    assert csv_job.result_type == "text/csv; charset=utf-8"
    assert _job_bytes(csv_job).startswith(b"\xef\xbb\xbf")
    pdf_job = _run(
        django_capture_on_commit_callbacks, officer, code="02", unit="tinh-98", year=2025, fmt="pdf"
    )
    assert pdf_job.status == JobStatus.DONE, pdf_job.error
    assert _job_bytes(pdf_job).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        (
            {"code": "09", "unit": "tinh-98", "year": 2025, "fmt": "xlsx"},
            ValidationError,
            "Không có biểu mẫu",
        ),
        ({"code": "01", "unit": "tinh-98", "year": 2025, "fmt": "doc"}, ValidationError, "định dạng"),
        ({"code": "01", "unit": "tinh-98", "year": "năm", "fmt": "xlsx"}, ValidationError, "không hợp lệ"),
        ({"code": "01", "unit": "tinh-98", "year": 2019, "fmt": "xlsx"}, ValidationError, "chưa có đợt"),
        ({"code": "01", "unit": "tinh-11", "year": 2025, "fmt": "xlsx"}, PermissionDenied, "địa bàn"),
        ({"code": "01", "unit": "tinh-98", "year": 2025, "fmt": "xlsx"}, PermissionDenied, "địa bàn"),
        ({"code": "01", "unit": "thon-x", "year": 2025, "fmt": "xlsx"}, PermissionDenied, "địa bàn"),
    ],
)
def test_bad_parameters_or_another_territory_are_refused_when_asked(
    province: dict[str, Any], params: dict[str, Any], error: type[Exception], message: str
) -> None:
    commune_officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=province["c1"])
    actor = commune_officer if error is PermissionDenied else _officer(province["p"])
    with pytest.raises(error, match=message):
        job_submit(kind=REPORT_FORM, params=form_job_params(**params), actor=actor)
    assert not Job.objects.exists()


def test_the_territory_is_checked_again_when_the_job_runs(
    province: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    officer = _officer(province["p"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_submit(
            kind=REPORT_FORM,
            params=form_job_params(code="01", unit="tinh-98", year=2025, fmt="xlsx"),
            actor=officer,
        )
    UserScope.objects.filter(user=officer).delete()  # moved away before the job ran
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Không lập được biểu: Đơn vị này không thuộc địa bàn của bạn."
    assert not job.result_file


def test_the_province_page_offers_the_background_job_and_the_commune_page_does_not(
    province: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(_officer(province["p"]))
    page = client.get(reverse("reports:form", kwargs={"code": "01", "unit": "tinh-98", "year": 2025}))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="form-background"' in text
    assert text.count(f'name="kind" value="{REPORT_FORM}"') == 3
    assert "Lập trong nền: Excel (.xlsx)" in text
    assert "tai-ve.xlsx" in text  # the direct downloads stay
    commune = client.get(reverse("reports:form", kwargs={"code": "01", "unit": "xa-98001", "year": 2025}))
    assert commune.status_code == 200
    assert 'id="form-background"' not in commune.content.decode()
    assert "tai-ve.xlsx" in commune.content.decode()


def test_starting_from_the_page_lands_on_the_job(
    province: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    client = Client()
    officer = _officer(province["p"])
    client.force_login(officer)
    params = form_job_params(code="01", unit="tinh-98", year=2025, fmt="xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:start"), {"kind": REPORT_FORM, "params": json.dumps(params)})
    job = Job.objects.get(owner=officer)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
