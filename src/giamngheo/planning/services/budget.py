"""Funding lines (nguồn vốn) of a plan: writes, and the totals and reconciliation the budget page shows.

A line is an amount of one source (:class:`FundingSource`) for a unit, a year (or the whole period) and a
project, in million VND (triệu đồng): planned (kế hoạch), allocated (đã phân bổ) and disbursed (đã
giải ngân). Saving refuses negative amounts and a disbursement above the allocation; an allocation above
the plan is kept (it happens: a later top-up) but flagged by :func:`funding_summary`. Several lines
given together (:func:`funding_lines_save`, e.g. the sources a plan lists under "Tổng kinh phí … bao
gồm") must add up to the total the plan declares, or none is saved. :func:`funding_summary` checks a
plan's lines against its own total (``Plan.funding_total``) when the caller passes it.

Project: the component projects (dự án thành phần) of the national target programme on sustainable
poverty reduction 2021–2025 (Quyết định 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ, Mục III —
check the section when editing) are offered as suggestions (:data:`PROGRAMME_PROJECTS`); any other name
is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.services import audit_record
from giamngheo.documents.formatting import number
from giamngheo.geo.models import AdminUnit, Level
from giamngheo.planning.models import FundingLine, FundingSource, Plan, PlanningAuditAction
from giamngheo.planning.permissions import ensure_can_edit_plan

PROGRAMME_PROJECTS: Final = (
    "Dự án 1: Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc biệt khó "
    "khăn vùng bãi ngang, ven biển và hải đảo",
    "Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo",
    "Dự án 3: Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng",
    "Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững",
    "Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo",
    "Dự án 6: Truyền thông và giảm nghèo về thông tin",
    "Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình",
)
MAX_AMOUNT: Final = Decimal("9999999999999.999")  # max_digits=16, decimal_places=3
_MILLI: Final = Decimal("0.001")


def parse_amount(text: str) -> Decimal | None:
    """An amount written the Vietnamese way: ``5.440.412`` or ``1.621.667,5`` (dots group thousands, a
    comma marks decimals); an empty text is ``None``. Anything else → ``ValueError``."""
    cleaned = "".join(text.split()).replace(".", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def amount_text(value: Decimal | None) -> str:
    """``5.440.412``; ``1.234,5``; ``None`` → empty. Up to three decimals, trailing zeros dropped."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), 3) if isinstance(exponent, int) else 0
    return number(value, decimals)


# --- Writes ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundingInput:
    """One line to save with :func:`funding_lines_save`."""

    source: str
    planned: Decimal
    unit: AdminUnit | None = None
    year: int | None = None
    project: str = ""
    label: str = ""
    allocated: Decimal | None = None
    disbursed: Decimal | None = None
    source_line: int | None = None


def _within(plan_unit: AdminUnit, unit: AdminUnit) -> bool:
    """``unit`` is the plan's unit or lies under it (up to two levels: district → commune)."""
    current: AdminUnit | None = unit
    for _level in range(3):
        if current is None:
            return False
        if current.pk == plan_unit.pk:
            return True
        current = current.parent
    return False


def _clean_line(plan: Plan, item: FundingInput, *, prefix: str = "") -> dict[str, Any]:
    """The validated fields of a line, or a ``ValidationError`` keyed to the field (``prefix`` names
    the line in a batch: "Dòng 3: ")."""
    errors: dict[str, str] = {}
    unit = item.unit or plan.unit
    if not _within(plan.unit, unit):
        errors["unit"] = prefix + _("{unit} không thuộc địa bàn của kế hoạch ({plan_unit}).").format(
            unit=unit.name, plan_unit=plan.unit.name
        )
    if item.year is not None and not plan.period_start.year <= item.year <= plan.period_end.year:
        errors["year"] = prefix + _("Năm {year} ngoài thời gian của kế hoạch ({first}–{last}).").format(
            year=item.year, first=plan.period_start.year, last=plan.period_end.year
        )
    if item.source not in FundingSource.values:
        errors["source"] = prefix + _("Nguồn vốn không hợp lệ.")
    amounts = {"planned": item.planned, "allocated": item.allocated, "disbursed": item.disbursed}
    labels = {"planned": _("Kế hoạch"), "allocated": _("Đã phân bổ"), "disbursed": _("Đã giải ngân")}
    for name, value in amounts.items():
        if value is None:
            continue
        if value < 0:
            errors[name] = prefix + _("{what} không được âm ({value}).").format(
                what=labels[name], value=amount_text(value)
            )
        elif value > MAX_AMOUNT or value != value.quantize(_MILLI, rounding=ROUND_HALF_UP):
            errors[name] = prefix + _("{what}: số quá lớn hoặc quá ba chữ số thập phân ({value}).").format(
                what=labels[name], value=value
            )
    if "disbursed" not in errors and item.disbursed is not None:
        if item.allocated is None:
            errors["allocated"] = prefix + _("Đã có số giải ngân thì phải nhập số đã phân bổ.")
        elif "allocated" not in errors and item.disbursed > item.allocated:
            errors["disbursed"] = prefix + _(
                "Đã giải ngân ({disbursed}) lớn hơn đã phân bổ ({allocated}) triệu đồng."
            ).format(disbursed=amount_text(item.disbursed), allocated=amount_text(item.allocated))
    if errors:
        raise ValidationError(errors)
    return {
        "unit": unit,
        "year": item.year,
        "source": item.source,
        "project": item.project.strip(),
        "label": item.label.strip(),
        "planned": item.planned,
        "allocated": item.allocated,
        "disbursed": item.disbursed,
    }


