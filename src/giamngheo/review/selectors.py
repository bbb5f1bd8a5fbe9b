"""Reads of the review, always scoped to the viewer's territory.

Every selector that takes a ``viewer`` starts from ``accounts.selectors.units_visible_to`` /
``villages_visible_to``: a round is visible with its commune; a listed household is visible when its
village is (or, without a village, when the commune is, except to a village surveyor). The public
posting page is the one read without a viewer, and shows no personal identifiers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast

from giamngheo.accounts.models import AuditEvent
from giamngheo.accounts.selectors import Viewer, is_village_surveyor, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.models import EventKind, HouseholdEvent, Member, MemberStatus
from giamngheo.review.models import (
    APPROVED_STATUSES,
    Complaint,
    ComplaintChannel,
    Posting,
    Result,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
    Survey,
    VillageMeeting,
    needs_survey_q,
)
from giamngheo.review.transitions import commune_totals, household_transitions, transition_counts


def rounds_visible_to(viewer: Viewer) -> QuerySet[ReviewRound]:
    """Rounds of the communes the viewer may see (a village surveyor: the communes of their villages)."""
    return ReviewRound.objects.filter(commune__in=units_visible_to(viewer).filter(level=Level.COMMUNE))


def round_list(*, viewer: Viewer, commune: AdminUnit | None = None) -> QuerySet[ReviewRound]:
    rounds = rounds_visible_to(viewer)
    if commune is not None:
        rounds = rounds.filter(commune=commune)
    return rounds.select_related("commune").order_by("commune__name", "-reference_date", "-pk")


def _entry_visibility(viewer: Viewer) -> Q:
    condition = Q(village__in=villages_visible_to(viewer))
    if not is_village_surveyor(viewer):
        condition |= Q(village__isnull=True, round__commune__in=units_visible_to(viewer))
    return condition


def entries_visible_to(viewer: Viewer, review_round: ReviewRound) -> QuerySet[RoundHousehold]:
    """The round's listed households the viewer may see."""
    return RoundHousehold.objects.filter(round=review_round).filter(_entry_visibility(viewer))


def listed_by_reason(*, viewer: Viewer, review_round: ReviewRound) -> dict[str, int]:
    """How many of the round's households the viewer may see were listed for each reason. One query."""
    rows = (
        entries_visible_to(viewer, review_round)
        .order_by()
        .values_list("reason")
        .annotate(n=Count("pk"))
        .values_list("reason", "n")
    )
    return {str(reason): int(n) for reason, n in rows}


def _current(field: str) -> Subquery:
    return Subquery(
        Result.objects.filter(round_household=OuterRef("pk"), superseded=False)
        .order_by("-pk")
        .values(field)[:1]
    )


def round_households(
    *,
    viewer: Viewer,
    review_round: ReviewRound,
    village: int | None = None,
    klass: str = "",
    reason: str = "",
    query: str = "",
    survey: str = "",
) -> QuerySet[RoundHousehold]:
    """The round's list (danh sách hộ rà soát) with each household's current class (``current_class``)
    and whether it has a Phiếu B (``survey_version``), filtered by village, class, reason, code or Phiếu B
    (``survey``: ``"missing"``, the households that need one and have none; ``"entered"``)."""
    entries = (
        entries_visible_to(viewer, review_round)
        .select_related("household__head", "village")
        .annotate(current_class=_current("klass"), survey_version=Subquery(_survey_version()))
    )
    if village is not None:
        entries = entries.filter(village_id=village)
    if klass == "none":
        entries = entries.filter(current_class__isnull=True)
    elif klass:
        entries = entries.filter(current_class=klass)
    if reason:
        entries = entries.filter(reason=reason)
    if query.strip():
        entries = entries.filter(household__code__icontains=query.strip())
    if survey == "missing":
        entries = entries.filter(survey__isnull=True).filter(needs_survey_q())
    elif survey == "entered":
        entries = entries.filter(survey__isnull=False)
    return entries.order_by("village__name", "household__code")


def _survey_version() -> QuerySet[Any]:
    return Survey.objects.filter(round_household=OuterRef("pk")).values("version")[:1]


def round_villages(*, viewer: Viewer, review_round: ReviewRound) -> list[Village]:
    """Villages of the round's households that the viewer may see."""
    ids = entries_visible_to(viewer, review_round).values("village_id")
    return list(Village.objects.filter(pk__in=ids).order_by("name"))


