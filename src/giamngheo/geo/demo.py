"""Demo data for geo: the administrative units (``manage.py load_demo`` steps)."""

from __future__ import annotations

from collections.abc import Callable

from giamngheo.geo.models import AdminUnit, Generation
from giamngheo.geo.services import unit_mappings_load, units_load_2025, units_load_pre2025


def demo_units_load(*, write: Callable[[str], None]) -> None:
    """Load the 34 provinces and 3,321 communes of 2025 unless some 2025 units are already there.

    Running it twice changes nothing and writes no second audit row (``manage.py load_units``
    refreshes the units on purpose).
    """
    existing = AdminUnit.objects.filter(generation=Generation.Y2025).count()
    if existing:
        write(f"Units 2025: {existing} already there.")
        return
    counts = units_load_2025(actor=None)
    write(f"Units 2025: {counts['provinces']} provinces and {counts['communes']} communes created.")


def demo_units_pre2025_load(*, write: Callable[[str], None]) -> None:
    """Load the pre-2025 units and the old → new mapping unless pre-2025 units are already there.

    Meant to run after ``demo_units_load`` (the mapping needs the 2025 communes); does nothing if the
    2025 units are missing.
    """
    if not AdminUnit.objects.filter(generation=Generation.Y2025).exists():
        write("Units pre-2025: skipped, the 2025 units are not loaded.")
        return
    existing = AdminUnit.objects.filter(generation=Generation.PRE_2025).count()
    if existing:
        write(f"Units pre-2025: {existing} already there.")
        return
    counts = units_load_pre2025(actor=None)
    mapping = unit_mappings_load(actor=None)
    write(
        f"Units pre-2025: {counts['provinces']} provinces, {counts['districts']} districts and "
        f"{counts['communes']} communes created; {mapping['mappings']} old → new pairs."
    )
