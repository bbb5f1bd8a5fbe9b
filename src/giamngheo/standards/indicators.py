"""Deprivation indicators (chỉ số đo lường mức độ thiếu hụt) as small named Polars expressions.

Each implementation takes the indicator's parameters (the standard's shared ``[params]`` merged with the
indicator's own ``params`` from the data file) and returns a :class:`Rule`:

- ``level``: ``household`` rules are evaluated on the household frame (with ``n_members`` added);
  ``member`` rules are aggregations evaluated inside ``group_by("household_id").agg(...)`` on the member
  frame ("at least one member …" is ``any`` over the household's members).
- ``deprived``: a Boolean expression. Nulls follow Kleene logic on purpose: a missing fact makes the
  result null (unknown) only when it could change the answer — a household where one child is known to be
  out of school is deprived even if another child's attendance was not recorded.
- ``needs``: the facts the rule reads and, for member facts, which members they are needed for. When the
  result is null, the engine reports these facts as missing.

No threshold is written here: every number and list comes from the data file (house rule). Legal sources
are cited per standard in ``data/*.toml``; the docstrings say what the rule computes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from giamngheo.standards.facts import (
    GENERAL_EDUCATION_VALUES,
    HOUSEHOLD_FACTS_BY_NAME,
    VOCATIONAL_VALUES,
    Level,
)
from giamngheo.standards.model import Standard, StandardError

N_MEMBERS: Final = "n_members"


@dataclass(frozen=True, slots=True)
class Need:
    """A fact read by a rule; ``when`` selects the rows (members) for which it matters."""

    fact: str
    level: Level
    when: pl.Expr | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    level: Level
    deprived: pl.Expr
    needs: tuple[Need, ...]


class Params:
    """Typed, fail-loud access to an indicator's parameters."""

    def __init__(self, indicator: str, values: Mapping[str, Any]) -> None:
        self.indicator = indicator
        self.values = values

    def _get(self, key: str) -> Any:
        if key not in self.values:
            raise StandardError(
                f"indicator {self.indicator}: missing parameter {key!r}",
                f"Chỉ số {self.indicator}: thiếu tham số {key!r}",
            )
        return self.values[key]

    def int(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise StandardError(
                f"indicator {self.indicator}: {key} must be a whole number",
                f"Chỉ số {self.indicator}: {key} phải là số nguyên",
            )
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise StandardError(
                f"indicator {self.indicator}: {key} must be a number",
                f"Chỉ số {self.indicator}: {key} phải là số",
            )
        return float(value)

    def bool(self, key: str) -> bool:
        value = self._get(key)
        if not isinstance(value, bool):
            raise StandardError(
                f"indicator {self.indicator}: {key} must be true or false",
                f"Chỉ số {self.indicator}: {key} phải là true/false",
            )
        return value

    def strings(self, key: str, allowed: Sequence[str] | None = None) -> list[str]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise StandardError(
                f"indicator {self.indicator}: {key} must be a list of codes",
                f"Chỉ số {self.indicator}: {key} phải là danh sách mã",
            )
        if allowed is not None and (bad := [v for v in value if v not in allowed]):
            raise StandardError(
                f"indicator {self.indicator}: {key} has unknown codes {bad}",
                f"Chỉ số {self.indicator}: {key} có mã không hợp lệ {bad}",
            )
        return list(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise StandardError(
                f"indicator {self.indicator}: {key} must be a list of tables",
                f"Chỉ số {self.indicator}: {key} phải là danh sách bảng",
            )
        return list(value)


# --- shared member expressions ------------------------------------------------------------------------

age = pl.col("age")


def _retirement_bounds(p: Params) -> tuple[int, int]:
    ages = (p.int("retirement_age_male"), p.int("retirement_age_female"))
    return min(ages), max(ages)


def past_working_age(p: Params) -> pl.Expr:
    """At or past the retirement age of the member's sex. Sex matters only between the two retirement
    ages, so an unknown sex makes the answer null only there."""
    youngest, oldest = _retirement_bounds(p)
    by_sex = (
        pl.when(pl.col("sex") == "male")
        .then(age >= p.int("retirement_age_male"))
        .when(pl.col("sex") == "female")
        .then(age >= p.int("retirement_age_female"))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    return (
        pl.when(age < youngest).then(pl.lit(False)).when(age >= oldest).then(pl.lit(True)).otherwise(by_sex)
    )


def sex_decides_retirement(p: Params) -> pl.Expr:
    """Members for whom sex is needed to know whether they are past working age."""
    youngest, oldest = _retirement_bounds(p)
    return (age >= youngest) & (age < oldest)


def working_age(p: Params) -> pl.Expr:
    """From ``working_age_min`` up to (not including) the retirement age of the member's sex."""
    return (age >= p.int("working_age_min")) & ~past_working_age(p)


def any_member(condition: pl.Expr) -> pl.Expr:
    """'At least one member …' with Kleene logic: true if any is true, null if unknown, else false."""
    return condition.any(ignore_nulls=False)


def none_true(facts: Sequence[str]) -> pl.Expr:
    """True when none of the Boolean household facts is true (Kleene: null if undecidable)."""
    return ~pl.any_horizontal([pl.col(f) for f in facts]) if len(facts) > 1 else ~pl.col(facts[0])


def _household_facts(p: Params, key: str) -> list[str]:
    facts = p.strings(key, allowed=[n for n, f in HOUSEHOLD_FACTS_BY_NAME.items() if f.dtype == pl.Boolean()])
    if not facts:
        raise StandardError(f"indicator {p.indicator}: {key} is empty", f"Chỉ số {p.indicator}: {key} trống")
    return facts


# --- indicators ---------------------------------------------------------------------------------------


def employment(p: Params) -> Rule:
    """Employment: a member of working age whose status is in ``deprived_statuses`` (unemployed, or a
    wage earner without a labour contract)."""
    statuses = p.strings("deprived_statuses")
    member = working_age(p) & pl.col("employment").is_in(statuses)
    return Rule(
        Level.MEMBER,
        any_member(member),
        (
            Need("age", Level.MEMBER),
            Need("sex", Level.MEMBER, sex_decides_retirement(p)),
            Need("employment", Level.MEMBER, working_age(p)),
        ),
    )


def dependants(p: Params) -> Rule:
    """Dependants: more than ``share_above`` of the members are dependants — children under
    ``child_age_below``, people past working age, and (if ``no_labour_capacity_is_dependant``) people
    without labour capacity. Unknown members make the result null only when they could tip the share."""
    child = age < p.int("child_age_below")
    old = past_working_age(p)
    dependant = child | old
    needs = [Need("age", Level.MEMBER), Need("sex", Level.MEMBER, sex_decides_retirement(p))]
    if p.bool("no_labour_capacity_is_dependant"):
        dependant = dependant | ~pl.col("has_labour_capacity")
        needs.append(Need("has_labour_capacity", Level.MEMBER, ~child & ~old))
    share = p.number("share_above")
    known = dependant.fill_null(False).sum()
    possible = dependant.fill_null(True).sum()
    limit = pl.len() * share
    deprived = (
        pl.when(known > limit)
        .then(pl.lit(True))
        .when(possible <= limit)
        .then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    return Rule(Level.MEMBER, deprived, tuple(needs))


def nutrition(p: Params) -> Rule:
    """Nutrition: a child under ``child_age_below`` is stunted (height-for-age) or underweight."""
    child = age < p.int("child_age_below")
    member = child & (pl.col("stunted") | pl.col("underweight"))
    return Rule(
        Level.MEMBER,
        any_member(member),
        (
            Need("age", Level.MEMBER),
            Need("stunted", Level.MEMBER, child),
            Need("underweight", Level.MEMBER, child),
        ),
    )


def health_insurance(p: Params) -> Rule:
    """Health insurance: a member aged ``min_age`` or over has no valid health insurance."""
    eligible = age >= p.int("min_age")
    return Rule(
        Level.MEMBER,
        any_member(eligible & ~pl.col("has_health_insurance")),
        (Need("age", Level.MEMBER), Need("has_health_insurance", Level.MEMBER, eligible)),
    )


def _at_least(column: str, levels: Sequence[str], minimum: str) -> pl.Expr:
    """``column`` (an ordered enumeration given as ``levels``) is at ``minimum`` or above."""
    return pl.col(column).is_in(list(levels[levels.index(minimum) :]))


def adult_education(p: Params) -> Rule:
    """Adult education: a member in one of the age ``bands`` who is not attending school or training and
    has neither the band's ``min_general`` education nor (where given) its ``min_vocational``
    qualification; on-the-job training certified by an enterprise counts when
    ``enterprise_training_counts``."""
    enterprise = p.bool("enterprise_training_counts")
    member_deprived: pl.Expr | None = None
    in_any_band: pl.Expr | None = None
    needs = [Need("age", Level.MEMBER)]
    for band in p.tables("bands"):
        b = Params(p.indicator, band)
        in_band = (age >= b.int("age_min")) & (age <= b.int("age_max"))
        min_general = str(band.get("min_general", ""))
        if min_general not in GENERAL_EDUCATION_VALUES:
            raise StandardError(
                f"indicator {p.indicator}: min_general {min_general!r} unknown",
                f"Chỉ số {p.indicator}: min_general {min_general!r} không hợp lệ",
            )
        qualified = _at_least("general_education", GENERAL_EDUCATION_VALUES, min_general)
        needs.append(Need("general_education", Level.MEMBER, in_band))
        if "min_vocational" in band:
            min_vocational = str(band["min_vocational"])
            if min_vocational not in VOCATIONAL_VALUES:
                raise StandardError(
                    f"indicator {p.indicator}: min_vocational {min_vocational!r} unknown",
                    f"Chỉ số {p.indicator}: min_vocational {min_vocational!r} không hợp lệ",
                )
            qualified = qualified | _at_least("vocational_qualification", VOCATIONAL_VALUES, min_vocational)
            needs.append(Need("vocational_qualification", Level.MEMBER, in_band))
        deprived_here = in_band & (pl.col("school_attendance") == "not_attending") & ~qualified
        member_deprived = deprived_here if member_deprived is None else member_deprived | deprived_here
        in_any_band = in_band if in_any_band is None else in_any_band | in_band
    if member_deprived is None or in_any_band is None:
        raise StandardError(
            f"indicator {p.indicator}: no age bands", f"Chỉ số {p.indicator}: chưa có nhóm tuổi"
        )
    needs.append(Need("school_attendance", Level.MEMBER, in_any_band))
    if enterprise:
        member_deprived = member_deprived & ~pl.col("enterprise_trained")
        needs.append(Need("enterprise_trained", Level.MEMBER, in_any_band))
    return Rule(Level.MEMBER, any_member(member_deprived), tuple(needs))


def child_school_attendance(p: Params) -> Rule:
    """Child school attendance: a child aged ``age_min``–``age_max`` whose attendance is in
    ``deprived_statuses`` (not attending, or attending below the level for the age)."""
    child = (age >= p.int("age_min")) & (age <= p.int("age_max"))
    member = child & pl.col("school_attendance").is_in(p.strings("deprived_statuses"))
    return Rule(
        Level.MEMBER,
        any_member(member),
        (Need("age", Level.MEMBER), Need("school_attendance", Level.MEMBER, child)),
    )


def health_care_access(p: Params) -> Rule:
    """Access to health care: a member was ill and did not seek treatment."""
    return Rule(
        Level.HOUSEHOLD,
        pl.col("ill_member_untreated"),
        (Need("ill_member_untreated", Level.HOUSEHOLD),),
    )


def housing_quality(p: Params) -> Rule:
    """Housing quality: no dwelling, or at most ``max_durable_parts_deprived`` of the three main structures
    (walls, pillars, roof) made of durable materials (nhà thiếu kiên cố / đơn sơ)."""
    has = pl.col("has_dwelling")
    return Rule(
        Level.HOUSEHOLD,
        ~has | (pl.col("durable_main_parts") <= p.int("max_durable_parts_deprived")),
        (Need("has_dwelling", Level.HOUSEHOLD), Need("durable_main_parts", Level.HOUSEHOLD, has)),
    )


def floor_area(p: Params) -> Rule:
    """Floor area per person below ``min_m2_per_person`` m² (no dwelling counts as no area)."""
    has = pl.col("has_dwelling")
    n = pl.col(N_MEMBERS)
    below = pl.col("floor_area_m2") < n * p.number("min_m2_per_person")
    # Without members there is no "per person": unknown (the household is incomplete for `members`).
    return Rule(
        Level.HOUSEHOLD,
        ~has | pl.when(n > 0).then(below),
        (Need("has_dwelling", Level.HOUSEHOLD), Need("floor_area_m2", Level.HOUSEHOLD, has)),
    )


def water_source(p: Params) -> Rule:
    """Water: the main source for daily use is not among ``clean_sources``."""
    return Rule(
        Level.HOUSEHOLD,
        ~pl.col("water_source").is_in(p.strings("clean_sources")),
        (Need("water_source", Level.HOUSEHOLD),),
    )


def latrine(p: Params) -> Rule:
    """Sanitation: the latrine used is not among ``hygienic_types``."""
    return Rule(
        Level.HOUSEHOLD,
        ~pl.col("latrine_type").is_in(p.strings("hygienic_types")),
        (Need("latrine_type", Level.HOUSEHOLD),),
    )


def telecom(p: Params) -> Rule:
    """Telecommunications: no member uses any of ``services`` (internet; and the telephone in 2016-2020)."""
    services = _household_facts(p, "services")
    return Rule(Level.HOUSEHOLD, none_true(services), tuple(Need(f, Level.HOUSEHOLD) for f in services))


def information_assets(p: Params) -> Rule:
    """Information: the household has none of ``assets`` (TV, radio, computer, smartphone; in 2016-2020
    hearing the commune loudspeaker also counts)."""
    assets = _household_facts(p, "assets")
    return Rule(Level.HOUSEHOLD, none_true(assets), tuple(Need(f, Level.HOUSEHOLD) for f in assets))


def waste_treatment(p: Params) -> Rule:
    """Environment: household waste is disposed of in a way not among ``acceptable``."""
    return Rule(
        Level.HOUSEHOLD,
        ~pl.col("waste_disposal").is_in(p.strings("acceptable")),
        (Need("waste_disposal", Level.HOUSEHOLD),),
    )


#: Implementations by name; a standard's indicator uses ``impl`` (default: its id).
IMPLEMENTATIONS: Final[dict[str, Callable[[Params], Rule]]] = {
    f.__name__: f
    for f in (
        employment,
        dependants,
        nutrition,
        health_insurance,
        adult_education,
        child_school_attendance,
        health_care_access,
        housing_quality,
        floor_area,
        water_source,
        latrine,
        telecom,
        information_assets,
        waste_treatment,
    )
}


@dataclass(frozen=True, slots=True)
class BoundIndicator:
    """An indicator of a standard with its rule built from the standard's parameters."""

    id: str
    column: str
    rule: Rule


def rules_for(standard: Standard) -> tuple[BoundIndicator, ...]:
    """Build every indicator rule of ``standard`` (shared ``params`` overridden by the indicator's)."""
    bound = []
    for spec in standard.indicators:
        implementation = IMPLEMENTATIONS.get(spec.impl)
        if implementation is None:
            raise StandardError(
                f"standard {standard.id}: indicator {spec.id} has no implementation {spec.impl!r}",
                f"Chuẩn {standard.id}: chỉ số {spec.id} chưa có cách tính {spec.impl!r}",
            )
        params = Params(spec.id, {**standard.params, **spec.params})
        bound.append(BoundIndicator(spec.id, f"dep_{spec.id}", implementation(params)))
    return tuple(bound)


def facts_used_by(standard: Standard) -> dict[Level, tuple[str, ...]]:
    """The household and member facts that ``standard``'s indicators read (income facts excluded)."""
    used: dict[Level, list[str]] = {Level.HOUSEHOLD: [], Level.MEMBER: []}
    for indicator in rules_for(standard):
        for need in indicator.rule.needs:
            if need.fact not in used[need.level]:
                used[need.level].append(need.fact)
    return {level: tuple(facts) for level, facts in used.items()}
