from collections.abc import Iterable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from giamngheo.accounts.models import Role
from giamngheo.registry import selectors
from giamngheo.registry.models import Household
from giamngheo.registry.selectors import (
    citizen_id_duplicates,
    citizen_id_duplicates_of,
    household_list,
    household_search,
)
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(geo_map: Map) -> dict[str, Household]:
    """One household in each of v1, v1b, c1 without village, v2 (c2) and w1 (province 96)."""
    return {
        "v1": household_factory(commune=geo_map.c1, village=geo_map.v1, code="A1"),
        "v1b": household_factory(commune=geo_map.c1, village=geo_map.v1b, code="A2"),
        "c1": household_factory(commune=geo_map.c1, code="A3"),
        "v2": household_factory(commune=geo_map.c2, village=geo_map.v2, code="B1"),
        "w1": household_factory(commune=geo_map.d1, village=geo_map.w1, code="D1"),
    }


def _codes(qs: Iterable[Household]) -> set[str]:
    return {h.code for h in qs}


def test_household_list_is_scoped_to_the_viewer(geo_map: Map, households: dict[str, Household]) -> None:
    commune_officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    province_officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)

    assert _codes(household_list(viewer=commune_officer)) == {"A1", "A2", "A3"}
    assert _codes(household_list(viewer=province_officer)) == {"A1", "A2", "A3", "B1"}
    assert _codes(household_list(viewer=province_officer, commune=geo_map.c2)) == {"B1"}
    assert _codes(household_list(viewer=commune_officer, village=geo_map.v1b)) == {"A2"}
    assert _codes(household_list(viewer=surveyor)) == {"A1"}  # not the commune-level one
    assert _codes(household_list(viewer=outsider)) == {"D1"}
    assert _codes(household_list(viewer=outsider, commune=geo_map.c1)) == set()
    assert _codes(household_list(viewer=None)) == set()
    assert len(_codes(household_list(viewer=admin_factory()))) == 5


def test_household_search_ignores_diacritics_and_case(geo_map: Map, households: dict[str, Household]) -> None:
    member_factory(household=households["v1"], full_name="Nguyễn Văn A")
    member_factory(household=households["v2"], full_name="Đặng Thị Đào")
    member_factory(household=households["w1"], full_name="Nguyễn Văn Anh")
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)

    assert _codes(household_search(viewer=officer, query="nguyen van a")) == {"A1"}
    assert _codes(household_search(viewer=officer, query="NGUYỄN  văn A")) == {"A1"}
    assert _codes(household_search(viewer=officer, query="dang thi dao")) == {"B1"}
    assert _codes(household_search(viewer=officer, query="đào")) == {"B1"}
    assert _codes(household_search(viewer=officer, query="   ")) == set()
    assert _codes(household_search(viewer=officer, query="a")) == set()  # too short for a name
    admin = admin_factory()
    assert _codes(household_search(viewer=admin, query="nguyen van a")) == {"A1", "D1"}


def test_household_search_by_citizen_id_and_code(geo_map: Map, households: dict[str, Household]) -> None:
    member_factory(household=households["v1b"], full_name="Lò Văn Ửng", citizen_id="001085123456")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)

    assert _codes(household_search(viewer=officer, query="001085123456")) == {"A2"}
    assert _codes(household_search(viewer=officer, query="a3")) == {"A3"}


def test_household_search_finds_nothing_outside_the_territory(
    geo_map: Map, households: dict[str, Household]
) -> None:
    member_factory(household=households["v1"], full_name="Nguyễn Văn A", citizen_id="001085123456")
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    other_surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)

    for viewer in (outsider, other_surveyor, None):
        assert _codes(household_search(viewer=viewer, query="nguyen van a")) == set()
        assert _codes(household_search(viewer=viewer, query="001085123456")) == set()
        assert _codes(household_search(viewer=viewer, query="A1")) == set()


