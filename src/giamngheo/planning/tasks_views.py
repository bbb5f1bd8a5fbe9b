"""Pages of a plan's tasks (nhiệm vụ): the list, the task form, an agency's own tasks with the progress
report form, the report requests (báo cáo định kỳ) with who has not reported, the attachments of the
reports and the plan's progress report in Excel and PDF.

Who may open what (views parse, services decide):

- a plan the viewer may not see (``plans_visible_to``) or a task outside it is a 404;
- a form or a POST by someone who may not edit the plan (leader, agency viewer, another province) is a
  403 with the reason (``planning.permissions``); a progress report by someone who is neither a member
  of one of the task's agencies nor allowed to edit the plan, likewise;
- an attachment is served by :func:`report_attachment` to those who may see the plan, never from a
  public media URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from giamngheo.accounts.models import User
from giamngheo.planning import exports
from giamngheo.planning.models import (
    Agency,
    DeadlineKind,
    Plan,
    Task,
    TaskReport,
    TaskStatus,
    TimeframeKind,
)
from giamngheo.planning.permissions import plan_edit_refusal, task_report_refusal
from giamngheo.planning.selectors import (
    agencies_of,
    agencies_visible_to,
    plans_visible_to,
    tasks_of_my_agencies,
    tasks_visible_to,
)
from giamngheo.planning.services import tasks as services
from giamngheo.site.forms import NameChoiceField, NameMultipleChoiceField, add_service_error
from giamngheo.site.lists import list_response
from giamngheo.site.pages import HtmxHttpRequest


def planning_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Sign-in required."""
    return login_required(view)


def visible_plan(request: HtmxHttpRequest, plan_pk: int) -> Plan:
    """The plan if the viewer may see it, else 404."""
    return get_object_or_404(plans_visible_to(request.user).select_related("unit"), pk=plan_pk)


def editable_plan(request: HtmxHttpRequest, plan_pk: int) -> Plan:
    """The plan if the viewer may see it (else 404) and edit it (else 403 with the reason)."""
    plan = visible_plan(request, plan_pk)
    refusal = plan_edit_refusal(request.user, plan.unit)
    if refusal is not None:
        raise PermissionDenied(refusal)
    return plan


# --- Forms -------------------------------------------------------------------------------------------


def plan_agencies(viewer: User, plan: Plan) -> QuerySet[Agency]:
    """The agencies a task of ``plan`` may name: those the viewer sees in the plan's province, and those
    its tasks already name."""
    named = Agency.objects.filter(Q(led_tasks__plan=plan) | Q(coordinated_tasks__plan=plan)).values("pk")
    return (
        agencies_visible_to(viewer)
        .filter(Q(province_code=plan.province_code) | Q(pk__in=named))
        .distinct()
        .order_by("name")
    )


