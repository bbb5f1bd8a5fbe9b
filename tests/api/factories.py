"""Test data of the API: a province with approved rounds in two years, causes, villages that
name their pre-2025 commune (so a pre-2025 district has forms for 2024), and API clients."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from giamngheo.accounts.models import User
from giamngheo.geo.models import AdminUnit, Level, UnitMapping, Village
from giamngheo.review.models import ReviewRound
from giamngheo.review.services import causes_record
from tests.accounts.factories import village_factory
from tests.geo.factories import commune_factory, old_unit_factory, province_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

API = "/api/v1"
POOR = household_facts(income=POOR_INCOME, deprived=3)
POOR4 = household_facts(income=POOR_INCOME, deprived=4)
NEAR = household_facts(income=POOR_INCOME, deprived=1)
RICH = household_facts()


@dataclass
class World:
    province: AdminUnit
    other: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    va: Village
    vb: Village
    vc: Village
    district: AdminUnit
    old_a: AdminUnit
    old_b: AdminUnit


def _round(commune: AdminUnit, year: int, plan: list[tuple[Any, dict[str, Any], list[str]]]) -> ReviewRound:
    rnd = open_round(commune=commune, households=[h for (h, _m), _f, _c in plan], year=year)
    for (household, member), facts, causes in plan:
        survey(rnd, household, facts, [adult_facts(member)])
        if causes:
            causes_record(
                round_household=entry_of(rnd, household), causes=causes, support_needs=[], actor=None
            )
    return approve(rnd, posting_day=dt.date(year, 11, 1))


def make_world() -> World:
    """Province 98: commune c1 "Xã Một" (villages A, B and a household without a village) with
    approved rounds in 2024 and 2025; commune c2 "Xã Hai" (village C) with a 2025 round only; province
    96 apart. Before 1 July 2025: district 980 "Huyện Cũ" with communes 98101 "Xã Cũ A" (village A) and
    98102 "Xã Cũ B" (villages B and C)."""
    province = province_factory(code="98", name="Tỉnh Thử")
    other = province_factory(code="96", name="Tỉnh Khác")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    old_province = old_unit_factory(code="98", level=Level.PROVINCE, name="Tỉnh Cũ")
    district = old_unit_factory(code="980", level=Level.DISTRICT, parent=old_province, name="Huyện Cũ")
    old_a = old_unit_factory(code="98101", level=Level.COMMUNE, parent=district, name="Xã Cũ A")
    old_b = old_unit_factory(code="98102", level=Level.COMMUNE, parent=district, name="Xã Cũ B")
    for old, new in ((old_a, c1), (old_b, c1), (old_b, c2)):
        UnitMapping.objects.create(old_unit=old, new_unit=new, province_code="98", source="thử")
    va = village_factory(commune=c1, name="Thôn A", former_commune=old_a)
    vb = village_factory(commune=c1, name="Thôn B", former_commune=old_b)
    vc = village_factory(commune=c2, name="Thôn C", former_commune=old_b)
    h1 = household_with_adult(commune=c1, village=va, ethnic_minority=True)
    h2 = household_with_adult(commune=c1, village=va)
    h3 = household_with_adult(commune=c1, village=vb)
    household_with_adult(commune=c1, village=vb)  # h4: not reviewed, counts in the denominator
    h5 = household_with_adult(commune=c1, village=None, area="urban")
    h6 = household_with_adult(commune=c2, village=vc, meritorious_family=True)
    h7 = household_with_adult(commune=c2, village=vc)
    _round(c1, 2024, [(h1, POOR, []), (h3, POOR, []), (h2, RICH, [])])
    _round(
        c1,
        2025,
        [(h1, POOR, ["capital", "land"]), (h2, NEAR, ["capital"]), (h3, RICH, []), (h5, POOR4, [])],
    )
    _round(c2, 2025, [(h6, POOR, ["illness"]), (h7, RICH, [])])
    return World(province, other, c1, c2, va, vb, vc, district, old_a, old_b)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, path: str, headers: dict[str, str] | None = None, **params: Any) -> tuple[int, Any]:
    response = client.get(f"{API}{path}", params, headers=headers or {})
    return response.status_code, json.loads(response.content)
