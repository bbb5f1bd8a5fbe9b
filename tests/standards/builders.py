"""Builders for standards-engine tests: facts frames from a baseline non-deprived household.

The baseline household is deprived in no indicator of any shipped standard, and its income is far above
every line; a test overrides only the facts that matter to it::

    households, members = one_household([person(40, has_health_insurance=False)], area="urban")
    row = evaluate_one(get_standard("vn-2022-2025"), [person(40)], income_12m=None)

Members get realistic defaults for their age (children attend school, adults finished upper secondary
and work with a labour contract). Frames are typed with the facts schema, so a column whose values are
all null keeps its type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from giamngheo.standards import Standard, evaluate
from giamngheo.standards.engine import Basis
from giamngheo.standards.facts import Level, polars_schema

Row = dict[str, Any]

#: A Vietnamese letter with a diacritic: messages meant for users must contain some.
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)

#: Income far above every line of every standard (50 million VND per person per month).
RICH_PER_PERSON_YEAR = 600_000_000
#: Placeholder for "a rich income for however many members the household has" (see :func:`frames`).
AUTO = "auto"

BASE_HOUSEHOLD: Mapping[str, Any] = {
    "household_id": "h1",
    "area": "rural",
    "income_12m": AUTO,
    "income_score": 500.0,
    "ill_member_untreated": False,
    "has_dwelling": True,
    "durable_main_parts": 3,
    "floor_area_m2": 120.0,
    "water_source": "piped",
    "latrine_type": "septic",
    "waste_disposal": "collected",
    "uses_internet": True,
    "uses_telephone": True,
    "has_tv": True,
    "has_radio": True,
    "has_computer": True,
    "has_smartphone": True,
    "hears_loudspeaker": True,
}


def household(**overrides: Any) -> Row:
    """One household row: the baseline with ``overrides`` (unknown fact names are refused)."""
    unknown = set(overrides) - set(BASE_HOUSEHOLD) - {"province_code", "commune_code", "weight"}
    if unknown:
        raise KeyError(f"unknown household facts: {sorted(unknown)}")
    return {**BASE_HOUSEHOLD, **overrides}


def _general_education(age: int) -> str:
    if age >= 18:
        return "upper_secondary"
    if age >= 15:
        return "lower_secondary"
    return "primary" if age >= 11 else "none"


def person(age: int | None = 40, **overrides: Any) -> Row:
    """One member row, non-deprived for their age, with ``overrides``.

    Children aged 3-17 attend school at the level for their age and have the schooling for it (lower
    secondary from 15). Adults have finished upper secondary, are not in school and, from 18 to 59, work
    with a labour contract. Everyone is male, insured, able to work, neither stunted nor underweight.
    """
    years = 40 if age is None else age
    row: Row = {
        "household_id": "h1",
        "age": age,
        "sex": "male",
        "has_labour_capacity": True,
        "employment": "wage_with_contract" if 18 <= years < 60 else "not_in_labour_force",
        "has_health_insurance": True,
        "stunted": False,
        "underweight": False,
        "school_attendance": "attending" if 3 <= years < 18 else "not_attending",
        "general_education": _general_education(years),
        "vocational_qualification": "none",
        "enterprise_trained": False,
    }
    unknown = set(overrides) - set(row)
    if unknown:
        raise KeyError(f"unknown member facts: {sorted(unknown)}")
    row.update(overrides)
    return row


def frames(households: Sequence[Row], members: Sequence[Row]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed household and member frames; ``income_12m=AUTO`` becomes a rich income for the household's
    number of members (``None`` stays unobserved)."""
    n_by_household: dict[Any, int] = {}
    for m in members:
        n_by_household[m["household_id"]] = n_by_household.get(m["household_id"], 0) + 1
    rows = []
    for h in households:
        if h.get("income_12m") == AUTO:
            h = {**h, "income_12m": RICH_PER_PERSON_YEAR * max(n_by_household.get(h["household_id"], 0), 1)}
        rows.append(h)
    return _frame(rows, Level.HOUSEHOLD), _frame(list(members), Level.MEMBER)


def _frame(rows: Sequence[Row], level: Level) -> pl.DataFrame:
    schema = polars_schema(level)
    columns = list(rows[0]) if rows else list(schema)
    typed = {c: schema.get(c, pl.String()) for c in columns}
    if "weight" in typed:
        typed["weight"] = pl.Float64()
    return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=typed, orient="row")


def one_household(members: Iterable[Row] = (), **overrides: Any) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Frames for household ``h1`` (the baseline with ``overrides``) and ``members``.

    ``members`` defaults to nothing; pass ``[person()]`` for a one-person household. Give
    ``income_12m=None`` to leave the income unobserved.
    """
    row = household(**overrides)
    return frames([row], [{**m, "household_id": row["household_id"]} for m in members])


def evaluate_one(
    standard: Standard, members: Iterable[Row] = (), *, basis: Basis = "income", **overrides: Any
) -> Row:
    """Evaluate one household under ``standard`` and return its result row as a dict."""
    households, member_frame = one_household(members, **overrides)
    result = evaluate(households, member_frame, standard, basis=basis)
    assert result.height == 1
    return result.row(0, named=True)


def income_at(standard: Standard, area: str, members: int, line: str = "poverty", delta: int = 0) -> int:
    """Household income over 12 months that puts income per person exactly at ``line`` (``poverty``,
    ``lower`` or ``middle_upper`` of ``area``), plus ``delta`` đồng per year for the whole household."""
    per_person_year: int | None = getattr(standard.lines[area], line)
    assert per_person_year is not None, f"{standard.id} has no {line} line for {area}"
    return per_person_year * members + delta


#: Household facts that deprive exactly one indicator each in every shipped standard, in the order
#: used by :func:`deprived_in`. Telecom needs both services absent in 2016-2020 (phone and internet).
DEPRIVATIONS: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("water_source", {"water_source": "surface_water"}),
    ("latrine", {"latrine_type": "simple_pit"}),
    ("housing_quality", {"durable_main_parts": 1}),
    ("telecom", {"uses_internet": False, "uses_telephone": False}),
)


def deprived_in(count: int) -> Row:
    """Household overrides that make the household deprived in exactly ``count`` indicators (0-4)."""
    assert 0 <= count <= len(DEPRIVATIONS)
    overrides: Row = {}
    for _, facts in DEPRIVATIONS[:count]:
        overrides.update(facts)
    return overrides
