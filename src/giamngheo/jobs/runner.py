"""Running one job: claim it, call its kind with a progress reporter, store the file, finish or fail.

Called by the queue's task (``jobs.tasks.run_job``, in the worker thread or ``manage.py jobs_worker``) or,
in ``inline`` mode, right after the submitting transaction commits. Never raises: whatever goes wrong
ends as a failed job with a Vietnamese message, and a log line in English for the operators.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from giamngheo.jobs.kinds import JobError, JobOutput, kind_for
from giamngheo.jobs.models import Job
from giamngheo.jobs.services import (
    JobSuperseded,
    job_claim,
    job_complete,
    job_fail,
    job_heartbeat,
    job_progress_set,
    worker_mode,
)
from giamngheo.jobs.storage import store_output

log = logging.getLogger(__name__)

HEARTBEAT_EVERY: Final = 30.0  # seconds; well under ``worker.STALE_AFTER``


def _reason(error: Exception) -> str:
    """The message a user reads for an expected failure (a Vietnamese message raised by the kind)."""
    if isinstance(error, JobError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or _("Bạn không có quyền thực hiện công việc này.")


class _Progress:
    """The ``progress(percent, step)`` handed to a kind: writes only what changed."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, percent: int, step: str) -> None:
        if (int(percent), str(step)) == (self.job.progress, self.job.step):
            return
        job_progress_set(job=self.job, percent=percent, step=step)


class _Heartbeat:
    """While a job runs in a worker, a side thread says every ``HEARTBEAT_EVERY`` seconds that it is alive,
    so a job that reports no progress for a long step is not taken for interrupted."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"giamngheo-job-{job.pk}-heartbeat", daemon=True
        )
        self._thread.start()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_EVERY):
                try:
                    if not job_heartbeat(job=self.job):
                        return
                except Exception:
                    log.warning("job %s: heartbeat not written", self.job.pk, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def job_run(*, job_id: int) -> None:
    """Run the queued job ``job_id`` to its end (done or failed); nothing if it is not queued."""
    job = job_claim(job_id=job_id)
    if job is None:
        log.info("job %s: not queued, nothing to run", job_id)
        return
    started = time.monotonic()
    heartbeat = _Heartbeat(job) if worker_mode() != "inline" else None
    try:
        _run_claimed(job)
    finally:
        if heartbeat is not None:
            heartbeat.stop()
    log.info("job %s (%s) ended in %.1f s", job_id, job.kind, time.monotonic() - started)


def _run_claimed(job: Job) -> None:
    job_id = job.pk
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if not job.owner.is_active:
                raise JobError(_("Tài khoản yêu cầu công việc này đã bị khóa."))
            kind = kind_for(job.kind)
            output = kind.run(dict(job.params), _Progress(job), owner=job.owner)
            if not isinstance(output, JobOutput):
                raise TypeError(f"job kind {job.kind!r} returned {type(output).__name__}, not JobOutput")
            stored = store_output(job.pk, output)
        except JobSuperseded:
            log.warning("job %s: this run was superseded (queued again or failed meanwhile); stopped", job_id)
            return
        except (JobError, PermissionDenied, ValidationError) as error:
            log.info("job %s (%s) refused: %s", job_id, job.kind, error)
            job_fail(job=job, message=_reason(error))
            return
        except Exception:
            log.exception("job %s (%s) failed", job_id, job.kind)
            job_fail(
                job=job,
                message=_(
                    "Đã có lỗi trong khi chạy công việc này. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị "
                    "hệ thống (mã công việc {id})."
                ).format(id=job.pk),
            )
            return
        job_complete(job=job, result=stored, filename=output.filename, content_type=output.content_type)
