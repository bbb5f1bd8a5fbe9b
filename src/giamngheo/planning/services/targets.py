"""Targets (chỉ tiêu) of a plan: save, delete, split over sub-units (phân bổ), and their progress.

Writes (:func:`target_save`, :func:`target_delete`, :func:`targets_cascade`) check that the actor may edit
the plan (``planning.permissions``), validate everything before writing (a ``ValidationError`` with
Vietnamese messages keyed to the form's fields, nothing half-saved), write in one transaction and record
one audit row (``PlanningAuditAction``).

Reads (:func:`plan_targets`, :func:`cascade_proposal`) read the figures of the approved periodic review
rounds (:func:`giamngheo.planning.selectors.unit_figures`, scoped to the viewer) and compute progress and
consistency with the framework-free :mod:`giamngheo.planning.progress`. Progress is never typed in. The
figures, :func:`dashboard_targets` (in ``planning.selectors``) and the display helpers (in
``planning.presentation``) are importable from here too.

Units: a target belongs to the plan's unit or to one of its direct sub-units (:func:`sub_units`): a 2025
province → its 2025 communes; a pre-2025 province → its districts; a pre-2025 district → its communes; a
commune has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Level
from giamngheo.planning import progress as calc
from giamngheo.planning.models import Plan, PlanningAuditAction, Target, TargetKind
from giamngheo.planning.parsing.text import parse_number
from giamngheo.planning.permissions import ensure_can_edit_plan
from giamngheo.planning.presentation import (
    STATUS_CSS,
    STATUS_LABELS,
    amount_text,
    measure_text,
    target_label,
    value_text,
)
from giamngheo.planning.selectors import (
    DashboardTarget,
    dashboard_targets,
    plan_figures,
    plan_period,
    spec_of,
    unit_figures,
)
from giamngheo.reports.selectors import report_years
from giamngheo.site.standards.presentation import number

_HUNDRED = Decimal(100)

# --- units --------------------------------------------------------------------------------------------


def sub_units(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The direct sub-units of ``unit`` in its own generation (a commune has none), by name."""
    if unit.level == Level.COMMUNE:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(parent=unit, generation=unit.generation).order_by("name", "code")


def target_units(plan: Plan) -> list[AdminUnit]:
    """The units a target of ``plan`` may be given to: the plan's unit, then its sub-units."""
    return [plan.unit, *sub_units(plan.unit)]


# --- snapshots and validation ------------------------------------------------------------------------


def _stored(value: Decimal | None) -> str | None:
    """A value as the database keeps it (two decimals)."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def target_snapshot(target: Target) -> dict[str, Any]:
    return {
        "plan": target.plan_id,
        "unit": target.unit_id,
        "year": target.year,
        "kind": target.kind,
        "value": _stored(target.value),
        "value_max": _stored(target.value_max),
        "subject": target.subject,
        "text": target.text,
        "parent": target.parent_id,
        "share_method": target.share_method,
    }


def _unit_refusal(plan: Plan, unit: AdminUnit) -> str | None:
    if unit.pk == plan.unit_id:
        return None
    if unit.parent_id == plan.unit_id and unit.generation == plan.unit.generation:
        return None
    return _("{unit} không thuộc {plan_unit}, đơn vị của kế hoạch này.").format(
        unit=unit.name, plan_unit=plan.unit.name
    )


def _decimal(value: Any) -> Decimal | None:
    """A number from a form ("11.869", "5,8", "-3") or a number; ``None`` when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int | float):
        found = Decimal(str(value))
        return found if found.is_finite() else None
    text = str(value).strip()
    negative = text.startswith(("-", "−"))
    parsed = parse_number(text[1:] if negative else text)
    if parsed is None:
        return None
    return -parsed if negative else parsed


def _check_value(kind: str, value: Decimal, name: str, errors: dict[str, list[str]]) -> None:
    if value < 0:
        errors.setdefault(name, []).append(_("Giá trị chỉ tiêu không được âm."))
    elif kind in calc.PERCENT_KINDS and value > _HUNDRED:
        errors.setdefault(name, []).append(_("Tỷ lệ không được lớn hơn 100 %."))
    if kind in calc.COUNT_KINDS and value != value.to_integral_value():
        errors.setdefault(name, []).append(_("Số hộ phải là số nguyên."))


