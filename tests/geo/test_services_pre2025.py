"""``units_load_pre2025`` and ``unit_mappings_load``: small sources, and the real package once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.geo.models import AdminUnit, Area, Generation, GeoAuditAction, Level, UnitMapping, UnitType
from giamngheo.geo.pre2025_source import OldToNew, OldUnit, Pre2025Source
from giamngheo.geo.services import (
    VALID_FROM_PRE_2025,
    VALID_TO_PRE_2025,
    unit_mappings_load,
    units_load_pre2025,
)
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory, province_factory

pytestmark = pytest.mark.django_db

P, D, C = Level.PROVINCE, Level.DISTRICT, Level.COMMUNE
UNITS = (
    OldUnit("62", "Tỉnh Kon Tum", P, UnitType.PROVINCE, "62", None),
    OldUnit("614", "Huyện Kon Rẫy", D, UnitType.RURAL_DISTRICT, "62", "62"),
    OldUnit("23479", "Thị trấn Đăk Rve", C, UnitType.TOWNSHIP, "62", "614"),
    OldUnit("23482", "Xã Đăk Kôi", C, UnitType.COMMUNE, "62", "614"),
    OldUnit("51", "Tỉnh Quảng Ngãi", P, UnitType.PROVINCE, "51", None),
    OldUnit("536", "Huyện Lý Sơn", D, UnitType.RURAL_DISTRICT, "51", "51"),
    OldUnit("522", "Thành phố Quảng Ngãi", D, UnitType.PROVINCIAL_CITY, "51", "51"),
    OldUnit("21001", "Phường Lê Hồng Phong", C, UnitType.WARD, "51", "522"),
)
MAPPINGS = (
    OldToNew("23479", C, "51", "Xã Đăk Rve", "23479", True),
    OldToNew("23482", C, "51", "Xã Đăk Kôi", "23485", True),
    OldToNew("23482", C, "51", "Xã Kon Braih", "23500", False),  # split
    OldToNew("536", D, "51", "Đặc khu Lý Sơn", "21548", True),  # island district without communes
    OldToNew("21001", C, "51", "Phường Cẩm Thành", "99999", True),  # package code differs: the name decides
)
SOURCE = Pre2025Source("thử 1.0", UNITS, MAPPINGS)


def _new_communes() -> dict[str, AdminUnit]:
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    return {
        name: commune_factory(province=province, code=code, name=name, unit_type=unit_type)
        for code, name, unit_type in (
            ("23479", "Xã Đăk Rve", UnitType.COMMUNE),
            ("23485", "Xã Đăk Kôi", UnitType.COMMUNE),
            ("23500", "Xã Kon Braih", UnitType.COMMUNE),
            ("21548", "Đặc khu Lý Sơn", UnitType.SPECIAL_ZONE),
            ("21025", "Phường Cẩm Thành", UnitType.WARD),
        )
    }


def test_units_load_pre2025_creates_three_tiers_with_types_areas_and_validity() -> None:
    counts = units_load_pre2025(actor=None, source=SOURCE)

    assert counts == {
        "provinces": 2,
        "provinces_created": 2,
        "districts": 3,
        "districts_created": 3,
        "communes": 3,
        "communes_created": 3,
        "commune": 1,
        "ward": 1,
        "township": 1,
    }
    old = AdminUnit.objects.filter(generation=Generation.PRE_2025)
    assert set(old.values_list("valid_from", "valid_to").distinct()) == {
        (VALID_FROM_PRE_2025, VALID_TO_PRE_2025)
    }
    rve = old.get(level=C, code="23479")
    assert (rve.name, rve.unit_type, rve.default_area, rve.province_code) == (
        "Thị trấn Đăk Rve",
        UnitType.TOWNSHIP,
        Area.URBAN,
        "62",
    )
    assert rve.parent is not None and rve.parent.parent is not None
    assert (rve.parent.code, rve.parent.level, rve.parent.parent.code) == ("614", D, "62")
    assert old.get(level=C, code="23482").default_area == Area.RURAL
    assert old.get(level=C, code="21001").default_area == Area.URBAN
    assert old.get(level=D, code="536").default_area == Area.UNSET
    event = AuditEvent.objects.get()
    assert (event.action, event.target_id) == (GeoAuditAction.UNITS_PRE2025_LOADED, "generation:pre-2025")
    assert event.after is not None and event.after["source"] == "thử 1.0"


def test_units_load_pre2025_is_idempotent_and_keeps_a_start_date_set_by_hand() -> None:
    units_load_pre2025(actor=None, source=SOURCE)
    AdminUnit.objects.filter(code="23482", level=C).update(
        valid_from=datetime.date(2019, 1, 1), name="Tên sai"
    )

    counts = units_load_pre2025(actor=None, source=SOURCE)

    assert (counts["provinces_created"], counts["districts_created"], counts["communes_created"]) == (0, 0, 0)
    assert AdminUnit.objects.filter(generation=Generation.PRE_2025).count() == 8
    dak_koi = AdminUnit.objects.get(generation=Generation.PRE_2025, level=C, code="23482")
    assert (dak_koi.name, dak_koi.valid_from) == ("Xã Đăk Kôi", datetime.date(2019, 1, 1))
    assert AuditEvent.objects.filter(action=GeoAuditAction.UNITS_PRE2025_LOADED).count() == 2


def test_national_loads_are_for_the_system_and_system_administrators_only() -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=province_factory(code="51"))
    with pytest.raises(PermissionDenied, match="quản trị hệ thống"):
        units_load_pre2025(actor=officer, source=SOURCE)
    with pytest.raises(PermissionDenied):
        unit_mappings_load(actor=officer, source=SOURCE)
    assert not AdminUnit.objects.filter(generation=Generation.PRE_2025).exists()

    admin = admin_factory()
    units_load_pre2025(actor=admin, source=SOURCE)
    assert AuditEvent.objects.get().actor == admin


def test_unit_mappings_load_needs_both_generations() -> None:
    with pytest.raises(ValidationError, match="Hãy nạp đơn vị hành chính 2025 và trước 2025"):
        unit_mappings_load(actor=None, source=SOURCE)
    _new_communes()
    with pytest.raises(ValidationError):
        unit_mappings_load(actor=None, source=SOURCE)
    assert not UnitMapping.objects.exists()


def test_unit_mappings_load_maps_whole_split_and_island_units_by_name() -> None:
    new = _new_communes()
    units_load_pre2025(actor=None, source=SOURCE)

    counts = unit_mappings_load(actor=None, source=SOURCE)

    assert counts == {
        "mappings": 5,
        "created": 5,
        "removed": 0,
        "old_units": 4,
        "split": 1,
        "new_units": 5,
        "unresolved": 0,
    }
    pairs = set(
        UnitMapping.objects.values_list(
            "old_unit__level", "old_unit__code", "new_unit__code", "is_default", "source"
        )
    )
    assert pairs == {
        (C, "23479", "23479", True, "thử 1.0"),
        (C, "23482", "23485", True, "thử 1.0"),
        (C, "23482", "23500", False, "thử 1.0"),
        (D, "536", "21548", True, "thử 1.0"),
        (C, "21001", "21025", True, "thử 1.0"),  # found by name, not by the package's code
    }
    assert set(UnitMapping.objects.values_list("province_code", flat=True)) == {"51"}
    assert new["Xã Đăk Kôi"].mappings_from_old.count() == 1
    event = AuditEvent.objects.get(action=GeoAuditAction.UNIT_MAPPINGS_LOADED)
    assert event.after is not None and event.after["unresolved_pairs"] == []


def test_unit_mappings_load_is_idempotent_skips_unknown_communes_and_drops_pairs_no_longer_listed() -> None:
    _new_communes()
    units_load_pre2025(actor=None, source=SOURCE)
    unit_mappings_load(actor=None, source=SOURCE)
    old_dak_koi = AdminUnit.objects.get(generation=Generation.PRE_2025, level=C, code="23482")
    by_hand = commune_factory(province=AdminUnit.objects.get(generation=Generation.Y2025, level=P, code="51"))
    UnitMapping.objects.create(
        old_unit=old_dak_koi, new_unit=by_hand, province_code="51", source="Nghị quyết"
    )

    changed = Pre2025Source(
        "thử 1.1",
        UNITS,
        (
            *MAPPINGS[:2],  # Đăk Kôi no longer split
            *MAPPINGS[3:],
            OldToNew("23479", C, "51", "Xã Không Có", "23999", False),
        ),
    )
    counts = unit_mappings_load(actor=None, source=changed)

    assert (counts["mappings"], counts["created"], counts["removed"], counts["unresolved"]) == (4, 0, 1, 1)
    assert set(UnitMapping.objects.values_list("new_unit__code", "source")) == {
        ("23479", "thử 1.1"),
        ("23485", "thử 1.1"),
        ("21548", "thử 1.1"),
        ("21025", "thử 1.1"),
        (by_hand.code, "Nghị quyết"),  # not from the package: kept
    }
    event = AuditEvent.objects.filter(action=GeoAuditAction.UNIT_MAPPINGS_LOADED).latest("pk")
    assert event.after is not None and event.after["unresolved_pairs"] == ["23479 → Xã Không Có (51)"]


def test_load_units_pre2025_loads_the_real_country() -> None:
    call_command("load_units", "--pre2025", stdout=open("/dev/null", "w"))  # noqa: SIM115

    old = AdminUnit.objects.filter(generation=Generation.PRE_2025)
    assert old.filter(level=P).count() == 63
    assert old.filter(level=D).count() == 696
    assert old.filter(level=C).count() == 10035
    assert not old.filter(level=C).exclude(mappings_to_new__isnull=False).exists()  # every old commune mapped
    assert UnitMapping.objects.count() == 10602
    assert not UnitMapping.objects.exclude(new_unit__generation=Generation.Y2025).exists()
    # The examples' units: Yên Bái's nine districts (2019), Kon Rẫy's seven communes (2022).
    assert old.filter(level=D, province_code="15").count() == 9
    kon_ray = old.get(level=D, name="Huyện Kon Rẫy")
    assert sorted(kon_ray.children.values_list("name", flat=True)) == [
        "Thị trấn Đăk Rve",
        "Xã Tân Lập",
        "Xã Đăk Kôi",
        "Xã Đăk Pne",
        "Xã Đăk Ruồng",
        "Xã Đăk Tơ Lung",
        "Xã Đăk Tờ Re",
    ]
    dak_koi_2025 = AdminUnit.objects.get(generation=Generation.Y2025, level=C, code="23485")
    assert set(
        UnitMapping.objects.filter(new_unit=dak_koi_2025).values_list("old_unit__name", flat=True)
    ) == {
        "Xã Đăk Kôi",
        "Xã Đăk Tơ Lung",
    }