def test_citizen_id_duplicates(geo_map: Map, households: dict[str, Household]) -> None:
    first = member_factory(household=households["v1"], citizen_id="001085123456")
    second = member_factory(household=households["w1"], citizen_id="001085123456")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.q)  # not a commune: sees nothing

    found = citizen_id_duplicates(viewer=officer, citizen_id="001085123456")
    assert found.exists
    assert found.members == [first]

    # The other record is in province 96: it exists, but where is not shown to c1's officer.
    hidden = citizen_id_duplicates(viewer=officer, citizen_id="001085123456", exclude_member=first)
    assert hidden.exists
    assert hidden.members == []

    assert citizen_id_duplicates(viewer=outsider, citizen_id="001085123456").members == []
    assert citizen_id_duplicates(viewer=admin_factory(), citizen_id="001085123456").members == [first, second]
    assert not citizen_id_duplicates(viewer=officer, citizen_id="079303123456").exists
    assert not citizen_id_duplicates(viewer=officer, citizen_id=" ").exists
    second.citizen_id = None
    second.save()
    assert not citizen_id_duplicates(viewer=officer, citizen_id="001085123456", exclude_member=first).exists


# --- performance shape: territory as lists, search split in indexed queries ------------------------


def test_the_territory_condition_is_lists_of_ids_not_subqueries(
    geo_map: Map, households: dict[str, Household]
) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)

    with CaptureQueriesContext(connection) as officer_queries:
        assert household_list(viewer=officer).count() == 3
    with CaptureQueriesContext(connection) as surveyor_queries:
        assert household_list(viewer=surveyor).count() == 1

    officer_count = officer_queries.captured_queries[-1]["sql"]
    surveyor_count = surveyor_queries.captured_queries[-1]["sql"]
    assert "\"province_code\" IN ('97')" in officer_count
    assert f'"commune_id" IN ({geo_map.c1.pk})' in officer_count
    assert f'"village_id" IN ({geo_map.v1.pk})' in surveyor_count
    for sql in (officer_count, surveyor_count):
        assert "SELECT" not in sql.split("WHERE", 1)[1]  # no subquery left in the condition


@pytest.fixture
def named(geo_map: Map, households: dict[str, Household]) -> dict[str, Household]:
    """Members named so that one query matches households everywhere: "Nguyễn Văn A" in v1, c1 (no
    village), v2 and w1; "Nguyễn Văn Anh" in v1b."""
    member_factory(household=households["v1"], full_name="Nguyễn Văn A")
    member_factory(household=households["c1"], full_name="Bà Nguyễn Văn A")
    member_factory(household=households["v2"], full_name="Nguyễn Văn A")
    member_factory(household=households["w1"], full_name="Nguyễn Văn A")
    member_factory(household=households["v1b"], full_name="Nguyễn Văn Anh")
    member_factory(household=households["v1b"], full_name="Nguyễn Văn Anh")  # twice: the household once
    return households


@pytest.mark.parametrize("scan_max_communes", [0, 4])  # through the name index / the territory's members
@pytest.mark.parametrize("read_at_once", [1, 5000])  # the matches as a subquery / as a list of ids
def test_name_search_finds_the_same_households_whichever_way_it_runs(
    geo_map: Map,
    named: dict[str, Household],
    monkeypatch: pytest.MonkeyPatch,
    scan_max_communes: int,
    read_at_once: int,
) -> None:
    monkeypatch.setattr(selectors, "NAME_SCAN_MAX_COMMUNES", scan_max_communes)
    monkeypatch.setattr(selectors, "NAME_MATCHES_READ_AT_ONCE", read_at_once)
    viewers = {
        "commune": scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        "surveyor": scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        "province": scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
        "outsider": scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1),
        "admin": admin_factory(),
    }

    found = {
        label: [h.code for h in household_search(viewer=viewer, query="nguyen van a")]
        for label, viewer in viewers.items()
    }

    # In order (commune code, then household code); each household once.
    assert found == {
        "commune": ["A1", "A2", "A3"],
        "surveyor": ["A1"],  # not A3, the commune-level household, nor A2 in v1b
        "province": ["A1", "A2", "A3", "B1"],
        "outsider": ["D1"],
        "admin": ["D1", "A1", "A2", "A3", "B1"],  # commune 96001 before 97001
    }
    assert household_search(viewer=viewers["commune"], query="van anh").count() == 1