def funding_snapshot(line: FundingLine) -> dict[str, Any]:
    return {
        "plan": line.plan_id,
        "unit": line.unit_id,
        "year": line.year,
        "source": line.source,
        "project": line.project,
        "label": line.label,
        "planned": line.planned,
        "allocated": line.allocated,
        "disbursed": line.disbursed,
    }


def _write(plan: Plan, actor: User | None, values: dict[str, Any], line: FundingLine | None) -> FundingLine:
    current = line or FundingLine(plan=plan, province_code=plan.province_code)
    before = funding_snapshot(FundingLine.objects.get(pk=line.pk)) if line is not None else None
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=PlanningAuditAction.FUNDING_SAVED,
        target=current,
        before=before,
        after=funding_snapshot(current),
    )
    return current


@transaction.atomic(durable=True)
def funding_save(
    *,
    plan: Plan,
    actor: User | None,
    source: str,
    planned: Decimal,
    unit: AdminUnit | None = None,
    year: int | None = None,
    project: str = "",
    label: str = "",
    allocated: Decimal | None = None,
    disbursed: Decimal | None = None,
    line: FundingLine | None = None,
) -> FundingLine:
    """Add a funding line to ``plan`` (``line`` is ``None``) or change one of its lines. ``unit``
    defaults to the plan's unit; ``year`` ``None`` is the whole period."""
    ensure_can_edit_plan(actor, plan)
    if line is not None and line.plan_id != plan.pk:
        raise ValidationError(_("Dòng nguồn vốn không thuộc kế hoạch này."))
    item = FundingInput(source, planned, unit, year, project, label, allocated, disbursed)
    return _write(plan, actor, _clean_line(plan, item), line)


@transaction.atomic(durable=True)
def funding_lines_save(
    *,
    plan: Plan,
    actor: User | None,
    lines: Sequence[FundingInput],
    declared_total: Decimal | None = None,
) -> list[FundingLine]:
    """Add several funding lines at once, all or none. With ``declared_total`` (the "Tổng kinh phí"
    the plan states) their planned amounts must add up to it exactly (Yên Bái 2019: five sources,
    5.440.412 triệu đồng)."""
    ensure_can_edit_plan(actor, plan)
    if not lines:
        raise ValidationError(_("Không có dòng nguồn vốn nào để lưu."))
    cleaned = []
    for index, item in enumerate(lines, start=1):
        try:
            cleaned.append(_clean_line(plan, item, prefix=_("Dòng {n}: ").format(n=index)))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
    total = sum((item.planned for item in lines), Decimal(0))
    if declared_total is not None and total != declared_total:
        raise ValidationError(
            {
                "declared_total": _(
                    "Các dòng cộng lại {total} triệu đồng, khác tổng kinh phí {declared} triệu đồng "
                    "(chênh lệch {difference}). Không dòng nào được lưu."
                ).format(
                    total=amount_text(total),
                    declared=amount_text(declared_total),
                    difference=amount_text(total - declared_total),
                )
            }
        )
    return [
        _write(plan, actor, {**values, "source_line": item.source_line}, None)
        for item, values in zip(lines, cleaned, strict=True)
    ]


