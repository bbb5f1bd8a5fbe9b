"""Test data for accounts: plain functions (no service, so no audit rows unless a test wants them)."""

from __future__ import annotations

import itertools
from typing import Any

from giamngheo.accounts.models import Role, User, UserScope
from giamngheo.geo.models import AdminUnit, Village, VillageKind

PASSWORD = "mat-khau-thu-nghiem"
_numbers = itertools.count(1)


def user_factory(*, role: Role | str = Role.COMMUNE_OFFICER, password: str = PASSWORD, **fields: Any) -> User:
    """Create a user with a unique username and a usable password."""
    fields.setdefault("username", f"nguoidung{next(_numbers)}")
    fields.setdefault("full_name", "Nguyễn Văn An")
    return User.objects.create_user(password=password, role=role, **fields)


def admin_factory(**fields: Any) -> User:
    """A system administrator with access to the admin site."""
    fields.setdefault("is_staff", True)
    return user_factory(role=Role.SYSTEM_ADMIN, **fields)


def village_factory(*, commune: AdminUnit, code: str = "", **fields: Any) -> Village:
    """A village straight in the table (geo's factories have none yet)."""
    code = code or f"T{next(_numbers):03d}"
    fields.setdefault("name", f"Thôn {code}")
    fields.setdefault("kind", VillageKind.THON)
    fields.setdefault("valid_from", commune.valid_from)
    return Village.objects.create(commune=commune, province_code=commune.province_code, code=code, **fields)


def scoped_user_factory(
    *, role: Role | str, unit: AdminUnit | None = None, village: Village | None = None, **fields: Any
) -> User:
    """A user with one scope row, written straight to the table (no audit row)."""
    user = user_factory(role=role, **fields)
    target = village if village is not None else unit
    assert target is not None
    UserScope.objects.create(user=user, unit=unit, village=village, province_code=target.province_code)
    return user
