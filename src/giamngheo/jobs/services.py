"""Writes for background jobs: submitting one (by a user) and the worker's bookkeeping (by the system).

``job_submit`` is what other contexts call. The rest is called by ``jobs.runner`` and ``jobs.worker``:
claiming a queued job, recording progress, finishing or failing it, and queueing again the jobs that a
restart interrupted. Each write that changes the outcome of a job leaves an audit row (``actor=None``
for the system); progress updates do not (they would be most of the audit log).
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Callable, Mapping
from functools import partial, wraps
from typing import Any, Final, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.services import audit_record
from giamngheo.jobs.kinds import kind_for
from giamngheo.jobs.models import ACTIVE_STATUSES, Job, JobsAuditAction, JobStatus
from giamngheo.jobs.storage import StoredResult, remove_result

log = logging.getLogger(__name__)

MAX_ACTIVE_PER_USER: Final = 5
MAX_ATTEMPTS: Final = 2
WORKER_MODES: Final = ("thread", "external", "inline")


P = ParamSpec("P")
T = TypeVar("T")


def retry_when_locked(function: Callable[P, T]) -> Callable[P, T]:
    """Try the worker's small writes again when SQLite answers "locked" (a reader or writer of another
    connection holds the table: rare on a file with WAL, frequent on the tests' shared in-memory database).
    Only outside a transaction: inside one, the error belongs to the caller."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(8):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if "locked" not in str(error) or transaction.get_connection().in_atomic_block or attempt == 7:
                    raise
                time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


class JobSuperseded(Exception):
    """This run of the job no longer owns it (it was queued again or failed meanwhile): stop quietly."""


def worker_mode() -> str:
    """``settings.JOBS_WORKER``: ``thread`` (default), ``external`` or ``inline``."""
    mode = str(getattr(settings, "JOBS_WORKER", "thread"))
    if mode not in WORKER_MODES:
        raise ValueError(f"JOBS_WORKER must be one of {WORKER_MODES}, not {mode!r}")
    return mode


