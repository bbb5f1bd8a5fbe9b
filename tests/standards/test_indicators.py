"""Every indicator of every shipped standard, at, just below and just above each cut-off.

The cut-offs are read from the standard (``get_standard(id)``, i.e. the data file), so a corrected
threshold moves the tests with it; ``test_cut_offs_in_the_data_files`` pins the values themselves
against the rules as written in docs (vietnam-poverty-rules.md §2), and the ``*_LITERAL`` tables keep
worked examples in plain numbers.

Each case is one household: the baseline non-deprived household of :mod:`tests.standards.builders` with
the facts that matter changed. Besides the indicator under test, every other indicator must stay
non-deprived (or as listed in ``also``), so a case proves exactly one thing. Nulls follow Kleene logic:
``None`` as the expected value means "unknown", the household is ``incomplete`` and ``missing`` names
exactly the facts that would decide it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.standards import Standard, evaluate, facts_used_by, get_standard, list_standards
from giamngheo.standards.facts import (
    EMPLOYMENT_VALUES,
    GENERAL_EDUCATION_VALUES,
    LATRINE_VALUES,
    SCHOOL_ATTENDANCE_VALUES,
    VOCATIONAL_VALUES,
    WASTE_VALUES,
    WATER_SOURCE_VALUES,
    Level,
)
from tests.standards.builders import Row, evaluate_one, frames, household, person

STANDARDS = list_standards()


def params_of(standard: Standard, indicator: str) -> dict[str, Any]:
    """The indicator's parameters as the engine sees them: shared ``[params]``, then its own."""
    spec = next(i for i in standard.indicators if i.id == indicator)
    return {**standard.params, **spec.params}


# --- the values in the data files -----------------------------------------------------------------------

CLEAN_WATER = ["piped", "drilled_well", "protected_dug_well", "protected_spring", "rainwater", "bottled"]
HYGIENIC = ["septic", "semi_septic", "pour_flush", "ventilated_improved_pit", "double_vault"]


@pytest.mark.parametrize(
    ("standard_id", "indicator", "key", "value"),
    [
        # Decision 59/2015 (2016-2020): insured from 6; adults 15-30 need lower secondary (THCS);
        # children 5-14 must be in school; < 8 m² per person; phone AND internet; loudspeaker counts.
        ("vn-2016-2020", "health_insurance", "min_age", 6),
        (
            "vn-2016-2020",
            "adult_education",
            "bands",
            [{"age_min": 15, "age_max": 30, "min_general": "lower_secondary"}],
        ),
        ("vn-2016-2020", "adult_education", "enterprise_training_counts", False),
        ("vn-2016-2020", "child_school_attendance", "age_min", 5),
        ("vn-2016-2020", "child_school_attendance", "age_max", 14),
        ("vn-2016-2020", "child_school_attendance", "deprived_statuses", ["not_attending"]),
        ("vn-2016-2020", "housing_quality", "max_durable_parts_deprived", 1),
        ("vn-2016-2020", "floor_area", "min_m2_per_person", 8),
        ("vn-2016-2020", "water_source", "clean_sources", CLEAN_WATER),
        ("vn-2016-2020", "latrine", "hygienic_types", HYGIENIC),
        ("vn-2016-2020", "telecom", "services", ["uses_telephone", "uses_internet"]),
        (
            "vn-2016-2020",
            "information_assets",
            "assets",
            ["has_tv", "has_radio", "has_computer", "hears_loudspeaker"],
        ),
        # Decree 07/2021 (2022-2025): working age 15 to retirement; dependants > 50 %; children under 16
        # for nutrition; insured from 6; 16-17 need THCS, 18-30 THPT or a vocational certificate;
        # children 3 to under 16 at the right level; internet only; smartphone counts.
        ("vn-2022-2025", "employment", "working_age_min", 15),
        ("vn-2022-2025", "employment", "deprived_statuses", ["unemployed", "wage_without_contract"]),
        ("vn-2022-2025", "dependants", "share_above", 0.5),
        ("vn-2022-2025", "dependants", "child_age_below", 16),
        ("vn-2022-2025", "dependants", "no_labour_capacity_is_dependant", True),
        ("vn-2022-2025", "nutrition", "child_age_below", 16),
        ("vn-2022-2025", "health_insurance", "min_age", 6),
        (
            "vn-2022-2025",
            "adult_education",
            "bands",
            [
                {"age_min": 16, "age_max": 17, "min_general": "lower_secondary"},
                {
                    "age_min": 18,
                    "age_max": 30,
                    "min_general": "upper_secondary",
                    "min_vocational": "elementary",
                },
            ],
        ),
        ("vn-2022-2025", "adult_education", "enterprise_training_counts", True),
        ("vn-2022-2025", "child_school_attendance", "age_min", 3),
        ("vn-2022-2025", "child_school_attendance", "age_max", 15),
        ("vn-2022-2025", "housing_quality", "max_durable_parts_deprived", 1),
        ("vn-2022-2025", "floor_area", "min_m2_per_person", 8),
        ("vn-2022-2025", "telecom", "services", ["uses_internet"]),
        (
            "vn-2022-2025",
            "information_assets",
            "assets",
            ["has_tv", "has_radio", "has_computer", "has_smartphone"],
        ),
        # Draft of Decree 351/2025 (2027-2030): inherits the 2022-2025 cut-offs; adds waste treatment.
        ("vn-2027-2030", "dependants", "share_above", 0.5),
        ("vn-2027-2030", "child_school_attendance", "age_min", 3),
        ("vn-2027-2030", "telecom", "services", ["uses_internet"]),
        ("vn-2027-2030", "waste_treatment", "acceptable", ["collected", "treated_on_site"]),
    ],
)
def test_cut_offs_in_the_data_files(standard_id: str, indicator: str, key: str, value: object) -> None:
    assert params_of(get_standard(standard_id), indicator)[key] == value


