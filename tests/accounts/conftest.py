"""A small map for the territory tests (no need for the 3,321 real communes)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from giamngheo.geo.models import AdminUnit, Generation, Level, UnitMapping, UnitType, Village
from tests.accounts.factories import village_factory
from tests.geo.factories import commune_factory, province_factory


@dataclass
class Map:
    """Province 97 (communes c1, c2; villages v1, v1b in c1, v2 in c2) and its pre-2025 units
    (old province 97, district, old commune), a former province 95 whose old commune ``merged`` now
    lies in c1 (mapping), and a neighbouring province 96 (commune d1, village w1)."""

    p: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    v1: Village
    v1b: Village
    v2: Village
    old_p: AdminUnit
    old_district: AdminUnit
    old_commune: AdminUnit
    former_p: AdminUnit
    merged: AdminUnit
    q: AdminUnit
    d1: AdminUnit
    w1: Village

    @property
    def in_97(self) -> set[AdminUnit]:
        return {self.p, self.c1, self.c2, self.old_p, self.old_district, self.old_commune, self.merged}


def _old_unit(
    code: str, level: str, unit_type: str, parent: AdminUnit | None, province_code: str
) -> AdminUnit:
    return AdminUnit.objects.create(
        code=code,
        name=f"Cũ {code}",
        level=level,
        unit_type=unit_type,
        parent=parent,
        province_code=province_code,
        generation=Generation.PRE_2025,
        valid_from=datetime.date(2008, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )


@pytest.fixture
def geo_map(db: None) -> Map:
    p = province_factory(code="97")
    c1 = commune_factory(province=p, code="97001")
    c2 = commune_factory(province=p, code="97002")
    q = province_factory(code="96")
    d1 = commune_factory(province=q, code="96001")
    old_p = _old_unit("97", Level.PROVINCE, UnitType.PROVINCE, None, "97")
    old_district = _old_unit("970", Level.DISTRICT, UnitType.RURAL_DISTRICT, old_p, "97")
    old_commune = _old_unit("97901", Level.COMMUNE, UnitType.COMMUNE, old_district, "97")
    former_p = _old_unit("95", Level.PROVINCE, UnitType.PROVINCE, None, "95")
    merged = _old_unit("95901", Level.COMMUNE, UnitType.COMMUNE, former_p, "95")
    UnitMapping.objects.create(old_unit=merged, new_unit=c1, province_code="97", source="thử")
    return Map(
        p=p,
        c1=c1,
        c2=c2,
        v1=village_factory(commune=c1, code="V1"),
        v1b=village_factory(commune=c1, code="V1B"),
        v2=village_factory(commune=c2, code="V2"),
        old_p=old_p,
        old_district=old_district,
        old_commune=old_commune,
        former_p=former_p,
        merged=merged,
        q=q,
        d1=d1,
        w1=village_factory(commune=d1, code="W1"),
    )
