"""Tasks (nhiệm vụ) of a plan, their progress reports (báo cáo tiến độ) and the plan's reporting deadlines
(thời hạn báo cáo): writes, and the reads the pages need.

Writes validate, then write inside one durable transaction with an audit row
(:class:`~giamngheo.planning.models.PlanningAuditAction`). A refusal is a ``ValidationError`` keyed to the
field, in Vietnamese; a refusal by role or territory is a ``PermissionDenied`` with the reason
(``planning.permissions``).

Who may do what:

- tasks, their status and the deadlines: whoever may edit the plan (:func:`ensure_can_edit_plan`);
- a progress report: a member of the reporting agency — one of the task's lead or coordinating
  agencies — or whoever may edit the plan (:func:`ensure_can_report_task`). A report by a lead agency
  (or by whoever may edit the plan) also sets the task's status; a coordinating agency's report does not.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.services import audit_record
from giamngheo.documents.formatting import date_short
from giamngheo.planning import schedule
from giamngheo.planning.models import (
    Agency,
    AgencyMember,
    DeadlineKind,
    Plan,
    PlanningAuditAction,
    ReportingDeadline,
    Task,
    TaskReport,
    TaskStatus,
    TimeframeKind,
)
from giamngheo.planning.permissions import ensure_can_edit_plan, ensure_can_report_task, plan_edit_refusal
from giamngheo.planning.selectors import agencies_visible_to

log = logging.getLogger(__name__)

#: Attachments a progress report may carry: extension → how such a file starts.
ATTACHMENT_SIGNATURES: Final[dict[str, tuple[bytes, ...]]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
MAX_ATTACHMENT_BYTES: Final = 10 * 1024 * 1024
MIN_YEAR: Final = 2000
MAX_YEAR: Final = 2100
MAX_EVERY_MONTHS: Final = 12


# --- Timing ------------------------------------------------------------------------------------------


def _clean_timing(
    kind: str,
    month: int | None,
    day: int | None,
    year: int | None,
    every_months: int | None,
    *,
    kinds: Sequence[str],
    need_year: bool,
) -> schedule.Timing:
    """The timing with only the fields its kind uses, or a ``ValidationError`` keyed to the field."""
    errors: dict[str, str] = {}
    if kind not in kinds:
        raise ValidationError({"kind": _("Loại thời hạn không hợp lệ.")})
    if kind in (schedule.CONTINUOUS, schedule.UNSPECIFIED):
        return schedule.Timing(kind)
    if kind == schedule.PERIODIC:
        if every_months is None or not 1 <= every_months <= MAX_EVERY_MONTHS:
            errors["every_months"] = _("Định kỳ phải từ 1 đến {most} tháng.").format(most=MAX_EVERY_MONTHS)
            raise ValidationError(errors)
        if day is not None and not 1 <= day <= 31:
            raise ValidationError({"day": _("Ngày phải từ 1 đến 31.")})
        return schedule.Timing(kind, day=day, every_months=every_months)
    if month is not None and not 1 <= month <= 12:
        errors["month"] = _("Tháng phải từ 1 đến 12.")
    if day is not None and month is None:
        errors["day"] = _("Có ngày thì phải có tháng.")
    if kind == schedule.ANNUAL:
        year = None
    elif year is None and (need_year or month is None):
        errors["year"] = _("Hãy nhập năm (hoặc tháng) của thời hạn.")
    elif year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("Năm phải từ {low} đến {high}.").format(low=MIN_YEAR, high=MAX_YEAR)
    if not errors and day is not None and month is not None:
        check_year = year if year is not None else 2000  # a leap year: 29/02 is a valid annual day
        try:
            dt.date(check_year, month, day)
        except ValueError:
            errors["day"] = _("Ngày {day}/{month} không có thật.").format(day=day, month=month)
    if errors:
        raise ValidationError(errors)
    return schedule.Timing(kind, month=month, day=day, year=year)


def _refuse_before_start(plan: Plan, timing: schedule.Timing, *, what: str) -> None:
    due = schedule.dated_due(timing, plan)
    if due is not None and due < plan.period_start:
        raise ValidationError(
            {
                "year": _(
                    "{what} ngày {due} trước ngày bắt đầu của kế hoạch ({start}): "
                    "hãy kiểm tra lại năm, tháng."
                ).format(what=what, due=date_short(due), start=date_short(plan.period_start))
            }
        )


def timeframe_label(task: Task) -> str:
    """The task's timeframe as the plan writes it, or as the timing says: "Hằng năm, tháng 9"."""
    if task.timeframe_text:
        return task.timeframe_text
    kind, month, day, year = task.timeframe_kind, task.month, task.day, task.year
    if kind == TimeframeKind.CONTINUOUS:
        return _("Thường xuyên")
    if kind == TimeframeKind.PERIODIC:
        return _("Định kỳ {months} tháng").format(months=task.every_months)
    if kind == TimeframeKind.ANNUAL:
        if month and day:
            return _("Hằng năm, ngày {day:02d}/{month:02d}").format(day=day, month=month)
        if month:
            return _("Hằng năm, tháng {month}").format(month=month)
        return _("Hằng năm")
    if kind == TimeframeKind.DATED:
        if year and month and day:
            return _("Ngày {day:02d}/{month:02d}/{year}").format(day=day, month=month, year=year)
        if year and month:
            return _("Tháng {month}/{year}").format(month=month, year=year)
        if month:
            return _("Tháng {month}").format(month=month)
        if year:
            return _("Năm {year}").format(year=year)
    return _("Chưa rõ")


