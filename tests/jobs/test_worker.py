"""The real worker: a thread that takes jobs queued before it started, with progress seen from another
connection while the job runs; the ``jobs_worker`` command; when ``runserver`` starts the thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import SettingsWrapper

from giamngheo.jobs import worker
from giamngheo.jobs.models import Job, JobStatus
from giamngheo.jobs.services import job_submit
from giamngheo.jobs.storage import result_path
from tests.accounts.factories import user_factory
from tests.jobs import sample_kinds


def _wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Poll ``condition``; the tests' shared in-memory SQLite answers "locked" while the worker writes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OperationalError as error:
            if "locked" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _worker_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("giamngheo-job")]


@pytest.fixture
def external(settings: SettingsWrapper) -> Iterator[None]:
    settings.JOBS_WORKER = "external"
    sample_kinds.gate.clear()
    yield
    sample_kinds.gate.set()  # never leave a gated job waiting
    worker.stop_worker_thread()
    assert _worker_threads() == []


@pytest.mark.django_db(transaction=True)
def test_the_thread_runs_jobs_queued_before_it_started(external: None) -> None:
    owner = user_factory()
    first = job_submit(kind=sample_kinds.ECHO, params={"n": 1}, actor=owner)
    gated = job_submit(kind=sample_kinds.GATE, params={}, actor=owner)
    assert list(Job.objects.order_by("pk").values_list("status", flat=True)) == ["queued", "queued"]
    assert _worker_threads() == []  # nothing ran them: the page was closed, the server restarted…

    worker.start_worker_thread(interval=0.1)
    assert worker.start_worker_thread(interval=0.1) is worker.start_worker_thread()  # one per process
    _wait_for(lambda: Job.objects.get(pk=first.pk).status == JobStatus.DONE)

    # The gated job waits half-way; this thread (its own database connection) sees its progress.
    _wait_for(lambda: Job.objects.get(pk=gated.pk).progress == 50)
    _wait_for(lambda: Job.objects.get(pk=gated.pk).step == "Đang chờ tín hiệu")
    assert Job.objects.get(pk=gated.pk).status == JobStatus.RUNNING  # the worker is waiting: no writer now
    sample_kinds.gate.set()
    _wait_for(lambda: Job.objects.get(pk=gated.pk).status == JobStatus.DONE)

    done = Job.objects.get(pk=gated.pk)
    path = result_path(done.result_file)
    assert path is not None and path.read_bytes() == b"xong"
    assert done.progress == 100
    _wait_for(lambda: set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"})

    worker.stop_worker_thread()
    assert _worker_threads() == []


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_the_ready_jobs_once(external: None) -> None:
    owner = user_factory()
    jobs = [job_submit(kind=sample_kinds.ECHO, params={"n": n}, actor=owner) for n in range(3)]
    call_command("jobs_worker", "--once")
    assert [Job.objects.get(pk=job.pk).status for job in jobs] == [JobStatus.DONE] * 3
    assert _worker_threads() == []


@pytest.mark.parametrize(
    ("argv", "run_main", "serves"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], "true", True),  # the autoreloader's child
        (["manage.py", "runserver", "127.0.0.1:8000"], None, False),  # its parent only watches files
        (["manage.py", "runserver", "--noreload"], None, True),
        (["manage.py", "migrate"], "true", False),
        (["pytest", "tests/jobs"], None, False),
        (["gunicorn", "giamngheo.site.wsgi"], None, False),
    ],
)
def test_which_process_starts_the_thread(
    argv: list[str], run_main: str | None, serves: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if run_main is None:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    else:
        monkeypatch.setenv("RUN_MAIN", run_main)
    assert worker.serving_with_runserver(argv) is serves
