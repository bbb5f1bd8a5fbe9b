"""Plans (kế hoạch): create and change a plan, which units a user may make plans for, and the reads the
plan pages need (the list with counts, the chain of parent plans).

A plan belongs to a unit: a 2025 province or commune, or a pre-2025 province or district (older plans,
e.g. a district plan of 2022). It implements a parent plan (``parent``): a commune plan implements its
province's plan, which implements a national directive; a parent that is not in the system is written
as text (``parent_reference``). The parent's unit must be the child's unit or contain it
(:func:`unit_within`): a commune plan's parent is a plan of its province; a pre-2025 district plan's
parent is a plan of the old province or of the 2025 province its communes went to (Nghị quyết
202/2025/QH15 on the arrangement of provinces, in force 1 July 2025 — check the article when editing).

Writes (:func:`plan_create`, :func:`plan_update`) check the actor may edit plans of the unit
(``planning.permissions``), validate everything first (a ``ValidationError`` keyed to the form's
fields, Vietnamese messages, nothing written), write in one durable transaction and record one audit
row (``PlanningAuditAction``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import Viewer, sees_everything
from giamngheo.accounts.services import audit_record
from giamngheo.documents.formatting import number
from giamngheo.geo.models import AdminUnit, Generation, Level, UnitMapping, UnitType
from giamngheo.geo.names import address_name
from giamngheo.planning.models import Plan, PlanningAuditAction, PlanStatus, Target, Task
from giamngheo.planning.permissions import ensure_can_edit_plan
from giamngheo.planning.selectors import plan_units_visible_to, plans_visible_to

MAX_AMOUNT: Final = Decimal("9999999999999.999")  # Plan.funding_total: max_digits=16, decimal_places=3
MAX_CHAIN: Final = 12  # parents followed at most (a chain is 2-4 plans long; this only stops a loop)

# --- Units --------------------------------------------------------------------------------------------

#: The prefix of a unit's key in URLs (``?don_vi=tinh-51``), by generation and level.
UNIT_KEY_PREFIXES: Final[Mapping[tuple[str, str], str]] = {
    (Generation.Y2025, Level.PROVINCE): "tinh",
    (Generation.Y2025, Level.COMMUNE): "xa",
    (Generation.PRE_2025, Level.PROVINCE): "tinh-cu",
    (Generation.PRE_2025, Level.DISTRICT): "huyen",
    (Generation.PRE_2025, Level.COMMUNE): "xa-cu",
}
_KEY_LEVELS: Final = {prefix: pair for pair, prefix in UNIT_KEY_PREFIXES.items()}

#: The units plans are made for: 2025 provinces and communes; pre-2025 provinces and districts.
PLAN_UNIT_LEVELS: Final = Q(generation=Generation.Y2025, level__in=[Level.PROVINCE, Level.COMMUNE]) | Q(
    generation=Generation.PRE_2025, level__in=[Level.PROVINCE, Level.DISTRICT]
)


def unit_key(unit: AdminUnit) -> str:
    """The unit in a URL: ``tinh-51``, ``xa-23485``, ``huyen-614``, ``tinh-cu-62``, ``xa-cu-23482``."""
    return f"{UNIT_KEY_PREFIXES[(unit.generation, unit.level)]}-{unit.code}"


def unit_by_key(key: str, units: QuerySet[AdminUnit]) -> AdminUnit | None:
    """The unit of ``key`` among ``units`` (a scoped queryset), or ``None``."""
    prefix, _sep, code = key.rpartition("-")
    pair = _KEY_LEVELS.get(prefix)
    if pair is None or not code:
        return None
    return units.filter(generation=pair[0], level=pair[1], code=code).select_related("parent").first()


def unit_label(unit: AdminUnit) -> str:
    """The unit as in an address, with its parents and the old map marked: "Xã Đăk Kôi, tỉnh Quảng
    Ngãi", "Huyện Kon Rẫy, tỉnh Kon Tum (trước 01/07/2025)". Reads ``unit.parent`` (select it)."""
    parent = unit.parent
    names = [unit.name, parent.name if parent else None]
    if parent is not None and parent.level == Level.DISTRICT and parent.parent is not None:
        names.append(parent.parent.name)
    text = address_name(*names)
    if unit.generation == Generation.PRE_2025:
        return _("{name} (trước 01/07/2025)").format(name=text)
    return text


