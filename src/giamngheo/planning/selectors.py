"""Reads of the planning context, scoped to the viewer's territory (``accounts.selectors``).

A plan belongs to its unit: a 2025 province or commune, or a pre-2025 district or commune (older
plans). The viewer sees the plans of the units they see (``units_visible_to``), plus — for a viewer who
sees a whole 2025 province — the pre-2025 districts some of whose communes they see (a merged province's
history, e.g. the former Kon Tum's districts in Quảng Ngãi), plus the plans of the 2025 province their
units are in (a commune plan implements the province's). An agency user also sees the plans that give
their agency a task.

The figures of a plan's unit and sub-units (:func:`unit_figures`, :func:`plan_figures`) are read from the
approved periodic review rounds the viewer may see (``reports.selectors``); :func:`dashboard_targets`
gives the targets of a unit with their progress (:mod:`giamngheo.planning.progress`) for the dashboards.
A pre-2025 unit's figures are those of the villages of the 2025 communes that took its communes, added up
by each village's pre-2025 commune (as the district report forms do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer, sees_everything, units_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level, UnitMapping
from giamngheo.planning import progress as calc
from giamngheo.planning.models import Agency, AgencyMember, Plan, PlanStatus, Target, Task
from giamngheo.planning.presentation import STATUS_CSS, STATUS_LABELS, measure_text, target_label, value_text
from giamngheo.reports.aggregation import sum_figures
from giamngheo.reports.selectors import approved_rounds, report_figures, report_years

_COUNTS = ("households", "poor", "near_poor")


def plan_units_visible_to(viewer: Viewer) -> QuerySet[AdminUnit]:
    """The units whose plans the viewer may see."""
    if sees_everything(viewer):
        return AdminUnit.objects.all()
    units = units_visible_to(viewer)
    condition = Q(pk__in=units.values("pk"))
    if units.filter(generation=Generation.Y2025, level=Level.PROVINCE).exists():
        old_communes = units.filter(generation=Generation.PRE_2025, level=Level.COMMUNE)
        condition |= Q(
            generation=Generation.PRE_2025, level=Level.DISTRICT, pk__in=old_communes.values("parent_id")
        )
    return AdminUnit.objects.filter(condition)


def agencies_of(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies the viewer works for (``AgencyMember``)."""
    if not isinstance(viewer, User):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=AgencyMember.objects.filter(user=viewer).values("agency_id"))


def plans_visible_to(viewer: Viewer) -> QuerySet[Plan]:
    """The plans the viewer may see: those of the units they see, of the province above them, and those
    giving their agency a task."""
    if sees_everything(viewer):
        return Plan.objects.all()
    mine = agencies_of(viewer)
    tasked = Task.objects.filter(Q(lead_agencies__in=mine) | Q(coordinating_agencies__in=mine)).values(
        "plan_id"
    )
    # The plans of the 2025 provinces containing the viewer's units: a commune implements its province's
    # plan, so its officers read it (and choose it as their plan's parent); they do not edit it.
    provinces = units_visible_to(viewer).filter(generation=Generation.Y2025).values("province_code")
    above = Q(unit__generation=Generation.Y2025, unit__level=Level.PROVINCE, unit__code__in=provinces)
    return Plan.objects.filter(
        Q(unit__in=plan_units_visible_to(viewer)) | Q(pk__in=tasked) | above
    ).distinct()


