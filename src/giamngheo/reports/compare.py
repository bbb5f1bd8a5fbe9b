"""Compare two poverty standards on the same facts (so sánh chuẩn nghèo).

The same household and member facts are evaluated under two standards side by side — typically the
standard a review round used (2022-2025, in force in 2026) and the next national one (2027-2030) — with
ONE :func:`giamngheo.standards.evaluate` call per standard. Everything after that is a handful of
vectorised Polars expressions over the two outputs:

- the class-transition matrix a → b (households per pair of classes, ``incomplete`` included, so that it
  sums to the number of households);
- per unit (the ``by`` columns: commune, village …) the households per class under each standard and how
  many change class (became poor, left poverty …);
- the drivers: for each household that changes class, which part of the rule moved it — its income lies
  between the two income lines (``income_line``); it stays under both lines but the deprivation count
  crosses the threshold because indicators were added, removed or their cut-offs changed
  (``deprivations``, with per-indicator counts in both directions); the lower income band of a two-band
  standard (``lower_line``); or the middle-living band above both lines changed or does not exist under
  one standard (``middle_band``: the 2027-2030 standard defines no middle-living class, so nothing is
  invented for it);
- households ``incomplete`` under either standard are kept out of the changes and reported separately,
  with the facts each standard was missing.

Nothing here classifies a household: every class comes from the engine, and the reasons only read the
engine's output (class, deprivation flags and count) and the standards' data (lines, threshold,
indicator parameters). Framework-free: Polars and :mod:`giamngheo.standards` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import polars as pl

from giamngheo.standards import CLASSES, Standard, evaluate, validate_facts
from giamngheo.standards.engine import Basis

BELOW_LINE: Final = ("poor", "near_poor")
"""The classes of a complete household whose income is at or below the standard's poverty line."""
REASONS: Final = ("income_line", "deprivations", "lower_line", "middle_band")
Reason = Literal["income_line", "deprivations", "lower_line", "middle_band"]
IndicatorChange = Literal["added", "removed", "changed", "same"]
CHANGE_COUNTS: Final = (
    "changed",
    "became_poor",
    "left_poor",
    "became_near_poor",
    "left_near_poor",
    "incomplete",
)
"""Per-unit counts besides the classes: households changing class (complete under both standards), those
that become / stop being poor or near-poor under b, and those incomplete under either standard."""


@dataclass(frozen=True, slots=True)
class LineShift:
    """The poverty line of one area under both standards (VND per person per month) and the households
    of that area that change class because their income lies between the two lines."""

    area: str
    line_a: float
    line_b: float
    entered: int
    """Above a's line, at or below b's (counted poor or near-poor only under b)."""
    left: int
    """At or below a's line, above b's."""
    area_households: int = 0
    """Households of the area complete under both standards (0: the area has none to compare)."""

    @property
    def households(self) -> int:
        return self.entered + self.left


@dataclass(frozen=True, slots=True)
class IndicatorDriver:
    """One indicator of either standard and how its verdicts differ between them.

    ``change``: ``added`` (only in b), ``removed`` (only in a), ``changed`` (in both, with another
    cut-off or implementation) or ``same``. A ``same`` indicator can still differ where the standards'
    shared parameters differ (working and retirement ages: see ``Drivers.shared_params``).
    """

    id: str
    label_vi: str
    label_en: str
    change: IndicatorChange
    gained: int
    """Households changing class because of their deprivation count (``deprivations``) that are deprived
    in this indicator under b but not under a."""
    lost: int
    """The same households deprived under a but not under b."""
    gained_all: int
    """Every household complete under both standards: deprived under b, not under a."""
    lost_all: int
    """Every household complete under both standards: deprived under a, not under b."""


