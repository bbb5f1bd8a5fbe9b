"""Phiếu A (quick identification), Phiếu B (household information, one household or a village batch),
causes of poverty and support needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.accounts.permissions import ensure_can_edit
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import Village
from giamngheo.registry.models import Member
from giamngheo.review.frames import (
    HOUSEHOLD_FACT_NAMES,
    MEMBER_FACT_NAMES,
    REGISTRY_SCHEMA,
    SurveyRow,
    survey_frames,
    with_registry_facts,
)
from giamngheo.review.models import (
    ListReason,
    ReviewAuditAction,
    ReviewRound,
    RoundHousehold,
    RoundStatus,
    Survey,
)
from giamngheo.review.procedure import procedure
from giamngheo.review.services.common import (
    STALE_SURVEY_MESSAGE,
    advance,
    date_prep,
    datetime_prep,
    ensure_status,
    json_prep,
    locked_round,
    territory,
)
from giamngheo.site.bulk import insert_rows, update_rows
from giamngheo.standards import validate_facts

SURVEY_STEPS = (RoundStatus.LISTING, RoundStatus.SURVEYING, RoundStatus.CLASSIFIED)


def member_field(index: int, fact: str) -> str:
    """The form field (and error key) of a member fact: ``m-<index>-<fact>``."""
    return f"m-{index}-{fact}"


def _ensure_open(rnd: ReviewRound, entry: RoundHousehold) -> None:
    if entry.reopened and rnd.status == RoundStatus.POSTING:
        return  # re-survey (phúc tra) after a complaint
    ensure_status(rnd, SURVEY_STEPS, _("ghi phiếu"))


def _back_to_surveying(rnd: ReviewRound) -> None:
    """A change of facts makes the classification stale: the round goes back to (or starts) step 2."""
    if rnd.status in (RoundStatus.LISTING, RoundStatus.CLASSIFIED):
        advance(rnd, RoundStatus.SURVEYING)


@transaction.atomic(durable=True)
def phieu_a_record(
    *, round_household: RoundHousehold, answers: Mapping[str, bool | None], actor: User | None
) -> RoundHousehold:
    """Record Phiếu A (nhận dạng nhanh, Phụ lục II) for a household that applied: one yes/no answer per
    question of the procedure file; the household goes on to Phiếu B unless it has the excluding
    characteristics."""
    entry = RoundHousehold.objects.select_related("round__commune", "village", "household").get(
        pk=round_household.pk
    )
    rnd = locked_round(entry.round)
    ensure_can_edit(actor, territory(entry))
    _ensure_open(rnd, entry)
    if entry.reason != ListReason.APPLIED:
        raise ValidationError(
            _("Phiếu A chỉ dùng cho hộ có giấy đề nghị rà soát."), code="review.phieu_a_not_needed"
        )
    rules = procedure().phieu_a
    errors = {q.id: _("Chưa trả lời câu hỏi này.") for q in rules.questions if answers.get(q.id) is None}
    unknown = sorted(set(answers) - set(rules.ids))
    if unknown:
        errors["__all__"] = _("Câu hỏi không có trong Phiếu A: {ids}.").format(ids=", ".join(unknown))
    if errors:
        raise ValidationError(errors)
    clean = {q.id: bool(answers[q.id]) for q in rules.questions}
    before = {"answers": entry.phieu_a_answers, "passed": entry.phieu_a_passed}
    entry.phieu_a_answers = clean
    entry.phieu_a_passed = rules.passes(clean)
    entry.phieu_a_by = actor
    entry.full_clean()
    entry.save(update_fields=["phieu_a_answers", "phieu_a_passed", "phieu_a_by"])
    _back_to_surveying(rnd)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.PHIEU_A_RECORDED,
        target=entry,
        before=before,
        after={"answers": clean, "passed": entry.phieu_a_passed},
    )
    return entry


def _registry_frame(household_ids: Sequence[int] | QuerySet[Any]) -> pl.DataFrame:
    """Registry sex and date of birth of the members of ``household_ids`` (ids, or a subquery)."""
    values = Member.objects.filter(household_id__in=household_ids).values_list("pk", "sex", "date_of_birth")
    return pl.DataFrame(list(values), schema=REGISTRY_SCHEMA, orient="row")


def _entered(facts: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    return {k: facts[k] for k in names if k in facts and facts[k] is not None and facts[k] != ""}


@transaction.atomic(durable=True)
def survey_save(
    *,
    round_household: RoundHousehold,
    household_facts: Mapping[str, Any],
    member_facts: Sequence[Mapping[str, Any]],
    expected_version: int,
    actor: User | None,
    surveyed_on: dt.date | None = None,
) -> Survey:
    """Save a household's Phiếu B (facts, never a verdict).

    ``household_facts`` holds household facts (``standards.facts.HOUSEHOLD_FACTS`` without
    ``household_id``); ``member_facts`` one mapping per member with ``member_id`` (a member of the
    household in the registry) and member facts; an empty ``age``/``sex`` is taken from the registry.
    Everything is checked with ``standards.validate_facts``; errors come back as a ``ValidationError``
    keyed by form field (the fact's name, or ``m-<index>-<fact>`` for a member). ``expected_version``
    is the survey's version the form was built from (0 for a new survey).
    """
    entry = RoundHousehold.objects.select_related("round__commune", "village", "household").get(
        pk=round_household.pk
    )
    rnd = locked_round(entry.round)
    ensure_can_edit(actor, territory(entry))
    _ensure_open(rnd, entry)
    if not entry.needs_survey:
        raise ValidationError(
            _("Hộ {code} chưa qua Phiếu A (nhận dạng nhanh) nên không lập Phiếu B.").format(
                code=entry.household.code
            ),
            code="review.phieu_a",
        )
    survey = Survey.objects.select_for_update().filter(round_household=entry).first()
    if (survey.version if survey is not None else 0) != expected_version:
        raise ValidationError(STALE_SURVEY_MESSAGE, code="stale")

    errors: dict[str, list[str]] = {}
    for name in sorted(set(household_facts) - set(HOUSEHOLD_FACT_NAMES)):
        errors.setdefault("__all__", []).append(
            _("Thông tin không có trong Phiếu B: {name}.").format(name=name)
        )
    known = set(Member.objects.filter(household=entry.household).values_list("pk", flat=True))
    seen: set[int] = set()
    for index, member in enumerate(member_facts):
        member_id = member.get("member_id")
        if member_id not in known:
            errors.setdefault(member_field(index, "member_id"), []).append(
                _("Người này không phải nhân khẩu của hộ {code}.").format(code=entry.household.code)
            )
        elif member_id in seen:
            errors.setdefault(member_field(index, "member_id"), []).append(_("Nhân khẩu bị ghi hai lần."))
        if isinstance(member_id, int):
            seen.add(member_id)
        for name in sorted(set(member) - {"member_id", *MEMBER_FACT_NAMES}):
            errors.setdefault("__all__", []).append(
                _("Thông tin không có trong Phiếu B: {name}.").format(name=name)
            )
    if errors:
        raise ValidationError(errors)

    household = _entered(household_facts, HOUSEHOLD_FACT_NAMES)
    members = [{"member_id": m.get("member_id"), **_entered(m, MEMBER_FACT_NAMES)} for m in member_facts]
    frames = survey_frames(
        [SurveyRow(entry.pk, household, members)], _registry_frame([entry.household_id]), rnd.reference_date
    )
    checked = validate_facts(frames[0], frames[1].drop("member_index", "member_id"))
    if not checked.ok:
        for row in checked.errors.iter_rows(named=True):
            key = (
                row["column"]
                if row["frame"] == "households"
                else member_field((row["row"] or 1) - 1, row["column"])
            )
            errors.setdefault(key, []).append(row["message_vi"])
        raise ValidationError(errors)

    # Store what was entered, normalised by the validation (e.g. "có" → true), never a derived value.
    normal_household = checked.households.row(0, named=True)
    stored_household = {k: normal_household[k] for k in household}
    stored_members = []
    for index, entered in enumerate(members):
        normal = checked.members.row(index, named=True)
        stored_members.append({k: entered[k] if k == "member_id" else normal[k] for k in entered})

    before = None
    if survey is None:
        survey = Survey(round_household=entry, province_code=entry.province_code, version=0)
    else:
        before = {"household_facts": survey.household_facts, "member_facts": survey.member_facts}
    survey.household_facts = stored_household
    survey.member_facts = stored_members
    survey.surveyor = actor
    survey.surveyed_on = surveyed_on or timezone.localdate()
    survey.version += 1
    survey.updated_at = timezone.now()
    survey.full_clean()
    survey.save()
    _back_to_surveying(rnd)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.SURVEY_SAVED,
        target=survey,
        before=before,
        after={
            "household_facts": stored_household,
            "member_facts": stored_members,
            "version": survey.version,
        },
    )
    return survey


@dataclass(frozen=True)
class RowError:
    """One problem of a batch: frame (``households``/``members``), data row (1 = first), column, message."""

    frame: str
    row: int | None
    column: str
    message: str


class BatchRejected(Exception):
    """A Phiếu B batch was refused because at least one row is invalid; nothing was saved."""

    code = "review.batch_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.message = _("Lô phiếu có {count} lỗi; không có hộ nào được lưu.").format(count=len(errors))
        super().__init__(self.message)


@dataclass(frozen=True)
class BatchSaved:
    created: int
    updated: int


@dataclass(frozen=True, slots=True)
class _Listed:
    """What a batch needs of a listed household (plain values: a village can have thousands)."""

    pk: int
    household_id: int
    province_code: str
    needs_survey: bool
    survey_id: int | None
    survey_version: int | None


def _listed(rnd: ReviewRound, village: Village | None) -> dict[str, _Listed]:
    """The round's listed households in ``village`` by household code, in one query."""
    entries = RoundHousehold.objects.filter(round=rnd, village=village)
    rows = entries.values_list(
        "pk", "household_id", "household__code", "province_code", "reason", "phieu_a_passed", "survey__pk",
        "survey__version",
    )  # fmt: skip
    return {
        code: _Listed(
            pk,
            household_id,
            province_code,
            # RoundHousehold.needs_survey, on plain values
            reason != ListReason.APPLIED or passed is True,
            survey_id,
            survey_version,
        )
        for pk, household_id, code, province_code, reason, passed, survey_id, survey_version in rows
    }


def _batch_checks(
    rnd: ReviewRound, village: Village | None, households: pl.DataFrame, members: pl.DataFrame
) -> tuple[list[RowError], dict[str, _Listed]]:
    """Household codes on the round's list in this village, member ids belonging to their households."""
    errors: list[RowError] = []
    for frame_name, frame in (("households", households), ("members", members)):
        if "household_id" not in frame.columns:
            errors.append(RowError(frame_name, None, "household_id", _("Thiếu cột mã hộ (household_id).")))
    if errors:
        return errors, {}
    entries = _listed(rnd, village)
    codes = households["household_id"].cast(pl.String).str.strip_chars().to_list()
    seen: set[str] = set()
    for row, code in enumerate(codes, start=1):
        entry = entries.get(code or "")
        if code in seen:
            errors.append(
                RowError(
                    "households",
                    row,
                    "household_id",
                    _("Hộ {code} bị ghi hai lần trong lô phiếu.").format(code=code),
                )
            )
            continue
        seen.add(code or "")
        if entry is None:
            errors.append(
                RowError(
                    "households",
                    row,
                    "household_id",
                    _("Hộ {code} không có trong danh sách rà soát của thôn này.").format(code=code),
                )
            )
        elif not entry.needs_survey:
            errors.append(
                RowError(
                    "households",
                    row,
                    "household_id",
                    _("Hộ {code} chưa qua Phiếu A (nhận dạng nhanh).").format(code=code),
                )
            )
    if "member_id" in members.columns:
        listed = RoundHousehold.objects.filter(round=rnd, village=village).values("household_id")
        owner = dict(Member.objects.filter(household__in=listed).values_list("pk", "household__code"))
        member_codes = members["household_id"].cast(pl.String).str.strip_chars().to_list()
        for row, (member_id, code) in enumerate(
            zip(members["member_id"].to_list(), member_codes, strict=True), start=1
        ):
            if member_id is None:
                continue
            try:
                pk = int(member_id)
            except (TypeError, ValueError):
                pk = -1
            if owner.get(pk) != code:
                errors.append(
                    RowError(
                        "members",
                        row,
                        "member_id",
                        _("Người này không phải nhân khẩu của hộ {code}.").format(code=code),
                    )
                )
    return errors, entries


_SURVEY_FIELDS = (
    "round_household",
    "province_code",
    "household_facts",
    "member_facts",
    "surveyor",
    "surveyed_on",
    "version",
    "updated_at",
)
_SURVEY_UPDATED = ("household_facts", "member_facts", "surveyor", "surveyed_on", "version", "updated_at")


@transaction.atomic(durable=True)
def survey_batch_save(
    *,
    review_round: ReviewRound,
    village: Village | None,
    households_frame: pl.DataFrame,
    members_frame: pl.DataFrame,
    actor: User | None,
    surveyed_on: dt.date | None = None,
) -> BatchSaved:
    """Save the Phiếu B of a whole village at once (e.g. from an Excel workbook), all or nothing.

    ``households_frame``: ``household_id`` = the registry household code, plus household facts.
    ``members_frame``: ``household_id`` (code), optionally ``member_id`` (registry member), plus member
    facts; an empty ``age``/``sex`` is taken from the registry member. Every row is checked first
    (``standards.validate_facts`` and the round's list); if any fails, ``BatchRejected`` lists each
    problem (frame, row, column, Vietnamese message) and nothing is saved. The surveys are written
    with one ``executemany`` per 5,000 rows (``site.bulk.insert_rows``), so a 20,000-household village
    saves in a few seconds.
    """
    rnd = locked_round(review_round)
    ensure_can_edit(actor, village if village is not None else rnd.commune)
    ensure_status(rnd, SURVEY_STEPS, _("ghi phiếu"))
    errors, entries = _batch_checks(rnd, village, households_frame, members_frame)
    if errors:
        raise BatchRejected(errors)
    household_columns = [c for c in households_frame.columns if c in HOUSEHOLD_FACT_NAMES]
    member_columns = [c for c in members_frame.columns if c in MEMBER_FACT_NAMES]
    hh = households_frame.with_columns(pl.col("household_id").cast(pl.String).str.strip_chars())
    mm = members_frame.with_columns(pl.col("household_id").cast(pl.String).str.strip_chars())
    entered_flags = [
        (pl.col(c).is_not_null() if c in mm.columns else pl.lit(False)).alias(f"__entered_{c}")
        for c in ("age", "sex")
    ]
    mm = mm.with_columns(entered_flags)
    registry = _registry_frame(
        RoundHousehold.objects.filter(round=rnd, village=village).values("household_id")
    )
    filled = with_registry_facts(mm, registry, rnd.reference_date)
    checked = validate_facts(
        hh.select("household_id", *household_columns),
        filled.select(
            "household_id", *member_columns, *[c for c in ("age", "sex") if c not in member_columns]
        ),
    )
    if not checked.ok:
        raise BatchRejected(
            [
                RowError(r["frame"], r["row"], r["column"], r["message_vi"])
                for r in checked.errors.iter_rows(named=True)
            ]
        )
    member_rows = checked.members.with_columns(
        filled.select("member_id", "__entered_age", "__entered_sex").to_series(i) for i in range(3)
    )
    by_household: dict[str, list[dict[str, Any]]] = {}
    for row in member_rows.iter_rows(named=True):
        stored = {"member_id": row["member_id"]}
        for name in member_columns:
            if row[name] is not None and (name not in ("age", "sex") or row[f"__entered_{name}"]):
                stored[name] = row[name]
        by_household.setdefault(row["household_id"], []).append(stored)
    day, stamp = date_prep(surveyed_on or timezone.localdate()), datetime_prep(timezone.now())
    household_json, member_json = json_prep(Survey, "household_facts"), json_prep(Survey, "member_facts")
    actor_id = actor.pk if actor is not None else None
    created: list[tuple[Any, ...]] = []
    updated: list[tuple[Any, ...]] = []
    for row in checked.households.iter_rows(named=True):
        entry = entries[row["household_id"]]
        facts = household_json({k: row[k] for k in household_columns if row[k] is not None})
        members = member_json(by_household.get(row["household_id"], []))
        if entry.survey_id is None:
            created.append((entry.pk, entry.province_code, facts, members, actor_id, day, 1, stamp))
        else:
            version = (entry.survey_version or 0) + 1
            updated.append((facts, members, actor_id, day, version, stamp, entry.survey_id))
    insert_rows(Survey, _SURVEY_FIELDS, created)
    update_rows(Survey, _SURVEY_UPDATED, updated)
    _back_to_surveying(rnd)
    audit_record(
        actor=actor,
        action=ReviewAuditAction.SURVEY_BATCH_SAVED,
        target=rnd,
        before=None,
        after={
            "village": village.pk if village is not None else None,
            "created": len(created),
            "updated": len(updated),
            "households": sorted(
                entries[r].household_id for r in checked.households["household_id"].to_list()
            ),
        },
    )
    return BatchSaved(created=len(created), updated=len(updated))


@transaction.atomic(durable=True)
def causes_record(
    *,
    round_household: RoundHousehold,
    causes: Sequence[str],
    support_needs: Sequence[str],
    actor: User | None,
) -> RoundHousehold:
    """Record a household's causes of poverty (nguyên nhân nghèo) and support needs (nhu cầu hỗ trợ),
    codes from the procedure file."""
    entry = RoundHousehold.objects.select_related("round__commune", "village").get(pk=round_household.pk)
    rnd = locked_round(entry.round)
    ensure_can_edit(actor, territory(entry))
    if rnd.is_approved:
        raise ValidationError(_("Đợt rà soát đã được phê duyệt, không thể sửa."), code="review.closed")
    rules = procedure()
    errors: dict[str, str] = {}
    if bad := sorted(set(causes) - set(rules.causes.ids)):
        errors["causes"] = _("Nguyên nhân không có trong danh mục: {ids}.").format(ids=", ".join(bad))
    if bad := sorted(set(support_needs) - set(rules.support_needs.ids)):
        errors["support_needs"] = _("Nhu cầu không có trong danh mục: {ids}.").format(ids=", ".join(bad))
    if errors:
        raise ValidationError(errors)
    before = {"causes": entry.causes, "support_needs": entry.support_needs}
    entry.causes = [c for c in rules.causes.ids if c in causes]
    entry.support_needs = [s for s in rules.support_needs.ids if s in support_needs]
    entry.full_clean()
    entry.save(update_fields=["causes", "support_needs"])
    audit_record(
        actor=actor,
        action=ReviewAuditAction.CAUSES_RECORDED,
        target=entry,
        before=before,
        after={"causes": entry.causes, "support_needs": entry.support_needs},
    )
    return entry