def agencies_visible_to(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies of the units the viewer may see (and their own)."""
    if sees_everything(viewer):
        return Agency.objects.all()
    return Agency.objects.filter(Q(unit__in=plan_units_visible_to(viewer)) | Q(pk__in=agencies_of(viewer)))


def tasks_visible_to(viewer: Viewer) -> QuerySet[Task]:
    """The tasks of the plans the viewer may see."""
    return Task.objects.filter(plan__in=plans_visible_to(viewer))


def tasks_of_my_agencies(viewer: Viewer) -> QuerySet[Task]:
    """The tasks that name one of the viewer's agencies as lead or coordinator, across plans."""
    mine = agencies_of(viewer)
    return Task.objects.filter(Q(lead_agencies__in=mine) | Q(coordinating_agencies__in=mine)).distinct()


# --- figures and progress -----------------------------------------------------------------------------


def plan_period(plan: Plan) -> calc.Period:
    """The plan's period in years, as :mod:`giamngheo.planning.progress` counts it."""
    return calc.Period(plan.period_start.year, plan.period_end.year)


def _pre2025_communes(unit: AdminUnit) -> dict[int, int]:
    """Each pre-2025 commune of ``unit`` → the sub-unit it counts for (itself for a district's commune,
    its district for a province's, the commune itself for a commune)."""
    if unit.level == Level.COMMUNE:
        return {unit.pk: unit.pk}
    communes = AdminUnit.objects.filter(generation=Generation.PRE_2025, level=Level.COMMUNE)
    if unit.level == Level.DISTRICT:
        return {pk: pk for pk in communes.filter(parent=unit).values_list("pk", flat=True)}
    return dict(communes.filter(parent__parent=unit).values_list("pk", "parent_id"))


def _summed(frame: pl.DataFrame, unit_id: int | None, year: int, by: str | None = None) -> pl.DataFrame:
    if frame.height == 0:
        return calc.empty_figures()
    summed = sum_figures(frame, [by] if by else [], _COUNTS)
    summed = summed.rename({by: "unit_id"}) if by else summed.with_columns(pl.lit(unit_id).alias("unit_id"))
    return (
        summed.with_columns(pl.lit(year).alias("year"))
        .select(list(calc.FIGURE_SCHEMA))
        .cast(calc.FIGURE_SCHEMA)  # type: ignore[arg-type]
        .filter(pl.col("households") > 0, pl.col("unit_id").is_not_null())
    )


def _year_figures(viewer: Viewer, unit: AdminUnit, year: int) -> pl.DataFrame:
    if unit.generation == Generation.Y2025:
        frame = report_figures(viewer=viewer, year=year, unit=unit)
        if unit.level == Level.PROVINCE:
            return pl.concat([_summed(frame, unit.pk, year), _summed(frame, None, year, "commune_id")])
        return _summed(frame, unit.pk, year)
    sub_of = _pre2025_communes(unit)
    successors = set(
        UnitMapping.objects.filter(old_unit_id__in=list(sub_of)).values_list("new_unit_id", flat=True)
    )
    rounds = [r for r in approved_rounds(viewer=viewer, year=year) if r.commune_id in successors]
    if not rounds:
        return calc.empty_figures()
    frame = report_figures(viewer=viewer, year=year, rounds=rounds, villages=True)
    if frame.height == 0:
        return calc.empty_figures()
    mapping = pl.DataFrame(
        {"former_commune_id": list(sub_of), "sub_unit_id": list(sub_of.values())},
        schema={"former_commune_id": pl.Int64(), "sub_unit_id": pl.Int64()},
    )
    mine = frame.join(mapping, on="former_commune_id", how="inner")
    parts = [_summed(mine, unit.pk, year)]
    if unit.level != Level.COMMUNE:
        parts.append(_summed(mine, None, year, "sub_unit_id"))
    return pl.concat(parts)


def unit_figures(*, viewer: Viewer, unit: AdminUnit, years: Iterable[int]) -> pl.DataFrame:
    """The counts of ``unit`` and of each of its sub-units per year (a unit figures frame of
    :mod:`giamngheo.planning.progress`), from the approved periodic rounds the viewer may see; nothing
    when the viewer may not see ``unit`` (its total would be partial)."""
    if not plan_units_visible_to(viewer).filter(pk=unit.pk).exists():
        return calc.empty_figures()
    frames = [_year_figures(viewer, unit, year) for year in sorted(set(years))]
    frames = [f for f in frames if f.height]
    return pl.concat(frames) if frames else calc.empty_figures()


def plan_figures(*, viewer: Viewer, plan: Plan, until: int | None = None) -> pl.DataFrame:
    """:func:`unit_figures` of the plan's unit for the approved years from the year before the plan's
    period to its end (or ``until``)."""
    period = plan_period(plan)
    last = min(period.end, until) if until is not None else period.end
    years = [y for y in report_years(viewer=viewer) if period.baseline_year <= y <= last]
    return unit_figures(viewer=viewer, unit=plan.unit, years=years)


def spec_of(target: Target) -> calc.TargetSpec:
    return calc.TargetSpec(
        id=target.pk,
        unit_id=target.unit_id,
        kind=target.kind,
        value=float(target.value),
        year=target.year,
        value_max=None if target.value_max is None else float(target.value_max),
        parent_id=target.parent_id,
    )


@dataclass(frozen=True)
class DashboardTarget:
    """A target on a dashboard's "Chỉ tiêu" card."""

    label: str
    plan: str
    year: int | None
    value: str
    actual: str
    status: str
    status_label: str
    status_css: str
    url: str


def dashboard_targets(*, viewer: Viewer, unit: AdminUnit | None, year: int | None) -> list[DashboardTarget]:
    """The targets of ``unit`` for ``year`` in the active plans of ``unit`` the viewer may see (a target
    without a year counts for every year of its plan's period), with their progress read from the
    approved years up to ``year``."""
    if unit is None or year is None:
        return []
    plans = list(
        plans_visible_to(viewer)
        .filter(
            unit=unit,
            status=PlanStatus.ACTIVE,
            period_start__lte=dt.date(year, 12, 31),
            period_end__gte=dt.date(year, 1, 1),
        )
        .order_by("period_start", "pk")
    )
    found: list[DashboardTarget] = []
    for plan in plans:
        targets = list(
            plan.targets.filter(Q(year=year) | Q(year__isnull=True), unit=unit).order_by(
                F("year").asc(nulls_last=True), "kind", "pk"
            )
        )
        if not targets:
            continue
        figures = plan_figures(viewer=viewer, plan=plan, until=year)
        progress = calc.progress([spec_of(t) for t in targets], figures, plan_period(plan))
        url = reverse("planning:targets", args=[plan.pk])
        for target in targets:
            p = progress[target.pk]
            found.append(
                DashboardTarget(
                    label=target_label(target),
                    plan=str(plan),
                    year=target.year,
                    value=value_text(target),
                    actual=measure_text(target.kind, p.actual),
                    status=p.status,
                    status_label=str(STATUS_LABELS[p.status]),
                    status_css=STATUS_CSS[p.status],
                    url=url,
                )
            )
    return found


__all__ = [
    "DashboardTarget",
    "agencies_of",
    "agencies_visible_to",
    "dashboard_targets",
    "plan_figures",
    "plan_period",
    "plan_units_visible_to",
    "plans_visible_to",
    "spec_of",
    "tasks_of_my_agencies",
    "tasks_visible_to",
    "unit_figures",
]
