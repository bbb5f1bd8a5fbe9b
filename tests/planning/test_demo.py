"""The demo plans step: agencies seeded, both plans imported, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.accounts.models import AuditEvent
from giamngheo.planning.demo import demo_plans_load
from giamngheo.planning.models import Agency, Plan, TargetKind
from tests.planning.test_plans_services import demo_geo

pytestmark = pytest.mark.django_db


def test_demo_plans_load_twice_without_duplicates() -> None:
    geo = demo_geo()
    lines: list[str] = []

    demo_plans_load(write=lines.append)

    province_plan = Plan.objects.get(unit=geo.province)
    assert province_plan.number == "126/KH-UBND"
    assert (province_plan.period_start, province_plan.period_end) == (
        dt.date(2026, 1, 1),
        dt.date(2030, 12, 31),
    )
    assert province_plan.funding_total == Decimal("4350000")
    assert sum(f.planned for f in province_plan.funding.all()) == Decimal("4350000")
    targets = sorted((t.kind, t.value, t.value_max, t.subject) for t in province_plan.targets.all())
    assert targets == [
        (TargetKind.POOR_RATE_REDUCTION, Decimal("1.00"), Decimal("1.50"), ""),
        (TargetKind.POOR_RATE_REDUCTION, Decimal("2.00"), Decimal("3.00"), "vùng miền núi"),
    ]
    assert (province_plan.tasks.count(), province_plan.deadlines.count(), province_plan.funding.count()) == (
        8,
        2,
        4,
    )
    assert province_plan.deadlines.filter(kind="periodic", every_months=6).exists()
    agriculture = Agency.objects.get(unit=geo.province, kind="agriculture_environment")
    assert province_plan.tasks.filter(lead_agencies=agriculture).count() == 2
    health = Agency.objects.get(unit=geo.province, name="Sở Y tế")
    assert province_plan.tasks.filter(lead_agencies=health).count() == 1

    district_plan = Plan.objects.get(unit=geo.district)
    assert (district_plan.period_start, district_plan.period_end) == (
        dt.date(2022, 1, 1),
        dt.date(2030, 12, 31),
    )
    assert district_plan.parent is None
    assert district_plan.parent_reference == "Kế hoạch số 51-KH/HU ngày 23-11-2021 của Ban Thường vụ Huyện ủy"
    assert (district_plan.targets.count(), district_plan.tasks.count(), district_plan.deadlines.count()) == (
        2,
        28,
        2,
    )
    labour = Agency.objects.get(unit=geo.district, kind="labour_social")
    assert district_plan.tasks.filter(lead_agencies=labour).count() == 13
    assert Agency.objects.filter(unit=geo.commune, kind="economy").exists()  # a demo commune's agencies
    assert lines[-1].startswith("Plans: 2 imported (Tỉnh Quảng Ngãi, Huyện Kon Rẫy), ")

    counts = (Plan.objects.count(), Agency.objects.count(), AuditEvent.objects.count())
    demo_plans_load(write=lines.append)
    assert (Plan.objects.count(), Agency.objects.count(), AuditEvent.objects.count()) == counts
    assert lines[-1] == "Plans: 0 imported (none), 0 agencies added."


def test_demo_plans_load_without_units_does_nothing() -> None:
    lines: list[str] = []
    demo_plans_load(write=lines.append)
    assert lines == ["Plans: skipped, the 2025 units are not loaded."]
    assert not Plan.objects.exists()
