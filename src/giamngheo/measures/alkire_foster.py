"""Alkire-Foster counting measures of multidimensional poverty.

Source: Alkire, S. and Foster, J. (2011), "Counting and multidimensional poverty measurement",
*Journal of Public Economics* 95(7-8), 476-487. Notation follows the paper:

- ``g0_ij = 1`` when person (household) ``i`` is deprived in indicator ``j``, i.e. the achievement is
  strictly below the deprivation cut-off: ``y_ij < z_j``;
- ``c_i = sum_j w_j g0_ij`` is the weighted deprivation score;
- ``i`` is poor when ``c_i >= k`` (the second, "dual" cut-off); deprivations of the non-poor are
  censored;
- ``H = q / n`` (headcount ratio), ``A`` = mean of ``c_i / sum(w)`` over the poor (intensity),
  ``M0 = H * A`` (adjusted headcount ratio) = mean of the censored ``c_i / sum(w)``;
- censored headcount ratio ``CH_j`` = share of the population that is poor and deprived in ``j``;
  contribution of ``j`` = ``w_j * CH_j / (sum(w) * M0)``;
- ``M0`` is decomposable by population subgroup: ``M0 = sum_g (n_g / n) * M0_g``.

Vietnam's national standards are the special case with every weight 1 and ``k = 3`` of 12 indicators,
combined with an income line (that combination is the standards engine's job, not this module's).

Everything is computed with Polars expressions in one aggregation pass over the data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import polars as pl

from giamngheo.measures._columns import check_sample_weight, group_columns, refuse_clashes, require_columns

__all__ = ["AFResult", "af_from_sums", "af_sums", "alkire_foster", "deprivation_matrix"]

#: A score counts as reaching ``k`` when ``c_i >= k * (1 - SCORE_TOLERANCE)``. Fractional weights are
#: not exact in binary floating point: ten indicators weighted 0.1 give a person deprived in eight of
#: them ``c_i = 0.7999999999999999``, which must still count as ``c_i == k = 0.8``.
SCORE_TOLERANCE = 1e-9

_PREFIX = "__af_"
_SAMPLE = f"{_PREFIX}sample_weight"
_SCORE = f"{_PREFIX}score"
_POOR = f"{_PREFIX}poor"
_N = f"{_PREFIX}n"
_Q = f"{_PREFIX}q"
_CENSORED_SCORE = f"{_PREFIX}censored_score"
_GROUP_MEASURES = ("n", "population_share", "H", "A", "M0", "contribution_to_M0")


def _uncensored(indicator: str) -> str:
    return f"{_PREFIX}uncensored_{indicator}"


def _censored(indicator: str) -> str:
    return f"{_PREFIX}censored_{indicator}"


@dataclass(frozen=True, slots=True)
class AFResult:
    """Result of :func:`alkire_foster`.

    Attributes
    ----------
    H
        Multidimensional headcount ratio ``q / n``.
    A
        Intensity: mean deprivation share ``c_i / sum(w)`` among the poor; ``0.0`` when nobody is poor.
    M0
        Adjusted headcount ratio ``H * A``.
    n
        Population (the sum of the sample weights, or the number of rows without them).
    q
        Poor population (weighted like ``n``).
    k
        The poverty cut-off used, in the units of the indicator weights.
    censored_headcount
        ``CH_j`` per indicator: share of the population that is poor and deprived in ``j``.
    uncensored_headcount
        Share of the population deprived in ``j``, poor or not.
    contribution
        Share of ``M0`` due to each indicator, ``w_j * CH_j / (sum(w) * M0)``; adds up to 1 when
        ``M0 > 0`` and is ``0.0`` for every indicator when ``M0 == 0``.
    groups
        With ``by``: one row per group, sorted by the group columns, with the group columns, ``n``,
        ``population_share``, ``H``, ``A``, ``M0``, ``contribution_to_M0`` and ``ch_<indicator>``;
        otherwise ``None``.
    """

    H: float
    A: float
    M0: float
    n: float
    q: float
    k: float
    censored_headcount: dict[str, float]
    uncensored_headcount: dict[str, float]
    contribution: dict[str, float]
    groups: pl.DataFrame | None = None


def deprivation_matrix(achievements: pl.DataFrame, cutoffs: Mapping[str, float]) -> pl.DataFrame:
    """Turn achievements into the deprivation matrix ``g0`` (ma trận thiếu hụt).

    Each column named in ``cutoffs`` becomes a Boolean column, True when the achievement is strictly
    below its cut-off: ``g0_ij = 1`` iff ``y_ij < z_j`` (Alkire and Foster 2011, section 2). An
    achievement exactly at the cut-off is not deprived.

    Parameters
    ----------
    achievements
        One row per person or household. Columns named in ``cutoffs`` must be numeric or Boolean
        (Boolean counts as 0/1).
    cutoffs
        Deprivation cut-off ``z_j`` per achievement column.

    Returns
    -------
    pl.DataFrame
        ``achievements`` with the columns named in ``cutoffs`` replaced, in place and in the same order,
        by Boolean deprivation indicators. Columns not named in ``cutoffs`` (identifiers, grouping
        columns, sample weights) are passed through unchanged, so the result can go straight into
        :func:`alkire_foster` with ``by`` and ``sample_weight``.

    Raises
    ------
    ValueError
        If a key of ``cutoffs`` is not a column, a cut-off is not a finite number, or a column is not
        numeric.

    Notes
    -----
    Missing achievements stay missing: a null (and a floating-point NaN, treated as null) gives a null
    indicator, never "not deprived". :func:`alkire_foster` refuses nulls, so missing data must be
    dealt with explicitly before aggregation.

    Examples
    --------
    >>> frame = pl.DataFrame({"commune": ["a", "b"], "schooling": [5.0, 9.0]})
    >>> deprivation_matrix(frame, {"schooling": 6}).to_dicts()
    [{'commune': 'a', 'schooling': True}, {'commune': 'b', 'schooling': False}]
    """
    require_columns(achievements, cutoffs, what="achievement")
    expressions: list[pl.Expr] = []
    for name, cutoff in cutoffs.items():
        if isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or not math.isfinite(cutoff):
            raise ValueError(f"cut-off for {name!r} must be a finite number, got {cutoff!r}")
        dtype = achievements.schema[name]
        column = pl.col(name)
        if dtype == pl.Null:
            expressions.append(pl.lit(None, dtype=pl.Boolean).alias(name))
            continue
        if dtype == pl.Boolean:
            column = column.cast(pl.UInt8)
        elif dtype.is_float():
            column = column.fill_nan(None)
        elif not dtype.is_numeric():
            raise ValueError(f"achievement column {name!r} must be numeric or Boolean, not {dtype}")
        expressions.append((column < cutoff).alias(name))
    return achievements.with_columns(expressions)


def alkire_foster(
    deprivations: pl.DataFrame,
    weights: Mapping[str, float],
    k: float,
    by: str | Sequence[str] | None = None,
    sample_weight: str | None = None,
) -> AFResult:
    """Alkire-Foster measures ``H``, ``A``, ``M0`` with indicator and subgroup breakdowns.

    Parameters
    ----------
    deprivations
        One row per unit of identification (person or household), with one Boolean (or 0/1 integer)
        column per key of ``weights``, e.g. the output of :func:`deprivation_matrix`. Other columns
        are ignored unless named by ``by`` or ``sample_weight``.
    weights
        Non-negative weight ``w_j`` per indicator column. They need not add up to 1. An indicator
        with weight 0 is reported (headcounts) but adds nothing to the score.
    k
        Poverty cut-off in the same units as the weights: a row is poor when its weighted score
        ``c_i = sum_j w_j g_ij`` satisfies ``c_i >= k``. Weights all 1 and ``k = 3`` is Vietnam's
        "3 of 12" rule; weights adding up to 1 and ``k = 1/3`` is the global MPI. A ``k`` above the
        sum of the weights leaves nobody poor.
    by
        Optional group column(s) (commune, district, area...). Adds :attr:`AFResult.groups`.
    sample_weight
        Optional column of non-negative weights (survey weights, household size for a
        person-level measure...). Every mean becomes a weighted mean, ``n`` and ``q`` become weighted
        totals, and the results equal those of the data with each row replicated by its weight.

    Returns
    -------
    AFResult
        The overall measures and, with ``by``, one row per group.

    Raises
    ------
    ValueError
        If ``weights`` is empty, a weight is negative or not finite, all weights are 0, ``k <= 0``,
        a column is missing, an indicator column is neither Boolean nor integer (or holds integers
        other than 0 and 1), an indicator column has nulls, the sample weights have nulls, negative
        or non-finite values, the frame is empty, the total population is 0, or a group column's name
        clashes with an indicator, the sample weight or an output column.

    Notes
    -----
    **Complete data only.** The method needs every indicator for every row; nulls raise (with the
    column names and counts) instead of being silently read as "not deprived". Impute or drop
    incomplete rows first and report how many.

    **Dual cut-off.** ``c_i == k`` counts as poor. To absorb binary floating-point rounding with
    fractional weights, ``c_i >= k * (1 - SCORE_TOLERANCE)`` is used (relative tolerance ``1e-9``).

    **Nobody poor.** When ``M0 == 0``, ``A`` is ``0.0`` and every contribution is ``0.0`` (rather
    than undefined), in the overall result and in each group.

    **Groups.** ``population_share`` is ``n_g / n``; ``contribution_to_M0`` is
    ``population_share * M0_g / M0`` and adds up to 1 over the groups when ``M0 > 0``; decomposability
    gives ``M0 == sum_g population_share_g * M0_g``. A null group key is its own group, sorted last.
    A group whose sample weights are all 0 has ``population_share`` 0 and null ``H``, ``A``, ``M0``
    and ``ch_*``.

    **Performance.** The scores and all sums (population, poor, censored score, per-indicator censored
    and uncensored headcounts, per group) are computed in one lazy ``group_by``/``select`` pass run by
    Polars' streaming engine, so no score column is materialised for the whole frame; the ratios are
    then computed on the small frame of sums. About 1 s for 27 million rows x 12 indicators and 3,000
    groups on 2 cores, with little memory beyond the input frame.

    Examples
    --------
    >>> g = pl.DataFrame({"a": [True, True, False], "b": [True, False, False]})
    >>> r = alkire_foster(g, {"a": 1, "b": 1}, k=2)
    >>> (r.H, r.A, r.M0)
    (0.3333333333333333, 1.0, 0.3333333333333333)
    """
    indicators = list(weights)
    groups = group_columns(by)
    total_weight = _check_weights(weights, k)
    _check_columns(deprivations, indicators, groups, sample_weight)
    _check_indicators(deprivations, indicators)
    if sample_weight is not None:
        check_sample_weight(deprivations, sample_weight)

    sums = _weighted_sums(deprivations, weights, k, groups, sample_weight)
    totals = sums.select(pl.exclude(groups).sum()).row(0, named=True) if groups else sums.row(0, named=True)
    result = _from_totals(totals, weights, k, total_weight)
    if not groups:
        return result
    groups_table = _group_table(
        sums, groups, indicators, total_weight, result.n, float(totals[_CENSORED_SCORE])
    )
    return replace(result, groups=groups_table)


def af_sums(
    deprivations: pl.DataFrame,
    weights: Mapping[str, float],
    k: float,
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """The additive parts of the Alkire-Foster measures, per group of ``by`` (one row without it):
    ``n`` (population), ``q`` (the multidimensionally poor, ``c_i >= k``), ``censored_score`` (the sum
    of ``c_i`` over the poor) and, per indicator ``j``, ``censored_<j>`` (poor and deprived in ``j``)
    and ``uncensored_<j>`` (deprived in ``j``). Sums of these over groups are the sums of the union, so
    they can be stored per small unit and added up later; :func:`af_from_sums` turns them into the
    measures (the same numbers :func:`alkire_foster` gives on the rows). Same checks as
    :func:`alkire_foster`, except that an empty frame gives zero sums."""
    indicators = list(weights)
    groups = group_columns(by)
    _check_weights(weights, k)
    require_columns(deprivations, indicators, what="indicator")
    require_columns(deprivations, groups, what="group")
    if deprivations.height:
        _check_indicators(deprivations, indicators)
    sums = _weighted_sums(deprivations, weights, k, groups, None)
    public = {_N: "n", _Q: "q", _CENSORED_SCORE: "censored_score"}
    public |= {_censored(j): f"censored_{j}" for j in indicators}
    public |= {_uncensored(j): f"uncensored_{j}" for j in indicators}
    return sums.rename(public).with_columns(pl.col(list(public.values())).fill_null(0.0))


def af_from_sums(sums: Mapping[str, float], weights: Mapping[str, float], k: float) -> AFResult:
    """The measures from the sums :func:`af_sums` gives (one row, e.g. the column sums over units;
    a missing ``censored_<j>`` / ``uncensored_<j>`` counts as 0). Raises ``ValueError`` when ``n`` is 0."""
    total_weight = _check_weights(weights, k)
    totals = {
        _N: sums.get("n", 0.0),
        _Q: sums.get("q", 0.0),
        _CENSORED_SCORE: sums.get("censored_score", 0.0),
    }
    for j in weights:
        totals[_censored(j)] = sums.get(f"censored_{j}", 0.0)
        totals[_uncensored(j)] = sums.get(f"uncensored_{j}", 0.0)
    return _from_totals(totals, weights, k, total_weight)


def _from_totals(
    totals: Mapping[str, float], weights: Mapping[str, float], k: float, total_weight: float
) -> AFResult:
    """The overall ratios from the overall sums (the one place H, A, M0 and contributions are computed)."""
    indicators = list(weights)
    n = float(totals[_N] or 0.0)
    if n <= 0:
        raise ValueError("the total population is 0: every sample weight is 0")
    q = float(totals[_Q] or 0.0)
    censored_score = float(totals[_CENSORED_SCORE] or 0.0)
    m0 = censored_score / (n * total_weight)
    censored_headcount = {j: float(totals[_censored(j)] or 0.0) / n for j in indicators}
    contribution = {
        j: (weights[j] * censored_headcount[j] / (total_weight * m0) if m0 > 0 else 0.0) for j in indicators
    }
    return AFResult(
        H=q / n,
        A=censored_score / (q * total_weight) if q > 0 else 0.0,
        M0=m0,
        n=n,
        q=q,
        k=float(k),
        censored_headcount=censored_headcount,
        uncensored_headcount={j: float(totals[_uncensored(j)] or 0.0) / n for j in indicators},
        contribution=contribution,
    )


def _check_weights(weights: Mapping[str, float], k: float) -> float:
    """Validate the indicator weights and ``k``; return the sum of the weights."""
    if not weights:
        raise ValueError("`weights` is empty: give one weight per indicator column")
    bad = [f"{name}={w!r}" for name, w in weights.items() if not math.isfinite(w) or w < 0]
    if bad:
        raise ValueError(f"indicator weights must be finite and non-negative: {', '.join(bad)}")
    total = float(sum(weights.values()))
    if total <= 0:
        raise ValueError("indicator weights are all 0")
    if not math.isfinite(k) or k <= 0:
        raise ValueError(f"poverty cut-off k must be a positive number, got {k!r}")
    return total


def _check_columns(
    frame: pl.DataFrame, indicators: list[str], groups: list[str], sample_weight: str | None
) -> None:
    """Refuse missing, overlapping or clashing column names and an empty frame."""
    require_columns(frame, indicators, what="indicator")
    require_columns(frame, groups, what="group")
    if sample_weight is not None:
        require_columns(frame, [sample_weight], what="sample weight")
    used = [*indicators, *groups, *([sample_weight] if sample_weight is not None else [])]
    repeated = sorted({name for name in used if used.count(name) > 1})
    if repeated:
        raise ValueError(
            f"column(s) {', '.join(repeated)} used for more than one role (indicator, group, sample weight)"
        )
    internal = [name for name in used if name.startswith(_PREFIX)]
    if internal:
        raise ValueError(f"column names starting with {_PREFIX!r} are reserved: {', '.join(internal)}")
    refuse_clashes(groups, {*_GROUP_MEASURES, *(f"ch_{j}" for j in indicators)}, what="group")
    if frame.height == 0:
        raise ValueError("the deprivation frame has no rows")


def _check_indicators(frame: pl.DataFrame, indicators: list[str]) -> None:
    """Indicators must be Boolean or 0/1 integers, without nulls."""
    wrong = [f"{j} ({frame.schema[j]})" for j in indicators if not _is_indicator_dtype(frame.schema[j])]
    if wrong:
        raise ValueError(f"indicator columns must be Boolean or 0/1 integers: {', '.join(wrong)}")
    nulls = frame.select(pl.col(indicators).null_count()).row(0)
    with_nulls = [f"{j} ({count})" for j, count in zip(indicators, nulls, strict=True) if count]
    if with_nulls:
        raise ValueError(
            f"{sum(nulls)} missing value(s) in indicator columns {', '.join(with_nulls)}: Alkire-Foster "
            "needs complete data, so impute or drop incomplete rows first"
        )
    integers = [j for j in indicators if frame.schema[j].is_integer()]
    if integers:
        outside = frame.select(((pl.col(integers) != 0) & (pl.col(integers) != 1)).sum()).row(0)
        not_binary = [f"{j} ({count})" for j, count in zip(integers, outside, strict=True) if count]
        if not_binary:
            raise ValueError(f"integer indicator columns hold values other than 0/1: {', '.join(not_binary)}")


def _is_indicator_dtype(dtype: pl.DataType) -> bool:
    return dtype == pl.Boolean or dtype.is_integer()


def _weighted_sums(
    frame: pl.DataFrame,
    weights: Mapping[str, float],
    k: float,
    groups: list[str],
    sample_weight: str | None,
) -> pl.DataFrame:
    """One pass: (weighted) population, poor, censored score and headcounts, per group or overall."""
    indicators = list(weights)
    score_terms = [pl.col(j).cast(pl.Float64) * float(w) for j, w in weights.items() if w > 0]
    staged = (
        frame.lazy()
        .select(
            *groups,
            *([pl.col(sample_weight).cast(pl.Float64).alias(_SAMPLE)] if sample_weight is not None else []),
            *(pl.col(j).cast(pl.Boolean) for j in indicators),
            pl.sum_horizontal(score_terms).alias(_SCORE),
        )
        .with_columns((pl.col(_SCORE) >= k * (1 - SCORE_TOLERANCE)).alias(_POOR))
    )
    poor = pl.col(_POOR)
    censored_score = pl.when(poor).then(pl.col(_SCORE)).otherwise(0.0)
    if sample_weight is None:
        population = pl.len().cast(pl.Float64)

        def total(condition: pl.Expr) -> pl.Expr:
            return condition.sum().cast(pl.Float64)

        censored_score_total = censored_score.sum()
    else:
        sample = pl.col(_SAMPLE)
        population = sample.sum()

        def total(condition: pl.Expr) -> pl.Expr:
            return pl.when(condition).then(sample).otherwise(0.0).sum()

        censored_score_total = (censored_score * sample).sum()

    aggregations = [
        population.alias(_N),
        total(poor).alias(_Q),
        censored_score_total.alias(_CENSORED_SCORE),
        *(total(pl.col(j)).alias(_uncensored(j)) for j in indicators),
        *(total(pl.col(j) & poor).alias(_censored(j)) for j in indicators),
    ]
    if groups:
        return staged.group_by(groups).agg(aggregations).collect(engine="streaming")
    return staged.select(aggregations).collect(engine="streaming")


def _group_table(
    sums: pl.DataFrame,
    groups: list[str],
    indicators: list[str],
    total_weight: float,
    n: float,
    censored_score: float,
) -> pl.DataFrame:
    """Per-group ratios from the per-group sums."""
    size = pl.col(_N)
    poor = pl.col(_Q)
    score = pl.col(_CENSORED_SCORE)
    populated = size > 0
    return sums.select(
        *groups,
        size.alias("n"),
        (size / n).alias("population_share"),
        pl.when(populated).then(poor / size).alias("H"),
        pl.when(populated)
        .then(pl.when(poor > 0).then(score / (poor * total_weight)).otherwise(0.0))
        .alias("A"),
        pl.when(populated).then(score / (size * total_weight)).alias("M0"),
        (score / censored_score if censored_score > 0 else pl.lit(0.0)).alias("contribution_to_M0"),
        *(pl.when(populated).then(pl.col(_censored(j)) / size).alias(f"ch_{j}") for j in indicators),
    ).sort(groups, nulls_last=True)
