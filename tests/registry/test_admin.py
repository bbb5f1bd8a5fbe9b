import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role
from tests.accounts.factories import user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["household", "member", "householdevent"])
def test_admin_changelists_render_and_are_read_only(client: Client, geo_map: Map, model: str) -> None:
    member_factory(household=household_factory(commune=geo_map.c1))
    client.force_login(user_factory(role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:registry_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:registry_{model}_add")).status_code == 403
