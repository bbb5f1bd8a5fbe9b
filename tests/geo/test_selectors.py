"""The unit selectors: by code, old → new, and the pages' lists scoped to the viewer."""

import datetime
from typing import Any

import pytest

from giamngheo.geo.models import AdminUnit, Generation, Level, UnitMapping, UnitType
from giamngheo.geo.selectors import (
    commune_predecessor_list,
    commune_predecessors,
    commune_rows,
    commune_successors,
    communes_of,
    former_commune_label,
    provinces_visible_to,
    unit_by_code,
    village_former_communes,
    villages_of,
    visible_unit,
    visible_village,
)
from tests.geo.conftest import Territory
from tests.geo.factories import commune_factory, old_unit_factory, province_factory

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


# --- Old → new, and the pages' selectors (scoped) --------------------------------------------------


def test_commune_successors_put_the_default_first(territory: Territory) -> None:
    t = territory
    successors = list(commune_successors(t.o2))
    assert successors == [t.c1, t.c2]
    assert [s.is_default_successor for s in successors] == [True, False]  # type: ignore[attr-defined]
    assert list(commune_successors(t.o1)) == [t.c1]
    assert list(commune_successors(t.c1)) == []


def test_commune_successors_with_a_viewer_keep_only_what_they_see(territory: Territory) -> None:
    t = territory
    assert list(commune_successors(t.o2, viewer=t.commune_officer)) == [t.c1]
    assert list(commune_successors(t.o2, viewer=t.outsider)) == []
    assert list(commune_successors(t.o2, viewer=t.admin)) == [t.c1, t.c2]


def test_commune_predecessors_count_the_successors_of_each(territory: Territory) -> None:
    t = territory
    predecessors = list(commune_predecessors(t.c1))
    assert predecessors == [t.o1, t.o2]
    assert [p.successor_count for p in predecessors] == [1, 2]  # type: ignore[attr-defined]
    assert list(commune_predecessors(t.c2)) == [t.o2]
    assert list(commune_predecessors(t.c1, viewer=t.outsider)) == []
    assert list(commune_predecessors(t.d1, viewer=t.outsider)) == [t.o3]


def test_commune_rows_of_a_province(territory: Territory, django_assert_max_num_queries: Any) -> None:
    t = territory
    with django_assert_max_num_queries(4):
        rows = commune_rows(t.province_officer, province=t.p)

    assert [(r.commune, r.village_count) for r in rows] == [(t.c1, 1), (t.c2, 1)]  # v1x is closed
    assert [(p.unit, p.district, p.province, p.partial) for p in rows[0].predecessors] == [
        (t.o1, t.old_d, t.old_p, False),
        (t.o2, t.old_d, t.old_p, True),
    ]
    assert [p.unit for p in rows[1].predecessors] == [t.o2]


def test_commune_rows_follow_the_viewers_territory(territory: Territory) -> None:
    t = territory
    assert [r.commune for r in commune_rows(t.commune_officer)] == [t.c1]
    assert [r.commune for r in commune_rows(t.outsider)] == [t.d1]
    assert commune_rows(t.outsider, province=t.p) == []
    surveyor_rows = commune_rows(t.surveyor)
    assert [(r.commune, r.village_count) for r in surveyor_rows] == [(t.c1, 1)]
    assert [r.commune for r in commune_rows(t.admin)] == [t.d1, t.c1, t.c2]


def test_pages_selectors_return_nothing_outside_the_territory(territory: Territory) -> None:
    t = territory
    assert list(provinces_visible_to(t.province_officer)) == [t.p]
    assert list(provinces_visible_to(t.commune_officer)) == []
    assert visible_unit(t.commune_officer, level=Level.COMMUNE, code="97001") == t.c1
    assert visible_unit(t.outsider, level=Level.COMMUNE, code="97001") is None
    assert visible_unit(t.commune_officer, level=Level.COMMUNE, code="95001") is None  # 2025 codes only
    assert visible_village(t.outsider, t.v1.pk) is None
    assert visible_village(t.surveyor, t.v1x.pk) is None
    assert list(villages_of(t.commune_officer, t.c1)) == [t.v1, t.v1x]
    assert list(villages_of(t.surveyor, t.c1)) == [t.v1]
    assert list(villages_of(t.outsider, t.c1)) == []
    assert commune_predecessor_list(t.outsider, t.c1) == []


def test_village_former_communes_are_the_predecessors_of_commune_level(territory: Territory) -> None:
    t = territory
    island = old_unit_factory(code="951", level=Level.DISTRICT, parent=t.old_p, name="Huyện Đảo Cũ")
    UnitMapping.objects.create(old_unit=island, new_unit=t.c2, province_code="97", source="thử")

    assert list(village_former_communes(t.c1)) == [t.o1, t.o2]
    assert list(commune_predecessors(t.c2)) == [t.o2, island]
    assert list(village_former_communes(t.c2)) == [t.o2]  # an island district is not a commune
    assert list(village_former_communes(commune_factory(province=t.p))) == []


def test_former_commune_label_names_the_district_and_the_province(territory: Territory) -> None:
    assert former_commune_label(territory.o2) == "Thị trấn Cũ Hai, huyện Cũ, tỉnh Cũ"
    island = old_unit_factory(code="951", level=Level.DISTRICT, parent=territory.old_p, name="Huyện Đảo Cũ")
    assert former_commune_label(island) == "Huyện Đảo Cũ, tỉnh Cũ"


def test_villages_of_bring_the_former_commune_with_its_district(
    territory: Territory, django_assert_num_queries: Any
) -> None:
    t = territory
    t.v1.former_commune = t.o1
    t.v1.save(update_fields=["former_commune"])

    with django_assert_num_queries(1):
        villages = list(villages_of(t.admin, t.c1))
        first = villages[0].former_commune
        assert first is not None and first.parent is not None
        seen = (villages[0].code, first.name, first.parent.name, villages[1].former_commune)

    assert seen == ("T01", "Xã Cũ Một", "Huyện Cũ", None)