def test_retirement_ages_are_per_sex_and_rise_between_periods() -> None:
    # Labour Code 2019 art. 169, Decree 135/2020 art. 4: the retirement age rises every year; each
    # standard holds one completed-years value per sex (unconfirmed, data).
    p22, p27 = get_standard("vn-2022-2025").params, get_standard("vn-2027-2030").params
    assert (p22["retirement_age_male"], p22["retirement_age_female"]) == (61, 56)
    assert (p27["retirement_age_male"], p27["retirement_age_female"]) == (62, 57)


# --- cases generated from each standard's parameters ----------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    expected: bool | None
    members: tuple[Row, ...] = ()
    household: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    also: Mapping[str, bool | None] = field(default_factory=dict)
    """Other indicators this case changes too (e.g. no dwelling also means no floor area)."""


def adults_and(*subjects: Row) -> tuple[Row, ...]:
    """Two working adults plus the subjects: keeps the dependants share at or under a half."""
    return (person(40), person(40), *subjects)


def member_case(label: str, expected: bool | None, subject: Row, missing: tuple[str, ...] = ()) -> Case:
    return Case(label, expected, adults_and(subject), missing=missing)


def kleene_none(values: list[bool | None]) -> bool | None:
    """``not any(values)`` with Kleene logic (None = unknown)."""
    if any(v is True for v in values):
        return False
    return True if all(v is False for v in values) else None


def health_care_access_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # Decision 59/2015: a member was ill and did not seek treatment.
    yield Case("ill-untreated", True, (person(),), {"ill_member_untreated": True})
    yield Case("nobody-ill-untreated", False, (person(),), {"ill_member_untreated": False})
    yield Case("unknown", None, (person(),), {"ill_member_untreated": None}, ("ill_member_untreated",))


def health_insurance_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # A member aged min_age or over has no health insurance.
    a = p["min_age"]
    yield member_case(f"age-{a - 1}-uninsured", False, person(a - 1, has_health_insurance=False))
    yield member_case(f"age-{a}-uninsured", True, person(a, has_health_insurance=False))
    yield member_case(f"age-{a}-insured", False, person(a, has_health_insurance=True))
    yield member_case("age-80-uninsured", True, person(80, has_health_insurance=False))
    yield member_case(f"age-{a - 1}-unknown", False, person(a - 1, has_health_insurance=None))
    yield member_case(
        f"age-{a}-unknown", None, person(a, has_health_insurance=None), ("has_health_insurance",)
    )
    # Kleene any: known uninsured member decides, whatever the other member's null.
    yield Case(
        "one-uninsured-one-unknown",
        True,
        (person(40, has_health_insurance=False), person(40, has_health_insurance=None)),
    )


def nutrition_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # A child under child_age_below is stunted (height-for-age) or underweight (weight-for-age).
    c = p["child_age_below"]
    for fact in ("stunted", "underweight"):
        yield member_case(f"age-0-{fact}", True, person(0, **{fact: True}))
        yield member_case(f"age-{c - 1}-{fact}", True, person(c - 1, **{fact: True}))
        yield member_case(f"age-{c}-{fact}", False, person(c, **{fact: True}))
    yield member_case(f"age-{c - 1}-stunted-unknown", None, person(c - 1, stunted=None), ("stunted",))
    yield member_case(
        f"age-{c - 1}-stunted-weight-unknown", True, person(c - 1, stunted=True, underweight=None)
    )
    yield member_case(f"age-{c}-both-unknown", False, person(c, stunted=None, underweight=None))
    yield member_case("adult-both-unknown", False, person(40, stunted=None, underweight=None))


