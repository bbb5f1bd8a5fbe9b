"""Village meetings (step 3), public posting (step 4) and complaints with re-survey (phúc tra)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import Village
from giamngheo.review.models import (
    Complaint,
    ComplaintStatus,
    Posting,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
    VillageMeeting,
)
from giamngheo.review.permissions import ensure_can_take_steps
from giamngheo.review.procedure import procedure
from giamngheo.review.services.classification import classify_entries, surveyed_entries
from giamngheo.review.services.common import advance, ensure_status, locked_round, round_snapshot


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def meeting_villages(review_round: ReviewRound) -> list[int | None]:
    """The villages whose households are on the round's list (``None``: households without a village)."""
    # order_by(): without it the model's ordering (household code) joins into the DISTINCT.
    rows = RoundHousehold.objects.filter(round=review_round).order_by().values_list("village_id", flat=True)
    ids = rows.distinct()
    return sorted(set(ids), key=lambda v: (v is None, v or 0))


def villages_passed(review_round: ReviewRound) -> set[int | None]:
    """Villages whose latest meeting, held since the round's last classification, passed."""
    meetings = VillageMeeting.objects.filter(round=review_round)
    if review_round.classified_at is not None:
        meetings = meetings.filter(created_at__gte=review_round.classified_at)
    latest: dict[int | None, bool] = {}
    for village_id, passed in meetings.order_by("held_on", "created_at", "pk").values_list(
        "village_id", "passed"
    ):
        latest[village_id] = passed
    return {village for village, passed in latest.items() if passed}


@transaction.atomic(durable=True)
def meeting_record(
    *,
    review_round: ReviewRound,
    village: Village | None,
    held_on: dt.date,
    chair: str,
    attendees: int,
    agreeing: int,
    actor: User | None,
    minutes: str = "",
    expected_version: int | None = None,
) -> VillageMeeting:
    """Record a village meeting (họp thôn, step 3) on the classified results.

    The results pass when the agreeing attendees reach the procedure's share (≥ 50 %: 5 of 10 passes,
    4 of 9 does not). If they do not, the round goes back to step 2 (surveying) and the village meets
    again after the households are re-surveyed and the round classified again. When every village of
    the round has passed since the last classification, the round moves to "meeting done".
    """
    rnd = locked_round(review_round, expected_version)
    ensure_can_edit(actor, village if village is not None else rnd.commune)
    ensure_can_take_steps(actor, rnd)  # the commune records the minutes, not a village surveyor
    ensure_status(rnd, (RoundStatus.CLASSIFIED,), _("họp thôn"))
    village_id = village.pk if village is not None else None
    if village_id not in meeting_villages(rnd):
        raise ValidationError({"village": _("Thôn này không có hộ nào trong danh sách rà soát.")})
    errors: dict[str, str] = {}
    if attendees < 1:
        errors["attendees"] = _("Số người tham dự phải lớn hơn 0.")
    if agreeing < 0 or agreeing > attendees:
        errors["agreeing"] = _("Số người đồng ý phải từ 0 đến số người tham dự.")
    if not chair.strip():
        errors["chair"] = _("Cần ghi người chủ trì cuộc họp.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("Ngày họp không thể ở tương lai.")
    if errors:
        raise ValidationError(errors)
    passed = procedure().meeting.passed(attendees, agreeing)
    meeting = VillageMeeting(
        round=rnd,
        village=village,
        province_code=rnd.province_code,
        held_on=held_on,
        chair=chair.strip(),
        attendees=attendees,
        agreeing=agreeing,
        minutes=minutes.strip(),
        passed=passed,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    before = round_snapshot(rnd)
    if not passed:
        advance(rnd, RoundStatus.SURVEYING)
    elif villages_passed(rnd) >= set(meeting_villages(rnd)):
        advance(rnd, RoundStatus.MEETING, meetings_done_at=timezone.now())
    audit_record(
        actor=actor,
        action=ReviewAuditAction.MEETING_RECORDED,
        target=meeting,
        before=before,
        after={
            **round_snapshot(rnd),
            "village": village_id,
            "held_on": held_on,
            "attendees": attendees,
            "agreeing": agreeing,
            "passed": passed,
        },
    )
    review_round.refresh_from_db()
    return meeting


@transaction.atomic(durable=True)
def posting_start(
    *,
    review_round: ReviewRound,
    start_date: dt.date,
    actor: User | None,
    places: Sequence[str] = (),
    expected_version: int | None = None,
) -> Posting:
    """Post the results publicly (niêm yết, step 4) for the procedure's number of days from
    ``start_date``, at ``places`` (default: the procedure's places)."""
    rnd = locked_round(review_round, expected_version)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.MEETING,), _("niêm yết công khai"))
    rules = procedure().posting
    where = [p.strip() for p in places if p.strip()] or list(rules.places)
    posting = Posting(
        round=rnd,
        province_code=rnd.province_code,
        start_date=start_date,
        end_date=rules.end_date(start_date),
        places="\n".join(where),
        started_by=actor,
    )
    posting.full_clean()
    posting.save()
    before = round_snapshot(rnd)
    advance(rnd, RoundStatus.POSTING, posting_started_at=timezone.now(), posting_started_by=actor)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.POSTING_STARTED,
        target=posting,
        before=before,
        after={
            **round_snapshot(rnd),
            "start_date": start_date,
            "end_date": posting.end_date,
            "places": where,
        },
    )
    review_round.refresh_from_db()
    return posting


