from io import StringIO

import pytest
from django.core.management import call_command

from giamngheo.accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent() -> None:
    first = _load_demo()
    second = _load_demo()

    assert sorted(User.objects.values_list("username", flat=True)) == ["admin", "lanhdao", "tinh", "xa"]
    assert AuditEvent.objects.filter(action="user.created").count() == 4
    assert AuditEvent.objects.filter(action="units.loaded").count() == 1  # the 2025 units, loaded once
    assert "4 created" in first
    assert "0 created, 4 already there" in second


def test_load_demo_prints_the_logins() -> None:
    output = _load_demo()
    assert "Demo logins" in output
    for username in ("admin", "tinh", "xa", "lanhdao"):
        assert f"\n{username} " in output
    assert "giamngheo-demo" in output
    assert "Cán bộ tỉnh" in output