# --- Tasks -------------------------------------------------------------------------------------------


def task_snapshot(task: Task) -> dict[str, Any]:
    return {
        "plan": task.plan_id,
        "section": task.section,
        "text": task.text,
        "lead_agencies": sorted(a.pk for a in task.lead_agencies.all()) if task.pk else [],
        "coordinating_agencies": sorted(a.pk for a in task.coordinating_agencies.all()) if task.pk else [],
        "lead_text": task.lead_text,
        "coordinating_text": task.coordinating_text,
        "timeframe_kind": task.timeframe_kind,
        "timeframe_text": task.timeframe_text,
        "month": task.month,
        "day": task.day,
        "year": task.year,
        "every_months": task.every_months,
        "status": task.status,
    }


def _check_agencies(actor: User | None, lead: Sequence[Agency], coordinating: Sequence[Agency]) -> None:
    both = {a.pk for a in lead} & {a.pk for a in coordinating}
    if both:
        names = ", ".join(a.name for a in lead if a.pk in both)
        raise ValidationError(
            {
                "coordinating_agencies": _(
                    "{names} đã là cơ quan chủ trì, không thể đồng thời phối hợp."
                ).format(names=names)
            }
        )
    if actor is None:
        return
    visible = set(
        agencies_visible_to(actor)
        .filter(pk__in=[a.pk for a in (*lead, *coordinating)])
        .values_list("pk", flat=True)
    )
    for field, agencies in (("lead_agencies", lead), ("coordinating_agencies", coordinating)):
        outside = [a.name for a in agencies if a.pk not in visible]
        if outside:
            raise ValidationError(
                {field: _("Cơ quan ngoài địa bàn của bạn: {names}.").format(names=", ".join(outside))}
            )


