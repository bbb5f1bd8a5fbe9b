"""CSV imports of pre-2025 units and of old → new mappings: all rows or none."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

import giamngheo.geo
from giamngheo.accounts.models import AuditEvent
from giamngheo.geo.models import AdminUnit, Area, Generation, GeoAuditAction, Level, UnitMapping, UnitType
from giamngheo.geo.services import ImportRejected, RowError, unit_mappings_import_csv, units_import_csv
from tests.accounts.factories import admin_factory
from tests.geo.factories import commune_factory, province_factory

pytestmark = pytest.mark.django_db

DATA = Path(giamngheo.geo.__file__).parent / "data"
HEADER = (
    "province_code,province_name,district_code,district_name,commune_code,commune_name,commune_type,"
    "valid_from,valid_to\n"
)
GOOD = HEADER + (
    "62,Tỉnh Thử,614,Huyện Thử,99001,Thị trấn Thử,thị trấn,2008-01-01,2025-06-30\n"
    "62,Tỉnh Thử,614,Huyện Thử,99002,Xã Thử Một,xã,01/01/2008,30/06/2025\n"
    "1,Thành phố Thử,1,Quận Thử,4,Phường Thử,phường,2008-08-01,\n"
)


def _import(text: str, **kwargs: object) -> dict[str, int]:
    return units_import_csv(file=StringIO(text), generation=Generation.PRE_2025, actor=None, **kwargs)


def _rejected(text: str) -> list[RowError]:
    with pytest.raises(ImportRejected) as excinfo:
        _import(text)
    return excinfo.value.errors


def test_units_import_creates_three_tiers_with_types_areas_and_dates() -> None:
    actor = admin_factory()
    counts = units_import_csv(file=StringIO(GOOD), generation="pre-2025", actor=actor)

    assert counts == {"provinces": 2, "districts": 2, "communes": 3, "created": 7}
    units = AdminUnit.objects.filter(generation=Generation.PRE_2025)
    township = units.get(level=Level.COMMUNE, code="99001")
    assert (township.unit_type, township.default_area) == (UnitType.TOWNSHIP, Area.URBAN)
    assert (township.valid_from, township.valid_to) == (datetime.date(2008, 1, 1), datetime.date(2025, 6, 30))
    assert township.parent is not None
    assert (township.parent.code, township.parent.unit_type) == ("614", UnitType.RURAL_DISTRICT)
    assert township.parent.parent is not None
    assert township.parent.parent.code == "62"
    assert units.get(code="99002").default_area == Area.RURAL
    ward = units.get(level=Level.COMMUNE, code="00004")  # leading zeros restored
    assert (ward.unit_type, ward.default_area, ward.province_code, ward.valid_to) == (
        UnitType.WARD,
        Area.URBAN,
        "01",
        None,
    )
    assert units.get(level=Level.DISTRICT, code="001").unit_type == UnitType.URBAN_DISTRICT
    assert units.get(level=Level.PROVINCE, code="01").unit_type == UnitType.CENTRAL_CITY
    # The province and district span their communes.
    assert units.get(level=Level.PROVINCE, code="62").valid_to == datetime.date(2025, 6, 30)
    assert units.get(level=Level.PROVINCE, code="01").valid_to is None

    event = AuditEvent.objects.get()
    assert (event.actor, event.action) == (actor, GeoAuditAction.UNITS_IMPORTED)
    assert event.after == counts


def test_units_import_twice_updates_and_creates_nothing() -> None:
    _import(GOOD)
    pks = set(AdminUnit.objects.values_list("pk", flat=True))
    counts = _import(GOOD.replace("Xã Thử Một", "Xã Thử Một Mới"))
    assert counts["created"] == 0
    assert set(AdminUnit.objects.values_list("pk", flat=True)) == pks
    assert AdminUnit.objects.get(code="99002").name == "Xã Thử Một Mới"


def test_units_import_saves_nothing_when_one_row_is_bad_and_lists_every_error() -> None:
    bad = GOOD + (
        "62,Tỉnh Thử,614,Huyện Thử,99003,,xã,2008-01-01,\n"  # row 5: missing name
        "62,Tỉnh Thử,614,Huyện Thử,ABC,Xã Lạ,ấp,2008-13-01,\n"  # row 6: bad code, type, date
        "62,Tỉnh Khác,614,Huyện Thử,99004,Xã Bốn,xã,2008-01-01,2007-01-01\n"  # row 7
        "62,Tỉnh Thử,614,Huyện Thử,99001,Xã Trùng,xã,2008-01-01,\n"  # row 8: duplicate commune code
    )
    errors = _rejected(bad)

    assert not AdminUnit.objects.exists()
    assert not AuditEvent.objects.exists()
    found = {(e.row, e.column) for e in errors}
    assert found == {
        (5, "commune_name"),
        (6, "commune_code"),
        (6, "commune_type"),
        (6, "valid_from"),
        (7, "valid_to"),
        (7, "province_name"),
        (8, "commune_code"),
    }
    by_place = {(e.row, e.column): e for e in errors}
    assert by_place[5, "commune_name"].message == "Thiếu tên xã."
    assert by_place[6, "commune_code"].value == "ABC"
    assert by_place[6, "commune_code"].message == "Mã xã “ABC” không hợp lệ: phải gồm 5 chữ số."
    assert "2008-13-01" in by_place[6, "valid_from"].message
    assert by_place[7, "province_name"].message == "Mã tỉnh 62 đã có tên “Tỉnh Thử” ở dòng 2."
    assert by_place[8, "commune_code"].message == "Mã xã 99001 trùng với dòng 2."


def test_units_import_reports_missing_columns_on_the_header_row() -> None:
    errors = _rejected("province_code,province_name\n62,Tỉnh Thử\n")
    assert {(e.row, e.column) for e in errors} >= {(1, "district_code"), (1, "valid_from")}
    assert errors[0].message.startswith("Thiếu cột")


def test_units_import_rejects_an_unknown_district_type_and_an_empty_file() -> None:
    errors = _rejected(HEADER + "62,Tỉnh Thử,614,Thử,99001,Xã Một,xã,2008-01-01,\n")
    assert [(e.row, e.column) for e in errors] == [(2, "district_name")]
    assert [(e.row, e.column) for e in _rejected(HEADER)] == [(1, "")]


def test_units_import_refuses_the_two_tier_generation() -> None:
    with pytest.raises(ValidationError):
        units_import_csv(file=StringIO(GOOD), generation=Generation.Y2025, actor=None)


# --- Mappings ---------------------------------------------------------------------------------------

MAPPING_HEADER = "old_commune_code,new_commune_code,source\n"


@pytest.fixture
def new_commune() -> AdminUnit:
    return commune_factory(province=province_factory(code="51"), code="23497", name="Xã Mới")


def test_mapping_import_links_old_to_new_communes(new_commune: AdminUnit) -> None:
    _import(GOOD)
    text = MAPPING_HEADER + "99001,23497,Nghị quyết thử\n99002,23497,Nghị quyết thử\n"

    counts = unit_mappings_import_csv(file=StringIO(text), actor=None)

    assert counts == {"mappings": 2, "created": 2}
    assert set(UnitMapping.objects.values_list("old_unit__code", "new_unit__code", "province_code")) == {
        ("99001", "23497", "51"),
        ("99002", "23497", "51"),
    }
    assert AuditEvent.objects.filter(action=GeoAuditAction.UNIT_MAPPINGS_IMPORTED).count() == 1

    again = unit_mappings_import_csv(file=StringIO(text.replace("thử", "sửa")), actor=None)
    assert again == {"mappings": 2, "created": 0}
    assert set(UnitMapping.objects.values_list("source", flat=True)) == {"Nghị quyết sửa"}


def test_mapping_import_rejects_unknown_codes_and_saves_nothing(new_commune: AdminUnit) -> None:
    _import(GOOD)
    text = MAPPING_HEADER + (
        "99001,23497,Nghị quyết thử\n"  # fine
        "99009,23497,Nghị quyết thử\n"  # unknown old commune
        "99002,99999,\n"  # unknown new commune, no source
        "99001,23497,Lặp lại\n"  # duplicate pair
        "23497,99001,Đảo ngược\n"  # a 2025 code is not an old commune (and vice versa)
    )
    with pytest.raises(ImportRejected) as excinfo:
        unit_mappings_import_csv(file=StringIO(text), actor=None)

    assert not UnitMapping.objects.exists()
    assert [(e.row, e.column) for e in excinfo.value.errors] == [
        (3, "old_commune_code"),
        (4, "source"),
        (5, "new_commune_code"),
        (6, "old_commune_code"),
        (6, "new_commune_code"),
    ]
    assert excinfo.value.errors[0].message == (
        "Không có xã cũ (trước 2025) mã 99009; hãy nhập đơn vị cũ trước."
    )
    assert excinfo.value.message == "Tệp có 5 lỗi; không có dòng nào được lưu."


# --- Commands and the example files -----------------------------------------------------------------


def test_import_commands_load_the_example_files() -> None:
    commune_factory(province=province_factory(code="99"), code="99901")
    out = StringIO()
    call_command("import_units", str(DATA / "example_units_pre2025.csv"), stdout=out)
    call_command("import_unit_mappings", str(DATA / "example_unit_mappings.csv"), stdout=out)

    assert "1 provinces, 1 districts, 2 communes imported (4 created)." in out.getvalue()
    assert "2 mappings imported (2 created)." in out.getvalue()
    assert UnitMapping.objects.count() == 2


def test_import_command_prints_the_row_errors_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "62,Tỉnh Thử,614,Huyện Thử,99001,,xã,2008-01-01,\n", encoding="utf-8-sig")
    err = StringIO()
    with pytest.raises(CommandError, match="không có dòng nào được lưu"):
        call_command("import_units", str(bad), stderr=err)
    assert "Dòng 2, cột commune_name, giá trị “”: Thiếu tên xã." in err.getvalue()
    assert not AdminUnit.objects.exists()