def _validate(
    *,
    plan: Plan,
    unit: AdminUnit,
    year: int | None,
    kind: str,
    value: Any,
    value_max: Any,
    subject: str,
) -> tuple[Decimal, Decimal | None]:
    """Every problem of a target at once (``ValidationError`` keyed to the fields), else the values."""
    errors: dict[str, list[str]] = {}
    refusal = _unit_refusal(plan, unit)
    if refusal is not None:
        errors["unit"] = [refusal]
    if year is not None and not plan.period_start.year <= year <= plan.period_end.year:
        errors["year"] = [
            _("Năm {year} nằm ngoài thời kỳ của kế hoạch ({start}–{end}).").format(
                year=year, start=plan.period_start.year, end=plan.period_end.year
            )
        ]
    if kind not in TargetKind.values:
        errors["kind"] = [_("Loại chỉ tiêu không hợp lệ.")]
    amount = _decimal(value)
    upper = _decimal(value_max)
    if amount is None:
        errors["value"] = [_("Hãy nhập giá trị chỉ tiêu (một số).")]
    else:
        _check_value(kind, amount, "value", errors)
    if value_max not in (None, "") and upper is None:
        errors["value_max"] = [_("Giá trị tối đa phải là một số.")]
    elif upper is not None:
        _check_value(kind, upper, "value_max", errors)
        if amount is not None and upper < amount:
            errors.setdefault("value_max", []).append(
                _("Giá trị tối đa ({upper}) nhỏ hơn giá trị chỉ tiêu ({value}).").format(
                    upper=number(float(upper), 2), value=number(float(amount), 2)
                )
            )
    if kind == TargetKind.COVERAGE and not subject.strip():
        errors["subject"] = [_("Chỉ tiêu bao phủ cần ghi đối tượng (ví dụ: hộ nghèo có thẻ bảo hiểm y tế).")]
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    return amount, upper


# --- writes ---------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def target_save(
    *,
    plan: Plan,
    actor: User | None,
    unit: AdminUnit,
    year: int | None,
    kind: str,
    value: Decimal | float | int | str,
    value_max: Decimal | float | int | str | None = None,
    subject: str = "",
    text: str = "",
    target: Target | None = None,
) -> Target:
    """Create a target of ``plan`` (or change ``target``) for ``unit`` and ``year`` (``None``: every year
    of the plan's period).

    Refused with a ``ValidationError`` (nothing saved): a unit that is neither the plan's unit nor one
    of its sub-units, a year outside the plan's period, an unknown kind, a negative value, a percentage
    above 100, a households count that is not whole, ``value_max`` below ``value``, a coverage target
    without its subject. ``PermissionDenied`` when the actor may not edit the plan. A cascaded target
    keeps its parent (the consistency check shows if it no longer adds up)."""
    ensure_can_edit_plan(actor, plan)
    if target is not None and target.plan_id != plan.pk:
        raise ValidationError(_("Chỉ tiêu này không thuộc kế hoạch đang sửa."))
    amount, upper = _validate(
        plan=plan, unit=unit, year=year, kind=kind, value=value, value_max=value_max, subject=subject
    )
    before = None
    if target is None:
        target = Target(plan=plan)
    else:
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = target_snapshot(target)
    target.unit = unit
    target.province_code = unit.province_code
    target.year = year
    target.kind = kind
    target.value = amount
    target.value_max = upper
    target.subject = subject.strip()
    target.text = text.strip()
    target.full_clean()
    target.save()
    audit_record(
        actor=actor,
        action=PlanningAuditAction.TARGET_SAVED,
        target=target,
        before=before,
        after=target_snapshot(target),
    )
    return target


@transaction.atomic(durable=True)
def target_delete(*, target: Target, actor: User | None) -> None:
    """Delete a target and the targets split from it (its children)."""
    ensure_can_edit_plan(actor, target.plan)
    before = target_snapshot(target)
    before["children"] = [target_snapshot(child) for child in target.children.all()]
    audit_record(actor=actor, action=PlanningAuditAction.TARGET_DELETED, target=target, before=before)
    target.delete()


