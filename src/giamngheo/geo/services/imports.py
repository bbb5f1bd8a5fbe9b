"""CSV imports of pre-2025 units and of old → new commune mappings: every row checked, all or none."""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.geo.models import (
    DEFAULT_AREA_BY_TYPE,
    AdminUnit,
    Area,
    Generation,
    GeoAuditAction,
    Level,
    UnitMapping,
    UnitType,
)
from giamngheo.geo.services.units import UPSERT_FIELDS, audit_batch, unit_pks, units_upsert

UNITS_CSV_COLUMNS = (
    "province_code",
    "province_name",
    "district_code",
    "district_name",
    "commune_code",
    "commune_name",
    "commune_type",
    "valid_from",
    "valid_to",
)
MAPPINGS_CSV_COLUMNS = ("old_commune_code", "new_commune_code", "source")
_COMMUNE_TYPE_FROM_CSV: dict[str, UnitType] = {
    "xã": UnitType.COMMUNE,
    "phường": UnitType.WARD,
    "thị trấn": UnitType.TOWNSHIP,
}
# District type from the first words of its name (Huyện Kon Rẫy, Thành phố Kon Tum …).
_DISTRICT_TYPE_FROM_PREFIX: tuple[tuple[str, UnitType], ...] = (
    ("thành phố ", UnitType.PROVINCIAL_CITY),
    ("thị xã ", UnitType.TOWN),
    ("quận ", UnitType.URBAN_DISTRICT),
    ("huyện ", UnitType.RURAL_DISTRICT),
)
_CODE_DIGITS = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: row (1 = header), column, the value found, what is wrong."""

    row: int
    column: str
    value: str
    message: str


class ImportRejected(Exception):
    """An import was refused because at least one row is invalid; nothing was saved."""

    code = "geo.import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        self.message = _("Tệp có {count} lỗi; không có dòng nào được lưu.").format(count=len(errors))
        super().__init__(self.message)


# --- CSV helpers -------------------------------------------------------------------------------------


def _rows(
    file: IO[str], columns: Iterable[str], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, stripped values) for each data row; header problems go to ``errors``."""
    reader = csv.DictReader(file)
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in columns if name not in header]
    for name in missing:
        errors.append(RowError(1, name, "", _("Thiếu cột “{column}” ở dòng tiêu đề.").format(column=name)))
    if missing:
        return
    for row_number, raw in enumerate(reader, start=2):
        yield row_number, {name: (raw.get(name) or "").strip() for name in columns}


def _code(
    row: int, column: str, value: str, level: Level, errors: list[RowError], *, label: str
) -> str | None:
    """A GSO code of the right length; short numeric codes are padded (spreadsheets drop leading zeros)."""
    digits = _CODE_DIGITS[level]
    if not value:
        errors.append(RowError(row, column, value, _("Thiếu {label}.").format(label=label)))
        return None
    if not value.isdigit() or len(value) > digits:
        errors.append(
            RowError(
                row,
                column,
                value,
                _("{label} “{value}” không hợp lệ: phải gồm {digits} chữ số.").format(
                    label=label.capitalize(), value=value, digits=digits
                ),
            )
        )
        return None
    return value.zfill(digits)


