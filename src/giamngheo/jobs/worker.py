"""The worker: takes queued jobs from the queue table and runs them, one at a time.

:class:`JobWorker` wraps django-tasks-db's worker (which claims a queue row safely on SQLite and on
PostgreSQL) and adds what the jobs need: every minute it queues again the jobs whose worker stopped
(``services.jobs_requeue_stale``). It runs

- in a thread of ``manage.py runserver`` when ``settings.JOBS_WORKER == "thread"`` (the default), started
  by ``JobsConfig.ready`` in the process that serves (the autoreloader's child): ``make run`` needs no
  second process, and jobs queued before a restart run as soon as the server is back;
- as its own process on a server: ``python manage.py jobs_worker`` (one or more, beside gunicorn).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from typing import Final

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Worker

from giamngheo.jobs.services import jobs_requeue_stale

log = logging.getLogger(__name__)

STALE_AFTER: Final = datetime.timedelta(minutes=3)  # no heartbeat for that long: the job's worker stopped
SWEEP_EVERY: Final = 60.0  # seconds between two looks for interrupted jobs
ERROR_PAUSE: Final = 10.0  # seconds to wait after the database failed (e.g. migrations not applied yet)


def stale_after() -> datetime.timedelta:
    value = getattr(settings, "JOBS_STALE_AFTER", STALE_AFTER)
    return value if isinstance(value, datetime.timedelta) else datetime.timedelta(seconds=float(value))


class JobWorker:
    """Runs queued jobs until :meth:`stop`: polls the queue every ``interval`` seconds."""

    def __init__(
        self, *, interval: float = 1.0, worker_id: str = "", sweep_every: float = SWEEP_EVERY
    ) -> None:
        self.interval = interval
        self.sweep_every = sweep_every
        self.worker_id = (worker_id or f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}")[:64]
        self._stopping = threading.Event()
        self._inner = self._library_worker()
        # In batch mode the library says "starting" and "no more tasks" at every poll: keep its warnings.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)

    def _library_worker(self) -> Worker:
        # Batch mode: run every ready task, then come back here (to sweep, to stop, to wait).
        return Worker(
            queue_names=["default"],
            excluded_queue_names=[],
            interval=self.interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
        )

    def stop(self) -> None:
        """Finish the job in hand (if any), then return from :meth:`run`."""
        self._stopping.set()
        self._inner.running = False

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run_once(self, *, sweep: bool = True) -> None:
        """Look for interrupted jobs (when ``sweep``), then run every job that is ready."""
        if sweep:
            jobs_requeue_stale(older_than=stale_after())
        self._inner.running = not self.stopping
        self._inner.run()

    def run(self) -> None:
        log.info("job worker %s: started (every %.1f s)", self.worker_id, self.interval)
        next_sweep = 0.0
        try:
            while not self.stopping:
                pause = self.interval
                try:
                    sweep = time.monotonic() >= next_sweep
                    self.run_once(sweep=sweep)
                    if sweep:
                        next_sweep = time.monotonic() + self.sweep_every
                except OperationalError as error:
                    if "locked" not in str(error):  # "locked": SQLite busy with another writer, try again now
                        log.exception("job worker %s: could not read the queue; trying again", self.worker_id)
                        pause = ERROR_PAUSE
                except Exception:
                    log.exception("job worker %s: could not read the queue; trying again", self.worker_id)
                    pause = ERROR_PAUSE
                finally:
                    close_old_connections()
                self._stopping.wait(pause)
        finally:
            connections.close_all()
            log.info("job worker %s: stopped", self.worker_id)


# --- the worker thread of a web process ------------------------------------------------------------

_lock = threading.Lock()
_running: tuple[JobWorker, threading.Thread] | None = None


def _run_when_apps_ready(worker: JobWorker) -> None:
    while not apps.ready and not worker.stopping:  # started from AppConfig.ready: let the others finish
        time.sleep(0.05)
    worker.run()


def start_worker_thread(*, interval: float = 1.0) -> JobWorker:
    """Start the worker thread of this process (once; a second call returns the running worker)."""
    global _running
    with _lock:
        if _running is not None and _running[1].is_alive():
            return _running[0]
        worker = JobWorker(interval=interval)
        thread = threading.Thread(
            target=_run_when_apps_ready, args=(worker,), name="giamngheo-jobs-worker", daemon=True
        )
        thread.start()
        _running = (worker, thread)
        return worker


def stop_worker_thread(*, timeout: float = 30.0) -> None:
    """Stop the worker thread of this process and wait for it (tests; a clean shutdown)."""
    global _running
    with _lock:
        running, _running = _running, None
    if running is not None:
        worker, thread = running
        worker.stop()
        thread.join(timeout)


def serving_with_runserver(argv: Sequence[str]) -> bool:
    """Whether this process is the one of ``manage.py runserver`` that serves requests (under the
    autoreloader the parent process only watches the files; its child, ``RUN_MAIN=true``, serves)."""
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return os.environ.get(DJANGO_AUTORELOAD_ENV) == "true" or "--noreload" in argv