class ShareMethod:
    """How a target is split over sub-units (``Target.share_method``)."""

    PROPORTIONAL = "proportional"
    MANUAL = "manual"
    CHOICES = (
        (PROPORTIONAL, gettext_lazy("Theo tỷ lệ số hộ nghèo của từng đơn vị")),
        (MANUAL, gettext_lazy("Nhập tay cho từng đơn vị")),
    )


def _base_year(target: Target) -> int:
    return target.year if target.year is not None else target.plan.period_start.year


@dataclass(frozen=True)
class CascadeProposal:
    """The proportional split of a target over the plan unit's sub-units: ``values`` per sub-unit id (in
    the target's measure), read from the approved figures of ``year`` (the latest approved year before
    the target's year). ``missing``: sub-units without figures that year; ``problem``: why there is no
    proposal (no figures, no sub-unit)."""

    units: list[AdminUnit]
    year: int | None = None
    values: dict[int, Decimal] = field(default_factory=dict)
    poor: dict[int, int] = field(default_factory=dict)
    bases: dict[int, int] = field(default_factory=dict)
    base: int | None = None
    missing: list[AdminUnit] = field(default_factory=list)
    problem: str = ""


def cascade_refusal(target: Target) -> str | None:
    """Why ``target`` cannot be split over sub-units, or ``None``."""
    if target.kind not in calc.CASCADE_KINDS:
        return _("Chỉ phân bổ được chỉ tiêu số hộ thoát nghèo hoặc chỉ tiêu giảm tỷ lệ (điểm %).")
    if target.unit_id != target.plan.unit_id:
        return _("Chỉ phân bổ được chỉ tiêu của chính đơn vị lập kế hoạch.")
    if not sub_units(target.plan.unit).exists():
        return _("{unit} không có đơn vị cấp dưới để phân bổ.").format(unit=target.plan.unit.name)
    return None


def cascade_proposal(*, viewer: Viewer, target: Target) -> CascadeProposal:
    """The proportional split of ``target`` (see :class:`CascadeProposal`): households split by the
    largest remainder proportionally to each sub-unit's poor households; a points target through the
    households it means (``points × base / 100``), given back in points of each sub-unit's base."""
    units = list(sub_units(target.plan.unit))
    until = _base_year(target)
    years = [y for y in report_years(viewer=viewer) if y < until]
    for year in years:  # newest first
        figures = unit_figures(viewer=viewer, unit=target.plan.unit, years=[year])
        rows = {int(r["unit_id"]): r for r in figures.iter_rows(named=True)}
        if not any(u.pk in rows for u in units):
            continue
        poor = {u.pk: int(rows[u.pk]["poor"]) for u in units if u.pk in rows}
        bases = {u.pk: int(rows[u.pk]["households"]) for u in units if u.pk in rows}
        missing = [u for u in units if u.pk not in rows]
        weights = {u.pk: poor.get(u.pk, 0) for u in units}
        if target.kind in calc.COUNT_KINDS:
            parts = calc.largest_remainder(int(target.value), weights)
            values = {k: Decimal(v) for k, v in parts.items()}
            base = None
        else:
            base = int(rows[target.plan.unit_id]["households"]) if target.plan.unit_id in rows else None
            if not base:
                continue
            _parts, points = calc.split_points(float(target.value), base, weights, bases)
            values = {k: Decimal(str(v)).quantize(Decimal("0.01")) for k, v in points.items()}
        return CascadeProposal(units, year, values, poor, bases, base, missing)
    return CascadeProposal(
        units,
        problem=_(
            "Chưa có kết quả rà soát định kỳ được phê duyệt trước năm {year} để phân bổ theo số hộ nghèo; "
            "hãy nhập tay."
        ).format(year=until),
    )


