import pytest

from giamngheo.accounts.demo import DEMO_PASSWORD, DEMO_USERS, demo_logins_table, demo_users_load
from giamngheo.accounts.models import AuditEvent, Role, User
from tests.accounts.factories import user_factory

pytestmark = pytest.mark.django_db


def test_demo_users_load_creates_the_four_demo_logins() -> None:
    lines: list[str] = []
    demo_users_load(write=lines.append)

    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {"admin", "tinh", "xa", "lanhdao"}
    assert users["admin"].is_superuser
    assert users["admin"].is_staff
    assert users["admin"].role == Role.SYSTEM_ADMIN
    assert users["tinh"].role == Role.PROVINCE_OFFICER
    assert users["xa"].role == Role.COMMUNE_OFFICER
    assert users["lanhdao"].role == Role.LEADER
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert AuditEvent.objects.count() == 4
    assert lines == ["Users: 4 created, 0 already there."]


def test_demo_users_load_leaves_existing_accounts_alone() -> None:
    user_factory(username="xa", full_name="Đã đổi tên", role=Role.LEADER, password="mat-khau-rieng-2026")

    demo_users_load(write=lambda line: None)

    xa = User.objects.get(username="xa")
    assert (xa.full_name, xa.role) == ("Đã đổi tên", Role.LEADER)
    assert xa.check_password("mat-khau-rieng-2026")
    assert User.objects.count() == 4


def test_demo_logins_table_lists_every_demo_user() -> None:
    table = demo_logins_table().splitlines()
    assert len(table) == 2 + len(DEMO_USERS)
    assert table[2].split()[:2] == ["admin", DEMO_PASSWORD]
    assert "Lãnh đạo (leader)" in table[-1]
