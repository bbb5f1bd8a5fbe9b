"""Background jobs (công việc chạy nền): a report or an export that runs outside the request.

Models stay thin: every write goes through ``jobs.services`` (submit) and ``jobs.runner`` (the worker's
status and progress writes, through the same services); reads go through ``jobs.selectors``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobsAuditAction(models.TextChoices):
    """Audit actions of the ``jobs`` context (stored in ``accounts.AuditEvent.action``)."""

    JOB_SUBMITTED = "job.submitted", _("Yêu cầu công việc chạy nền")
    JOB_DONE = "job.done", _("Công việc chạy nền hoàn thành")
    JOB_FAILED = "job.failed", _("Công việc chạy nền bị lỗi")
    JOB_REQUEUED = "job.requeued", _("Chạy lại công việc bị gián đoạn")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Bị lỗi")


ACTIVE_STATUSES: frozenset[str] = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


class Job(models.Model):
    """A background job (công việc chạy nền) asked for by one user.

    ``kind`` names a function registered with ``jobs.kinds.job_kind``; ``params`` are its JSON
    parameters. The worker moves the job from ``queued`` to ``running`` and then ``done`` (with a result
    file under ``VAR_DIR/jobs``) or ``failed`` (with ``error``, in Vietnamese). While it runs,
    ``progress`` (0-100) and ``step`` (what it is doing, in Vietnamese) are written to the database, so
    any page load sees them; ``heartbeat_at`` is the time of the last such write. ``attempts`` counts the
    runs: a job interrupted by a restart is queued again once (``jobs.services.jobs_requeue_stale``).
    ``task_id`` is the id of the queue row (``django_tasks_db``) that carries it to the worker.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại công việc"), max_length=100)
    title = models.CharField(_("tên công việc"), max_length=300)
    params = models.JSONField(_("tham số"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(_("ngôn ngữ"), max_length=10, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(_("bước đang làm"), max_length=300, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    result_type = models.CharField(_("kiểu tệp kết quả"), max_length=150, blank=True)
    result_file = models.CharField(_("tệp kết quả (trong thư mục công việc)"), max_length=255, blank=True)
    result_size = models.PositiveBigIntegerField(_("dung lượng tệp kết quả"), default=0)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    task_id = models.CharField(_("mã hàng đợi"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), default=timezone.now)
    started_at = models.DateTimeField(_("thời điểm bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("lần cập nhật tiến độ cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ("-created_at", "-pk")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner", "-created_at"], name="jobs_job_owner_created_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="jobs_job_status_heartbeat_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def is_active(self) -> bool:
        """Queued or running: the page keeps asking for its progress."""
        return self.status in ACTIVE_STATUSES

    @property
    def has_result(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result_file)
