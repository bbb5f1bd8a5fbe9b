"""Who may do what. Every check lives here; services call these before writing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User


def can_manage_users(actor: User | None) -> bool:
    """System administrators and superusers manage accounts; ``None`` is the system itself."""
    return actor is None or actor.is_superuser or actor.role == Role.SYSTEM_ADMIN


def ensure_can_manage_users(actor: User | None) -> None:
    """Raise ``PermissionDenied`` with a reason the user can read."""
    if not can_manage_users(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới được tạo hoặc sửa tài khoản người dùng."))
