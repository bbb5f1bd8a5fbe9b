"""``services.member_update``: correcting a member's details, with the household's version as the lock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Member,
    RegistryAuditAction,
)
from giamngheo.registry.selectors import citizen_id_duplicates, household_search
from giamngheo.registry.services import (
    STALE_MEMBER_MESSAGE,
    member_move,
    member_record_migration,
    member_update,
)
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db

CITIZEN_ID = "079080001234"  # province 079, male, 20th century, born 1980


@dataclass
class Case:
    officer: User
    household: Household
    member: Member


@pytest.fixture
def case(geo_map: Map) -> Case:
    household = household_factory(commune=geo_map.c1, village=geo_map.v1, code="A1")
    member = member_factory(
        household=household,
        full_name="Nguyen Van A",
        date_of_birth=datetime.date(1980, 5, 17),
        citizen_id=CITIZEN_ID,
        relation_to_head="Chủ hộ",
    )
    return Case(
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        household=household,
        member=member,
    )


def _update(case: Case, **changes: Any) -> Member:
    return member_update(
        member=case.member, expected_version=case.household.version, actor=case.officer, **changes
    )


def test_member_update_changes_the_fields_refolds_the_name_and_bumps_the_household(case: Case) -> None:
    updated = _update(
        case,
        full_name="  Nguyễn   Văn Ánh ",
        ethnicity="13",
        relation_to_head=" Chủ hộ ",
        date_of_birth=datetime.date(1980, 5, 18),
    )

    member = Member.objects.get(pk=case.member.pk)
    case.household.refresh_from_db()
    assert updated.pk == member.pk
    assert (member.full_name, member.full_name_search, member.ethnicity, member.date_of_birth) == (
        "Nguyễn Văn Ánh",
        "nguyen van anh",
        "13",
        datetime.date(1980, 5, 18),
    )
    assert member.citizen_id == CITIZEN_ID and member.relation_to_head == "Chủ hộ"
    assert case.household.version == 2
    assert list(household_search(viewer=case.officer, query="van anh")) == [case.household]


def test_member_update_audits_only_what_changed_and_records_an_event(case: Case) -> None:
    _update(case, full_name="Nguyễn Văn Ánh", sex="male", citizen_id=CITIZEN_ID)

    audit = AuditEvent.objects.get(action=RegistryAuditAction.MEMBER_UPDATED)
    assert audit.actor == case.officer
    assert (audit.target_type, audit.target_id) == ("registry.member", str(case.member.pk))
    assert audit.before == {"full_name": "Nguyen Van A"}
    assert audit.after == {"full_name": "Nguyễn Văn Ánh"}
    event = HouseholdEvent.objects.get(kind=EventKind.MEMBER_UPDATED)
    assert (event.household, event.member, event.actor, event.date) == (
        case.household,
        case.member,
        case.officer,
        timezone.localdate(),
    )


def test_member_update_with_nothing_changed_writes_nothing(case: Case) -> None:
    _update(case, full_name=" Nguyen  Van A", citizen_id=CITIZEN_ID, relation_to_head="Chủ hộ")

    case.household.refresh_from_db()
    assert case.household.version == 1
    assert not AuditEvent.objects.exists()
    assert not HouseholdEvent.objects.exists()


def test_member_update_refuses_a_stale_version_and_keeps_the_first_save(case: Case) -> None:
    seen = case.household.version
    member_update(member=case.member, expected_version=seen, actor=case.officer, full_name="Lần một")

    with pytest.raises(ValidationError) as info:
        member_update(member=case.member, expected_version=seen, actor=case.officer, full_name="Lần hai")

    assert info.value.code == "stale"
    assert info.value.messages == [str(STALE_MEMBER_MESSAGE)]
    assert Member.objects.get(pk=case.member.pk).full_name == "Lần một"
    assert AuditEvent.objects.filter(action=RegistryAuditAction.MEMBER_UPDATED).count() == 1


def test_a_change_to_another_member_of_the_household_makes_the_form_stale(case: Case) -> None:
    wife = member_factory(household=case.household, full_name="Trần Thị B", sex="female")
    seen = case.household.version
    member_record_migration(member=wife, date=datetime.date(2024, 1, 2), actor=case.officer)

    with pytest.raises(ValidationError) as info:
        member_update(member=case.member, expected_version=seen, actor=case.officer, full_name="X")
    assert info.value.code == "stale"


def test_a_member_moved_to_another_household_since_it_was_read_is_stale(case: Case, geo_map: Map) -> None:
    other = household_factory(commune=geo_map.c1, village=geo_map.v1, code="A2")
    read = Member.objects.get(pk=case.member.pk)
    member_move(member=Member.objects.get(pk=case.member.pk), to_household=other, actor=case.officer)
    case.household.refresh_from_db()

    # Even with the current version of the household the member was read in:
    with pytest.raises(ValidationError) as info:
        member_update(member=read, expected_version=case.household.version, actor=case.officer, full_name="X")
    assert info.value.code == "stale"
    assert Member.objects.get(pk=case.member.pk).full_name == "Nguyen Van A"


def test_without_an_expected_version_the_latest_household_is_used(case: Case) -> None:
    Household.objects.filter(pk=case.household.pk).update(version=7)
    member_update(member=case.member, actor=None, ethnicity="01")
    assert Member.objects.get(pk=case.member.pk).ethnicity == "01"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_of_birth": datetime.date(2999, 1, 1)}, "date_of_birth", "Ngày sinh không thể ở tương lai."),
        ({"date_of_birth": datetime.date(1850, 1, 1)}, "date_of_birth", "tuổi trên 130"),
        ({"full_name": "   "}, "full_name", "Hãy nhập họ và tên."),
        ({"citizen_id": "12345"}, "citizen_id", "phải có đúng 12 chữ số"),
        ({"citizen_id": "099080001234"}, "citizen_id", "không phải mã tỉnh"),
        ({"sex": "female"}, "citizen_id", "không khớp với giới tính"),
        ({"date_of_birth": datetime.date(1990, 1, 1)}, "citizen_id", "không khớp với năm sinh 1990"),
        ({"sex": "other"}, "sex", ""),
        ({"ethnicity": "99"}, "ethnicity", ""),
    ],
)
def test_member_update_refuses_bad_values_on_the_field(
    case: Case, changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _update(case, **changes)

    errors = info.value.message_dict
    assert field in errors
    assert message in " ".join(errors[field])
    member = Member.objects.get(pk=case.member.pk)
    assert (member.full_name, member.sex, member.citizen_id) == ("Nguyen Van A", "male", CITIZEN_ID)
    assert not AuditEvent.objects.exists()


def test_member_update_allows_a_duplicate_citizen_id_which_stays_flagged(case: Case, geo_map: Map) -> None:
    other = household_factory(commune=geo_map.c1, village=geo_map.v1b)
    twin = member_factory(household=other, full_name="Người khác", citizen_id="001301012345", sex="female")

    member_update(
        member=twin,
        expected_version=other.version,
        actor=case.officer,
        citizen_id=f" {CITIZEN_ID} ",
        sex="male",
        date_of_birth=datetime.date(1980, 1, 1),
    )

    assert Member.objects.get(pk=twin.pk).citizen_id == CITIZEN_ID
    found = citizen_id_duplicates(viewer=case.officer, citizen_id=CITIZEN_ID, exclude_member=case.member)
    assert found.exists and [m.pk for m in found.members] == [twin.pk]


def test_member_update_clears_an_empty_citizen_id_to_null(case: Case) -> None:
    _update(case, citizen_id="  ")
    assert Member.objects.get(pk=case.member.pk).citizen_id is None


def test_member_update_refuses_other_fields(case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        _update(case, status="deceased", household=case.household)
    assert info.value.code == "not_updatable"
    assert "household, status" in info.value.messages[0]


def test_member_update_refuses_an_inactive_household(case: Case) -> None:
    Household.objects.filter(pk=case.household.pk).update(status=HouseholdStatus.MERGED)
    with pytest.raises(ValidationError) as info:
        _update(case, full_name="X")
    assert info.value.code == "household_inactive"


@pytest.mark.parametrize("who", ["outsider", "leader", "agency", "other_surveyor"])
def test_member_update_refused_outside_the_territory_and_for_roles_that_only_read(
    case: Case, geo_map: Map, who: str
) -> None:
    actor = {
        "outsider": lambda: scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1),
        "leader": lambda: scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        "agency": lambda: scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p),
        "other_surveyor": lambda: scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b),
    }[who]()
    with pytest.raises(PermissionDenied):
        member_update(member=case.member, expected_version=1, actor=actor, full_name="X")
    assert Member.objects.get(pk=case.member.pk).full_name == "Nguyen Van A"


def test_a_surveyor_updates_members_of_their_own_village(case: Case, geo_map: Map) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    member_update(member=case.member, expected_version=1, actor=surveyor, full_name="Nguyễn Văn A")
    assert Member.objects.get(pk=case.member.pk).full_name == "Nguyễn Văn A"


def test_member_update_cannot_be_nested_in_another_transaction(case: Case) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _update(case, full_name="X")
