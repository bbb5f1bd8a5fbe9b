"""Admin pages for the support context (read-only: every write goes through ``support.services``, which
checks eligibility and records the audit row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest

from giamngheo.support.models import Policy, SupportBatch, SupportRecord

if TYPE_CHECKING:
    _PolicyAdminBase = admin.ModelAdmin[Policy]
    _RecordAdminBase = admin.ModelAdmin[SupportRecord]
    _BatchAdminBase = admin.ModelAdmin[SupportBatch]
else:  # the admin classes are generic for the type checker only
    _PolicyAdminBase = _RecordAdminBase = _BatchAdminBase = admin.ModelAdmin


class _ReadOnly:
    """Policies are changed on the policy pages and records through the record form or the upload, so
    that each change is validated and audited; the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(_ReadOnly, _PolicyAdminBase):
    list_display = (
        "code",
        "name",
        "unit",
        "beneficiary",
        "period",
        "citation_status",
        "valid_from",
        "valid_to",
        "active",
    )
    list_filter = ("beneficiary", "period", "citation_status", "active")
    search_fields: ClassVar[list[str]] = ["code", "name", "legal_basis"]
    list_select_related = ("unit",)


@admin.register(SupportRecord)
class SupportRecordAdmin(_ReadOnly, _RecordAdminBase):
    list_display = (
        "given_on",
        "policy",
        "household",
        "member",
        "klass",
        "eligible",
        "period_key",
        "cancelled_at",
    )
    list_filter = ("eligible", "klass", "policy")
    search_fields: ClassVar[list[str]] = ["household__code", "reference", "policy__code"]
    list_select_related = ("policy", "household", "member")
    raw_id_fields = ("policy", "household", "member", "commune", "village", "agency", "review_round", "batch")
    date_hierarchy = "given_on"


@admin.register(SupportBatch)
class SupportBatchAdmin(_ReadOnly, _BatchAdminBase):
    list_display = ("file_name", "rows", "province_code", "uploaded_by", "uploaded_at")
    list_select_related = ("uploaded_by",)
