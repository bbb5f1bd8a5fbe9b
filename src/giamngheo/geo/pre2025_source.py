"""The pre-2025 three-tier map and the old → new commune mapping, read from the pinned package.

Source: ``vietnamadminunits`` (MIT licence, © 2025 Tran Ngoc Minh Hieu), its files
``data/dataset.db`` (SQLite: table ``admin_units_legacy``, the 63 provinces, 696 districts and 10,035
communes with their GSO codes as they stood on 30 June 2025; table ``admin_units``, the 3,321 communes
of 2025) and ``data/converter_2025.json`` (which old commune went into which new one; a split commune
lists every new commune that received part of it and marks one as the default). Only these data
files are read: the package's Python code is never imported (it pulls in geocoding libraries).

New communes are given by province code and name, not by code: the package's 2025 codes are an
earlier edition of the GSO list than the one ``vietnam-provinces`` carries (about 120 codes differ),
while the names match one to one within a province (compared with ``names.name_key``).
"""

from __future__ import annotations

import importlib.metadata
import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from giamngheo.geo.models import Level, UnitType

PACKAGE = "vietnamadminunits"

_PROVINCE_TYPES = {"Tỉnh": UnitType.PROVINCE, "Thành phố": UnitType.CENTRAL_CITY}
_DISTRICT_TYPES = {
    "Huyện": UnitType.RURAL_DISTRICT,
    "Quận": UnitType.URBAN_DISTRICT,
    "Thị xã": UnitType.TOWN,
    "Thành phố": UnitType.PROVINCIAL_CITY,
}
_COMMUNE_TYPES = {"Xã": UnitType.COMMUNE, "Phường": UnitType.WARD, "Thị trấn": UnitType.TOWNSHIP}


class SourceError(Exception):
    """The package's data is not what this reader expects (a new release changed its format)."""


@dataclass(frozen=True)
class OldUnit:
    """A pre-2025 unit: ``parent_code`` is the district of a commune, the province of a district."""

    code: str
    name: str
    level: Level
    unit_type: UnitType
    province_code: str
    parent_code: str | None


@dataclass(frozen=True)
class OldToNew:
    """One old unit (a commune, or an island district without communes) → one 2025 commune."""

    old_code: str
    old_level: Level
    new_province_code: str
    new_name: str
    new_code: str  # the package's code; informative only, the name decides
    is_default: bool


@dataclass(frozen=True)
class Pre2025Source:
    """Everything ``units_load_pre2025`` and ``unit_mappings_load`` need; ``name`` is
    ``"<package> <version>"`` (the mappings' ``source``)."""

    name: str
    units: tuple[OldUnit, ...]
    mappings: tuple[OldToNew, ...]


def _type_of(name: str, types: dict[str, UnitType], what: str) -> UnitType:
    for prefix, unit_type in sorted(types.items(), key=lambda item: -len(item[0])):
        if name.startswith(prefix + " "):
            return unit_type
    raise SourceError(f"unknown {what} type in name {name!r}")


def _package_dir() -> Path:
    try:
        distribution = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:  # pragma: no cover - it is a dependency
        raise SourceError(f"the package {PACKAGE} is not installed") from exc
    return Path(str(distribution.locate_file(PACKAGE)))


def package_version() -> str:
    return importlib.metadata.version(PACKAGE)


@cache
def read_package() -> Pre2025Source:
    """Read the package's data files (about half a second; cached for the process)."""
    root = _package_dir()
    with sqlite3.connect(f"file:{root / 'data' / 'dataset.db'}?mode=ro", uri=True) as connection:
        old_rows = connection.execute(
            "SELECT provinceCode, province, districtCode, district, districtType, wardCode, ward, wardType,"
            " provinceKey, districtKey, wardKey FROM admin_units_legacy"
        ).fetchall()
        new_rows = connection.execute(
            "SELECT provinceCode, ward, wardCode, provinceKey, wardKey FROM admin_units"
        ).fetchall()
    converter: dict[str, Any] = json.loads((root / "data" / "converter_2025.json").read_text("utf-8"))
    return _parse(f"{PACKAGE} {package_version()}", old_rows, new_rows, converter)


def _parse(
    name: str, old_rows: list[tuple[Any, ...]], new_rows: list[tuple[Any, ...]], converter: dict[str, Any]
) -> Pre2025Source:
    units: dict[tuple[Level, str], OldUnit] = {}
    old_by_key: dict[str, tuple[str, Level]] = {}
    for row in old_rows:
        p_code, p_name, d_code, d_name, d_type, w_code, w_name, w_type, p_key, d_key, w_key = row
        province = OldUnit(
            p_code, p_name, Level.PROVINCE, _type_of(p_name, _PROVINCE_TYPES, "province"), p_code, None
        )
        units.setdefault((Level.PROVINCE, p_code), province)
        if d_type not in _DISTRICT_TYPES:
            raise SourceError(f"unknown district type {d_type!r} of {d_name!r}")
        units.setdefault(
            (Level.DISTRICT, d_code),
            OldUnit(d_code, d_name, Level.DISTRICT, _DISTRICT_TYPES[d_type], p_code, p_code),
        )
        if w_code is None:  # an island district without communes
            old_by_key[f"{p_key}_{d_key}_"] = (d_code, Level.DISTRICT)
            continue
        if w_type not in _COMMUNE_TYPES:
            raise SourceError(f"unknown commune type {w_type!r} of {w_name!r}")
        if (Level.COMMUNE, w_code) in units:
            raise SourceError(f"commune code {w_code} appears twice")
        units[(Level.COMMUNE, w_code)] = OldUnit(
            w_code, w_name, Level.COMMUNE, _COMMUNE_TYPES[w_type], p_code, d_code
        )
        old_by_key[f"{p_key}_{d_key}_{w_key}"] = (w_code, Level.COMMUNE)
    new_by_key = {
        (p_key, w_key): (p_code, w_name, w_code) for p_code, w_name, w_code, p_key, w_key in new_rows
    }

    mappings: dict[tuple[str, str], OldToNew] = {}

    def add(old_key: str, new_province_key: str, new_ward_key: str, *, is_default: bool) -> None:
        if old_key not in old_by_key:
            raise SourceError(f"old unit {old_key!r} of the mapping is not in the list of old units")
        if (new_province_key, new_ward_key) not in new_by_key:
            raise SourceError(f"new commune {new_province_key}/{new_ward_key} is not in the 2025 list")
        old_code, old_level = old_by_key[old_key]
        p_code, w_name, w_code = new_by_key[(new_province_key, new_ward_key)]
        mappings[(old_key, w_code)] = OldToNew(old_code, old_level, p_code, w_name, w_code, is_default)

    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, province_key, ward_key, is_default=True)
    for province_key, old_units in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, new_wards in old_units.items():
            for ward in new_wards:
                add(old_key, province_key, ward["newWardKey"], is_default=bool(ward["isDefaultNewWard"]))
    return Pre2025Source(name, tuple(units.values()), tuple(mappings.values()))
