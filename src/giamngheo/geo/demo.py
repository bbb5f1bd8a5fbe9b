"""Demo data for geo: the 2025 administrative units (a ``manage.py load_demo`` step)."""

from __future__ import annotations

from collections.abc import Callable

from giamngheo.geo.models import AdminUnit, Generation
from giamngheo.geo.services import units_load_2025


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
