from collections.abc import Iterable

import pytest

from giamngheo.accounts.models import Role
from giamngheo.registry.models import Household
from giamngheo.registry.selectors import citizen_id_duplicates, household_list, household_search
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