def current_result(entry: RoundHousehold) -> Result | None:
    return Result.objects.filter(round_household=entry, superseded=False).order_by("-pk").first()


def class_counts(review_round: ReviewRound, viewer: Viewer) -> dict[str, int]:
    """Households per current class among those the viewer may see."""
    rows = (
        Result.objects.filter(round=review_round, superseded=False)
        .filter(round_household__in=entries_visible_to(viewer, review_round))
        .values_list("klass", flat=True)
    )
    counts: dict[str, int] = {}
    for klass in rows:
        counts[klass] = counts.get(klass, 0) + 1
    return counts


# --- transitions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageTransitions:
    village: Village | None
    counts: dict[str, int]


@dataclass(frozen=True)
class Transitions:
    previous: ReviewRound
    current: ReviewRound
    villages: list[VillageTransitions]
    totals: dict[str, int]
    per_household: pl.DataFrame


def previous_approved_round(review_round: ReviewRound) -> ReviewRound | None:
    """The latest approved round of the same commune before this one (by reference date)."""
    return (
        ReviewRound.objects.filter(
            commune_id=review_round.commune_id,
            status__in=APPROVED_STATUSES,
            reference_date__lt=review_round.reference_date,
        )
        .order_by("-reference_date", "-pk")
        .first()
    )


def _round_frame(review_round: ReviewRound) -> pl.DataFrame:
    # .order_by(): no default ordering (it joins the round and the commune and sorts every result)
    rows = (
        Result.objects.filter(round=review_round, superseded=False)
        .order_by()
        .values_list("household_id", "round_household__village_id", "klass")
    )
    return pl.DataFrame(
        list(rows),
        schema={"household_id": pl.Int64(), "village_id": pl.Int64(), "klass": pl.String()},
        orient="row",
    )


def round_household_transitions(review_round: ReviewRound) -> tuple[ReviewRound, pl.DataFrame] | None:
    """The previous approved round of the commune and the per-household transitions from it to
    ``review_round`` (:func:`giamngheo.review.transitions.household_transitions`), over the whole commune:
    not scoped to a viewer, for stored aggregates (``reports``) and :func:`round_transitions`. ``None`` if
    there is no earlier approved round or this one is not approved."""
    if review_round.status not in APPROVED_STATUSES:
        return None
    previous = previous_approved_round(review_round)
    if previous is None:
        return None
    current_frame, previous_frame = _round_frame(review_round), _round_frame(previous)
    ids = pl.concat([current_frame["household_id"], previous_frame["household_id"]]).unique().to_list()
    from giamngheo.registry.models import Household

    statuses = dict(Household.objects.filter(pk__in=ids).values_list("pk", "status"))
    created = dict(
        HouseholdEvent.objects.filter(household_id__in=ids, kind=EventKind.CREATED).values_list(
            "household_id", "date"
        )
    )
    registry = pl.DataFrame(
        {
            "household_id": ids,
            "status": [statuses.get(i) for i in ids],
            "joined_on": [created.get(i) for i in ids],
        },
        schema={"household_id": pl.Int64(), "status": pl.String(), "joined_on": pl.Date()},
    )
    earlier_poor = Result.objects.filter(
        round__commune_id=review_round.commune_id,
        round__status__in=APPROVED_STATUSES,
        round__reference_date__lt=previous.reference_date,
        superseded=False,
        klass="poor",
    ).values_list("household_id", flat=True)
    per_household = household_transitions(
        previous_frame,
        current_frame,
        registry,
        earlier_poor=list(earlier_poor),
        previous_reference=previous.reference_date,
    )
    return previous, per_household


def round_transitions(*, viewer: Viewer, review_round: ReviewRound) -> Transitions | None:
    """Transitions (biến động) between the previous approved round of the commune and ``review_round``
    (which must itself be approved): counts per village the viewer may see, and commune totals over
    those villages. ``None`` if there is no earlier approved round or this one is not approved."""
    found = round_household_transitions(review_round)
    if found is None:
        return None
    previous, per_household = found
    visible = set(
        villages_visible_to(viewer).filter(commune_id=review_round.commune_id).values_list("pk", flat=True)
    )
    surveyor = is_village_surveyor(viewer)
    per_household = per_household.filter(
        pl.col("village_id").is_in(list(visible)) | (pl.col("village_id").is_null() & pl.lit(not surveyor))
    )
    counts = transition_counts(per_household)
    villages = {
        v.pk: v for v in Village.objects.filter(pk__in=[i for i in counts["village_id"].to_list() if i])
    }
    rows = [
        VillageTransitions(
            villages.get(row["village_id"]), {k: int(v) for k, v in row.items() if k != "village_id"}
        )
        for row in counts.iter_rows(named=True)
    ]
    return Transitions(previous, review_round, rows, commune_totals(counts), per_household)


