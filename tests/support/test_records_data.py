"""Test data for the support records tests (no tests here): approved review rounds written straight to the
tables, so a household's class history is set up in one line, and users of each role.

``approved_round`` skips the review's steps (``tests.review.factories.approve`` walks them, and one test
of ``test_records_services`` does so to prove the two agree)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import Agency, AgencyMember
from giamngheo.registry.models import Household
from giamngheo.review.models import ListReason, Result, ReviewRound, RoundHousehold, RoundKind, RoundStatus
from tests.accounts.factories import scoped_user_factory

_months = itertools.count(1)


def approved_round(
    commune: AdminUnit,
    classes: Sequence[tuple[Household, str]],
    *,
    approved_on: dt.date,
    kind: str = RoundKind.ONGOING,
    status: str = RoundStatus.APPROVED,
) -> ReviewRound:
    """An approved round of ``commune`` with each household's class (an ongoing round by default: any
    number of them per year, each in its own month slot)."""
    if kind == RoundKind.PERIODIC:
        year, month = approved_on.year, None
        reference = dt.date(year, 10, 1)
    else:
        slot = next(_months)
        year, month = 2000 + slot // 12, slot % 12 + 1  # unique (year, month) per test run
        reference = approved_on
    review_round = ReviewRound.objects.create(
        commune=commune,
        province_code=commune.province_code,
        kind=kind,
        year=year,
        month=month,
        reference_date=reference,
        status=status,
        standard_id="vn-2022-2025",
        standard_version=1,
        approved_on=approved_on if status in (RoundStatus.APPROVED, RoundStatus.REPORTED) else None,
    )
    for household, klass in classes:
        entry = RoundHousehold.objects.create(
            round=review_round,
            household=household,
            village=household.village,
            province_code=household.province_code,
            reason=ListReason.CURRENT_LIST,
        )
        Result.objects.create(
            round=review_round,
            round_household=entry,
            household=household,
            province_code=household.province_code,
            klass=klass,
            area=household.area,
            members=1,
            basis="income",
            line=1_500_000,
            deprivation_count=0,
            standard_id="vn-2022-2025",
            standard_version=1,
        )
    return review_round


def agency_user(unit: AdminUnit, *, name: str = "Ngân hàng Chính sách xã hội") -> tuple[User, Agency]:
    """An agency viewer of ``unit`` who works for an agency of the unit's province."""
    agency = Agency.objects.create(unit=unit, province_code=unit.province_code, kind="vbsp", name=name)
    user = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=unit)
    AgencyMember.objects.create(agency=agency, user=user)
    return user, agency
