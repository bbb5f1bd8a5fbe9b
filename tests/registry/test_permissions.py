import pytest
from django.contrib.auth.models import AnonymousUser

from giamngheo.accounts.models import Role
from giamngheo.registry.permissions import MASK, can_see_personal_ids, mask_citizen_id, registry_refusal
from tests.accounts.factories import admin_factory, user_factory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "opens", "ids"),
    [
        (Role.SYSTEM_ADMIN, True, True),
        (Role.PROVINCE_OFFICER, True, True),
        (Role.COMMUNE_OFFICER, True, True),
        (Role.VILLAGE_SURVEYOR, True, True),
        (Role.AGENCY_VIEWER, True, False),
        (Role.LEADER, False, False),
        ("", False, False),
    ],
)
def test_who_opens_the_registry_and_who_reads_ids(role: str, opens: bool, ids: bool) -> None:
    user = user_factory(role=role)
    assert (registry_refusal(user) is None) == opens
    assert can_see_personal_ids(user) == ids


def test_refusals_say_why() -> None:
    assert "Lãnh đạo chỉ xem số liệu tổng hợp" in str(registry_refusal(user_factory(role=Role.LEADER)))
    assert "đăng nhập" in str(registry_refusal(AnonymousUser()))
    assert "bị khóa" in str(registry_refusal(user_factory(role=Role.COMMUNE_OFFICER, is_active=False)))
    assert not can_see_personal_ids(user_factory(role=Role.COMMUNE_OFFICER, is_active=False))
    assert can_see_personal_ids(admin_factory())
    assert not can_see_personal_ids(None)


def test_mask_shows_no_digit() -> None:
    assert mask_citizen_id("079080001234") == MASK
    assert not any(ch.isdigit() for ch in MASK)
    assert mask_citizen_id(None) == "" and mask_citizen_id("") == ""