@dataclass(frozen=True, slots=True)
class MiddleBand:
    """The middle-living band (hộ có mức sống trung bình) under both standards.

    ``upper_a`` / ``upper_b``: the top of the band per area (VND per person per month), empty when the
    standard defines no band (the 2027-2030 standard: the class is then unavailable, not invented).
    """

    available_a: bool
    available_b: bool
    upper_a: Mapping[str, float]
    upper_b: Mapping[str, float]
    to_not_poor: int
    """Middle-living under a, not poor under b (above both poverty lines)."""
    to_middle: int
    """Not poor under a, middle-living under b (above both poverty lines)."""

    @property
    def households(self) -> int:
        return self.to_not_poor + self.to_middle


@dataclass(frozen=True, slots=True)
class Drivers:
    """Why households change class, per part of the rule (see the module docstring)."""

    by_reason: Mapping[str, int]
    """Households changing class per reason (every key of ``REASONS``)."""
    lines: tuple[LineShift, ...]
    threshold_a: int
    threshold_b: int
    """Deprivations from which a household under the line is poor (``poor_min_deprivations``)."""
    indicators: tuple[IndicatorDriver, ...]
    shared_params: tuple[tuple[str, Any, Any], ...]
    """Shared parameters of the indicators (working age, retirement ages …) that differ: (key, a, b)."""
    middle: MiddleBand


