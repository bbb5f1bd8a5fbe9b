"""``units_load_2025`` against the pinned vietnam-provinces package (the real 2025 map)."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.models import AdminUnit, Area, Generation, GeoAuditAction, Level, UnitType
from giamngheo.geo.services import units_load_2025
from tests.accounts.factories import admin_factory

pytestmark = pytest.mark.django_db


def test_load_creates_34_provinces_and_3321_communes_with_one_audit_row() -> None:
    actor = admin_factory()

    counts = units_load_2025(actor=actor)

    units = AdminUnit.objects.filter(generation=Generation.Y2025)
    assert units.filter(level=Level.PROVINCE).count() == 34
    assert units.filter(level=Level.COMMUNE).count() == 3321
    assert not units.filter(level=Level.DISTRICT).exists()
    by_type = Counter(units.filter(level=Level.COMMUNE).values_list("unit_type", flat=True))
    assert by_type == {UnitType.COMMUNE: 2621, UnitType.WARD: 687, UnitType.SPECIAL_ZONE: 13}
    assert Counter(units.filter(level=Level.PROVINCE).values_list("unit_type", flat=True)) == {
        UnitType.PROVINCE: 28,
        UnitType.CENTRAL_CITY: 6,
    }
    assert counts["provinces_created"] == 34
    assert counts["communes_created"] == 3321

    event = AuditEvent.objects.get()
    assert event.actor == actor
    assert event.action == GeoAuditAction.UNITS_LOADED
    assert event.action == "units.loaded"
    assert (event.target_type, event.target_id) == ("geo.adminunit", "generation:2025")
    assert event.after is not None
    assert event.after["communes"] == 3321
    assert event.after["special_zone"] == 13
    assert event.after["source"] == "vietnam-provinces 2025.10.1"


def test_load_codes_names_parents_dates_and_default_areas() -> None:
    units_load_2025()

    hanoi = AdminUnit.objects.get(generation="2025", level=Level.PROVINCE, code="01")
    assert (hanoi.name, hanoi.unit_type, hanoi.parent) == ("Thành phố Hà Nội", UnitType.CENTRAL_CITY, None)
    hoan_kiem = AdminUnit.objects.get(generation="2025", level=Level.COMMUNE, code="00070")
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent == hanoi
    assert hoan_kiem.province_code == "01"
    assert (hoan_kiem.valid_from, hoan_kiem.valid_to) == (datetime.date(2025, 7, 1), None)

    communes = AdminUnit.objects.filter(generation="2025", level=Level.COMMUNE)
    assert not communes.filter(unit_type=UnitType.WARD).exclude(default_area=Area.URBAN).exists()
    assert not communes.filter(unit_type=UnitType.COMMUNE).exclude(default_area=Area.RURAL).exists()
    assert set(communes.filter(unit_type=UnitType.SPECIAL_ZONE).values_list("default_area", flat=True)) == {
        ""
    }
    # Every commune carries its parent's province code.
    assert not communes.exclude(province_code=F("parent__code")).exists()
    assert all(len(code) == 5 for code in communes.values_list("code", flat=True))


def test_second_load_changes_nothing_and_keeps_a_special_zone_area_set_by_hand() -> None:
    units_load_2025()
    zone = AdminUnit.objects.filter(unit_type=UnitType.SPECIAL_ZONE).first()
    assert zone is not None
    AdminUnit.objects.filter(pk=zone.pk).update(default_area=Area.RURAL)
    AdminUnit.objects.filter(generation="2025", code="00070").update(name="Tên sai")
    pks = set(AdminUnit.objects.values_list("pk", flat=True))

    counts = units_load_2025()

    assert counts["provinces_created"] == counts["communes_created"] == 0
    assert set(AdminUnit.objects.values_list("pk", flat=True)) == pks
    assert AdminUnit.objects.get(generation="2025", code="00070").name == "Phường Hoàn Kiếm"
    zone.refresh_from_db()
    assert zone.default_area == Area.RURAL
    assert AuditEvent.objects.count() == 2


def test_load_units_command() -> None:
    out = StringIO()
    call_command("load_units", stdout=out)
    assert "34 provinces (34 created), 3321 communes (3321 created)" in out.getvalue()
    assert "2621 xã, 687 phường, 13 đặc khu" in out.getvalue()
