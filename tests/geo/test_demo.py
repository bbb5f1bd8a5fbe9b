"""The ``load_demo`` step of geo."""

import pytest

from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.demo import demo_units_load, demo_units_pre2025_load
from giamngheo.geo.models import AdminUnit, Generation

pytestmark = pytest.mark.django_db


def test_demo_units_load_is_idempotent() -> None:
    lines: list[str] = []
    demo_units_load(write=lines.append)
    demo_units_load(write=lines.append)

    assert AdminUnit.objects.count() == 34 + 3321
    assert AuditEvent.objects.count() == 1
    assert lines == [
        "Units 2025: 34 provinces and 3321 communes created.",
        "Units 2025: 3355 already there.",
    ]


def test_demo_units_pre2025_load_waits_for_2025_then_loads_once() -> None:
    lines: list[str] = []
    demo_units_pre2025_load(write=lines.append)
    demo_units_load(write=lines.append)
    demo_units_pre2025_load(write=lines.append)
    demo_units_pre2025_load(write=lines.append)

    assert AdminUnit.objects.filter(generation=Generation.PRE_2025).count() == 63 + 696 + 10035
    assert lines == [
        "Units pre-2025: skipped, the 2025 units are not loaded.",
        "Units 2025: 34 provinces and 3321 communes created.",
        "Units pre-2025: 63 provinces, 696 districts and 10035 communes created; 10602 old → new pairs.",
        "Units pre-2025: 10794 already there.",
    ]