def plan_units_editable_by(actor: Viewer) -> QuerySet[AdminUnit]:
    """The units ``actor`` may make plans for (the choices of the create and import forms).

    The plan units (:data:`PLAN_UNIT_LEVELS`) the actor sees, for the roles that edit plans
    (``planning.permissions.plan_edit_refusal``: system administrators everywhere, province officers their
    province with its pre-2025 units, commune officers their communes); nobody else. The services check
    every write again with ``ensure_can_edit_plan``.
    """
    units = AdminUnit.objects.filter(PLAN_UNIT_LEVELS)
    if sees_everything(actor):
        return units
    if not isinstance(actor, User) or not actor.is_active:
        return AdminUnit.objects.none()
    if actor.role == Role.PROVINCE_OFFICER:
        return units.filter(pk__in=plan_units_visible_to(actor).values("pk"))
    if actor.role == Role.COMMUNE_OFFICER:
        return units.filter(
            pk__in=plan_units_visible_to(actor).values("pk"), generation=Generation.Y2025, level=Level.COMMUNE
        )
    return AdminUnit.objects.none()


def _old_communes(unit: AdminUnit) -> QuerySet[AdminUnit]:
    if unit.level == Level.COMMUNE:
        return AdminUnit.objects.filter(pk=unit.pk)
    if unit.level == Level.DISTRICT:
        return AdminUnit.objects.filter(parent=unit, level=Level.COMMUNE)
    return AdminUnit.objects.filter(parent__parent=unit, level=Level.COMMUNE)


def unit_within(inner: AdminUnit, outer: AdminUnit) -> bool:
    """``inner`` is ``outer`` or lies inside it.

    In one generation: by parents (commune → district → province). A pre-2025 unit lies inside a 2025
    province when some of its communes (or the unit itself, an island district) went to that province
    (``geo.UnitMapping``): Huyện Kon Rẫy of Kon Tum lies inside the 2025 Quảng Ngãi.
    """
    if inner.pk == outer.pk:
        return True
    if inner.generation == outer.generation:
        current = inner.parent
        for _step in range(3):
            if current is None:
                return False
            if current.pk == outer.pk:
                return True
            current = current.parent
        return False
    if inner.generation == Generation.PRE_2025 and outer.level == Level.PROVINCE:
        return UnitMapping.objects.filter(
            Q(old_unit__in=_old_communes(inner)) | Q(old_unit=inner),
            new_unit__province_code=outer.province_code,
        ).exists()
    return False


def level_word(unit: AdminUnit) -> str:
    """The word for the unit's level in an agency's name: "tỉnh", "huyện", "xã", "phường" …"""
    words = {
        UnitType.PROVINCE: "tỉnh",
        UnitType.CENTRAL_CITY: "thành phố",
        UnitType.URBAN_DISTRICT: "quận",
        UnitType.RURAL_DISTRICT: "huyện",
        UnitType.TOWN: "thị xã",
        UnitType.PROVINCIAL_CITY: "thành phố",
        UnitType.COMMUNE: "xã",
        UnitType.WARD: "phường",
        UnitType.SPECIAL_ZONE: "đặc khu",
        UnitType.TOWNSHIP: "thị trấn",
    }
    return words.get(UnitType(unit.unit_type), "")


# --- Writes -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanFields:
    """What a person states about a plan (the form, or the header of an imported document)."""

    title: str
    period_start: dt.date | None
    period_end: dt.date | None
    number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    legal_basis: str = ""
    parent: Plan | None = None
    parent_reference: str = ""
    status: str = PlanStatus.ACTIVE
    funding_total: Decimal | None = None


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    return {
        "unit": plan.unit_id,
        "title": plan.title,
        "number": plan.number,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on,
        "legal_basis": plan.legal_basis,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "parent": plan.parent_id,
        "parent_reference": plan.parent_reference,
        "status": plan.status,
        "funding_total": None if plan.funding_total is None else str(plan.funding_total),
        "version": plan.version,
    }


