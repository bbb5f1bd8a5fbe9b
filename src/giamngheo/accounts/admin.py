"""Admin pages for users and the audit log (read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from giamngheo.accounts.models import AuditAction, AuditEvent, User
from giamngheo.accounts.services import audit_record

if TYPE_CHECKING:
    _UserAdminBase = DjangoUserAdmin[User]
    _AuditEventAdminBase = admin.ModelAdmin[AuditEvent]
else:  # the admin classes are generic for the type checker only
    _UserAdminBase = DjangoUserAdmin
    _AuditEventAdminBase = admin.ModelAdmin

_SECRET_FIELDS = frozenset({"password", "password1", "password2", "usable_password"})


def _plain(value: Any) -> Any:
    """A JSON-friendly version of a form value (model instances and querysets become primary keys)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_plain(item) for item in value)
    return value


@admin.register(User)
class UserAdmin(_UserAdminBase):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "phone")}),
        (_("Vai trò"), {"fields": ("role",)}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "full_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone")
    ordering = ("username",)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool) -> None:
        """Save as Django does, plus an audit row (the admin view already runs in a transaction)."""
        fields = [name for name in form.changed_data if name not in _SECRET_FIELDS]
        before = {name: _plain(form.initial.get(name)) for name in fields} if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=cast(User, request.user),
            action=AuditAction.USER_CHANGED if change else AuditAction.USER_CREATED,
            target=obj,
            before=before,
            after={name: _plain(form.cleaned_data.get(name)) for name in fields},
        )


@admin.register(AuditEvent)
class AuditEventAdmin(_AuditEventAdminBase):
    list_display = ("created_at", "actor", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields: ClassVar[list[str]] = ["target_id", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
