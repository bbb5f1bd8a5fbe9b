"""``village_create``, ``village_update``, ``village_close``."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.geo.models import AdminUnit, GeoAuditAction, Level, UnitMapping, Village, VillageKind
from giamngheo.geo.services import NOT_GIVEN, village_close, village_create, village_update
from giamngheo.registry.models import HouseholdStatus
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory, old_unit_factory, village_factory
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
        "former_commune": None,
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
        {"name": "Thôn 1", "kind": "thon", "former_commune": None},
        {"name": "Thôn Kon Bdêu", "kind": "lang", "former_commune": None},
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


# --- former commune (xã cũ) -------------------------------------------------------------------------


def _map(old: AdminUnit, new: AdminUnit) -> None:
    UnitMapping.objects.create(old_unit=old, new_unit=new, province_code=new.province_code, source="thử")


@pytest.fixture
def merged() -> dict[str, AdminUnit]:
    """Xã Đăk Kôi (2025) made of Xã Đăk Kôi and Xã Đăk Tơ Lung of Huyện Kon Rẫy and of the island
    district Huyện Đảo Thử (no communes); Xã Đăk Pne went into Xã Đăk Rve."""
    commune = commune_factory(code="23485", name="Xã Đăk Kôi")
    neighbour = commune_factory(code="23479", name="Xã Đăk Rve")
    old_province = old_unit_factory(code="62", level=Level.PROVINCE, name="Tỉnh Kon Tum")
    district = old_unit_factory(code="610", level=Level.DISTRICT, parent=old_province, name="Huyện Kon Rẫy")
    island = old_unit_factory(code="611", level=Level.DISTRICT, parent=old_province, name="Huyện Đảo Thử")
    a = old_unit_factory(code="23482", level=Level.COMMUNE, parent=district, name="Xã Đăk Kôi")
    b = old_unit_factory(code="23485", level=Level.COMMUNE, parent=district, name="Xã Đăk Tơ Lung")
    other = old_unit_factory(code="23491", level=Level.COMMUNE, parent=district, name="Xã Đăk Pne")
    for old, new in ((a, commune), (b, commune), (island, commune), (other, neighbour)):
        _map(old, new)
    return {"commune": commune, "a": a, "b": b, "island": island, "other": other}


def test_village_create_keeps_a_former_commune_of_the_commune_and_audits_its_code(
    merged: dict[str, AdminUnit],
) -> None:
    village = village_create(
        commune=merged["commune"],
        code="T02",
        name="Thôn 2",
        kind=VillageKind.THON,
        actor=None,
        former_commune=merged["b"],
    )

    assert Village.objects.get(pk=village.pk).former_commune == merged["b"]
    event = AuditEvent.objects.get()
    assert event.after is not None
    assert event.after["former_commune"] == "23485"


@pytest.mark.parametrize("which", ["other", "island", "commune"])
def test_village_create_refuses_a_unit_that_did_not_go_into_the_commune(
    merged: dict[str, AdminUnit], which: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        village_create(
            commune=merged["commune"],
            code="T02",
            name="Thôn 2",
            kind=VillageKind.THON,
            actor=None,
            former_commune=merged[which],
        )

    assert excinfo.value.message_dict == {
        "former_commune": ["Xã cũ phải là một trong các xã đã nhập vào Xã Đăk Kôi."]
    }
    assert not Village.objects.exists()
    assert not AuditEvent.objects.exists()


def test_village_update_sets_changes_keeps_and_clears_the_former_commune(
    merged: dict[str, AdminUnit],
) -> None:
    village = village_factory(commune=merged["commune"], code="T01", name="Thôn 1")

    village_update(village=village, name="Thôn 1", former_commune=merged["a"], actor=None)
    village_update(village=village, name="Thôn 1", former_commune=merged["a"], actor=None)  # no change
    village_update(village=village, name="Thôn Một", actor=None)  # not given: kept
    assert Village.objects.get(pk=village.pk).former_commune == merged["a"]
    village_update(village=village, name="Thôn Một", former_commune=merged["b"], actor=None)
    village_update(village=village, name="Thôn Một", former_commune=NOT_GIVEN, actor=None)  # no change
    assert Village.objects.get(pk=village.pk).former_commune == merged["b"]
    village_update(village=village, name="Thôn Một", former_commune=None, actor=None)

    assert Village.objects.get(pk=village.pk).former_commune is None
    events = list(AuditEvent.objects.filter(action=GeoAuditAction.VILLAGE_UPDATED).order_by("pk"))
    assert [(e.before, e.after) for e in events] == [
        (
            {"name": "Thôn 1", "kind": "thon", "former_commune": None},
            {"name": "Thôn 1", "kind": "thon", "former_commune": "23482"},
        ),
        (
            {"name": "Thôn 1", "kind": "thon", "former_commune": "23482"},
            {"name": "Thôn Một", "kind": "thon", "former_commune": "23482"},
        ),
        (
            {"name": "Thôn Một", "kind": "thon", "former_commune": "23482"},
            {"name": "Thôn Một", "kind": "thon", "former_commune": "23485"},
        ),
        (
            {"name": "Thôn Một", "kind": "thon", "former_commune": "23485"},
            {"name": "Thôn Một", "kind": "thon", "former_commune": None},
        ),
    ]


def test_village_update_refuses_a_former_commune_of_another_commune(merged: dict[str, AdminUnit]) -> None:
    village = village_factory(commune=merged["commune"], name="Thôn 1", former_commune=merged["a"])

    with pytest.raises(ValidationError) as excinfo:
        village_update(village=village, name="Thôn Mới", former_commune=merged["other"], actor=None)

    assert excinfo.value.message_dict == {
        "former_commune": ["Xã cũ phải là một trong các xã đã nhập vào Xã Đăk Kôi."]
    }
    stored = Village.objects.get(pk=village.pk)
    assert (stored.name, stored.former_commune) == ("Thôn 1", merged["a"])
    assert not AuditEvent.objects.exists()