class TaskFilterForm(forms.Form):
    co_quan = NameChoiceField(
        label=gettext_lazy("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả cơ quan"),
    )
    trang_thai = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        choices=[("", gettext_lazy("Tất cả trạng thái")), *TaskStatus.choices],
        required=False,
    )
    qua_han = forms.BooleanField(label=gettext_lazy("Chỉ nhiệm vụ quá hạn"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = Agency.objects.filter(Q(led_tasks__plan=plan) | Q(coordinated_tasks__plan=plan))
        field = self.fields["co_quan"]
        assert isinstance(field, NameChoiceField)
        field.queryset = named.distinct().order_by("name")

    def filters(self) -> services.TaskFilters:
        if not self.is_valid():
            return services.TaskFilters()
        data = self.cleaned_data
        return services.TaskFilters(
            agency=data.get("co_quan"),
            status=data.get("trang_thai") or "",
            overdue_only=bool(data.get("qua_han")),
        )


class TaskForm(forms.Form):
    section = forms.CharField(
        label=gettext_lazy("Mục"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "Số mục trong kế hoạch hoặc tên nhóm nhiệm vụ, ví dụ “II.1” hoặc “Tuyên truyền”."
        ),
    )
    text = forms.CharField(label=gettext_lazy("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_agencies = NameMultipleChoiceField(
        label=gettext_lazy("Cơ quan chủ trì"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    lead_text = forms.CharField(
        label=gettext_lazy("Cơ quan chủ trì (theo văn bản)"),
        required=False,
        help_text=gettext_lazy("Ghi như trong kế hoạch, khi cơ quan chưa có trong danh sách."),
    )
    coordinating_agencies = NameMultipleChoiceField(
        label=gettext_lazy("Cơ quan phối hợp"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    coordinating_text = forms.CharField(label=gettext_lazy("Cơ quan phối hợp (theo văn bản)"), required=False)
    timeframe_kind = forms.ChoiceField(
        label=gettext_lazy("Thời gian thực hiện"), choices=TimeframeKind.choices
    )
    timeframe_text = forms.CharField(
        label=gettext_lazy("Thời gian (theo văn bản)"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Ví dụ “trong tháng 9 hằng năm”, “Quý I/2027”."),
    )
    month = forms.IntegerField(label=gettext_lazy("Tháng"), required=False, min_value=1, max_value=12)
    day = forms.IntegerField(label=gettext_lazy("Ngày"), required=False, min_value=1, max_value=31)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False)
    every_months = forms.IntegerField(
        label=gettext_lazy("Định kỳ (số tháng)"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=gettext_lazy("Chỉ cho nhiệm vụ định kỳ: 6 là hai lần một năm (30/6 và 31/12)."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=TaskStatus.choices)

    def __init__(self, *args: Any, viewer: User, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = plan_agencies(viewer, plan)
        for name in ("lead_agencies", "coordinating_agencies"):
            field = self.fields[name]
            assert isinstance(field, NameMultipleChoiceField)
            field.queryset = agencies


def _task_initial(task: Task) -> dict[str, Any]:
    return {
        "section": task.section,
        "text": task.text,
        "lead_agencies": list(task.lead_agencies.all()),
        "lead_text": task.lead_text,
        "coordinating_agencies": list(task.coordinating_agencies.all()),
        "coordinating_text": task.coordinating_text,
        "timeframe_kind": task.timeframe_kind,
        "timeframe_text": task.timeframe_text,
        "month": task.month,
        "day": task.day,
        "year": task.year,
        "every_months": task.every_months,
        "status": task.status,
    }


PERIOD_SEPARATOR = "|"
TIMING_FIELDS = ("month", "day", "year", "every_months")


class TaskReportForm(forms.Form):
    """A progress report on one task: the reporting agency (the viewer's among the task's agencies, or
    all of them for whoever may edit the plan), the period, the result, the status and an attachment."""

    agency = NameChoiceField(label=gettext_lazy("Cơ quan báo cáo"), queryset=Agency.objects.none())
    period = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"))
    progress = forms.CharField(
        label=gettext_lazy("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4})
    )
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái nhiệm vụ"), choices=TaskStatus.choices)
    attachment = forms.FileField(
        label=gettext_lazy("Tệp đính kèm"),
        required=False,
        help_text=gettext_lazy("PDF, Word (docx), Excel (xlsx), ảnh JPG hoặc PNG; tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, task: Task, viewer: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        agencies = (
            Agency.objects.filter(Q(led_tasks=task) | Q(coordinated_tasks=task)).distinct().order_by("name")
        )
        if plan_edit_refusal(viewer, task.plan.unit) is not None:
            agencies = agencies.filter(pk__in=agencies_of(viewer).values("pk"))
        field = self.fields["agency"]
        assert isinstance(field, NameChoiceField)
        field.queryset = agencies
        choices = list(agencies[:2])
        self.has_agencies = bool(choices)
        if len(choices) == 1:
            self.initial.setdefault("agency", choices[0])
        periods = services.report_choices(task.plan, today)
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ChoiceField)
        period_field.choices = [
            (f"{p.label}{PERIOD_SEPARATOR}{p.end.isoformat()}", _period_choice_label(p, today))
            for p in periods
        ]
        self.initial.setdefault("status", task.status)

    def chosen_period(self) -> tuple[str, dt.date]:
        label, end = str(self.cleaned_data["period"]).rsplit(PERIOD_SEPARATOR, 1)
        return label, dt.date.fromisoformat(end)


def _period_choice_label(period: Any, today: dt.date) -> str:
    if period.due > today:
        return _("{label} (hạn {due})").format(label=period.label, due=period.due.strftime("%d/%m/%Y"))
    return str(period.label)


# --- List --------------------------------------------------------------------------------------------


@planning_page
@require_safe
def task_list(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    """nhiem-vu/: the plan's tasks by section, with their agencies, timeframe, next due date, status,
    overdue flag and latest report; filtered by agency, status and overdue. An htmx request gets the
    table only."""
    plan = visible_plan(request, plan_pk)
    today = timezone.localdate()
    form = TaskFilterForm(request.GET or None, plan=plan)
    rows = services.task_rows(plan.tasks.all(), today, form.filters())
    context = {
        "plan": plan,
        "form": form,
        "groups": services.grouped(rows),
        "count": len(rows),
        "overdue_count": sum(r.overdue for r in rows),
        "can_edit": plan_edit_refusal(request.user, plan.unit) is None,
        "today": today,
    }
    return list_response(
        request, context, page="planning/tasks/list.html", table="planning/tasks/_table.html"
    )


# --- Task form ---------------------------------------------------------------------------------------


def _task_form_page(request: HtmxHttpRequest, plan: Plan, task: Task | None) -> HttpResponse:
    initial = _task_initial(task) if task is not None else {"timeframe_kind": TimeframeKind.CONTINUOUS}
    form = TaskForm(request.POST or None, viewer=request.user, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_save(
                plan=plan,
                actor=request.user,
                task=task,
                text=data["text"],
                section=data["section"],
                lead_agencies=list(data["lead_agencies"]),
                coordinating_agencies=list(data["coordinating_agencies"]),
                lead_text=data["lead_text"],
                coordinating_text=data["coordinating_text"],
                timeframe_kind=data["timeframe_kind"],
                timeframe_text=data["timeframe_text"],
                month=data["month"],
                day=data["day"],
                year=data["year"],
                every_months=data["every_months"],
                status=data["status"],
            )
        except ValidationError as error:
            add_service_error(form, error, {"kind": "timeframe_kind"})
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect("planning:tasks", plan_pk=plan.pk)
    title = _("Sửa nhiệm vụ") if task is not None else _("Thêm nhiệm vụ")
    context = {"plan": plan, "task": task, "form": form, "title": title, "timing_fields": TIMING_FIELDS}
    return render(request, "planning/tasks/form.html", context, status=400 if form.errors else 200)


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def task_add(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    return _task_form_page(request, editable_plan(request, plan_pk), None)


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def task_edit(request: HtmxHttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = editable_plan(request, plan_pk)
    task = get_object_or_404(Task.objects.filter(plan=plan), pk=pk)
    return _task_form_page(request, plan, task)


# --- My tasks and the progress report ----------------------------------------------------------------


@planning_page
@require_safe
def my_tasks(request: HtmxHttpRequest) -> HttpResponse:
    """nhiem-vu-cua-toi/: the tasks of the viewer's agencies across plans, each with the report form."""
    today = timezone.localdate()
    tasks = tasks_of_my_agencies(request.user).filter(plan__in=plans_visible_to(request.user))
    rows = services.task_rows(tasks, today)
    items = [
        (row, TaskReportForm(task=row.task, viewer=request.user, today=today, prefix=f"t{row.task.pk}"))
        for row in rows
    ]
    context = {
        "items": items,
        "agencies": list(agencies_of(request.user).order_by("name")),
        "overdue_count": sum(r.overdue for r in rows),
        "today": today,
    }
    return render(request, "planning/tasks/mine.html", context)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def task_report(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """nhiem-vu/<pk>/bao-cao/: report progress on a task (GET: the form; POST: submit it)."""
    task = get_object_or_404(tasks_visible_to(request.user).select_related("plan", "plan__unit"), pk=pk)
    refusal = task_report_refusal(request.user, task)
    if refusal is not None:
        raise PermissionDenied(refusal)
    today = timezone.localdate()
    prefix = request.POST.get("prefix") or request.GET.get("prefix") or None
    form = TaskReportForm(
        request.POST or None,
        request.FILES or None,
        task=task,
        viewer=request.user,
        today=today,
        prefix=prefix,
    )
    if request.method == "POST" and form.is_valid():
        label, end = form.chosen_period()
        try:
            services.task_report_submit(
                task=task,
                actor=request.user,
                agency=form.cleaned_data["agency"],
                period_label=label,
                period_end=end,
                progress=form.cleaned_data["progress"],
                status=form.cleaned_data["status"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except ValidationError as error:
            add_service_error(form, error, {"period_label": "period", "period_end": "period"})
        else:
            messages.success(request, _("Đã gửi báo cáo tiến độ."))
            return redirect(_safe_next(request) or reverse("planning:my_tasks"))
    row = services.task_row(services.with_details(Task.objects.filter(pk=task.pk)).get(), today)
    context = {"row": row, "form": form, "plan": task.plan, "next": _safe_next(request) or ""}
    return render(request, "planning/tasks/report.html", context, status=400 if form.errors else 200)


@planning_page
@require_safe
def report_attachment(request: HtmxHttpRequest, pk: int) -> FileResponse:
    """bao-cao-tien-do/<pk>/tep/: a report's attachment, to those who may see its plan."""
    report = get_object_or_404(
        TaskReport.objects.filter(task__in=tasks_visible_to(request.user)).exclude(attachment=""), pk=pk
    )
    try:
        handle = report.attachment.open("rb")
    except FileNotFoundError:
        raise Http404(_("Tệp đính kèm không còn trên máy chủ.")) from None
    return FileResponse(handle, as_attachment=True, filename=PurePath(report.attachment.name or "tep").name)


# --- Report requests and deadlines -------------------------------------------------------------------


class DeadlineForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung (theo văn bản)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Ví dụ “Định kỳ (trước ngày 05 tháng 11 hằng năm) báo cáo kết quả thực hiện”."
        ),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=DeadlineKind.choices)
    month = forms.IntegerField(label=gettext_lazy("Tháng"), required=False, min_value=1, max_value=12)
    day = forms.IntegerField(label=gettext_lazy("Ngày"), required=False, min_value=1, max_value=31)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False)
    every_months = forms.IntegerField(
        label=gettext_lazy("Định kỳ (số tháng)"), required=False, min_value=1, max_value=12
    )


@planning_page
@require_safe
def report_requests(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    """bao-cao-dinh-ky/: the report periods due so far × the agencies with tasks: reported (when, by
    whom, the attachment) or not ("Chưa báo cáo")."""
    plan = visible_plan(request, plan_pk)
    today = timezone.localdate()
    can_edit = plan_edit_refusal(request.user, plan.unit) is None
    context = {
        "plan": plan,
        "matrix": services.report_matrix(plan, today),
        "deadlines": list(plan.deadlines.order_by("pk")),
        "can_edit": can_edit,
        "today": today,
    }
    return render(request, "planning/tasks/requests.html", context)


@planning_page
@require_http_methods(["GET", "HEAD", "POST"])
def deadline_add(request: HtmxHttpRequest, plan_pk: int) -> HttpResponse:
    """bao-cao-dinh-ky/them/: add a reporting deadline."""
    plan = editable_plan(request, plan_pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.deadline_save(
                plan=plan,
                actor=request.user,
                kind=data["kind"],
                text=data["text"],
                month=data["month"],
                day=data["day"],
                year=data["year"],
                every_months=data["every_months"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu thời hạn báo cáo."))
            return redirect("planning:report_requests", plan_pk=plan.pk)
    return render(
        request,
        "planning/tasks/deadline_form.html",
        {"plan": plan, "form": form, "timing_fields": TIMING_FIELDS},
        status=400 if form.errors else 200,
    )


# --- Export ------------------------------------------------------------------------------------------


@planning_page
@require_safe
def plan_export(request: HtmxHttpRequest, plan_pk: int, fmt: str) -> HttpResponse:
    """bao-cao.xlsx / bao-cao.pdf: the plan's progress report (targets, tasks, funding)."""
    if fmt not in exports.FORMATS:
        raise Http404(_("Không có định dạng này."))
    plan = visible_plan(request, plan_pk)
    report = exports.progress_report(plan, viewer=request.user, today=timezone.localdate())
    content_type, renderer = exports.FORMATS[fmt]
    response = HttpResponse(renderer(report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.subject}.{fmt}"'
    return response
