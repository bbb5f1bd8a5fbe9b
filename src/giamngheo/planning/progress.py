"""Progress against targets (tiến độ thực hiện chỉ tiêu), projections, and the consistency of a target table.

Framework-free (stdlib and Polars). The inputs are plain values: targets as :class:`TargetSpec` (the
service turns ``planning.Target`` rows into them) and a *unit figures frame*, one row per unit and year
with the counts of the approved periodic review rounds (``giamngheo.reports`` figures):

=================  ======  =============================================================
column             type    meaning
=================  ======  =============================================================
``unit_id``        int     the unit (plan unit or one of its sub-units)
``year``           int     year of the approved periodic rounds (the end-of-year status)
``households``     int     all households of the unit (the household base)
``poor``           int     poor households
``near_poor``      int     near-poor households
``poor_rate``      float   optional; computed from the counts when missing
``near_poor_rate`` float   optional; idem
=================  ======  =============================================================

Rates are computed by the reports' one rule (:func:`giamngheo.reports.aggregation.rate_expr`: share of all
households in percent, two decimals, half up; Decision 24/2021/QĐ-TTg reporting practice). The round of
year *Y* (1 September – 14 December) gives the end-of-year (cuối năm) figures of *Y*; the *baseline* of a
target of year *Y* is year *Y − 1* ("năm trước").

What each kind measures (values are :class:`giamngheo.planning.models.TargetKind` values):

- ``poor_rate_reduction`` / ``near_poor_rate_reduction``: rate(Y − 1) − rate(Y), in percentage points;
  reached when at least ``value`` (the lower end of a range "1–1,5 điểm %");
- ``poor_households_reduction``: poor(Y − 1) − poor(Y), households; reached when at least ``value``;
- ``end_poor_rate`` / ``end_near_poor_rate``: rate(Y); reached when at most ``value_max`` (or ``value``);
- ``coverage`` / ``other``: not measured from review rounds (status ``not_measured``).

A target without a year holds for every year of the plan's period: a reduction is then read as *per year*
("mỗi năm giảm ít nhất 6,6%": the average yearly reduction from the plan's baseline year to the latest
approved year), an end rate as the rate at the end of the period.

Status: ``met`` (đạt: the measured value reaches the target), ``not_yet`` (chưa đạt: not reached yet, and
the projection reaches it, or there are not enough years to project), ``off_track`` (chệch hướng: the
target's year is over and it was missed, or the projection says it will be), ``no_data`` (no approved
figures) and ``not_measured``. The projection is linear (least squares) on the approved years from the
baseline year to the end of the period, and needs at least two of them (``not_enough_years`` otherwise);
a projected rate is kept within 0–100 %. A reduction's projection is the trend's yearly reduction.

Consistency (:func:`consistency`): see :data:`RATE_COUNT_TOLERANCE` for the rule; every disagreement is
returned as a :class:`Disagreement` with its numbers, none is dropped.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, TypeVar

import polars as pl

from giamngheo.reports.aggregation import rate_expr

# --- kinds (the values of planning.models.TargetKind) ---------------------------------------------

POOR_RATE_REDUCTION: Final = "poor_rate_reduction"
POOR_HOUSEHOLDS_REDUCTION: Final = "poor_households_reduction"
END_POOR_RATE: Final = "end_poor_rate"
NEAR_POOR_RATE_REDUCTION: Final = "near_poor_rate_reduction"
END_NEAR_POOR_RATE: Final = "end_near_poor_rate"
COVERAGE: Final = "coverage"
OTHER: Final = "other"

#: Kinds that are a reduction over the year (reached at ``>= value``), with the figure they read.
REDUCTIONS: Final[dict[str, str]] = {
    POOR_RATE_REDUCTION: "poor_rate",
    NEAR_POOR_RATE_REDUCTION: "near_poor_rate",
    POOR_HOUSEHOLDS_REDUCTION: "poor",
}
#: Kinds that are a level at the end of the year (reached at ``<= value_max or value``).
LEVELS: Final[dict[str, str]] = {END_POOR_RATE: "poor_rate", END_NEAR_POOR_RATE: "near_poor_rate"}
#: Kinds in percentage points (a rate's change), whose cascade and checks go through the household base.
POINTS_KINDS: Final = frozenset({POOR_RATE_REDUCTION, NEAR_POOR_RATE_REDUCTION})
#: Kinds counted in households.
COUNT_KINDS: Final = frozenset({POOR_HOUSEHOLDS_REDUCTION})
#: Kinds that are a percentage (0–100).
PERCENT_KINDS: Final = frozenset(
    {POOR_RATE_REDUCTION, END_POOR_RATE, NEAR_POOR_RATE_REDUCTION, END_NEAR_POOR_RATE, COVERAGE}
)
#: Kinds a cascade can split over sub-units.
CASCADE_KINDS: Final = COUNT_KINDS | POINTS_KINDS

# --- statuses --------------------------------------------------------------------------------------

MET: Final = "met"
NOT_YET: Final = "not_yet"
OFF_TRACK: Final = "off_track"
NO_DATA: Final = "no_data"
NOT_MEASURED: Final = "not_measured"
NOT_ENOUGH_YEARS: Final = "not_enough_years"

#: Consistency rule for a rate against a household count (and a points cascade): they agree when
#: ``|households − points × base / 100| ≤ max(1, RATE_COUNT_TOLERANCE × base)`` where ``base`` is the
#: unit's households in the baseline year. 0.5 % of the base is the rounding of a rate written in whole
#: percentage points ("giảm 3-4%"), the coarsest way plans state them; under one household nothing is a
#: disagreement. A count against the sum of its children must agree exactly (whole households).
RATE_COUNT_TOLERANCE: Final = 0.005

_EPSILON: Final = 1e-9
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """A target as the calculations need it (``value_max``: the upper end of a range)."""

    id: int
    unit_id: int
    kind: str
    value: float
    year: int | None = None
    value_max: float | None = None
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A plan's period in years; ``baseline_year`` is the year before it starts."""

    start: int
    end: int

    @property
    def baseline_year(self) -> int:
        return self.start - 1


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a target stands. ``actual`` and ``projection`` are in the target's own measure (points,
    households or a rate); ``year`` is the year ``actual`` was read for, ``baseline_year`` the year it
    was compared with (reductions). ``final``: the target's year has its approved figures.
    ``end_rate_projection``: the poor (near-poor) rate the trend gives for the end of the period."""

    target_id: int
    status: str
    year: int | None = None
    baseline_year: int | None = None
    baseline: float | None = None
    actual: float | None = None
    final: bool = False
    projection: float | None = None
    projection_year: int | None = None
    end_rate_projection: float | None = None
    projection_note: str = ""

    @property
    def off_track(self) -> bool:
        return self.status == OFF_TRACK


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A consistency problem, with the numbers: ``found`` should have been ``expected`` (± ``tolerance``).

    ``code``: ``children_sum`` (the children of a count target do not add up to it; ``target_id`` is the
    parent, ``other_ids`` the children), ``children_points`` (the children of a points target, weighted
    by their household bases, do not give the parent's households), ``rate_households`` (a points target
    × the household base ≠ the households target of the same unit and year; ``target_id`` is the
    households target, ``other_ids`` the points target)."""

    code: str
    target_id: int
    other_ids: tuple[int, ...]
    unit_id: int
    year: int | None
    expected: float
    found: float
    tolerance: float = 0.0
    base: int | None = None

    @property
    def difference(self) -> float:
        return self.found - self.expected


