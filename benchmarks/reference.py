"""A slow, row-by-row reference classifier: the yardstick for :func:`giamngheo.standards.evaluate`.

It applies the same standards (read from the same data files through
:func:`giamngheo.standards.get_standard`: lines, rule, ``poor_min_deprivations``, indicator parameters) to one
household at a time, with plain dictionaries, loops and ``if``. It does not import the engine's indicator
expressions: every indicator is written again here from the domain text
(the project's domain notes on the legal rules, sections 1-2) and the parameters in ``data/*.toml``.
Keep it obvious rather than fast; it must never be used on a hot path (house style: no per-row Python in
the engine).

Three-valued (Kleene) logic
---------------------------
A missing fact is ``None``. An indicator is ``None`` (unknown) only when the missing facts could change its
answer: one child known to be out of school makes the household deprived even if another child's
attendance is missing. ``k_and``, ``k_or`` and ``k_not`` below are the whole of that logic.

What each household gets
------------------------
``household_id``, ``area``, ``members`` (number of member rows), ``income_per_person`` (VND per person per
month; ``None`` without members or income) and ``line`` (the poverty line applied, VND per person per
month) — or ``income_score`` and ``line`` (points) on the score basis —, one ``dep_<indicator>`` per
indicator (``True`` / ``False`` / ``None``), ``deprivation_count`` (known deprivations only), ``class``
and ``missing`` (sorted list of the facts whose absence left the household unclassified).

A household is ``incomplete`` when it has no member rows, lacks its income (or score) fact, or has an
unknown indicator. For an unknown indicator, ``missing`` names every fact the indicator reads that is
empty for a member (or the household) to whom it applies; "applies" is decided by age, and by sex where
the retirement age depends on it (e.g. ``employment`` status matters for members of working age,
``stunted`` for children).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, Literal

import polars as pl

from giamngheo.standards import Standard

Kleene = bool | None
Row = Mapping[str, Any]
Basis = Literal["income", "score"]

# Ordered levels, lowest first (the facts schema's codes; repeated here on purpose: the yardstick must not
# borrow the engine's helpers).
GENERAL_EDUCATION_ORDER: Final = ("none", "primary", "lower_secondary", "upper_secondary")
VOCATIONAL_ORDER: Final = ("none", "elementary", "intermediate", "college_or_higher")


# --- Kleene logic -------------------------------------------------------------------------------------------


def k_not(value: Kleene) -> Kleene:
    return None if value is None else not value


def k_or(*values: Kleene) -> Kleene:
    """True if any is True; otherwise unknown if any is unknown; otherwise False (also for no values)."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def k_and(*values: Kleene) -> Kleene:
    """False if any is False; otherwise unknown if any is unknown; otherwise True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def k_in(value: object, codes: Iterable[str]) -> Kleene:
    """``value in codes``, unknown when the value is missing."""
    return None if value is None else value in set(codes)


def at_least(value: str | None, order: Sequence[str], minimum: str) -> Kleene:
    """An ordered level is ``minimum`` or higher; unknown when missing."""
    if value is None:
        return None
    return order.index(value) >= order.index(minimum)


# --- one indicator = a function (household, members, params) -> (value, facts missing where needed) ---------

Outcome = tuple[Kleene, set[str]]
Indicator = Callable[[Row, list[Row], Mapping[str, Any]], Outcome]


def past_working_age(member: Row, p: Mapping[str, Any]) -> Kleene:
    """At or past the retirement age of the member's sex; sex matters only between the two ages."""
    age: int = member["age"]
    male: int = p["retirement_age_male"]
    female: int = p["retirement_age_female"]
    if age >= max(male, female):
        return True
    if age < min(male, female):
        return False
    if member["sex"] == "male":
        return age >= male
    if member["sex"] == "female":
        return age >= female
    return None


def sex_needed(member: Row, p: Mapping[str, Any]) -> bool:
    """Sex is needed to tell whether this member is past working age."""
    male, female = p["retirement_age_male"], p["retirement_age_female"]
    return min(male, female) <= member["age"] < max(male, female) and member["sex"] is None


