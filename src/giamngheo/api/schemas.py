"""Output schemas of the REST API: English field names, aggregates only (no household, no person).

Every figure is a value of :mod:`giamngheo.reports.aggregation` as it returns it: counts as integers,
rates in percent with two decimals (``null`` when the unit has no household).
"""

from __future__ import annotations

from typing import Literal

from ninja import Schema


class YearsOut(Schema):
    years: list[int]
    """Years with at least one approved periodic review round the caller may see, newest first."""


class UnitOut(Schema):
    key: str
    """The unit's key, as in ``?unit=`` and the report forms' URLs (``tinh-51``, ``huyen-123``,
    ``xa-23485``, ``thon-12``)."""
    name: str
    level: Literal["province", "district", "commune", "village"]
    """``district``: a district before the two-tier map of 1 July 2025, for the years up to 2024 only."""


class SubgroupOut(Schema):
    group: str
    """``urban``, ``rural``, ``ethnic_minority``, ``meritorious_family``, ``social_protection``,
    ``no_labour_capacity``."""
    households: int
    poor: int
    near_poor: int
    poor_rate: float | None
    near_poor_rate: float | None


class SummaryRowOut(Schema):
    key: str | None
    """The sub-unit's key (``xa-…`` or ``thon-…``); ``null`` for the total, for households without a
    village and for the pre-2025 communes of a district."""
    name: str
    households: int
    poor: int
    near_poor: int
    middle_living: int
    incomplete: int
    reviewed: int
    poor_rate: float | None
    near_poor_rate: float | None
    subgroups: list[SubgroupOut]


class SummaryOut(Schema):
    year: int
    unit: UnitOut
    total: SummaryRowOut
    sub_units: list[SummaryRowOut]
    """The rows of Biểu 01, in its order: communes of a province (those with an approved round),
    villages of a commune (households without a village last), pre-2025 communes of a district."""
    unattributed: int = 0
    """A district only: households of its successor communes left out because their village has no
    known pre-2025 commune (the form's note)."""


class DeprivationOut(Schema):
    id: str
    """The indicator id of the poverty standard (e.g. ``health_insurance``)."""
    deprived_households: int
    """Poor and near-poor households deprived in the indicator."""
    households: int
    """Poor and near-poor households of the unit (the denominator of ``share``)."""
    share: float | None


class DeprivationsOut(Schema):
    year: int
    unit: UnitOut
    indicators: list[DeprivationOut]


class ErrorOut(Schema):
    detail: str


class UnitRefOut(Schema):
    key: str | None
    """As in :class:`SummaryRowOut`."""
    name: str


class CauseOut(Schema):
    id: str | None
    """The cause id of the review procedure (e.g. ``capital``); ``null`` for "no cause recorded"."""
    label: str
    """Its Vietnamese name, as printed on Biểu 03."""
    households: int
    """Poor and near-poor households giving this cause (one household may give several)."""
    poor: int
    near_poor: int
    share: float | None
    """``households`` in percent of the poor and near-poor households of the unit."""
    poor_share: float | None
    """``poor`` in percent of the poor households of the unit."""
    near_poor_share: float | None
    """``near_poor`` in percent of the near-poor households of the unit."""


class CausesOut(Schema):
    year: int
    unit: UnitOut
    poor: int
    """Poor households of the unit (the denominator of ``poor_share``)."""
    near_poor: int
    """Near-poor households of the unit (the denominator of ``near_poor_share``)."""
    causes: list[CauseOut]
    """Every cause of the review procedure's list in its order (zero counts included), then causes
    recorded that the list no longer has."""
    without_cause: CauseOut
    """Poor and near-poor households with no cause recorded."""


