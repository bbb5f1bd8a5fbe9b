"""The draft of a plan import (nhập kế hoạch từ văn bản): the document's text, then the rows a person
will check before anything is saved (:mod:`giamngheo.planning.services.importing` saves them).

1. :func:`read_upload` reads an uploaded .txt / .md / .docx (at most :data:`MAX_BYTES`) with the parser's
   reader; pasted text is taken as it is (:func:`check_pasted`).
2. :func:`draft_from_text` parses it with the same parser as ``giamngheo plan parse``
   (:func:`giamngheo.planning.parsing.parse_plan`) and turns the result into an :class:`ImportDraft`: the
   header prefilled (title, number, date, issuer, period from the years, total funding) and one row per
   target, task, reporting deadline and funding line, each with the line of the text it came from. A
   target's scope ("Huyện Trạm Tấu") is matched to a sub-unit of the plan's unit by its folded name. The
   draft is plain data (:meth:`ImportDraft.as_json`), kept in the session between requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import Plan, PlanStatus, TargetKind
from giamngheo.planning.parsing import PlanDraft, parse_plan
from giamngheo.planning.parsing import Target as ParsedTarget
from giamngheo.planning.parsing.reader import PlanReadError, decode_text, docx_text
from giamngheo.planning.services.agencies import folded
from giamngheo.planning.services.plans import amount_text
from giamngheo.planning.services.targets import sub_units as target_sub_units

MAX_BYTES: Final = 2 * 1024 * 1024
SUFFIXES: Final = (".txt", ".md", ".markdown", ".docx")


class PlanFileError(ValueError):
    """A plan document that cannot be taken: ``message`` is for people (Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reading -----------------------------------------------------------------------------------------


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded plan file; :class:`PlanFileError` with a Vietnamese message when it is
    too big, of another type, unreadable or empty."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanFileError(
            _("Tệp {name} không đọc được: chỉ nhận tệp văn bản .txt, .md hoặc Word .docx.").format(name=name)
        )
    check_size(name, len(data))
    try:
        text = docx_text(data, name) if suffix == ".docx" else decode_text(data)
    except PlanReadError as error:
        raise PlanFileError(error.message_vi) from error
    if not text.strip():
        raise PlanFileError(_("Tệp {name} không có nội dung.").format(name=name))
    return text


def check_size(name: str, size: int) -> None:
    """:class:`PlanFileError` when a file of ``size`` bytes is above :data:`MAX_BYTES`."""
    if size > MAX_BYTES:
        raise PlanFileError(
            _("Tệp {name} quá lớn ({size} MB); tối đa 2 MB.").format(
                name=name, size=f"{size / 1024 / 1024:.1f}".replace(".", ",")
            )
        )


def check_pasted(text: str) -> str:
    """Pasted text, if not empty and not above :data:`MAX_BYTES`."""
    if not text.strip():
        raise PlanFileError(_("Hãy dán nội dung kế hoạch hoặc chọn tệp."))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise PlanFileError(_("Nội dung dán vào quá dài; tối đa 2 MB."))
    return text


# --- The draft ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportHeader:
    """The plan's header as the person will confirm it."""

    title: str
    period_start: dt.date
    period_end: dt.date
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    legal_basis: str = ""
    parent: int | None = None
    parent_reference: str = ""
    status: str = PlanStatus.ACTIVE
    funding_total: str = ""


@dataclass(slots=True)
class TargetRow:
    keep: bool
    text: str
    kind: str
    value: str
    value_max: str
    year: int | None
    unit: int
    subject: str
    source_line: int | None
    scope: str = ""


@dataclass(slots=True)
class TaskRow:
    keep: bool
    text: str
    lead: str
    coordinating: str
    timeframe_kind: str
    month: int | None
    day: int | None
    year: int | None
    every_months: int | None
    source_line: int | None
    section: str = ""
    timeframe_text: str = ""
    assignment_line: int | None = None


@dataclass(slots=True)
class DeadlineRow:
    keep: bool
    text: str
    kind: str
    month: int | None
    day: int | None
    year: int | None
    every_months: int | None
    source_line: int | None