def _too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("Tối đa {limit} ký tự (đang có {count}).").format(limit=limit, count=len(value))
    return None


def plan_errors(
    *, unit: AdminUnit, fields: PlanFields, actor: User | None, plan: Plan | None = None
) -> dict[str, list[str]]:
    """Every problem of a plan's fields at once, keyed to the form's fields (empty: none)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str | None) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    if not fields.title.strip():
        add("title", _("Hãy nhập tên kế hoạch."))
    add("title", _too_long(fields.title.strip(), 500))
    add("number", _too_long(fields.number.strip(), 64))
    add("issuer", _too_long(fields.issuer.strip(), 255))
    add("parent_reference", _too_long(fields.parent_reference.strip(), 500))
    if fields.period_start is None:
        add("period_start", _("Hãy nhập ngày bắt đầu của kế hoạch."))
    if fields.period_end is None:
        add("period_end", _("Hãy nhập ngày kết thúc của kế hoạch."))
    if fields.period_start and fields.period_end and fields.period_end < fields.period_start:
        add(
            "period_end",
            _("Ngày kết thúc ({end}) trước ngày bắt đầu ({start}).").format(
                end=fields.period_end.strftime("%d/%m/%Y"), start=fields.period_start.strftime("%d/%m/%Y")
            ),
        )
    if fields.status not in PlanStatus.values:
        add("status", _("Trạng thái không hợp lệ."))
    total = fields.funding_total
    if total is not None and (total < 0 or total > MAX_AMOUNT or total != total.quantize(Decimal("0.001"))):
        add("funding_total", _("Tổng nguồn vốn phải là số không âm, tối đa ba chữ số thập phân."))
    parent = fields.parent
    if parent is not None:
        add("parent", _parent_refusal(unit=unit, parent=parent, plan=plan, actor=actor))
    return errors


def _parent_refusal(*, unit: AdminUnit, parent: Plan, plan: Plan | None, actor: User | None) -> str | None:
    if actor is not None and not plans_visible_to(actor).filter(pk=parent.pk).exists():
        return _("Không có kế hoạch cấp trên này trong địa bàn của bạn.")
    if plan is not None:
        current: Plan | None = parent
        for _step in range(MAX_CHAIN):
            if current is None:
                break
            if current.pk == plan.pk:
                return _("Kế hoạch không thể thực hiện chính nó hoặc một kế hoạch cấp dưới của nó.")
            current = current.parent
    if not unit_within(unit, parent.unit):
        return _(
            "Kế hoạch cấp trên phải là kế hoạch của {unit} hoặc của đơn vị chứa nó; "
            "{parent} là kế hoạch của {parent_unit}."
        ).format(unit=unit.name, parent=str(parent), parent_unit=parent.unit.name)
    return None


def _apply(plan: Plan, fields: PlanFields) -> None:
    plan.title = fields.title.strip()
    plan.number = fields.number.strip()
    plan.issuer = fields.issuer.strip()
    plan.issued_on = fields.issued_on
    plan.legal_basis = fields.legal_basis.strip()
    assert fields.period_start is not None and fields.period_end is not None  # plan_errors checked
    plan.period_start = fields.period_start
    plan.period_end = fields.period_end
    plan.parent = fields.parent
    plan.parent_reference = fields.parent_reference.strip()
    plan.status = fields.status
    plan.funding_total = fields.funding_total


def plan_insert(
    *, unit: AdminUnit, fields: PlanFields, actor: User | None, source_name: str = "", source_text: str = ""
) -> Plan:
    """Write a new plan (already checked with :func:`plan_errors`) inside the caller's transaction."""
    plan = Plan(unit=unit, province_code=unit.province_code, created_by=actor)
    _apply(plan, fields)
    plan.source_name = source_name[:255]
    plan.source_text = source_text
    plan.save()
    return plan


