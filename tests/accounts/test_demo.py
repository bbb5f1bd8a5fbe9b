import pytest

from giamngheo.accounts.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    demo_logins_table,
    demo_scopes_load,
    demo_users_load,
)
from giamngheo.accounts.models import AuditEvent, Role, User, UserScope
from giamngheo.accounts.selectors import units_visible_to, villages_visible_to
from giamngheo.geo.models import Village
from tests.accounts.factories import user_factory
from tests.geo.factories import commune_factory, province_factory

pytestmark = pytest.mark.django_db


def test_demo_users_load_creates_the_five_demo_logins() -> None:
    lines: list[str] = []
    demo_users_load(write=lines.append)

    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {"admin", "tinh", "xa", "lanhdao", "thon", "coquan"}
    assert users["admin"].is_superuser
    assert users["admin"].is_staff
    assert users["admin"].role == Role.SYSTEM_ADMIN
    assert users["tinh"].role == Role.PROVINCE_OFFICER
    assert users["xa"].role == Role.COMMUNE_OFFICER
    assert users["lanhdao"].role == Role.LEADER
    assert users["thon"].role == Role.VILLAGE_SURVEYOR
    assert users["coquan"].role == Role.AGENCY_VIEWER
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert AuditEvent.objects.count() == 6
    assert lines == ["Users: 6 created, 0 already there."]


def test_demo_users_load_leaves_existing_accounts_alone() -> None:
    user_factory(username="xa", full_name="Đã đổi tên", role=Role.LEADER, password="mat-khau-rieng-2026")

    demo_users_load(write=lambda line: None)

    xa = User.objects.get(username="xa")
    assert (xa.full_name, xa.role) == ("Đã đổi tên", Role.LEADER)
    assert xa.check_password("mat-khau-rieng-2026")
    assert User.objects.count() == len(DEMO_USERS)


def test_demo_scopes_load_without_units_does_nothing() -> None:
    demo_users_load(write=lambda line: None)
    lines: list[str] = []

    demo_scopes_load(write=lines.append)

    assert lines == ["Scopes: skipped, the 2025 units are not loaded."]
    assert not UserScope.objects.exists()


def test_demo_scopes_load_gives_each_demo_user_a_territory_once() -> None:
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    commune = commune_factory(province=province, code="23485", name="Xã Đăk Kôi")
    other = commune_factory(province=province, code="23486")
    demo_users_load(write=lambda line: None)
    lines: list[str] = []

    demo_scopes_load(write=lines.append)
    demo_scopes_load(write=lines.append)

    assert lines == ["Village: Thôn 1, Xã Đăk Kôi created.", "Scopes: 5 assigned.", "Scopes: 0 assigned."]
    users = {user.username: user for user in User.objects.all()}
    village = Village.objects.get(commune=commune, code="T01")
    assert set(units_visible_to(users["tinh"])) == {province, commune, other}
    assert set(units_visible_to(users["lanhdao"])) == {province, commune, other}
    assert set(units_visible_to(users["xa"])) == {commune}
    assert set(units_visible_to(users["thon"])) == {commune}
    assert set(villages_visible_to(users["thon"])) == {village}
    assert not UserScope.objects.filter(user=users["admin"]).exists()
    assert AuditEvent.objects.filter(action="user_scope.assigned").count() == 5


def test_demo_scopes_load_skips_a_user_whose_role_was_changed() -> None:
    province = province_factory(code="51")
    commune_factory(province=province, code="23485")
    user_factory(username="xa", role=Role.LEADER)
    demo_users_load(write=lambda line: None)

    demo_scopes_load(write=lambda line: None)

    assert not UserScope.objects.filter(user__username="xa").exists()


def test_demo_logins_table_lists_every_demo_user() -> None:
    table = demo_logins_table().splitlines()
    assert len(table) == 2 + len(DEMO_USERS)
    assert table[2].split()[:2] == ["admin", DEMO_PASSWORD]
    assert "Địa bàn / Area" in table[0]
    assert "Cán bộ cơ quan (agency_viewer)" in table[-1]
    assert "Tỉnh Quảng Ngãi (51)" in table[-1]
