"""The registry of job kinds (loại công việc): what a background job can do.

A job kind is a plain function registered under a stable name with :func:`job_kind`::

    @job_kind("reports.summary_form", label=_("Biểu tổng hợp (Excel)"), prepare=summary_prepare)
    def summary_form(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
        progress(10, _("Đang đọc số liệu"))
        ...
        return JobOutput("bieu-tong-hop.xlsx", XLSX_TYPE, content)

- ``params`` are the JSON parameters given to ``jobs.services.job_submit``;
- ``progress(percent, step)`` records how far it is (0-100) and what it is doing, in Vietnamese; call it
  every few seconds at most and at least every few minutes (a job silent for ``JOBS_STALE_AFTER`` is
  taken for interrupted);
- ``owner`` is the user who asked: read with the selectors *as this user* (``viewer=owner``), so the
  territory and the personal-data rules are checked again when the job runs;
- raise :class:`JobError` (or ``PermissionDenied`` / ``ValidationError``) with a Vietnamese message to
  fail the job with that message; any other exception fails it with a generic message (and a log line).

``prepare(params, actor)`` (optional) runs in ``job_submit`` before anything is written: it checks the
parameters and the actor's right to them (raising ``ValidationError`` / ``PermissionDenied`` with a
Vietnamese message) and returns the job's title shown in the lists ("Xuất danh sách hộ — Xã Đăk Kôi").

Other contexts put their kinds in a ``job_kinds.py`` module of their app: ``JobsConfig.ready`` imports
every installed app's ``job_kinds`` (``autodiscover_modules``), so nothing here has to change. This
module imports no model, so it can be imported anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from giamngheo.accounts.models import User

__all__ = ["JobError", "JobFunction", "JobKind", "JobOutput", "Progress", "job_kind", "job_kinds", "kind_for"]

Progress = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class JobOutput:
    """What a job hands back: the file to download (name shown to the user, content type, and either the
    bytes or the path of a file the job wrote, which is moved into the jobs folder)."""

    filename: str
    content_type: str
    content: bytes | Path


class JobFunction(Protocol):
    def __call__(self, params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput: ...


Prepare = Callable[[dict[str, Any], "User"], str]


@dataclass(frozen=True, slots=True)
class JobKind:
    name: str
    label: str | Promise
    run: JobFunction
    prepare: Prepare | None = None

    def title(self, params: dict[str, Any], actor: User) -> str:
        """Check ``params`` for ``actor`` and give the job's title (the label without ``prepare``)."""
        if self.prepare is None:
            return str(self.label)
        return self.prepare(params, actor)


class JobError(Exception):
    """A job cannot finish for a reason the user should read (in Vietnamese): the job fails with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str, *, label: str | Promise, prepare: Prepare | None = None
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job kind ``name`` (``<context>.<what>``, stable: stored)."""

    def register(function: JobFunction) -> JobFunction:
        existing = _KINDS.get(name)
        if existing is not None and existing.run is not function:
            raise ValueError(f"job kind {name!r} is already registered by {existing.run!r}")
        _KINDS[name] = JobKind(name=name, label=label, run=function, prepare=prepare)
        return function

    return register


def kind_for(name: str) -> JobKind:
    """The registered kind ``name``; an unknown one is a ``ValidationError`` with a Vietnamese message."""
    found = _KINDS.get(name)
    if found is None:
        raise ValidationError(
            _("Loại công việc “{kind}” không tồn tại.").format(kind=name), code="unknown_kind"
        )
    return found


def job_kinds() -> dict[str, JobKind]:
    """Every registered kind by name (a copy)."""
    return dict(_KINDS)