@transaction.atomic(durable=True)
def task_save(
    *,
    plan: Plan,
    actor: User | None,
    text: str,
    timeframe_kind: str,
    lead_agencies: Sequence[Agency] = (),
    coordinating_agencies: Sequence[Agency] = (),
    month: int | None = None,
    day: int | None = None,
    year: int | None = None,
    every_months: int | None = None,
    timeframe_text: str = "",
    lead_text: str = "",
    coordinating_text: str = "",
    section: str = "",
    status: str | None = None,
    task: Task | None = None,
) -> Task:
    """Add a task to ``plan`` (``task`` is ``None``) or change one of its tasks.

    Refused: an empty text, a lead agency also listed as coordinating, an agency outside the actor's
    territory, an impossible timing (month 13, 31/02, a periodic task without its months) and a dated
    task due before the plan's start. ``status`` (a :class:`TaskStatus`) is left as it is when ``None``.
    """
    ensure_can_edit_plan(actor, plan)
    if task is not None and task.plan_id != plan.pk:
        raise ValidationError(_("Nhiệm vụ không thuộc kế hoạch này."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung nhiệm vụ.")})
    if status is not None and status not in TaskStatus.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    try:
        timing = _clean_timing(
            timeframe_kind, month, day, year, every_months, kinds=TimeframeKind.values, need_year=False
        )
    except ValidationError as error:
        raise _renamed(error, {"kind": "timeframe_kind"}) from None
    _refuse_before_start(plan, timing, what=_("Thời hạn nhiệm vụ"))
    _check_agencies(actor, lead_agencies, coordinating_agencies)

    if task is None:
        current = Task(plan=plan, province_code=plan.province_code)
        top = Task.objects.filter(plan=plan).aggregate(top=Max("position"))["top"]
        current.position = (top or 0) + 1
        before = None
    else:
        current = Task.objects.select_for_update().get(pk=task.pk)
        before = task_snapshot(current)
    current.text = text
    current.section = section.strip()
    current.lead_text = lead_text.strip()
    current.coordinating_text = coordinating_text.strip()
    current.timeframe_kind = timing.kind
    current.timeframe_text = timeframe_text.strip()
    current.month, current.day, current.year = timing.month, timing.day, timing.year
    current.every_months = timing.every_months
    if status is not None:
        current.status = status
    current.full_clean()
    current.save()
    current.lead_agencies.set(lead_agencies)
    current.coordinating_agencies.set(coordinating_agencies)
    audit_record(
        actor=actor,
        action=PlanningAuditAction.TASK_SAVED,
        target=current,
        before=before,
        after=task_snapshot(current),
    )
    return current


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


@transaction.atomic(durable=True)
def task_status_set(*, task: Task, actor: User | None, status: str) -> Task:
    """Set a task's status (trạng thái): whoever may edit the plan."""
    ensure_can_edit_plan(actor, task.plan)
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.status == status:
        return current
    before = current.status
    current.status = status
    current.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=PlanningAuditAction.TASK_STATUS_SET,
        target=current,
        before={"status": before},
        after={"status": status},
    )
    return current


# --- Progress reports --------------------------------------------------------------------------------


def _attachment_name(upload: File[Any]) -> tuple[str, str]:
    """``(clean file name, extension)`` of an upload, or a ``ValidationError`` on ``attachment``."""
    original = PurePath(upload.name or "").name
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    allowed = ", ".join(sorted({e for e in ATTACHMENT_SIGNATURES if e != "jpeg"}))
    if extension not in ATTACHMENT_SIGNATURES:
        raise ValidationError(
            {
                "attachment": _("Chỉ nhận tệp {allowed}; tệp “{name}” không thuộc các loại này.").format(
                    allowed=allowed, name=original
                )
            }
        )
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "attachment": _("Tệp “{name}” nặng {size} MB, quá giới hạn 10 MB.").format(
                    name=original, size=f"{size / 1024 / 1024:.1f}".replace(".", ",")
                )
            }
        )
    if size == 0:
        raise ValidationError({"attachment": _("Tệp “{name}” rỗng.").format(name=original)})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not isinstance(head, bytes) or not head.startswith(ATTACHMENT_SIGNATURES[extension]):
        raise ValidationError(
            {
                "attachment": _("Nội dung tệp “{name}” không phải tệp {kind} thật.").format(
                    name=original, kind=extension.upper()
                )
            }
        )
    stem = get_valid_filename(original.rsplit(".", 1)[0])[:80] or "tep"
    return f"{stem}.{extension}", extension


def report_snapshot(report: TaskReport) -> dict[str, Any]:
    return {
        "task": report.task_id,
        "agency": report.agency_id,
        "period_label": report.period_label,
        "period_end": report.period_end,
        "progress": report.progress,
        "status": report.status,
        "attachment": report.attachment.name or "",
    }