def employment(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a member of working age (from ``working_age_min`` to retirement) is unemployed or a
    wage earner without a labour contract (``deprived_statuses``)."""
    values: list[Kleene] = []
    missing: set[str] = set()
    for m in members:
        of_working_age = k_and(m["age"] >= p["working_age_min"], k_not(past_working_age(m, p)))
        values.append(k_and(of_working_age, k_in(m["employment"], p["deprived_statuses"])))
        if sex_needed(m, p):
            missing.add("sex")
        if of_working_age is not False and m["employment"] is None:
            missing.add("employment")
    return k_or(*values), missing


def dependants(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when dependants are more than ``share_above`` of the members. A dependant is a child under
    ``child_age_below``, a person past working age, or (``no_labour_capacity_is_dependant``) a person
    without labour capacity."""
    known = unknown = 0
    missing: set[str] = set()
    for m in members:
        child = m["age"] < p["child_age_below"]
        old = past_working_age(m, p)
        reasons: list[Kleene] = [child, old]
        if p["no_labour_capacity_is_dependant"]:
            reasons.append(k_not(m["has_labour_capacity"]))
            if not child and old is not True and m["has_labour_capacity"] is None:
                missing.add("has_labour_capacity")
        if sex_needed(m, p):
            missing.add("sex")
        is_dependant = k_or(*reasons)
        if is_dependant is True:
            known += 1
        elif is_dependant is None:
            unknown += 1
    limit = len(members) * p["share_above"]
    if known > limit:
        return True, missing
    if known + unknown <= limit:
        return False, missing
    return None, missing


def nutrition(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a child under ``child_age_below`` is stunted or underweight."""
    values: list[Kleene] = []
    missing: set[str] = set()
    for m in members:
        if m["age"] < p["child_age_below"]:
            values.append(k_or(m["stunted"], m["underweight"]))
            missing.update(f for f in ("stunted", "underweight") if m[f] is None)
    return k_or(*values), missing


def health_insurance(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a member aged ``min_age`` or over has no health insurance."""
    values: list[Kleene] = []
    missing: set[str] = set()
    for m in members:
        if m["age"] >= p["min_age"]:
            values.append(k_not(m["has_health_insurance"]))
            if m["has_health_insurance"] is None:
                missing.add("has_health_insurance")
    return k_or(*values), missing


def adult_education(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a member in an age band is not attending school or training and has neither the band's
    general education (``min_general``) nor, where the band names one, its vocational qualification
    (``min_vocational``); certified on-the-job training by an enterprise counts when
    ``enterprise_training_counts``."""
    values: list[Kleene] = []
    missing: set[str] = set()
    for m in members:
        bands = [b for b in p["bands"] if b["age_min"] <= m["age"] <= b["age_max"]]
        if not bands:
            continue
        not_in_school = None if m["school_attendance"] is None else m["school_attendance"] == "not_attending"
        conditions: list[Kleene] = [not_in_school]
        if m["school_attendance"] is None:
            missing.add("school_attendance")
        if p["enterprise_training_counts"]:
            conditions.append(k_not(m["enterprise_trained"]))
            if m["enterprise_trained"] is None:
                missing.add("enterprise_trained")
        for band in bands:
            qualified = at_least(m["general_education"], GENERAL_EDUCATION_ORDER, band["min_general"])
            if m["general_education"] is None:
                missing.add("general_education")
            if "min_vocational" in band:
                vocational = at_least(m["vocational_qualification"], VOCATIONAL_ORDER, band["min_vocational"])
                qualified = k_or(qualified, vocational)
                if m["vocational_qualification"] is None:
                    missing.add("vocational_qualification")
            values.append(k_and(*conditions, k_not(qualified)))
    return k_or(*values), missing


def child_school_attendance(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a child aged ``age_min`` to ``age_max`` (inclusive) has an attendance status in
    ``deprived_statuses``."""
    values: list[Kleene] = []
    missing: set[str] = set()
    for m in members:
        if p["age_min"] <= m["age"] <= p["age_max"]:
            values.append(k_in(m["school_attendance"], p["deprived_statuses"]))
            if m["school_attendance"] is None:
                missing.add("school_attendance")
    return k_or(*values), missing


def health_care_access(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived when a member was ill and did not seek treatment."""
    value: Kleene = household["ill_member_untreated"]
    return value, ({"ill_member_untreated"} if value is None else set())


def housing_quality(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived without a dwelling, or when at most ``max_durable_parts_deprived`` of walls, pillars and
    roof are durable (at least 2 of 3 non-durable)."""
    has, parts = household["has_dwelling"], household["durable_main_parts"]
    flimsy = None if parts is None else parts <= p["max_durable_parts_deprived"]
    missing = {"has_dwelling"} if has is None else set()
    if has is not False and parts is None:
        missing.add("durable_main_parts")
    return k_or(k_not(has), flimsy), missing


def floor_area(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
    """Deprived without a dwelling, or with less than ``min_m2_per_person`` m² per member. Without member
    rows the area per person is unknown."""
    has, area = household["has_dwelling"], household["floor_area_m2"]
    small: Kleene = None
    if area is not None and members:
        small = Fraction(area) / len(members) < Fraction(p["min_m2_per_person"])
    missing = {"has_dwelling"} if has is None else set()
    if has is not False and area is None:
        missing.add("floor_area_m2")
    return k_or(k_not(has), small), missing


def _code_not_in(fact: str, key: str) -> Indicator:
    def indicator(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
        value = household[fact]
        return k_not(k_in(value, p[key])), ({fact} if value is None else set())

    return indicator


water_source = _code_not_in("water_source", "clean_sources")
"""Deprived when the main water source is not among ``clean_sources``."""
latrine = _code_not_in("latrine_type", "hygienic_types")
"""Deprived when the latrine is not among ``hygienic_types``."""
waste_treatment = _code_not_in("waste_disposal", "acceptable")
"""Deprived when household waste is disposed of in a way not among ``acceptable``."""


def _none_of(key: str) -> Indicator:
    def indicator(household: Row, members: list[Row], p: Mapping[str, Any]) -> Outcome:
        facts: list[str] = p[key]
        values: list[Kleene] = [household[f] for f in facts]
        return k_not(k_or(*values)), {f for f in facts if household[f] is None}

    return indicator


telecom = _none_of("services")
"""Deprived when no member uses any of ``services`` (household Boolean facts)."""
information_assets = _none_of("assets")
"""Deprived when the household has none of ``assets`` (household Boolean facts)."""

REFERENCE_INDICATORS: Final[dict[str, Indicator]] = {
    "employment": employment,
    "dependants": dependants,
    "nutrition": nutrition,
    "health_insurance": health_insurance,
    "adult_education": adult_education,
    "child_school_attendance": child_school_attendance,
    "health_care_access": health_care_access,
    "housing_quality": housing_quality,
    "floor_area": floor_area,
    "water_source": water_source,
    "latrine": latrine,
    "telecom": telecom,
    "information_assets": information_assets,
    "waste_treatment": waste_treatment,
}

#: Indicators whose answer needs the member rows (unknown for a household without any).
NEEDS_MEMBERS: Final = frozenset(
    {
        "employment",
        "dependants",
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_school_attendance",
    }
)


# --- one household ------------------------------------------------------------------------------------------


def classify_household(
    household: Row, members: list[Row], standard: Standard, *, basis: Basis = "income"
) -> dict[str, Any]:
    """Classify one household (a dict of household facts) with its member dicts under ``standard``."""
    area: str = household["area"]
    n = len(members)
    result: dict[str, Any] = {"household_id": household["household_id"], "area": area, "members": n}
    missing: set[str] = set() if n else {"members"}

    # Deprivations.
    values: list[Kleene] = []
    for spec in standard.indicators:
        indicator = REFERENCE_INDICATORS.get(spec.impl)
        if indicator is None:
            raise KeyError(f"reference: no implementation for indicator {spec.id} ({spec.impl})")
        params = {**standard.params, **spec.params}
        value: Kleene
        needed: set[str]
        if n == 0 and spec.impl in NEEDS_MEMBERS:
            value, needed = None, set()  # the members are what is missing
        else:
            value, needed = indicator(household, members, params)
        result[f"dep_{spec.id}"] = value
        values.append(value)
        if value is None:
            missing |= needed
    count = sum(1 for v in values if v is True)
    result["deprivation_count"] = count
    poor_by_count = count >= standard.poor_min_deprivations

    # Income (or score) against the lines; exact fractions, no rounding.
    klass: str
    if basis == "income":
        lines = standard.lines[area]
        income: int | None = household["income_12m"]
        if income is None:
            missing.add("income_12m")
        per_person = Fraction(income, 12 * n) if income is not None and n else None
        result["income_per_person"] = None if per_person is None else float(per_person)
        result["line"] = float(Fraction(lines.poverty, 12))
        complete = per_person is not None and all(v is not None for v in values)
        if not complete or per_person is None:
            klass = "incomplete"
        elif (
            standard.rule == "two_band"
            and lines.lower is not None
            and per_person <= Fraction(lines.lower, 12)
        ):
            klass = "poor"
        elif per_person <= Fraction(lines.poverty, 12):
            klass = "poor" if poor_by_count else "near_poor"
        elif lines.middle_upper is not None and per_person <= Fraction(lines.middle_upper, 12):
            klass = "middle_living"
        else:
            klass = "not_poor"
    else:
        if standard.score is None:
            raise ValueError(f"standard {standard.id} has no score-card lines")
        score_line = standard.score.urban if area == "urban" else standard.score.rural
        score: float | None = household["income_score"]
        if score is None:
            missing.add("income_score")
        result["income_score"] = score
        result["line"] = score_line
        complete = n > 0 and score is not None and all(v is not None for v in values)
        if not complete or score is None:
            klass = "incomplete"
        elif score <= score_line:
            klass = "poor" if poor_by_count else "near_poor"
        else:
            klass = "not_poor"  # middle-living is identified from measured income only
    result["class"] = klass
    result["missing"] = sorted(missing)
    return result


# --- many households ----------------------------------------------------------------------------------------


def classify_reference(
    households: list[dict[str, Any]],
    members: list[dict[str, Any]],
    standard: Standard,
    *,
    basis: Basis = "income",
) -> list[dict[str, Any]]:
    """Classify every household, in input order; members are matched by ``household_id``."""
    by_household: dict[Any, list[Row]] = {h["household_id"]: [] for h in households}
    for m in members:
        by_household[m["household_id"]].append(m)
    return [classify_household(h, by_household[h["household_id"]], standard, basis=basis) for h in households]


def classify_reference_frames(
    households: pl.DataFrame, members: pl.DataFrame, standard: Standard, *, basis: Basis = "income"
) -> list[dict[str, Any]]:
    """:func:`classify_reference` on Polars frames (already in the facts schema: see ``facts.py``)."""
    return classify_reference(households.to_dicts(), members.to_dicts(), standard, basis=basis)
