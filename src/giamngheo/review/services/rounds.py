"""Review rounds (đợt rà soát): create and list households (step 1), record applications (Mẫu số 01),
classify (end of step 2), approve (step 5) and report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.registry.models import Household, HouseholdStatus
from giamngheo.review.models import (
    APPROVED_STATUSES,
    OPEN_COMPLAINT_STATUSES,
    ApplicationKind,
    ListReason,
    Result,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundStatus,
)
from giamngheo.review.procedure import procedure
from giamngheo.review.services.classification import classify_entries, round_standard, surveyed_entries
from giamngheo.review.services.common import (
    advance,
    datetime_prep,
    ensure_status,
    json_prep,
    locked_round,
    round_snapshot,
)
from giamngheo.review.signals import round_approved
from giamngheo.site.bulk import insert_rows

LISTED_CLASSES = ("poor", "near_poor")


def latest_approved_classes(commune: AdminUnit, before: dt.date) -> dict[int, str]:
    """Each household's class in the most recent approved round of ``commune`` before ``before``
    (its current, not superseded, result). One query."""
    rows = (
        Result.objects.filter(
            round__commune=commune,
            round__status__in=APPROVED_STATUSES,
            round__reference_date__lt=before,
            superseded=False,
        )
        .order_by("round__reference_date", "round_id", "pk")
        .values_list("household_id", "klass")
    )
    return dict(rows)  # later rounds overwrite earlier ones


def _reference_date(kind: str, year: int, month: int | None, reference_date: dt.date | None) -> dt.date:
    rules = procedure()
    if kind == RoundKind.PERIODIC:
        start, end = rules.periodic.window(year)
        day = reference_date or start
        if not start <= day <= end:
            raise ValidationError(
                {
                    "reference_date": _(
                        "Rà soát định kỳ năm {year} diễn ra từ {start} đến {end}; "
                        "ngày rà soát phải trong khoảng này."
                    ).format(year=year, start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
                }
            )
        return day
    if kind == RoundKind.ONGOING:
        if month is None or not 1 <= month <= 12:
            raise ValidationError({"month": _("Rà soát thường xuyên cần tháng (1-12).")})
        return rules.ongoing.start_of(year, month)
    raise ValidationError({"kind": _("Loại rà soát không hợp lệ.")})


_LISTED_FIELDS = (
    "round",
    "household",
    "village",
    "province_code",
    "reason",
    "application_kind",
    "phieu_a_answers",
    "causes",
    "support_needs",
    "reopened",
    "created_at",
)


def _list_households(review_round: ReviewRound, reasons: dict[int, str]) -> None:
    """Put the households on the round's list (one executemany, see ``site.bulk.insert_rows``). Every
    value is a plain id or code chosen by ``round_create``; the entry's other fields keep their
    defaults."""
    if not reasons:
        return
    villages = dict(
        Household.objects.filter(commune_id=review_round.commune_id).values_list("pk", "village_id")
    )
    as_json = json_prep(RoundHousehold, "causes")
    empty, stamp = as_json([]), datetime_prep(timezone.now())
    insert_rows(
        RoundHousehold,
        _LISTED_FIELDS,
        [
            (
                review_round.pk,
                pk,
                villages[pk],
                review_round.province_code,
                reason,
                "",
                None,
                empty,
                empty,
                False,
                stamp,
            )
            for pk, reason in sorted(reasons.items())
        ],
    )


@transaction.atomic(durable=True)
def round_create(
    *,
    commune: AdminUnit,
    kind: str,
    year: int,
    actor: User | None,
    reference_date: dt.date | None = None,
    month: int | None = None,
    basis: str = "income",
    extra_households: Iterable[Household] = (),
) -> ReviewRound:
    """Open a review round (đợt rà soát) and list its households (step 1, Phụ lục I).

    Periodic (định kỳ): the reference date must fall in the year's window (1 Sep – 14 Dec by default,
    from the procedure file); the active households of the commune whose class in the latest approved
    round is poor or near-poor are listed. Ongoing (thường xuyên): the reference date is the month's
    15th and households are added by ``application_record``. ``extra_households`` (households or a
    queryset of them) are listed with the reason "other" (e.g. a first review of the whole commune).
    """
    ensure_can_edit(actor, commune)
    if commune.level != Level.COMMUNE or commune.generation != Generation.Y2025:
        raise ValidationError(_("Đợt rà soát phải thuộc một xã, phường hoặc đặc khu của bản đồ 2025."))
    day = _reference_date(kind, year, month, reference_date)
    if (
        kind == RoundKind.PERIODIC
        and ReviewRound.objects.filter(commune=commune, kind=kind, year=year).exists()
    ):
        raise ValidationError(
            _("{commune} đã có đợt rà soát định kỳ năm {year}.").format(commune=commune.name, year=year),
            code="review.duplicate",
        )
    if (
        kind == RoundKind.ONGOING
        and ReviewRound.objects.filter(commune=commune, kind=kind, year=year, month=month).exists()
    ):
        raise ValidationError(
            _("{commune} đã có đợt rà soát thường xuyên tháng {month}/{year}.").format(
                commune=commune.name, month=month, year=year
            ),
            code="review.duplicate",
        )
    review_round = ReviewRound(
        commune=commune,
        province_code=commune.province_code,
        kind=kind,
        year=year,
        month=month if kind == RoundKind.ONGOING else None,
        reference_date=day,
        basis=basis,
        created_by=actor,
    )
    round_standard(review_round)  # refuse a date no standard covers, before writing anything
    review_round.full_clean()
    try:
        with transaction.atomic():
            review_round.save()
    except IntegrityError:
        raise ValidationError(_("Đợt rà soát này đã tồn tại."), code="review.duplicate") from None
    reasons: dict[int, str] = {}
    if kind == RoundKind.PERIODIC:
        classes = latest_approved_classes(commune, day)
        listed = [pk for pk, klass in classes.items() if klass in LISTED_CLASSES]
        for pk in Household.objects.filter(
            pk__in=listed, commune=commune, status=HouseholdStatus.ACTIVE
        ).values_list("pk", flat=True):
            reasons[pk] = ListReason.CURRENT_LIST
    if isinstance(extra_households, QuerySet):  # plain values: a whole commune can be listed at once
        extra = list(extra_households.values_list("pk", "commune_id", "code"))
    else:
        extra = [(h.pk, h.commune_id, h.code) for h in extra_households]
    for pk, commune_id, code in extra:
        if commune_id != commune.pk:
            raise ValidationError(
                _("Hộ {code} không thuộc {commune}.").format(code=code, commune=commune.name)
            )
        reasons.setdefault(pk, ListReason.OTHER)
    _list_households(review_round, reasons)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.ROUND_CREATED,
        target=review_round,
        before=None,
        after={
            **round_snapshot(review_round),
            "commune": commune.pk,
            "kind": kind,
            "year": year,
            "month": review_round.month,
            "reference_date": day,
            "listed": dict(Counter(reasons.values())),
        },
    )
    return review_round


@transaction.atomic(durable=True)
def application_record(
    *,
    review_round: ReviewRound,
    household: Household,
    actor: User | None,
    kind: str = ApplicationKind.REVIEW,
    applied_on: dt.date | None = None,
) -> RoundHousehold:
    """Record a household's application (giấy đề nghị rà soát, Mẫu số 01): review, or recognition of
    escaping poverty / near-poverty. The household is listed (reason "applied") or, if already listed,
    its entry records the application. Only while the list is open (steps 1-2)."""
    rnd = locked_round(review_round)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.LISTING, RoundStatus.SURVEYING), _("nhận giấy đề nghị rà soát"))
    if household.commune_id != rnd.commune_id:
        raise ValidationError(
            {
                "household": _("Hộ {code} không thuộc {commune}.").format(
                    code=household.code, commune=rnd.commune.name
                )
            }
        )
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(
            {"household": _("Hộ {code} không còn sinh sống tại địa phương.").format(code=household.code)}
        )
    if kind not in ApplicationKind.values:
        raise ValidationError({"kind": _("Nội dung đề nghị không hợp lệ.")})
    day = applied_on or timezone.localdate()
    entry = RoundHousehold.objects.filter(round=rnd, household=household).first()
    before: dict[str, Any] | None = None
    if entry is None:
        entry = RoundHousehold(
            round=rnd,
            household=household,
            village_id=household.village_id,
            province_code=rnd.province_code,
            reason=ListReason.APPLIED,
        )
    else:
        before = {
            "reason": entry.reason,
            "application_kind": entry.application_kind,
            "applied_on": entry.applied_on,
        }
    entry.application_kind = kind
    entry.applied_on = day
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action=ReviewAuditAction.APPLICATION_RECORDED,
        target=entry,
        before=before,
        after={
            "reason": entry.reason,
            "application_kind": kind,
            "applied_on": day,
            "household": household.pk,
        },
    )
    return entry


@transaction.atomic(durable=True)
def round_classify(
    *, review_round: ReviewRound, actor: User | None, expected_version: int | None = None
) -> dict[str, int]:
    """Classify every surveyed household of the round (end of step 2) with ONE call to
    ``standards.evaluate`` under the standard in force on the reference date; store the standard's id
    and version on the round. Returns the number of households per class."""
    rnd = locked_round(review_round, expected_version)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.SURVEYING, RoundStatus.CLASSIFIED), _("phân loại hộ"))
    before = round_snapshot(rnd)
    standard = round_standard(rnd)
    columns = classify_entries(review_round=rnd, entries=surveyed_entries(rnd), actor=actor)
    counts = {str(k): int(v) for k, v in columns["klass"].value_counts().iter_rows()}
    advance(
        rnd,
        RoundStatus.CLASSIFIED,
        standard_id=standard.id,
        standard_version=standard.version,
        classified_at=timezone.now(),
        classified_by=actor,
    )
    audit_record(
        actor=actor,
        action=ReviewAuditAction.ROUND_CLASSIFIED,
        target=rnd,
        before=before,
        after={**round_snapshot(rnd), "classes": counts},
    )
    review_round.refresh_from_db()
    return counts


@transaction.atomic(durable=True)
def round_approve(
    *,
    review_round: ReviewRound,
    actor: User | None,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> ReviewRound:
    """The commune chairperson approves the results (phê duyệt, step 5): recognises the poor, near-poor
    and escaped households. Refused while the posting runs, or while complaints are open."""
    rnd = locked_round(review_round, expected_version)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.POSTING,), _("phê duyệt kết quả"))
    day = on or timezone.localdate()
    posting = rnd.posting
    if day <= posting.end_date:
        raise ValidationError(
            _(
                "Danh sách đang niêm yết đến hết ngày {end}; "
                "chỉ phê duyệt được sau khi hết thời gian niêm yết."
            ).format(end=posting.end_date.strftime("%d/%m/%Y")),
            code="review.posting_running",
        )
    open_count = rnd.complaints.filter(status__in=OPEN_COMPLAINT_STATUSES).count()
    if open_count:
        raise ValidationError(
            _("Còn {count} khiếu nại chưa giải quyết xong; hãy giải quyết trước khi phê duyệt.").format(
                count=open_count
            ),
            code="review.open_complaints",
        )
    before = round_snapshot(rnd)
    advance(rnd, RoundStatus.APPROVED, approved_on=day, approved_by=actor)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.ROUND_APPROVED,
        target=rnd,
        before=before,
        after={**round_snapshot(rnd), "approved_on": day},
    )
    round_approved.send(sender=ReviewRound, review_round=rnd)
    return rnd


@transaction.atomic(durable=True)
def round_report(
    *, review_round: ReviewRound, actor: User | None, expected_version: int | None = None
) -> dict[str, int]:
    """Report the approved results upward (báo cáo kết quả): the number of households per class."""
    rnd = locked_round(review_round, expected_version)
    ensure_can_edit(actor, rnd.commune)
    ensure_status(rnd, (RoundStatus.APPROVED,), _("báo cáo kết quả"))
    counts = dict(Counter(rnd.results.filter(superseded=False).values_list("klass", flat=True)))
    before = round_snapshot(rnd)
    advance(rnd, RoundStatus.REPORTED, reported_at=timezone.now(), reported_by=actor)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.ROUND_REPORTED,
        target=rnd,
        before=before,
        after={**round_snapshot(rnd), "classes": counts},
    )
    return counts