def child_school_attendance_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # A child aged age_min..age_max whose attendance is among deprived_statuses.
    low, high, statuses = p["age_min"], p["age_max"], p["deprived_statuses"]
    for age in (low - 1, low, high, high + 1):
        for status in SCHOOL_ATTENDANCE_VALUES:
            expected = low <= age <= high and status in statuses
            yield member_case(f"age-{age}-{status}", expected, person(age, school_attendance=status))
    yield member_case(f"age-{low}-unknown", None, person(low, school_attendance=None), ("school_attendance",))
    yield member_case(f"age-{low - 1}-unknown", False, person(low - 1, school_attendance=None))
    yield Case(
        "one-out-one-unknown",
        True,
        adults_and(person(high, school_attendance="not_attending"), person(low, school_attendance=None)),
    )


def employment_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # A member of working age (working_age_min up to the retirement age of their sex) is unemployed or a
    # wage earner without a labour contract.
    w, male, female = p["working_age_min"], p["retirement_age_male"], p["retirement_age_female"]
    statuses = p["deprived_statuses"]
    for status in EMPLOYMENT_VALUES:
        yield member_case(f"age-30-{status}", status in statuses, person(30, employment=status))
    unemployed = {"employment": "unemployed"}
    yield member_case(f"age-{w - 1}-unemployed", False, person(w - 1, **unemployed))
    yield member_case(f"age-{w}-unemployed", True, person(w, **unemployed))
    yield member_case(f"male-{male - 1}-unemployed", True, person(male - 1, sex="male", **unemployed))
    yield member_case(f"male-{male}-unemployed", False, person(male, sex="male", **unemployed))
    yield member_case(f"female-{female - 1}-unemployed", True, person(female - 1, sex="female", **unemployed))
    yield member_case(f"female-{female}-unemployed", False, person(female, sex="female", **unemployed))
    # Sex decides working age only between the two retirement ages.
    yield member_case("sex-unknown-30-unemployed", True, person(30, sex=None, **unemployed))
    yield member_case(
        f"sex-unknown-{female}-unemployed", None, person(female, sex=None, **unemployed), ("sex",)
    )
    yield member_case(f"sex-unknown-{female}-with-contract", False, person(female, sex=None))
    yield member_case(f"sex-unknown-{male}-unemployed", False, person(male, sex=None, **unemployed))
    yield member_case("status-unknown-30", None, person(30, employment=None), ("employment",))
    yield member_case(f"status-unknown-male-{male}", False, person(male, employment=None))
    yield member_case(f"status-unknown-{w - 1}", False, person(w - 1, employment=None))


def dependants_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # Dependants (children under child_age_below, people past working age, people without labour capacity)
    # are MORE than share_above of the members.
    c, male, female = p["child_age_below"], p["retirement_age_male"], p["retirement_age_female"]
    share, no_capacity_counts = p["share_above"], p["no_labour_capacity_is_dependant"]
    adult, child = person(40), person(10)
    compositions = [(1, 1), (1, 2), (2, 2), (1, 3), (3, 1), (1, 0), (0, 1)]
    for n_adults, n_children in compositions:
        members = (adult,) * n_adults + (child,) * n_children
        yield Case(f"{n_adults}-adults-{n_children}-children", n_children / len(members) > share, members)

    def tipping(label: str, expected: bool | None, subject: Row, missing: tuple[str, ...] = ()) -> Case:
        # One adult, one child and the subject: deprived (2 of 3) iff the subject is a dependant.
        return Case(label, expected, (adult, child, subject), missing=missing)

    yield tipping(f"age-{c - 1}", True, person(c - 1))
    yield tipping(f"age-{c}", False, person(c))
    yield tipping(f"male-{male - 1}", False, person(male - 1, sex="male"))
    yield tipping(f"male-{male}", True, person(male, sex="male"))
    yield tipping(f"female-{female - 1}", False, person(female - 1, sex="female"))
    yield tipping(f"female-{female}", True, person(female, sex="female"))
    yield tipping(f"sex-unknown-{female}", None, person(female, sex=None), ("sex",))
    yield tipping(f"sex-unknown-{male}", True, person(male, sex=None))
    yield tipping("sex-unknown-30", False, person(30, sex=None))
    yield Case(f"sex-unknown-{female}-cannot-tip", False, (adult, adult, adult, person(female, sex=None)))
    yield tipping("no-labour-capacity-30", no_capacity_counts, person(30, has_labour_capacity=False))
    if no_capacity_counts:
        missing = ("has_labour_capacity",)
        yield tipping("labour-capacity-unknown-30", None, person(30, has_labour_capacity=None), missing)
        yield Case(
            "labour-capacity-unknown-cannot-tip",
            False,
            (adult, adult, adult, person(30, has_labour_capacity=None)),
        )
        yield tipping(f"labour-capacity-unknown-{c - 1}", True, person(c - 1, has_labour_capacity=None))


