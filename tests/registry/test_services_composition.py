"""household_split, household_merge, household_set_head, household_record_moved_out, member_record_migration:
events and audit written together, nothing written on a refusal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import (
    EventKind,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Member,
    MemberStatus,
    RegistryAuditAction,
)
from giamngheo.registry.services import (
    household_merge,
    household_record_moved_out,
    household_set_head,
    household_split,
    member_record_migration,
)
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db


@dataclass
class Family:
    household: Household
    father: Member
    mother: Member
    son: Member
    daughter_in_law: Member


@pytest.fixture
def family(geo_map: Map) -> Family:
    household = household_factory(commune=geo_map.c1, village=geo_map.v1, code="F1", ethnic_minority=True)
    father = member_factory(household=household, full_name="Hà Văn Cha", relation_to_head="Chủ hộ")
    mother = member_factory(household=household, full_name="Lò Thị Mẹ", sex="female", relation_to_head="Vợ")
    son = member_factory(household=household, full_name="Hà Văn Con", relation_to_head="Con")
    daughter_in_law = member_factory(
        household=household, full_name="Vi Thị Dâu", sex="female", relation_to_head="Con dâu"
    )
    Household.objects.filter(pk=household.pk).update(head=father)
    household.refresh_from_db()
    return Family(household, father, mother, son, daughter_in_law)


@pytest.fixture
def officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)


def _nothing_written() -> None:
    assert AuditEvent.objects.count() == 0
    assert HouseholdEvent.objects.count() == 0


# --- household_split --------------------------------------------------------------------------------


def test_split_moves_the_chosen_members_to_a_new_household(
    family: Family, officer: User, geo_map: Map
) -> None:
    new = household_split(
        household=family.household,
        members=[family.son, family.daughter_in_law],
        new_code=" F2 ",
        new_head=family.son,
        village=geo_map.v1b,
        actor=officer,
        note="Con trai ra ở riêng",
    )

    family.household.refresh_from_db()
    family.son.refresh_from_db()
    family.daughter_in_law.refresh_from_db()
    assert (new.code, new.commune, new.village, new.head, new.area) == (
        "F2",
        geo_map.c1,
        geo_map.v1b,
        family.son,
        "rural",
    )
    assert new.ethnic_minority is True
    assert (family.son.household, family.son.relation_to_head) == (new, "Chủ hộ")
    assert (family.daughter_in_law.household, family.daughter_in_law.relation_to_head) == (new, "Con dâu")
    assert family.household.head == family.father
    assert family.household.version == 2
    assert set(family.household.members.values_list("full_name", flat=True)) == {"Hà Văn Cha", "Lò Thị Mẹ"}
    split = AuditEvent.objects.get(action=RegistryAuditAction.HOUSEHOLD_SPLIT)
    assert split.target_id == str(family.household.pk)
    assert split.after == {
        "members": [family.father.pk, family.mother.pk],
        "head": family.father.pk,
        "new_household": new.pk,
    }
    assert AuditEvent.objects.filter(action=RegistryAuditAction.MEMBER_MOVED).count() == 2
    created = AuditEvent.objects.get(action=RegistryAuditAction.HOUSEHOLD_CREATED)
    assert created.after is not None and created.after["split_from"] == family.household.pk
    events = {(e.household_id, e.kind, e.other_household_id, e.note) for e in HouseholdEvent.objects.all()}
    assert events == {
        (family.household.pk, EventKind.SPLIT, new.pk, "Con trai ra ở riêng"),
        (new.pk, EventKind.SPLIT, family.household.pk, "Con trai ra ở riêng"),
    }


def test_split_when_the_head_leaves_leaves_the_old_household_without_head(
    family: Family, officer: User
) -> None:
    household_split(
        household=family.household,
        members=[family.father],
        new_code="F3",
        new_head=family.father,
        actor=officer,
    )
    family.household.refresh_from_db()
    assert family.household.head is None


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("nobody", "members", "Hãy chọn ít nhất một nhân khẩu"),
        ("everyone", "members", "phải còn ít nhất một người ở lại"),
        ("head_stays", "new_head", "Chủ hộ mới phải là một trong những người tách ra."),
        ("stranger", "members", "Không phải nhân khẩu đang ở trong hộ F1"),
        ("deceased", "members", "Không phải nhân khẩu đang ở trong hộ F1"),
    ],
)
def test_split_refuses_what_makes_no_sense(
    family: Family, officer: User, geo_map: Map, case: str, field: str, message: str
) -> None:
    stranger = member_factory(
        household=household_factory(commune=geo_map.c1, code="X1"), full_name="Người Lạ"
    )
    if case == "deceased":
        Member.objects.filter(pk=family.mother.pk).update(status=MemberStatus.DECEASED)
    members = {
        "nobody": [],
        "everyone": [family.father, family.mother, family.son, family.daughter_in_law],
        "head_stays": [family.son],
        "stranger": [family.son, stranger],
        "deceased": [family.mother],
    }[case]
    new_head = family.mother if case in ("head_stays", "deceased") else family.son

    with pytest.raises(ValidationError) as caught:
        household_split(
            household=family.household, members=members, new_code="F9", new_head=new_head, actor=officer
        )

    assert message in " ".join(caught.value.message_dict[field])
    assert not Household.objects.filter(code="F9").exists()
    _nothing_written()


def test_split_checks_the_territory_of_both_households(family: Family, geo_map: Map) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    with pytest.raises(PermissionDenied):
        household_split(
            household=family.household,
            members=[family.son],
            new_code="F4",
            new_head=family.son,
            village=geo_map.v1b,
            actor=surveyor,
        )
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    with pytest.raises(PermissionDenied):
        household_split(
            household=family.household,
            members=[family.son],
            new_code="F4",
            new_head=family.son,
            actor=outsider,
        )
    assert not Household.objects.filter(code="F4").exists()
    _nothing_written()


def test_split_refuses_a_merged_household(family: Family, officer: User) -> None:
    Household.objects.filter(pk=family.household.pk).update(status=HouseholdStatus.MERGED)
    with pytest.raises(ValidationError, match="không còn sinh sống"):
        household_split(
            household=family.household,
            members=[family.son],
            new_code="F5",
            new_head=family.son,
            actor=officer,
        )
    _nothing_written()


# --- household_merge --------------------------------------------------------------------------------


def test_merge_moves_the_present_members_and_keeps_the_merged_household(
    family: Family, officer: User, geo_map: Map
) -> None:
    other = household_factory(commune=geo_map.c1, village=geo_map.v1b, code="G1")
    granny = member_factory(household=other, full_name="Bà Ngoại", sex="female")
    gone = member_factory(household=other, full_name="Ông Ngoại", status=MemberStatus.DECEASED)
    Household.objects.filter(pk=other.pk).update(head=granny)

    into = household_merge(household=other, into=family.household, actor=officer, note="Về ở với con")

    other.refresh_from_db()
    granny.refresh_from_db()
    gone.refresh_from_db()
    assert into == family.household and into.head == family.father
    assert (other.status, other.head, other.version) == (HouseholdStatus.MERGED, None, 2)
    assert granny.household == family.household
    assert gone.household == other  # history stays where it happened
    assert into.version == 2
    audits = AuditEvent.objects.filter(action=RegistryAuditAction.HOUSEHOLD_MERGED)
    assert {a.target_id for a in audits} == {str(other.pk), str(family.household.pk)}
    assert AuditEvent.objects.filter(
        action=RegistryAuditAction.MEMBER_MOVED, target_id=str(granny.pk)
    ).exists()
    events = {(e.household_id, e.kind, e.other_household_id) for e in HouseholdEvent.objects.all()}
    assert events == {(other.pk, EventKind.MERGED, into.pk), (into.pk, EventKind.MERGED, other.pk)}


def test_merge_refuses_itself_an_inactive_target_and_another_territory(
    family: Family, officer: User, geo_map: Map
) -> None:
    with pytest.raises(ValidationError, match="chính nó"):
        household_merge(household=family.household, into=family.household, actor=officer)
    dissolved = household_factory(commune=geo_map.c1, code="G2", status=HouseholdStatus.DISSOLVED)
    with pytest.raises(ValidationError) as caught:
        household_merge(household=family.household, into=dissolved, actor=officer)
    assert "into" in caught.value.message_dict
    elsewhere = household_factory(commune=geo_map.d1, code="G3")
    with pytest.raises(PermissionDenied):
        household_merge(household=family.household, into=elsewhere, actor=officer)
    family.household.refresh_from_db()
    assert family.household.status == HouseholdStatus.ACTIVE
    _nothing_written()


# --- household_set_head -----------------------------------------------------------------------------


def test_set_head(family: Family, officer: User) -> None:
    household = household_set_head(household=family.household, member=family.mother, actor=officer)

    assert household.head == family.mother and household.version == 2
    audit = AuditEvent.objects.get(action=RegistryAuditAction.HOUSEHOLD_HEAD_SET)
    assert (audit.before, audit.after) == ({"head": family.father.pk}, {"head": family.mother.pk})
    event = HouseholdEvent.objects.get()
    assert (event.kind, event.member) == (EventKind.HEAD_CHANGED, family.mother)


def test_set_head_refuses_someone_absent_or_already_head(family: Family, officer: User, geo_map: Map) -> None:
    Member.objects.filter(pk=family.son.pk).update(status=MemberStatus.MOVED_OUT)
    family.son.refresh_from_db()
    stranger = member_factory(household=household_factory(commune=geo_map.c1, code="X2"))
    for member in (family.son, stranger, family.father):
        with pytest.raises(ValidationError) as caught:
            household_set_head(household=family.household, member=member, actor=officer)
        assert "member" in caught.value.message_dict
    agency = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p)
    with pytest.raises(PermissionDenied):
        household_set_head(household=family.household, member=family.mother, actor=agency)
    _nothing_written()


# --- household_record_moved_out ---------------------------------------------------------------------


def test_household_moved_out(family: Family, officer: User) -> None:
    Member.objects.filter(pk=family.mother.pk).update(status=MemberStatus.DECEASED)
    household = household_record_moved_out(
        household=family.household, date=datetime.date(2025, 3, 1), actor=officer, note="Vào Nam"
    )

    assert household.status == HouseholdStatus.MOVED_OUT
    statuses = dict(household.members.values_list("full_name", "status"))
    assert statuses == {
        "Hà Văn Cha": "moved_out",
        "Lò Thị Mẹ": "deceased",
        "Hà Văn Con": "moved_out",
        "Vi Thị Dâu": "moved_out",
    }
    audit = AuditEvent.objects.get(action=RegistryAuditAction.HOUSEHOLD_MOVED_OUT)
    assert audit.before is not None and audit.before["status"] == "active"
    event = HouseholdEvent.objects.get()
    assert (event.kind, event.date, event.note) == (EventKind.MOVED_OUT, datetime.date(2025, 3, 1), "Vào Nam")
    with pytest.raises(ValidationError):
        household_record_moved_out(household=household, date=datetime.date(2025, 3, 2), actor=officer)


# --- member_record_migration ------------------------------------------------------------------------


def test_member_migration(family: Family, officer: User) -> None:
    member = member_record_migration(
        member=family.father, date=datetime.date(2024, 8, 1), destination=" TP  Hồ Chí Minh ", actor=officer
    )

    family.household.refresh_from_db()
    assert member.status == MemberStatus.MOVED_OUT
    assert member.household == family.household
    assert family.household.head is None
    assert family.household.version == 2
    audit = AuditEvent.objects.get(action=RegistryAuditAction.MEMBER_MIGRATED)
    assert audit.after is not None
    assert (audit.after["destination"], audit.after["date_moved_out"]) == ("TP Hồ Chí Minh", "2024-08-01")
    event = HouseholdEvent.objects.get()
    assert (event.kind, event.member, event.note) == (EventKind.MEMBER_MIGRATED, member, "TP Hồ Chí Minh")


def test_member_migration_refusals(family: Family, officer: User, geo_map: Map) -> None:
    with pytest.raises(ValidationError):
        member_record_migration(member=family.son, date=datetime.date(2999, 1, 1), actor=officer)
    Member.objects.filter(pk=family.mother.pk).update(status=MemberStatus.DECEASED)
    family.mother.refresh_from_db()
    with pytest.raises(ValidationError, match="Chỉ ghi nhận di cư"):
        member_record_migration(member=family.mother, date=datetime.date(2024, 1, 1), actor=officer)
    other_surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    with pytest.raises(PermissionDenied):
        member_record_migration(member=family.son, date=datetime.date(2024, 1, 1), actor=other_surveyor)
    family.son.refresh_from_db()
    assert family.son.status == MemberStatus.PRESENT
    _nothing_written()
