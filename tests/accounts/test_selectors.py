"""Territory selectors: every rule with a viewer inside and a viewer outside the territory."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from pytest_django import DjangoAssertNumQueries

from giamngheo.accounts.models import Role, User, UserScope
from giamngheo.accounts.selectors import (
    Territory,
    Viewer,
    province_codes_visible_to,
    territory_of,
    units_visible_to,
    villages_visible_to,
)
from giamngheo.geo.models import AdminUnit, Generation, Level, Village
from tests.accounts.conftest import Map
from tests.accounts.factories import admin_factory, scoped_user_factory, user_factory


def test_system_admin_and_superuser_see_everything(geo_map: Map) -> None:
    for viewer in (admin_factory(), user_factory(role="", is_superuser=True)):
        assert set(units_visible_to(viewer)) == set(AdminUnit.objects.all())
        assert set(villages_visible_to(viewer)) == {geo_map.v1, geo_map.v1b, geo_map.v2, geo_map.w1}
        assert province_codes_visible_to(viewer) == {"95", "96", "97"}


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.LEADER, Role.AGENCY_VIEWER])
def test_a_province_scope_covers_every_generation_of_the_province(geo_map: Map, role: Role) -> None:
    viewer = scoped_user_factory(role=role, unit=geo_map.p)
    outsider = scoped_user_factory(role=role, unit=geo_map.q)

    assert set(units_visible_to(viewer)) == geo_map.in_97
    assert set(villages_visible_to(viewer)) == {geo_map.v1, geo_map.v1b, geo_map.v2}
    assert province_codes_visible_to(viewer) == {"95", "97"}  # 95: the merged old commune
    assert set(units_visible_to(outsider)) == {geo_map.q, geo_map.d1}
    assert set(villages_visible_to(outsider)) == {geo_map.w1}
    assert province_codes_visible_to(outsider) == {"96"}


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.AGENCY_VIEWER])
def test_a_commune_scope_covers_the_commune_and_the_old_communes_merged_into_it(
    geo_map: Map, role: Role
) -> None:
    viewer = scoped_user_factory(role=role, unit=geo_map.c1)
    neighbour = scoped_user_factory(role=role, unit=geo_map.c2)

    assert set(units_visible_to(viewer)) == {geo_map.c1, geo_map.merged}
    assert set(villages_visible_to(viewer)) == {geo_map.v1, geo_map.v1b}
    assert province_codes_visible_to(viewer) == {"95", "97"}
    assert set(units_visible_to(neighbour)) == {geo_map.c2}
    assert set(villages_visible_to(neighbour)) == {geo_map.v2}


def test_a_village_surveyor_sees_their_village_and_only_the_name_of_its_commune(geo_map: Map) -> None:
    viewer = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    outsider = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.w1)

    assert set(units_visible_to(viewer)) == {geo_map.c1}
    assert set(villages_visible_to(viewer)) == {geo_map.v1}  # not v1b, the other village of c1
    assert province_codes_visible_to(viewer) == {"97"}
    assert set(units_visible_to(outsider)) == {geo_map.d1}
    assert set(villages_visible_to(outsider)) == {geo_map.w1}


def test_several_scopes_add_up(geo_map: Map) -> None:
    viewer = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.q)
    UserScope.objects.create(user=viewer, unit=geo_map.c2, province_code="97")

    assert set(units_visible_to(viewer)) == {geo_map.q, geo_map.d1, geo_map.c2}
    assert set(villages_visible_to(viewer)) == {geo_map.w1, geo_map.v2}


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.COMMUNE_OFFICER, "p"),  # a province row does not widen a commune officer
        (Role.PROVINCE_OFFICER, "c1"),
        (Role.LEADER, "c1"),
        (Role.COMMUNE_OFFICER, "v1"),
        (Role.VILLAGE_SURVEYOR, "c1"),
        (Role.AGENCY_VIEWER, "v1"),
    ],
)
def test_a_scope_that_does_not_fit_the_role_grants_nothing(geo_map: Map, role: Role, scope: str) -> None:
    target = getattr(geo_map, scope)
    if scope.startswith("v"):
        viewer = scoped_user_factory(role=role, village=target)
    else:
        viewer = scoped_user_factory(role=role, unit=target)

    assert not units_visible_to(viewer).exists()
    assert not villages_visible_to(viewer).exists()
    assert province_codes_visible_to(viewer) == set()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_an_unassigned_user_sees_nothing(geo_map: Map, role: Role) -> None:
    viewer = user_factory(role=role)
    assert not units_visible_to(viewer).exists()
    assert not villages_visible_to(viewer).exists()
    assert province_codes_visible_to(viewer) == set()


@pytest.mark.parametrize("role", list(Role))
def test_an_inactive_user_sees_nothing(geo_map: Map, role: Role) -> None:
    viewer = scoped_user_factory(role=role, unit=geo_map.p, is_active=False)
    assert not units_visible_to(viewer).exists()
    assert not villages_visible_to(viewer).exists()
    assert province_codes_visible_to(viewer) == set()


def test_no_role_no_user_and_anonymous_see_nothing(geo_map: Map) -> None:
    no_role = scoped_user_factory(role="", unit=geo_map.p)
    for viewer in (no_role, AnonymousUser(), None):
        assert not units_visible_to(viewer).exists()
        assert not villages_visible_to(viewer).exists()
        assert province_codes_visible_to(viewer) == set()


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.PROVINCE_OFFICER, "p"),
        (Role.COMMUNE_OFFICER, "c1"),
        (Role.AGENCY_VIEWER, "p"),
        (Role.VILLAGE_SURVEYOR, "v1"),
    ],
)
def test_each_selector_is_one_query(
    geo_map: Map, role: Role, scope: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    target = getattr(geo_map, scope)
    kind = "village" if scope.startswith("v") else "unit"
    viewer = scoped_user_factory(role=role, **{kind: target})

    with django_assert_num_queries(1):
        list(units_visible_to(viewer))
    with django_assert_num_queries(1):
        list(villages_visible_to(viewer))
    with django_assert_num_queries(1):
        province_codes_visible_to(viewer)
    with django_assert_num_queries(1):  # usable as a subquery: still one query
        list(AdminUnit.objects.filter(parent__in=units_visible_to(viewer)))


# --- territory_of: the same rules as concrete lists -------------------------------------------------


def _communes_in(territory: Territory) -> set[AdminUnit]:
    """The 2025 communes ``territory`` covers, read back from its lists."""
    communes = AdminUnit.objects.filter(generation=Generation.Y2025, level=Level.COMMUNE)
    if territory.everything:
        return set(communes)
    return {
        c
        for c in communes
        if c.province_code in territory.province_codes
        or (c.pk in territory.commune_ids and c.province_code in territory.commune_province_codes)
    }


def _villages_in(territory: Territory) -> set[Village]:
    villages = Village.objects.select_related("commune")
    if territory.village_ids is not None:
        return {
            v
            for v in villages
            if v.pk in territory.village_ids and v.province_code in territory.village_province_codes
        }
    covered = _communes_in(territory)
    return {v for v in villages if v.commune in covered}


def _viewers(geo_map: Map) -> list[Viewer]:
    several = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.q)
    UserScope.objects.create(user=several, unit=geo_map.c2, province_code="97")
    surveyor_of_two = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    UserScope.objects.create(user=surveyor_of_two, village=geo_map.w1, province_code="96")
    return [
        admin_factory(),
        user_factory(role="", is_superuser=True),
        scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
        scoped_user_factory(role=Role.LEADER, unit=geo_map.q),
        scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.p),
        scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.c1),
        several,
        scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.p),  # does not fit the role
        scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.merged),  # a pre-2025 commune
        scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.old_p),  # a pre-2025 province
        scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1),
        surveyor_of_two,
        scoped_user_factory(role=Role.VILLAGE_SURVEYOR, unit=geo_map.c1),  # does not fit the role
        scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p, is_active=False),
        user_factory(role=Role.PROVINCE_OFFICER),  # no scope
        scoped_user_factory(role="", unit=geo_map.p),
        AnonymousUser(),
        None,
    ]


def test_territory_of_covers_the_same_communes_and_villages_as_the_querysets(geo_map: Map) -> None:
    for viewer in _viewers(geo_map):
        territory = territory_of(viewer)
        communes = set(units_visible_to(viewer).filter(generation=Generation.Y2025, level=Level.COMMUNE))
        villages = set(villages_visible_to(viewer))

        assert _communes_in(territory) == communes, viewer
        assert _villages_in(territory) == villages, viewer
        if territory.is_empty:
            assert not communes and not villages, viewer
        if not territory.everything:
            assert territory.keys <= province_codes_visible_to(viewer), viewer


def test_territory_of_lists_what_each_role_sees(geo_map: Map) -> None:
    province = territory_of(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p))
    commune = territory_of(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1))
    surveyor = territory_of(scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1))

    assert territory_of(admin_factory()) == Territory(everything=True)
    assert province == Territory(province_codes=frozenset({"97"}))
    assert province.keys == {"97"}
    assert commune == Territory(
        commune_ids=frozenset({geo_map.c1.pk}), commune_province_codes=frozenset({"97"})
    )
    assert surveyor.village_ids == frozenset({geo_map.v1.pk})  # not v1b, the other village of c1
    assert surveyor.commune_ids == {geo_map.c1.pk}
    assert surveyor.keys == {"97"}
    assert territory_of(None).is_empty and territory_of(None).keys == set()
    assert territory_of(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.c1)).is_empty


@pytest.mark.parametrize(
    ("role", "scope", "queries"),
    [
        (Role.SYSTEM_ADMIN, "", 0),
        ("", "p", 0),
        (Role.PROVINCE_OFFICER, "p", 1),
        (Role.COMMUNE_OFFICER, "c1", 1),
        (Role.VILLAGE_SURVEYOR, "v1", 1),
    ],
)
def test_territory_of_is_at_most_one_query(
    geo_map: Map, role: str, scope: str, queries: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    viewer: User
    if not scope:
        viewer = admin_factory()
    elif scope.startswith("v"):
        viewer = scoped_user_factory(role=role, village=getattr(geo_map, scope))
    else:
        viewer = scoped_user_factory(role=role, unit=getattr(geo_map, scope))

    with django_assert_num_queries(queries):
        territory_of(viewer)
