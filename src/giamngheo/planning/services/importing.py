"""Import a plan document (nhập kế hoạch từ văn bản): text → draft → a person confirms → saved.

Reading the document and making the draft (:func:`read_upload`, :func:`draft_from_text`,
:class:`ImportDraft` …) are in :mod:`giamngheo.planning.services.import_draft` and importable from here.

:func:`plan_import_save` saves what the person kept and corrected: the plan, its targets, tasks
(agencies resolved with :class:`~giamngheo.planning.services.agencies.AgencyIndex`; a name the unit's
list does not know becomes a new agency of the unit), deadlines and funding lines, and the source
text — all in one transaction with one ``PLAN_IMPORTED`` audit row (plus one ``AGENCY_CREATED`` per
new agency). Every problem is found before anything is written; any problem → nothing is saved and
a ``ValidationError`` keyed to the header's fields and to the rows (``targets-3``, ``tasks-0`` …).

Rules checked on save: a target's unit is the plan's unit or inside it and its year inside the plan's
period; a dated task or deadline is not before the plan's start; the kept funding lines add up to the
plan's stated total unless the person accepts the difference ("Lưu dù tổng chưa khớp").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit
from giamngheo.planning import schedule
from giamngheo.planning.models import (
    Agency,
    DeadlineKind,
    FundingLine,
    FundingSource,
    Plan,
    PlanningAuditAction,
    ReportingDeadline,
    Target,
    TargetKind,
    Task,
    TimeframeKind,
)
from giamngheo.planning.parsing import split_agencies
from giamngheo.planning.parsing.text import parse_number
from giamngheo.planning.permissions import ensure_can_edit_plan
from giamngheo.planning.services.agencies import AgencyIndex, agency_insert, folded
from giamngheo.planning.services.import_draft import (
    MAX_BYTES,
    SUFFIXES,
    DeadlineRow,
    FundingRow,
    ImportDraft,
    ImportHeader,
    PlanFileError,
    TargetRow,
    TaskRow,
    check_pasted,
    check_size,
    decimal_text,
    draft_from_text,
    read_upload,
    sub_units,
    target_kind,
    target_subject,
)
from giamngheo.planning.services.plans import (
    PlanFields,
    amount_text,
    plan_errors,
    plan_insert,
    plan_snapshot,
    unit_within,
)

MIN_YEAR: Final = 2000
MAX_YEAR: Final = 2100
_CENT: Final = Decimal("0.01")
_MILLI: Final = Decimal("0.001")
_MAX_TARGET: Final = Decimal("999999999999.99")  # Target.value: max_digits=14, decimal_places=2
_MAX_AMOUNT: Final = Decimal("9999999999999.999")  # FundingLine.planned: max_digits=16, decimal_places=3
_PERCENT_KINDS: Final = (
    TargetKind.POOR_RATE_REDUCTION,
    TargetKind.END_POOR_RATE,
    TargetKind.NEAR_POOR_RATE_REDUCTION,
    TargetKind.END_NEAR_POOR_RATE,
    TargetKind.COVERAGE,
)
_COUNT_KINDS: Final = (TargetKind.POOR_HOUSEHOLDS_REDUCTION,)


# --- Saving ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: Plan
    counts: dict[str, int]
    new_agencies: list[Agency]


def _number(text: str) -> Decimal | None:
    text = text.strip()
    return parse_number(text) if text else None


def parse_total(text: str) -> Decimal | None:
    """The stated total as typed ("5.440.412"); ``ValueError`` when it is not a number."""
    if not text.strip():
        return None
    value = _number(text)
    if value is None:
        raise ValueError(text)
    return value


class _Errors:
    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.by_key.setdefault(key, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_key)


def _check_timing(
    errors: _Errors,
    key: str,
    *,
    kind: str,
    month: int | None,
    day: int | None,
    year: int | None,
    every_months: int | None,
    start: dt.date,
    end: dt.date,
    what: str,
) -> None:
    if month is not None and not 1 <= month <= 12:
        errors.add(key, _("Tháng phải từ 1 đến 12."))
        return
    if day is not None and not 1 <= day <= 31:
        errors.add(key, _("Ngày phải từ 1 đến 31."))
        return
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        errors.add(key, _("Năm phải từ {low} đến {high}.").format(low=MIN_YEAR, high=MAX_YEAR))
        return
    if kind == schedule.PERIODIC:
        if every_months is None or not 1 <= every_months <= 12:
            errors.add(key, _("Định kỳ phải từ 1 đến 12 tháng."))
        return
    if day is not None and month is None:
        errors.add(key, _("Có ngày thì phải có tháng."))
        return
    if day is not None and month is not None:
        try:
            dt.date(year if year is not None else 2000, month, day)
        except ValueError:
            errors.add(key, _("Ngày {day}/{month} không có thật.").format(day=day, month=month))
            return
    if kind == schedule.DATED:
        if year is None and month is None:
            errors.add(key, _("Thời hạn một lần cần có năm hoặc tháng."))
            return
        timing = schedule.Timing(kind, month=month, day=day, year=year)
        due = schedule.dated_due(timing, _Period(start, end))
        if due is not None and due < start:
            errors.add(
                key,
                _("{what} ngày {due} trước ngày bắt đầu của kế hoạch ({start}).").format(
                    what=what, due=due.strftime("%d/%m/%Y"), start=start.strftime("%d/%m/%Y")
                ),
            )


@dataclass(frozen=True, slots=True)
class _Period:
    period_start: dt.date
    period_end: dt.date


def _check_targets(
    errors: _Errors, rows: Sequence[TargetRow], plan_unit: AdminUnit, start: dt.date, end: dt.date
) -> dict[int, AdminUnit]:
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in={r.unit for r in rows if r.keep})}
    for index, row in enumerate(rows):
        if not row.keep:
            continue
        key = f"targets-{index}"
        if row.kind not in TargetKind.values:
            errors.add(key, _("Loại chỉ tiêu không hợp lệ."))
        unit = units.get(row.unit)
        if unit is None:
            errors.add(key, _("Đơn vị của chỉ tiêu không tồn tại."))
        elif not unit_within(unit, plan_unit):
            errors.add(
                key,
                _("{unit} không thuộc {plan_unit}, đơn vị của kế hoạch.").format(
                    unit=unit.name, plan_unit=plan_unit.name
                ),
            )
        if row.year is not None and not start.year <= row.year <= end.year:
            errors.add(
                key,
                _("Năm {year} nằm ngoài thời kỳ của kế hoạch ({start}–{end}).").format(
                    year=row.year, start=start.year, end=end.year
                ),
            )
        value = _number(row.value)
        if value is None:
            errors.add(
                key,
                _("Giá trị “{text}” không phải là số.").format(text=row.value)
                if row.value
                else _("Hãy nhập giá trị của chỉ tiêu."),
            )
            continue
        value_max = _number(row.value_max)
        if row.value_max.strip() and value_max is None:
            errors.add(key, _("Giá trị tối đa “{text}” không phải là số.").format(text=row.value_max))
        for amount in (value, value_max):
            if amount is None:
                continue
            if amount > _MAX_TARGET or amount != amount.quantize(_CENT):
                errors.add(
                    key, _("Giá trị quá lớn hoặc quá hai chữ số thập phân ({value}).").format(value=amount)
                )
            elif row.kind in _PERCENT_KINDS and amount > 100:
                errors.add(key, _("Tỷ lệ không được lớn hơn 100 %."))
            elif row.kind in _COUNT_KINDS and amount != amount.to_integral_value():
                errors.add(key, _("Số hộ phải là số nguyên."))
        if value_max is not None and value_max < value:
            errors.add(key, _("Giá trị tối đa nhỏ hơn giá trị."))
        if row.kind == TargetKind.COVERAGE and not row.subject.strip():
            errors.add(key, _("Chỉ tiêu bao phủ cần ghi đối tượng (ví dụ: hộ nghèo có thẻ bảo hiểm y tế)."))
        if len(row.subject.strip()) > 255:
            errors.add(key, _("Đối tượng tối đa 255 ký tự."))
    return units


def _check_timed(
    errors: _Errors, rows: Sequence[TaskRow | DeadlineRow], start: dt.date, end: dt.date
) -> None:
    """The kept tasks (keys ``tasks-<i>``) or reporting deadlines (``deadlines-<i>``): a text, a known
    kind of timing, and a timing that holds within the plan's period."""
    for index, row in enumerate(rows):
        if not row.keep:
            continue
        task = isinstance(row, TaskRow)
        key = f"tasks-{index}" if task else f"deadlines-{index}"
        kind = row.timeframe_kind if isinstance(row, TaskRow) else row.kind
        if not row.text.strip():
            errors.add(
                key, _("Hãy nhập nội dung nhiệm vụ.") if task else _("Hãy nhập nội dung thời hạn báo cáo.")
            )
        if kind not in (TimeframeKind.values if task else DeadlineKind.values):
            errors.add(
                key, _("Loại thời gian thực hiện không hợp lệ.") if task else _("Loại thời hạn không hợp lệ.")
            )
            continue
        _check_timing(
            errors,
            key,
            kind=kind,
            month=row.month,
            day=row.day,
            year=row.year,
            every_months=row.every_months,
            start=start,
            end=end,
            what=_("Hạn của nhiệm vụ") if task else _("Thời hạn báo cáo"),
        )