def adult_education_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # Named examples only; the full grid of ages x qualifications is test_adult_education_grid.
    for band in p["bands"]:
        low, high = band["age_min"], band["age_max"]
        for age in (low, high):
            yield member_case(f"age-{age}-out-of-school-no-schooling", True, unqualified(age))
            yield member_case(f"age-{age}-in-school", False, unqualified(age, school_attendance="attending"))
            yield member_case(
                f"age-{age}-has-{band['min_general']}",
                False,
                unqualified(age, general_education=band["min_general"]),
            )
    ages = sorted({b["age_min"] - 1 for b in p["bands"]} | {b["age_max"] + 1 for b in p["bands"]})
    for age in ages:
        if not any(b["age_min"] <= age <= b["age_max"] for b in p["bands"]):
            # Just below the first band the member is a school-age child in every standard (2016-2020:
            # 5-14; from 2022: 3-15), so being out of school deprives child attendance instead.
            also = {"child_school_attendance": age < 16}
            yield Case(f"age-{age}-outside-bands", False, adults_and(unqualified(age)), also=also)
    first = p["bands"][0]["age_min"]
    yield member_case(
        f"age-{first}-attendance-unknown",
        None,
        unqualified(first, school_attendance=None),
        ("school_attendance",),
    )
    yield member_case(
        f"age-{first}-education-unknown",
        None,
        unqualified(first, general_education=None),
        ("general_education",),
    )
    # A member who has finished upper secondary is qualified in every band: the enterprise fact can't matter.
    yield member_case("upper-secondary-enterprise-unknown", False, person(20, enterprise_trained=None))
    if p["enterprise_training_counts"]:
        yield member_case(
            f"age-{first}-enterprise-unknown",
            None,
            unqualified(first, enterprise_trained=None),
            ("enterprise_trained",),
        )
    else:
        yield member_case(
            f"age-{first}-enterprise-unknown", True, unqualified(first, enterprise_trained=None)
        )


def unqualified(age: int, **overrides: Any) -> Row:
    """A member out of school with no schooling and no vocational qualification."""
    facts = {
        "school_attendance": "not_attending",
        "general_education": "none",
        "vocational_qualification": "none",
    }
    return person(age, **{**facts, **overrides})


def housing_quality_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # No dwelling, or at most max_durable_parts_deprived of walls, pillars, roof are durable.
    most = p["max_durable_parts_deprived"]
    for parts in range(4):
        yield Case(f"{parts}-durable-parts", parts <= most, (person(),), {"durable_main_parts": parts})
    no_dwelling = {"has_dwelling": False, "durable_main_parts": None, "floor_area_m2": None}
    yield Case("no-dwelling", True, (person(),), no_dwelling, also={"floor_area": True})
    yield Case("parts-unknown", None, (person(),), {"durable_main_parts": None}, ("durable_main_parts",))
    # Kleene: "no dwelling OR few durable parts" is true once the parts are known to be few.
    dwelling_unknown = {"has_dwelling": None, "durable_main_parts": 0}
    yield Case(
        "dwelling-unknown-0-parts",
        True,
        (person(),),
        dwelling_unknown,
        ("has_dwelling",),
        {"floor_area": None},
    )
    dwelling_unknown = {"has_dwelling": None, "durable_main_parts": 3}
    yield Case(
        "dwelling-unknown-3-parts",
        None,
        (person(),),
        dwelling_unknown,
        ("has_dwelling",),
        {"floor_area": None},
    )


def floor_area_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # Floor area per person below min_m2_per_person m².
    m = p["min_m2_per_person"]
    for n in (1, 3):
        members = (person(),) * n
        yield Case(f"{n}-members-{n * m}m2", False, members, {"floor_area_m2": float(n * m)})
        yield Case(f"{n}-members-{n * m - 0.01:.2f}m2", True, members, {"floor_area_m2": n * m - 0.01})
    yield Case("area-unknown", None, (person(),), {"floor_area_m2": None}, ("floor_area_m2",))
    no_dwelling = {"has_dwelling": False, "durable_main_parts": None, "floor_area_m2": None}
    yield Case("no-dwelling", True, (person(),), no_dwelling, also={"housing_quality": True})