@transaction.atomic(durable=True)
def complaint_record(
    *,
    review_round: ReviewRound,
    complainant: str,
    received_on: dt.date,
    content: str,
    actor: User | None,
    round_household: RoundHousehold | None = None,
) -> Complaint:
    """Receive a complaint (khiếu nại) about the posted results, within the posting period."""
    rnd = locked_round(review_round)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.POSTING,), _("nhận khiếu nại"))
    posting = rnd.posting
    errors: dict[str, str] = {}
    if not posting.start_date <= received_on <= posting.end_date:
        errors["received_on"] = _(
            "Chỉ nhận khiếu nại trong thời gian niêm yết, từ {start} đến {end}."
        ).format(start=_date_text(posting.start_date), end=_date_text(posting.end_date))
    if not complainant.strip():
        errors["complainant"] = _("Cần ghi tên người khiếu nại.")
    if not content.strip():
        errors["content"] = _("Cần ghi nội dung khiếu nại.")
    if round_household is not None and round_household.round_id != rnd.pk:
        errors["round_household"] = _("Hộ này không có trong danh sách của đợt rà soát.")
    if errors:
        raise ValidationError(errors)
    complaint = Complaint(
        round=rnd,
        round_household=round_household,
        province_code=rnd.province_code,
        complainant=complainant.strip(),
        received_on=received_on,
        content=content.strip(),
        received_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    audit_record(
        actor=actor,
        action=ReviewAuditAction.COMPLAINT_RECORDED,
        target=complaint,
        before=None,
        after={
            "round": rnd.pk,
            "round_household": round_household.pk if round_household is not None else None,
            "received_on": received_on,
            "status": complaint.status,
        },
    )
    return complaint


RESOLVE_DECISIONS = ("resurvey", ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED)


@transaction.atomic(durable=True)
def complaint_resolve(
    *,
    complaint: Complaint,
    decision: str,
    actor: User | None,
    resolution: str = "",
    on: dt.date | None = None,
) -> Complaint:
    """Handle a complaint: ``"resurvey"`` (phúc tra) reopens the household's Phiếu B; ``"resolved"`` or
    ``"rejected"`` closes it with a written resolution. Closing a re-surveyed complaint classifies that
    household again (its new result supersedes the old one) and closes the re-survey."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    rnd = locked_round(current.round)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.POSTING,), _("giải quyết khiếu nại"))
    if decision not in RESOLVE_DECISIONS:
        raise ValidationError({"decision": _("Cách giải quyết không hợp lệ.")})
    before = {"status": current.status, "resolution": current.resolution}
    entry = current.round_household
    if decision == "resurvey":
        if current.status != ComplaintStatus.RECEIVED:
            raise ValidationError(
                _("Khiếu nại này đã được phúc tra hoặc đã giải quyết."), code="review.complaint"
            )
        if entry is None:
            raise ValidationError(
                {"decision": _("Khiếu nại không gắn với hộ nào nên không thể phúc tra.")},
                code="review.complaint",
            )
        current.status = ComplaintStatus.RESURVEYED
        RoundHousehold.objects.filter(pk=entry.pk).update(reopened=True)
    else:
        if current.status not in (ComplaintStatus.RECEIVED, ComplaintStatus.RESURVEYED):
            raise ValidationError(_("Khiếu nại này đã được giải quyết."), code="review.complaint")
        if not resolution.strip():
            raise ValidationError({"resolution": _("Cần ghi kết quả giải quyết.")})
        if current.status == ComplaintStatus.RESURVEYED and entry is not None:
            entry.refresh_from_db()
            classify_entries(review_round=rnd, entries=surveyed_entries(rnd, [entry.pk]), actor=actor)
            RoundHousehold.objects.filter(pk=entry.pk).update(reopened=False)
        current.status = decision
        current.resolution = resolution.strip()
        current.resolved_on = on or timezone.localdate()
    current.handled_by = actor
    current.full_clean()
    current.save()
    audit_record(
        actor=actor,
        action=ReviewAuditAction.COMPLAINT_RESOLVED,
        target=current,
        before=before,
        after={"status": current.status, "resolution": current.resolution, "decision": decision},
    )
    return current
