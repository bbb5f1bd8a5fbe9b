"""What the registry needs from PostgreSQL to stay fast on a million households (skipped on SQLite):
the search indexes of migration 0004 and JIT compilation turned off for the site's connections."""

from __future__ import annotations

import pytest
from django.db import connection

from giamngheo.accounts.models import Role
from giamngheo.registry.models import Household
from giamngheo.registry.selectors import household_search
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory, member_factory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def _indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_member_names_have_a_trigram_index_and_codes_an_upper_case_one() -> None:
    members = _indexes("registry_member")
    households = _indexes("registry_household")

    assert "gin (full_name_search gin_trgm_ops)" in members["registry_member_name_trgm_idx"]
    assert "upper((code)::text)" in households["registry_hh_code_upper_idx"]


def test_jit_is_off() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_name_index_answers_a_substring_search(geo_map: Map) -> None:
    household = household_factory(commune=geo_map.c1, village=geo_map.v1, code="T1")
    member_factory(household=household, full_name="Nguyễn Thị Ngọc Thư")
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)  # a province: the index
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show the index
        cursor.execute(
            "EXPLAIN SELECT id FROM registry_member WHERE full_name_search LIKE %s", ["%ngoc thu%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "registry_member_name_trgm_idx" in plan
    assert list(household_search(viewer=officer, query="ngoc thu")) == [household]
    assert list(household_search(viewer=officer, query="NGỌC THƯ")) == [household]
    assert not Household.objects.exclude(pk=household.pk).exists()
