"""Writes for accounts: every change goes through a function here and leaves an audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import AuditAction, AuditEvent, Role, User
from giamngheo.accounts.permissions import ensure_can_manage_users


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
