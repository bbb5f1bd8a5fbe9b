"""Test data for the review: facts that give a known class, and rounds walked through their steps."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import ReviewRound, RoundHousehold, Survey
from giamngheo.review.services import (
    meeting_record,
    meeting_villages,
    posting_start,
    round_approve,
    round_classify,
    round_create,
    survey_save,
)
from tests.registry.factories import household_factory, member_factory

POOR_INCOME = 12_000_000  # 1,000,000 per month for one member: below every rural line
RICH_INCOME = 120_000_000  # 10,000,000 per month for one member: above every band


def household_facts(
    *, income: int | None = RICH_INCOME, deprived: int = 0, **overrides: Any
) -> dict[str, Any]:
    """Household facts with no deprivation at household level, or ``deprived`` (0-4) of: housing quality,
    water source, latrine, telecom (internet)."""
    facts: dict[str, Any] = {
        "area": "rural",
        "income_12m": income,
        "has_dwelling": True,
        "durable_main_parts": 3,
        "floor_area_m2": 60.0,
        "water_source": "piped",
        "latrine_type": "septic",
        "waste_disposal": "collected",
        "uses_internet": True,
        "uses_telephone": True,
        "has_tv": True,
        "has_radio": False,
        "has_computer": False,
        "has_smartphone": True,
        "hears_loudspeaker": True,
        "ill_member_untreated": False,
    }
    worse: list[dict[str, Any]] = [
        {"durable_main_parts": 0},
        {"water_source": "surface_water"},
        {"latrine_type": "none"},
        {"uses_internet": False},
    ]
    for change in worse[:deprived]:
        facts.update(change)
    facts.update(overrides)
    return facts


def adult_facts(member: Member, **overrides: Any) -> dict[str, Any]:
    """An insured, employed adult with upper secondary schooling (deprived in nothing). Age and sex are
    left to the registry (the member's date of birth)."""
    facts: dict[str, Any] = {
        "member_id": member.pk,
        "has_labour_capacity": True,
        "employment": "self_employed",
        "has_health_insurance": True,
        "stunted": False,
        "underweight": False,
        "school_attendance": "not_attending",
        "general_education": "upper_secondary",
        "vocational_qualification": "none",
        "enterprise_trained": False,
    }
    facts.update(overrides)
    return facts


def household_with_adult(
    *, commune: AdminUnit, village: Any = None, code: str | None = None, **fields: Any
) -> tuple[Household, Member]:
    extra = {"code": code} if code else {}
    household = household_factory(commune=commune, village=village, **extra, **fields)
    member = member_factory(
        household=household,
        full_name="Hồ Văn Minh",
        date_of_birth=datetime.date(1980, 5, 20),
        citizen_id=None,
    )
    household.head = member
    household.save(update_fields=["head"])
    return household, member


def open_round(
    *,
    commune: AdminUnit,
    households: Sequence[Household],
    actor: User | None = None,
    year: int = 2026,
    reference_date: datetime.date | None = None,
) -> ReviewRound:
    return round_create(
        commune=commune,
        kind="periodic",
        year=year,
        reference_date=reference_date or datetime.date(year, 10, 1),
        extra_households=households,
        actor=actor,
    )


def entry_of(review_round: ReviewRound, household: Household) -> RoundHousehold:
    return RoundHousehold.objects.get(round=review_round, household=household)


def survey(
    review_round: ReviewRound,
    household: Household,
    facts: dict[str, Any],
    members: list[dict[str, Any]],
    actor: User | None = None,
) -> Survey:
    entry = entry_of(review_round, household)
    existing = Survey.objects.filter(round_household=entry).first()
    return survey_save(
        round_household=entry,
        household_facts=facts,
        member_facts=members,
        expected_version=existing.version if existing else 0,
        actor=actor,
    )


def approve(
    review_round: ReviewRound, *, actor: User | None = None, posting_day: datetime.date
) -> ReviewRound:
    """Walk a surveyed round through classification, passed meetings, posting and approval."""
    round_classify(review_round=review_round, actor=actor)
    review_round.refresh_from_db()
    for village_id in meeting_villages(review_round):
        entry = review_round.households.filter(village__pk=village_id).first() if village_id else None
        meeting_record(
            review_round=review_round,
            village=entry.village if entry is not None else None,
            held_on=posting_day - datetime.timedelta(days=3),
            chair="Trưởng thôn",
            attendees=10,
            agreeing=9,
            actor=actor,
        )
    posting_start(review_round=review_round, start_date=posting_day, actor=actor)
    return round_approve(review_round=review_round, actor=actor, on=posting_day + datetime.timedelta(days=8))