@transaction.atomic(durable=True)
def task_report_submit(
    *,
    task: Task,
    actor: User | None,
    agency: Agency,
    period_label: str,
    period_end: dt.date,
    progress: str,
    status: str,
    attachment: File[Any] | None = None,
) -> TaskReport:
    """Record an agency's progress report on a task for a period (kỳ báo cáo), with an optional
    attachment (pdf, docx, xlsx, jpg or png; at most 10 MB; its first bytes must match its type).

    The agency must be one of the task's agencies and the actor a member of it — unless the actor may
    edit the plan (a plan officer can enter a report received on paper). Reports are kept, never
    replaced: a second report for the same period is a correction, and the latest one counts.
    """
    ensure_can_report_task(actor, task)
    plan = task.plan
    task_agencies = {a.pk for a in (*task.lead_agencies.all(), *task.coordinating_agencies.all())}
    if agency.pk not in task_agencies:
        raise ValidationError(
            {"agency": _("{agency} không được giao nhiệm vụ này.").format(agency=agency.name)}
        )
    may_edit_plan = plan_edit_refusal(actor, plan.unit) is None
    if (
        actor is not None
        and not may_edit_plan
        and not AgencyMember.objects.filter(agency=agency, user=actor).exists()
    ):
        raise PermissionDenied(
            _("Bạn không phải cán bộ của {agency}, không thể báo cáo thay cơ quan này.").format(
                agency=agency.name
            )
        )
    errors: dict[str, str] = {}
    period_label = " ".join(period_label.split())
    if not period_label:
        errors["period_label"] = _("Hãy chọn kỳ báo cáo.")
    if period_end < plan.period_start:
        errors["period_end"] = _(
            "Kỳ báo cáo kết thúc ngày {end}, trước khi kế hoạch bắt đầu ({start})."
        ).format(end=date_short(period_end), start=date_short(plan.period_start))
    progress = progress.strip()
    if not progress:
        errors["progress"] = _("Hãy nhập kết quả thực hiện.")
    if status not in TaskStatus.values:
        errors["status"] = _("Trạng thái không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    name = _attachment_name(attachment)[0] if attachment is not None else ""

    report = TaskReport(
        task=task,
        agency=agency,
        province_code=task.province_code,
        period_label=period_label,
        period_end=period_end,
        progress=progress,
        status=status,
        submitted_by=actor,
    )
    report.full_clean(exclude=["attachment"])
    if attachment is not None:
        report.attachment.save(name, attachment, save=False)
    try:
        report.save()
        audit_record(
            actor=actor,
            action=PlanningAuditAction.TASK_REPORTED,
            target=report,
            before=None,
            after=report_snapshot(report),
        )
        is_lead = task.lead_agencies.filter(pk=agency.pk).exists()
        if (is_lead or may_edit_plan) and task.status != status:
            before = task.status
            Task.objects.filter(pk=task.pk).update(status=status)
            task.status = status
            audit_record(
                actor=actor,
                action=PlanningAuditAction.TASK_STATUS_SET,
                target=task,
                before={"status": before},
                after={"status": status, "report": report.pk},
            )
    except Exception:
        if report.attachment.name:
            report.attachment.storage.delete(report.attachment.name)
            log.warning("task report not saved: attachment removed", extra={"task": task.pk})
        raise
    return report


# --- Reporting deadlines -----------------------------------------------------------------------------


def deadline_text(kind: str, month: int | None, day: int | None, year: int | None, every: int | None) -> str:
    """A deadline's rule in words, for a deadline entered without its text."""
    if kind == DeadlineKind.PERIODIC:
        return _("Báo cáo định kỳ {months} tháng").format(months=every)
    if kind == DeadlineKind.ANNUAL:
        if month and day:
            return _("Báo cáo trước ngày {day:02d}/{month:02d} hằng năm").format(day=day, month=month)
        if month:
            return _("Báo cáo trong tháng {month} hằng năm").format(month=month)
        return _("Báo cáo hằng năm")
    if year and month and day:
        return _("Báo cáo trước ngày {day:02d}/{month:02d}/{year}").format(day=day, month=month, year=year)
    return _("Báo cáo trong tháng {month}/{year}").format(month=month, year=year)


@transaction.atomic(durable=True)
def deadline_save(
    *,
    plan: Plan,
    actor: User | None,
    kind: str,
    text: str = "",
    month: int | None = None,
    day: int | None = None,
    year: int | None = None,
    every_months: int | None = None,
    deadline: ReportingDeadline | None = None,
) -> ReportingDeadline:
    """Add or change a reporting deadline of ``plan``: ``annual`` (month [, day]), ``periodic`` (every
    *n* months [, day of the period's last month]) or ``dated`` (month/year [/day]). A dated deadline
    before the plan's start is refused."""
    ensure_can_edit_plan(actor, plan)
    if deadline is not None and deadline.plan_id != plan.pk:
        raise ValidationError(_("Thời hạn báo cáo không thuộc kế hoạch này."))
    timing = _clean_timing(kind, month, day, year, every_months, kinds=DeadlineKind.values, need_year=True)
    _refuse_before_start(plan, timing, what=_("Thời hạn báo cáo"))
    before = None
    current = deadline or ReportingDeadline(plan=plan, province_code=plan.province_code)
    if deadline is not None:
        before = _deadline_snapshot(ReportingDeadline.objects.get(pk=deadline.pk))
    current.kind = timing.kind
    current.month, current.day, current.year = timing.month, timing.day, timing.year
    current.every_months = timing.every_months
    current.text = text.strip() or deadline_text(
        timing.kind, timing.month, timing.day, timing.year, timing.every_months
    )
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=PlanningAuditAction.DEADLINE_SAVED,
        target=current,
        before=before,
        after=_deadline_snapshot(current),
    )
    return current


