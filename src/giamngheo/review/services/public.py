"""Complaints and feedback sent by citizens on the public pages (phản ánh, khiếu nại trực tuyến).

A citizen sends a complaint (khiếu nại) or feedback (phản ánh, kiến nghị) about a posted round without
signing in; it gets a random tracking code (mã tra cứu, ``KN-2026-7Q4M-2XAB``) to follow its status. The
commune's officers answer it with the same ``complaint_resolve`` as the complaints they record.

When (Decision 24/2021/QĐ-TTg art. 4 cl. 4; ``[complaints]`` of the procedure file, window
``"posting"``): complaints are received while the round is at the posting step and today lies within the
posting (its first to its last day, both included), as for those the officers record
(``steps.complaint_record``). The procedure file gives no number of days for the answer, so the answer
is due within the posting (:func:`answer_due`): the public pages say "trong thời gian niêm yết" with the
posting's last day. The file marks this item "unconfirmed".
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import Village
from giamngheo.review.models import (
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    Posting,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
)
from giamngheo.review.procedure import ComplaintRule, procedure
from giamngheo.review.services.common import locked_round

log = logging.getLogger("giamngheo.review")

# Letters and digits that cannot be mistaken for one another when read aloud or copied (no 0/O, 1/I/L).
TRACKING_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_PREFIX: Final = {ComplaintKind.COMPLAINT: "KN", ComplaintKind.FEEDBACK: "PA"}
_COMPACT_CODE: Final = re.compile(rf"^(KN|PA)(\d{{4}})([{TRACKING_ALPHABET}]{{8}})$")
_PHONE: Final = re.compile(r"^\+?[0-9][0-9 .\-]{7,17}[0-9]$")

MAX_NAME: Final = 150
MAX_CONTACT: Final = 150
MAX_CONTENT: Final = 4000


def new_tracking_code(kind: str, year: int) -> str:
    """A random tracking code: ``KN`` (complaint) or ``PA`` (feedback), the year, and 8 characters of
    :data:`TRACKING_ALPHABET` from ``secrets`` (31⁸ ≈ 8.5 × 10¹¹ codes a year and kind; never a
    sequence), as ``KN-2026-7Q4M-2XAB``."""
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{TRACKING_PREFIX[ComplaintKind(kind)]}-{year:04d}-{body[:4]}-{body[4:]}"


def normalise_tracking_code(text: str) -> str | None:
    """The code as stored, from what a citizen typed (any case, spaces or dashes anywhere):
    ``" kn 2026 7q4m2xab "`` → ``"KN-2026-7Q4M-2XAB"``; ``None`` if it cannot be a tracking code."""
    compact = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    match = _COMPACT_CODE.match(compact)
    if match is None:
        return None
    prefix, year, body = match.groups()
    return f"{prefix}-{year}-{body[:4]}-{body[4:]}"


@dataclass(frozen=True)
class AnswerDue:
    """When the commune's answer to a complaint is due: ``day``; ``within_posting`` when the procedure
    gives no number of days, so the answer comes within the posting and ``day`` is its last day."""

    day: dt.date
    within_posting: bool
    citation: str
    status: str


def answer_due(rules: ComplaintRule, posting_end: dt.date) -> AnswerDue:
    """The answer's due day for a complaint of a round whose posting ends on ``posting_end``.

    Decision 24/2021/QĐ-TTg art. 4 cl. 4: complaints are handled (re-survey, phúc tra) during the
    posting; the procedure file's ``[complaints]`` (window ``"posting"``, no number of days, status
    "unconfirmed") gives nothing more, so the answer is due by the posting's last day. Approval is
    refused while a complaint is open (``round_approve``)."""
    return AnswerDue(day=posting_end, within_posting=True, citation=rules.citation, status=rules.status)


def answer_due_for_round(round_id: int) -> dt.date | None:
    """:func:`answer_due` for a round, from its posting (one query); ``None`` before the posting."""
    end = Posting.objects.filter(round_id=round_id).values_list("end_date", flat=True).first()
    return None if end is None else answer_due(procedure().complaints, end).day


def complaints_open(review_round: ReviewRound, posting: Posting | None, today: dt.date) -> bool:
    """Whether citizens may send complaints about the round today: it is at the posting step and
    ``today`` lies within the posting (procedure ``[complaints]`` window ``"posting"``)."""
    return (
        review_round.status == RoundStatus.POSTING
        and posting is not None
        and posting.start_date <= today <= posting.end_date
    )


def _date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _contact_error(contact: str) -> str | None:
    if not contact:
        return None
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return _("Địa chỉ email không hợp lệ.")
        return None
    if _PHONE.match(contact) is None:
        return _("Ghi số điện thoại (chỉ gồm chữ số) hoặc địa chỉ email.")
    return None


@transaction.atomic(durable=True)
def complaint_submit_public(
    *,
    review_round: ReviewRound,
    complainant: str,
    content: str,
    kind: str = ComplaintKind.COMPLAINT,
    contact: str = "",
    village: Village | None = None,
    round_household: RoundHousehold | None = None,
) -> Complaint:
    """Receive a complaint or feedback sent online by a citizen (no account: the actor is ``None``).

    Refused (``ValidationError``, code ``"review.complaints_closed"``) unless complaints are open
    (:func:`complaints_open`). ``village`` must belong to the round's commune and ``round_household``
    to the round (its village is taken when ``village`` is empty; both must agree). The complaint gets a
    fresh :func:`new_tracking_code`, channel "online", status "received", today's date, and an audit row
    ``COMPLAINT_SUBMITTED_ONLINE`` that holds neither the name, the contact nor the content (nor the
    kind and channel: the action says "online", the code's prefix the kind, and the round's history
    page labels a ``kind`` key as the round's kind).
    """
    rnd = locked_round(review_round)
    today = timezone.localdate()
    posting = Posting.objects.filter(round=rnd).first()
    if not complaints_open(rnd, posting, today):
        log.info("online complaint refused: closed", extra={"round": rnd.pk, "status": rnd.status})
        if posting is not None and rnd.status == RoundStatus.POSTING:
            message = _(
                "Chỉ nhận phản ánh, khiếu nại trong thời gian niêm yết, từ {start} đến {end}."
            ).format(start=_date_text(posting.start_date), end=_date_text(posting.end_date))
        else:
            message = _("Đợt rà soát này không còn nhận phản ánh, khiếu nại.")
        raise ValidationError(message, code="review.complaints_closed")
    complainant, contact, content = complainant.strip(), contact.strip(), content.strip()
    errors: dict[str, str] = {}
    if not complainant:
        errors["complainant"] = _("Cần ghi họ và tên người gửi.")
    elif len(complainant) > MAX_NAME:
        errors["complainant"] = _("Họ và tên dài quá {n} ký tự.").format(n=MAX_NAME)
    if len(contact) > MAX_CONTACT:
        errors["contact"] = _("Thông tin liên hệ dài quá {n} ký tự.").format(n=MAX_CONTACT)
    elif (contact_error := _contact_error(contact)) is not None:
        errors["contact"] = contact_error
    if not content:
        errors["content"] = _("Cần ghi nội dung phản ánh, khiếu nại.")
    elif len(content) > MAX_CONTENT:
        errors["content"] = _("Nội dung dài quá {n} ký tự.").format(n=MAX_CONTENT)
    if kind not in ComplaintKind.values:
        errors["kind"] = _("Loại phản ánh không hợp lệ.")
    if village is not None and village.commune_id != rnd.commune_id:
        errors["village"] = _("Thôn này không thuộc xã của đợt rà soát.")
    if round_household is not None:
        if round_household.round_id != rnd.pk:
            errors["household"] = _("Hộ này không có trong danh sách của đợt rà soát.")
        elif village is None:
            village = round_household.village
        elif round_household.village_id != village.pk:
            errors["household"] = _("Hộ này không thuộc thôn đã chọn.")
    if errors:
        raise ValidationError(errors)
    code = new_tracking_code(kind, today.year)
    while Complaint.objects.filter(tracking_code=code).exists():  # 1 in 10¹¹: practically never
        code = new_tracking_code(kind, today.year)
    complaint = Complaint(
        round=rnd,
        round_household=round_household,
        province_code=rnd.province_code,
        complainant=complainant,
        received_on=today,
        content=content,
        tracking_code=code,
        channel=ComplaintChannel.ONLINE,
        contact=contact,
        kind=kind,
        village=village,
        received_by=None,
    )
    complaint.full_clean()
    complaint.save()
    audit_record(
        actor=None,
        action=ReviewAuditAction.COMPLAINT_SUBMITTED_ONLINE,
        target=complaint,
        before=None,
        after={
            "round": rnd.pk,
            "round_household": round_household.pk if round_household is not None else None,
            "village": village.pk if village is not None else None,
            "received_on": today,
            "status": complaint.status,
            "tracking_code": code,
        },
    )
    log.info("online complaint received", extra={"round": rnd.pk, "complaint": complaint.pk})
    return complaint
