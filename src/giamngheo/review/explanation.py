"""Why a household got its class (giải thích kết quả phân loại), from a stored result and its standard.

Framework-free: :func:`explain` reads what the engine produced (class, income per person or score A,
the line applied, deprived and unknown indicators, missing facts) and the standard's data (lines,
indicators with their names, cut-offs, citations, the number of deprivations that makes a household
poor). It never decides anything itself: every verdict shown comes from the stored result. The words
around it are added by ``review.presentation`` in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from giamngheo.standards import IndicatorSpec, Standard
from giamngheo.standards.indicators import rules_for

IndicatorState = Literal["deprived", "not_deprived", "unknown"]


@dataclass(frozen=True, slots=True)
class IndicatorExplanation:
    """One indicator of the standard for this household."""

    spec: IndicatorSpec
    dimension_vi: str
    dimension_en: str
    state: IndicatorState
    params: Mapping[str, Any]
    """The indicator's own parameters from the standard's data file: its cut-off."""
    missing_facts: tuple[str, ...]
    """Facts this indicator reads that are missing for the household (only when ``unknown``)."""


@dataclass(frozen=True, slots=True)
class Explanation:
    klass: str
    area: str
    basis: str
    income_per_person: float | None
    income_score: float | None
    line: float
    """The poverty line applied (VND per person per month, or points of score A)."""
    below_line: bool | None
    """Whether the income (or score) is at or below the line; ``None`` when it is unknown."""
    middle_upper: float | None
    """Top of the middle-living band for the area (VND per person per month), if the standard has one."""
    members: int
    deprivation_count: int
    poor_min_deprivations: int
    indicators: tuple[IndicatorExplanation, ...]
    missing: tuple[str, ...]
    standard_id: str
    standard_version: int
    standard_title_vi: str
    standard_title_en: str
    classification_citation: str

    @property
    def deprived(self) -> tuple[IndicatorExplanation, ...]:
        return tuple(i for i in self.indicators if i.state == "deprived")

    @property
    def reaches_threshold(self) -> bool:
        return self.deprivation_count >= self.poor_min_deprivations


def explain(
    *,
    standard: Standard,
    klass: str,
    area: str,
    basis: str,
    line: float,
    members: int,
    deprived: Sequence[str],
    unknown: Sequence[str],
    deprivation_count: int,
    missing: Sequence[str],
    income_per_person: float | None = None,
    income_score: float | None = None,
) -> Explanation:
    """Explain a stored result (the fields of ``review.models.Result``) under ``standard``."""
    value = income_per_person if basis == "income" else income_score
    below = None if value is None else value <= line
    needs = {
        bound.id: tuple(dict.fromkeys(n.fact for n in bound.rule.needs)) for bound in rules_for(standard)
    }
    deprived_set, unknown_set, missing_set = set(deprived), set(unknown), set(missing)
    indicators = []
    for spec in standard.indicators:
        state: IndicatorState = (
            "deprived" if spec.id in deprived_set else "unknown" if spec.id in unknown_set else "not_deprived"
        )
        dimension = standard.dimensions.get(spec.dimension, {})
        indicators.append(
            IndicatorExplanation(
                spec=spec,
                dimension_vi=dimension.get("vi", spec.dimension),
                dimension_en=dimension.get("en", spec.dimension),
                state=state,
                params=dict(spec.params),
                missing_facts=(
                    tuple(f for f in needs.get(spec.id, ()) if f in missing_set) if state == "unknown" else ()
                ),
            )
        )
    lines = standard.lines.get(area)
    middle = None
    if basis == "income" and lines is not None and lines.middle_upper is not None:
        middle = lines.middle_upper / 12
    return Explanation(
        klass=klass,
        area=area,
        basis=basis,
        income_per_person=income_per_person,
        income_score=income_score,
        line=line,
        below_line=below,
        middle_upper=middle,
        members=members,
        deprivation_count=deprivation_count,
        poor_min_deprivations=standard.poor_min_deprivations,
        indicators=tuple(indicators),
        missing=tuple(missing),
        standard_id=standard.id,
        standard_version=standard.version,
        standard_title_vi=standard.title_vi,
        standard_title_en=standard.title_en,
        classification_citation=standard.classification_citation,
    )