def water_source_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # The main water source is not among clean_sources.
    for source in WATER_SOURCE_VALUES:
        yield Case(source, source not in p["clean_sources"], (person(),), {"water_source": source})
    yield Case("unknown", None, (person(),), {"water_source": None}, ("water_source",))


def latrine_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # The latrine is not among hygienic_types.
    for kind in LATRINE_VALUES:
        yield Case(kind, kind not in p["hygienic_types"], (person(),), {"latrine_type": kind})
    yield Case("unknown", None, (person(),), {"latrine_type": None}, ("latrine_type",))


def waste_treatment_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # Household waste is not disposed of in one of the acceptable ways.
    for way in WASTE_VALUES:
        yield Case(way, way not in p["acceptable"], (person(),), {"waste_disposal": way})
    yield Case("unknown", None, (person(),), {"waste_disposal": None}, ("waste_disposal",))


def telecom_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # No member uses any of the services (2016-2020: telephone and internet; since 2022: internet).
    services = p["services"]
    for phone, internet in itertools.product((True, False, None), repeat=2):
        facts = {"uses_telephone": phone, "uses_internet": internet}
        expected = kleene_none([facts[s] for s in services])
        missing = tuple(s for s in services if facts[s] is None) if expected is None else ()
        yield Case(f"phone-{phone}-internet-{internet}", expected, (person(),), facts, missing)


INFORMATION_ASSETS = ("has_tv", "has_radio", "has_computer", "has_smartphone", "hears_loudspeaker")


def information_assets_cases(p: Mapping[str, Any]) -> Iterator[Case]:
    # None of the assets (2016-2020: TV, radio, computer or the commune loudspeaker; 2022-2025: TV,
    # radio, computer, smartphone).
    assets = p["assets"]
    none_owned = dict.fromkeys(INFORMATION_ASSETS, False)
    yield Case("nothing", True, (person(),), none_owned)
    for asset in INFORMATION_ASSETS:
        yield Case(f"only-{asset}", asset not in assets, (person(),), {**none_owned, asset: True})
    unknown_first = {**none_owned, assets[0]: None}
    yield Case(f"nothing-but-{assets[0]}-unknown", None, (person(),), unknown_first, (assets[0],))
    yield Case(
        f"{assets[0]}-unknown-{assets[1]}-owned", False, (person(),), {**unknown_first, assets[1]: True}
    )


CASES: dict[str, Callable[[Mapping[str, Any]], Iterator[Case]]] = {
    "health_care_access": health_care_access_cases,
    "health_insurance": health_insurance_cases,
    "nutrition": nutrition_cases,
    "child_school_attendance": child_school_attendance_cases,
    "employment": employment_cases,
    "dependants": dependants_cases,
    "adult_education": adult_education_cases,
    "housing_quality": housing_quality_cases,
    "floor_area": floor_area_cases,
    "water_source": water_source_cases,
    "latrine": latrine_cases,
    "waste_treatment": waste_treatment_cases,
    "telecom": telecom_cases,
    "information_assets": information_assets_cases,
}


def all_cases() -> Iterator[Any]:
    for standard in STANDARDS:
        for spec in standard.indicators:
            if spec.impl not in CASES:
                continue  # test_every_indicator_has_cases fails
            for case in CASES[spec.impl](params_of(standard, spec.id)):
                yield pytest.param(standard, spec.id, case, id=f"{standard.id}-{spec.id}-{case.label}")


def test_every_indicator_has_cases() -> None:
    impls = {spec.impl for standard in STANDARDS for spec in standard.indicators}
    assert impls <= set(CASES)


@functools.cache
def results(standard_id: str) -> dict[str, Row]:
    """Every case of one standard evaluated in a single batch (one household per case), by case id.

    The engine evaluates each household on its own facts (members are grouped by household), and one
    call per standard keeps several hundred cases fast.
    """
    standard = get_standard(standard_id)
    households: list[Row] = []
    members: list[Row] = []
    for spec in standard.indicators:
        for case in CASES[spec.impl](params_of(standard, spec.id)):
            hid = f"{spec.id}-{case.label}"
            households.append(household(household_id=hid, **case.household))
            members += [{**m, "household_id": hid} for m in case.members]
    result = evaluate(*frames(households, members), standard)
    assert result["household_id"].is_unique().all(), "case labels must be unique per indicator"
    return {row["household_id"]: row for row in result.iter_rows(named=True)}


