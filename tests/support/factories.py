"""Test objects of the support context, written straight to the tables (no audit rows, no checks)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from giamngheo.registry.models import Household, Member
from giamngheo.support.models import (
    Beneficiary,
    CoverageBasis,
    HelperAssignment,
    HelperKind,
    JobOpening,
    JobSeeker,
    Policy,
    SupportPeriod,
    SupportRecord,
)

_numbers = itertools.count(1)


def policy_factory(**fields: Any) -> Policy:
    number = next(_numbers)
    fields.setdefault("code", f"chinh-sach-{number}")
    fields.setdefault("name", f"Chính sách {number}")
    fields.setdefault("legal_basis", "Nghị định thử")
    fields.setdefault("beneficiary", Beneficiary.HOUSEHOLD)
    fields.setdefault("eligible", ["poor", "near_poor"])
    fields.setdefault("coverage_basis", CoverageBasis.HOUSEHOLDS)
    fields.setdefault("period", SupportPeriod.YEARLY)
    fields.setdefault("valid_from", dt.date(2022, 1, 1))
    return Policy.objects.create(**fields)


def record_factory(
    *, policy: Policy, household: Household, member: Member | None = None, **fields: Any
) -> SupportRecord:
    given_on = fields.setdefault("given_on", dt.date(2026, 3, 1))
    fields.setdefault("period_key", str(given_on.year))
    fields.setdefault("eligible", True)
    return SupportRecord.objects.create(
        policy=policy,
        household=household,
        member=member,
        province_code=household.province_code,
        commune_id=household.commune_id,
        village_id=household.village_id,
        **fields,
    )


def helper_factory(*, household: Household, **fields: Any) -> HelperAssignment:
    fields.setdefault("kind", HelperKind.PERSON)
    fields.setdefault("name", f"Cán bộ {next(_numbers)}")
    fields.setdefault("started_on", dt.date(2026, 1, 1))
    return HelperAssignment.objects.create(
        household=household, province_code=household.province_code, commune_id=household.commune_id, **fields
    )


def seeker_factory(*, member: Member, **fields: Any) -> JobSeeker:
    household = member.household
    return JobSeeker.objects.create(
        member=member,
        household=household,
        province_code=household.province_code,
        commune_id=household.commune_id,
        **fields,
    )


def opening_factory(**fields: Any) -> JobOpening:
    number = next(_numbers)
    fields.setdefault("province_code", "98")
    fields.setdefault("employer", f"Công ty {number}")
    fields.setdefault("title", f"Công nhân {number}")
    fields.setdefault("place", "Khu công nghiệp")
    fields.setdefault("positions", 10)
    return JobOpening.objects.create(**fields)