def _deadline_snapshot(deadline: ReportingDeadline) -> dict[str, Any]:
    return {
        "plan": deadline.plan_id,
        "text": deadline.text,
        "kind": deadline.kind,
        "month": deadline.month,
        "day": deadline.day,
        "year": deadline.year,
        "every_months": deadline.every_months,
    }


# --- Reads for the pages (all start from a queryset the caller scoped) -------------------------------

STATUS_BADGES: Final[dict[str, str]] = {
    TaskStatus.NOT_STARTED: "pill-inactive",
    TaskStatus.IN_PROGRESS: "badge-reading",
    TaskStatus.DONE: "badge-ok",
    TaskStatus.CANCELLED: "pill-inactive",
}
_NUMBERING: Final = re.compile(r"[A-Za-z0-9]+(?:[.(][A-Za-z0-9]+\)?)*\.?")


def section_group(section: str) -> str:
    """The heading a task is listed under: the first part of a numbering path ("II.1.4" → "II"),
    or the section as written when it is a name."""
    section = section.strip()
    if _NUMBERING.fullmatch(section):
        return re.split(r"[.(]", section, maxsplit=1)[0]
    return section


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task as the lists show it: names of its agencies, timeframe, next due date, overdue flag and
    its latest report."""

    task: Task
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    timeframe: str
    next_due: dt.date | None
    overdue: bool
    last_report: TaskReport | None
    status_badge: str
    group: str


def with_details(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """``tasks`` with their plan, agencies and reports (newest first) fetched in a few queries."""
    return tasks.select_related("plan", "plan__unit").prefetch_related(
        "lead_agencies",
        "coordinating_agencies",
        Prefetch(
            "reports",
            queryset=TaskReport.objects.select_related("agency", "submitted_by").order_by(
                "-submitted_at", "-pk"
            ),
        ),
    )


def _names(agencies: Iterable[Agency], text: str) -> tuple[str, ...]:
    """The agencies' names, or the text the plan wrote when none is resolved."""
    names = tuple(a.name for a in agencies)
    if names:
        return names
    return (text,) if text else ()


def task_row(task: Task, today: dt.date) -> TaskRow:
    """One row; ``task`` must come from :func:`with_details` (no query per row)."""
    reports = list(task.reports.all())
    reported_until = max((r.period_end for r in reports), default=None)
    lead = _names(task.lead_agencies.all(), task.lead_text)
    coordinating = _names(task.coordinating_agencies.all(), task.coordinating_text)
    return TaskRow(
        task=task,
        lead=lead,
        coordinating=coordinating,
        timeframe=timeframe_label(task),
        next_due=schedule.next_due(task, task.plan, today),
        overdue=schedule.overdue(task, task.plan, today, reported_until=reported_until),
        last_report=reports[0] if reports else None,
        status_badge=STATUS_BADGES.get(task.status, "pill-inactive"),
        group=section_group(task.section),
    )


