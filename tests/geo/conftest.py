"""A small territory for the selector and page tests: two 2025 provinces, former communes, villages,
one user per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit, Level, UnitMapping, UnitType, Village
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory, old_unit_factory, province_factory, village_factory


@dataclass
class Territory:
    """Province 97 (c1 Xã Một, c2 Phường Hai) and 96 (d1). Former province 95, district 950: o1 went
    into c1, o2 was split between c1 (default) and c2, o3 went into d1. Villages: v1 and v1x (closed)
    in c1, v2 in c2, w1 in d1."""

    p: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    q: AdminUnit
    d1: AdminUnit
    old_p: AdminUnit
    old_d: AdminUnit
    o1: AdminUnit
    o2: AdminUnit
    o3: AdminUnit
    v1: Village
    v1x: Village
    v2: Village
    w1: Village
    admin: User
    province_officer: User  # 97
    commune_officer: User  # c1
    surveyor: User  # v1
    agency: User  # c1
    leader: User  # 97
    outsider: User  # commune officer of d1


@pytest.fixture
def territory(db: None) -> Territory:
    p = province_factory(code="97", name="Tỉnh Chín Bảy")
    c1 = commune_factory(province=p, code="97001", name="Xã Một")
    c2 = commune_factory(province=p, code="97002", name="Phường Hai", unit_type=UnitType.WARD)
    q = province_factory(code="96", name="Tỉnh Chín Sáu")
    d1 = commune_factory(province=q, code="96001", name="Xã Bên Kia")
    old_p = old_unit_factory(code="95", level=Level.PROVINCE, name="Tỉnh Cũ")
    old_d = old_unit_factory(code="950", level=Level.DISTRICT, parent=old_p, name="Huyện Cũ")
    o1 = old_unit_factory(code="95001", level=Level.COMMUNE, parent=old_d, name="Xã Cũ Một")
    o2 = old_unit_factory(code="95002", level=Level.COMMUNE, parent=old_d, name="Thị trấn Cũ Hai")
    o3 = old_unit_factory(code="95003", level=Level.COMMUNE, parent=old_d, name="Xã Cũ Ba")
    for old, new, is_default in ((o1, c1, True), (o2, c1, True), (o2, c2, False), (o3, d1, True)):
        UnitMapping.objects.create(
            old_unit=old, new_unit=new, province_code=new.province_code, source="thử", is_default=is_default
        )
    v1 = village_factory(commune=c1, code="T01", name="Thôn 1")
    return Territory(
        p=p,
        c1=c1,
        c2=c2,
        q=q,
        d1=d1,
        old_p=old_p,
        old_d=old_d,
        o1=o1,
        o2=o2,
        o3=o3,
        v1=v1,
        v1x=village_factory(commune=c1, code="T02", name="Thôn Cũ", valid_to=datetime.date(2025, 9, 30)),
        v2=village_factory(commune=c2, code="TDP1", name="Tổ dân phố 1"),
        w1=village_factory(commune=d1, code="T01", name="Thôn Bên Kia"),
        admin=admin_factory(),
        province_officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=p),
        commune_officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=c1),
        surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=v1),
        agency=scoped_user_factory(role=Role.AGENCY_VIEWER, unit=c1),
        leader=scoped_user_factory(role=Role.LEADER, unit=p),
        outsider=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=d1),
    )
