import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from giamngheo.accounts.models import AuditAction, AuditEvent, Role, User, UserScope
from giamngheo.accounts.services import audit_record, user_create, user_scope_assign, user_scope_remove
from tests.accounts.conftest import Map
from tests.accounts.factories import admin_factory, scoped_user_factory, user_factory

pytestmark = pytest.mark.django_db

PASSWORD = "Mua-xuan-2026"


def test_user_create_writes_the_user_and_one_audit_row() -> None:
    actor = admin_factory()

    user = user_create(
        username="canbo.xa",
        password=PASSWORD,
        role=Role.COMMUNE_OFFICER,
        full_name="Nguyễn Thị Mai",
        phone="0912345678",
        actor=actor,
    )

    user.refresh_from_db()
    assert (user.username, user.full_name, user.role, user.phone) == (
        "canbo.xa",
        "Nguyễn Thị Mai",
        "commune_officer",
        "0912345678",
    )
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser

    event = AuditEvent.objects.get()
    assert event.actor == actor
    assert event.action == AuditAction.USER_CREATED == "user.created"
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.before is None
    assert event.after == {
        "username": "canbo.xa",
        "full_name": "Nguyễn Thị Mai",
        "role": "commune_officer",
        "is_staff": False,
        "is_superuser": False,
    }


def test_user_create_never_puts_the_password_in_the_audit_row() -> None:
    user_create(username="tinh2", password=PASSWORD, role=Role.PROVINCE_OFFICER, full_name="", actor=None)
    event = AuditEvent.objects.get()
    assert PASSWORD not in str(event.after)
    assert User.objects.get(username="tinh2").password not in str(event.after)


def test_user_create_by_the_system_has_no_actor() -> None:
    user_create(username="he.thong", password=PASSWORD, role=Role.LEADER, full_name="", actor=None)
    assert AuditEvent.objects.get().actor is None


def test_system_admins_and_superusers_get_the_admin_site() -> None:
    admin = user_create(username="qt", password=PASSWORD, role=Role.SYSTEM_ADMIN, full_name="", actor=None)
    root = user_create(
        username="goc", password=PASSWORD, role=Role.SYSTEM_ADMIN, full_name="", actor=None, is_superuser=True
    )
    assert admin.is_staff
    assert not admin.is_superuser
    assert root.is_staff
    assert root.is_superuser


def test_user_create_is_refused_to_a_non_admin_and_writes_nothing() -> None:
    officer = user_factory(role=Role.PROVINCE_OFFICER)

    with pytest.raises(PermissionDenied):
        user_create(username="moi", password=PASSWORD, role=Role.LEADER, full_name="", actor=officer)

    assert not User.objects.filter(username="moi").exists()
    assert not AuditEvent.objects.exists()


def test_user_create_rejects_an_unknown_role() -> None:
    with pytest.raises(ValidationError) as excinfo:
        user_create(username="moi", password=PASSWORD, role="mayor", full_name="", actor=None)
    assert "role" in excinfo.value.message_dict
    assert not AuditEvent.objects.exists()


def test_user_create_rejects_a_weak_password() -> None:
    with pytest.raises(ValidationError):
        user_create(username="moi", password="12345678", role=Role.LEADER, full_name="", actor=None)
    assert not User.objects.filter(username="moi").exists()


def test_user_create_rejects_a_duplicate_username() -> None:
    user_factory(username="trung")
    with pytest.raises(ValidationError):
        user_create(username="trung", password=PASSWORD, role=Role.LEADER, full_name="", actor=None)
    assert not AuditEvent.objects.exists()


def test_user_create_cannot_be_nested_in_another_transaction() -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        user_create(username="long", password=PASSWORD, role=Role.LEADER, full_name="", actor=None)


def test_audit_record_stores_dates_and_decimals() -> None:
    target = user_factory()
    audit_record(
        actor=None,
        action=AuditAction.USER_CHANGED,
        target=target,
        before={"since": datetime.date(2026, 11, 22)},
        after={"income": Decimal("1500000.50")},
    )
    event = AuditEvent.objects.get()
    assert event.before == {"since": "2026-11-22"}
    assert event.after == {"income": "1500000.50"}


# --- territory (user_scope_assign / user_scope_remove) ----------------------------------------


def test_user_scope_assign_records_the_scopes_before_and_after(geo_map: Map) -> None:
    admin = admin_factory()
    officer = user_factory(role=Role.AGENCY_VIEWER)

    first = user_scope_assign(user=officer, unit=geo_map.p, actor=admin)
    user_scope_assign(user=officer, unit=geo_map.d1, actor=admin)

    assert (first.unit, first.village, first.province_code) == (geo_map.p, None, "97")
    events = list(AuditEvent.objects.filter(action="user_scope.assigned").order_by("id"))
    assert [(e.actor, e.target_type, e.target_id) for e in events] == [
        (admin, "accounts.user", str(officer.pk)),
        (admin, "accounts.user", str(officer.pk)),
    ]
    assert (events[0].before, events[0].after) == ({"scopes": []}, {"scopes": ["province:97"]})
    assert (events[1].before, events[1].after) == (
        {"scopes": ["province:97"]},
        {"scopes": ["commune:96001", "province:97"]},
    )


