"""``village_create``, ``village_update``, ``village_close``."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.geo.models import GeoAuditAction, Village, VillageKind
from giamngheo.geo.services import village_close, village_create, village_update
from giamngheo.registry.models import HouseholdStatus
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory, village_factory
from tests.registry.factories import household_factory

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


# --- village_update, village_close ------------------------------------------------------------------


def test_village_create_says_which_village_already_has_the_code() -> None:
    commune = commune_factory(name="Xã Đăk Kôi")
    village_factory(commune=commune, code="T01", name="Thôn 1")
    with pytest.raises(ValidationError) as excinfo:
        village_create(commune=commune, code=" T01 ", name="Thôn Mới", kind=VillageKind.THON, actor=None)
    assert excinfo.value.message_dict == {"code": ["Xã Đăk Kôi đã có thôn mã T01 (Thôn 1)."]}


def test_village_update_renames_with_one_audit_row_and_skips_no_change() -> None:
    commune = commune_factory()
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=commune)
    village = village_factory(commune=commune, code="T01", name="Thôn 1")

    village_update(village=village, name=" Thôn Kon Bdêu ", kind=VillageKind.LANG, actor=officer)
    village_update(village=village, name="Thôn Kon Bdêu", kind=VillageKind.LANG, actor=officer)

    village.refresh_from_db()
    assert (village.name, village.kind) == ("Thôn Kon Bdêu", "lang")
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_id) == (
        officer,
        GeoAuditAction.VILLAGE_UPDATED,
        str(village.pk),
    )
    assert (event.before, event.after) == (
        {"name": "Thôn 1", "kind": "thon"},
        {"name": "Thôn Kon Bdêu", "kind": "lang"},
    )


def test_village_update_refuses_an_empty_name_a_closed_village_and_a_surveyor() -> None:
    commune = commune_factory()
    village = village_factory(commune=commune, name="Thôn 1")
    closed = village_factory(commune=commune, valid_to=datetime.date(2025, 8, 1))
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=village)

    with pytest.raises(ValidationError) as excinfo:
        village_update(village=village, name="  ", actor=None)
    assert "name" in excinfo.value.message_dict
    with pytest.raises(ValidationError, match="đã đóng từ 01/08/2025"):
        village_update(village=closed, name="Tên khác", actor=None)
    with pytest.raises(PermissionDenied, match="Rà soát viên thôn"):
        village_update(village=village, name="Tên khác", actor=surveyor)
    assert Village.objects.get(pk=village.pk).name == "Thôn 1"
    assert not AuditEvent.objects.exists()


def test_village_close_sets_valid_to_and_keeps_the_households_history() -> None:
    commune = commune_factory()
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=commune)
    village = village_factory(commune=commune, valid_from=datetime.date(2025, 7, 1))
    gone = household_factory(commune=commune, village=village, status=HouseholdStatus.MOVED_OUT)

    village_close(village=village, valid_to=datetime.date(2025, 12, 31), actor=officer)

    village.refresh_from_db()
    assert village.valid_to == datetime.date(2025, 12, 31)
    gone.refresh_from_db()
    assert gone.village == village
    event = AuditEvent.objects.get()
    assert (event.action, event.before, event.after) == (
        GeoAuditAction.VILLAGE_CLOSED,
        {"valid_to": None},
        {"valid_to": "2025-12-31"},
    )


def test_village_close_is_refused_while_active_households_belong_to_it() -> None:
    commune = commune_factory()
    village = village_factory(commune=commune, name="Thôn 1")
    household_factory(commune=commune, village=village)
    household_factory(commune=commune, village=village)
    household_factory(commune=commune, village=village, status=HouseholdStatus.MERGED)

    with pytest.raises(ValidationError) as excinfo:
        village_close(village=village, valid_to=datetime.date(2025, 12, 31), actor=None)

    assert excinfo.value.messages == [
        "Không thể đóng Thôn 1: còn 2 hộ đang sinh sống thuộc thôn này. "
        "Hãy chuyển các hộ đó sang thôn khác trước."
    ]
    assert Village.objects.get(pk=village.pk).valid_to is None
    assert not AuditEvent.objects.exists()


def test_village_close_checks_the_date_and_the_actor() -> None:
    commune = commune_factory()
    village = village_factory(commune=commune, valid_from=datetime.date(2025, 7, 1))
    agency = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=commune)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        village_close(village=village, valid_to=datetime.date(2025, 6, 30), actor=None)
    assert excinfo.value.message_dict == {
        "valid_to": ["Ngày đóng thôn không được trước ngày thôn bắt đầu hiệu lực (01/07/2025)."]
    }
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        village_close(village=village, valid_to=tomorrow, actor=None)
    with pytest.raises(PermissionDenied, match="chỉ được xem"):
        village_close(village=village, valid_to=datetime.date(2025, 12, 31), actor=agency)
    village_close(village=village, valid_to=datetime.date(2025, 12, 31), actor=None)
    with pytest.raises(ValidationError, match="đã đóng"):
        village_close(village=village, valid_to=datetime.date(2025, 12, 31), actor=None)
