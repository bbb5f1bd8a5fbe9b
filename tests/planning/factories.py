"""Test objects of the planning context, written straight to the tables (no audit rows)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import Agency, Plan, Target, TargetKind, Task, TimeframeKind

_numbers = itertools.count(1)


def agency_factory(*, unit: AdminUnit, name: str = "", **fields: Any) -> Agency:
    return Agency.objects.create(
        unit=unit, province_code=unit.province_code, name=name or f"Cơ quan {next(_numbers)}", **fields
    )


def plan_factory(*, unit: AdminUnit, **fields: Any) -> Plan:
    fields.setdefault("title", f"Kế hoạch giảm nghèo {next(_numbers)}")
    fields.setdefault("period_start", dt.date(2026, 1, 1))
    fields.setdefault("period_end", dt.date(2030, 12, 31))
    return Plan.objects.create(unit=unit, province_code=unit.province_code, **fields)


def target_factory(*, plan: Plan, unit: AdminUnit | None = None, **fields: Any) -> Target:
    unit = unit or plan.unit
    fields.setdefault("kind", TargetKind.POOR_RATE_REDUCTION)
    fields.setdefault("value", Decimal("1.5"))
    return Target.objects.create(plan=plan, unit=unit, province_code=unit.province_code, **fields)


def task_factory(
    *,
    plan: Plan,
    lead: tuple[Agency, ...] = (),
    coordinating: tuple[Agency, ...] = (),
    **fields: Any,
) -> Task:
    fields.setdefault("text", f"Nhiệm vụ {next(_numbers)}")
    fields.setdefault("timeframe_kind", TimeframeKind.CONTINUOUS)
    task = Task.objects.create(plan=plan, province_code=plan.province_code, **fields)
    task.lead_agencies.set(lead)
    task.coordinating_agencies.set(coordinating)
    return task
