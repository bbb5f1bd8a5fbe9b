"""Reads for administrative units.

Not yet scoped to a viewer: ``accounts.selectors.units_visible_to(viewer)`` does not exist yet. Once
it does, selectors that list units for a user will start from it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from giamngheo.geo.models import AdminUnit, Generation, Level


def communes_of(province: AdminUnit) -> QuerySet[AdminUnit]:
    """The commune-level units (xã, phường, đặc khu, thị trấn) of a province, in its own generation.

    For a pre-2025 province this includes the communes of all its districts.
    """
    return AdminUnit.objects.filter(
        generation=province.generation, level=Level.COMMUNE, province_code=province.code
    ).order_by("code")


def unit_by_code(code: str, generation: Generation | str = Generation.Y2025) -> AdminUnit | None:
    """The unit with this GSO code in ``generation``, or ``None``.

    GSO codes differ in length by level (province 2 digits, district 3, commune 5), so a code names
    one unit per generation.
    """
    return AdminUnit.objects.filter(generation=generation, code=code).first()
