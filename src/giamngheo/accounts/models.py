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
    USER_SCOPE_ASSIGNED = "user_scope.assigned", _("Gán địa bàn cho người dùng")
    USER_SCOPE_REMOVED = "user_scope.removed", _("Bỏ địa bàn của người dùng")


class UserScope(models.Model):
    """Territorial scope (phạm vi địa bàn) of a user: one unit or one village the user is assigned to.

    Exactly one of ``unit`` (a province or a commune, ``geo.AdminUnit``) and ``village``
    (``geo.Village``) is set. A user may have several rows. What a row lets the user see or edit
    depends on the role and is decided in ``accounts.selectors`` and ``accounts.permissions``; a row
    that does not fit the role (e.g. a province row of a commune officer) grants nothing.
    ``province_code`` repeats the province of the unit or village (the distribution key).
    Written only by ``accounts.services.user_scope_assign`` / ``user_scope_remove``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="scopes",
    )
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user_scopes",
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user_scopes",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    created_at = models.DateTimeField(_("thời điểm gán"), default=timezone.now)

    class Meta:
        verbose_name = _("địa bàn của người dùng")
        verbose_name_plural = _("địa bàn của người dùng")
        ordering: ClassVar[list[str]] = ["user", "province_code", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False, village__isnull=True))
                | (models.Q(unit__isnull=True, village__isnull=False)),
                name="accounts_scope_unit_xor_village",
            ),
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=models.Q(unit__isnull=False),
                name="accounts_scope_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "village"],
                condition=models.Q(village__isnull=False),
                name="accounts_scope_unique_village",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.label}"

    @property
    def label(self) -> str:
        """A stable text for the audit log: ``province:51``, ``commune:23485``, ``village:23485/T01``."""
        if self.village is not None:
            return f"village:{self.village.commune.code}/{self.village.code}"
        assert self.unit is not None
        return f"{self.unit.level}:{self.unit.code}"


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