@transaction.atomic(durable=True)
def plan_create(
    *,
    unit: AdminUnit,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    actor: User | None,
    number: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    legal_basis: str = "",
    parent: Plan | None = None,
    parent_reference: str = "",
    status: str = PlanStatus.ACTIVE,
    funding_total: Decimal | None = None,
) -> Plan:
    """Create a plan for ``unit``. ``PermissionDenied`` when the actor may not make plans for it;
    ``ValidationError`` keyed to the fields (title, period_end, parent …) when something is wrong."""
    ensure_can_edit_plan(actor, unit)
    fields = PlanFields(
        title=title,
        period_start=period_start,
        period_end=period_end,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        legal_basis=legal_basis,
        parent=parent,
        parent_reference=parent_reference,
        status=status,
        funding_total=funding_total,
    )
    errors = plan_errors(unit=unit, fields=fields, actor=actor)
    if errors:
        raise ValidationError(errors)
    plan = plan_insert(unit=unit, fields=fields, actor=actor)
    audit_record(actor=actor, action=PlanningAuditAction.PLAN_CREATED, target=plan, after=plan_snapshot(plan))
    return plan


@transaction.atomic(durable=True)
def plan_update(
    *,
    plan: Plan,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    actor: User | None,
    unit: AdminUnit | None = None,
    number: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    legal_basis: str = "",
    parent: Plan | None = None,
    parent_reference: str = "",
    status: str = PlanStatus.ACTIVE,
    funding_total: Decimal | None = None,
) -> Plan:
    """Change a plan's header; every field is given (the form sends them all). Its unit changes only
    while it has no targets, tasks, funding nor child plans. Same refusals as :func:`plan_create`."""
    ensure_can_edit_plan(actor, plan)
    unit = unit or plan.unit
    if unit.pk != plan.unit_id:
        ensure_can_edit_plan(actor, unit)
    fields = PlanFields(
        title=title,
        period_start=period_start,
        period_end=period_end,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        legal_basis=legal_basis,
        parent=parent,
        parent_reference=parent_reference,
        status=status,
        funding_total=funding_total,
    )
    errors = plan_errors(unit=unit, fields=fields, actor=actor, plan=plan)
    if unit.pk != plan.unit_id and (
        plan.targets.exists() or plan.tasks.exists() or plan.funding.exists() or plan.children.exists()
    ):
        errors.setdefault("unit", []).append(
            _("Không đổi được đơn vị của kế hoạch đã có chỉ tiêu, nhiệm vụ, nguồn vốn hoặc kế hoạch con.")
        )
    if errors:
        raise ValidationError(errors)
    before = plan_snapshot(Plan.objects.get(pk=plan.pk))
    plan.unit = unit
    plan.province_code = unit.province_code
    _apply(plan, fields)
    plan.version += 1
    plan.save()
    audit_record(
        actor=actor,
        action=PlanningAuditAction.PLAN_UPDATED,
        target=plan,
        before=before,
        after=plan_snapshot(plan),
    )
    return plan


# --- Reads --------------------------------------------------------------------------------------------


