"""Job kinds of the reports: a standard form (biểu mẫu báo cáo) of one unit and year, built in the
background (``reports.form``).

A province's forms take seconds (``benchmarks/reports.py``), so the form page offers them as a background
job beside the direct downloads. The parameters are those of the form's URL: ``code`` (``01``-``04``),
``unit`` (a key as ``reports.forms.data.scope_for`` takes it: ``tinh-51``, ``xa-23485``, ``thon-12``),
``year`` and ``format`` (``xlsx``, ``pdf``, ``csv``). They are checked when the job is asked for and again
when it runs, both times *as the owner*: a unit that left the owner's territory meanwhile fails the job
with the same reason the page gives (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.jobs.kinds import JobError, JobOutput, Progress, job_kind
from giamngheo.reports.forms.data import Scope, district_year_refusal, form_context, scope_for
from giamngheo.reports.forms.registry import FORMS, FormSpec
from giamngheo.reports.forms.render import FORMATS
from giamngheo.reports.forms.render import render as render_form
from giamngheo.reports.selectors import report_years

REPORT_FORM: Final = "reports.form"


@dataclass(frozen=True, slots=True)
class FormRequest:
    """The checked parameters of a ``reports.form`` job."""

    spec: FormSpec
    scope: Scope
    year: int
    fmt: str


def form_job_params(*, code: str, unit: str, year: int, fmt: str) -> dict[str, Any]:
    """The parameters of a ``reports.form`` job (JSON), as the form page's button sends them."""
    return {"code": code, "unit": unit, "year": year, "format": fmt}


def _year(value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("Năm “{value}” không hợp lệ.").format(value=value), code="invalid")
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Năm “{value}” không hợp lệ.").format(value=value), code="invalid") from error


def form_request(params: dict[str, Any], viewer: User) -> FormRequest:
    """The form, unit, year and format of ``params`` if ``viewer`` may have them; else the reason
    (``ValidationError`` for bad parameters, ``PermissionDenied`` for a unit outside the territory)."""
    spec = FORMS.get(str(params.get("code", "")))
    if spec is None:
        raise ValidationError(_("Không có biểu mẫu này."), code="invalid")
    fmt = str(params.get("format", ""))
    if fmt not in FORMATS:
        raise ValidationError(_("Không có định dạng này."), code="invalid")
    year = _year(params.get("year"))
    scope = scope_for(viewer, str(params.get("unit", "")))
    if scope is None:
        raise PermissionDenied(_("Đơn vị này không thuộc địa bàn của bạn."))
    if year not in report_years(viewer=viewer):
        raise ValidationError(_("Năm này chưa có đợt rà soát định kỳ được phê duyệt."), code="invalid")
    refusal = district_year_refusal(scope, year)
    if refusal is not None:
        raise ValidationError(refusal, code="invalid")
    return FormRequest(spec, scope, year, fmt)


def report_form_prepare(params: dict[str, Any], actor: User) -> str:
    """Check the parameters for ``actor`` and give the job's title, e.g.
    "Biểu 01 — … — Tỉnh Quảng Ngãi — 2025 (XLSX)"."""
    request = form_request(params, actor)
    return f"{request.spec.name} — {request.scope.name} — {request.year} ({request.fmt.upper()})"


@job_kind(REPORT_FORM, label=gettext_lazy("Lập biểu mẫu báo cáo"), prepare=report_form_prepare)
def report_form(params: dict[str, Any], progress: Progress, *, owner: User) -> JobOutput:
    """One standard form of one unit and year, read as ``owner``, as the same file the direct download
    gives (``form_views.form_download``)."""
    try:
        request = form_request(params, owner)
    except (PermissionDenied, ValidationError) as error:
        message = str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages)
        raise JobError(_("Không lập được biểu: {reason}").format(reason=message)) from error
    progress(5, _("Đọc số liệu"))
    context = form_context(
        viewer=owner,
        scope=request.scope,
        year=request.year,
        day=timezone.localdate(),
        transitions=request.spec.needs_transitions,
    )
    progress(50, _("Lập biểu"))
    form = request.spec.build(context)
    progress(80, _("Ghi tệp"))
    content = render_form(form, request.fmt)
    return JobOutput(
        filename=f"{form.subject}.{request.fmt}", content_type=FORMATS[request.fmt][0], content=content
    )
