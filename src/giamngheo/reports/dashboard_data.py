"""The figures of the dashboards (bảng điều khiển), as thin functions over the one aggregation path.

Framework-free (Polars only). Every count and rate comes from :mod:`giamngheo.reports.aggregation`
(``summary``, ``deprivation_counts``, ``cause_counts``) applied to report frames
(:func:`giamngheo.reports.selectors.report_frame`); the deprivation profile is
:func:`giamngheo.measures.alkire_foster` over the frame's ``deprived`` lists. Nothing here counts a
class itself, so a dashboard, a form and the API give the same number for the same question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import polars as pl

from giamngheo.measures import AFResult, af_from_sums
from giamngheo.reports.aggregation import (
    af_totals,
    cause_counts,
    count_figures,
    deprivation_counts,
    empty_report_frame,
    is_figures,
    summary,
)

__all__ = [
    "Change",
    "Profile",
    "causes",
    "change",
    "deprivation_profile",
    "headline",
    "sub_units",
    "trend",
]

SubLevel = Literal["commune", "village"]

#: The group columns of each sub-unit level in the report frame: (id, name).
SUB_UNIT_COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "commune": ("commune_id", "commune_name"),
    "village": ("village_id", "village_name"),
}


def headline(frame: pl.DataFrame) -> dict[str, Any]:
    """The unit's totals: the one row of ``summary(frame)`` (households, poor, near-poor, rates …)."""
    return summary(frame).row(0, named=True)


def sub_units(frame: pl.DataFrame, level: SubLevel) -> pl.DataFrame:
    """``summary`` per commune or per village (``id``, ``name`` and the summary columns), poorest first
    (by poor rate, then near-poor rate, then name). Households without a village form one row with a
    null ``id``, listed last."""
    id_column, name_column = SUB_UNIT_COLUMNS[level]
    table = summary(frame, [id_column, name_column]).rename({id_column: "id", name_column: "name"})
    return table.sort(
        ["poor_rate", "near_poor_rate", "name"],
        descending=[True, True, False],
        nulls_last=True,
    ).sort(pl.col("id").is_null(), maintain_order=True)


def trend(frames: Mapping[int, pl.DataFrame]) -> pl.DataFrame:
    """``summary`` per year (one row per year with households, counts and rates), oldest first: the
    frames of all years in one aggregation pass, so each year's row equals :func:`headline` of its
    frame."""
    tagged = [
        (frame if is_figures(frame) else count_figures(frame, lists=False)).with_columns(
            pl.lit(year, dtype=pl.Int64).alias("year")
        )
        for year, frame in frames.items()
    ]
    if not tagged:
        return summary(empty_report_frame().with_columns(pl.lit(0, dtype=pl.Int64).alias("year")), ["year"])
    return summary(pl.concat(tagged, how="diagonal_relaxed"), ["year"])


@dataclass(frozen=True, slots=True)
class Change:
    """Change of the poor and near-poor rates against the previous year, in percentage points."""

    previous_year: int
    poor_points: float | None
    near_poor_points: float | None


def change(trend_table: pl.DataFrame, year: int) -> Change | None:
    """The change from the latest year before ``year`` in ``trend_table`` (see :func:`trend`) to
    ``year``, or ``None`` when there is no earlier year or ``year`` is not in the table."""
    current = trend_table.filter(pl.col("year") == year)
    earlier = trend_table.filter(pl.col("year") < year).sort("year")
    if current.height == 0 or earlier.height == 0:
        return None
    now, before = current.row(0, named=True), earlier.row(-1, named=True)

    def points(column: str) -> float | None:
        if now[column] is None or before[column] is None:
            return None
        return round(float(now[column] - before[column]), 2)  # the difference of the rates as shown

    return Change(int(before["year"]), points("poor_rate"), points("near_poor_rate"))


@dataclass(frozen=True, slots=True)
class Profile:
    """The deprivation profile of a unit (hồ sơ thiếu hụt).

    ``af``: Alkire-Foster over all households of the frame, every indicator weighted 1 and ``k`` the
    standard's number of deprivations; ``households``: per indicator, the poor and near-poor households
    deprived in it (``deprivation_counts``: ``indicator``, ``deprived_households``, ``households``,
    ``share``)."""

    af: AFResult
    indicators: tuple[str, ...]
    households: pl.DataFrame

    def deprived_households(self, indicator: str) -> int:
        found = self.households.filter(pl.col("indicator") == indicator)
        return int(found["deprived_households"].item()) if found.height else 0


def deprivation_profile(frame: pl.DataFrame, indicators: Sequence[str], k: float) -> Profile | None:
    """Alkire-Foster measures (H, A, M0, censored headcount ratios, contributions) of the frame: from
    the stored ``af.*`` sums of a figures frame, or counted with the frame's ``deprived`` lists as the
    0/1 deprivation matrix over ``indicators`` (every weight 1, cut-off ``k``); ``None`` for an empty
    frame."""
    if frame.height == 0 or not indicators:
        return None
    figures = frame if is_figures(frame) else count_figures(frame, indicators=indicators, k=k)
    totals = af_totals(figures)
    if totals.get("n", 0.0) <= 0:
        return None
    result = af_from_sums(totals, dict.fromkeys(indicators, 1.0), k)
    return Profile(af=result, indicators=tuple(indicators), households=deprivation_counts(figures))


def causes(frame: pl.DataFrame) -> pl.DataFrame:
    """Causes of poverty of the poor and near-poor households (``cause_counts``), most given first."""
    return cause_counts(frame)