# --- public posting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicRow:
    village: str
    code: str
    head: str
    klass: str


@dataclass(frozen=True)
class PublicPosting:
    review_round: ReviewRound
    posting: Posting
    rows: list[PublicRow]


PUBLIC_STEPS = (RoundStatus.POSTING, RoundStatus.APPROVED, RoundStatus.REPORTED)
PUBLIC_CLASSES = ("poor", "near_poor")


def public_posting(round_pk: int) -> PublicPosting | None:
    """What the public posting page shows (niêm yết công khai): the poor and near-poor households of a
    round that is posted — commune, village, household code, head's name and class only. Never a
    citizen ID or a date of birth. ``None`` if the round is not posted."""
    review_round = (
        ReviewRound.objects.filter(pk=round_pk, status__in=PUBLIC_STEPS).select_related("commune").first()
    )
    if review_round is None:
        return None
    posting = Posting.objects.filter(round=review_round).first()
    if posting is None:
        return None
    values = (
        Result.objects.filter(round=review_round, superseded=False, klass__in=PUBLIC_CLASSES)
        .order_by("round_household__village__name", "household__code")
        .values_list(
            "round_household__village__name", "household__code", "household__head__full_name", "klass"
        )
    )
    rows = [PublicRow(village or "", code, head or "", klass) for village, code, head, klass in values]
    return PublicPosting(review_round, posting, rows)


# --- documents ----------------------------------------------------------------------------------


def village_entries(
    *, viewer: Viewer, review_round: ReviewRound, village_id: int | None
) -> QuerySet[RoundHousehold]:
    """The round's listed households in one village (``None``: those without a village) that the viewer
    may see, by household code, with the household, its head and its Phiếu B (if any)."""
    entries = entries_visible_to(viewer, review_round)
    entries = (
        entries.filter(village__isnull=True) if village_id is None else entries.filter(village_id=village_id)
    )
    return entries.select_related("household__head", "village", "survey").order_by("household__code")


def present_members(household_ids: QuerySet[Any]) -> QuerySet[Member]:
    """Members living in the households of ``household_ids`` (a subquery of visible entries), the head
    of each household first, then in the order they were registered."""
    return (
        Member.objects.filter(household_id__in=household_ids, status=MemberStatus.PRESENT)
        .annotate(is_head=Case(When(household__head_id=F("pk"), then=Value(0)), default=Value(1)))
        .order_by("household_id", "is_head", "pk")
    )


CERTIFIED_CLASSES = ("poor", "near_poor")


def certified_entries(
    *, viewer: Viewer, review_round: ReviewRound, village_id: int | None = None, entry_pk: int | None = None
) -> QuerySet[RoundHousehold]:
    """The poor and near-poor households of an approved round that the viewer may see (all, one
    village's or one entry), with ``current_class``; empty unless the round is approved."""
    if review_round.status not in APPROVED_STATUSES:
        return RoundHousehold.objects.none()
    entries = (
        entries_visible_to(viewer, review_round)
        .annotate(current_class=_current("klass"), current_standard=_current("standard_id"))
        .filter(current_class__in=CERTIFIED_CLASSES)
        .select_related("household__head", "village")
    )
    if village_id is not None:
        entries = entries.filter(village_id=village_id)
    if entry_pk is not None:
        entries = entries.filter(pk=entry_pk)
    return entries.order_by("village__name", "household__code")


def result_table(*, viewer: Viewer, review_round: ReviewRound) -> QuerySet[RoundHousehold]:
    """Every listed household the viewer may see with its current result (class, income or score,
    deprived indicators), by village and code: the rows of the round's Excel export."""
    return (
        entries_visible_to(viewer, review_round)
        .select_related("household__head", "village")
        .annotate(
            current_class=_current("klass"),
            current_income=_current("income_per_person"),
            current_score=_current("income_score"),
            current_count=_current("deprivation_count"),
            current_deprived=_current("deprived"),
            current_standard=_current("standard_id"),
        )
        .order_by("village__name", "household__code")
    )