def _name(row: int, column: str, value: str, errors: list[RowError], *, label: str) -> str | None:
    if not value:
        errors.append(RowError(row, column, value, _("Thiếu {label}.").format(label=label)))
        return None
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(row: int, column: str, value: str, errors: list[RowError]) -> datetime.date | None:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY``; report a bad date to ``errors``."""
    try:
        if _ISO_DATE.match(value):
            return datetime.date.fromisoformat(value)
        if match := _VN_DATE.match(value):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    errors.append(
        RowError(
            row,
            column,
            value,
            _("Ngày “{value}” không hợp lệ (dùng dạng 2025-06-30 hoặc 30/06/2025).").format(value=value),
        )
    )
    return None


@dataclass
class _OldCommune:
    row: int
    province_code: str
    province_name: str
    district_code: str
    district_name: str
    district_type: UnitType
    code: str
    name: str
    unit_type: UnitType
    valid_from: datetime.date
    valid_to: datetime.date | None


def _district_type(name: str) -> UnitType | None:
    lowered = name.lower()
    for prefix, unit_type in _DISTRICT_TYPE_FROM_PREFIX:
        if lowered.startswith(prefix):
            return unit_type
    return None


def _parse_units_csv(file: IO[str]) -> tuple[list[_OldCommune], list[RowError]]:
    errors: list[RowError] = []
    communes: list[_OldCommune] = []
    province_names: dict[str, tuple[int, str]] = {}
    districts: dict[str, tuple[int, str, str]] = {}
    commune_rows: dict[str, int] = {}
    for row, values in _rows(file, UNITS_CSV_COLUMNS, errors):
        n_before = len(errors)
        province_code = _code(
            row, "province_code", values["province_code"], Level.PROVINCE, errors, label=_("mã tỉnh")
        )
        province_name = _name(row, "province_name", values["province_name"], errors, label=_("tên tỉnh"))
        district_code = _code(
            row, "district_code", values["district_code"], Level.DISTRICT, errors, label=_("mã huyện")
        )
        district_name = _name(row, "district_name", values["district_name"], errors, label=_("tên huyện"))
        code = _code(row, "commune_code", values["commune_code"], Level.COMMUNE, errors, label=_("mã xã"))
        name = _name(row, "commune_name", values["commune_name"], errors, label=_("tên xã"))
        district_type = _district_type(district_name) if district_name else None
        if district_name and district_type is None:
            errors.append(
                RowError(
                    row,
                    "district_name",
                    district_name,
                    _("Tên huyện phải bắt đầu bằng Quận, Huyện, Thị xã hoặc Thành phố."),
                )
            )
        unit_type = _COMMUNE_TYPE_FROM_CSV.get(values["commune_type"].lower())
        if unit_type is None:
            errors.append(
                RowError(
                    row,
                    "commune_type",
                    values["commune_type"],
                    _("Loại xã “{value}” không hợp lệ (xã, phường hoặc thị trấn).").format(
                        value=values["commune_type"]
                    ),
                )
            )
        valid_from = _date(row, "valid_from", values["valid_from"], errors) if values["valid_from"] else None
        if not values["valid_from"]:
            errors.append(RowError(row, "valid_from", "", _("Thiếu ngày bắt đầu hiệu lực.")))
        valid_to = _date(row, "valid_to", values["valid_to"], errors) if values["valid_to"] else None
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(
                RowError(
                    row, "valid_to", values["valid_to"], _("Ngày hết hiệu lực trước ngày bắt đầu hiệu lực.")
                )
            )
        if province_code and province_name:
            first_row, known = province_names.setdefault(province_code, (row, province_name))
            if known != province_name:
                errors.append(
                    RowError(
                        row,
                        "province_name",
                        province_name,
                        _("Mã tỉnh {code} đã có tên “{name}” ở dòng {first}.").format(
                            code=province_code, name=known, first=first_row
                        ),
                    )
                )
        if district_code and district_name and province_code:
            first_row, known_province, known_name = districts.setdefault(
                district_code, (row, province_code, district_name)
            )
            if (known_province, known_name) != (province_code, district_name):
                errors.append(
                    RowError(
                        row,
                        "district_code",
                        district_code,
                        _("Mã huyện {code} đã dùng cho “{name}” (tỉnh {province}) ở dòng {first}.").format(
                            code=district_code, name=known_name, province=known_province, first=first_row
                        ),
                    )
                )
        if code:
            first_row = commune_rows.setdefault(code, row)
            if first_row != row:
                errors.append(
                    RowError(
                        row,
                        "commune_code",
                        code,
                        _("Mã xã {code} trùng với dòng {first}.").format(code=code, first=first_row),
                    )
                )
        if len(errors) == n_before:
            assert province_code and province_name and district_code and district_name and code and name
            assert district_type and unit_type and valid_from
            communes.append(
                _OldCommune(
                    row,
                    province_code,
                    province_name,
                    district_code,
                    district_name,
                    district_type,
                    code,
                    name,
                    unit_type,
                    valid_from,
                    valid_to,
                )
            )
    if not communes and not errors:
        errors.append(RowError(1, "", "", _("Tệp không có dòng dữ liệu nào.")))
    return communes, errors


def _span(communes: list[_OldCommune]) -> tuple[datetime.date, datetime.date | None]:
    """A parent exists from its first commune's start to its last commune's end (open if any is open)."""
    start = min(c.valid_from for c in communes)
    ends = [c.valid_to for c in communes]
    return start, (None if any(end is None for end in ends) else max(e for e in ends if e is not None))


@transaction.atomic(durable=True)
def units_import_csv(*, file: IO[str], generation: Generation | str, actor: User | None) -> dict[str, int]:
    """Import three-tier units (province → district → commune) from a CSV file (UTF-8, comma-separated).

    Columns: ``UNITS_CSV_COLUMNS``. Every row is checked first (codes, names, commune type, dates,
    consistency of a code with its name across rows); if any row fails, ``ImportRejected`` lists
    every error (row, column, value, Vietnamese message) and nothing is saved. Otherwise units are
    created or updated by (generation, level, code). Province and district types are read from
    their names (``Thành phố Hà Nội``, ``Huyện Kon Rẫy``); their validity spans their communes'.
    """
    if generation not in Generation.values or generation == Generation.Y2025:
        raise ValidationError(
            {
                "generation": _("Chỉ nhập được đơn vị ba cấp (thế hệ “{value}”).").format(
                    value=Generation.PRE_2025
                )
            }
        )
    communes, errors = _parse_units_csv(file)
    if errors:
        raise ImportRejected(errors)

    by_province: dict[str, list[_OldCommune]] = {}
    by_district: dict[str, list[_OldCommune]] = {}
    for c in communes:
        by_province.setdefault(c.province_code, []).append(c)
        by_district.setdefault(c.district_code, []).append(c)

    existing = {
        level: set(unit_pks(generation=generation, level=level))
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    }
    provinces = []
    for code, members in by_province.items():
        name = members[0].province_name
        start, end = _span(members)
        unit_type = UnitType.CENTRAL_CITY if name.lower().startswith("thành phố ") else UnitType.PROVINCE
        provinces.append(
            AdminUnit(
                code=code,
                name=name,
                level=Level.PROVINCE,
                unit_type=unit_type,
                parent=None,
                province_code=code,
                valid_from=start,
                valid_to=end,
                generation=generation,
                default_area=Area.UNSET,
            )
        )
    units_upsert(provinces, update_fields=UPSERT_FIELDS)
    province_pks = unit_pks(generation=generation, level=Level.PROVINCE)

    districts = []
    for code, members in by_district.items():
        first = members[0]
        start, end = _span(members)
        districts.append(
            AdminUnit(
                code=code,
                name=first.district_name,
                level=Level.DISTRICT,
                unit_type=first.district_type,
                parent_id=province_pks[first.province_code],
                province_code=first.province_code,
                valid_from=start,
                valid_to=end,
                generation=generation,
                default_area=Area.UNSET,
            )
        )
    units_upsert(districts, update_fields=UPSERT_FIELDS)
    district_pks = unit_pks(generation=generation, level=Level.DISTRICT)

    units_upsert(
        [
            AdminUnit(
                code=c.code,
                name=c.name,
                level=Level.COMMUNE,
                unit_type=c.unit_type,
                parent_id=district_pks[c.district_code],
                province_code=c.province_code,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                generation=generation,
                default_area=DEFAULT_AREA_BY_TYPE.get(c.unit_type, Area.UNSET),
            )
            for c in communes
        ],
        update_fields=UPSERT_FIELDS,
    )
    counts = {
        "provinces": len(provinces),
        "districts": len(districts),
        "communes": len(communes),
        "created": len(set(by_province) - existing[Level.PROVINCE])
        + len(set(by_district) - existing[Level.DISTRICT])
        + len({c.code for c in communes} - existing[Level.COMMUNE]),
    }
    audit_batch(
        actor=actor,
        action=GeoAuditAction.UNITS_IMPORTED,
        target_type="geo.adminunit",
        target_id=f"generation:{generation}",
        after=counts,
    )
    return counts


def _error_order(error: RowError) -> tuple[int, int]:
    """Errors by row, then by column as in the file (header errors first)."""
    columns = MAPPINGS_CSV_COLUMNS
    return error.row, columns.index(error.column) if error.column in columns else -1


@transaction.atomic(durable=True)
def unit_mappings_import_csv(*, file: IO[str], actor: User | None) -> dict[str, int]:
    """Import old → new commune mappings (columns: ``MAPPINGS_CSV_COLUMNS``).

    The old code must be a pre-2025 commune already imported, the new code a 2025 commune, the
    source non-empty, and each pair appear once. Any invalid row: ``ImportRejected``, nothing saved.
    An existing pair gets the new source.
    """
    errors: list[RowError] = []
    parsed: list[tuple[int, str, str, str]] = []
    for row, values in _rows(file, MAPPINGS_CSV_COLUMNS, errors):
        n_before = len(errors)
        old = _code(
            row, "old_commune_code", values["old_commune_code"], Level.COMMUNE, errors, label=_("mã xã cũ")
        )
        new = _code(
            row, "new_commune_code", values["new_commune_code"], Level.COMMUNE, errors, label=_("mã xã mới")
        )
        source = _name(row, "source", values["source"], errors, label=_("nguồn"))
        if len(errors) == n_before:
            assert old and new and source
            parsed.append((row, old, new, source))

    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    old_units = {
        u.code: u for u in communes.filter(generation=Generation.PRE_2025, code__in={p[1] for p in parsed})
    }
    new_units = {
        u.code: u for u in communes.filter(generation=Generation.Y2025, code__in={p[2] for p in parsed})
    }
    seen: dict[tuple[str, str], int] = {}
    mappings = []
    for row, old, new, source in parsed:
        if old not in old_units:
            errors.append(
                RowError(
                    row,
                    "old_commune_code",
                    old,
                    _("Không có xã cũ (trước 2025) mã {code}; hãy nhập đơn vị cũ trước.").format(code=old),
                )
            )
        if new not in new_units:
            errors.append(
                RowError(
                    row, "new_commune_code", new, _("Không có xã mới (2025) mã {code}.").format(code=new)
                )
            )
        first_row = seen.setdefault((old, new), row)
        if first_row != row:
            errors.append(
                RowError(
                    row,
                    "new_commune_code",
                    new,
                    _("Cặp xã {old} → {new} trùng với dòng {first}.").format(
                        old=old, new=new, first=first_row
                    ),
                )
            )
        if old in old_units and new in new_units:
            new_unit = new_units[new]
            mappings.append(
                UnitMapping(
                    old_unit=old_units[old],
                    new_unit=new_unit,
                    province_code=new_unit.province_code,
                    source=source,
                )
            )
    if not parsed and not errors:
        errors.append(RowError(1, "", "", _("Tệp không có dòng dữ liệu nào.")))
    if errors:
        raise ImportRejected(sorted(errors, key=_error_order))

    existing = set(
        UnitMapping.objects.filter(old_unit__in=old_units.values()).values_list(
            "old_unit__code", "new_unit__code"
        )
    )
    UnitMapping.objects.bulk_create(
        mappings,
        update_conflicts=True,
        unique_fields=["old_unit", "new_unit"],
        update_fields=["source", "province_code"],
        batch_size=500,
    )
    counts = {
        "mappings": len(mappings),
        "created": len({(m.old_unit.code, m.new_unit.code) for m in mappings} - existing),
    }
    audit_batch(
        actor=actor,
        action=GeoAuditAction.UNIT_MAPPINGS_IMPORTED,
        target_type="geo.unitmapping",
        target_id="batch",
        after=counts,
    )
    return counts
