import datetime

import pytest

from giamngheo.registry.models import Household, Member
from giamngheo.review.demo import demo_rounds_load
from giamngheo.review.models import Result, ReviewRound, RoundStatus
from giamngheo.review.selectors import round_transitions
from tests.accounts.factories import admin_factory
from tests.registry.conftest import Map
from tests.registry.factories import household_factory

pytestmark = pytest.mark.django_db


def _registry(geo_map: Map, households: int) -> None:
    villages = [geo_map.v1, geo_map.v1b, None]
    for i in range(households):
        household = household_factory(commune=geo_map.c1, village=villages[i % 3], code=f"D{i:04d}")
        for j in range(1 + i % 4):
            Member.objects.create(
                household=household,
                province_code="97",
                full_name="Người Mẫu",
                full_name_search="nguoi mau",
                sex="female" if j % 2 else "male",
                date_of_birth=datetime.date(1950 + (i * 7 + j * 13) % 70, 1 + j, 10) if (i + j) % 5 else None,
            )


def test_demo_rounds_load_approves_2024_and_2025_and_is_idempotent(geo_map: Map) -> None:
    _registry(geo_map, 90)
    lines: list[str] = []

    demo_rounds_load(write=lines.append)

    rounds = list(ReviewRound.objects.filter(commune=geo_map.c1).order_by("year"))
    assert [(r.year, r.status, r.standard_id) for r in rounds] == [
        (2024, RoundStatus.APPROVED, "vn-2022-2025"),
        (2025, RoundStatus.APPROVED, "vn-2022-2025"),
    ]
    assert Result.objects.filter(round=rounds[0], superseded=False).count() == 90
    assert Result.objects.filter(round=rounds[0], superseded=False, klass="incomplete").count() == 0
    assert lines[-1] == "Review rounds: 1 commune(s) loaded."
    found = round_transitions(viewer=admin_factory(), review_round=rounds[1])
    assert found is not None and sum(found.totals.values()) == 90
    first = dict(Result.objects.filter(round=rounds[0]).values_list("household_id", "klass"))
    second = dict(Result.objects.filter(round=rounds[1]).values_list("household_id", "klass"))
    assert first != second  # the facts vary between the years

    demo_rounds_load(write=lines.append)
    assert ReviewRound.objects.count() == 2
    assert lines[-1] == "Review rounds: 0 commune(s) loaded."
    assert Household.objects.count() == 90