@dataclass(frozen=True, slots=True)
class TaskFilters:
    agency: Agency | None = None
    status: str = ""
    overdue_only: bool = False


def task_rows(tasks: QuerySet[Task], today: dt.date, filters: TaskFilters | None = None) -> list[TaskRow]:
    """The rows of ``tasks`` (already scoped), filtered by agency (lead or coordinating), status and
    overdue, in the plan's order."""
    filters = filters or TaskFilters()
    if filters.agency is not None:
        tasks = tasks.filter(
            Q(lead_agencies=filters.agency) | Q(coordinating_agencies=filters.agency)
        ).distinct()
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    rows = [task_row(t, today) for t in with_details(tasks).order_by("plan", "position", "pk")]
    return [r for r in rows if r.overdue] if filters.overdue_only else rows


def grouped(rows: Iterable[TaskRow]) -> list[tuple[str, list[TaskRow]]]:
    """Rows by section heading, headings in order of first appearance."""
    groups: dict[str, list[TaskRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.items())


def plan_report_periods(plan: Plan) -> list[schedule.ReportPeriod]:
    return schedule.report_periods(plan, plan.deadlines.all())


def report_choices(plan: Plan, today: dt.date) -> list[schedule.ReportPeriod]:
    """The periods a report may be given for: those due so far, and the next one (newest first)."""
    periods = plan_report_periods(plan)
    due = [p for p in periods if p.due <= today]
    upcoming = [p for p in periods if p.due > today][:1]
    return [*upcoming, *reversed(due)]


@dataclass(frozen=True, slots=True)
class RequestCell:
    """One agency in one report period: how many of its tasks it reported on, of how many; its latest
    report. ``state``: ``none`` (chưa báo cáo), ``partial`` or ``full``."""

    reported: int
    expected: int
    last: TaskReport | None
    state: str


@dataclass(frozen=True, slots=True)
class RequestRow:
    agency: Agency
    cells: tuple[RequestCell, ...]


@dataclass(frozen=True, slots=True)
class RequestMatrix:
    periods: tuple[schedule.ReportPeriod, ...]
    rows: tuple[RequestRow, ...]
    upcoming: schedule.ReportPeriod | None
    missing: int
    """How many (agency, period) pairs have no report at all."""


def report_matrix(plan: Plan, today: dt.date) -> RequestMatrix:
    """The report requests due so far × the agencies with a task of the plan (lead or coordinating;
    cancelled tasks do not count): who reported, who has not."""
    periods = plan_report_periods(plan)
    due = tuple(p for p in periods if p.due <= today)
    upcoming = next((p for p in periods if p.due > today), None)
    tasks = with_details(plan.tasks.exclude(status=TaskStatus.CANCELLED))
    tasks_of: dict[int, set[int]] = defaultdict(set)
    agencies: dict[int, Agency] = {}
    for task in tasks:
        for agency in (*task.lead_agencies.all(), *task.coordinating_agencies.all()):
            agencies[agency.pk] = agency
            tasks_of[agency.pk].add(task.pk)
    reports: dict[tuple[int, str], list[TaskReport]] = defaultdict(list)
    for task in tasks:
        for report in task.reports.all():
            reports[(report.agency_id, report.period_label)].append(report)
    rows = []
    missing = 0
    for agency in sorted(agencies.values(), key=lambda a: a.name):
        cells = []
        for period in due:
            found = [r for r in reports[(agency.pk, period.label)] if r.task_id in tasks_of[agency.pk]]
            reported = len({r.task_id for r in found})
            expected = len(tasks_of[agency.pk])
            state = "none" if not reported else ("full" if reported >= expected else "partial")
            missing += state == "none"
            last = max(found, key=lambda r: (r.submitted_at, r.pk)) if found else None
            cells.append(RequestCell(reported, expected, last, state))
        rows.append(RequestRow(agency, tuple(cells)))
    return RequestMatrix(due, tuple(rows), upcoming, missing)