def _manual_values(
    target: Target, units: list[AdminUnit], shares: Mapping[int, Any], proposal: CascadeProposal | None
) -> dict[int, Decimal]:
    known = {u.pk: u for u in units}
    unknown = [k for k in shares if k not in known]
    if unknown:
        raise ValidationError(
            {"shares": [_("Có đơn vị không thuộc {unit}.").format(unit=target.plan.unit.name)]}
        )
    values: dict[int, Decimal] = {}
    errors: list[str] = []
    for unit in units:
        raw = shares.get(unit.pk)
        amount = Decimal(0) if raw in (None, "") else _decimal(raw)
        if amount is None:
            errors.append(_("{unit}: hãy nhập một số.").format(unit=unit.name))
            continue
        problems: dict[str, list[str]] = {}
        _check_value(target.kind, amount, "share", problems)
        errors += [f"{unit.name}: {p}" for p in problems.get("share", [])]
        values[unit.pk] = amount
    if errors:
        raise ValidationError({"shares": errors})
    if target.kind in calc.COUNT_KINDS:
        total = sum(values.values(), Decimal(0))
        if total != target.value:
            difference = total - target.value
            message = (
                _("Tổng phân bổ là {total} hộ, nhiều hơn chỉ tiêu {value} hộ là {difference} hộ.")
                if difference > 0
                else _("Tổng phân bổ là {total} hộ, ít hơn chỉ tiêu {value} hộ là {difference} hộ.")
            )
            raise ValidationError(
                {
                    "shares": [
                        message.format(
                            total=number(float(total)),
                            value=number(float(target.value)),
                            difference=number(float(abs(difference))),
                        )
                    ]
                },
                code="sum",
            )
        return values
    # points: the households they mean, weighted by each sub-unit's base, must give the parent's
    if proposal is None or proposal.base is None or proposal.missing:
        raise ValidationError(
            {
                "shares": [
                    _(
                        "Chưa có số hộ của {unit} và mọi đơn vị cấp dưới (kết quả rà soát đã phê duyệt) nên "
                        "không kiểm tra được phân bổ điểm %."
                    ).format(unit=target.plan.unit.name)
                ]
            }
        )
    expected = float(target.value) * proposal.base / 100
    found = sum(float(values[k]) * proposal.bases.get(k, 0) / 100 for k in values)
    allowed = calc.tolerance(proposal.base)
    if abs(found - expected) > allowed:
        raise ValidationError(
            {
                "shares": [
                    _(
                        "Phân bổ tương ứng {found} hộ thoát nghèo (theo số hộ năm {year} của từng đơn vị), "
                        "chỉ tiêu {value} điểm % của {unit} tương ứng {expected} hộ: lệch {difference} hộ "
                        "(cho phép {allowed} hộ)."
                    ).format(
                        found=number(found, 1),
                        year=proposal.year,
                        value=number(float(target.value), 2),
                        unit=target.plan.unit.name,
                        expected=number(expected, 1),
                        difference=number(found - expected, 1),
                        allowed=number(allowed, 1),
                    )
                ]
            },
            code="sum",
        )
    return values