# --- Totals and reconciliation -----------------------------------------------------------------------


@dataclass(slots=True)
class Totals:
    """Sums of planned / allocated / disbursed; ``allocated`` and ``disbursed`` count the lines that
    have them (``None`` when no line has)."""

    planned: Decimal = Decimal(0)
    allocated: Decimal | None = None
    disbursed: Decimal | None = None
    lines: int = 0

    def add(self, line: FundingLine) -> None:
        self.planned += line.planned
        if line.allocated is not None:
            self.allocated = (self.allocated or Decimal(0)) + line.allocated
        if line.disbursed is not None:
            self.disbursed = (self.disbursed or Decimal(0)) + line.disbursed
        self.lines += 1

    @property
    def rate(self) -> Decimal | None:
        """Disbursement rate (tỷ lệ giải ngân): disbursed ÷ allocated, in % with two decimals (half up)."""
        if self.disbursed is None or not self.allocated:
            return None
        return (self.disbursed * 100 / self.allocated).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Issue:
    """A disagreement the budget page shows, with its numbers."""

    message: str
    line: FundingLine | None = None


@dataclass(slots=True)
class FundingSummary:
    lines: list[FundingLine]
    by_source: list[tuple[str, Totals]] = field(default_factory=list)
    by_year: list[tuple[int | None, Totals]] = field(default_factory=list)
    by_unit: list[tuple[AdminUnit, Totals]] = field(default_factory=list)
    by_project: list[tuple[str, Totals]] = field(default_factory=list)
    total: Totals = field(default_factory=Totals)
    declared_total: Decimal | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def reconciles(self) -> bool:
        return not self.issues


def funding_summary(lines: Iterable[FundingLine], declared_total: Decimal | None = None) -> FundingSummary:
    """Totals per source, year, unit and project and the grand total of ``lines`` (with their units
    fetched), and what does not reconcile: an allocation above the plan, a disbursement above the
    allocation, and the grand total against ``declared_total`` when given."""
    summary = FundingSummary(lines=list(lines), declared_total=declared_total)
    sources: dict[str, Totals] = {}
    years: dict[int | None, Totals] = {}
    units: dict[int, tuple[AdminUnit, Totals]] = {}
    projects: dict[str, Totals] = {}
    for line in summary.lines:
        sources.setdefault(line.source, Totals()).add(line)
        years.setdefault(line.year, Totals()).add(line)
        units.setdefault(line.unit_id, (line.unit, Totals()))[1].add(line)
        projects.setdefault(line.project, Totals()).add(line)
        summary.total.add(line)
        name = line.label or line.project or line.get_source_display()
        if line.allocated is not None and line.allocated > line.planned:
            summary.issues.append(
                Issue(
                    _("{name}: đã phân bổ {allocated} lớn hơn kế hoạch {planned} triệu đồng.").format(
                        name=name, allocated=amount_text(line.allocated), planned=amount_text(line.planned)
                    ),
                    line,
                )
            )
        if line.disbursed is not None and line.disbursed > (line.allocated or Decimal(0)):
            summary.issues.append(
                Issue(
                    _("{name}: đã giải ngân {disbursed} lớn hơn đã phân bổ {allocated} triệu đồng.").format(
                        name=name,
                        disbursed=amount_text(line.disbursed),
                        allocated=amount_text(line.allocated or Decimal(0)),
                    ),
                    line,
                )
            )
    order = {value: index for index, value in enumerate(FundingSource.values)}
    summary.by_source = sorted(sources.items(), key=lambda item: order.get(item[0], len(order)))
    summary.by_year = sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0))
    levels = {value: index for index, value in enumerate(Level.values)}
    summary.by_unit = sorted(units.values(), key=lambda item: (levels.get(item[0].level, 9), item[0].name))
    summary.by_project = sorted(projects.items())
    if declared_total is not None and summary.total.planned != declared_total:
        difference = summary.total.planned - declared_total
        summary.issues.append(
            Issue(
                _(
                    "Tổng các dòng {total} triệu đồng khác tổng kinh phí của kế hoạch {declared} triệu "
                    "đồng (chênh lệch {difference})."
                ).format(
                    total=amount_text(summary.total.planned),
                    declared=amount_text(declared_total),
                    difference=("+" if difference > 0 else "") + amount_text(difference),
                )
            )
        )
    return summary
