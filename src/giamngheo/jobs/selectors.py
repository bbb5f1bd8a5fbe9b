"""Reads for background jobs. A job belongs to the user who asked for it, not to a territory: a user sees
their own jobs; a system administrator (or superuser) sees everyone's, to help. Only the owner may
download the result (it was made with the owner's rights), whoever else may see the job."""

from __future__ import annotations

from django.db.models import QuerySet

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer, sees_everything
from giamngheo.jobs.models import Job


def _signed_in(viewer: Viewer) -> User | None:
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.is_active:
        return viewer
    return None


def jobs_visible_to(viewer: Viewer) -> QuerySet[Job]:
    """The viewer's own jobs; every job for a system administrator; none for anyone else."""
    user = _signed_in(viewer)
    if user is None:
        return Job.objects.none()
    jobs = Job.objects.select_related("owner")
    return jobs if sees_everything(user) else jobs.filter(owner=user)


def job_list(*, viewer: Viewer) -> QuerySet[Job]:
    """The jobs page (công việc của tôi): visible jobs, newest first."""
    return jobs_visible_to(viewer).order_by("-created_at", "-pk")


def job_for_download(*, viewer: Viewer, pk: int) -> Job | None:
    """The owner's finished job ``pk`` with a result file, or ``None`` (anyone else, or nothing to get)."""
    user = _signed_in(viewer)
    if user is None:
        return None
    return Job.objects.filter(pk=pk, owner=user).exclude(result_file="").first()
