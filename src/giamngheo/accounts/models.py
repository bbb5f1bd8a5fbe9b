"""Users, roles and the audit log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Role (vai trò) of a user; what each role may do is decided in ``accounts.permissions``."""

    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ tỉnh")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    VILLAGE_SURVEYOR = "village_surveyor", _("Rà soát viên thôn")
    AGENCY_VIEWER = "agency_viewer", _("Cán bộ cơ quan")
    LEADER = "leader", _("Lãnh đạo")


class User(AbstractUser):
    """A person who signs in (người dùng).

    Vietnamese names are written family name first and are not split reliably into first and last
    name, so the user has one ``full_name`` (họ và tên) instead of Django's ``first_name``/``last_name``.
    An empty ``role`` means "no role assigned yet" and grants nothing.
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, blank=True, default="")
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.full_name.strip() or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()


class AuditAction(models.TextChoices):
    """What an audit event records (one enum for all contexts, like Zulip's ``AuditLogEventType``).

    The value (``<entity>.<past participle>``) is stored and must never change; the label is shown.
    """

    USER_CREATED = "user.created", _("Tạo người dùng")
    USER_CHANGED = "user.changed", _("Sửa người dùng")


class AuditEvent(models.Model):
    """Audit log entry (nhật ký thao tác): who changed what, from which value to which, and when.

    Written by services in the same transaction as the change (``accounts.services.audit_record``);
    never edited afterwards.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    # An ``AuditAction`` value; no ``choices`` here, so that a new action needs no migration.
    action = models.CharField(_("thao tác"), max_length=64, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=100)
    target_id = models.CharField(_("mã đối tượng"), max_length=64)
    before = models.JSONField(_("trước"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("sau"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"
