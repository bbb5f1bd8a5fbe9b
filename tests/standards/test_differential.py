"""Differential tests: the vectorised engine against the row-by-row reference (``benchmarks/reference.py``).

Hypothesis draws small populations (up to 30 households of 0-8 members) whose facts sit on the edges the
rules care about: incomes exactly at a line × members (per year) and one đồng either side, ages at every
age cut-off of every shipped standard and one year either side, floor areas at the per-person minimum ×
members, scores at the score lines. Any fact that may be empty is emptied now and then. Every shipped
standard (:func:`giamngheo.standards.list_standards`) is applied by :func:`giamngheo.standards.evaluate`
and by :func:`benchmarks.reference.classify_reference`, and every household must agree on the class,
each indicator (True / False / unknown), the deprivation count, the income per person, the line and
the set of missing facts.

Two properties of the engine alone: row order (of households and of members) changes no household's
result, and a household evaluated alone equals the same household inside the batch.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from giamngheo.standards import Standard, evaluate, list_standards
from giamngheo.standards.facts import (
    EMPLOYMENT_VALUES,
    GENERAL_EDUCATION_VALUES,
    LATRINE_VALUES,
    SCHOOL_ATTENDANCE_VALUES,
    SEX_VALUES,
    VOCATIONAL_VALUES,
    WASTE_VALUES,
    WATER_SOURCE_VALUES,
    Level,
    polars_schema,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.reference import classify_reference

STANDARDS: list[Standard] = list_standards()
SCORE_STANDARDS = [s for s in STANDARDS if s.score is not None]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- the edges, read from the shipped standards -------------------------------------------------------------


def _numbers_named(values: Any, word: str) -> Iterator[int | float]:
    """Every number under a key containing ``word`` in (nested) parameter tables."""
    if isinstance(values, Mapping):
        for key, value in values.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and word in key:
                yield value
            else:
                yield from _numbers_named(value, word)
    elif isinstance(values, list):
        for item in values:
            yield from _numbers_named(item, word)


def _all_params(standard: Standard) -> list[Mapping[str, Any]]:
    return [standard.params, *(i.params for i in standard.indicators)]


#: Yearly VND per person: every lower, poverty and middle-living line of every standard and area.
LINES_PER_YEAR = sorted(
    {
        value
        for s in STANDARDS
        for lines in s.lines.values()
        for value in (lines.lower, lines.poverty, lines.middle_upper)
        if value is not None
    }
)
AGE_CUTS = sorted({int(a) for s in STANDARDS for a in _numbers_named(_all_params(s), "age")})
EDGE_AGES = sorted({max(0, a + d) for a in AGE_CUTS for d in (-1, 0, 1)})
AREA_PER_PERSON = sorted({float(a) for s in STANDARDS for a in _numbers_named(_all_params(s), "m2")})
SCORE_LINES = sorted({v for s in SCORE_STANDARDS if s.score for v in (s.score.urban, s.score.rural)})

HOUSEHOLD_SCHEMA = {**polars_schema(Level.HOUSEHOLD), "commune_code": pl.String()}
MEMBER_SCHEMA = polars_schema(Level.MEMBER)

# --- strategies ---------------------------------------------------------------------------------------------

BOOL = (False, True)
#: Member facts other than the key and age, with their allowed values (each drawn as one of them).
MEMBER_CHOICES: dict[str, tuple[Any, ...]] = {
    "sex": SEX_VALUES,
    "has_labour_capacity": BOOL,
    "employment": EMPLOYMENT_VALUES,
    "has_health_insurance": BOOL,
    "stunted": BOOL,
    "underweight": BOOL,
    "school_attendance": SCHOOL_ATTENDANCE_VALUES,
    "general_education": GENERAL_EDUCATION_VALUES,
    "vocational_qualification": VOCATIONAL_VALUES,
    "enterprise_trained": BOOL,
}
HOUSEHOLD_BOOLEANS = (
    "ill_member_untreated",
    "has_dwelling",
    "uses_internet",
    "uses_telephone",
    "has_tv",
    "has_radio",
    "has_computer",
    "has_smartphone",
    "hears_loudspeaker",
)
HOUSEHOLD_CHOICES: dict[str, tuple[Any, ...]] = {
    "area": ("urban", "rural"),
    "commune_code": ("00001", "00002"),
    "durable_main_parts": (0, 1, 2, 3),
    "water_source": WATER_SOURCE_VALUES,
    "latrine_type": LATRINE_VALUES,
    "waste_disposal": WASTE_VALUES,
    **dict.fromkeys(HOUSEHOLD_BOOLEANS, BOOL),
}
NULLABLE_MEMBER_FACTS = tuple(sorted(MEMBER_CHOICES))
NULLABLE_HOUSEHOLD_FACTS = tuple(
    sorted({*HOUSEHOLD_CHOICES, "income_12m", "income_score", "floor_area_m2"} - {"area", "commune_code"})
)


def choices(table: Mapping[str, tuple[Any, ...]]) -> st.SearchStrategy[dict[str, Any]]:
    """One value per fact, all drawn as ONE integer read in mixed radix (fast to draw; shrinks towards the
    first allowed value of every fact)."""
    combinations = math.prod(len(values) for values in table.values())

    def decode(code: int) -> dict[str, Any]:
        row = {}
        for name, values in table.items():
            code, index = divmod(code, len(values))
            row[name] = values[index]
        return row

    return st.integers(0, combinations - 1).map(decode)


#: A household and members with no deprivation at all, to be roughened fact by fact: without them nearly
#: every drawn household would have 3 deprivations or more, and near-poor would hardly ever be drawn.
TIDY_HOUSEHOLD: dict[str, Any] = {
    **dict.fromkeys(HOUSEHOLD_BOOLEANS, True),
    "ill_member_untreated": False,
    "durable_main_parts": 3,
    "water_source": "piped",
    "latrine_type": "septic",
    "waste_disposal": "collected",
}
TIDY_MEMBER: dict[str, Any] = {
    "has_labour_capacity": True,
    "employment": "wage_with_contract",
    "has_health_insurance": True,
    "stunted": False,
    "underweight": False,
    "school_attendance": "attending",
    "general_education": "upper_secondary",
    "vocational_qualification": "college_or_higher",
    "enterprise_trained": False,
}

# Strategies are built once: building them inside a composite costs more than drawing from them.
AGE = st.one_of(st.sampled_from(EDGE_AGES), st.integers(0, 130))
TIDY_AGE = st.one_of(st.sampled_from(EDGE_AGES), st.integers(18, 55))
MEMBER_VALUES = choices(MEMBER_CHOICES)
HOUSEHOLD_VALUES = choices(HOUSEHOLD_CHOICES)
MEMBER_NULLS = st.lists(st.sampled_from(NULLABLE_MEMBER_FACTS), max_size=3)
HOUSEHOLD_NULLS = st.lists(st.sampled_from(NULLABLE_HOUSEHOLD_FACTS), max_size=3)
ROUGH_MEMBER_FACTS = st.lists(st.sampled_from(sorted(TIDY_MEMBER)), max_size=2)
ROUGH_HOUSEHOLD_FACTS = st.lists(st.sampled_from(sorted(TIDY_HOUSEHOLD)), max_size=3)
MEMBER_COUNT = st.integers(0, 8)
#: (line per person per year, offset in đồng): income = line × members + offset.
INCOME_EDGE = st.tuples(st.sampled_from(LINES_PER_YEAR), st.sampled_from((-1, 0, 1)))
ANY_INCOME = st.integers(0, 2_000_000_000)
#: (m² per person, offset): area = minimum × members + offset.
AREA_EDGE = st.tuples(st.sampled_from(AREA_PER_PERSON), st.sampled_from((-0.5, -1e-9, 0.0, 1e-9, 0.5)))
ANY_AREA = st.floats(0, 400, allow_nan=False)
SCORE = st.one_of(
    st.builds(lambda line, d: line + d, st.sampled_from(SCORE_LINES), st.sampled_from((-1, -0.5, 0, 0.5, 1))),
    st.floats(0, 400, allow_nan=False),
)
COIN = st.booleans()


def _tidied(
    draw: st.DrawFn, values: dict[str, Any], tidy: dict[str, Any], rough: st.SearchStrategy[list[str]]
) -> dict[str, Any]:
    """``values`` made tidy except for a few drawn facts."""
    return {**values, **tidy, **{name: values[name] for name in draw(rough)}}


@st.composite
def member(draw: st.DrawFn, tidy: bool, sparse: bool) -> dict[str, Any]:
    values = draw(MEMBER_VALUES)
    if tidy:
        row = {"age": draw(TIDY_AGE), **_tidied(draw, values, TIDY_MEMBER, ROUGH_MEMBER_FACTS)}
    else:
        row = {"age": draw(AGE), **values}
    return {**row, **dict.fromkeys(draw(MEMBER_NULLS))} if sparse else row


MEMBER = {(tidy, sparse): member(tidy, sparse) for tidy in (False, True) for sparse in (False, True)}


@st.composite
def household(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A household (without its id) and its members (0-8)."""
    tidy, sparse = draw(COIN), draw(COIN)
    n = draw(MEMBER_COUNT)
    people = [draw(MEMBER[tidy, sparse]) for _ in range(n)]
    if draw(COIN):
        line, offset = draw(INCOME_EDGE)
        income = max(0, line * max(n, 1) + offset)
    else:
        income = draw(ANY_INCOME)
    if draw(COIN):
        per_person, delta = draw(AREA_EDGE)
        area_m2 = max(0.0, per_person * n + delta)
    else:
        area_m2 = draw(ANY_AREA)
    values = draw(HOUSEHOLD_VALUES)
    if tidy:
        values = _tidied(draw, values, TIDY_HOUSEHOLD, ROUGH_HOUSEHOLD_FACTS)
    row = {"income_12m": income, "income_score": draw(SCORE), "floor_area_m2": area_m2, **values}
    return ({**row, **dict.fromkeys(draw(HOUSEHOLD_NULLS))} if sparse else row), people