# --- history ------------------------------------------------------------------------------------


def complaints_visible_to(viewer: Viewer, review_round: ReviewRound) -> QuerySet[Complaint]:
    """The round's complaints about households the viewer may see, and (except for a village surveyor)
    those about no household in particular."""
    about = Q(round_household__in=entries_visible_to(viewer, review_round))
    if not is_village_surveyor(viewer):
        about |= Q(round_household__isnull=True)  # a complaint about the list as a whole
    return Complaint.objects.filter(round=review_round).filter(about)


def _keys(rows: QuerySet[Any]) -> QuerySet[Any]:
    """The primary keys of ``rows`` as text (``AuditEvent.target_id``), as a subquery."""
    keys: QuerySet[Any] = rows.order_by().annotate(key=Cast("pk", output_field=CharField())).values("key")
    return keys


def _events(condition: Q) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(action__in=ReviewAuditAction.values)
        .filter(condition)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def _label(model: type[Any]) -> str:
    return str(model._meta.label_lower)


def round_audit_events(*, viewer: Viewer, review_round: ReviewRound) -> QuerySet[AuditEvent]:
    """Every audit event (nhật ký thao tác) of ``review_round`` and of the objects in it that the viewer
    may see, newest first, with the actor: the round itself (creation, Phiếu B batches, classification,
    approval, report), its listed households (applications, Phiếu A, causes), their Phiếu B, village
    meetings, the posting and complaints. A village surveyor gets the round's own events and those of
    their villages' households, meetings and complaints. The caller checked that the round is visible."""
    entries = entries_visible_to(viewer, review_round)
    meetings = VillageMeeting.objects.filter(round=review_round).filter(_entry_visibility(viewer))
    complaints = complaints_visible_to(viewer, review_round)
    condition = (
        Q(target_type=_label(ReviewRound), target_id=str(review_round.pk))
        | Q(target_type=_label(RoundHousehold), target_id__in=_keys(entries))
        | Q(
            target_type=_label(Survey),
            target_id__in=_keys(Survey.objects.filter(round_household__in=entries)),
        )
        | Q(target_type=_label(VillageMeeting), target_id__in=_keys(meetings))
        | Q(target_type=_label(Posting), target_id__in=_keys(Posting.objects.filter(round=review_round)))
        | Q(target_type=_label(Complaint), target_id__in=_keys(complaints))
    )
    return _events(condition)


def entry_audit_events(*, viewer: Viewer, entry: RoundHousehold) -> list[AuditEvent]:
    """The audit events of one listed household in its round, newest first: its listing (application,
    Phiếu A, causes), its Phiếu B (one by one or in a village batch that included it) and the complaints
    about it. Empty if the viewer may not see the household."""
    if not entries_visible_to(viewer, entry.round).filter(pk=entry.pk).exists():
        return []
    condition = (
        Q(target_type=_label(RoundHousehold), target_id=str(entry.pk))
        | Q(target_type=_label(Survey), target_id__in=_keys(Survey.objects.filter(round_household=entry)))
        | Q(
            target_type=_label(Complaint),
            target_id__in=_keys(Complaint.objects.filter(round_household=entry)),
        )
    )
    own = list(_events(condition))
    batches = [
        event
        for event in _events(
            Q(
                target_type=_label(ReviewRound),
                target_id=str(entry.round_id),
                action=ReviewAuditAction.SURVEY_BATCH_SAVED,
            )
        )
        if entry.household_id in ((event.after or {}).get("households") or [])
    ]
    return sorted([*own, *batches], key=lambda e: (e.created_at, e.pk), reverse=True)


# --- public pages (no sign-in) ------------------------------------------------------------------
#
# Which rounds are public (procedure file ``[complaints]``, window "posting"; Decision 24/2021/QĐ-TTg
# art. 4 cl. 4): a round at the posting step, from the posting's first day until the round is approved
# (approval is refused while the posting runs, so the list stays up at least to its last day); an
# approved or reported round only up to the posting's last day, since the complaint window adds no day
# after it. Anything else — a round not yet posted, a posting that has not started, an approved round
# after its posting — is not public, and its pages are a 404 with no data.