def test_search_by_code_and_citizen_id_stays_in_the_territory(
    geo_map: Map, households: dict[str, Household]
) -> None:
    member_factory(household=households["w1"], full_name="Lò Thị Mai", citizen_id="096185123456")
    member_factory(household=households["c1"], full_name="Lò Văn Tú", citizen_id="096185123456")
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.d1)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)

    assert _codes(household_search(viewer=officer, query="096185123456")) == {"A3"}
    assert _codes(household_search(viewer=outsider, query="096185123456")) == {"D1"}
    assert _codes(household_search(viewer=surveyor, query="096185123456")) == set()
    assert _codes(household_search(viewer=admin_factory(), query="096185123456")) == {"A3", "D1"}
    assert _codes(household_search(viewer=officer, query=" d1 ")) == set()
    assert _codes(household_search(viewer=outsider, query=" d1 ")) == {"D1"}
    assert _codes(household_search(viewer=admin_factory(), query="b1")) == {"B1"}


def test_citizen_id_duplicates_of_answers_as_one_by_one_in_at_most_two_queries(
    geo_map: Map, households: dict[str, Household], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    family = [
        member_factory(household=households["v1"], citizen_id="001085123456"),
        member_factory(household=households["v1"], citizen_id="001085654321"),
        member_factory(household=households["v1"], citizen_id="001090000001"),  # the only one
        member_factory(household=households["v1"], citizen_id=None),
        member_factory(household=households["v1"], citizen_id="001090000002"),
        member_factory(household=households["v1"], citizen_id="001090000002"),  # twins' mistake
    ]
    member_factory(household=households["v2"], citizen_id="001085123456")  # visible to the province
    member_factory(household=households["w1"], citizen_id="001085123456")  # province 96
    member_factory(household=households["w1"], citizen_id="001085654321")
    viewers = [
        scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
        scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b),
        admin_factory(),
    ]

    for viewer in viewers:
        expected = {
            m.pk: citizen_id_duplicates(viewer=viewer, citizen_id=m.citizen_id or "", exclude_member=m)
            for m in family
        }
        with django_assert_max_num_queries(3):  # the numbers, the viewer's scope rows, the visible records
            found = citizen_id_duplicates_of(viewer=viewer, members=family)
        assert found == expected
    assert [found[m.pk].exists for m in family] == [True, True, False, False, True, True]
    assert len(found[family[0].pk].members) == 2  # the administrator sees both


def test_household_list_is_ordered_by_commune_code_then_household_code(
    geo_map: Map, households: dict[str, Household]
) -> None:
    household_factory(commune=geo_map.c1, village=geo_map.v1b, code="A0")  # created last, listed first
    household_factory(commune=geo_map.c2, code="B0")
    commune_officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    province_officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)

    def codes(**kwargs: object) -> list[str]:
        return [h.code for h in household_list(**kwargs)]  # type: ignore[arg-type]

    assert codes(viewer=commune_officer) == ["A0", "A1", "A2", "A3"]
    assert codes(viewer=surveyor) == ["A0", "A2"]
    assert codes(viewer=province_officer) == ["A0", "A1", "A2", "A3", "B0", "B1"]
    assert codes(viewer=province_officer, commune=geo_map.c2) == ["B0", "B1"]
    assert codes(viewer=province_officer, village=geo_map.v1b) == ["A0", "A2"]
    assert codes(viewer=admin_factory()) == ["D1", "A0", "A1", "A2", "A3", "B0", "B1"]
