"""Job kinds for the tests (registered when this module is imported; names start with ``tests.``)."""

from __future__ import annotations

import json
import threading
from typing import Any

from giamngheo.accounts.models import User
from giamngheo.jobs.kinds import JobError, JobOutput, Progress, job_kind
from giamngheo.jobs.models import Job, JobStatus

ECHO = "tests.echo"
REFUSED = "tests.refused"
CRASH = "tests.crash"
GATE = "tests.gate"

# What the echo job read back from the database after each progress call: (progress, step).
seen_in_database: list[tuple[int, str]] = []
# The gate job waits for this before finishing (the real-worker test opens it).
gate = threading.Event()


def _running() -> tuple[int, str]:
    job = Job.objects.get(kind=ECHO, status=JobStatus.RUNNING)
    return job.progress, job.step


def _no_title_check(params: dict[str, Any], actor: User) -> str:
    if params.get("forbidden"):
        raise JobError("không dùng")  # never reached: prepare refusals are PermissionDenied/ValidationError
    return f"Thử {params.get('n', 0)}"


@job_kind(ECHO, label="Công việc thử", prepare=_no_title_check)
def echo(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    progress(30, "Bước 1")
    seen_in_database.append(_running())
    progress(60, "Bước 2")
    seen_in_database.append(_running())
    body = json.dumps({"params": params, "owner": owner.username}, ensure_ascii=False).encode()
    return JobOutput("ket-qua.json", "application/json", body)


@job_kind(REFUSED, label="Công việc bị từ chối")
def refused(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    progress(10, "Đang kiểm tra số liệu")
    raise JobError("Không đủ số liệu để lập biểu.")


@job_kind(CRASH, label="Công việc hỏng")
def crash(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    raise RuntimeError("boom: internal detail")


@job_kind(GATE, label="Công việc chờ")
def gated(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    progress(50, "Đang chờ tín hiệu")
    if not gate.wait(20):
        raise JobError("Hết thời gian chờ.")
    return JobOutput("cho.txt", "text/plain", b"xong")