@pytest.mark.parametrize(("standard", "indicator", "case"), list(all_cases()))
def test_indicator_cut_off(standard: Standard, indicator: str, case: Case) -> None:
    row = results(standard.id)[f"{indicator}-{case.label}"]
    expected: dict[str, bool | None] = {f"dep_{i}": False for i in standard.indicator_ids}
    expected |= {f"dep_{i}": v for i, v in case.also.items() if i in standard.indicator_ids}
    expected[f"dep_{indicator}"] = case.expected
    assert {k: v for k, v in row.items() if k.startswith("dep_")} == expected
    assert row["deprivation_count"] == sum(v is True for v in expected.values())
    unknown = any(v is None for v in expected.values())
    assert row["class"] == ("incomplete" if unknown else "not_poor")
    assert row["missing"] == list(case.missing)


# --- adult education: every age cut-off x every qualification -------------------------------------------


def adult_education_expected(p: Mapping[str, Any], member: Row) -> bool:
    """The adult-education rule as written in the data file, one member at a time."""
    band = next((b for b in p["bands"] if b["age_min"] <= member["age"] <= b["age_max"]), None)
    if band is None or member["school_attendance"] != "not_attending":
        return False
    general = GENERAL_EDUCATION_VALUES.index(member["general_education"])
    qualified = general >= GENERAL_EDUCATION_VALUES.index(band["min_general"])
    if "min_vocational" in band:
        vocational = VOCATIONAL_VALUES.index(member["vocational_qualification"])
        qualified |= vocational >= VOCATIONAL_VALUES.index(band["min_vocational"])
    if p["enterprise_training_counts"] and member["enterprise_trained"]:
        qualified = True
    return not qualified


@pytest.mark.parametrize(
    "standard", [s for s in STANDARDS if "adult_education" in s.indicator_ids], ids=lambda s: s.id
)
def test_adult_education_grid(standard: Standard) -> None:
    # Every age at and either side of each band edge x attendance x general education x vocational
    # qualification x enterprise training: one household per combination, in one batch.
    p = params_of(standard, "adult_education")
    edges = {age for b in p["bands"] for age in (b["age_min"], b["age_max"])}
    ages = sorted(edges | {a - 1 for a in edges} | {a + 1 for a in edges})
    grid = itertools.product(
        ages, SCHOOL_ATTENDANCE_VALUES, GENERAL_EDUCATION_VALUES, VOCATIONAL_VALUES, (True, False)
    )
    households, members, expected = [], [], []
    for age, attendance, general, vocational, enterprise in grid:
        hid = f"{age}/{attendance}/{general}/{vocational}/enterprise={enterprise}"
        subject = person(
            age,
            school_attendance=attendance,
            general_education=general,
            vocational_qualification=vocational,
            enterprise_trained=enterprise,
        )
        households.append(household(household_id=hid))
        members += [{**m, "household_id": hid} for m in adults_and(subject)]
        expected.append(adult_education_expected(p, subject))
    result = evaluate(*frames(households, members), standard)
    assert_frame_equal(
        result.select("household_id", "dep_adult_education"),
        pl.DataFrame(
            {"household_id": [h["household_id"] for h in households], "dep_adult_education": expected}
        ),
    )
    assert sum(expected) > 0


# Decision 59/2015 and Decree 07/2021 annex, in plain numbers: (age, attendance, general education,
# vocational qualification, enterprise-trained) -> deprived.
ADULT_EDUCATION_LITERAL = [
    ("vn-2016-2020", 14, "not_attending", "primary", "none", False, False),
    ("vn-2016-2020", 15, "not_attending", "primary", "none", False, True),
    ("vn-2016-2020", 15, "not_attending", "lower_secondary", "none", False, False),
    ("vn-2016-2020", 15, "attending", "primary", "none", False, False),
    ("vn-2016-2020", 30, "not_attending", "primary", "none", False, True),
    ("vn-2016-2020", 30, "not_attending", "primary", "college_or_higher", False, True),  # no vocational route
    ("vn-2016-2020", 30, "not_attending", "primary", "none", True, True),  # no enterprise route
    ("vn-2016-2020", 31, "not_attending", "none", "none", False, False),
    ("vn-2022-2025", 15, "not_attending", "primary", "none", False, False),
    ("vn-2022-2025", 16, "not_attending", "primary", "none", False, True),
    ("vn-2022-2025", 16, "not_attending", "lower_secondary", "none", False, False),
    ("vn-2022-2025", 16, "attending_below_age_level", "primary", "none", False, False),
    ("vn-2022-2025", 17, "not_attending", "primary", "none", False, True),
    ("vn-2022-2025", 17, "not_attending", "primary", "intermediate", False, True),  # 16-17: THCS only
    ("vn-2022-2025", 17, "not_attending", "primary", "none", True, False),
    ("vn-2022-2025", 18, "not_attending", "lower_secondary", "none", False, True),
    ("vn-2022-2025", 18, "not_attending", "lower_secondary", "elementary", False, False),
    ("vn-2022-2025", 18, "not_attending", "upper_secondary", "none", False, False),
    ("vn-2022-2025", 30, "not_attending", "lower_secondary", "none", False, True),
    ("vn-2022-2025", 30, "not_attending", "lower_secondary", "none", True, False),
    ("vn-2022-2025", 31, "not_attending", "none", "none", False, False),
]


