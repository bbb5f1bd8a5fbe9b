import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.geo.models import UnitType
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.services import (
    household_create,
    household_update,
    member_add,
    member_move,
    member_record_death,
)
from tests.accounts.factories import scoped_user_factory
from tests.geo.factories import commune_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db


def _audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def _officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)


def _outsider(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)


def _leader(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.LEADER, unit=geo_map.p)


# --- household_create --------------------------------------------------------------------------


def test_household_create_writes_household_audit_and_event(geo_map: Map) -> None:
    officer = _officer(geo_map)

    household = household_create(
        commune=geo_map.c1, village=geo_map.v1, code=" H001 ", address="Số 1", actor=officer
    )

    household.refresh_from_db()
    assert (household.code, household.province_code, household.area, household.version) == (
        "H001",
        "97",
        "rural",
        1,
    )
    audit = _audit(RegistryAuditAction.HOUSEHOLD_CREATED)
    assert audit.actor == officer
    assert audit.target_id == str(household.pk)
    assert audit.before is None
    assert audit.after is not None and audit.after["code"] == "H001"
    event = HouseholdEvent.objects.get(household=household)
    assert (event.kind, event.actor, event.province_code) == (EventKind.CREATED, officer, "97")


def test_household_create_area_defaults_from_the_commune_and_can_be_overridden(geo_map: Map) -> None:
    ward = commune_factory(province=geo_map.p, unit_type=UnitType.WARD)
    assert household_create(commune=ward, code="P1", actor=None).area == "urban"
    assert household_create(commune=ward, code="P2", area="rural", actor=None).area == "rural"


def test_household_create_in_a_special_zone_needs_an_area(geo_map: Map) -> None:
    zone = commune_factory(province=geo_map.p, unit_type=UnitType.SPECIAL_ZONE)
    with pytest.raises(ValidationError) as info:
        household_create(commune=zone, code="Z1", actor=None)
    assert "area" in info.value.message_dict
    assert household_create(commune=zone, code="Z1", area="urban", actor=None).area == "urban"


def test_household_create_refuses_a_duplicate_code_and_a_foreign_village(geo_map: Map) -> None:
    household_create(commune=geo_map.c1, code="H1", actor=None)
    with pytest.raises(ValidationError):
        household_create(commune=geo_map.c1, code="H1", actor=None)
    with pytest.raises(ValidationError) as info:
        household_create(commune=geo_map.c1, village=geo_map.v2, code="H2", actor=None)
    assert "village" in info.value.message_dict
    assert household_create(commune=geo_map.c2, code="H1", actor=None).code == "H1"  # per commune


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_household_create_refused_outside_the_territory_and_for_a_leader(geo_map: Map, who: str) -> None:
    actor = _outsider(geo_map) if who == "outsider" else _leader(geo_map)
    with pytest.raises(PermissionDenied):
        household_create(commune=geo_map.c1, village=geo_map.v1, code="H1", actor=actor)
    assert not Household.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_village_surveyor_creates_households_only_in_their_village(geo_map: Map) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    assert household_create(commune=geo_map.c1, village=geo_map.v1, code="H1", actor=surveyor)
    with pytest.raises(PermissionDenied):
        household_create(commune=geo_map.c1, village=geo_map.v1b, code="H2", actor=surveyor)
    with pytest.raises(PermissionDenied):
        household_create(commune=geo_map.c1, code="H3", actor=surveyor)


def test_services_cannot_be_nested_in_another_transaction(geo_map: Map) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        household_create(commune=geo_map.c1, code="H1", actor=None)


# --- member_add ----------------------------------------------------------------------------------


