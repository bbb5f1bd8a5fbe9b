import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from giamngheo.accounts.models import AuditAction, AuditEvent, Role, User
from giamngheo.accounts.services import audit_record, user_create
from tests.accounts.factories import admin_factory, user_factory

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
