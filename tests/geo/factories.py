"""Test data for geo: plain functions writing straight to the models (no audit rows)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from giamngheo.geo.models import (
    DEFAULT_AREA_BY_TYPE,
    AdminUnit,
    Generation,
    Level,
    UnitType,
    Village,
    VillageKind,
)

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


def old_unit_factory(
    *, code: str, level: str, parent: AdminUnit | None = None, name: str = "", **fields: Any
) -> AdminUnit:
    """A pre-2025 unit (valid until 30 June 2025) under ``parent``."""
    default_type = {
        Level.PROVINCE: UnitType.PROVINCE,
        Level.DISTRICT: UnitType.RURAL_DISTRICT,
        Level.COMMUNE: UnitType.COMMUNE,
    }[Level(level)]
    fields.setdefault("unit_type", default_type)
    fields.setdefault("default_area", DEFAULT_AREA_BY_TYPE.get(fields["unit_type"], ""))
    return AdminUnit.objects.create(
        code=code,
        name=name or f"Cũ {code}",
        level=level,
        parent=parent,
        province_code=parent.province_code if parent is not None else code,
        generation=Generation.PRE_2025,
        valid_from=fields.pop("valid_from", datetime.date(2008, 1, 1)),
        valid_to=fields.pop("valid_to", datetime.date(2025, 6, 30)),
        **fields,
    )


def village_factory(*, commune: AdminUnit, code: str = "", **fields: Any) -> Village:
    """A village straight in the table (no audit row)."""
    code = code or f"T{next(_numbers):03d}"
    fields.setdefault("name", f"Thôn {code}")
    fields.setdefault("kind", VillageKind.THON)
    fields.setdefault("valid_from", commune.valid_from)
    return Village.objects.create(commune=commune, province_code=commune.province_code, code=code, **fields)
