"""Test data for accounts: plain functions (no service, so no audit rows unless a test wants them)."""

from __future__ import annotations

import itertools
from typing import Any

from giamngheo.accounts.models import Role, User

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
