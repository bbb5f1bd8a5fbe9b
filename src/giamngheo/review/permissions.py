"""Who may see and do what on the review pages (quyền trên các trang rà soát).

Territory is decided by ``accounts.selectors`` (a round or household outside it is a 404) and edits by
``accounts.permissions.edit_refusal``; this module adds what each role may do in a review, so that every
view and download asks the same questions:

- leader (lãnh đạo): aggregates only — the round list, the round page's counts, the transitions and
  their Excel; no page or download that shows households (list, Phiếu A/B, result, complaints,
  certificates, results export, history);
- agency viewer (cán bộ cơ quan): reads the round's households and their results (never a citizen ID
  or a date of birth), to target its policies; no form, and every POST is refused;
- village surveyor (rà soát viên thôn): the households of their own village(s) only (selectors), may
  enter Phiếu A and Phiếu B (and causes, needs) for them; may not receive applications, classify,
  record village meetings, post, handle complaints, approve or report;
- commune officer: everything in their commune; province officer: reads everything in the province and
  may also take the communes' steps (as ``accounts.permissions`` lets them edit the province's data;
  every step is audited with their name); system administrator: everything.

Each ``*_refusal`` function returns the reason in Vietnamese, or ``None`` when allowed; views raise
``PermissionDenied(reason)`` and the 403 page shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import Viewer, sees_everything
from giamngheo.registry.permissions import can_see_personal_ids
from giamngheo.review.models import ReviewRound, RoundHousehold

HOUSEHOLD_ROLES = frozenset(
    {Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.VILLAGE_SURVEYOR, Role.AGENCY_VIEWER}
)
STEP_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER})
ENTRY_ROLES = STEP_ROLES | {Role.VILLAGE_SURVEYOR}


def leader_reason() -> str:
    return _("Vai trò lãnh đạo chỉ xem số liệu tổng hợp, không xem danh sách và thông tin của từng hộ.")


def _account_refusal(viewer: Viewer) -> str | None:
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return _("Hãy đăng nhập để xem trang này.")
    if not viewer.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if not viewer.role and not viewer.is_superuser:
        return _("Tài khoản của bạn chưa được gán vai trò.")
    return None


def households_refusal(viewer: Viewer) -> str | None:
    """Why ``viewer`` may not open the pages and downloads that show households (names, codes, facts)
    of a round, or ``None``."""
    reason = _account_refusal(viewer)
    if reason is not None or sees_everything(viewer):
        return reason
    assert isinstance(viewer, User)
    if viewer.role == Role.LEADER:
        return leader_reason()
    if viewer.role not in HOUSEHOLD_ROLES:
        return _("Vai trò của bạn không được xem danh sách hộ rà soát.")
    return None


def write_refusal(viewer: Viewer) -> str | None:
    """Why ``viewer`` may change nothing at all in the review (any POST), by role, or ``None``."""
    reason = _account_refusal(viewer)
    if reason is not None or sees_everything(viewer):
        return reason
    assert isinstance(viewer, User)
    if viewer.role == Role.LEADER:
        return _("Vai trò lãnh đạo chỉ xem số liệu tổng hợp, không được thay đổi dữ liệu rà soát.")
    if viewer.role == Role.AGENCY_VIEWER:
        return _("Vai trò cán bộ cơ quan chỉ được xem, không được thay đổi dữ liệu rà soát.")
    if viewer.role not in ENTRY_ROLES:
        return _("Vai trò của bạn không được thay đổi dữ liệu rà soát.")
    return None


def steps_role_refusal(viewer: Viewer) -> str | None:
    """Why ``viewer``'s role may not take a round's commune-level steps (create a round, receive
    applications, classify, record meetings, post, handle complaints, approve, report), or ``None``."""
    reason = write_refusal(viewer)
    if reason is not None or sees_everything(viewer):
        return reason
    assert isinstance(viewer, User)
    if viewer.role == Role.VILLAGE_SURVEYOR:
        return _(
            "Rà soát viên thôn chỉ nhập Phiếu A, Phiếu B của các hộ trong thôn được giao; việc nhận giấy "
            "đề nghị, phân loại, họp thôn, niêm yết, giải quyết khiếu nại và phê duyệt do cán bộ xã làm."
        )
    if viewer.role not in STEP_ROLES:
        return _("Vai trò của bạn không được thực hiện các bước rà soát.")
    return None


def steps_refusal(viewer: Viewer, review_round: ReviewRound) -> str | None:
    """Why ``viewer`` may not take the commune-level steps of ``review_round``, or ``None``."""
    reason = steps_role_refusal(viewer)
    if reason is not None:
        return reason
    assert viewer is None or isinstance(viewer, User)
    return edit_refusal(viewer, review_round.commune)


def ensure_can_take_steps(actor: User | None, review_round: ReviewRound) -> None:
    """For the services: raise ``PermissionDenied`` unless ``actor`` (``None``: the system) may take the
    commune-level steps of ``review_round`` (a village surveyor may not, even in their own village)."""
    if actor is not None:
        ensure(steps_refusal(actor, review_round))


def entry_refusal(viewer: Viewer, entry: RoundHousehold) -> str | None:
    """Why ``viewer`` may not enter Phiếu A, Phiếu B, causes and needs of a listed household (its
    village's, or the commune's for a household without a village), or ``None``."""
    reason = write_refusal(viewer)
    if reason is not None:
        return reason
    assert viewer is None or isinstance(viewer, User)
    target = entry.village if entry.village_id is not None else entry.round.commune
    assert target is not None
    return edit_refusal(viewer, target)


def certificate_refusal(viewer: Viewer) -> str | None:
    """Certificates carry members' names and years of birth: for the roles that may read personal data."""
    reason = households_refusal(viewer)
    if reason is not None:
        return reason
    if not can_see_personal_ids(viewer):
        return _(
            "Vai trò của bạn không được tải giấy chứng nhận hộ nghèo, hộ cận nghèo "
            "(giấy có họ tên, năm sinh của các thành viên trong hộ)."
        )
    return None


