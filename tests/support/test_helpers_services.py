"""Helpers of poor households: assign (one active at a time, replace), end, visits, and the lists.

The shared test data of the helpers and jobs tests lives here too: ``classify`` writes an approved round's
result for a household straight to the tables (the review's own steps are tested in ``tests/review``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household
from giamngheo.review.models import Result as ReviewResult
from giamngheo.review.models import ReviewRound, RoundHousehold, RoundKind, RoundStatus
from giamngheo.support import history
from giamngheo.support.models import HelperAssignment, HelperKind, HelperVisit, SupportAuditAction
from giamngheo.support.services import helpers as services
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import scoped_user_factory, user_factory
from tests.registry.factories import household_factory, member_factory
from tests.support.factories import helper_factory

__all__ = ["Map", "World", "classify", "geo_map", "world"]

TODAY = dt.date(2026, 6, 15)


def classify(
    household: Household,
    klass: str,
    *,
    year: int = 2025,
    approved_on: dt.date | None = None,
    status: str = RoundStatus.APPROVED,
) -> ReviewResult:
    """``household``'s current result in the periodic round of ``year`` of its commune, approved on
    ``approved_on`` (default 1 December of ``year``); the round is made if missing."""
    review_round, _ = ReviewRound.objects.get_or_create(
        commune=household.commune,
        kind=RoundKind.PERIODIC,
        year=year,
        defaults={
            "province_code": household.province_code,
            "reference_date": dt.date(year, 10, 1),
            "status": status,
            "approved_on": approved_on or dt.date(year, 12, 1),
        },
    )
    entry = RoundHousehold.objects.create(
        round=review_round, household=household, province_code=household.province_code, reason="current_list"
    )
    return ReviewResult.objects.create(
        round=review_round,
        round_household=entry,
        household=household,
        province_code=household.province_code,
        klass=klass,
        area=household.area,
        members=1,
        basis="income",
        line=2_000_000.0,
        deprivation_count=0,
        standard_id="test",
        standard_version=1,
    )


def household_with_head(
    commune: AdminUnit, village: Village | None = None, *, name: str = "Hồ Văn Minh"
) -> Household:
    household = household_factory(commune=commune, village=village)
    head = member_factory(household=household, full_name=name, date_of_birth=dt.date(1980, 5, 20))
    household.head = head
    household.save(update_fields=["head"])
    return household


@dataclass
class World:
    """c1 (province 97): ``poor`` (village v1), ``poor_b`` (village v1b), ``near`` (near-poor, v1);
    c2: ``poor_c2``. Officers of c1, c2 and province 97, a leader, a surveyor of v1, and a helper account
    with no role."""

    geo: Map
    poor: Household
    poor_b: Household
    near: Household
    poor_c2: Household
    officer: User
    officer_c2: User
    province_officer: User
    leader: User
    surveyor: User
    helper_user: User


@pytest.fixture
def world(geo_map: Map) -> World:
    poor = household_with_head(geo_map.c1, geo_map.v1)
    poor_b = household_with_head(geo_map.c1, geo_map.v1b, name="Lò Thị Hoa")
    near = household_with_head(geo_map.c1, geo_map.v1, name="Vừ A Páo")
    poor_c2 = household_with_head(geo_map.c2, geo_map.v2, name="Giàng Thị Mai")
    for household in (poor, poor_b, poor_c2):
        classify(household, "poor")
    classify(near, "near_poor")
    return World(
        geo=geo_map,
        poor=poor,
        poor_b=poor_b,
        near=near,
        poor_c2=poor_c2,
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        officer_c2=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c2),
        province_officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
        leader=scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        helper_user=user_factory(role="", full_name="Đinh Công Bằng"),
    )


def assign(world: World, household: Household, **fields: object) -> HelperAssignment:
    values: dict[str, object] = {
        "household": household,
        "kind": HelperKind.PERSON,
        "name": "Đinh Công Bằng",
        "position": "Phó Chủ tịch Hội Nông dân xã",
        "started_on": dt.date(2026, 1, 10),
        "actor": world.officer,
        "today": TODAY,
    }
    values.update(fields)
    return services.helper_assign(**values)  # type: ignore[arg-type]


# --- The class in the latest approved round ----------------------------------------------------------


def test_latest_approved_class_is_the_one_of_the_round_approved_last(world: World) -> None:
    household = household_with_head(world.geo.c1)
    classify(household, "near_poor", year=2024)
    classify(household, "poor", year=2025)
    assert history.latest_approved_class(household) == "poor"
    later = household_with_head(world.geo.c1)
    classify(later, "poor", year=2024)
    classify(later, "near_poor", year=2025)
    assert history.latest_approved_class(later) == "near_poor"


def test_a_round_not_yet_approved_does_not_count(world: World) -> None:
    household = household_with_head(world.geo.c2)
    classify(household, "poor", year=2024)
    # 2025's round of c2 already exists (approved); make a separate unapproved one in 2026.
    classify(household, "not_poor", year=2026, status=RoundStatus.POSTING)
    ReviewRound.objects.filter(commune=world.geo.c2, year=2026).update(approved_on=None)
    assert history.latest_approved_class(household) == "poor"


# --- Assign ------------------------------------------------------------------------------------------


def test_assign_a_helper_to_a_poor_household_is_audited(world: World) -> None:
    assignment = assign(world, world.poor, phone="0912345678", user=world.helper_user)
    assert assignment.household == world.poor
    assert assignment.commune == world.geo.c1
    assert assignment.province_code == "97"
    assert assignment.ended_on is None
    assert assignment.user == world.helper_user
    event = AuditEvent.objects.get(action=SupportAuditAction.HELPER_ASSIGNED)
    assert event.actor == world.officer
    assert event.target_id == str(assignment.pk)
    assert event.after is not None
    assert event.after["name"] == "Đinh Công Bằng"
    assert event.after["started_on"] == "2026-01-10"


def test_assign_refuses_a_household_that_is_not_poor(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        assign(world, world.near)
    assert "household" in error.value.message_dict
    assert "Hộ cận nghèo" in error.value.message_dict["household"][0]
    unclassified = household_with_head(world.geo.c1)
    with pytest.raises(ValidationError) as error:
        assign(world, unclassified)
    assert "chưa có kết quả rà soát được phê duyệt" in error.value.message_dict["household"][0]
    assert not HelperAssignment.objects.exists()


def test_a_second_active_helper_is_refused_with_the_current_helpers_name(world: World) -> None:
    assign(world, world.poor, name="Đinh Công Bằng")
    with pytest.raises(ValidationError) as error:
        assign(world, world.poor, name="Hội Phụ nữ xã", kind=HelperKind.ORGANISATION)
    message = error.value.message_dict["household"][0]
    assert "Đinh Công Bằng" in message
    assert "10/01/2026" in message
    assert HelperAssignment.objects.filter(household=world.poor).count() == 1


def test_the_database_allows_one_active_helper_per_household(world: World) -> None:
    helper_factory(household=world.poor)
    with pytest.raises(IntegrityError), transaction.atomic():
        helper_factory(household=world.poor)
    # An ended assignment does not count.
    HelperAssignment.objects.filter(household=world.poor).update(ended_on=dt.date(2026, 2, 1))
    helper_factory(household=world.poor)
    assert HelperAssignment.objects.filter(household=world.poor, ended_on__isnull=True).count() == 1


def test_replace_ends_the_current_helper_the_day_before(world: World) -> None:
    first = assign(world, world.poor, name="Đinh Công Bằng")
    second = assign(world, world.poor, name="Hội Phụ nữ xã", started_on=dt.date(2026, 3, 1), replace=True)
    first.refresh_from_db()
    assert first.ended_on == dt.date(2026, 2, 28)
    assert first.end_reason == "Thay bằng Hội Phụ nữ xã"
    assert second.ended_on is None
    assert list(HelperAssignment.objects.filter(household=world.poor, ended_on__isnull=True)) == [second]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        SupportAuditAction.HELPER_ASSIGNED,
        SupportAuditAction.HELPER_ENDED,
        SupportAuditAction.HELPER_ASSIGNED,
    ]


def test_replace_starting_on_the_current_start_changes_nothing(world: World) -> None:
    first = assign(world, world.poor)
    with pytest.raises(ValidationError) as error:
        assign(world, world.poor, name="Người mới", started_on=dt.date(2026, 1, 10), replace=True)
    assert "started_on" in error.value.message_dict
    first.refresh_from_db()
    assert first.ended_on is None
    assert HelperAssignment.objects.count() == 1


def test_assign_validates_the_fields(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        assign(world, world.poor, name="  ", kind="robot", started_on=dt.date(2026, 7, 1))
    assert set(error.value.message_dict) == {"name", "kind", "started_on"}


@pytest.mark.parametrize("who", ["officer_c2", "leader", "surveyor"])
def test_assign_outside_the_role_or_territory_is_refused(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        assign(world, world.poor, actor=getattr(world, who))
    assert not HelperAssignment.objects.exists()


def test_a_province_officer_assigns_in_any_commune_of_the_province(world: World) -> None:
    assignment = assign(world, world.poor_c2, actor=world.province_officer)
    assert assignment.commune == world.geo.c2


# --- End ---------------------------------------------------------------------------------------------


def test_end_an_assignment(world: World) -> None:
    assignment = assign(world, world.poor)
    services.helper_end(
        assignment=assignment, ended_on=dt.date(2026, 5, 1), reason="Hộ đã thoát nghèo", actor=world.officer
    )
    assignment.refresh_from_db()
    assert (assignment.ended_on, assignment.end_reason) == (dt.date(2026, 5, 1), "Hộ đã thoát nghèo")
    assert AuditEvent.objects.filter(action=SupportAuditAction.HELPER_ENDED).count() == 1
    with pytest.raises(ValidationError) as error:
        services.helper_end(
            assignment=assignment, ended_on=dt.date(2026, 5, 2), reason="x", actor=world.officer
        )
    assert "01/05/2026" in error.value.message_dict["ended_on"][0]


def test_end_before_the_start_is_refused(world: World) -> None:
    assignment = assign(world, world.poor)
    with pytest.raises(ValidationError) as error:
        services.helper_end(
            assignment=assignment, ended_on=dt.date(2026, 1, 9), reason="", actor=world.officer
        )
    assert set(error.value.message_dict) == {"ended_on", "reason"}


# --- Visits ------------------------------------------------------------------------------------------


def test_the_helper_records_a_visit(world: World) -> None:
    assignment = assign(world, world.poor, user=world.helper_user)
    visit = services.helper_visit_record(
        assignment=assignment,
        visited_on=dt.date(2026, 2, 3),
        note="Hướng dẫn vay vốn chăn nuôi bò",
        actor=world.helper_user,
        today=TODAY,
    )
    assert visit.province_code == "97"
    assert visit.recorded_by == world.helper_user
    event = AuditEvent.objects.get(action=SupportAuditAction.HELPER_VISIT_RECORDED)
    assert event.actor == world.helper_user
    assert event.after == {"assignment": assignment.pk, "visited_on": "2026-02-03", "note": visit.note}


@pytest.mark.parametrize("who", ["officer", "province_officer"])
def test_officers_record_visits(world: World, who: str) -> None:
    assignment = assign(world, world.poor)
    services.helper_visit_record(
        assignment=assignment, visited_on=TODAY, note="Thăm hộ", actor=getattr(world, who), today=TODAY
    )
    assert HelperVisit.objects.filter(assignment=assignment).count() == 1


@pytest.mark.parametrize("who", ["officer_c2", "leader", "surveyor"])
def test_others_may_not_record_visits(world: World, who: str) -> None:
    assignment = assign(world, world.poor)
    with pytest.raises(PermissionDenied):
        services.helper_visit_record(
            assignment=assignment, visited_on=TODAY, note="Thăm hộ", actor=getattr(world, who), today=TODAY
        )
    # Another account with no role that is not the helper: refused with the reason.
    stranger = user_factory(role="")
    assert services.visit_refusal(stranger, assignment) == (
        "Chỉ người giúp đỡ, cán bộ xã hoặc cán bộ tỉnh phụ trách mới được ghi nhận thăm hộ."
    )


@pytest.mark.parametrize(
    ("visited_on", "fragment"),
    [
        (dt.date(2026, 6, 16), "sau hôm nay (15/06/2026)"),
        (dt.date(2026, 1, 9), "trước ngày bắt đầu giúp đỡ (10/01/2026)"),
    ],
)
def test_visit_dates_are_checked(world: World, visited_on: dt.date, fragment: str) -> None:
    assignment = assign(world, world.poor)
    with pytest.raises(ValidationError) as error:
        services.helper_visit_record(
            assignment=assignment, visited_on=visited_on, note="Thăm", actor=world.officer, today=TODAY
        )
    assert fragment in error.value.message_dict["visited_on"][0]
    assert not HelperVisit.objects.exists()


def test_a_visit_after_the_assignment_ended_is_refused(world: World) -> None:
    assignment = assign(world, world.poor)
    services.helper_end(
        assignment=assignment, ended_on=dt.date(2026, 3, 1), reason="Chuyển công tác", actor=world.officer
    )
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.helper_visit_record(
            assignment=assignment,
            visited_on=dt.date(2026, 3, 2),
            note="Thăm",
            actor=world.officer,
            today=TODAY,
        )
    assert "01/03/2026" in error.value.message_dict["visited_on"][0]
    services.helper_visit_record(
        assignment=assignment, visited_on=dt.date(2026, 3, 1), note="Thăm", actor=world.officer, today=TODAY
    )


def test_a_visit_needs_a_note(world: World) -> None:
    assignment = assign(world, world.poor)
    with pytest.raises(ValidationError) as error:
        services.helper_visit_record(
            assignment=assignment, visited_on=TODAY, note="   ", actor=world.officer, today=TODAY
        )
    assert set(error.value.message_dict) == {"note"}


# --- Lists -------------------------------------------------------------------------------------------


def _codes(households: object) -> set[str]:
    return {household.code for household in households}  # type: ignore[attr-defined]


def test_poor_households_are_those_of_the_territory_and_poor(world: World) -> None:
    assert _codes(services.poor_households(viewer=world.officer)) == {world.poor.code, world.poor_b.code}
    assert _codes(services.poor_households(viewer=world.officer_c2)) == {world.poor_c2.code}
    assert _codes(services.poor_households(viewer=world.province_officer)) == {
        world.poor.code,
        world.poor_b.code,
        world.poor_c2.code,
    }
    assert _codes(services.poor_households(viewer=world.surveyor)) == {world.poor.code}


def test_the_helper_filters(world: World) -> None:
    helped = assign(world, world.poor)
    with_helper = services.HelperFilters(helper=services.HELPER_WITH)
    without = services.HelperFilters(helper=services.HELPER_WITHOUT)
    assert _codes(services.poor_households(viewer=world.officer, filters=with_helper)) == {world.poor.code}
    assert _codes(services.poor_households(viewer=world.officer, filters=without)) == {world.poor_b.code}
    assert _codes(services.households_without_helper(viewer=world.officer)) == {world.poor_b.code}
    in_v1b = services.HelperFilters(village=world.geo.v1b)
    assert _codes(services.poor_households(viewer=world.officer, filters=in_v1b)) == {world.poor_b.code}
    assert services.helper_counts(viewer=world.officer) == (2, 1)
    # An ended helper leaves the household without one.
    services.helper_end(assignment=helped, ended_on=dt.date(2026, 2, 1), reason="x", actor=world.officer)
    assert _codes(services.households_without_helper(viewer=world.officer)) == {
        world.poor.code,
        world.poor_b.code,
    }


def test_no_visit_in_90_days(world: World) -> None:
    visited = assign(world, world.poor)
    assign(world, world.poor_b)
    services.helper_visit_record(
        assignment=visited, visited_on=dt.date(2026, 4, 1), note="Thăm", actor=world.officer, today=TODAY
    )
    stale = services.HelperFilters(not_visited=True)
    # 1 April is 75 days before 15 June: visited lately; poor_b was never visited.
    assert _codes(services.poor_households(viewer=world.officer, filters=stale, today=TODAY)) == {
        world.poor_b.code
    }
    later = dt.date(2026, 7, 1)  # 91 days after 1 April
    assert _codes(services.poor_households(viewer=world.officer, filters=stale, today=later)) == {
        world.poor.code,
        world.poor_b.code,
    }


def test_assignment_visible_to_its_helper_and_the_territory_only(world: World) -> None:
    assignment = assign(world, world.poor, user=world.helper_user)
    assert services.assignment_visible(viewer=world.helper_user, pk=assignment.pk) == assignment
    assert services.assignment_visible(viewer=world.officer, pk=assignment.pk) == assignment
    assert services.assignment_visible(viewer=world.officer_c2, pk=assignment.pk) is None
    assert [a.pk for a in services.my_assignments(user=world.helper_user)] == [assignment.pk]
    assert list(services.my_assignments(user=world.officer)) == []
