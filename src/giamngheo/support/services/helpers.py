"""Helpers of poor households (người, đơn vị giúp đỡ hộ nghèo): assign, end, record visits; and the reads
the helper pages need.

Writes validate, then write inside one durable transaction with an audit row
(:class:`~giamngheo.support.models.SupportAuditAction`). A refusal is a ``ValidationError`` keyed to the
field, in Vietnamese; a refusal by role or territory is a ``PermissionDenied`` with the reason.

Rules:

- a helper is assigned only to a household that is poor (hộ nghèo) in its latest approved review round
  (the current, not superseded, ``review.models.Result`` of the most recent approved round that classified
  it), and still lives in the commune;
- one active helper (``ended_on`` empty) per household at a time — the database refuses a second one
  (constraint ``support_one_active_helper``), and :func:`helper_assign` says who the current helper is;
  with ``replace=True`` the current helper's assignment ends the day before the new one starts, in the
  same transaction;
- who assigns and ends: whoever may edit the household's commune (a commune officer of the commune, a
  province officer of the province, a system administrator; ``accounts.permissions.edit_refusal``);
- who records a visit (thăm hộ): the helper's own account, the commune officer of the household's commune
  or the province officer of its province; the visit date is not in the future, not before the
  assignment started and not after it ended.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.permissions import edit_refusal
from giamngheo.accounts.selectors import Viewer, sees_everything
from giamngheo.accounts.services import audit_record
from giamngheo.documents.formatting import date_short
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.planning.models import Agency
from giamngheo.registry.models import Household, HouseholdStatus
from giamngheo.registry.selectors import households_visible_to
from giamngheo.site.standards.presentation import class_name
from giamngheo.support.history import latest_approved_class, latest_class_subquery
from giamngheo.support.models import HelperAssignment, HelperKind, HelperVisit, SupportAuditAction
from giamngheo.support.selectors import helpers_visible_to

log = logging.getLogger(__name__)

#: A household whose last visit is older than this many days is listed as "not visited lately".
VISIT_STALE_DAYS: Final = 90


# --- The household's class in its latest approved round ----------------------------------------------


def class_label(klass: str | None) -> str:
    """The class in words (``Hộ nghèo`` …), or "no approved result"."""
    if not klass:
        return _("chưa có kết quả rà soát được phê duyệt")
    return class_name(klass)


# --- Permissions ----------------------------------------------------------------------------------------


def assign_refusal(actor: User | None, household: Household) -> str | None:
    """Why ``actor`` may not assign or end a helper of ``household``, or ``None`` if they may: the right
    to edit the household's commune (a village surveyor edits only village-level data)."""
    return edit_refusal(actor, household.commune)


def visit_refusal(actor: User | None, assignment: HelperAssignment) -> str | None:
    """Why ``actor`` may not record a visit of ``assignment``, or ``None`` if they may: the helper's own
    account, a commune officer of the commune, a province officer of the province, an administrator."""
    if actor is None or sees_everything(actor):
        return None
    if not actor.is_active:
        return _("Tài khoản của bạn đã bị khóa.")
    if assignment.user_id is not None and assignment.user_id == actor.pk:
        return None
    if actor.role not in (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER):
        return _("Chỉ người giúp đỡ, cán bộ xã hoặc cán bộ tỉnh phụ trách mới được ghi nhận thăm hộ.")
    return edit_refusal(actor, assignment.commune)


def _ensure(reason: str | None) -> None:
    if reason is not None:
        raise PermissionDenied(reason)


# --- Writes ---------------------------------------------------------------------------------------------


def assignment_snapshot(assignment: HelperAssignment) -> dict[str, Any]:
    """The audited fields of an assignment (JSON-serialisable)."""
    return {
        "household": assignment.household_id,
        "kind": assignment.kind,
        "name": assignment.name,
        "position": assignment.position,
        "phone": assignment.phone,
        "agency": assignment.agency_id,
        "user": assignment.user_id,
        "started_on": assignment.started_on,
        "ended_on": assignment.ended_on,
        "end_reason": assignment.end_reason,
    }