def _count_of(model: type[Target] | type[Task]) -> Coalesce:
    counted = (
        model.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def plan_list(
    *, viewer: Viewer, unit: AdminUnit | None = None, status: str = "", year: int | None = None
) -> QuerySet[Plan]:
    """The plans the viewer sees, newest period first, with ``n_targets`` and ``n_tasks``; ``year``
    keeps the plans whose period covers some of that year."""
    plans = plans_visible_to(viewer)
    if unit is not None:
        plans = plans.filter(unit=unit)
    if status:
        plans = plans.filter(status=status)
    if year is not None:
        plans = plans.filter(period_start__lte=dt.date(year, 12, 31), period_end__gte=dt.date(year, 1, 1))
    return (
        plans.select_related("unit", "unit__parent", "unit__parent__parent")
        .annotate(n_targets=_count_of(Target), n_tasks=_count_of(Task))
        .order_by("-period_start", "title", "pk")
    )


def plan_list_units(viewer: Viewer) -> list[AdminUnit]:
    """The units of the plans the viewer sees (the list's unit filter), by name."""
    ids = plans_visible_to(viewer).order_by().values("unit_id")
    return list(
        AdminUnit.objects.filter(pk__in=ids)
        .select_related("parent", "parent__parent")
        .order_by("generation", "-level", "name")
    )


@dataclass(frozen=True, slots=True)
class ChainLink:
    """A plan of the chain: ``pk`` only when the viewer may open it (else it is shown as text)."""

    label: str
    unit: str
    period: str
    pk: int | None


@dataclass(frozen=True, slots=True)
class PlanChain:
    """The plans above ``plan`` (the top first), the text of what the top implements (a national
    directive), and the child plans the viewer sees."""

    ancestors: tuple[ChainLink, ...]
    top_reference: str
    children: tuple[Plan, ...]


def period_text(plan: Plan) -> str:
    start, end = plan.period_start.year, plan.period_end.year
    return str(start) if start == end else f"{start}–{end}"


def plan_chain(*, viewer: Viewer, plan: Plan) -> PlanChain:
    """The chain of ``plan``: its parents up to the top (as links when visible), what the top plan
    implements (its ``parent_reference``), and its children."""
    visible = set(plans_visible_to(viewer).filter(pk__in=_ancestor_ids(plan)).values_list("pk", flat=True))
    links: list[ChainLink] = []
    top = plan
    seen = {plan.pk}
    current = plan.parent
    while current is not None and current.pk not in seen and len(links) < MAX_CHAIN:
        seen.add(current.pk)
        links.append(
            ChainLink(
                label=str(current),
                unit=current.unit.name,
                period=period_text(current),
                pk=current.pk if current.pk in visible else None,
            )
        )
        top = current
        current = current.parent
    children = (
        plans_visible_to(viewer).filter(parent=plan).select_related("unit").order_by("unit__name", "pk")
    )
    return PlanChain(
        ancestors=tuple(reversed(links)), top_reference=top.parent_reference, children=tuple(children)
    )


def _ancestor_ids(plan: Plan) -> list[int]:
    ids: list[int] = []
    current = plan.parent
    while current is not None and current.pk not in ids and len(ids) < MAX_CHAIN:
        ids.append(current.pk)
        current = current.parent
    return ids


@dataclass(frozen=True, slots=True)
class PlanCounts:
    targets: int
    tasks: int
    deadlines: int
    funding: int
    funding_planned: Decimal


def plan_counts(plan: Plan) -> PlanCounts:
    return PlanCounts(
        targets=plan.targets.count(),
        tasks=plan.tasks.count(),
        deadlines=plan.deadlines.count(),
        funding=plan.funding.count(),
        funding_planned=plan.funding.aggregate(total=Coalesce(Sum("planned"), Decimal(0)))["total"],
    )


def funding_total_warning(plan: Plan, counts: PlanCounts) -> str:
    """When the plan states a total its funding lines do not add up to: the message, with the
    difference (empty when they agree or there is nothing to compare)."""
    if plan.funding_total is None or counts.funding == 0:
        return ""
    difference = counts.funding_planned - plan.funding_total
    if difference == 0:
        return ""
    return _(
        "Các nguồn vốn cộng lại {lines} triệu đồng, {direction} tổng nguồn vốn của kế hoạch ({total} triệu "
        "đồng) {difference} triệu đồng."
    ).format(
        lines=amount_text(counts.funding_planned),
        total=amount_text(plan.funding_total),
        difference=amount_text(abs(difference)),
        direction=_("nhiều hơn") if difference > 0 else _("ít hơn"),
    )


def amount_text(value: Decimal) -> str:
    """``5.440.412``; ``1.234,5`` (up to three decimals, trailing zeros dropped)."""
    exponent = value.normalize().as_tuple().exponent
    decimals = min(max(-exponent, 0), 3) if isinstance(exponent, int) else 0
    return number(value, decimals)


__all__ = [
    "PLAN_UNIT_LEVELS",
    "UNIT_KEY_PREFIXES",
    "ChainLink",
    "PlanChain",
    "PlanCounts",
    "PlanFields",
    "amount_text",
    "funding_total_warning",
    "level_word",
    "period_text",
    "plan_chain",
    "plan_counts",
    "plan_create",
    "plan_errors",
    "plan_insert",
    "plan_list",
    "plan_list_units",
    "plan_snapshot",
    "plan_units_editable_by",
    "plan_update",
    "unit_by_key",
    "unit_key",
    "unit_label",
    "unit_within",
]
