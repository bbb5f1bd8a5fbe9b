"""The ``load_demo`` step of geo."""

import pytest

from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.demo import demo_units_load
from giamngheo.geo.models import AdminUnit

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
