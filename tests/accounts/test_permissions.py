import pytest
from django.core.exceptions import PermissionDenied

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.permissions import can_manage_users, ensure_can_manage_users


@pytest.mark.parametrize(
    ("role", "is_superuser", "allowed"),
    [
        (Role.SYSTEM_ADMIN, False, True),
        ("", True, True),
        (Role.PROVINCE_OFFICER, False, False),
        (Role.COMMUNE_OFFICER, False, False),
        (Role.VILLAGE_SURVEYOR, False, False),
        (Role.AGENCY_VIEWER, False, False),
        (Role.LEADER, False, False),
        ("", False, False),
    ],
)
def test_who_can_manage_users(role: str, is_superuser: bool, allowed: bool) -> None:
    assert can_manage_users(User(username="u", role=role, is_superuser=is_superuser)) is allowed


def test_the_system_itself_can_manage_users() -> None:
    assert can_manage_users(None)


def test_refusal_says_why_in_vietnamese() -> None:
    with pytest.raises(PermissionDenied, match="Chỉ quản trị hệ thống"):
        ensure_can_manage_users(User(username="xa", role=Role.COMMUNE_OFFICER))