def _check_funding(
    errors: _Errors, rows: Sequence[FundingRow], start: dt.date, end: dt.date
) -> dict[int, Decimal]:
    amounts: dict[int, Decimal] = {}
    for index, row in enumerate(rows):
        if not row.keep:
            continue
        key = f"funding-{index}"
        if row.year is not None and not start.year <= row.year <= end.year:
            errors.add(
                key,
                _("Năm {year} ngoài thời gian của kế hoạch ({first}–{last}).").format(
                    year=row.year, first=start.year, last=end.year
                ),
            )
        if row.source not in FundingSource.values:
            errors.add(key, _("Nguồn vốn không hợp lệ."))
        if len(row.label.strip()) > 500:
            errors.add(key, _("Nội dung tối đa 500 ký tự."))
        amount = _number(row.amount)
        if amount is None:
            errors.add(
                key,
                _("Số tiền “{text}” không phải là số.").format(text=row.amount)
                if row.amount.strip()
                else _("Hãy nhập số tiền (triệu đồng)."),
            )
        elif amount > _MAX_AMOUNT or amount != amount.quantize(_MILLI):
            errors.add(key, _("Số tiền quá lớn hoặc quá ba chữ số thập phân ({value}).").format(value=amount))
        else:
            amounts[index] = amount
    return amounts


