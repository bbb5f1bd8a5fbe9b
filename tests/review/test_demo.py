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


def test_demo_posting_load_posts_this_years_round_of_the_demo_commune(
    geo_map: Map, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from giamngheo.review import demo
    from giamngheo.review.selectors import public_round

    _registry(geo_map, 30)
    monkeypatch.setattr(demo, "POSTING_COMMUNE", geo_map.c1.code)
    monkeypatch.setattr(demo, "YEARS", (2024, 2025))
    today = datetime.date(2026, 11, 27)
    monkeypatch.setattr(timezone, "localdate", lambda: today)
    lines: list[str] = []

    demo.demo_posting_load(write=lines.append)

    posted = ReviewRound.objects.get(commune=geo_map.c1, year=2026)
    assert posted.status == RoundStatus.POSTING
    assert public_round(posted.pk, today=today) is not None
    assert lines[-1].startswith(f"Posting round: {geo_map.c1.name} 2026, posted from 26/11/2026")
    demo.demo_posting_load(write=lines.append)
    assert ReviewRound.objects.filter(commune=geo_map.c1).count() == 1
