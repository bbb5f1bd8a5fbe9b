"""The geo admin pages are read-only."""

import pytest
from django.test import Client

from giamngheo.geo.models import VillageKind
from giamngheo.geo.services import village_create
from tests.accounts.factories import admin_factory
from tests.geo.factories import commune_factory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["adminunit", "village", "unitmapping"])
def test_admin_lists_are_read_only(client: Client, model: str) -> None:
    commune = commune_factory()
    village_create(commune=commune, code="01", name="Thôn 1", kind=VillageKind.THON, actor=None)
    client.force_login(admin_factory(is_superuser=True))

    listing = client.get(f"/admin/geo/{model}/")
    assert listing.status_code == 200
    assert client.get(f"/admin/geo/{model}/add/").status_code == 403