@dataclass(slots=True)
class FundingRow:
    keep: bool
    source: str
    label: str
    amount: str
    source_line: int | None
    year: int | None = None  # a year column of a funding table; None: the whole period


@dataclass(slots=True)
class ImportDraft:
    """Everything the draft page shows; plain data, so it goes into the session as JSON."""

    unit: int
    source_name: str
    source_text: str
    header: ImportHeader
    targets: list[TargetRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    funding: list[FundingRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        header = data["header"]
        for name in ("period_start", "period_end", "issued_on"):
            header[name] = header[name].isoformat() if header[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportDraft:
        header = dict(data["header"])
        for name in ("period_start", "period_end", "issued_on"):
            header[name] = dt.date.fromisoformat(header[name]) if header[name] else None
        return cls(
            unit=int(data["unit"]),
            source_name=str(data["source_name"]),
            source_text=str(data["source_text"]),
            header=ImportHeader(**header),
            targets=[TargetRow(**row) for row in data["targets"]],
            tasks=[TaskRow(**row) for row in data["tasks"]],
            deadlines=[DeadlineRow(**row) for row in data["deadlines"]],
            funding=[FundingRow(**row) for row in data["funding"]],
        )

    def kept(self) -> dict[str, int]:
        """How many rows of each table are kept."""
        return {
            "targets": sum(r.keep for r in self.targets),
            "tasks": sum(r.keep for r in self.tasks),
            "deadlines": sum(r.keep for r in self.deadlines),
            "funding": sum(r.keep for r in self.funding),
        }


def decimal_text(value: Decimal | None) -> str:
    """A number as a person types it: "1,5", "11.869", "5.440.412"; ``None`` → ""."""
    return "" if value is None else amount_text(value)


def target_kind(target: ParsedTarget) -> str:
    """The model's kind of a parsed target (kinds the model has no own kind for are ``other``)."""
    direct = {
        "poor_rate_reduction": TargetKind.POOR_RATE_REDUCTION,
        "near_poor_rate_reduction": TargetKind.NEAR_POOR_RATE_REDUCTION,
        "poor_households_reduction": TargetKind.POOR_HOUSEHOLDS_REDUCTION,
        "coverage": TargetKind.COVERAGE,
    }
    if target.kind in direct:
        return direct[target.kind]
    if target.kind == "end_rate":
        about = folded(f"{target.subject or ''} {target.text}")
        if "can ngheo" in about:
            return TargetKind.END_NEAR_POOR_RATE
        if "ngheo" in about:
            return TargetKind.END_POOR_RATE
    return TargetKind.OTHER


def target_subject(target: ParsedTarget, kind: str) -> str:
    """What the target is about when its kind does not say it: "tỷ lệ lao động qua đào tạo"."""
    if kind in (TargetKind.END_POOR_RATE, TargetKind.END_NEAR_POOR_RATE):
        return ""
    if target.subject:
        return target.subject
    if target.kind == "near_poor_households_reduction":
        return _("giảm số hộ cận nghèo (hộ)")
    return ""


def sub_units(unit: AdminUnit) -> list[AdminUnit]:
    """The direct sub-units of ``unit`` in its own generation, by name (targets may go to them)."""
    return list(target_sub_units(unit))


def _unit_for_scope(scope: str | None, plan_unit: AdminUnit, units: Sequence[AdminUnit]) -> AdminUnit | None:
    """The sub-unit a target's scope names ("Huyện Trạm Tấu", "thành phố Yên Bái"), by folded name."""
    if not scope:
        return None
    wanted = folded(scope)
    for unit in (plan_unit, *units):
        if folded(unit.name) == wanted:
            return unit
    return None


def _period_years(draft: PlanDraft, today: dt.date) -> tuple[int, int]:
    """The plan's first and last year: as the text says; else the start is the year it was issued, else
    the first year a dated task, deadline or target names (a plan starts no later than that), else this
    year (but not after the end)."""
    end = draft.period_end
    start = draft.period_start or (draft.issued_on.year if draft.issued_on else None)
    if start is None:
        named = [t.timeframe.year for t in draft.tasks if t.timeframe.kind == "dated" and t.timeframe.year]
        named += [d.year for d in draft.deadlines if d.kind == "dated" and d.year]
        named += [t.year for t in draft.targets if t.year]
        first = min(named, default=today.year)
        start = min(first, end) if end is not None else first
    end = end if end is not None and end >= start else start
    return start, end


def draft_from_text(
    *,
    unit: AdminUnit,
    text: str,
    source_name: str = "",
    parent: Plan | None = None,
    today: dt.date | None = None,
) -> ImportDraft:
    """Parse ``text`` and prefill the draft for ``unit`` (every row kept)."""
    today = today or timezone.localdate()
    parsed = parse_plan(text)
    start, end = _period_years(parsed, today)
    basis = [act.text for act in parsed.basis]
    header = ImportHeader(
        title=(parsed.title or PurePath(source_name).stem or _("Kế hoạch giảm nghèo"))[:500],
        period_start=dt.date(start, 1, 1),
        period_end=dt.date(end, 12, 31),
        number=(parsed.number or "")[:64],
        issuer=(parsed.issuer or "")[:255],
        issued_on=parsed.issued_on,
        legal_basis="\n".join(basis),
        parent=parent.pk if parent is not None else None,
        parent_reference="" if parent is not None or not basis else basis[0][:500],
        status=PlanStatus.CLOSED if end < today.year else PlanStatus.ACTIVE,
        funding_total=decimal_text(parsed.funding_total_million_vnd),
    )
    units = sub_units(unit)
    targets = []
    for t in parsed.targets:
        kind = target_kind(t)
        matched = _unit_for_scope(t.scope, unit, units)
        subject = target_subject(t, kind)
        if t.scope and matched is None and not subject:
            subject = t.scope
        targets.append(
            TargetRow(
                keep=True,
                text=t.text,
                kind=kind,
                value=decimal_text(t.value),
                value_max=decimal_text(t.value_max),
                year=t.year,
                unit=(matched or unit).pk,
                subject=subject[:255],
                source_line=t.source_line,
                scope=t.scope or "",
            )
        )
    tasks = [
        TaskRow(
            keep=True,
            text=t.text,
            lead="; ".join(a.name for a in t.lead_agencies),
            coordinating="; ".join(a.name for a in t.coordinating_agencies),
            timeframe_kind=t.timeframe.kind,
            month=t.timeframe.month,
            day=t.timeframe.day,
            year=t.timeframe.year,
            every_months=t.timeframe.every_months,
            source_line=t.source_line,
            section=t.section[:255],
            timeframe_text=t.timeframe.text[:255],
            assignment_line=t.assignment_line,
        )
        for t in parsed.tasks
    ]
    deadlines = [
        DeadlineRow(
            keep=True,
            text=d.text,
            kind=d.kind,
            month=d.month,
            day=d.day,
            year=d.year,
            every_months=d.every_months,
            source_line=d.source_line,
        )
        for d in parsed.deadlines
    ]
    funding = [
        FundingRow(
            keep=True,
            source=f.source,
            label=f.label[:500],
            amount=decimal_text(f.amount_million_vnd),
            source_line=f.source_line,
            year=f.year,
        )
        for f in parsed.funding
    ]
    return ImportDraft(
        unit=unit.pk,
        source_name=source_name[:255],
        source_text=text,
        header=header,
        targets=targets,
        tasks=tasks,
        deadlines=deadlines,
        funding=funding,
    )


__all__ = [
    "MAX_BYTES",
    "SUFFIXES",
    "DeadlineRow",
    "FundingRow",
    "ImportDraft",
    "ImportHeader",
    "PlanFileError",
    "TargetRow",
    "TaskRow",
    "check_pasted",
    "check_size",
    "decimal_text",
    "draft_from_text",
    "read_upload",
    "sub_units",
    "target_kind",
    "target_subject",
]
