"""``manage.py jobs_worker``: run background jobs in this process until stopped (a server's worker)."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from giamngheo.jobs.worker import JobWorker


class Command(BaseCommand):
    help = (
        "Run queued background jobs (giamngheo.jobs) until SIGTERM or Ctrl+C; the job in hand is finished "
        "first. Run one or more beside the web server, with GIAMNGHEO_JOBS_WORKER=external there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between two looks at the queue (default 1)"
        )
        parser.add_argument(
            "--once", action="store_true", help="run the jobs that are ready, then exit (cron, tests)"
        )

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        worker = JobWorker(interval=interval)
        if once:
            worker.run_once()
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.strsignal(signum)}: stopping after the job in hand")
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.run()