# --- the figures ------------------------------------------------------------------------------------

FIGURE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "unit_id": pl.Int64(),
    "year": pl.Int64(),
    "households": pl.Int64(),
    "poor": pl.Int64(),
    "near_poor": pl.Int64(),
}


def empty_figures() -> pl.DataFrame:
    return pl.DataFrame(schema=FIGURE_SCHEMA)


def with_rates(figures: pl.DataFrame) -> pl.DataFrame:
    """``figures`` with ``poor_rate`` and ``near_poor_rate`` (computed from the counts when missing)."""
    missing = [
        rate_expr(count, "households", f"{count}_rate")
        for count in ("poor", "near_poor")
        if f"{count}_rate" not in figures.columns
    ]
    return figures.with_columns(missing) if missing else figures


Table = dict[int, dict[int, dict[str, float]]]  # unit → year → column → value


def _table(figures: pl.DataFrame) -> Table:
    table: Table = defaultdict(dict)
    for row in with_rates(figures).iter_rows(named=True):
        table[int(row["unit_id"])][int(row["year"])] = {
            k: float(v) for k, v in row.items() if k not in ("unit_id", "year") and v is not None
        }
    return table


def _series(table: Table, unit_id: int, column: str) -> dict[int, float]:
    return {year: row[column] for year, row in table.get(unit_id, {}).items() if column in row}