HOUSEHOLD = household()


@st.composite
def population(
    draw: st.DrawFn, max_households: int = 30
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Households ``H000``, ``H001`` … and their members, in household order."""
    households: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    size = draw(st.integers(1, max_households))
    for i, (row, people) in enumerate(draw(st.lists(HOUSEHOLD, min_size=size, max_size=size))):
        households.append({"household_id": f"H{i:03d}", **row})
        members.extend({"household_id": f"H{i:03d}", **person} for person in people)
    return households, members


def frames(
    households: list[dict[str, Any]], members: list[dict[str, Any]]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    return pl.DataFrame(households, schema=HOUSEHOLD_SCHEMA), pl.DataFrame(members, schema=MEMBER_SCHEMA)


# --- comparison ---------------------------------------------------------------------------------------------


def differences(
    engine_row: Mapping[str, Any], reference_row: Mapping[str, Any], standard: Standard
) -> list[str]:
    """Human-readable differences between the engine's and the reference's result for one household.

    Numbers are compared to the last bit: income per person and the monthly line are one division of
    whole numbers, which both sides must round the same (correctly)."""
    found = []
    keys = ["household_id", "area", "members", "class", "deprivation_count", "line"]
    keys += [key for key in ("income_per_person", "income_score") if key in reference_row]
    keys += [f"dep_{i.id}" for i in standard.indicators]
    for key in keys:
        if engine_row[key] != reference_row[key]:
            found.append(f"{key}: engine={engine_row[key]!r} reference={reference_row[key]!r}")
    if set(engine_row["missing"]) != set(reference_row["missing"]):
        found.append(f"missing: engine={sorted(engine_row['missing'])} reference={reference_row['missing']}")
    return found


def assert_agree(
    households: list[dict[str, Any]],
    members: list[dict[str, Any]],
    standard: Standard,
    basis: Any = "income",
) -> None:
    hh, mm = frames(households, members)
    engine = evaluate(hh, mm, standard, basis=basis).to_dicts()
    reference = classify_reference(households, members, standard, basis=basis)
    assert [r["household_id"] for r in engine] == [h["household_id"] for h in households]
    members_of: dict[str, list[dict[str, Any]]] = {h["household_id"]: [] for h in households}
    for m in members:
        members_of[m["household_id"]].append(m)
    report = []
    for engine_row, reference_row, facts in zip(engine, reference, households, strict=True):
        if found := differences(engine_row, reference_row, standard):
            people = members_of[facts["household_id"]]
            report.append(
                f"\n{standard.id} ({basis}) household {facts}\n  members {people}\n  " + "\n  ".join(found)
            )
    assert not report, "".join(report)


# --- the differential tests ---------------------------------------------------------------------------------


def test_every_shipped_standard_is_covered() -> None:
    assert {s.id for s in STANDARDS} >= {"vn-2016-2020", "vn-2022-2025", "vn-2027-2030"}
    assert LINES_PER_YEAR and AGE_CUTS and AREA_PER_PERSON and SCORE_LINES


@settings(SETTINGS, max_examples=150)
@given(population())
def test_engine_equals_reference_for_every_standard(
    data: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    households, members = data
    for standard in STANDARDS:
        assert_agree(households, members, standard)


@pytest.mark.parametrize("standard", SCORE_STANDARDS, ids=lambda s: s.id)
@settings(SETTINGS, max_examples=60)
@given(data=population())
def test_engine_equals_reference_on_the_score_basis(
    standard: Standard, data: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    households, members = data
    assert_agree(households, members, standard, basis="score")


# --- properties of the engine -------------------------------------------------------------------------------


def _by_household(results: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {row["household_id"]: row for row in results.to_dicts()}


@SETTINGS
@given(data=population(max_households=15), shuffle=st.randoms(use_true_random=False))
def test_row_order_changes_no_result(
    data: tuple[list[dict[str, Any]], list[dict[str, Any]]], shuffle: Any
) -> None:
    households, members = data
    hh, mm = frames(households, members)
    shuffled_households = hh.sample(fraction=1.0, shuffle=True, seed=shuffle.randrange(2**32))
    shuffled_members = mm.sample(fraction=1.0, shuffle=True, seed=shuffle.randrange(2**32))
    for standard in STANDARDS:
        expected = _by_household(evaluate(hh, mm, standard))
        result = evaluate(shuffled_households, shuffled_members, standard)
        assert result["household_id"].to_list() == shuffled_households["household_id"].to_list()
        assert _by_household(result) == expected


@SETTINGS
@given(data=population(max_households=15), pick=st.integers(0, 14))
def test_a_household_alone_equals_the_same_household_in_the_batch(
    data: tuple[list[dict[str, Any]], list[dict[str, Any]]], pick: int
) -> None:
    households, members = data
    chosen = households[pick % len(households)]
    own = [m for m in members if m["household_id"] == chosen["household_id"]]
    hh, mm = frames(households, members)
    alone_hh, alone_mm = frames([chosen], own)
    for standard in STANDARDS:
        batch = _by_household(evaluate(hh, mm, standard))[chosen["household_id"]]
        alone = evaluate(alone_hh, alone_mm, standard).to_dicts()
        assert alone == [batch]


# --- fixed cases the reference and the engine must both get right -------------------------------------------


def _adult(household_id: str, **facts: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "household_id": household_id,
        "age": 40,
        "sex": "female",
        "has_labour_capacity": True,
        "employment": "self_employed",
        "has_health_insurance": True,
        "stunted": False,
        "underweight": False,
        "school_attendance": "not_attending",
        "general_education": "upper_secondary",
        "vocational_qualification": "none",
        "enterprise_trained": False,
    }
    row.update(facts)
    return row


def _home(household_id: str, **facts: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "household_id": household_id,
        "commune_code": "00001",
        "area": "rural",
        "income_12m": 0,
        "income_score": 100.0,
        "durable_main_parts": 3,
        "floor_area_m2": 100.0,
        "water_source": "piped",
        "latrine_type": "septic",
        "waste_disposal": "collected",
        **dict.fromkeys(HOUSEHOLD_BOOLEANS, True),
        "ill_member_untreated": False,
    }
    row.update(facts)
    return row


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_income_exactly_at_the_line(standard: Standard, offset: int) -> None:
    """``income ≤ line`` is below the line (từ … trở xuống); one đồng more is above."""
    line = standard.lines["rural"].poverty
    households = [_home("A", income_12m=line * 3 + offset)]
    members = [_adult("A"), _adult("A"), _adult("A")]
    assert_agree(households, members, standard)
    result = evaluate(*frames(households, members), standard)
    below = offset <= 0
    assert (result["class"][0] in ("poor", "near_poor")) == below


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_known_deprivation_decides_despite_an_unknown_member(standard: Standard) -> None:
    """One member known to be uninsured makes the household deprived, whatever the others' cards say."""
    households = [_home("A")]
    members = [_adult("A", has_health_insurance=False), _adult("A", has_health_insurance=None)]
    assert_agree(households, members, standard)
    assert evaluate(*frames(households, members), standard)["dep_health_insurance"][0] is True


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
@pytest.mark.parametrize(("has_dwelling", "expected"), [(True, None), (False, True)])
def test_floor_area_without_member_rows(
    standard: Standard, has_dwelling: bool, expected: bool | None
) -> None:
    """Without member rows the area per person is unknown: 0 m² of dwelling is not "not deprived" (it is
    below 8 m² per person for any number of members), it is unknown. But with no dwelling at all the
    household is deprived whatever its size. Either way it is incomplete, missing "members"."""
    households = [_home("A", floor_area_m2=0.0, has_dwelling=has_dwelling)]
    assert_agree(households, [], standard)
    result = evaluate(*frames(households, []), standard)
    assert result["dep_floor_area"][0] is expected
    assert result["missing"][0].to_list() == ["members"]


def test_income_per_person_does_not_depend_on_the_batch() -> None:
    """5 đồng a year for 1 person is 5/12 đồng a month: the nearest double is 0.4166666666666667, alone or in
    a batch of two (dividing by a scalar must not become a multiplication by its rounded reciprocal)."""
    standard = STANDARDS[0]
    households = [_home("A", income_12m=5), _home("B")]
    members = [_adult("A"), _adult("B")]
    batch = evaluate(*frames(households, members), standard)["income_per_person"].to_list()
    alone = evaluate(*frames(households[:1], members[:1]), standard)["income_per_person"].to_list()
    assert batch[0] == alone[0] == 5 / 12
