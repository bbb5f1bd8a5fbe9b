"""The unit selectors (not yet scoped to a viewer: ``units_visible_to`` does not exist yet)."""

import datetime

import pytest

from giamngheo.geo.models import AdminUnit, Generation, Level, UnitType
from giamngheo.geo.selectors import communes_of, unit_by_code
from tests.geo.factories import commune_factory, province_factory

pytestmark = pytest.mark.django_db


def test_communes_of_lists_the_communes_of_one_province_and_generation() -> None:
    province = province_factory(code="97")
    other = province_factory(code="96")
    a = commune_factory(province=province, code="97002")
    b = commune_factory(province=province, code="97001", unit_type=UnitType.WARD)
    commune_factory(province=other, code="96001")
    old_province = province_factory(code="97", generation=Generation.PRE_2025)
    old_district = AdminUnit.objects.create(
        code="970",
        name="Huyện Cũ",
        level=Level.DISTRICT,
        unit_type=UnitType.RURAL_DISTRICT,
        parent=old_province,
        province_code="97",
        generation=Generation.PRE_2025,
        valid_from=datetime.date(2008, 1, 1),
    )
    old = commune_factory(parent=old_district, code="97001")

    assert list(communes_of(province)) == [b, a]
    assert list(communes_of(old_province)) == [old]


def test_unit_by_code_looks_in_one_generation() -> None:
    new = commune_factory(code="97001")
    old = commune_factory(province=province_factory(code="97", generation=Generation.PRE_2025), code="97001")

    assert unit_by_code("97001") == new
    assert unit_by_code("97001", generation=Generation.PRE_2025) == old
    assert unit_by_code("97009") is None