@pytest.mark.parametrize(
    ("standard_id", "age", "attendance", "general", "vocational", "enterprise", "deprived"),
    ADULT_EDUCATION_LITERAL,
)
def test_adult_education_literal(
    standard_id: str,
    age: int,
    attendance: str,
    general: str,
    vocational: str,
    enterprise: bool,
    deprived: bool,
) -> None:
    subject = person(
        age,
        school_attendance=attendance,
        general_education=general,
        vocational_qualification=vocational,
        enterprise_trained=enterprise,
    )
    row = evaluate_one(get_standard(standard_id), adults_and(subject))
    assert row["dep_adult_education"] is deprived


# --- other literal examples ------------------------------------------------------------------------------

MEMBER_LITERAL = [
    # Health insurance: a member aged 6 or over without insurance (all standards).
    ("vn-2016-2020", "health_insurance", person(5, has_health_insurance=False), False),
    ("vn-2016-2020", "health_insurance", person(6, has_health_insurance=False), True),
    ("vn-2022-2025", "health_insurance", person(5, has_health_insurance=False), False),
    ("vn-2022-2025", "health_insurance", person(6, has_health_insurance=False), True),
    ("vn-2027-2030", "health_insurance", person(6, has_health_insurance=False), True),
    # Nutrition: a stunted child under 16.
    ("vn-2022-2025", "nutrition", person(15, stunted=True), True),
    ("vn-2022-2025", "nutrition", person(16, stunted=True), False),
    # Child attendance: 2016-2020 ages 5-14 not in school; 2022-2025 ages 3-15, also "below level".
    ("vn-2016-2020", "child_school_attendance", person(4, school_attendance="not_attending"), False),
    ("vn-2016-2020", "child_school_attendance", person(5, school_attendance="not_attending"), True),
    ("vn-2016-2020", "child_school_attendance", person(14, school_attendance="not_attending"), True),
    ("vn-2016-2020", "child_school_attendance", person(15, school_attendance="not_attending"), False),
    (
        "vn-2016-2020",
        "child_school_attendance",
        person(10, school_attendance="attending_below_age_level"),
        False,
    ),
    ("vn-2022-2025", "child_school_attendance", person(2, school_attendance="not_attending"), False),
    ("vn-2022-2025", "child_school_attendance", person(3, school_attendance="not_attending"), True),
    ("vn-2022-2025", "child_school_attendance", person(15, school_attendance="not_attending"), True),
    ("vn-2022-2025", "child_school_attendance", person(16, school_attendance="not_attending"), False),
    (
        "vn-2022-2025",
        "child_school_attendance",
        person(10, school_attendance="attending_below_age_level"),
        True,
    ),
    # Employment: working age 15 to retirement (2022-2025: men 61, women 56 in completed years).
    ("vn-2022-2025", "employment", person(14, employment="unemployed"), False),
    ("vn-2022-2025", "employment", person(15, employment="unemployed"), True),
    ("vn-2022-2025", "employment", person(60, sex="male", employment="unemployed"), True),
    ("vn-2022-2025", "employment", person(61, sex="male", employment="unemployed"), False),
    ("vn-2022-2025", "employment", person(55, sex="female", employment="wage_without_contract"), True),
    ("vn-2022-2025", "employment", person(56, sex="female", employment="wage_without_contract"), False),
    ("vn-2027-2030", "employment", person(61, sex="male", employment="unemployed"), True),
    ("vn-2027-2030", "employment", person(62, sex="male", employment="unemployed"), False),
]


@pytest.mark.parametrize(("standard_id", "indicator", "subject", "deprived"), MEMBER_LITERAL)
def test_member_indicator_literal(standard_id: str, indicator: str, subject: Row, deprived: bool) -> None:
    row = evaluate_one(get_standard(standard_id), adults_and(subject))
    assert row[f"dep_{indicator}"] is deprived


