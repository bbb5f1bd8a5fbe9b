"""Household poverty rates (tỷ lệ hộ nghèo, tỷ lệ hộ cận nghèo) from classified households.

The official rate is a share of households, not of people: "tỷ lệ hộ nghèo" = số hộ nghèo / tổng số
hộ × 100, computed for an administrative unit (commune, district, province) from the households the
review classified.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from giamngheo.measures._columns import check_sample_weight, group_columns, refuse_clashes, require_columns

__all__ = ["HOUSEHOLD_CLASSES", "household_rates"]

#: The class labels the standards engine writes, in the order of the output columns.
HOUSEHOLD_CLASSES: tuple[str, ...] = ("poor", "near_poor", "middle_living", "not_poor", "incomplete")

_OUTPUT_COLUMNS = ("households", *HOUSEHOLD_CLASSES, "poor_rate", "near_poor_rate")
_UNKNOWN = "__rates_unknown"


def household_rates(
    results: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    class_column: str = "class",
    sample_weight: str | None = None,
) -> pl.DataFrame:
    """Count households per class and compute the poor and near-poor rates, per unit.

    Parameters
    ----------
    results
        One row per household with a class column whose values are among :data:`HOUSEHOLD_CLASSES`
        (``"poor"``, ``"near_poor"``, ``"middle_living"``, ``"not_poor"``, ``"incomplete"``), as
        written by the standards engine. String, Categorical and Enum columns are accepted.
    by
        Optional group column(s), e.g. the commune code. Without it the result has one row.
    class_column
        Name of the class column.
    sample_weight
        Optional column of non-negative household weights (e.g. survey expansion factors). The count
        columns then hold weighted totals (Float64) instead of counts (Int64).

    Returns
    -------
    pl.DataFrame
        One row per group, sorted by the ``by`` columns (a null key sorts last), with the group
        columns, ``households``, one count column per class (``poor``, ``near_poor``,
        ``middle_living``, ``not_poor``, ``incomplete``) and ``poor_rate`` and ``near_poor_rate`` in
        percent (0-100, Float64, not rounded: rounding is for display). An empty ``results`` gives an
        empty frame with the same schema.

    Raises
    ------
    ValueError
        If a column is missing, a class value is null or not one of :data:`HOUSEHOLD_CLASSES`, the
        sample weights have nulls or negative or non-finite values, or a ``by`` column clashes with an
        output column name.

    Notes
    -----
    **Incomplete households stay in the denominator.** A household whose data did not allow a
    classification (``"incomplete"``) is still a household of the unit, so
    ``poor_rate = 100 * poor / households`` with ``households`` counting every class, incomplete
    included. Dropping them would silently raise the rate in communes with unfinished surveys; counting
    them in their own ``incomplete`` column keeps them visible so the unit can finish the work. The
    class counts always add up to ``households``.

    A group whose sample weights are all 0 has null rates.

    Examples
    --------
    >>> frame = pl.DataFrame({"class": ["poor", "not_poor", "near_poor", "incomplete"]})
    >>> household_rates(frame).select("households", "poor", "poor_rate", "near_poor_rate").row(0)
    (4, 1, 25.0, 25.0)
    """
    groups = group_columns(by)
    require_columns(results, [class_column], what="class")
    require_columns(results, groups, what="group")
    if sample_weight is not None:
        require_columns(results, [sample_weight], what="sample weight")
    refuse_clashes(groups, {*_OUTPUT_COLUMNS, _UNKNOWN}, what="group")
    if class_column in groups or sample_weight in (class_column, *groups):
        raise ValueError("the class, group and sample weight columns must be different columns")
    if sample_weight is not None:
        check_sample_weight(results, sample_weight)

    label = pl.col(class_column).cast(pl.String)
    if sample_weight is None:
        households = pl.len().cast(pl.Int64)

        def total(condition: pl.Expr) -> pl.Expr:
            return condition.sum().cast(pl.Int64)
    else:
        weight = pl.col(sample_weight).cast(pl.Float64)
        households = weight.sum()

        def total(condition: pl.Expr) -> pl.Expr:
            return pl.when(condition).then(weight).otherwise(0.0).sum()

    aggregations = [
        households.alias("households"),
        *(total(label == name).alias(name) for name in HOUSEHOLD_CLASSES),
        (~label.is_in(HOUSEHOLD_CLASSES)).fill_null(True).sum().alias(_UNKNOWN),
    ]
    lazy = results.lazy()
    counts = (lazy.group_by(groups).agg(aggregations) if groups else lazy.select(aggregations)).collect(
        engine="streaming"
    )

    unknown = int(counts.get_column(_UNKNOWN).sum())
    if unknown:
        found = (
            results.select(
                label.filter(~label.is_in(HOUSEHOLD_CLASSES).fill_null(True))
                .unique(maintain_order=True)
                .head(10)
            )
            .to_series()
            .to_list()
        )
        raise ValueError(
            f"{unknown} household(s) with an unknown class in {class_column!r}: {found!r}; "
            f"expected one of {', '.join(HOUSEHOLD_CLASSES)}"
        )
    if results.is_empty():
        counts = counts.clear()

    denominator = pl.col("households")

    def rate(name: str) -> pl.Expr:
        return pl.when(denominator > 0).then(100.0 * pl.col(name) / denominator).alias(f"{name}_rate")

    table = counts.select(*groups, *_OUTPUT_COLUMNS[:-2], rate("poor"), rate("near_poor"))
    return table.sort(groups, nulls_last=True) if groups else table
