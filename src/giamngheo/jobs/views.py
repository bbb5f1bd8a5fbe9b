"""The jobs pages: my jobs, one job with its progress bar (polled by htmx), the download, starting a job.

Other contexts start their long exports with :func:`start_job` (from a view) or the
``{% job_start_button %}`` template tag (a form posting to ``jobs:start``); either way the user lands on
the job's page and watches it run.
"""

from __future__ import annotations

from typing import Any, Final

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.jobs import selectors
from giamngheo.jobs.forms import HouseholdExportForm, JobStartForm
from giamngheo.jobs.job_kinds import HOUSEHOLD_LIST_XLSX
from giamngheo.jobs.kinds import job_kinds
from giamngheo.jobs.models import ACTIVE_STATUSES, Job
from giamngheo.jobs.services import job_submit
from giamngheo.jobs.storage import result_path
from giamngheo.registry.permissions import registry_refusal

PAGE_SIZE: Final = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


def refused(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    """Why a job could not be started (403 unless told), in Vietnamese."""
    return render(request, "jobs/refused.html", {"reason": reason}, status=status)


def start_job(request: HttpRequest, *, kind: str, params: dict[str, Any]) -> HttpResponse:
    """Submit the job ``kind`` with ``params`` for the signed-in user and send them to its page.

    For an htmx request the redirect is an ``HX-Redirect`` (the whole page changes). A refusal of the
    kind (territory, parameters, too many jobs) is a page with the reason: 403 or 400.
    """
    assert isinstance(request.user, User)
    try:
        job = job_submit(kind=kind, params=params, actor=request.user)
    except PermissionDenied as error:
        return refused(request, str(error) or _("Bạn không có quyền thực hiện công việc này."))
    except ValidationError as error:
        return refused(request, " ".join(error.messages), status=400)
    url = reverse("jobs:detail", args=[job.pk])
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _kind_labels() -> dict[str, str]:
    return {name: str(kind.label) for name, kind in job_kinds().items()}


@login_required
@require_safe
def job_list(request: HtmxHttpRequest) -> HttpResponse:
    """cong-viec/: the user's jobs (everyone's for a system administrator), newest first, and the demo
    export form. While a job on the page is queued or running, htmx reloads the table every 2 s."""
    page = Paginator(selectors.job_list(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "any_active": any(job.status in ACTIVE_STATUSES for job in page.object_list),
        "sees_all": sees_everything(request.user),
        "export_form": HouseholdExportForm(viewer=request.user)
        if registry_refusal(request.user) is None
        else None,
    }
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render(request, "jobs/_job_table.html", context)
    return render(request, "jobs/job_list.html", context)


@login_required
@require_safe
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """cong-viec/<pk>/: one job; its progress bar asks again every second (htmx) until it ends.

    Someone else's job is a 404 (a system administrator sees every job but downloads none of them).
    """
    job: Job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=pk)
    context = {
        "job": job,
        "kind_label": _kind_labels().get(job.kind, job.kind),
        "can_download": job.has_result and job.owner_id == request.user.pk,
        "file_missing": job.has_result and result_path(job.result_file) is None,
    }
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render(request, "jobs/_progress.html", context)
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_safe
def job_download(request: HtmxHttpRequest, pk: int) -> FileResponse:
    """cong-viec/<pk>/tai-ve/: the result file, to the job's owner only (404 for anyone else)."""
    job = selectors.job_for_download(viewer=request.user, pk=pk)
    path = result_path(job.result_file) if job is not None else None
    if job is None or path is None:
        raise Http404(_("Không có tệp kết quả."))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result_name, content_type=job.result_type or None
    )


@login_required
@require_POST
def job_start(request: HtmxHttpRequest) -> HttpResponse:
    """cong-viec/bat-dau/ (POST ``kind``, ``params`` as JSON): what ``{% job_start_button %}`` sends."""
    form = JobStartForm(request.POST)
    if not form.is_valid():
        messages = [str(error) for errors in form.errors.values() for error in errors]
        return refused(request, " ".join(messages), status=400)
    return start_job(request, kind=form.cleaned_data["kind"], params=form.cleaned_data["params"])


@login_required
@require_POST
def household_export_start(request: HtmxHttpRequest) -> HttpResponse:
    """cong-viec/xuat-danh-sach-ho/ (POST ``commune``): the demo export, the household list of a commune."""
    reason = registry_refusal(request.user)
    if reason is not None:
        return refused(request, reason)
    form = HouseholdExportForm(request.POST, viewer=request.user)
    if not form.is_valid():
        page = Paginator(selectors.job_list(viewer=request.user), PAGE_SIZE).get_page(1)
        context = {
            "page": page,
            "any_active": False,
            "sees_all": sees_everything(request.user),
            "export_form": form,
        }
        return render(request, "jobs/job_list.html", context, status=400)
    return start_job(request, kind=HOUSEHOLD_LIST_XLSX, params=form.params())
