"""Admin pages for the planning context: readable lists, no writes (every change goes through
``planning.services``, which validates and audits it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from giamngheo.planning.models import (
    Agency,
    AgencyMember,
    FundingLine,
    Plan,
    ReportingDeadline,
    Target,
    Task,
    TaskReport,
)

if TYPE_CHECKING:
    _AgencyAdminBase = admin.ModelAdmin[Agency]
    _AgencyMemberAdminBase = admin.ModelAdmin[AgencyMember]
    _PlanAdminBase = admin.ModelAdmin[Plan]
    _TargetAdminBase = admin.ModelAdmin[Target]
    _TaskAdminBase = admin.ModelAdmin[Task]
    _TaskReportAdminBase = admin.ModelAdmin[TaskReport]
    _DeadlineAdminBase = admin.ModelAdmin[ReportingDeadline]
    _FundingAdminBase = admin.ModelAdmin[FundingLine]
else:  # the admin classes are generic for the type checker only
    _AgencyAdminBase = _AgencyMemberAdminBase = _PlanAdminBase = _TargetAdminBase = admin.ModelAdmin
    _TaskAdminBase = _TaskReportAdminBase = _DeadlineAdminBase = _FundingAdminBase = admin.ModelAdmin


class _ReadOnly:
    """Plans, agencies and their parts are changed on the planning pages (audited), never here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(_ReadOnly, _AgencyAdminBase):
    list_display = ("name", "unit", "kind", "alias_list", "successor", "valid_to", "province_code")
    list_filter = ("kind",)
    search_fields: ClassVar[list[str]] = ["name", "aliases", "unit__name"]
    list_select_related = ("unit", "successor")
    raw_id_fields = ("unit", "successor")

    @admin.display(description=_("tên gọi khác"))
    def alias_list(self, obj: Agency) -> str:
        return "; ".join(obj.aliases)


@admin.register(AgencyMember)
class AgencyMemberAdmin(_ReadOnly, _AgencyMemberAdminBase):
    list_display = ("agency", "user")
    search_fields: ClassVar[list[str]] = ["agency__name", "user__username", "user__full_name"]
    list_select_related = ("agency", "user")
    raw_id_fields = ("agency", "user")


@admin.register(Plan)
class PlanAdmin(_ReadOnly, _PlanAdminBase):
    list_display = (
        "title",
        "number",
        "unit",
        "period_start",
        "period_end",
        "status",
        "parent",
        "funding_total",
    )
    list_filter = ("status",)
    search_fields: ClassVar[list[str]] = ["title", "number", "unit__name", "parent_reference"]
    list_select_related = ("unit", "parent")
    raw_id_fields = ("unit", "parent", "created_by")


@admin.register(Target)
class TargetAdmin(_ReadOnly, _TargetAdminBase):
    list_display = ("plan", "unit", "year", "kind", "value", "value_max", "subject", "source_line")
    list_filter = ("kind",)
    search_fields: ClassVar[list[str]] = ["plan__title", "unit__name", "subject", "text"]
    list_select_related = ("plan", "unit")
    raw_id_fields = ("plan", "unit", "parent")


@admin.register(Task)
class TaskAdmin(_ReadOnly, _TaskAdminBase):
    list_display = ("__str__", "plan", "section", "lead_text", "timeframe_kind", "status", "source_line")
    list_filter = ("timeframe_kind", "status")
    search_fields: ClassVar[list[str]] = ["text", "lead_text", "coordinating_text", "plan__title"]
    list_select_related = ("plan",)
    raw_id_fields = ("plan",)
    filter_horizontal = ("lead_agencies", "coordinating_agencies")


@admin.register(TaskReport)
class TaskReportAdmin(_ReadOnly, _TaskReportAdminBase):
    list_display = ("task", "agency", "period_label", "period_end", "status", "submitted_by", "submitted_at")
    list_filter = ("status",)
    search_fields: ClassVar[list[str]] = ["period_label", "progress", "agency__name"]
    list_select_related = ("task", "agency", "submitted_by")
    raw_id_fields = ("task", "agency", "submitted_by")


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(_ReadOnly, _DeadlineAdminBase):
    list_display = ("__str__", "plan", "kind", "day", "month", "year", "every_months", "source_line")
    list_filter = ("kind",)
    search_fields: ClassVar[list[str]] = ["text", "plan__title"]
    list_select_related = ("plan",)
    raw_id_fields = ("plan",)


@admin.register(FundingLine)
class FundingLineAdmin(_ReadOnly, _FundingAdminBase):
    list_display = ("plan", "unit", "year", "source", "project", "label", "planned", "allocated", "disbursed")
    list_filter = ("source",)
    search_fields: ClassVar[list[str]] = ["plan__title", "project", "label"]
    list_select_related = ("plan", "unit")
    raw_id_fields = ("plan", "unit")
