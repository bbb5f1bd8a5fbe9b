"""The demo job kind: the household list of a commune to Excel, read as the job's owner."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import Role, UserScope
from giamngheo.documents import list_xlsx
from giamngheo.jobs import job_kinds
from giamngheo.jobs.job_kinds import HOUSEHOLD_LIST_XLSX
from giamngheo.jobs.kinds import job_kinds as registered_kinds
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.jobs.runner import job_run
from giamngheo.jobs.services import job_submit
from giamngheo.jobs.storage import result_path
from tests.accounts.conftest import Map
from tests.accounts.factories import scoped_user_factory
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
CITIZEN_ID = "079080001234"


def _sheet(job: Job) -> list[tuple[Any, ...]]:
    path = result_path(job.result_file)
    assert path is not None
    workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def _households(geo_map: Map) -> None:
    for code, village in (("B2", geo_map.v1b), ("A1", geo_map.v1), ("C3", None)):
        household = household_factory(commune=geo_map.c1, village=village, code=code, address=f"Số {code}")
        head = member_factory(household=household, full_name=f"Chủ hộ {code}", citizen_id=CITIZEN_ID)
        household.head = head
        household.save(update_fields=["head"])
    household_factory(commune=geo_map.c2, code="X9")  # another commune: not in the list


def test_the_kind_is_registered_by_autodiscovery() -> None:
    kind = registered_kinds()[HOUSEHOLD_LIST_XLSX]
    assert str(kind.label) == "Xuất danh sách hộ (Excel)"
    assert kind.run is job_kinds.household_list_xlsx


def test_a_commune_officer_exports_the_commune(
    geo_map: Map, django_capture_on_commit_callbacks: Capture
) -> None:
    _households(geo_map)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.c1.pk}, actor=officer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.title == f"Danh sách hộ — {geo_map.c1.name}"
    assert job.result_name.startswith(f"danh-sach-ho-{geo_map.c1.code}-") and job.result_name.endswith(
        ".xlsx"
    )
    rows = _sheet(job)
    assert str(rows[0][0]).startswith(f"Danh sách hộ — {geo_map.c1.name} — ")
    header = list(rows[1])
    assert header[:5] == ["Mã hộ", "Chủ hộ", "Giới tính chủ hộ", "Ngày sinh chủ hộ", "Số định danh chủ hộ"]
    body = [row for row in rows[2:] if any(value is not None for value in row)]
    assert [row[0] for row in body] == ["A1", "B2", "C3"]
    assert [row[1] for row in body] == ["Chủ hộ A1", "Chủ hộ B2", "Chủ hộ C3"]
    assert {row[4] for row in body} == {CITIZEN_ID}
    village = header.index("Thôn, tổ dân phố")
    assert [row[village] for row in body] == [geo_map.v1.name, geo_map.v1b.name, None]


def test_an_agency_viewer_gets_no_citizen_ids(
    geo_map: Map, django_capture_on_commit_callbacks: Capture
) -> None:
    _households(geo_map)
    viewer = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.c1.pk}, actor=viewer)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    rows = _sheet(job)
    assert "Số định danh chủ hộ" not in rows[1]
    assert not any(CITIZEN_ID in str(value) for row in rows for value in row)


def test_a_commune_outside_the_territory_is_refused_when_asked(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    with pytest.raises(PermissionDenied, match=r"^Xã này không thuộc địa bàn của bạn\.$"):
        job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.d1.pk}, actor=officer)
    with pytest.raises(ValidationError) as error:
        job_submit(kind=HOUSEHOLD_LIST_XLSX, params={}, actor=officer)
    assert error.value.messages == ["Hãy chọn một xã."]
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)
    with pytest.raises(PermissionDenied, match="Lãnh đạo"):
        job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.c1.pk}, actor=leader)
    assert not Job.objects.exists()


def test_the_territory_is_checked_again_when_the_job_runs(geo_map: Map, settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    _households(geo_map)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    job = job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.c1.pk}, actor=officer)
    UserScope.objects.filter(user=officer).delete()  # moved to another post before the job ran
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Không xuất được danh sách hộ: Xã này không thuộc địa bàn của bạn."
    assert job.result_file == ""


def test_progress_moves_with_each_chunk(
    geo_map: Map, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JOBS_WORKER = "external"
    for number in range(5):
        household_factory(commune=geo_map.c1, code=f"H{number}")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    job = job_submit(kind=HOUSEHOLD_LIST_XLSX, params={"commune": geo_map.c1.pk}, actor=officer)
    monkeypatch.setattr(job_kinds, "CHUNK", 2)
    seen: list[tuple[int, str]] = []

    def watching(*args: Any, **kwargs: Any) -> bytes:
        rows = args[1]

        def rows_seen() -> Any:
            for row in rows:
                yield row
                stored = Job.objects.get(pk=job.pk)
                seen.append((stored.progress, stored.step))

        return list_xlsx(args[0], rows_seen(), **kwargs)

    monkeypatch.setattr(job_kinds, "list_xlsx", watching)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    # Read back from the database after each row: the bar moves every 2 households (5 % → 90 %).
    assert seen == [
        (5, "Đang đọc 5 hộ"),
        (5, "Đang đọc 5 hộ"),
        (39, "Đã đọc 2/5 hộ"),
        (39, "Đã đọc 2/5 hộ"),
        (73, "Đã đọc 4/5 hộ"),
    ]
