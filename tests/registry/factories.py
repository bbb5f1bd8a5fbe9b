"""Test data for the registry: plain functions writing straight to the models (no audit rows, no events)."""

from __future__ import annotations

import itertools
from typing import Any

from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household, Member
from giamngheo.registry.text import fold

_numbers = itertools.count(1)


def household_factory(*, commune: AdminUnit, village: Village | None = None, **fields: Any) -> Household:
    fields.setdefault("code", f"H{next(_numbers):05d}")
    fields.setdefault("area", commune.default_area or "rural")
    return Household.objects.create(
        commune=commune, village=village, province_code=commune.province_code, **fields
    )


def member_factory(*, household: Household, full_name: str = "Nguyễn Văn An", **fields: Any) -> Member:
    fields.setdefault("sex", "male")
    return Member.objects.create(
        household=household,
        province_code=household.province_code,
        full_name=full_name,
        full_name_search=fold(full_name),
        **fields,
    )