def public_rounds(*, today: datetime.date) -> QuerySet[ReviewRound]:
    """The rounds whose posting is public today (see above), with their commune and posting."""
    posted = Q(status=RoundStatus.POSTING, posting__start_date__lte=today)
    finished = Q(status__in=APPROVED_STATUSES, posting__start_date__lte=today, posting__end_date__gte=today)
    return ReviewRound.objects.filter(posted | finished).select_related("commune", "posting")


def public_round(round_pk: int, *, today: datetime.date) -> ReviewRound | None:
    """One public round (:func:`public_rounds`), or ``None``."""
    return public_rounds(today=today).filter(pk=round_pk).first()


def public_provinces(*, today: datetime.date) -> QuerySet[AdminUnit]:
    """The provinces (2025 map) with at least one public round, by name."""
    communes = public_rounds(today=today).values("commune__parent_id")
    return AdminUnit.objects.filter(level=Level.PROVINCE, pk__in=communes).order_by("name")


def public_communes(*, province: AdminUnit, today: datetime.date) -> QuerySet[AdminUnit]:
    """The communes of ``province`` with at least one public round, by name."""
    ids = public_rounds(today=today).filter(commune__parent=province).values("commune_id")
    return AdminUnit.objects.filter(pk__in=ids).order_by("name")


def public_commune_rounds(*, commune: AdminUnit, today: datetime.date) -> list[ReviewRound]:
    """The public rounds of ``commune``, newest first."""
    return list(public_rounds(today=today).filter(commune=commune).order_by("-reference_date", "-pk"))


@dataclass(frozen=True)
class PublicHousehold:
    """A row of the public posting: never a citizen ID, a date of birth or a member other than the head."""

    village_id: int | None
    village: str
    code: str
    head: str
    klass: str


@dataclass(frozen=True)
class PublicVillage:
    """A village of the posting (``village_id`` ``None``: the households without a village)."""

    village_id: int | None
    name: str
    households: list[PublicHousehold]


def public_households(review_round: ReviewRound) -> list[PublicHousehold]:
    """The households the posting shows (the round's current poor and near-poor, as
    :func:`public_posting`), by village and code: village, household code, head's name and class only.
    The caller checked that the round is public (:func:`public_round`)."""
    values = (
        Result.objects.filter(round=review_round, superseded=False, klass__in=PUBLIC_CLASSES)
        .order_by("round_household__village__name", "household__code")
        .values_list(
            "round_household__village_id",
            "round_household__village__name",
            "household__code",
            "household__head__full_name",
            "klass",
        )
    )
    return [
        PublicHousehold(village_id, village or "", code, head or "", klass)
        for village_id, village, code, head, klass in values
    ]


def public_villages(households: list[PublicHousehold]) -> list[PublicVillage]:
    """``households`` (already ordered by village) grouped into villages, in that order."""
    groups: dict[int | None, PublicVillage] = {}
    for row in households:
        if row.village_id not in groups:
            groups[row.village_id] = PublicVillage(row.village_id, row.village, [])
        groups[row.village_id].households.append(row)
    return list(groups.values())


def public_round_villages(review_round: ReviewRound) -> list[Village]:
    """The villages of the round's listed households (for the complaint form), by name."""
    ids = RoundHousehold.objects.filter(round=review_round).order_by().values("village_id")
    return list(Village.objects.filter(pk__in=ids).order_by("name"))


def public_entry(review_round: ReviewRound, code: str) -> RoundHousehold | None:
    """The listed household with this code if the posting shows it (poor or near-poor), else ``None``."""
    shown = Result.objects.filter(round=review_round, superseded=False, klass__in=PUBLIC_CLASSES)
    return (
        RoundHousehold.objects.filter(round=review_round, household__code=code)
        .filter(pk__in=shown.values("round_household_id"))
        .select_related("village")
        .first()
    )


def public_complaint(tracking_code: str) -> Complaint | None:
    """The complaint sent online with this (normalised) tracking code, with what its tracking page shows
    (round, commune, posting, household code); ``None`` for any other code."""
    if not tracking_code:
        return None
    return (
        Complaint.objects.filter(tracking_code=tracking_code, channel=ComplaintChannel.ONLINE)
        .select_related("round__commune", "round__posting", "round_household__household", "village")
        .first()
    )