@dataclass(frozen=True, slots=True)
class RoundAccess:
    """What the viewer may see and do on a round's pages, as booleans for the templates."""

    households: bool  # household lists and pages, complaints, results export, history
    steps: bool  # commune-level steps: applications, classify, meetings, posting, complaints, approval
    enter: bool  # Phiếu A / Phiếu B of the households they see (a surveyor: their village's)
    certificates: bool  # certificates (names and years of birth)


def round_access(viewer: Viewer, review_round: ReviewRound) -> RoundAccess:
    """The viewer's ``RoundAccess`` on ``review_round`` (which they can see: the caller checked)."""
    households = households_refusal(viewer) is None
    steps = steps_refusal(viewer, review_round) is None
    surveyor = isinstance(viewer, User) and viewer.role == Role.VILLAGE_SURVEYOR
    enter = steps or (surveyor and write_refusal(viewer) is None)
    return RoundAccess(
        households=households,
        steps=steps,
        enter=enter,
        certificates=certificate_refusal(viewer) is None,
    )


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def review_view(*, households: bool = False) -> Callable[[View], View]:
    """Decorate a review page or download: sign-in required; with ``households``, refuse (403 with the
    reason) the roles that may not see households; refuse every POST from a role that may change
    nothing (leader, agency viewer). The view itself checks the round, the household and the step."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            reason = households_refusal(request.user) if households else None
            if reason is None and request.method not in ("GET", "HEAD", "OPTIONS"):
                reason = write_refusal(request.user)
            if reason is not None:
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def ensure(reason: str | None) -> None:
    """Raise ``PermissionDenied(reason)`` unless ``reason`` is ``None``."""
    if reason is not None:
        raise PermissionDenied(reason)