def linear_trend(series: Mapping[int, float]) -> tuple[float, float] | None:
    """Least-squares ``(slope, intercept)`` of ``series`` (year → value), or ``None`` under two years."""
    if len(series) < 2:
        return None
    years = sorted(series)
    slope, intercept = statistics.linear_regression(years, [series[y] for y in years])
    return slope, intercept


def _at(trend: tuple[float, float], year: int) -> float:
    return trend[0] * year + trend[1]


def _rate_at(trend: tuple[float, float], year: int) -> float:
    """The trend's rate in ``year``, kept within 0–100 % (a straight line leaves it)."""
    return min(100.0, max(0.0, _at(trend, year)))


# --- progress ----------------------------------------------------------------------------------------


def _reached(target: TargetSpec, value: float) -> bool:
    if target.kind in REDUCTIONS:
        return value >= target.value - _EPSILON
    bound = target.value_max if target.value_max is not None else target.value
    return value <= bound + _EPSILON


def _status(target: TargetSpec, actual: float | None, projection: float | None, final: bool) -> str:
    if actual is None and projection is None:
        return NO_DATA
    if actual is not None and _reached(target, actual):
        return MET
    if final:
        return OFF_TRACK
    if projection is None:
        return NOT_YET
    return NOT_YET if _reached(target, projection) else OFF_TRACK


def _round(value: float | None, kind: str) -> float | None:
    if value is None:
        return None
    return round(value, 0 if kind in COUNT_KINDS else 2) + 0.0  # + 0.0: no "-0.0"


def progress_of(target: TargetSpec, figures: pl.DataFrame | Table, period: Period) -> Progress:
    """Where ``target`` stands, from the unit figures of the approved years (see the module docstring)."""
    table = figures if isinstance(figures, dict) else _table(figures)
    if target.kind not in REDUCTIONS and target.kind not in LEVELS:
        return Progress(target.id, NOT_MEASURED)
    column = REDUCTIONS.get(target.kind) or LEVELS[target.kind]
    series = _series(table, target.unit_id, column)
    rate_column = column if column.endswith("_rate") else "poor_rate"
    window = {y: v for y, v in series.items() if period.baseline_year <= y <= period.end}
    trend = linear_trend(window)
    rate_trend = linear_trend(
        {y: v for y, v in _series(table, target.unit_id, rate_column).items() if y in window}
    )
    end_rate = _round(_rate_at(rate_trend, period.end), POOR_RATE_REDUCTION) if rate_trend else None
    note = "" if trend is not None else NOT_ENOUGH_YEARS
    horizon = target.year if target.year is not None else period.end
    actual: float | None = None
    year: int | None = None
    baseline_year: int | None = None
    baseline: float | None = None
    final = False
    if target.kind in REDUCTIONS:
        projection = -trend[0] if trend is not None else None
        if target.year is not None:
            baseline_year, year = target.year - 1, target.year
            baseline = series.get(baseline_year)
            if baseline is not None and year in series:
                actual, final = baseline - series[year], True
        else:
            read = sorted(window)
            if len(read) >= 2:
                baseline_year, year = read[0], read[-1]
                baseline = series[baseline_year]
                actual = (baseline - series[year]) / (year - baseline_year)
                final = year == period.end
            elif read:
                baseline_year, baseline = read[0], series[read[0]]
    else:
        projection = _rate_at(trend, horizon) if trend is not None else None
        baseline_year = horizon - 1
        baseline = series.get(baseline_year)
        if horizon in series:
            actual, year, final = series[horizon], horizon, True
        else:
            earlier = [y for y in series if y < horizon]
            if earlier:
                year = max(earlier)
                actual = series[year]
    actual = _round(actual, target.kind)
    projection = _round(projection, target.kind)
    return Progress(
        target_id=target.id,
        status=_status(target, actual, projection, final),
        year=year,
        baseline_year=baseline_year,
        baseline=baseline,
        actual=actual,
        final=final,
        projection=projection,
        projection_year=horizon if projection is not None else None,
        end_rate_projection=end_rate,
        projection_note=note,
    )