def test_member_add_writes_member_search_name_audit_and_event(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household = household_factory(commune=geo_map.c1, village=geo_map.v1)

    member = member_add(
        household=household,
        full_name="  Nguyễn   Văn Đức ",
        sex="male",
        date_of_birth=datetime.date(1985, 3, 2),
        ethnicity="01",
        citizen_id="001085123456",
        is_head=True,
        actor=officer,
    )

    member.refresh_from_db()
    household.refresh_from_db()
    assert (member.full_name, member.full_name_search, member.province_code) == (
        "Nguyễn Văn Đức",
        "nguyen van duc",
        "97",
    )
    assert household.head == member
    assert household.version == 2
    audit = _audit(RegistryAuditAction.MEMBER_ADDED)
    assert audit.actor == officer
    assert audit.after is not None and audit.after["is_head"] is True
    event = HouseholdEvent.objects.get(kind=EventKind.MEMBER_ADDED)
    assert (event.household, event.member) == (household, member)


@pytest.mark.parametrize(
    ("citizen_id", "sex", "born"),
    [
        ("00108512345", "male", None),  # 11 digits
        ("0010851234567", "male", None),  # 13 digits
        ("099085123456", "male", None),  # no such province code
        ("001085123456", "female", None),  # 0 = male
        ("001085123456", "male", datetime.date(2085, 1, 1)),  # 0 = 20th century
    ],
)
def test_member_add_refuses_a_bad_citizen_id(
    geo_map: Map, citizen_id: str, sex: str, born: datetime.date | None
) -> None:
    household = household_factory(commune=geo_map.c1)
    with pytest.raises(ValidationError) as info:
        member_add(
            household=household,
            full_name="Lò Thị Ơn",
            sex=sex,
            date_of_birth=born,
            citizen_id=citizen_id,
            actor=None,
        )
    assert "citizen_id" in info.value.message_dict
    assert not Member.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_member_add_refused_outside_the_territory_and_for_a_leader(geo_map: Map, who: str) -> None:
    actor = _outsider(geo_map) if who == "outsider" else _leader(geo_map)
    household = household_factory(commune=geo_map.c1, village=geo_map.v1)
    with pytest.raises(PermissionDenied):
        member_add(household=household, full_name="A", sex="male", actor=actor)
    assert not Member.objects.exists()


# --- member_move ---------------------------------------------------------------------------------


def test_member_move_writes_two_events_and_clears_the_old_head(geo_map: Map) -> None:
    officer = _officer(geo_map)
    old = household_factory(commune=geo_map.c1, village=geo_map.v1)
    new = household_factory(commune=geo_map.c1, village=geo_map.v1b)
    member = member_factory(household=old)
    Household.objects.filter(pk=old.pk).update(head=member)

    member_move(member=member, to_household=new, relation_to_head="con", actor=officer)

    member.refresh_from_db()
    old.refresh_from_db()
    assert member.household == new
    assert member.relation_to_head == "con"
    assert old.head is None
    assert old.version == 2
    audit = _audit(RegistryAuditAction.MEMBER_MOVED)
    assert audit.before is not None and audit.before["household"] == old.pk
    assert audit.after is not None and audit.after["household"] == new.pk
    events = HouseholdEvent.objects.filter(kind=EventKind.MEMBER_MOVED)
    assert {(e.household_id, e.other_household_id) for e in events} == {(old.pk, new.pk), (new.pk, old.pk)}


def test_member_move_needs_both_households_in_the_territory(geo_map: Map) -> None:
    officer = _officer(geo_map)
    old = household_factory(commune=geo_map.c1)
    elsewhere = household_factory(commune=geo_map.d1)
    member = member_factory(household=old)
    with pytest.raises(PermissionDenied):
        member_move(member=member, to_household=elsewhere, actor=officer)
    with pytest.raises(PermissionDenied):
        member_move(member=member, to_household=old, actor=_leader(geo_map))
    member.refresh_from_db()
    assert member.household == old


def test_member_move_refuses_a_deceased_member_and_the_same_household(geo_map: Map) -> None:
    old = household_factory(commune=geo_map.c1)
    new = household_factory(commune=geo_map.c1)
    member = member_factory(household=old)
    with pytest.raises(ValidationError):
        member_move(member=member, to_household=old, actor=None)
    member.status = MemberStatus.DECEASED
    member.save()
    with pytest.raises(ValidationError):
        member_move(member=member, to_household=new, actor=None)


# --- member_record_death -------------------------------------------------------------------------


def test_member_record_death_keeps_the_member_and_writes_audit_and_event(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household = household_factory(commune=geo_map.c1)
    member = member_factory(household=household, date_of_birth=datetime.date(1940, 1, 1))
    Household.objects.filter(pk=household.pk).update(head=member)

    member_record_death(member=member, date=datetime.date(2026, 1, 5), actor=officer)

    member.refresh_from_db()
    household.refresh_from_db()
    assert member.status == MemberStatus.DECEASED
    assert household.head is None
    audit = _audit(RegistryAuditAction.MEMBER_DIED)
    assert audit.after is not None and audit.after["date_of_death"] == "2026-01-05"
    event = HouseholdEvent.objects.get(kind=EventKind.MEMBER_DIED)
    assert (event.member, event.date) == (member, datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        member_record_death(member=member, date=datetime.date(2026, 1, 5), actor=officer)


def test_member_record_death_refuses_a_date_before_birth(geo_map: Map) -> None:
    member = member_factory(
        household=household_factory(commune=geo_map.c1), date_of_birth=datetime.date(2000, 1, 1)
    )
    with pytest.raises(ValidationError):
        member_record_death(member=member, date=datetime.date(1999, 1, 1), actor=None)


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_member_record_death_refused_outside_the_territory_and_for_a_leader(geo_map: Map, who: str) -> None:
    actor = _outsider(geo_map) if who == "outsider" else _leader(geo_map)
    member = member_factory(household=household_factory(commune=geo_map.c1))
    with pytest.raises(PermissionDenied):
        member_record_death(member=member, date=datetime.date(2026, 1, 5), actor=actor)
    member.refresh_from_db()
    assert member.status == MemberStatus.PRESENT


# --- household_update ----------------------------------------------------------------------------


def test_household_update_bumps_the_version_and_audits_what_changed(geo_map: Map) -> None:
    officer = _officer(geo_map)
    household = household_factory(commune=geo_map.c1, village=geo_map.v1)

    updated = household_update(
        household=household, expected_version=1, actor=officer, phone="0912345678", village=geo_map.v1b
    )

    assert updated.version == 2
    assert updated.village == geo_map.v1b
    audit = _audit(RegistryAuditAction.HOUSEHOLD_UPDATED)
    assert audit.before == {"phone": "", "village": geo_map.v1.pk, "version": 1}
    assert audit.after == {"phone": "0912345678", "village": geo_map.v1b.pk, "version": 2}
    assert HouseholdEvent.objects.filter(kind=EventKind.UPDATED, household=household).count() == 1


def test_household_update_refuses_a_stale_version(geo_map: Map) -> None:
    household = household_factory(commune=geo_map.c1)
    household_update(household=household, expected_version=1, actor=None, phone="1")

    with pytest.raises(ValidationError) as info:
        household_update(household=household, expected_version=1, actor=None, phone="2")

    assert info.value.code == "stale"
    assert info.value.messages == ["Hộ này vừa được người khác cập nhật; vui lòng tải lại trang."]
    household.refresh_from_db()
    assert (household.phone, household.version) == ("1", 2)


def test_household_update_refuses_unknown_fields(geo_map: Map) -> None:
    household = household_factory(commune=geo_map.c1)
    with pytest.raises(ValidationError):
        household_update(household=household, expected_version=1, actor=None, code="X")


def test_household_update_refuses_a_head_from_another_household(geo_map: Map) -> None:
    household = household_factory(commune=geo_map.c1)
    stranger = member_factory(household=household_factory(commune=geo_map.c1))
    with pytest.raises(ValidationError):
        household_update(household=household, expected_version=1, actor=None, head=stranger)


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_household_update_refused_outside_the_territory_and_for_a_leader(geo_map: Map, who: str) -> None:
    actor = _outsider(geo_map) if who == "outsider" else _leader(geo_map)
    household = household_factory(commune=geo_map.c1)
    with pytest.raises(PermissionDenied):
        household_update(household=household, expected_version=1, actor=actor, phone="1")


def test_household_update_cannot_move_a_household_to_a_village_the_surveyor_does_not_have(
    geo_map: Map,
) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    household = household_factory(commune=geo_map.c1, village=geo_map.v1)
    with pytest.raises(PermissionDenied):
        household_update(household=household, expected_version=1, actor=surveyor, village=geo_map.v1b)
