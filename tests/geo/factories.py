"""Test data for geo: plain functions writing straight to the models (no audit rows)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from giamngheo.geo.models import DEFAULT_AREA_BY_TYPE, AdminUnit, Generation, Level, UnitType

_numbers = itertools.count(1)


def province_factory(*, code: str = "98", generation: str = Generation.Y2025, **fields: Any) -> AdminUnit:
    fields.setdefault("name", f"Tỉnh Thử {code}")
    fields.setdefault("unit_type", UnitType.PROVINCE)
    fields.setdefault("valid_from", datetime.date(2025, 7, 1))
    return AdminUnit.objects.create(
        code=code, level=Level.PROVINCE, province_code=code, generation=generation, **fields
    )


def commune_factory(
    *, province: AdminUnit | None = None, parent: AdminUnit | None = None, **fields: Any
) -> AdminUnit:
    """A commune under ``parent`` (a district, pre-2025) or ``province`` (2025; one is made if missing)."""
    if parent is None:
        default = AdminUnit.objects.filter(
            generation=Generation.Y2025, level=Level.PROVINCE, code="98"
        ).first()
        parent = province or default or province_factory()
    fields.setdefault("code", f"98{next(_numbers):03d}")
    fields.setdefault("name", f"Xã Thử {fields['code']}")
    fields.setdefault("unit_type", UnitType.COMMUNE)
    fields.setdefault("default_area", DEFAULT_AREA_BY_TYPE.get(fields["unit_type"], ""))
    fields.setdefault("valid_from", parent.valid_from)
    return AdminUnit.objects.create(
        level=Level.COMMUNE,
        parent=parent,
        province_code=parent.province_code,
        generation=parent.generation,
        **fields,
    )