def _json_params(params: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(params, Mapping):
        raise ValidationError(_("Tham số của công việc phải là một bảng tên → giá trị."), code="params")
    try:
        loaded = json.loads(json.dumps(dict(params), cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Tham số của công việc không hợp lệ."), code="params") from error
    assert isinstance(loaded, dict)
    return loaded


def _dispatch(job: Job) -> None:
    """Hand the job to whoever runs it: the queue table (in this transaction, so a committed job always
    has its queue row), or, in ``inline`` mode, this process right after the commit."""
    if worker_mode() == "inline":
        from giamngheo.jobs.runner import job_run  # the runner imports these services

        transaction.on_commit(partial(job_run, job_id=job.pk))
        return
    from giamngheo.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


@transaction.atomic(durable=True)
def job_submit(*, kind: str, params: Mapping[str, Any], actor: User) -> Job:
    """Queue a background job (công việc chạy nền) of ``kind`` with ``params`` for ``actor``.

    The kind's ``prepare`` checks the parameters and the actor's right to them and gives the title;
    its refusal (``ValidationError`` / ``PermissionDenied``, in Vietnamese) is raised as is, and nothing
    is written. A user may have at most ``MAX_ACTIVE_PER_USER`` jobs queued or running. The job runs
    later, as ``actor`` (the kind checks the territory again then); see ``settings.JOBS_WORKER``.
    """
    if not isinstance(actor, User) or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Hãy đăng nhập bằng một tài khoản đang hoạt động để chạy công việc."))
    job_kind = kind_for(kind)
    clean_params = _json_params(params)
    title = job_kind.title(clean_params, actor)
    active = Job.objects.filter(owner=actor, status__in=ACTIVE_STATUSES).count()
    if active >= MAX_ACTIVE_PER_USER:
        raise ValidationError(
            _("Bạn đang có {count} công việc chưa xong; hãy chờ chúng xong rồi yêu cầu thêm.").format(
                count=active
            ),
            code="too_many",
        )
    job = Job(
        owner=actor,
        kind=kind,
        title=title[:300],
        params=clean_params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        step=_("Đang chờ đến lượt"),
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=actor,
        action=JobsAuditAction.JOB_SUBMITTED,
        target=job,
        before=None,
        after={"kind": kind, "title": job.title, "params": clean_params},
    )
    _dispatch(job)
    return job


@retry_when_locked
@transaction.atomic(durable=True)
def job_claim(*, job_id: int) -> Job | None:
    """Mark a queued job as running (one more attempt) and return it; ``None`` if it is not queued (done,
    failed, already taken by another run, or gone)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        step=_("Đang bắt đầu"),
    )
    if not claimed:
        return None
    return Job.objects.select_related("owner").get(pk=job_id)


@retry_when_locked
def job_progress_set(*, job: Job, percent: int, step: str) -> None:
    """Record how far a running job is (0-100, clamped) and what it is doing.

    Not audited and not durable: one small ``UPDATE``, visible to other page loads once committed (call
    it outside any transaction). Raises ``JobSuperseded`` when this run no longer owns the job.
    """
    percent = max(0, min(100, int(percent)))
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        progress=percent, step=str(step)[:300], heartbeat_at=timezone.now()
    )
    if not updated:
        raise JobSuperseded(job.pk)
    job.progress, job.step = percent, str(step)[:300]


@retry_when_locked
def job_heartbeat(*, job: Job) -> bool:
    """Say that this run of ``job`` is alive (``heartbeat_at``); ``False`` if it no longer owns the job."""
    return bool(
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            heartbeat_at=timezone.now()
        )
    )


@retry_when_locked
@transaction.atomic(durable=True)
def job_complete(*, job: Job, result: StoredResult, filename: str, content_type: str) -> bool:
    """Finish a running job with its result file; ``False`` (and the file removed) if this run no longer
    owns the job."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.DONE,
        progress=100,
        step=_("Hoàn thành"),
        result_name=filename[:255],
        result_type=content_type[:150],
        result_file=result.name,
        result_size=result.size,
        finished_at=now,
        heartbeat_at=now,
    )
    if not updated:
        transaction.on_commit(partial(remove_result, result.name))
        return False
    job.refresh_from_db()
    audit_record(
        actor=None,
        action=JobsAuditAction.JOB_DONE,
        target=job,
        before={"status": JobStatus.RUNNING},
        after={"status": JobStatus.DONE, "file": job.result_name, "size": job.result_size},
    )
    return True


@retry_when_locked
@transaction.atomic(durable=True)
def job_fail(*, job: Job, message: str) -> bool:
    """Fail a running job with ``message`` (Vietnamese, shown to the user); ``False`` if this run no
    longer owns the job."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=JobStatus.FAILED, error=message, step="", finished_at=now, heartbeat_at=now
    )
    if not updated:
        return False
    job.refresh_from_db()
    audit_record(
        actor=None,
        action=JobsAuditAction.JOB_FAILED,
        target=job,
        before={"status": JobStatus.RUNNING},
        after={"status": JobStatus.FAILED, "error": message},
    )
    return True


@retry_when_locked
@transaction.atomic(durable=True)
def _job_requeue_or_fail(*, job_id: int, cutoff: datetime.datetime) -> str | None:
    job = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).first()
    if job is None:
        return None
    if job.attempts >= MAX_ATTEMPTS:
        message = _(
            "Công việc bị gián đoạn {count} lần (máy chủ khởi động lại hoặc dừng giữa chừng). "
            "Vui lòng yêu cầu lại."
        ).format(count=job.attempts)
        job_fields = {"status": JobStatus.FAILED, "error": message, "step": "", "finished_at": timezone.now()}
        action = JobsAuditAction.JOB_FAILED
    else:
        job_fields = {
            "status": JobStatus.QUEUED,
            "progress": 0,
            "step": _("Đang chờ chạy lại sau khi bị gián đoạn"),
        }
        action = JobsAuditAction.JOB_REQUEUED
    for name, value in job_fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(job_fields))
    audit_record(
        actor=None,
        action=action,
        target=job,
        before={"status": JobStatus.RUNNING, "attempts": job.attempts},
        after={"status": job.status},
    )
    if job.status == JobStatus.QUEUED:
        _dispatch(job)
    return str(job.status)


def jobs_requeue_stale(*, older_than: datetime.timedelta) -> int:
    """Jobs left ``running`` with no progress for ``older_than`` (their worker stopped: a restart, a
    crash) are queued again, or failed with a Vietnamese message after ``MAX_ATTEMPTS`` runs. Returns how
    many were touched. Each job is its own transaction."""
    cutoff = timezone.now() - older_than
    stale = list(
        Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).values_list("pk", flat=True)
    )
    touched = 0
    for job_id in stale:
        outcome = _job_requeue_or_fail(job_id=job_id, cutoff=cutoff)
        if outcome is not None:
            touched += 1
            log.warning("job %s was interrupted: now %s", job_id, outcome)
    return touched
