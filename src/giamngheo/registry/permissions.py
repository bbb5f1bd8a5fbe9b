"""Who may read personal data of the registry (dữ liệu cá nhân trong sổ hộ).

Territory is decided by ``accounts.selectors`` and edits by ``accounts.permissions``; this module only
adds the rule on personal data, which the registry is the first to need:

- the registry pages (names, members, addresses) are for roles that work with households: system
  administrator, province officer, commune officer, village surveyor, and agency viewer (read only);
  a leader reads aggregates only, and a user without a role reads nothing;
- citizen ID numbers (số định danh cá nhân) and dates of birth are shown only to system
  administrators, province officers, commune officers and village surveyors (whose territory is
  already limited to their own villages by the selectors), never to agency viewers or leaders.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import Viewer, sees_everything

PERSONAL_ID_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.VILLAGE_SURVEYOR})
REGISTRY_ROLES = PERSONAL_ID_ROLES | {Role.AGENCY_VIEWER}


def registry_refusal(viewer: Viewer) -> str | None:
    """Why ``viewer`` may not open the household registry pages at all, or ``None`` if they may."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return _("Hãy đăng nhập để xem sổ hộ.")
    if not viewer.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if sees_everything(viewer):
        return None
    if viewer.role == Role.LEADER:
        return _(
            "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp, không xem danh sách hộ và thông tin cá nhân "
            "của người dân."
        )
    if viewer.role not in REGISTRY_ROLES:
        return _("Tài khoản của bạn chưa được gán vai trò được xem sổ hộ.")
    return None


def ensure_can_open_registry(viewer: Viewer) -> None:
    """Raise ``PermissionDenied`` with the reason in Vietnamese unless the viewer may open the registry."""
    reason = registry_refusal(viewer)
    if reason is not None:
        raise PermissionDenied(reason)


def can_see_personal_ids(viewer: Viewer) -> bool:
    """May ``viewer`` read citizen ID numbers and dates of birth of the members they can see?"""
    if sees_everything(viewer):
        return True
    return isinstance(viewer, User) and viewer.is_active and viewer.role in PERSONAL_ID_ROLES


MASK = "••••••••••••"


def mask_citizen_id(value: str | None) -> str:
    """What a viewer who may not read citizen IDs sees instead of one: no digit at all, or ``""``."""
    return MASK if value else ""