def progress(targets: Sequence[TargetSpec], figures: pl.DataFrame, period: Period) -> dict[int, Progress]:
    """:func:`progress_of` for every target, by target id."""
    table = _table(figures)
    return {t.id: progress_of(t, table, period) for t in targets}


# --- consistency ------------------------------------------------------------------------------------


def base_year(target: TargetSpec, period: Period) -> int:
    """The year whose households are the base of ``target``: the year before its year, else before the
    period."""
    return target.year - 1 if target.year is not None else period.baseline_year


def tolerance(base: int, share: float = RATE_COUNT_TOLERANCE) -> float:
    """How far a count may be from ``points × base / 100`` and still agree (:data:`RATE_COUNT_TOLERANCE`)."""
    return max(1.0, share * base)


def _base(table: Table, unit_id: int, year: int) -> int | None:
    households = table.get(unit_id, {}).get(year, {}).get("households")
    return int(households) if households else None


def consistency(
    targets: Sequence[TargetSpec],
    figures: pl.DataFrame,
    period: Period,
    *,
    share: float = RATE_COUNT_TOLERANCE,
) -> list[Disagreement]:
    """Every disagreement of the target table, in target order:

    - a count target whose children (cascade) do not add up to it (exactly: whole households);
    - a points target whose children, each weighted by its household base, do not give the parent's
      households (``points × base / 100``) within :func:`tolerance` (only when every base is known);
    - a points target and a households target of the same unit, kind of population and year that do not
      agree through the unit's household base (within :func:`tolerance`).
    """
    table = _table(figures)
    children: dict[int, list[TargetSpec]] = defaultdict(list)
    for t in targets:
        if t.parent_id is not None:
            children[t.parent_id].append(t)
    found: list[Disagreement] = []
    for parent in targets:
        kids = children.get(parent.id)
        if not kids:
            continue
        ids = tuple(k.id for k in kids)
        if parent.kind in COUNT_KINDS:
            total = sum(k.value for k in kids)
            if abs(total - parent.value) > _EPSILON:
                found.append(
                    Disagreement(
                        "children_sum", parent.id, ids, parent.unit_id, parent.year, parent.value, total
                    )
                )
        elif parent.kind in POINTS_KINDS:
            year = base_year(parent, period)
            base = _base(table, parent.unit_id, year)
            bases = [_base(table, k.unit_id, base_year(k, period)) for k in kids]
            if base is None or any(b is None for b in bases):
                continue
            expected = parent.value * base / 100
            weighted = sum(k.value * (b or 0) / 100 for k, b in zip(kids, bases, strict=True))
            allowed = tolerance(base, share)
            if abs(weighted - expected) > allowed:
                found.append(
                    Disagreement(
                        "children_points",
                        parent.id,
                        ids,
                        parent.unit_id,
                        parent.year,
                        round(expected, 1),
                        round(weighted, 1),
                        round(allowed, 1),
                        base,
                    )
                )
    points = [t for t in targets if t.kind == POOR_RATE_REDUCTION]
    for counted in (t for t in targets if t.kind == POOR_HOUSEHOLDS_REDUCTION):
        for rate in points:
            if (rate.unit_id, rate.year) != (counted.unit_id, counted.year):
                continue
            base = _base(table, counted.unit_id, base_year(counted, period))
            if base is None:
                continue
            allowed = tolerance(base, share)
            low = rate.value * base / 100
            high = (rate.value_max if rate.value_max is not None else rate.value) * base / 100
            count_high = counted.value_max if counted.value_max is not None else counted.value
            if counted.value > high + allowed or count_high < low - allowed:
                found.append(
                    Disagreement(
                        "rate_households",
                        counted.id,
                        (rate.id,),
                        counted.unit_id,
                        counted.year,
                        round(low, 1),
                        counted.value,
                        round(allowed, 1),
                        base,
                    )
                )
    return found


