"""Submitting jobs and running them inline: done with a file, progress persisted, failures in Vietnamese,
refusals before anything is written, interrupted jobs queued again."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.jobs.models import Job, JobsAuditAction, JobStatus
from giamngheo.jobs.runner import job_run
from giamngheo.jobs.services import (
    MAX_ACTIVE_PER_USER,
    JobSuperseded,
    job_claim,
    job_complete,
    job_progress_set,
    job_submit,
    jobs_requeue_stale,
)
from giamngheo.jobs.storage import StoredResult, result_path
from tests.accounts.factories import user_factory
from tests.jobs import sample_kinds

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _audit(job: Job) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="jobs.job", target_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_submit_runs_to_done_with_the_file(django_capture_on_commit_callbacks: Capture) -> None:
    owner = user_factory(role=Role.COMMUNE_OFFICER, username="canbo")
    sample_kinds.seen_in_database.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=sample_kinds.ECHO, params={"n": 3}, actor=owner)
    job.refresh_from_db()
    assert (job.status, job.progress, job.step, job.error) == (JobStatus.DONE, 100, "Hoàn thành", "")
    assert job.title == "Thử 3"
    assert (job.result_name, job.result_type, job.attempts) == ("ket-qua.json", "application/json", 1)
    assert job.started_at is not None and job.finished_at is not None and job.finished_at >= job.started_at
    path = result_path(job.result_file)
    assert path is not None and path.parent.name == "jobs"
    assert json.loads(path.read_text()) == {"params": {"n": 3}, "owner": "canbo"}
    assert job.result_size == path.stat().st_size
    assert _audit(job) == [JobsAuditAction.JOB_SUBMITTED, JobsAuditAction.JOB_DONE]
    submitted = AuditEvent.objects.get(target_id=str(job.pk), action=JobsAuditAction.JOB_SUBMITTED)
    assert submitted.actor == owner
    assert submitted.after == {"kind": "tests.echo", "title": "Thử 3", "params": {"n": 3}}


def test_progress_is_written_to_the_database_as_the_job_goes(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    owner = user_factory()
    sample_kinds.seen_in_database.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    assert sample_kinds.seen_in_database == [(30, "Bước 1"), (60, "Bước 2")]


def test_a_job_fails_with_the_vietnamese_message_of_the_kind(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    owner = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=sample_kinds.REFUSED, params={}, actor=owner)
    job.refresh_from_db()
    assert (job.status, job.error, job.result_file) == (JobStatus.FAILED, "Không đủ số liệu để lập biểu.", "")
    assert job.progress == 10  # where it stopped
    assert _audit(job) == [JobsAuditAction.JOB_SUBMITTED, JobsAuditAction.JOB_FAILED]


def test_an_unexpected_error_is_a_generic_vietnamese_message_without_the_details(
    django_capture_on_commit_callbacks: Capture, caplog: pytest.LogCaptureFixture
) -> None:
    owner = user_factory()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(kind=sample_kinds.CRASH, params={}, actor=owner)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "Đã có lỗi trong khi chạy công việc này. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị hệ thống "
        f"(mã công việc {job.pk})."
    )
    assert "boom" not in job.error
    assert "boom: internal detail" in caplog.text  # the operators read it in the log


def test_the_owner_blocked_after_submitting_fails_the_job(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    owner = user_factory()
    job = job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    User.objects.filter(pk=owner.pk).update(is_active=False)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "Tài khoản yêu cầu công việc này đã bị khóa.")


def test_external_mode_queues_a_task_and_runs_nothing(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    job = job_submit(kind=sample_kinds.ECHO, params={"n": 1}, actor=user_factory())
    job.refresh_from_db()
    assert (job.status, job.progress, job.step) == (JobStatus.QUEUED, 0, "Đang chờ đến lượt")
    task = DBTaskResult.objects.get(id=job.task_id)
    assert (task.task_path, task.status, task.args_kwargs) == (
        "giamngheo.jobs.tasks.run_job",
        "READY",
        {"args": [job.pk], "kwargs": {}},
    )


def test_an_unknown_kind_is_refused_and_nothing_is_written() -> None:
    with pytest.raises(ValidationError) as error:
        job_submit(kind="khong.co", params={}, actor=user_factory())
    assert error.value.messages == ["Loại công việc “khong.co” không tồn tại."]
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(target_type="jobs.job").exists()


def test_parameters_must_be_json() -> None:
    with pytest.raises(ValidationError) as error:
        job_submit(kind=sample_kinds.ECHO, params={"x": object()}, actor=user_factory())
    assert error.value.messages == ["Tham số của công việc không hợp lệ."]
    assert not Job.objects.exists()


def test_an_inactive_user_cannot_submit() -> None:
    with pytest.raises(PermissionDenied, match="đang hoạt động"):
        job_submit(kind=sample_kinds.ECHO, params={}, actor=user_factory(is_active=False))
    assert not Job.objects.exists()


def test_at_most_five_unfinished_jobs_per_user(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    owner = user_factory()
    for _ in range(MAX_ACTIVE_PER_USER):
        job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    with pytest.raises(ValidationError) as error:
        job_submit(kind=sample_kinds.ECHO, params={}, actor=owner)
    assert error.value.messages == ["Bạn đang có 5 công việc chưa xong; hãy chờ chúng xong rồi yêu cầu thêm."]
    job_submit(kind=sample_kinds.ECHO, params={}, actor=user_factory())  # another user is not counted
    assert Job.objects.count() == MAX_ACTIVE_PER_USER + 1


def test_an_interrupted_job_is_queued_again_once_then_failed(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    job = job_submit(kind=sample_kinds.ECHO, params={}, actor=user_factory())
    first_task = job.task_id
    claimed = job_claim(job_id=job.pk)
    assert claimed is not None and claimed.attempts == 1
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)

    assert jobs_requeue_stale(older_than=datetime.timedelta(minutes=3)) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.step) == (
        JobStatus.QUEUED,
        0,
        "Đang chờ chạy lại sau khi bị gián đoạn",
    )
    assert job.task_id != first_task
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"

    # The first run wakes up late: it owns the job no more.
    with pytest.raises(JobSuperseded):
        job_progress_set(job=claimed, percent=80, step="Bước cũ")
    stale_file = StoredResult(name="cu.json", size=0)
    assert job_complete(job=claimed, result=stale_file, filename="cu.json", content_type="x") is False

    again = job_claim(job_id=job.pk)
    assert again is not None and again.attempts == 2
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    assert jobs_requeue_stale(older_than=datetime.timedelta(minutes=3)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == (
        "Công việc bị gián đoạn 2 lần (máy chủ khởi động lại hoặc dừng giữa chừng). Vui lòng yêu cầu lại."
    )
    assert _audit(job) == [
        JobsAuditAction.JOB_SUBMITTED,
        JobsAuditAction.JOB_REQUEUED,
        JobsAuditAction.JOB_FAILED,
    ]


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    job = job_submit(kind=sample_kinds.ECHO, params={}, actor=user_factory())
    job_claim(job_id=job.pk)
    assert jobs_requeue_stale(older_than=datetime.timedelta(minutes=3)) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_job_is_run_once_only(settings: SettingsWrapper) -> None:
    settings.JOBS_WORKER = "external"
    job = job_submit(kind=sample_kinds.ECHO, params={}, actor=user_factory())
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)  # a second delivery of the same queue row finds nothing to do
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
