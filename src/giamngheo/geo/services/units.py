"""The 2025 load from the pinned package, and helpers shared by the unit imports."""

from __future__ import annotations

import datetime
from typing import Any

import vietnam_provinces
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from giamngheo.accounts.models import AuditEvent, User
from giamngheo.geo.models import (
    DEFAULT_AREA_BY_TYPE,
    AdminUnit,
    Area,
    Generation,
    GeoAuditAction,
    Level,
    UnitType,
)

VALID_FROM_2025 = datetime.date(2025, 7, 1)
_TYPE_FROM_PACKAGE: dict[VietNamDivisionType, UnitType] = {
    VietNamDivisionType.TINH: UnitType.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitType.CENTRAL_CITY,
    VietNamDivisionType.XA: UnitType.COMMUNE,
    VietNamDivisionType.PHUONG: UnitType.WARD,
    VietNamDivisionType.DAC_KHU: UnitType.SPECIAL_ZONE,
}

UPSERT_FIELDS = ["name", "unit_type", "parent", "province_code", "valid_from", "valid_to", "default_area"]


def audit_batch(
    *, actor: User | None, action: GeoAuditAction, target_type: str, target_id: str, after: dict[str, Any]
) -> AuditEvent:
    """One audit row for a whole batch (there is no single target object to pass to ``audit_record``)."""
    return AuditEvent.objects.create(
        actor=actor, action=str(action), target_type=target_type, target_id=target_id, after=after
    )


def units_upsert(units: list[AdminUnit], *, update_fields: list[str]) -> None:
    """Create the units or update ``update_fields`` of those already there, by (generation, level, code)."""
    if units:
        AdminUnit.objects.bulk_create(
            units,
            update_conflicts=True,
            unique_fields=["generation", "level", "code"],
            update_fields=update_fields,
            batch_size=500,
        )


def unit_pks(*, generation: str, level: str) -> dict[str, int]:
    """Code → primary key of the units of one generation and level."""
    return dict(AdminUnit.objects.filter(generation=generation, level=level).values_list("code", "pk"))


@transaction.atomic(durable=True)
def units_load_2025(*, actor: User | None = None) -> dict[str, int]:
    """Load the 34 provinces and 3,321 communes of the two-tier map (since 1 July 2025).

    Source: the pinned ``vietnam-provinces`` package. Idempotent: a second run updates names and
    types and creates nothing. The default area (``default_area``) of a special zone (đặc khu) is
    left empty on creation and never overwritten afterwards, because it is set per unit by hand.
    Units no longer in the package are not closed (no ``valid_to``) yet. Returns the counts.
    """
    generation = Generation.Y2025
    existing_provinces = set(unit_pks(generation=generation, level=Level.PROVINCE))
    existing_communes = set(unit_pks(generation=generation, level=Level.COMMUNE))

    provinces = [
        AdminUnit(
            code=f"{int(p.code):02d}",
            name=p.name,
            level=Level.PROVINCE,
            unit_type=_TYPE_FROM_PACKAGE[p.division_type],
            parent=None,
            province_code=f"{int(p.code):02d}",
            valid_from=VALID_FROM_2025,
            valid_to=None,
            generation=generation,
            default_area=Area.UNSET,
        )
        for p in Province.iter_all()
    ]
    units_upsert(provinces, update_fields=UPSERT_FIELDS)
    province_pks = unit_pks(generation=generation, level=Level.PROVINCE)

    communes: list[AdminUnit] = []
    special_zones: list[AdminUnit] = []
    for w in Ward.iter_all():
        unit_type = _TYPE_FROM_PACKAGE[w.division_type]
        province_code = f"{int(w.province_code):02d}"
        unit = AdminUnit(
            code=f"{int(w.code):05d}",
            name=w.name,
            level=Level.COMMUNE,
            unit_type=unit_type,
            parent_id=province_pks[province_code],
            province_code=province_code,
            valid_from=VALID_FROM_2025,
            valid_to=None,
            generation=generation,
            default_area=DEFAULT_AREA_BY_TYPE.get(unit_type, Area.UNSET),
        )
        (special_zones if unit_type == UnitType.SPECIAL_ZONE else communes).append(unit)
    units_upsert(communes, update_fields=UPSERT_FIELDS)
    units_upsert(special_zones, update_fields=[f for f in UPSERT_FIELDS if f != "default_area"])

    all_communes = communes + special_zones
    commune_codes = {u.code for u in all_communes}
    province_codes = {u.code for u in provinces}
    counts = {
        "provinces": len(provinces),
        "communes": len(all_communes),
        "provinces_created": len(province_codes - existing_provinces),
        "communes_created": len(commune_codes - existing_communes),
    }
    for unit_type in (UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE):
        counts[str(unit_type)] = sum(1 for u in all_communes if u.unit_type == unit_type)
    audit_batch(
        actor=actor,
        action=GeoAuditAction.UNITS_LOADED,
        target_type="geo.adminunit",
        target_id=f"generation:{generation}",
        after={**counts, "source": f"vietnam-provinces {vietnam_provinces.__version__}"},
    )
    return counts