def total_difference(total: Decimal | None, amounts: Iterable[Decimal]) -> Decimal | None:
    """Kept lines minus the stated total (``None`` without a total)."""
    if total is None:
        return None
    return sum(amounts, Decimal(0)) - total


def _total_message(total: Decimal, difference: Decimal) -> str:
    lines = total + difference
    if difference > 0:
        text = _(
            "Các nguồn vốn được giữ cộng lại {lines} triệu đồng, nhiều hơn tổng nguồn vốn của kế hoạch "
            "({total} triệu đồng) {difference} triệu đồng."
        )
    else:
        text = _(
            "Các nguồn vốn được giữ cộng lại {lines} triệu đồng, ít hơn tổng nguồn vốn của kế hoạch "
            "({total} triệu đồng) {difference} triệu đồng."
        )
    return (
        text.format(
            lines=amount_text(lines), total=amount_text(total), difference=amount_text(abs(difference))
        )
        + " "
        + _("Hãy sửa số liệu, hoặc chọn “Lưu dù tổng chưa khớp”.")
    )


def _header_fields(header: ImportHeader, parent: Plan | None, total: Decimal | None) -> PlanFields:
    return PlanFields(
        title=header.title,
        period_start=header.period_start,
        period_end=header.period_end,
        number=header.number,
        issuer=header.issuer,
        issued_on=header.issued_on,
        legal_basis=header.legal_basis,
        parent=parent,
        parent_reference=header.parent_reference,
        status=header.status,
        funding_total=total,
    )