class TransitionRowOut(Schema):
    """One row of Biểu 04. For every row: ``poor_before - escaped_poverty - poor_left + newly_poor +
    relapsed + poor_moved_in == poor_now``, and ``near_poor_before - escaped_near_poverty -
    near_poor_to_poor - near_poor_left + near_poor_from_poor + newly_near_poor + near_poor_moved_in ==
    near_poor_now``. Every count is ``null`` when the row has no earlier approved round to compare with
    (``compared`` false)."""

    key: str | None
    name: str
    compared: bool
    poor_before: int | None
    escaped_poverty: int | None
    poor_left: int | None
    newly_poor: int | None
    relapsed: int | None
    poor_moved_in: int | None
    poor_now: int | None
    near_poor_before: int | None
    escaped_near_poverty: int | None
    near_poor_to_poor: int | None
    near_poor_left: int | None
    near_poor_from_poor: int | None
    newly_near_poor: int | None
    near_poor_moved_in: int | None
    near_poor_now: int | None


class TransitionsOut(Schema):
    year: int
    unit: UnitOut
    previous_years: list[int]
    """The years of the earlier approved rounds compared with."""
    total: TransitionRowOut
    """The sum of the compared sub-units' rows."""
    sub_units: list[TransitionRowOut]
    not_compared: list[UnitRefOut]
    """Sub-units with no earlier approved round (their rows are empty)."""


class MapItemOut(Schema):
    key: str
    """``tinh-…`` for a province, ``xa-…`` for a commune (a province key answers on the other endpoints
    only to those who see the whole province)."""
    code: str
    name: str
    has_data: bool
    """Whether the unit has approved figures of the year (``false``: counts 0, rates ``null``)."""
    households: int
    poor: int
    near_poor: int
    poor_rate: float | None
    near_poor_rate: float | None
    value: float | None
    """The chosen ``indicator`` (``poor_rate`` or ``near_poor_rate``)."""


class MapOut(Schema):
    year: int
    indicator: Literal["poor_rate", "near_poor_rate"]
    province: str | None
    """The province looked into (its communes are the items), or ``null`` (the items are provinces)."""
    items: list[MapItemOut]


class UnitsOut(Schema):
    units: list[UnitOut]
    """The units the caller may query, in the order of the report forms page: provinces, communes (by
    name), pre-2025 districts (for the years up to 2024); a village surveyor's villages."""


class PolicyCoverageOut(Schema):
    """The coverage of one support policy (:mod:`giamngheo.support.coverage`): the eligible households or
    people of the year's approved round, those with a record of the policy in the calendar year, the
    share, and the year's records (those given outside the rule among them)."""

    code: str
    name: str
    beneficiary: Literal["household", "member"]
    coverage_basis: Literal["households", "members", "households_with_need"]
    """What ``eligible`` and ``covered`` count: households, people living in them, or households that
    stated the policy's need."""
    eligible: int
    covered: int
    share: float | None
    """``covered`` in percent of ``eligible``, two decimals (``null`` when nobody is eligible)."""
    records: int
    ineligible_records: int
    """Records given to households that were not eligible (with a supervisor's override)."""


class CoverageRowOut(Schema):
    key: str | None
    """The sub-unit's key (``xa-…`` or ``thon-…``); ``null`` for households without a village."""
    name: str
    policies: list[PolicyCoverageOut]
    """Every policy of the unit, in the unit's order (zeros where the sub-unit has none)."""


class NeedGapOut(Schema):
    id: str
    """The support-need id of the review procedure (e.g. ``preferential_credit``)."""
    label: str
    households: int
    """Households of the round that stated the need."""
    unmet: int
    """Those of them with no record, in the year, of any policy answering the need."""


class CoverageOut(Schema):
    year: int
    unit: UnitOut
    policies: list[PolicyCoverageOut]
    """The unit's total per policy (by name): the figures of the coverage page and of Biểu 05's total."""
    sub_units: list[CoverageRowOut]
    """Communes of a province, villages of a commune, that have any figure."""
    households_with_needs: int
    households_with_unmet_needs: int
    needs: list[NeedGapOut]
    """Every support need of the procedure's list in its order (zero counts included)."""
