from io import StringIO

import pytest
from django.core.management import call_command

from giamngheo.accounts.models import AuditEvent, User, UserScope
from giamngheo.accounts.selectors import units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.models import Household

pytestmark = pytest.mark.django_db


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", households=300, stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent() -> None:
    first = _load_demo()
    second = _load_demo()

    usernames = sorted(User.objects.values_list("username", flat=True))
    assert usernames == ["admin", "coquan", "lanhdao", "thon", "tinh", "xa"]
    assert AuditEvent.objects.filter(action="user.created").count() == 6
    assert AuditEvent.objects.filter(action="units.loaded").count() == 1  # the 2025 units, loaded once
    villages = Village.objects.count()
    assert villages > 1  # the demo village T01 and the demo province's villages
    assert AuditEvent.objects.filter(action="village.created").count() == villages
    assert AuditEvent.objects.filter(action="user_scope.assigned").count() == 5
    assert UserScope.objects.count() == 5
    assert "6 created" in first
    assert "Scopes: 5 assigned." in first
    assert "0 created, 6 already there" in second
    assert "Scopes: 0 assigned." in second


def test_load_demo_scopes_are_real_2025_units() -> None:
    _load_demo()
    users = {user.username: user for user in User.objects.all()}

    province = AdminUnit.objects.get(generation="2025", level=Level.PROVINCE, code="51")
    assert province.name.endswith("Quảng Ngãi")
    tinh_units = units_visible_to(users["tinh"])
    assert (
        tinh_units.filter(generation="2025", level=Level.COMMUNE).count()
        == AdminUnit.objects.filter(generation="2025", level=Level.COMMUNE, province_code="51").count()
    )
    assert not tinh_units.filter(generation="2025").exclude(province_code="51").exists()
    assert [unit.name for unit in units_visible_to(users["xa"]).filter(generation="2025")] == ["Xã Đăk Kôi"]
    assert [village.name for village in villages_visible_to(users["thon"])] == ["Thôn 1"]
    assert Household.objects.filter(province_code="51").count() == 300
    assert units_visible_to(users["admin"]).count() == AdminUnit.objects.count()


def test_load_demo_prints_the_logins() -> None:
    output = _load_demo()
    assert "Demo logins" in output
    for username in ("admin", "tinh", "xa", "lanhdao", "thon", "coquan"):
        assert f"\n{username} " in output
    assert "giamngheo-demo" in output
    assert "Cán bộ tỉnh" in output
    assert "Tỉnh Quảng Ngãi (51)" in output
