"""Who may do what with support records and policies. Services call these before writing; views use them
to decide which buttons to show. Territory itself is decided in ``accounts.selectors`` (through
``registry.selectors.households_visible_to``); this module adds the rules of the support context.

Opening the support pages (lists of households' support): the roles that may open the household registry
(``registry.permissions.registry_refusal``): a leader reads aggregates only and is refused with the reason.

Recording support (ghi nhận hỗ trợ) for a household, which must be visible to the actor:

- a system administrator (or superuser), and the system itself (``None``: imports, demo data);
- a province officer, for the households of their province;
- a commune officer, for the households of their commune;
- an agency viewer who works for an agency (``planning.AgencyMember``), for the households of their
  territory, and only on behalf of one of their agencies: the agency delivering the support records it;
- never a village surveyor (who collects review information, not support) or a leader.

Overriding a refusal (ineligible or duplicate support, with a written reason) is a supervisor's decision:
a province officer of the household's province or a system administrator. A commune officer records and
may be the one asking, so may not also approve the exception; the province, which answers for the
programme's money, does (the separation of the one who records from the one who approves exceptions).

Editing the policy catalogue: national policies (no unit) by system administrators only; a unit's own
policies by system administrators and the province officers of the unit's province.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import Viewer, sees_everything, units_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Agency
from giamngheo.planning.selectors import agencies_of
from giamngheo.registry.models import Household
from giamngheo.registry.permissions import registry_refusal
from giamngheo.registry.selectors import households_visible_to

__all__ = [
    "RECORDING_ROLES",
    "ensure_can_record",
    "pages_refusal",
    "policy_edit_refusal",
    "record_refusal",
    "recording_refusal",
    "supervisor_refusal",
]

RECORDING_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.AGENCY_VIEWER})


def pages_refusal(viewer: Viewer) -> str | None:
    """Why ``viewer`` may not open the support records pages, or ``None``."""
    return registry_refusal(viewer)


def _account_refusal(actor: User) -> str | None:
    if not actor.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not actor.role and not actor.is_superuser:
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


def recording_refusal(actor: User | None, *, agency: Agency | None = None) -> str | None:
    """Why ``actor`` may not record support at all (whatever the household), or ``None``. For an agency
    viewer, ``agency`` (when given) must be one of theirs."""
    if actor is None or sees_everything(actor):
        return None
    reason = _account_refusal(actor)
    if reason is not None:
        return reason
    if actor.role == Role.LEADER:
        return _("Vai trò Lãnh đạo chỉ xem số liệu tổng hợp, không ghi nhận hỗ trợ.")
    if actor.role == Role.VILLAGE_SURVEYOR:
        return _(
            "Rà soát viên thôn không ghi nhận hỗ trợ; cán bộ xã, cán bộ tỉnh hoặc cán bộ cơ quan thực hiện "
            "chính sách ghi nhận."
        )
    if actor.role not in RECORDING_ROLES:
        return _("Vai trò của bạn không được ghi nhận hỗ trợ.")
    if actor.role == Role.AGENCY_VIEWER:
        mine = agencies_of(actor)
        if not mine.exists():
            return _("Tài khoản của bạn chưa thuộc cơ quan nào, nên chưa ghi nhận được hỗ trợ.")
        if agency is not None and not mine.filter(pk=agency.pk).exists():
            return _("Bạn chỉ ghi nhận được hỗ trợ do cơ quan của mình thực hiện.")
    return None


def record_refusal(actor: User | None, household: Household, *, agency: Agency | None = None) -> str | None:
    """Why ``actor`` may not record (or cancel) support for ``household``, or ``None``."""
    reason = recording_refusal(actor, agency=agency)
    if reason is not None or actor is None or sees_everything(actor):
        return reason
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        return _("Ngoài địa bàn của bạn: hộ {code}.").format(code=household.code)
    return None


def ensure_can_record(actor: User | None, household: Household, *, agency: Agency | None = None) -> None:
    reason = record_refusal(actor, household, agency=agency)
    if reason is not None:
        raise PermissionDenied(reason)


def supervisor_refusal(actor: User | None, household: Household | None = None) -> str | None:
    """Why ``actor`` may not allow support outside the rules (a supervisor's override), or ``None``.
    Without ``household``: whether they may override anywhere at all."""
    if actor is None or sees_everything(actor):
        return None
    refusal = _(
        "Chỉ cán bộ tỉnh hoặc quản trị hệ thống mới được cho phép hỗ trợ ngoài điều kiện "
        "(có lý do bằng văn bản)."
    )
    if _account_refusal(actor) is not None or actor.role != Role.PROVINCE_OFFICER:
        return refusal
    if household is not None and not households_visible_to(actor).filter(pk=household.pk).exists():
        return _("Ngoài địa bàn của bạn: hộ {code}.").format(code=household.code)
    return None


def policy_edit_refusal(actor: User | None, unit: AdminUnit | None) -> str | None:
    """Why ``actor`` may not add or change a policy of ``unit`` (``None``: a national policy), or ``None``."""
    if actor is None or sees_everything(actor):
        return None
    reason = _account_refusal(actor)
    if reason is not None:
        return reason
    if unit is None:
        return _("Chỉ quản trị hệ thống mới được thêm hoặc sửa chính sách của Trung ương.")
    if actor.role != Role.PROVINCE_OFFICER:
        return _("Chỉ cán bộ tỉnh mới được thêm hoặc sửa chính sách của địa phương.")
    if unit.generation != Generation.Y2025 or unit.level not in (Level.PROVINCE, Level.COMMUNE):
        return _("Chính sách của địa phương thuộc một tỉnh hoặc một xã, phường (bản đồ 2025).")
    if not units_visible_to(actor).filter(pk=unit.pk).exists():
        return _("Ngoài địa bàn của bạn: {name}.").format(name=unit.name)
    return None
