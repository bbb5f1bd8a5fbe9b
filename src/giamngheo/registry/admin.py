"""Admin pages for the registry (read-only: writes go through ``registry.services``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.registry.models import Household, HouseholdEvent, Member

if TYPE_CHECKING:
    _HouseholdAdminBase = admin.ModelAdmin[Household]
    _MemberAdminBase = admin.ModelAdmin[Member]
    _HouseholdEventAdminBase = admin.ModelAdmin[HouseholdEvent]
else:  # the admin classes are generic for the type checker only
    _HouseholdAdminBase = _MemberAdminBase = _HouseholdEventAdminBase = admin.ModelAdmin


class _ReadOnly:
    """Every change to the registry is audited, so it goes through a service, never the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(_ReadOnly, _HouseholdAdminBase):
    list_display = ("code", "commune", "village", "province_code", "area", "status", "version")
    list_filter = ("status", "area", "ethnic_minority", "meritorious_family", "social_protection")
    search_fields: ClassVar[list[str]] = ["code", "commune__name", "address"]
    list_select_related = ("commune", "village")
    raw_id_fields = ("commune", "village", "head")


@admin.register(Member)
class MemberAdmin(_ReadOnly, _MemberAdminBase):
    list_display = ("full_name", "household", "sex", "date_of_birth", "ethnicity", "status")
    list_filter = ("status", "sex")
    search_fields: ClassVar[list[str]] = ["full_name_search", "citizen_id", "household__code"]
    list_select_related = ("household",)
    raw_id_fields = ("household",)


@admin.register(HouseholdEvent)
class HouseholdEventAdmin(_ReadOnly, _HouseholdEventAdminBase):
    list_display = ("date", "kind", "household", "member", "other_household", "actor", "created_at")
    list_filter = ("kind",)
    search_fields: ClassVar[list[str]] = ["household__code"]
    list_select_related = ("household", "member", "other_household", "actor")
    raw_id_fields = ("household", "member", "other_household", "actor")