@transaction.atomic(durable=True)
def targets_cascade(
    *,
    parent_target: Target,
    actor: User | None,
    method: str = ShareMethod.PROPORTIONAL,
    shares: Mapping[int, Any] | None = None,
) -> list[Target]:
    """Split ``parent_target`` (households, or a cut in points, of the plan's unit) over the unit's
    sub-units, replacing an earlier split.

    ``proportional``: by each sub-unit's poor households in the latest approved year before the target's
    year (:func:`cascade_proposal`; refused when a sub-unit has no figures that year). ``manual``:
    ``shares`` gives each sub-unit's value (missing: 0); households must add up to the parent exactly, a
    points split must give the parent's households through each sub-unit's base within
    :func:`giamngheo.planning.progress.tolerance` — otherwise a ``ValidationError`` says by how much.
    Only ``value`` is split (a range's upper end is not)."""
    ensure_can_edit_plan(actor, parent_target.plan)
    parent = Target.objects.select_for_update().select_related("plan__unit").get(pk=parent_target.pk)
    refusal = cascade_refusal(parent)
    if refusal is not None:
        raise ValidationError({"method": [refusal]})
    units = list(sub_units(parent.plan.unit))
    if method == ShareMethod.PROPORTIONAL:
        proposal = cascade_proposal(viewer=actor, target=parent)
        if proposal.problem:
            raise ValidationError({"method": [proposal.problem]})
        if proposal.missing:
            raise ValidationError(
                {
                    "method": [
                        _(
                            "Năm {year} chưa có kết quả rà soát được phê duyệt của: {units}; hãy nhập tay."
                        ).format(year=proposal.year, units=", ".join(u.name for u in proposal.missing))
                    ]
                }
            )
        values = proposal.values
    elif method == ShareMethod.MANUAL:
        needs_base = parent.kind in calc.POINTS_KINDS
        values = _manual_values(
            parent, units, shares or {}, cascade_proposal(viewer=actor, target=parent) if needs_base else None
        )
    else:
        raise ValidationError({"method": [_("Cách phân bổ không hợp lệ.")]})
    old = [target_snapshot(child) for child in parent.children.all()]
    parent.children.all().delete()
    children = [
        Target(
            plan=parent.plan,
            unit=unit,
            province_code=unit.province_code,
            year=parent.year,
            kind=parent.kind,
            value=values.get(unit.pk, Decimal(0)),
            parent=parent,
            share_method=method,
            text=_("Phân bổ từ chỉ tiêu của {unit}").format(unit=parent.plan.unit.name),
        )
        for unit in units
    ]
    for child in children:
        child.full_clean()
    Target.objects.bulk_create(children)
    parent.share_method = method
    parent.save(update_fields=["share_method"])
    audit_record(
        actor=actor,
        action=PlanningAuditAction.TARGETS_CASCADED,
        target=parent,
        before={"children": old},
        after={"method": method, "children": [target_snapshot(c) for c in children]},
    )
    return children


# --- the targets of a plan, with their progress ---------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    target: Target
    progress: calc.Progress
    depth: int = 0  # 1: split from the row above it (cascade)
    can_cascade: bool = False


@dataclass(frozen=True)
class PlanTargets:
    plan: Plan
    rows: list[TargetRow]
    disagreements: list[calc.Disagreement]
    units: dict[int, AdminUnit]
    years: list[int]  # the approved years read


def plan_targets(*, viewer: Viewer, plan: Plan) -> PlanTargets:
    """The plan's targets in reading order (by year, the plan's unit first, each split target's children
    right under it), with their progress and the table's consistency problems."""
    targets = list(plan.targets.select_related("unit").order_by("year", "pk"))
    units = {u.pk: u for u in target_units(plan)}
    units.update({t.unit_id: t.unit for t in targets})
    figures = plan_figures(viewer=viewer, plan=plan)
    period = plan_period(plan)
    specs = [spec_of(t) for t in targets]
    found = calc.progress(specs, figures, period)
    disagreements = calc.consistency(specs, figures, period)
    ids = {t.pk for t in targets}
    children: dict[int, list[Target]] = {}
    for t in targets:
        if t.parent_id in ids:
            children.setdefault(t.parent_id, []).append(t)
    tops = [t for t in targets if t.parent_id not in ids]
    tops.sort(
        key=lambda t: (
            t.year is not None,
            t.year or 0,
            t.unit_id != plan.unit_id,
            t.unit.name,
            list(TargetKind.values).index(t.kind) if t.kind in TargetKind.values else 99,
            t.pk,
        )
    )
    rows: list[TargetRow] = []
    for top in tops:
        rows.append(TargetRow(top, found[top.pk], 0, cascade_refusal(top) is None))
        for child in sorted(children.get(top.pk, []), key=lambda c: (c.unit.name, c.pk)):
            rows.append(TargetRow(child, found[child.pk], 1, False))
    years = sorted({int(y) for y in figures["year"].to_list()}) if figures.height else []
    return PlanTargets(plan, rows, disagreements, units, years)


__all__ = [
    "STATUS_CSS",
    "STATUS_LABELS",
    "CascadeProposal",
    "DashboardTarget",
    "PlanTargets",
    "ShareMethod",
    "TargetRow",
    "amount_text",
    "cascade_proposal",
    "cascade_refusal",
    "dashboard_targets",
    "measure_text",
    "plan_figures",
    "plan_targets",
    "spec_of",
    "sub_units",
    "target_delete",
    "target_label",
    "target_save",
    "target_snapshot",
    "target_units",
    "targets_cascade",
    "unit_figures",
    "value_text",
]
