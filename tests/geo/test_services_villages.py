"""``village_create``."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.geo.models import GeoAuditAction, Village, VillageKind
from giamngheo.geo.services import village_create
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory

pytestmark = pytest.mark.django_db


def test_village_create_writes_the_village_and_one_audit_row() -> None:
    actor = admin_factory()
    commune = commune_factory(code="23497")

    village = village_create(
        commune=commune,
        code="01",
        name=" Thôn Kon Rẫy ",
        kind=VillageKind.THON,
        actor=actor,
        valid_from=datetime.date(2025, 7, 1),
    )

    village.refresh_from_db()
    assert (village.commune, village.code, village.name, village.kind) == (
        commune,
        "01",
        "Thôn Kon Rẫy",
        "thon",
    )
    assert village.province_code == commune.province_code
    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (actor, GeoAuditAction.VILLAGE_CREATED)
    assert (event.target_type, event.target_id) == ("geo.village", str(village.pk))
    assert event.after == {
        "commune": "23497",
        "code": "01",
        "name": "Thôn Kon Rẫy",
        "kind": "thon",
        "valid_from": "2025-07-01",
    }


def test_village_create_refuses_a_duplicate_a_bad_kind_a_province_and_a_closed_commune() -> None:
    commune = commune_factory()
    village_create(commune=commune, code="01", name="Thôn 1", kind=VillageKind.THON, actor=None)

    with pytest.raises(ValidationError):
        village_create(commune=commune, code="01", name="Thôn khác", kind=VillageKind.THON, actor=None)
    with pytest.raises(ValidationError) as excinfo:
        village_create(commune=commune, code="02", name="Thôn 2", kind="xom_lieu", actor=None)
    assert "kind" in excinfo.value.message_dict
    assert commune.parent is not None
    with pytest.raises(ValidationError) as excinfo:
        village_create(commune=commune.parent, code="03", name="Thôn 3", kind=VillageKind.BAN, actor=None)
    assert excinfo.value.message_dict["commune"] == ["Thôn chỉ thuộc về một đơn vị cấp xã."]
    closed = commune_factory(valid_to=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        village_create(commune=closed, code="01", name="Thôn 1", kind=VillageKind.THON, actor=None)

    assert Village.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_village_create_cannot_be_nested_in_another_transaction() -> None:
    commune = commune_factory()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        village_create(commune=commune, code="01", name="Thôn 1", kind=VillageKind.THON, actor=None)


def test_village_create_is_refused_outside_the_actors_commune() -> None:
    mine, other = commune_factory(code="23497"), commune_factory(code="23500")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=mine)
    village_create(commune=mine, code="01", name="Thôn 1", kind=VillageKind.THON, actor=officer)
    with pytest.raises(PermissionDenied, match="Ngoài địa bàn"):
        village_create(commune=other, code="01", name="Thôn 1", kind=VillageKind.THON, actor=officer)
    assert Village.objects.filter(commune=other).count() == 0
