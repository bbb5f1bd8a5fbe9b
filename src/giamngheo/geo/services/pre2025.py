"""The pre-2025 three-tier map and the old → new commune mapping, loaded from the pinned package."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.geo.models import (
    DEFAULT_AREA_BY_TYPE,
    AdminUnit,
    Area,
    Generation,
    GeoAuditAction,
    Level,
    UnitMapping,
)
from giamngheo.geo.names import name_key
from giamngheo.geo.pre2025_source import Pre2025Source, read_package
from giamngheo.geo.services.units import audit_batch, unit_pks, units_upsert

VALID_TO_PRE_2025 = datetime.date(2025, 6, 30)
# The package carries no start dates. Units it creates get the date of Decision 124/2004/QĐ-TTg
# (8 July 2004), which issued the list of administrative unit codes, as a lower bound; a reload
# never overwrites ``valid_from``, so dates set by a CSV import (``units_import_csv``) stay.
VALID_FROM_PRE_2025 = datetime.date(2004, 7, 8)
_RELOAD_FIELDS = ["name", "unit_type", "parent", "province_code", "valid_to", "default_area"]
_UNRESOLVED_SHOWN = 20


def _ensure_national_load(actor: User | None) -> None:
    """Only the system (``actor=None``) or a system administrator loads the national lists."""
    if actor is not None and not sees_everything(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới được nạp danh mục đơn vị hành chính."))


@transaction.atomic(durable=True)
def units_load_pre2025(*, actor: User | None, source: Pre2025Source | None = None) -> dict[str, int]:
    """Load the pre-2025 map (63 provinces, 696 districts, 10,035 communes as on 30 June 2025).

    Generation ``pre-2025``, ``valid_to`` 30 June 2025, default area from the commune type (phường,
    thị trấn → urban; xã → rural). Source: the pinned ``vietnamadminunits`` package (``source`` is
    for tests). Idempotent: a second run creates nothing, refreshes names, types, parents and
    ``valid_to``, and keeps ``valid_from``. Units imported by CSV that the package does not list are
    left alone. Returns the counts; one audit row.
    """
    _ensure_national_load(actor)
    source = source or read_package()
    generation = Generation.PRE_2025
    existing = {
        level: set(unit_pks(generation=generation, level=level))
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    }
    by_level = {level: [u for u in source.units if u.level == level] for level in existing}
    counts: dict[str, int] = {}
    parent_pks: dict[str, int] = {}
    plurals = {Level.PROVINCE: "provinces", Level.DISTRICT: "districts", Level.COMMUNE: "communes"}
    for level, plural in plurals.items():  # parents first
        units = [
            AdminUnit(
                code=u.code,
                name=u.name,
                level=level,
                unit_type=u.unit_type,
                parent_id=parent_pks[u.parent_code] if u.parent_code is not None else None,
                province_code=u.province_code,
                valid_from=VALID_FROM_PRE_2025,
                valid_to=VALID_TO_PRE_2025,
                generation=generation,
                default_area=DEFAULT_AREA_BY_TYPE.get(u.unit_type, Area.UNSET),
            )
            for u in by_level[level]
        ]
        units_upsert(units, update_fields=_RELOAD_FIELDS)
        parent_pks = unit_pks(generation=generation, level=level)
        counts[plural] = len(units)
        counts[f"{plural}_created"] = len({u.code for u in units} - existing[level])
    for unit_type in ("commune", "ward", "township"):
        counts[unit_type] = sum(1 for u in by_level[Level.COMMUNE] if u.unit_type == unit_type)
    audit_batch(
        actor=actor,
        action=GeoAuditAction.UNITS_PRE2025_LOADED,
        target_type="geo.adminunit",
        target_id=f"generation:{generation}",
        after={**counts, "source": source.name},
    )
    return counts


@transaction.atomic(durable=True)
def unit_mappings_load(*, actor: User | None, source: Pre2025Source | None = None) -> dict[str, int]:
    """Load the old → new commune mapping (10,602 pairs: every old commune, 471 of them split).

    Needs the 2025 units (``units_load_2025``) and the pre-2025 units (``units_load_pre2025``) first;
    without them: ``ValidationError``. A new commune is found by its province and name (see
    ``pre2025_source``); an old unit by its code (a commune, or an island district that had no
    communes). A pair whose new commune is not found is skipped and reported (``unresolved``), never
    guessed. Idempotent: pairs are created or updated (``source``, ``is_default``), and pairs loaded
    earlier from this package that it no longer lists are removed. Returns the counts; one audit row.
    """
    _ensure_national_load(actor)
    source = source or read_package()
    new_units = AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.COMMUNE)
    new_by_name = {
        (u.province_code, name_key(u.name)): u for u in new_units.only("pk", "name", "province_code")
    }
    old_pks = {
        level: unit_pks(generation=Generation.PRE_2025, level=level)
        for level in (Level.COMMUNE, Level.DISTRICT)
    }
    if not new_by_name or not old_pks[Level.COMMUNE]:
        raise ValidationError(
            _("Hãy nạp đơn vị hành chính 2025 và trước 2025 trước khi nạp bảng chuyển đổi xã cũ → mới.")
        )
    mappings: list[UnitMapping] = []
    unresolved: list[str] = []
    for m in source.mappings:
        new_unit = new_by_name.get((m.new_province_code, name_key(m.new_name)))
        old_pk = old_pks[m.old_level].get(m.old_code)
        if new_unit is None or old_pk is None:
            unresolved.append(f"{m.old_code} → {m.new_name} ({m.new_province_code})")
            continue
        mappings.append(
            UnitMapping(
                old_unit_id=old_pk,
                new_unit_id=new_unit.pk,
                province_code=new_unit.province_code,
                source=source.name,
                is_default=m.is_default,
            )
        )
    pairs = {(m.old_unit_id, m.new_unit_id) for m in mappings}
    package = source.name.rsplit(" ", 1)[0]  # "<package> <version>"
    loaded_before = UnitMapping.objects.filter(source__startswith=package + " ")
    existing = set(UnitMapping.objects.values_list("old_unit_id", "new_unit_id"))
    stale = [
        pk
        for pk, old, new in loaded_before.values_list("pk", "old_unit_id", "new_unit_id")
        if (old, new) not in pairs
    ]
    UnitMapping.objects.filter(pk__in=stale).delete()
    UnitMapping.objects.bulk_create(
        mappings,
        update_conflicts=True,
        unique_fields=["old_unit", "new_unit"],
        update_fields=["source", "province_code", "is_default"],
        batch_size=500,
    )
    successors: dict[int, int] = {}
    for old, _new in pairs:
        successors[old] = successors.get(old, 0) + 1
    counts = {
        "mappings": len(mappings),
        "created": len(pairs - existing),
        "removed": len(stale),
        "old_units": len(successors),
        "split": sum(1 for n in successors.values() if n > 1),
        "new_units": len({new for _old, new in pairs}),
        "unresolved": len(unresolved),
    }
    audit_batch(
        actor=actor,
        action=GeoAuditAction.UNIT_MAPPINGS_LOADED,
        target_type="geo.unitmapping",
        target_id=f"source:{package}",
        after={**counts, "source": source.name, "unresolved_pairs": unresolved[:_UNRESOLVED_SHOWN]},
    )
    return counts
