"""Writes for administrative units: the 2025 and pre-2025 loads, the old → new mapping, CSV imports,
villages. Each leaves an audit row."""

from giamngheo.geo.services.imports import (
    MAPPINGS_CSV_COLUMNS,
    UNITS_CSV_COLUMNS,
    ImportRejected,
    RowError,
    unit_mappings_import_csv,
    units_import_csv,
)
from giamngheo.geo.services.pre2025 import (
    VALID_FROM_PRE_2025,
    VALID_TO_PRE_2025,
    unit_mappings_load,
    units_load_pre2025,
)
from giamngheo.geo.services.units import VALID_FROM_2025, units_load_2025
from giamngheo.geo.services.villages import (
    NOT_GIVEN,
    NotGiven,
    village_close,
    village_create,
    village_update,
)

__all__ = [
    "MAPPINGS_CSV_COLUMNS",
    "NOT_GIVEN",
    "UNITS_CSV_COLUMNS",
    "VALID_FROM_2025",
    "VALID_FROM_PRE_2025",
    "VALID_TO_PRE_2025",
    "ImportRejected",
    "NotGiven",
    "RowError",
    "unit_mappings_import_csv",
    "unit_mappings_load",
    "units_import_csv",
    "units_load_2025",
    "units_load_pre2025",
    "village_close",
    "village_create",
    "village_update",
]
