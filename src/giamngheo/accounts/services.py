"""Writes for accounts: every change goes through a function here and leaves an audit row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import AuditAction, AuditEvent, Role, User, UserScope
from giamngheo.accounts.permissions import ensure_can_manage_users

if TYPE_CHECKING:
    from giamngheo.geo.models import AdminUnit, Village


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one audit event about ``target``.

    Call it inside the transaction of the change it describes, so both are written or neither is.
    ``actor`` is ``None`` for changes made by the system (management commands, imports). Values in
    ``before``/``after`` must be JSON-serialisable (dates and decimals are fine). Never put passwords
    or other secrets in them.
    """
    return AuditEvent.objects.create(
        actor=actor,
        action=str(action),
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before,
        after=after,
    )


@transaction.atomic(durable=True)
def user_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    full_name: str,
    actor: User | None,
    phone: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a user account (tạo tài khoản) and record who created it.

    Superusers and system administrators get access to the admin site (``is_staff``). The password
    goes through ``AUTH_PASSWORD_VALIDATORS``; a weak one raises ``ValidationError``.
    """
    ensure_can_manage_users(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò “{role}” không tồn tại.").format(role=role)})
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        phone=phone,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser or role == Role.SYSTEM_ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        target=user,
        before=None,
        after={
            "username": user.username,
            "full_name": user.full_name,
            "role": user.role,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
        },
    )
    return user


# Which kind of scope row fits each role (``province``/``commune`` are unit levels).
SCOPE_KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.PROVINCE_OFFICER: ("province",),
    Role.LEADER: ("province",),
    Role.COMMUNE_OFFICER: ("commune",),
    Role.AGENCY_VIEWER: ("province", "commune"),
    Role.VILLAGE_SURVEYOR: ("village",),
}


_SCOPE_KIND_LABELS: dict[str, str] = {
    "province": "tỉnh",
    "commune": "xã",
    "village": "thôn",
    "district": "huyện",
}


def _scope_labels(user: User) -> list[str]:
    rows = UserScope.objects.filter(user=user).select_related("unit", "village__commune")
    return sorted(row.label for row in rows)


def _scope_kind(unit: AdminUnit | None, village: Village | None) -> str:
    if (unit is None) == (village is None):
        raise ValidationError(_("Cần chọn đúng một địa bàn: một đơn vị hành chính hoặc một thôn."))
    return "village" if village is not None else str(unit.level)  # type: ignore[union-attr]


@transaction.atomic(durable=True)
def user_scope_assign(
    *, user: User, unit: AdminUnit | None = None, village: Village | None = None, actor: User | None
) -> UserScope:
    """Assign a territory (gán địa bàn) to a user: one province or commune (``unit``) or one village.

    Only a system administrator (or the system, ``actor=None``) may do it. The kind must fit the
    role: province for a province officer or leader, commune for a commune officer, village for a
    village surveyor, province or commune for an agency viewer; a system administrator sees
    everything and gets no scope. The unit or village must still be valid (no ``valid_to``). The
    audit row (on the user) lists the user's scopes before and after.
    """
    ensure_can_manage_users(actor)
    kind = _scope_kind(unit, village)
    allowed = SCOPE_KINDS_BY_ROLE.get(user.role, ())
    if kind not in allowed:
        role_label = Role(user.role).label if user.role else _("chưa có vai trò")
        raise ValidationError(
            _("Không thể gán địa bàn cấp “{kind}” cho người dùng có vai trò “{role}”.").format(
                kind=_SCOPE_KIND_LABELS[kind], role=role_label
            )
        )
    target = village if village is not None else unit
    assert target is not None
    if target.valid_to is not None:
        raise ValidationError(
            _("{name} đã hết hiệu lực từ {date}, không thể gán làm địa bàn.").format(
                name=target.name, date=target.valid_to
            )
        )
    if UserScope.objects.filter(user=user, unit=unit, village=village).exists():
        raise ValidationError(
            _("Người dùng {user} đã được gán địa bàn {name}.").format(user=user.username, name=target.name)
        )
    before = _scope_labels(user)
    scope = UserScope(user=user, unit=unit, village=village, province_code=target.province_code)
    scope.full_clean()
    scope.save()
    audit_record(
        actor=actor,
        action=AuditAction.USER_SCOPE_ASSIGNED,
        target=user,
        before={"scopes": before},
        after={"scopes": _scope_labels(user)},
    )
    return scope


@transaction.atomic(durable=True)
def user_scope_remove(
    *, user: User, unit: AdminUnit | None = None, village: Village | None = None, actor: User | None
) -> None:
    """Remove one territory (bỏ địa bàn) from a user. Only a system administrator (or the system).

    The audit row (on the user) lists the user's scopes before and after.
    """
    ensure_can_manage_users(actor)
    _scope_kind(unit, village)
    scope = UserScope.objects.filter(user=user, unit=unit, village=village).first()
    if scope is None:
        target = village if village is not None else unit
        raise ValidationError(
            _("Người dùng {user} không có địa bàn {name}.").format(
                user=user.username,
                name=target.name if target is not None else "",
            )
        )
    before = _scope_labels(user)
    scope.delete()
    audit_record(
        actor=actor,
        action=AuditAction.USER_SCOPE_REMOVED,
        target=user,
        before={"scopes": before},
        after={"scopes": _scope_labels(user)},
    )
