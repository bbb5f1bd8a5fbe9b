"""Who may do what. Every check lives here; services call these before writing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import sees_everything, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Village


def can_manage_users(actor: User | None) -> bool:
    """System administrators and superusers manage accounts; ``None`` is the system itself."""
    return actor is None or actor.is_superuser or actor.role == Role.SYSTEM_ADMIN


def ensure_can_manage_users(actor: User | None) -> None:
    """Raise ``PermissionDenied`` with a reason the user can read."""
    if not can_manage_users(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới được tạo hoặc sửa tài khoản người dùng."))


# ---------------------------------------------------------------------------------------------
# Territory (địa bàn): who may see or change something that belongs to a unit or a village.
#
# Viewing: the unit or village is in ``selectors.units_visible_to`` / ``villages_visible_to``.
# Editing (in this order):
# - ``None`` (the system itself: imports, management commands), an active superuser or system
#   administrator: everywhere;
# - an inactive user or one without a role: never;
# - leader and agency viewer: never (they read; a leader reads aggregates);
# - village surveyor: only their own villages (not the commune, not the commune's other villages);
# - commune officer: their communes and the villages in them;
# - province officer: their province (the province itself, its communes and villages).
# Each refusal says why, in Vietnamese.
# ---------------------------------------------------------------------------------------------


def _is_visible(actor: User, target: AdminUnit | Village) -> bool:
    if isinstance(target, Village):
        return villages_visible_to(actor).filter(pk=target.pk).exists()
    return units_visible_to(actor).filter(pk=target.pk).exists()


def _account_refusal(actor: User) -> str | None:
    if not actor.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not actor.role and not actor.is_superuser:
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


def _outside(target: AdminUnit | Village) -> str:
    return _("Ngoài địa bàn của bạn: {name}.").format(name=target.name)


def view_refusal(actor: User | None, target: AdminUnit | Village) -> str | None:
    """Why ``actor`` may not see ``target`` (a unit or a village), or ``None`` if they may."""
    if actor is None or sees_everything(actor):
        return None
    reason = _account_refusal(actor)
    if reason is not None:
        return reason
    if not _is_visible(actor, target):
        return _outside(target)
    return None


def edit_refusal(actor: User | None, target: AdminUnit | Village) -> str | None:
    """Why ``actor`` may not change data of ``target`` (a unit or a village), or ``None`` if they may."""
    if actor is None or sees_everything(actor):
        return None
    reason = _account_refusal(actor)
    if reason is not None:
        return reason
    if actor.role == Role.LEADER:
        return _("Vai trò Lãnh đạo chỉ xem số liệu tổng hợp, không được sửa dữ liệu.")
    if actor.role == Role.AGENCY_VIEWER:
        return _("Vai trò Cán bộ cơ quan chỉ được xem, không được sửa dữ liệu.")
    if not _is_visible(actor, target):
        return _outside(target)
    if actor.role == Role.VILLAGE_SURVEYOR and not isinstance(target, Village):
        return _("Rà soát viên thôn chỉ được sửa dữ liệu của thôn được giao, không sửa dữ liệu cấp xã.")
    if actor.role not in (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.VILLAGE_SURVEYOR):
        return _("Vai trò của bạn không được sửa dữ liệu.")  # a role added later edits nothing by default
    return None


def can_view(actor: User | None, target: AdminUnit | Village) -> bool:
    return view_refusal(actor, target) is None


def can_edit(actor: User | None, target: AdminUnit | Village) -> bool:
    return edit_refusal(actor, target) is None


def ensure_can_view(actor: User | None, target: AdminUnit | Village) -> None:
    """Raise ``PermissionDenied`` (with the reason in Vietnamese) unless ``actor`` may see ``target``."""
    reason = view_refusal(actor, target)
    if reason is not None:
        raise PermissionDenied(reason)


def ensure_can_edit(actor: User | None, target: AdminUnit | Village) -> None:
    """Raise ``PermissionDenied`` (with the reason in Vietnamese) unless ``actor`` may change ``target``.

    Services call it before every write to data that belongs to a unit or a village.
    """
    reason = edit_refusal(actor, target)
    if reason is not None:
        raise PermissionDenied(reason)