def _active(household: Household) -> HelperAssignment | None:
    return (
        HelperAssignment.objects.select_for_update()
        .filter(household=household, ended_on__isnull=True)
        .first()
    )


def _validate_new(
    *,
    household: Household,
    kind: str,
    name: str,
    agency: Agency | None,
    user: User | None,
    started_on: dt.date,
    today: dt.date,
) -> None:
    errors: dict[str, str] = {}
    if household.status != HouseholdStatus.ACTIVE:
        errors["household"] = _("Hộ {code} không còn sinh sống ({status}).").format(
            code=household.code, status=household.get_status_display()
        )
    else:
        klass = latest_approved_class(household)
        if klass != "poor":
            errors["household"] = _(
                "Chỉ phân công người giúp đỡ cho hộ nghèo; theo đợt rà soát được phê duyệt gần nhất, "
                "hộ {code}: {klass}."
            ).format(code=household.code, klass=class_label(klass))
    if kind not in HelperKind.values:
        errors["kind"] = _("Hãy chọn người giúp đỡ là cá nhân hay cơ quan, đơn vị.")
    if not name.strip():
        errors["name"] = _("Hãy nhập tên người hoặc đơn vị giúp đỡ.")
    if started_on > today:
        errors["started_on"] = _("Ngày bắt đầu giúp đỡ không được sau hôm nay ({today}).").format(
            today=date_short(today)
        )
    if agency is not None and agency.province_code != household.province_code:
        errors["agency"] = _("{agency} không thuộc tỉnh của hộ.").format(agency=agency.name)
    if user is not None and not user.is_active:
        errors["user"] = _("Tài khoản {name} đã bị khóa.").format(name=user.get_username())
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def helper_assign(
    *,
    household: Household,
    kind: str,
    name: str,
    started_on: dt.date,
    actor: User | None,
    position: str = "",
    phone: str = "",
    agency: Agency | None = None,
    user: User | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> HelperAssignment:
    """Assign a helper (phân công người giúp đỡ) to a poor household.

    Refused when the household already has an active helper (the message names them), unless
    ``replace``: then the current assignment ends on the day before ``started_on`` (audited as ended,
    with the new helper's name as the reason), all in this transaction.
    """
    _ensure(assign_refusal(actor, household))
    household = Household.objects.select_for_update().select_related("commune").get(pk=household.pk)
    today = today or timezone.localdate()
    _validate_new(
        household=household,
        kind=kind,
        name=name,
        agency=agency,
        user=user,
        started_on=started_on,
        today=today,
    )
    current = _active(household)
    if current is not None and not replace:
        raise ValidationError(
            {
                "household": _(
                    "Hộ {code} đang có người giúp đỡ: {name} (từ {day}). Mỗi hộ chỉ có một người giúp đỡ "
                    "tại một thời điểm; hãy kết thúc việc giúp đỡ hiện tại hoặc chọn thay người giúp đỡ."
                ).format(code=household.code, name=current.name, day=date_short(current.started_on))
            },
            code="active_helper",
        )
    if current is not None:
        end_day = started_on - dt.timedelta(days=1)
        if end_day < current.started_on:
            raise ValidationError(
                {
                    "started_on": _(
                        "Người giúp đỡ hiện tại ({name}) bắt đầu từ {day}; "
                        "người mới phải bắt đầu sau ngày đó."
                    ).format(name=current.name, day=date_short(current.started_on))
                }
            )
        before = assignment_snapshot(current)
        current.ended_on = end_day
        current.end_reason = _("Thay bằng {name}").format(name=name.strip())[:255]
        current.save(update_fields=["ended_on", "end_reason"])
        audit_record(
            actor=actor,
            action=SupportAuditAction.HELPER_ENDED,
            target=current,
            before=before,
            after=assignment_snapshot(current),
        )
    assignment = HelperAssignment(
        household=household,
        province_code=household.province_code,
        commune=household.commune,
        kind=kind,
        name=name.strip(),
        position=position.strip(),
        phone=phone.strip(),
        agency=agency,
        user=user,
        started_on=started_on,
    )
    assignment.full_clean(exclude=["household", "commune"], validate_constraints=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:  # another assignment won the race for the household
        log.warning("helper assign: one-active constraint", extra={"household": household.pk})
        raise ValidationError(
            {"household": _("Hộ {code} vừa được phân công người giúp đỡ khác.").format(code=household.code)},
            code="active_helper",
        ) from error
    audit_record(
        actor=actor,
        action=SupportAuditAction.HELPER_ASSIGNED,
        target=assignment,
        after=assignment_snapshot(assignment),
    )
    return assignment


@transaction.atomic(durable=True)
def helper_end(
    *,
    assignment: HelperAssignment,
    ended_on: dt.date,
    reason: str,
    actor: User | None,
    today: dt.date | None = None,
) -> HelperAssignment:
    """End a helper's assignment (kết thúc giúp đỡ) on ``ended_on``, with the reason."""
    _ensure(assign_refusal(actor, assignment.household))
    assignment = HelperAssignment.objects.select_for_update().get(pk=assignment.pk)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if assignment.ended_on is not None:
        errors["ended_on"] = _("Việc giúp đỡ của {name} đã kết thúc ngày {day}.").format(
            name=assignment.name, day=date_short(assignment.ended_on)
        )
    elif ended_on < assignment.started_on:
        errors["ended_on"] = _("Ngày kết thúc không được trước ngày bắt đầu ({day}).").format(
            day=date_short(assignment.started_on)
        )
    elif ended_on > today:
        errors["ended_on"] = _("Ngày kết thúc không được sau hôm nay ({today}).").format(
            today=date_short(today)
        )
    if not reason.strip():
        errors["reason"] = _(
            "Hãy ghi lý do kết thúc (ví dụ: hộ đã thoát nghèo, người giúp đỡ chuyển công tác)."
        )
    if errors:
        raise ValidationError(errors)
    before = assignment_snapshot(assignment)
    assignment.ended_on = ended_on
    assignment.end_reason = reason.strip()[:255]
    assignment.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action=SupportAuditAction.HELPER_ENDED,
        target=assignment,
        before=before,
        after=assignment_snapshot(assignment),
    )
    return assignment


@transaction.atomic(durable=True)
def helper_visit_record(
    *,
    assignment: HelperAssignment,
    visited_on: dt.date,
    note: str,
    actor: User | None,
    today: dt.date | None = None,
) -> HelperVisit:
    """Record a helper's visit to the household (thăm hộ) and what was done or agreed."""
    _ensure(visit_refusal(actor, assignment))
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if visited_on > today:
        errors["visited_on"] = _("Ngày thăm không được sau hôm nay ({today}).").format(
            today=date_short(today)
        )
    elif visited_on < assignment.started_on:
        errors["visited_on"] = _("Ngày thăm không được trước ngày bắt đầu giúp đỡ ({day}).").format(
            day=date_short(assignment.started_on)
        )
    elif assignment.ended_on is not None and visited_on > assignment.ended_on:
        errors["visited_on"] = _("Việc giúp đỡ đã kết thúc ngày {day}; ngày thăm phải trước đó.").format(
            day=date_short(assignment.ended_on)
        )
    if not note.strip():
        errors["note"] = _("Hãy ghi nội dung buổi thăm (đã làm gì, thống nhất gì với hộ).")
    if errors:
        raise ValidationError(errors)
    visit = HelperVisit(
        assignment=assignment,
        province_code=assignment.province_code,
        visited_on=visited_on,
        note=note.strip(),
        recorded_by=actor,
    )
    visit.save()
    audit_record(
        actor=actor,
        action=SupportAuditAction.HELPER_VISIT_RECORDED,
        target=visit,
        after={"assignment": assignment.pk, "visited_on": visited_on, "note": visit.note},
    )
    return visit


# --- Reads ----------------------------------------------------------------------------------------------

HELPER_ALL: Final = ""
HELPER_WITH: Final = "co"
HELPER_WITHOUT: Final = "chua"


@dataclass(frozen=True, slots=True)
class HelperFilters:
    """Filters of the helpers list: commune, village, with / without an active helper (``HELPER_WITH`` /
    ``HELPER_WITHOUT``), and "no visit in the last ``VISIT_STALE_DAYS`` days"."""

    commune: AdminUnit | None = None
    village: Village | None = None
    helper: str = HELPER_ALL
    not_visited: bool = False


def _active_helper_q() -> Exists:
    return Exists(HelperAssignment.objects.filter(household=OuterRef("pk"), ended_on__isnull=True))


def _last_visit() -> Subquery:
    return Subquery(
        HelperVisit.objects.filter(assignment__household=OuterRef("pk"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def poor_households(
    *, viewer: Viewer, filters: HelperFilters | None = None, today: dt.date | None = None
) -> QuerySet[Household]:
    """The viewer's active households that are poor in their latest approved round, by commune and code,
    each with ``latest_class``, ``has_helper``, ``last_visit`` (any helper's) and ``active_helpers`` (a list
    of at most one assignment, prefetched)."""
    today = today or timezone.localdate()
    filters = filters or HelperFilters()
    households = (
        households_visible_to(viewer)
        .filter(status=HouseholdStatus.ACTIVE)
        .annotate(
            latest_class=latest_class_subquery(), has_helper=_active_helper_q(), last_visit=_last_visit()
        )
        .filter(latest_class="poor")
    )
    if filters.commune is not None:
        households = households.filter(commune=filters.commune)
    if filters.village is not None:
        households = households.filter(village=filters.village)
    if filters.helper == HELPER_WITH:
        households = households.filter(has_helper=True)
    elif filters.helper == HELPER_WITHOUT:
        households = households.filter(has_helper=False)
    if filters.not_visited:
        since = today - dt.timedelta(days=VISIT_STALE_DAYS)
        households = households.filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
    active = HelperAssignment.objects.filter(ended_on__isnull=True).select_related("agency", "user")
    return (
        households.select_related("commune", "village", "head")
        .prefetch_related(Prefetch("helpers", queryset=active, to_attr="active_helpers"))
        .order_by("commune__name", "code")
    )


def households_without_helper(*, viewer: Viewer) -> QuerySet[Household]:
    """The viewer's poor households (latest approved round) that have no active helper."""
    return poor_households(viewer=viewer, filters=HelperFilters(helper=HELPER_WITHOUT))


def helper_counts(*, viewer: Viewer, commune: AdminUnit | None = None) -> tuple[int, int]:
    """``(poor households, of which with an active helper)`` in the viewer's territory (or ``commune``)."""
    households = poor_households(viewer=viewer, filters=HelperFilters(commune=commune))
    total = households.count()
    helped = households.filter(_active_helper_q()).count()
    return total, helped


def assignment_visible(*, viewer: Viewer, pk: int) -> HelperAssignment | None:
    """The assignment ``pk`` if the viewer may open it: it is theirs (they are the helper), or its
    household is in their territory. ``None`` otherwise."""
    base = HelperAssignment.objects.select_related(
        "household", "household__commune", "household__village", "household__head", "agency", "user"
    )
    if isinstance(viewer, User) and viewer.is_authenticated:
        mine = base.filter(pk=pk, user=viewer).first()
        if mine is not None:
            return mine
    return base.filter(pk__in=helpers_visible_to(viewer).values("pk"), pk=pk).first()


def my_assignments(*, user: User) -> QuerySet[HelperAssignment]:
    """The active assignments where ``user`` is the helper (hộ tôi giúp đỡ), with their visit counts."""
    return (
        HelperAssignment.objects.filter(user=user, ended_on__isnull=True)
        .select_related("household", "household__commune", "household__village", "household__head")
        .annotate(visit_count=Count("visits"), last_visit=_last_visit_of_assignment())
        .order_by("household__commune__name", "household__code")
    )


def _last_visit_of_assignment() -> Subquery:
    return Subquery(
        HelperVisit.objects.filter(assignment=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    )


def household_helpers(*, household: Household) -> QuerySet[HelperAssignment]:
    """Every assignment of ``household``, the active one first, then the most recent."""
    return HelperAssignment.objects.filter(household=household).order_by("-started_on", "-pk")


def assignment_visits(*, assignment: HelperAssignment) -> QuerySet[HelperVisit]:
    """The visits of an assignment, most recent first, with who recorded them."""
    return assignment.visits.select_related("recorded_by").order_by("-visited_on", "-pk")