@transaction.atomic(durable=True)
def plan_import_save(
    *,
    unit: AdminUnit,
    actor: User | None,
    header: ImportHeader,
    targets: Sequence[TargetRow] = (),
    tasks: Sequence[TaskRow] = (),
    deadlines: Sequence[DeadlineRow] = (),
    funding: Sequence[FundingRow] = (),
    source_name: str = "",
    source_text: str = "",
    accept_total_mismatch: bool = False,
) -> ImportResult:
    """Save an imported plan with the rows marked ``keep`` (see the module docstring).

    ``PermissionDenied`` when the actor may not make plans for ``unit``; ``ValidationError`` (nothing
    saved) with messages keyed to the header's fields and to ``targets-<i>``, ``tasks-<i>``,
    ``deadlines-<i>``, ``funding-<i>`` (the row's index in the list given).
    """
    ensure_can_edit_plan(actor, unit)
    errors = _Errors()
    parent = None
    if header.parent is not None:
        parent = Plan.objects.select_related("unit").filter(pk=header.parent).first()
        if parent is None:
            errors.add("parent", _("Không có kế hoạch cấp trên này."))
    try:
        total = parse_total(header.funding_total)
    except ValueError:
        errors.add(
            "funding_total", _("Tổng nguồn vốn “{text}” không phải là số.").format(text=header.funding_total)
        )
        total = None
    fields_ = _header_fields(header, parent, total)
    for name, messages in plan_errors(unit=unit, fields=fields_, actor=actor).items():
        for message in messages:
            errors.add(name, message)
    start, end = header.period_start, header.period_end
    if end < start:  # plan_errors said so; the rows cannot be checked against the period
        raise ValidationError(errors.by_key)
    units = _check_targets(errors, targets, unit, start, end)
    _check_timed(errors, tasks, start, end)
    _check_timed(errors, deadlines, start, end)
    amounts = _check_funding(errors, funding, start, end)
    difference = total_difference(total, amounts.values())
    if (
        total is not None
        and difference
        and not accept_total_mismatch
        and len(amounts) == sum(r.keep for r in funding)
    ):
        errors.add("funding_total", _total_message(total, difference))
    if errors:
        raise ValidationError(errors.by_key)

    plan = plan_insert(
        unit=unit, fields=fields_, actor=actor, source_name=source_name, source_text=source_text
    )
    province = plan.province_code
    saved_targets = Target.objects.bulk_create(
        [
            Target(
                plan=plan,
                unit=units[row.unit],
                province_code=units[row.unit].province_code,
                year=row.year,
                kind=row.kind,
                value=_number(row.value) or Decimal(0),
                value_max=_number(row.value_max),
                subject=row.subject.strip(),
                text=row.text,
                source_line=row.source_line,
            )
            for row in targets
            if row.keep
        ]
    )
    index = AgencyIndex(unit)
    on = header.issued_on or start
    new_agencies: list[Agency] = []

    def agencies_of(text: str, role: str) -> list[Agency]:
        found: list[Agency] = []
        refs = [
            ref
            for piece in text.split(";")  # the draft joins names with "; ": split there first
            for ref in split_agencies(piece, role="lead" if role == "lead" else "coordinating")
        ]
        for ref in refs:
            agency = index.resolve(ref, on)
            if agency is None:
                agency = agency_insert(
                    unit=unit,
                    name=ref.name[:255],
                    actor=actor,
                    kind=ref.key or "",
                    aliases=[ref.text.strip()]
                    if ref.text.strip() and folded(ref.text) != folded(ref.name)
                    else [],
                )
                index.add(agency)
                new_agencies.append(agency)
            if agency not in found:
                found.append(agency)
        return found

    kept_tasks = [row for row in tasks if row.keep]
    saved_tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                province_code=province,
                section=row.section,
                text=row.text.strip(),
                lead_text=row.lead.strip(),
                coordinating_text=row.coordinating.strip(),
                timeframe_kind=row.timeframe_kind,
                timeframe_text=row.timeframe_text,
                month=row.month,
                day=row.day,
                year=row.year if row.timeframe_kind == TimeframeKind.DATED else None,
                every_months=row.every_months if row.timeframe_kind == TimeframeKind.PERIODIC else None,
                source_line=row.source_line,
                position=position,
            )
            for position, row in enumerate(kept_tasks, start=1)
        ]
    )
    leads: list[Any] = []
    coordinators: list[Any] = []
    for task, row in zip(saved_tasks, kept_tasks, strict=True):
        leads.extend(
            Task.lead_agencies.through(task_id=task.pk, agency_id=a.pk) for a in agencies_of(row.lead, "lead")
        )
        coordinators.extend(
            Task.coordinating_agencies.through(task_id=task.pk, agency_id=a.pk)
            for a in agencies_of(row.coordinating, "coordinating")
        )
    Task.lead_agencies.through.objects.bulk_create(leads)
    Task.coordinating_agencies.through.objects.bulk_create(coordinators)
    saved_deadlines = ReportingDeadline.objects.bulk_create(
        [
            ReportingDeadline(
                plan=plan,
                province_code=province,
                text=row.text.strip(),
                kind=row.kind,
                month=row.month,
                day=row.day,
                year=row.year if row.kind == DeadlineKind.DATED else None,
                every_months=row.every_months if row.kind == DeadlineKind.PERIODIC else None,
                source_line=row.source_line,
            )
            for row in deadlines
            if row.keep
        ]
    )
    saved_funding = FundingLine.objects.bulk_create(
        [
            FundingLine(
                plan=plan,
                unit=unit,
                province_code=province,
                source=row.source,
                label=row.label.strip(),
                planned=amounts[i],
                year=row.year,
                source_line=row.source_line,
            )
            for i, row in enumerate(funding)
            if row.keep
        ]
    )
    counts = {
        "targets": len(saved_targets),
        "tasks": len(saved_tasks),
        "deadlines": len(saved_deadlines),
        "funding": len(saved_funding),
    }
    audit_record(
        actor=actor,
        action=PlanningAuditAction.PLAN_IMPORTED,
        target=plan,
        after={
            **plan_snapshot(plan),
            "source_name": plan.source_name,
            "counts": counts,
            "new_agencies": [a.pk for a in new_agencies],
            "funding_difference": None if difference is None else str(difference),
        },
    )
    return ImportResult(plan=plan, counts=counts, new_agencies=new_agencies)


__all__ = [
    "MAX_BYTES",
    "SUFFIXES",
    "DeadlineRow",
    "FundingRow",
    "ImportDraft",
    "ImportHeader",
    "ImportResult",
    "PlanFileError",
    "TargetRow",
    "TaskRow",
    "check_pasted",
    "check_size",
    "decimal_text",
    "draft_from_text",
    "parse_total",
    "plan_import_save",
    "read_upload",
    "sub_units",
    "target_kind",
    "target_subject",
    "total_difference",
]
