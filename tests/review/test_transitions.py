import datetime
from typing import Any

import polars as pl
import pytest

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, HouseholdStatus, Member
from giamngheo.review.selectors import round_transitions
from giamngheo.review.transitions import CATEGORIES, commune_totals, household_transitions, transition_counts
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)


def test_every_category_from_a_hand_built_pair_of_rounds() -> None:
    rows = [  # household, village, previous, current, status, joined
        (1, 1, "poor", "poor", "active", None),
        (2, 1, "poor", "near_poor", "active", None),
        (3, 1, "poor", "not_poor", "active", None),
        (4, 2, "near_poor", "near_poor", "active", None),
        (5, 2, "near_poor", "middle_living", "active", None),
        (6, 2, "poor", None, "moved_out", None),
        (7, None, "near_poor", None, "merged", None),
        (8, 1, "not_poor", "poor", "active", None),
        (9, 2, None, "poor", "active", None),  # poor in an earlier round: relapsed
        (10, 1, None, "poor", "active", datetime.date(2025, 3, 1)),
        (11, 1, "middle_living", "near_poor", "active", None),
        (12, 1, "near_poor", None, "active", None),
        (13, 1, "poor", "incomplete", "active", None),
        (14, 1, "not_poor", "not_poor", "active", None),
    ]
    previous = pl.DataFrame(
        [(h, v, p) for h, v, p, *_ in rows if p is not None],
        schema=["household_id", "village_id", "klass"],
        orient="row",
    )
    current = pl.DataFrame(
        [(h, v, c) for h, v, _p, c, *_ in rows if c is not None],
        schema=["household_id", "village_id", "klass"],
        orient="row",
    )
    registry = pl.DataFrame(
        [(h, s, j) for h, *_r, s, j in rows],
        schema={"household_id": pl.Int64, "status": pl.String, "joined_on": pl.Date},
        orient="row",
    )

    result = household_transitions(
        previous, current, registry, earlier_poor=[9], previous_reference=datetime.date(2024, 10, 1)
    )

    assert result["category"].cast(pl.String).to_list() == [
        "remained_poor",
        "escaped_to_near_poor",
        "escaped_poverty",
        "remained_near_poor",
        "escaped_near_poverty",
        "moved_out",
        "died_merged",
        "newly_poor",
        "relapsed",
        "moved_in",
        "newly_near_poor",
        "not_reviewed",
        "incomplete",
        "other",
    ]
    counts = transition_counts(result)
    assert counts["village_id"].to_list() == [1, 2, None]
    assert counts.row(1, named=True) | {"village_id": 2} == {
        "village_id": 2,
        **dict.fromkeys(CATEGORIES, 0),
        "remained_near_poor": 1,
        "escaped_near_poverty": 1,
        "moved_out": 1,
        "relapsed": 1,
    }
    totals = commune_totals(counts)
    assert all(totals[c] == 1 for c in CATEGORIES)


def _officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)


@pytest.mark.django_db
def test_transitions_between_two_approved_rounds(geo_map: Map) -> None:
    officer = _officer(geo_map)
    made = {k: household_with_adult(commune=geo_map.c1, village=geo_map.v1) for k in "abcdef"}
    poor = household_facts(income=POOR_INCOME, deprived=3)
    near = household_facts(income=POOR_INCOME, deprived=1)
    rich = household_facts()
    plan: dict[
        str, tuple[dict[str, Any] | None, ...]
    ] = {  # household: class facts in 2024, 2025, 2026 (None: not in that round)
        "a": (poor, poor, poor),
        "b": (poor, rich, poor),
        "c": (None, poor, near),
        "d": (None, near, None),
        "e": (None, None, poor),
        "f": (None, rich, poor),
    }
    rounds = []
    for i, year in enumerate((2024, 2025, 2026)):
        listed = {k: made[k] for k, facts in plan.items() if facts[i] is not None}
        rnd = open_round(
            commune=geo_map.c1, households=[h for h, _m in listed.values()], actor=officer, year=year
        )
        for key, (household, member) in listed.items():
            facts = plan[key][i]
            assert facts is not None
            survey(rnd, household, facts, [adult_facts(member)], officer)
        rounds.append(approve(rnd, actor=officer, posting_day=datetime.date(year, 11, 1)))
        if year == 2025:
            Household.objects.filter(pk=made["d"][0].pk).update(status=HouseholdStatus.MOVED_OUT)
    HouseholdEvent.objects.create(
        kind=EventKind.CREATED, household=made["e"][0], province_code="97", date=datetime.date(2026, 1, 10)
    )

    found = round_transitions(viewer=officer, review_round=rounds[2])

    assert found is not None and found.previous == rounds[1]
    by_household = dict(
        zip(
            found.per_household["household_id"].to_list(),
            found.per_household["category"].cast(pl.String).to_list(),
            strict=True,
        )
    )
    assert {k: by_household[made[k][0].pk] for k in plan} == {
        "a": "remained_poor",
        "b": "relapsed",
        "c": "escaped_to_near_poor",
        "d": "moved_out",
        "e": "moved_in",
        "f": "newly_poor",
    }
    assert [row.village for row in found.villages] == [geo_map.v1]
    assert found.totals["relapsed"] == 1 and found.totals["remained_poor"] == 1
    outsider = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    hidden = round_transitions(viewer=outsider, review_round=rounds[2])
    assert hidden is not None and sum(hidden.totals.values()) == 0
    assert Member.objects.count() == 6
