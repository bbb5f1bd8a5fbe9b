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
    """The unit's key, as in ``?unit=`` and the report forms' URLs (``tinh-51``, ``xa-23485``,
    ``thon-12``)."""
    name: str
    level: Literal["province", "commune", "village"]


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
    """The sub-unit's key (``xa-…`` or ``thon-…``); ``null`` for the total and for households without a
    village."""
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
