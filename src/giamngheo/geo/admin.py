"""Admin pages for administrative units, villages and mappings (read-only: writes go through services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.geo.models import AdminUnit, UnitMapping, Village

if TYPE_CHECKING:
    _AdminUnitAdminBase = admin.ModelAdmin[AdminUnit]
    _VillageAdminBase = admin.ModelAdmin[Village]
    _UnitMappingAdminBase = admin.ModelAdmin[UnitMapping]
else:  # the admin classes are generic for the type checker only
    _AdminUnitAdminBase = _VillageAdminBase = _UnitMappingAdminBase = admin.ModelAdmin


class _ReadOnly:
    """Units come from the package and CSV imports, villages from ``village_create``: all audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdminUnit)
class AdminUnitAdmin(_ReadOnly, _AdminUnitAdminBase):
    list_display = ("code", "name", "level", "unit_type", "province_code", "generation", "default_area")
    list_filter = ("generation", "level", "unit_type", "default_area")
    search_fields: ClassVar[list[str]] = ["code", "name"]
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)


@admin.register(Village)
class VillageAdmin(_ReadOnly, _VillageAdminBase):
    list_display = ("code", "name", "kind", "commune", "province_code", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields: ClassVar[list[str]] = ["code", "name", "commune__name"]
    list_select_related = ("commune",)
    raw_id_fields = ("commune",)


@admin.register(UnitMapping)
class UnitMappingAdmin(_ReadOnly, _UnitMappingAdminBase):
    list_display = ("old_unit", "new_unit", "province_code", "source", "is_default")
    list_filter = ("is_default",)
    search_fields: ClassVar[list[str]] = [
        "old_unit__code",
        "old_unit__name",
        "new_unit__code",
        "new_unit__name",
    ]
    list_select_related = ("old_unit", "new_unit")
    raw_id_fields = ("old_unit", "new_unit")
