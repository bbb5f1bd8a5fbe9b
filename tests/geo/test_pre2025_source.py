"""Reading the pre-2025 map and the old → new mapping from ``vietnamadminunits``' data files."""

from typing import Any

import pytest

from giamngheo.geo.models import Level, UnitType
from giamngheo.geo.pre2025_source import OldToNew, OldUnit, SourceError, _parse, read_package

# Rows as in the package's SQLite tables (see ``read_package``).
OLD_ROWS: list[tuple[Any, ...]] = [
    (
        "62",
        "Tỉnh Kon Tum",
        "614",
        "Huyện Kon Rẫy",
        "Huyện",
        "23479",
        "Thị trấn Đăk Rve",
        "Thị trấn",
        "kt",
        "kr",
        "dr",
    ),
    ("62", "Tỉnh Kon Tum", "614", "Huyện Kon Rẫy", "Huyện", "23482", "Xã Đăk Kôi", "Xã", "kt", "kr", "dk"),
    ("51", "Tỉnh Quảng Ngãi", "536", "Huyện Lý Sơn", "Huyện", None, None, None, "qn", "ls", None),
    (
        "01",
        "Thành phố Hà Nội",
        "001",
        "Quận Ba Đình",
        "Quận",
        "00004",
        "Phường Trúc Bạch",
        "Phường",
        "hn",
        "bd",
        "tb",
    ),
]
NEW_ROWS: list[tuple[Any, ...]] = [
    ("51", "Xã Đăk Rve", "23479", "qn", "xdr"),
    ("51", "Xã Đăk Kôi", "23485", "qn", "xdk"),
    ("51", "Xã Kon Braih", "23500", "qn", "xkb"),
    ("51", "Đặc khu Lý Sơn", "21548", "qn", "dkls"),
    ("01", "Phường Ba Đình", "00004", "hn", "pbd"),
]
CONVERTER: dict[str, Any] = {
    "DICT_PROVINCE": {},
    "DICT_PROVINCE_WARD_NO_DIVIDED": {
        "qn": {"xdr": ["kt_kr_dr"], "dkls": ["qn_ls_"]},
        "hn": {"pbd": ["hn_bd_tb"]},
    },
    "DICT_PROVINCE_WARD_DIVIDED": {
        "qn": {
            "kt_kr_dk": [
                {"newWardKey": "xdk", "isDefaultNewWard": True},
                {"newWardKey": "xkb", "isDefaultNewWard": False},
            ]
        }
    },
}


def test_parse_builds_the_three_tiers_with_their_types() -> None:
    source = _parse("thử 1.0", OLD_ROWS, NEW_ROWS, CONVERTER)

    units = {(u.level, u.code): u for u in source.units}
    assert source.name == "thử 1.0"
    assert units[(Level.PROVINCE, "62")] == OldUnit(
        "62", "Tỉnh Kon Tum", Level.PROVINCE, UnitType.PROVINCE, "62", None
    )
    assert units[(Level.PROVINCE, "01")].unit_type == UnitType.CENTRAL_CITY
    assert units[(Level.DISTRICT, "614")] == OldUnit(
        "614", "Huyện Kon Rẫy", Level.DISTRICT, UnitType.RURAL_DISTRICT, "62", "62"
    )
    assert units[(Level.DISTRICT, "001")].unit_type == UnitType.URBAN_DISTRICT
    assert units[(Level.COMMUNE, "23479")] == OldUnit(
        "23479", "Thị trấn Đăk Rve", Level.COMMUNE, UnitType.TOWNSHIP, "62", "614"
    )
    assert units[(Level.COMMUNE, "00004")].unit_type == UnitType.WARD
    assert len(source.units) == 3 + 3 + 3  # Lý Sơn: a district without communes


def test_parse_maps_whole_split_and_island_units() -> None:
    source = _parse("thử 1.0", OLD_ROWS, NEW_ROWS, CONVERTER)

    assert set(source.mappings) == {
        OldToNew("23479", Level.COMMUNE, "51", "Xã Đăk Rve", "23479", True),
        OldToNew("536", Level.DISTRICT, "51", "Đặc khu Lý Sơn", "21548", True),
        OldToNew("00004", Level.COMMUNE, "01", "Phường Ba Đình", "00004", True),
        OldToNew("23482", Level.COMMUNE, "51", "Xã Đăk Kôi", "23485", True),
        OldToNew("23482", Level.COMMUNE, "51", "Xã Kon Braih", "23500", False),
    }


def test_parse_refuses_what_it_does_not_understand() -> None:
    with pytest.raises(SourceError, match="district type"):
        _parse("x", [(*OLD_ROWS[0][:4], "Quận huyện", *OLD_ROWS[0][5:])], NEW_ROWS, CONVERTER)
    with pytest.raises(SourceError, match="not in the list of old units"):
        _parse("x", OLD_ROWS[:1], NEW_ROWS, CONVERTER)
    with pytest.raises(SourceError, match="not in the 2025 list"):
        _parse("x", OLD_ROWS, NEW_ROWS[:1], CONVERTER)


def test_the_package_holds_the_whole_pre_2025_map_and_maps_every_old_unit() -> None:
    source = read_package()

    assert source.name.startswith("vietnamadminunits ")
    by_level = {level: [u for u in source.units if u.level == level] for level in Level}
    assert [len(by_level[level]) for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)] == [
        63,
        696,
        10035,
    ]
    communes = {u.code for u in by_level[Level.COMMUNE]}
    mapped = {m.old_code for m in source.mappings if m.old_level == Level.COMMUNE}
    assert mapped == communes
    islands = {m.old_code for m in source.mappings if m.old_level == Level.DISTRICT}
    assert islands == {"318", "471", "498", "536", "755"}  # Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo
    defaults: dict[tuple[Level, str], int] = {}
    for m in source.mappings:
        defaults[(m.old_level, m.old_code)] = defaults.get((m.old_level, m.old_code), 0) + m.is_default
    assert set(defaults.values()) == {1}  # exactly one default successor per old unit
    assert len(source.mappings) == 10602