@dataclass(frozen=True, slots=True)
class Incomplete:
    """Households incomplete (chưa đủ thông tin) under either standard, kept out of the changes."""

    a_only: int
    b_only: int
    both: int
    missing_a: pl.DataFrame
    """``fact``, ``households``: the facts whose absence made households incomplete under a, most
    frequent first."""
    missing_b: pl.DataFrame

    @property
    def households(self) -> int:
        return self.a_only + self.b_only + self.both


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare_standards`."""

    a: Standard
    b: Standard
    by: tuple[str, ...]
    households: int
    matrix: pl.DataFrame
    """One row per class under a (``class_a``, in ``CLASSES`` order), one column per class under b
    and ``total``: households per pair. Sums to ``households``."""
    by_unit: pl.DataFrame
    """One row per unit: the ``by`` columns, ``households``, ``a_<class>`` and ``b_<class>`` for every
    class, and the ``CHANGE_COUNTS``."""
    totals: Mapping[str, int]
    """``by_unit``'s numeric columns summed over the units."""
    drivers: Drivers
    incomplete: Incomplete
    per_household: pl.DataFrame
    """One row per household in input order: ``household_id``, the ``by`` columns, ``area``,
    ``class_a``, ``class_b``, ``count_a``, ``count_b`` and ``reason`` (null unless it changes class)."""

    @property
    def classes_a(self) -> tuple[str, ...]:
        return classes_of(self.a)

    @property
    def classes_b(self) -> tuple[str, ...]:
        return classes_of(self.b)

    def changes(self) -> pl.DataFrame:
        """The households that change class (complete under both standards), in input order."""
        return self.per_household.filter(pl.col("reason").is_not_null())


def classes_of(standard: Standard) -> tuple[str, ...]:
    """The classes ``standard`` can give: no ``middle_living`` when it defines no middle-living band."""
    return tuple(c for c in CLASSES if c != "middle_living" or standard.has_middle_living)


def compare_standards(
    households: pl.DataFrame,
    members: pl.DataFrame,
    *,
    a: Standard,
    b: Standard,
    by: Sequence[str],
    basis: Basis = "income",
    validate: bool = True,
) -> Comparison:
    """Evaluate the same facts under standards ``a`` and ``b`` and compare the classes.

    Parameters
    ----------
    households, members
        Facts as for :func:`giamngheo.standards.evaluate` (one row per household, one per member).
        ``households`` also carries the ``by`` columns; ``household_id`` must be unique.
    a, b
        The two standards: usually the one in force and the one to come. Their indicator sets may
        differ (an indicator missing from one standard counts as "not deprived" under it).
    by
        Grouping columns of ``households`` for the per-unit table (e.g. ``["village_id"]``).
    basis
        ``"income"`` or ``"score"``, passed to ``evaluate`` (the score basis needs score lines in both).
    validate
        Check and normalise the facts once (raises :class:`giamngheo.standards.FactsError`); turn off
        only for frames that already passed :func:`giamngheo.standards.validate_facts`.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from giamngheo.standards import get_standard
    >>> from giamngheo.synth import generate_frames
    >>> households, members = generate_frames(200, seed=1)
    >>> result = compare_standards(
    ...     households, members, a=get_standard("vn-2022-2025"), b=get_standard("vn-2027-2030"),
    ...     by=["commune_code"])
    >>> int(result.matrix["total"].sum()) == result.households == 200
    True
    """
    by = tuple(by)
    unknown = [c for c in by if c not in households.columns]
    if unknown:
        raise ValueError(f"grouping columns not in the household frame: {unknown}")
    if "household_id" in by:
        raise ValueError("household_id cannot be a grouping column")
    if validate:
        checked = validate_facts(households, members).raise_if_errors()
        households, members = checked.households, checked.members
    evaluated_a = evaluate(households, members, a, basis=basis, validate=False)
    evaluated_b = evaluate(households, members, b, basis=basis, validate=False)
    # evaluate keeps the input order, so the two outputs and the grouping columns line up row by row.
    frame = pl.concat(
        [
            households.select(pl.col("household_id"), *[pl.col(c) for c in by]),
            _side(evaluated_a, a, "a"),
            _side(evaluated_b, b, "b").drop("area"),
        ],
        how="horizontal",
    ).with_columns(_reason(a, b).alias("reason"))
    complete = _complete()
    return Comparison(
        a=a,
        b=b,
        by=by,
        households=frame.height,
        matrix=_matrix(frame),
        by_unit=(by_unit := _by_unit(frame, by, complete)),
        totals=_totals(by_unit, by),
        drivers=_drivers(frame, a, b, complete),
        incomplete=_incomplete(frame),
        per_household=frame.select(
            "household_id", *by, "area", "class_a", "class_b", "count_a", "count_b", "reason"
        ),
    )


# --- the steps ------------------------------------------------------------------------------------


def _side(evaluated: pl.DataFrame, standard: Standard, suffix: str) -> pl.DataFrame:
    """One standard's verdicts with suffixed names: class, count, missing facts, deprivation flags."""
    return evaluated.select(
        pl.col("area").cast(pl.String),
        pl.col("class").cast(pl.String).alias(f"class_{suffix}"),
        pl.col("deprivation_count").alias(f"count_{suffix}"),
        pl.col("missing").alias(f"missing_{suffix}"),
        *[pl.col(f"dep_{i}").alias(f"dep_{i}_{suffix}") for i in standard.indicator_ids],
    )


def _complete() -> pl.Expr:
    return (pl.col("class_a") != "incomplete") & (pl.col("class_b") != "incomplete")


def _below(suffix: str) -> pl.Expr:
    return pl.col(f"class_{suffix}").is_in(BELOW_LINE)


def _reason(a: Standard, b: Standard) -> pl.Expr:
    """Why a complete household changes class (null when it does not), in the order the rule reads:
    the income line first, then (under both lines) the deprivation count, then the middle band."""
    changed = _complete() & (pl.col("class_a") != pl.col("class_b"))
    count_decides = (pl.col("count_a") >= a.poor_min_deprivations) != (
        pl.col("count_b") >= b.poor_min_deprivations
    )
    return (
        pl.when(~changed)
        .then(pl.lit(None, pl.String))
        .when(_below("a") != _below("b"))
        .then(pl.lit("income_line"))
        .when(_below("a") & count_decides)
        .then(pl.lit("deprivations"))
        .when(_below("a"))
        .then(pl.lit("lower_line"))
        .otherwise(pl.lit("middle_band"))
    )


def _matrix(frame: pl.DataFrame) -> pl.DataFrame:
    rows = frame.group_by("class_a").agg(
        *[(pl.col("class_b") == c).sum().cast(pl.Int64).alias(c) for c in CLASSES],
    )
    return (
        pl.DataFrame({"class_a": list(CLASSES)})
        .join(rows, on="class_a", how="left", maintain_order="left")
        .with_columns(pl.col(c).fill_null(0) for c in CLASSES)
        .with_columns(pl.sum_horizontal(*CLASSES).alias("total"))
    )


def _unit_counts(complete: pl.Expr) -> list[pl.Expr]:
    class_a, class_b = pl.col("class_a"), pl.col("class_b")
    counts = [pl.len().cast(pl.Int64).alias("households")]
    counts += [(class_a == c).sum().cast(pl.Int64).alias(f"a_{c}") for c in CLASSES]
    counts += [(class_b == c).sum().cast(pl.Int64).alias(f"b_{c}") for c in CLASSES]
    changes = {
        "changed": complete & (class_a != class_b),
        "became_poor": complete & (class_b == "poor") & (class_a != "poor"),
        "left_poor": complete & (class_a == "poor") & (class_b != "poor"),
        "became_near_poor": complete & (class_b == "near_poor") & (class_a != "near_poor"),
        "left_near_poor": complete & (class_a == "near_poor") & (class_b != "near_poor"),
        "incomplete": ~complete,
    }
    assert tuple(changes) == CHANGE_COUNTS
    counts += [condition.sum().cast(pl.Int64).alias(name) for name, condition in changes.items()]
    return counts


def _by_unit(frame: pl.DataFrame, by: tuple[str, ...], complete: pl.Expr) -> pl.DataFrame:
    if not by:
        return frame.select(_unit_counts(complete))
    return frame.group_by(*by).agg(_unit_counts(complete)).sort(*by, nulls_last=True)


def _totals(by_unit: pl.DataFrame, by: tuple[str, ...]) -> dict[str, int]:
    numbers = by_unit.drop(*by)
    return {name: int(numbers[name].sum()) for name in numbers.columns}


def _monthly(standard: Standard, attribute: str) -> dict[str, float]:
    """A line attribute per area in VND per person per month (empty where the standard has none)."""
    values = {area: getattr(lines, attribute) for area, lines in standard.lines.items()}
    return {area: value / 12 for area, value in values.items() if value is not None}


def _flag(frame: pl.DataFrame, indicator: str, suffix: str) -> pl.Expr:
    """An indicator's deprivation flag under one standard; ``False`` when the standard lacks it."""
    column = f"dep_{indicator}_{suffix}"
    return pl.col(column).fill_null(False) if column in frame.columns else pl.lit(False)


def _effective(standard: Standard, indicator: str) -> tuple[str, dict[str, Any]] | None:
    spec = next((i for i in standard.indicators if i.id == indicator), None)
    return None if spec is None else (spec.impl, dict(spec.params))


def _indicator_drivers(
    frame: pl.DataFrame, a: Standard, b: Standard, complete: pl.Expr
) -> tuple[IndicatorDriver, ...]:
    ids = [*a.indicator_ids, *[i for i in b.indicator_ids if i not in a.indicator_ids]]
    if not ids:
        return ()
    by_count = pl.col("reason") == "deprivations"
    sums = []
    for iid in ids:
        gained = _flag(frame, iid, "b") & ~_flag(frame, iid, "a")
        lost = _flag(frame, iid, "a") & ~_flag(frame, iid, "b")
        sums += [
            (gained & by_count).sum().alias(f"{iid}|gained"),
            (lost & by_count).sum().alias(f"{iid}|lost"),
            (gained & complete).sum().alias(f"{iid}|gained_all"),
            (lost & complete).sum().alias(f"{iid}|lost_all"),
        ]
    totals = frame.select(sums).row(0, named=True)
    specs = {i.id: i for i in (*b.indicators, *a.indicators)}  # a's labels win for kept indicators
    drivers = []
    for iid in ids:
        own_a, own_b = _effective(a, iid), _effective(b, iid)
        change: IndicatorChange = (
            "added"
            if own_a is None
            else "removed"
            if own_b is None
            else "changed"
            if own_a != own_b
            else "same"
        )
        spec = specs[iid]
        drivers.append(
            IndicatorDriver(
                id=iid,
                label_vi=spec.label_vi,
                label_en=spec.label_en,
                change=change,
                gained=int(totals[f"{iid}|gained"] or 0),
                lost=int(totals[f"{iid}|lost"] or 0),
                gained_all=int(totals[f"{iid}|gained_all"] or 0),
                lost_all=int(totals[f"{iid}|lost_all"] or 0),
            )
        )
    return tuple(drivers)


def _drivers(frame: pl.DataFrame, a: Standard, b: Standard, complete: pl.Expr) -> Drivers:
    reasons = frame.group_by("reason").len().drop_nulls("reason")
    by_reason = {r: 0 for r in REASONS}
    by_reason.update({str(r): int(n) for r, n in reasons.iter_rows()})
    crossing = (
        frame.filter(pl.col("reason") == "income_line")
        .group_by("area")
        .agg(_below("b").sum().alias("entered"), _below("a").sum().alias("left"))
    )
    crossed = {str(area): (int(e), int(left)) for area, e, left in crossing.iter_rows()}
    per_area = dict(frame.filter(complete).group_by("area").len().iter_rows())
    line_a, line_b = _monthly(a, "poverty"), _monthly(b, "poverty")
    lines = tuple(
        LineShift(area, line_a[area], line_b[area], *crossed.get(area, (0, 0)), int(per_area.get(area, 0)))
        for area in ("rural", "urban")
        if area in line_a and area in line_b
    )
    middle_rows = frame.filter(pl.col("reason") == "middle_band")
    middle = MiddleBand(
        available_a=a.has_middle_living,
        available_b=b.has_middle_living,
        upper_a=_monthly(a, "middle_upper") if a.has_middle_living else {},
        upper_b=_monthly(b, "middle_upper") if b.has_middle_living else {},
        to_not_poor=middle_rows.filter(pl.col("class_a") == "middle_living").height,
        to_middle=middle_rows.filter(pl.col("class_b") == "middle_living").height,
    )
    shared = tuple(
        (key, a.params.get(key), b.params.get(key))
        for key in sorted({*a.params, *b.params})
        if a.params.get(key) != b.params.get(key)
    )
    return Drivers(
        by_reason=by_reason,
        lines=lines,
        threshold_a=a.poor_min_deprivations,
        threshold_b=b.poor_min_deprivations,
        indicators=_indicator_drivers(frame, a, b, complete),
        shared_params=shared,
        middle=middle,
    )


def _missing(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
    return (
        frame.filter(pl.col(f"class_{suffix}") == "incomplete")
        .select(pl.col(f"missing_{suffix}").explode().alias("fact"))
        .drop_nulls()
        .group_by("fact")
        .len(name="households")
        .with_columns(pl.col("households").cast(pl.Int64))
        .sort(["households", "fact"], descending=[True, False])
    )


def _incomplete(frame: pl.DataFrame) -> Incomplete:
    in_a, in_b = pl.col("class_a") == "incomplete", pl.col("class_b") == "incomplete"
    a_only, b_only, both = frame.select(
        (in_a & ~in_b).sum().alias("a_only"),
        (~in_a & in_b).sum().alias("b_only"),
        (in_a & in_b).sum().alias("both"),
    ).row(0)
    return Incomplete(
        a_only=int(a_only),
        b_only=int(b_only),
        both=int(both),
        missing_a=_missing(frame, "a"),
        missing_b=_missing(frame, "b"),
    )
