"""Writes for administrative units: the 2025 load, CSV imports, villages. Each leaves an audit row."""

from giamngheo.geo.services.imports import (
    MAPPINGS_CSV_COLUMNS,
    UNITS_CSV_COLUMNS,
    ImportRejected,
    RowError,
    unit_mappings_import_csv,
    units_import_csv,
)
from giamngheo.geo.services.units import VALID_FROM_2025, units_load_2025
from giamngheo.geo.services.villages import village_create

__all__ = [
    "MAPPINGS_CSV_COLUMNS",
    "UNITS_CSV_COLUMNS",
    "VALID_FROM_2025",
    "ImportRejected",
    "RowError",
    "unit_mappings_import_csv",
    "units_import_csv",
    "units_load_2025",
    "village_create",
]