@pytest.mark.parametrize(
    ("members", "deprived"),
    [
        # Dependants > 50 %: exactly half is not deprived (Decree 07/2021 annex: "lớn hơn 50%").
        ([person(40), person(10)], False),
        ([person(40), person(40), person(3), person(15)], False),
        ([person(40), person(10), person(3)], True),
        ([person(40), person(10), person(16)], False),
        ([person(40), person(10), person(61, sex="male")], True),
        ([person(40), person(10), person(60, sex="male")], False),
        ([person(40), person(10), person(56, sex="female")], True),
        ([person(40), person(10), person(55, sex="female")], False),
        # A person without labour capacity counts as a dependant.
        ([person(40), person(10), person(35, has_labour_capacity=False)], True),
        ([person(40), person(35, has_labour_capacity=False)], False),
    ],
)
def test_dependants_literal_2022(members: list[Row], deprived: bool) -> None:
    assert evaluate_one(get_standard("vn-2022-2025"), members)["dep_dependants"] is deprived


@pytest.mark.parametrize(
    ("standard_id", "facts", "indicator", "deprived"),
    [
        # Floor area: under 8 m² per person.
        ("vn-2022-2025", {"floor_area_m2": 8.0}, "floor_area", False),
        ("vn-2022-2025", {"floor_area_m2": 7.99}, "floor_area", True),
        # Housing quality: 2 of 3 main parts not durable (i.e. at most 1 durable) is deprived.
        ("vn-2016-2020", {"durable_main_parts": 1}, "housing_quality", True),
        ("vn-2016-2020", {"durable_main_parts": 2}, "housing_quality", False),
        ("vn-2022-2025", {"durable_main_parts": 1}, "housing_quality", True),
        ("vn-2022-2025", {"durable_main_parts": 2}, "housing_quality", False),
        # Telecom: 2016-2020 needs both phone and internet absent; 2022-2025 internet only.
        ("vn-2016-2020", {"uses_internet": False}, "telecom", False),
        ("vn-2016-2020", {"uses_internet": False, "uses_telephone": False}, "telecom", True),
        ("vn-2022-2025", {"uses_internet": False}, "telecom", True),
        ("vn-2022-2025", {"uses_telephone": False}, "telecom", False),
        ("vn-2027-2030", {"uses_internet": False}, "telecom", True),
        # Information assets: the loudspeaker counts in 2016-2020 only; the smartphone from 2022.
        (
            "vn-2016-2020",
            {"has_tv": False, "has_radio": False, "has_computer": False},
            "information_assets",
            False,
        ),
        (
            "vn-2016-2020",
            {"has_tv": False, "has_radio": False, "has_computer": False, "hears_loudspeaker": False},
            "information_assets",
            True,
        ),
        (
            "vn-2022-2025",
            {"has_tv": False, "has_radio": False, "has_computer": False},
            "information_assets",
            False,
        ),
        (
            "vn-2022-2025",
            {"has_tv": False, "has_radio": False, "has_computer": False, "has_smartphone": False},
            "information_assets",
            True,
        ),
        # Water: an unprotected dug well is not clean; a drilled well is.
        ("vn-2022-2025", {"water_source": "unprotected_dug_well"}, "water_source", True),
        ("vn-2022-2025", {"water_source": "drilled_well"}, "water_source", False),
        # Latrine: a simple pit is not hygienic; a double-vault latrine is.
        ("vn-2022-2025", {"latrine_type": "simple_pit"}, "latrine", True),
        ("vn-2022-2025", {"latrine_type": "double_vault"}, "latrine", False),
        # Waste (new in the 2027-2030 draft): discarded into the environment is deprived.
        ("vn-2027-2030", {"waste_disposal": "discarded"}, "waste_treatment", True),
        ("vn-2027-2030", {"waste_disposal": "treated_on_site"}, "waste_treatment", False),
    ],
)
def test_household_indicator_literal(
    standard_id: str, facts: dict[str, Any], indicator: str, deprived: bool
) -> None:
    row = evaluate_one(get_standard(standard_id), [person()], **facts)
    assert row[f"dep_{indicator}"] is deprived


# --- facts a standard does not read ----------------------------------------------------------------------


@pytest.mark.parametrize("standard", STANDARDS, ids=lambda s: s.id)
def test_facts_a_standard_does_not_read_may_be_missing(standard: Standard) -> None:
    used = facts_used_by(standard)
    keys_and_income = ("household_id", "area", "income_12m", "income_score", "age")
    unused_household = [f for f in household() if f not in used[Level.HOUSEHOLD] and f not in keys_and_income]
    unused_member = [f for f in person() if f not in used[Level.MEMBER] and f not in keys_and_income]
    assert unused_household, "every standard leaves some household fact unused"
    blank: dict[str, Any] = dict.fromkeys(unused_household)
    blank_members = [person(age, **dict.fromkeys(unused_member)) for age in (40, 40, 8)]
    row = evaluate_one(standard, blank_members, **blank)
    assert row["class"] == "not_poor"
    assert row["missing"] == []
