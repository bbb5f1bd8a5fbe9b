"""The jobs pages: own jobs only (an administrator sees all), the polled progress bar, owner-only
downloads, failures in Vietnamese, and starting a job from a page."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import Role, User
from giamngheo.jobs.job_kinds import HOUSEHOLD_LIST_XLSX
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.jobs.services import job_submit
from tests.accounts.conftest import Map
from tests.accounts.factories import admin_factory, scoped_user_factory, user_factory
from tests.jobs import sample_kinds
from tests.registry.factories import household_factory

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _done_job(owner: User, capture: Capture) -> Job:
    with capture(execute=True):
        job = job_submit(kind=sample_kinds.ECHO, params={"n": 7}, actor=owner)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def test_the_list_shows_only_my_jobs_and_an_administrator_sees_all(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    mine, theirs = user_factory(username="toi"), user_factory(username="nguoikhac", full_name="Trần Văn Khác")
    _done_job(mine, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        job_submit(kind=sample_kinds.REFUSED, params={}, actor=theirs)

    page = _client(mine).get(reverse("jobs:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thử 7" in html and "Công việc bị từ chối" not in html
    assert "Công việc của tôi" in html and "Người yêu cầu" not in html

    page = _client(admin_factory()).get(reverse("jobs:list"))
    html = page.content.decode()
    assert "Thử 7" in html and "Công việc bị từ chối" in html and "Trần Văn Khác" in html


def test_the_list_asks_again_while_a_job_is_unfinished(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    owner = user_factory()
    job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    html = _client(owner).get(reverse("jobs:list")).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Đang chờ" in html


def test_a_running_job_page_polls_every_second_and_the_fragment_too(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    owner = user_factory()
    job = job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=42, step="Đang đọc 420/1.000 hộ")
    client = _client(owner)

    page = client.get(reverse("jobs:detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<html" in html and 'hx-trigger="every 1s"' in html
    assert 'value="42"' in html and "42 %" in html and "Đang đọc 420/1.000 hộ" in html
    assert "bạn có thể đóng trang này" in html

    fragment = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="job-progress"')
    assert 'hx-trigger="every 1s"' in html


def test_a_done_job_stops_polling_and_offers_the_download(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    owner = user_factory()
    job = _done_job(owner, django_capture_on_commit_callbacks)
    client = _client(owner)
    html = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html
    assert 'value="100"' in html and "Hoàn thành" in html
    assert reverse("jobs:download", args=[job.pk]) in html and "Tải về ket-qua.json" in html

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="ket-qua.json"'
    assert json.loads(b"".join(download.streaming_content)) == {  # type: ignore[attr-defined]
        "params": {"n": 7},
        "owner": owner.username,
    }


def test_only_the_owner_opens_or_downloads(django_capture_on_commit_callbacks: Capture) -> None:
    job = _done_job(user_factory(), django_capture_on_commit_callbacks)
    other = _client(user_factory())
    assert other.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    admin = _client(admin_factory())
    page = admin.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    assert "Chỉ người yêu cầu công việc mới tải được tệp kết quả." in page.content.decode()
    assert admin.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    anonymous = Client().get(reverse("jobs:download", args=[job.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_a_failed_job_shows_the_vietnamese_reason(django_capture_on_commit_callbacks: Capture) -> None:
    owner = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=sample_kinds.REFUSED, params={}, actor=owner)
    client = _client(owner)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Bị lỗi" in html and "Không đủ số liệu để lập biểu." in html
    assert "hx-trigger" not in html
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_start_button_submits_and_redirects_to_the_job(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    owner = user_factory()
    client = _client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:start"), {"kind": sample_kinds.ECHO, "params": '{"n": 5}'})
    job = Job.objects.get(owner=owner)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.title, job.params) == ("Thử 5", {"n": 5})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("jobs:start"), {"kind": sample_kinds.ECHO, "params": "{}"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/cong-viec/")


def test_the_start_button_refuses_bad_input_in_vietnamese() -> None:
    client = _client(user_factory())
    response = client.post(reverse("jobs:start"), {"kind": sample_kinds.ECHO, "params": "[1, 2"})
    assert response.status_code == 400
    assert "Tham số của công việc không hợp lệ." in response.content.decode()
    response = client.post(reverse("jobs:start"), {"kind": "khong.co", "params": "{}"})
    assert response.status_code == 400
    assert "Loại công việc “khong.co” không tồn tại." in response.content.decode()
    assert client.get(reverse("jobs:start")).status_code == 405
    assert not Job.objects.exists()


def test_the_template_tag_renders_the_start_form() -> None:
    from django.template import Context, Template

    html = Template('{% load jobs %}{% job_start_button "tests.echo" params label="Xuất thử" %}').render(
        Context({"params": {"n": 2}, "csrf_token": "abc"})
    )
    assert 'action="/cong-viec/bat-dau/"' in html
    assert 'name="kind" value="tests.echo"' in html
    assert 'name="params" value="{&quot;n&quot;: 2}"' in html
    assert "Xuất thử" in html


def test_the_demo_export_from_the_jobs_page(
    geo_map: Map, django_capture_on_commit_callbacks: Capture
) -> None:
    household_factory(commune=geo_map.c1, code="A1")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    client = _client(officer)
    html = client.get(reverse("jobs:list")).content.decode()
    assert "Xuất danh sách hộ của một xã (Excel)" in html
    assert f'<option value="{geo_map.c1.pk}">' in html and f'<option value="{geo_map.d1.pk}">' not in html

    response = client.post(reverse("jobs:household_export"), {"commune": geo_map.d1.pk})
    assert response.status_code == 400
    assert "Xã này không thuộc địa bàn của bạn." in response.content.decode()
    assert not Job.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:household_export"), {"commune": geo_map.c1.pk})
    job = Job.objects.get(owner=officer)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.kind, job.status) == (HOUSEHOLD_LIST_XLSX, JobStatus.DONE)


def test_a_leader_is_offered_no_export_and_refused_with_the_reason(geo_map: Map) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)
    client = _client(leader)
    assert "Xuất danh sách hộ của một xã" not in client.get(reverse("jobs:list")).content.decode()
    response = client.post(reverse("jobs:household_export"), {"commune": geo_map.c1.pk})
    assert response.status_code == 403
    assert "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp" in response.content.decode()