def test_user_scope_assign_a_village(geo_map: Map) -> None:
    surveyor = user_factory(role=Role.VILLAGE_SURVEYOR)

    scope = user_scope_assign(user=surveyor, village=geo_map.v1, actor=None)

    assert (scope.unit, scope.village, scope.province_code) == (None, geo_map.v1, "97")
    event = AuditEvent.objects.get(action="user_scope.assigned")
    assert event.actor is None
    assert event.after == {"scopes": ["village:97001/V1"]}


def test_user_scope_remove_records_the_scopes_before_and_after(geo_map: Map) -> None:
    admin = admin_factory()
    officer = user_factory(role=Role.COMMUNE_OFFICER)
    user_scope_assign(user=officer, unit=geo_map.c1, actor=admin)
    user_scope_assign(user=officer, unit=geo_map.c2, actor=admin)

    user_scope_remove(user=officer, unit=geo_map.c1, actor=admin)

    assert list(UserScope.objects.filter(user=officer).values_list("unit", flat=True)) == [geo_map.c2.pk]
    event = AuditEvent.objects.get(action="user_scope.removed")
    assert (event.actor, event.target_id) == (admin, str(officer.pk))
    assert event.before == {"scopes": ["commune:97001", "commune:97002"]}
    assert event.after == {"scopes": ["commune:97002"]}


def test_user_scope_remove_of_a_missing_scope_is_refused(geo_map: Map) -> None:
    officer = user_factory(role=Role.COMMUNE_OFFICER)
    with pytest.raises(ValidationError, match="không có địa bàn"):
        user_scope_remove(user=officer, unit=geo_map.c1, actor=None)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.LEADER, Role.AGENCY_VIEWER, Role.VILLAGE_SURVEYOR],
)
def test_only_a_system_admin_assigns_or_removes_scopes(geo_map: Map, role: Role) -> None:
    actor = scoped_user_factory(role=role, unit=geo_map.p)
    officer = user_factory(role=Role.COMMUNE_OFFICER)
    with pytest.raises(PermissionDenied, match="Chỉ quản trị hệ thống"):
        user_scope_assign(user=officer, unit=geo_map.c1, actor=actor)
    UserScope.objects.create(user=officer, unit=geo_map.c1, province_code="97")
    with pytest.raises(PermissionDenied, match="Chỉ quản trị hệ thống"):
        user_scope_remove(user=officer, unit=geo_map.c1, actor=actor)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        (Role.PROVINCE_OFFICER, "p", True),
        (Role.PROVINCE_OFFICER, "c1", False),
        (Role.PROVINCE_OFFICER, "v1", False),
        (Role.LEADER, "p", True),
        (Role.LEADER, "c1", False),
        (Role.COMMUNE_OFFICER, "c1", True),
        (Role.COMMUNE_OFFICER, "p", False),
        (Role.COMMUNE_OFFICER, "v1", False),
        (Role.VILLAGE_SURVEYOR, "v1", True),
        (Role.VILLAGE_SURVEYOR, "c1", False),
        (Role.AGENCY_VIEWER, "p", True),
        (Role.AGENCY_VIEWER, "c1", True),
        (Role.AGENCY_VIEWER, "v1", False),
        (Role.SYSTEM_ADMIN, "p", False),
        ("", "p", False),
    ],
)
def test_the_kind_of_scope_must_fit_the_role(
    geo_map: Map, role: Role | str, target: str, allowed: bool
) -> None:
    user = user_factory(role=role)
    obj = getattr(geo_map, target)
    kwargs = {"village": obj} if target.startswith("v") else {"unit": obj}
    if allowed:
        user_scope_assign(user=user, actor=None, **kwargs)
        assert UserScope.objects.filter(user=user).count() == 1
    else:
        with pytest.raises(ValidationError, match="Không thể gán địa bàn"):
            user_scope_assign(user=user, actor=None, **kwargs)
        assert not UserScope.objects.exists()


def test_a_scope_is_one_unit_or_one_village_and_not_twice(geo_map: Map) -> None:
    user = user_factory(role=Role.COMMUNE_OFFICER)
    with pytest.raises(ValidationError, match="đúng một địa bàn"):
        user_scope_assign(user=user, actor=None)
    with pytest.raises(ValidationError, match="đúng một địa bàn"):
        user_scope_assign(user=user, unit=geo_map.c1, village=geo_map.v1, actor=None)
    user_scope_assign(user=user, unit=geo_map.c1, actor=None)
    with pytest.raises(ValidationError, match="đã được gán địa bàn"):
        user_scope_assign(user=user, unit=geo_map.c1, actor=None)
    assert UserScope.objects.count() == 1


def test_a_unit_no_longer_valid_cannot_be_assigned(geo_map: Map) -> None:
    user = user_factory(role=Role.PROVINCE_OFFICER)
    with pytest.raises(ValidationError, match="đã hết hiệu lực"):
        user_scope_assign(user=user, unit=geo_map.old_p, actor=None)
    assert not UserScope.objects.exists()