# --- splitting a target -------------------------------------------------------------------------------


def largest_remainder(total: int, weights: Mapping[K, int | float]) -> dict[K, int]:
    """``total`` split in whole parts proportional to ``weights`` (Hamilton's largest-remainder method):
    each key gets the floor of its exact share, and the units left over go to the largest remainders
    (ties: the larger weight, then the order of ``weights``), so the parts add up to ``total`` exactly.
    All-zero weights split evenly."""
    keys = list(weights)
    if not keys:
        return {}
    if total < 0:
        raise ValueError("total must not be negative")
    exact_weights = {k: Fraction(weights[k]) for k in keys}
    if any(w < 0 for w in exact_weights.values()):
        raise ValueError("weights must not be negative")
    whole = sum(exact_weights.values())
    if whole == 0:
        exact_weights = dict.fromkeys(keys, Fraction(1))
        whole = Fraction(len(keys))
    shares = {k: total * exact_weights[k] / whole for k in keys}
    parts = {k: int(shares[k]) for k in keys}  # floor: shares are not negative
    left = total - sum(parts.values())
    order = sorted(
        range(len(keys)),
        key=lambda i: (-(shares[keys[i]] - parts[keys[i]]), -exact_weights[keys[i]], i),
    )
    for i in order[:left]:
        parts[keys[i]] += 1
    return parts


def split_points(
    points: float, base: int, poor: Mapping[K, int], bases: Mapping[K, int]
) -> tuple[dict[K, int], dict[K, float]]:
    """A points target (cut of the rate by ``points``) of a unit with ``base`` households split over
    sub-units: the ``points × base / 100`` households it means (rounded half up) are split by
    :func:`largest_remainder` proportionally to each sub-unit's poor households, and each sub-unit's
    share is given back in points of its own base (two decimals). Returns ``(households, points)``."""
    households = int(Fraction(str(points)) * base / 100 + Fraction(1, 2))
    parts = largest_remainder(households, poor)
    return parts, {k: round(100 * parts[k] / bases[k], 2) if bases.get(k) else 0.0 for k in parts}


__all__ = [
    "CASCADE_KINDS",
    "COUNT_KINDS",
    "LEVELS",
    "MET",
    "NOT_ENOUGH_YEARS",
    "NOT_MEASURED",
    "NOT_YET",
    "NO_DATA",
    "OFF_TRACK",
    "PERCENT_KINDS",
    "POINTS_KINDS",
    "RATE_COUNT_TOLERANCE",
    "REDUCTIONS",
    "Disagreement",
    "Period",
    "Progress",
    "TargetSpec",
    "consistency",
    "empty_figures",
    "largest_remainder",
    "linear_trend",
    "progress",
    "progress_of",
    "split_points",
    "tolerance",
    "with_rates",
]
