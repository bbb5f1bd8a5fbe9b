from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.permissions import (
    can_edit,
    can_manage_users,
    can_view,
    ensure_can_edit,
    ensure_can_manage_users,
    ensure_can_view,
)
from tests.accounts.conftest import Map
from tests.accounts.factories import admin_factory, scoped_user_factory, user_factory


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


# --- territory -------------------------------------------------------------------------------

VIEW = "view"
EDIT = "edit"


def _user(geo_map: Map, role: Role | str, scope: str, **fields: Any) -> User:
    if scope.startswith("v"):
        return scoped_user_factory(role=role, village=getattr(geo_map, scope), **fields)
    return scoped_user_factory(role=role, unit=getattr(geo_map, scope), **fields)


@pytest.mark.parametrize(
    ("role", "scope", "target", "can_see", "can_change"),
    [
        # province officer of 97: the whole province, not the neighbour
        (Role.PROVINCE_OFFICER, "p", "p", True, True),
        (Role.PROVINCE_OFFICER, "p", "c2", True, True),
        (Role.PROVINCE_OFFICER, "p", "v2", True, True),
        (Role.PROVINCE_OFFICER, "p", "old_commune", True, True),
        (Role.PROVINCE_OFFICER, "p", "q", False, False),
        (Role.PROVINCE_OFFICER, "p", "d1", False, False),
        (Role.PROVINCE_OFFICER, "p", "w1", False, False),
        # leader: sees the province, never edits
        (Role.LEADER, "p", "p", True, False),
        (Role.LEADER, "p", "c1", True, False),
        (Role.LEADER, "p", "v1", True, False),
        (Role.LEADER, "p", "d1", False, False),
        # agency viewer: sees what is assigned, never edits
        (Role.AGENCY_VIEWER, "c1", "c1", True, False),
        (Role.AGENCY_VIEWER, "c1", "v1", True, False),
        (Role.AGENCY_VIEWER, "c1", "c2", False, False),
        (Role.AGENCY_VIEWER, "c1", "p", False, False),
        # commune officer of c1: the commune and its villages, not the province or the neighbour
        (Role.COMMUNE_OFFICER, "c1", "c1", True, True),
        (Role.COMMUNE_OFFICER, "c1", "v1", True, True),
        (Role.COMMUNE_OFFICER, "c1", "v1b", True, True),
        (Role.COMMUNE_OFFICER, "c1", "c2", False, False),
        (Role.COMMUNE_OFFICER, "c1", "v2", False, False),
        (Role.COMMUNE_OFFICER, "c1", "p", False, False),
        # village surveyor of v1: edits v1 only; reads the commune's name
        (Role.VILLAGE_SURVEYOR, "v1", "v1", True, True),
        (Role.VILLAGE_SURVEYOR, "v1", "c1", True, False),
        (Role.VILLAGE_SURVEYOR, "v1", "v1b", False, False),
        (Role.VILLAGE_SURVEYOR, "v1", "v2", False, False),
        (Role.VILLAGE_SURVEYOR, "v1", "p", False, False),
        # system administrator: everywhere, with or without scope rows
        (Role.SYSTEM_ADMIN, "c1", "w1", True, True),
        (Role.SYSTEM_ADMIN, "c1", "q", True, True),
    ],
)
def test_view_and_edit_at_the_boundaries(
    geo_map: Map, role: Role, scope: str, target: str, can_see: bool, can_change: bool
) -> None:
    actor = _user(geo_map, role, scope)
    obj = getattr(geo_map, target)

    assert can_view(actor, obj) is can_see
    assert can_edit(actor, obj) is can_change
    if not can_see:
        with pytest.raises(PermissionDenied, match="Ngoài địa bàn của bạn"):
            ensure_can_view(actor, obj)
    else:
        ensure_can_view(actor, obj)
    if can_change:
        ensure_can_edit(actor, obj)
    else:
        with pytest.raises(PermissionDenied):
            ensure_can_edit(actor, obj)


@pytest.mark.parametrize(
    ("role", "scope", "target", "message"),
    [
        (Role.LEADER, "p", "c1", "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp"),
        (Role.LEADER, "p", "d1", "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp"),
        (Role.AGENCY_VIEWER, "c1", "v1", "Vai trò Cán bộ cơ quan chỉ được xem"),
        (Role.VILLAGE_SURVEYOR, "v1", "c1", "Rà soát viên thôn chỉ được sửa dữ liệu của thôn được giao"),
        (Role.VILLAGE_SURVEYOR, "v1", "v1b", "Ngoài địa bàn của bạn: Thôn V1B"),
        (Role.COMMUNE_OFFICER, "c1", "c2", "Ngoài địa bàn của bạn: Xã Thử 97002"),
        (Role.PROVINCE_OFFICER, "p", "w1", "Ngoài địa bàn của bạn"),
    ],
)
def test_edit_refusals_say_why(geo_map: Map, role: Role, scope: str, target: str, message: str) -> None:
    actor = _user(geo_map, role, scope)
    with pytest.raises(PermissionDenied, match=message):
        ensure_can_edit(actor, getattr(geo_map, target))


def test_inactive_and_roleless_accounts_are_refused_with_a_reason(geo_map: Map) -> None:
    inactive = _user(geo_map, Role.PROVINCE_OFFICER, "p", is_active=False)
    roleless = _user(geo_map, "", "p")
    inactive_admin = admin_factory(is_active=False)
    for actor, reason in [
        (inactive, "đã bị khóa"),
        (inactive_admin, "đã bị khóa"),
        (roleless, "chưa được gán vai trò"),
    ]:
        with pytest.raises(PermissionDenied, match=reason):
            ensure_can_view(actor, geo_map.c1)
        with pytest.raises(PermissionDenied, match=reason):
            ensure_can_edit(actor, geo_map.v1)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_an_unassigned_user_can_neither_see_nor_edit(geo_map: Map, role: Role) -> None:
    actor = user_factory(role=role)
    for target in (geo_map.p, geo_map.c1, geo_map.v1):
        assert not can_view(actor, target)
        assert not can_edit(actor, target)


def test_the_system_itself_may_do_anything(geo_map: Map) -> None:
    ensure_can_view(None, geo_map.w1)
    ensure_can_edit(None, geo_map.w1)
