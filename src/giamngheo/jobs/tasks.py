"""The one queue task: run a job. The queue (``django_tasks_db``) only carries the job's id to a worker;
the job's state, progress and result live on ``jobs.Job``.

On Django 6 the import becomes ``from django.tasks import task``.
"""

from __future__ import annotations

from django_tasks import task

from giamngheo.jobs.runner import job_run


@task()
def run_job(job_id: int) -> None:
    job_run(job_id=job_id)
