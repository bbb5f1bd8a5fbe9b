"""The poverty-standards engine (chuẩn nghèo đa chiều): legal standards as data, rules in one place.

Public API::

    from giamngheo.standards import evaluate, standard_for, get_standard, list_standards

Nothing else in giamngheo may re-implement a line, an indicator or the classification rule. This package
imports nothing from Django.
"""

from __future__ import annotations

import datetime as dt

from giamngheo.standards.engine import CLASSES, ClassDtype, evaluate, evaluate_lazy
from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS, Fact, Level
from giamngheo.standards.indicators import facts_used_by
from giamngheo.standards.model import (
    AreaLines,
    IndicatorSpec,
    ScoreLines,
    Standard,
    StandardError,
    Validity,
    default_catalogue,
)
from giamngheo.standards.validation import FactsError, ValidatedFacts, validate_facts

__all__ = [
    "CLASSES",
    "HOUSEHOLD_FACTS",
    "MEMBER_FACTS",
    "AreaLines",
    "ClassDtype",
    "Fact",
    "FactsError",
    "IndicatorSpec",
    "Level",
    "ScoreLines",
    "Standard",
    "StandardError",
    "ValidatedFacts",
    "Validity",
    "evaluate",
    "evaluate_lazy",
    "facts_used_by",
    "get_standard",
    "list_standards",
    "standard_for",
    "validate_facts",
]


def standard_for(day: dt.date, province_code: str | int | None = None) -> Standard:
    """The standard in force on ``day`` (a province's local standard first, if it has one in force).

    >>> standard_for(dt.date(2026, 6, 30)).id
    'vn-2022-2025'
    >>> standard_for(dt.date(2027, 1, 1)).id
    'vn-2027-2030'
    """
    return default_catalogue().for_date(day, province_code)


def get_standard(standard_id: str) -> Standard:
    """A standard by id (``vn-2016-2020``, ``vn-2022-2025``, ``vn-2027-2030``, ``local-…``)."""
    return default_catalogue()[standard_id]


def list_standards() -> list[Standard]:
    """Every shipped standard: national ones by period first, then local ones."""
    return list(default_catalogue())
