"""The one aggregation path of the reports context (tổng hợp số liệu): every form, dashboard, map and
API figure is computed here from a *report frame*, so the same question always gets the same number.

Framework-free (Polars only). The report frame has one row per household of the units reported on, as
:func:`giamngheo.reports.selectors.report_frame` builds it from the approved review rounds:

=====================  =========  ====================================================================
column                 type       meaning
=====================  =========  ====================================================================
``province_code``      str        2-digit province code
``commune_id``         int        the commune (2025 unit) primary key
``commune_code``       str        its GSO code
``commune_name``       str        its name
``village_id``         int/null   the household's village (null: none)
``village_name``       str/null
``household_id``       int        registry household
``area``               str        ``urban`` / ``rural``
``ethnic_minority``    bool       hộ dân tộc thiểu số
``meritorious_family`` bool       hộ người có công
``social_protection``  bool       hộ bảo trợ xã hội
``no_labour_capacity`` bool       hộ không có khả năng lao động
``klass``              str        the approved class (``poor``, ``near_poor``, ``middle_living``,
                                  ``not_poor``, ``incomplete``), or ``not_reviewed`` for a household the
                                  round did not list (neither poor nor near-poor)
``deprived``           list[str]  deprived indicator ids (empty when not reviewed)
``causes``             list[str]  causes of poverty recorded in the round
=====================  =========  ====================================================================

Rates are shares of **all** households of the unit (Decision 24/2021 reporting practice: tỷ lệ hộ nghèo =
số hộ nghèo / tổng số hộ dân cư), in percent with two decimals as the official forms print them, rounded
half up on the exact fraction (867 of 20,000 → 4,34 %) by :func:`rate_expr` / :func:`rate_percent`, so
every page, form and map shows the same digits whatever formatter displays them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

POOR: Final = "poor"
NEAR_POOR: Final = "near_poor"
NOT_REVIEWED: Final = "not_reviewed"

#: Subgroups reported separately (domain notes §3, "special groups"); name → boolean expression.
SUBGROUPS: Final[dict[str, pl.Expr]] = {
    "urban": pl.col("area") == "urban",
    "rural": pl.col("area") == "rural",
    "ethnic_minority": pl.col("ethnic_minority"),
    "meritorious_family": pl.col("meritorious_family"),
    "social_protection": pl.col("social_protection"),
    "no_labour_capacity": pl.col("no_labour_capacity"),
}

REPORT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "province_code": pl.String(),
    "commune_id": pl.Int64(),
    "commune_code": pl.String(),
    "commune_name": pl.String(),
    "village_id": pl.Int64(),
    "village_name": pl.String(),
    "household_id": pl.Int64(),
    "area": pl.String(),
    "ethnic_minority": pl.Boolean(),
    "meritorious_family": pl.Boolean(),
    "social_protection": pl.Boolean(),
    "no_labour_capacity": pl.Boolean(),
    "klass": pl.String(),
    "deprived": pl.List(pl.String()),
    "causes": pl.List(pl.String()),
}


def empty_report_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=REPORT_SCHEMA)


RATE_DECIMALS: Final = 2


def rate_percent(numerator: int, denominator: int) -> float | None:
    """``numerator`` as a percentage of ``denominator`` with :data:`RATE_DECIMALS` decimals, rounded half
    up on the exact fraction (integer arithmetic); ``None`` when the denominator is 0."""
    if denominator <= 0:
        return None
    scale = 100 * 10**RATE_DECIMALS
    return ((numerator * scale * 2 + denominator) // (2 * denominator)) / 10**RATE_DECIMALS


def rate_expr(numerator: str, denominator: str, alias: str) -> pl.Expr:
    """:func:`rate_percent` as a Polars expression over two integer columns (null when the denominator
    is 0)."""
    scale = 100 * 10**RATE_DECIMALS
    n = pl.col(numerator).cast(pl.Int64)
    d = pl.col(denominator).cast(pl.Int64)
    return (
        pl.when(d > 0)
        # .round: the float nearest to k/100 however the division is evaluated (k * 0.01 ≠ k / 100)
        .then((((n * (scale * 2) + d) // (d * 2)).cast(pl.Float64) / 10**RATE_DECIMALS).round(RATE_DECIMALS))
        .otherwise(None)
        .alias(alias)
    )


def _rate(numerator: str, denominator: str) -> pl.Expr:
    return rate_expr(numerator, denominator, f"{numerator}_rate")


def summary(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Households, poor and near-poor counts and rates per group (``by`` columns; none → one total row).

    For every subgroup of :data:`SUBGROUPS` also ``households_<g>``, ``poor_<g>``, ``near_poor_<g>`` and
    their rates (shares of the subgroup's households). Groups are sorted by ``by``.
    """
    is_poor = pl.col("klass") == POOR
    is_near = pl.col("klass") == NEAR_POOR
    aggregations: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("households"),
        is_poor.sum().cast(pl.Int64).alias("poor"),
        is_near.sum().cast(pl.Int64).alias("near_poor"),
        (pl.col("klass") == "middle_living").sum().cast(pl.Int64).alias("middle_living"),
        (pl.col("klass") == "incomplete").sum().cast(pl.Int64).alias("incomplete"),
        (pl.col("klass") != NOT_REVIEWED).sum().cast(pl.Int64).alias("reviewed"),
    ]
    for name, condition in SUBGROUPS.items():
        aggregations += [
            condition.fill_null(False).sum().cast(pl.Int64).alias(f"households_{name}"),
            (condition.fill_null(False) & is_poor).sum().cast(pl.Int64).alias(f"poor_{name}"),
            (condition.fill_null(False) & is_near).sum().cast(pl.Int64).alias(f"near_poor_{name}"),
        ]
    grouped = frame.group_by(list(by)).agg(aggregations).sort(list(by)) if by else frame.select(aggregations)
    rates = [_rate("poor", "households"), _rate("near_poor", "households")]
    for name in SUBGROUPS:
        rates += [
            rate_expr(f"poor_{name}", f"households_{name}", f"poor_{name}_rate"),
            rate_expr(f"near_poor_{name}", f"households_{name}", f"near_poor_{name}_rate"),
        ]
    return grouped.with_columns(rates)


def deprivation_counts(
    frame: pl.DataFrame, by: Sequence[str] = (), classes: Sequence[str] = (POOR, NEAR_POOR)
) -> pl.DataFrame:
    """Per group and indicator: how many households of ``classes`` are deprived in it, out of how many
    (``households`` of those classes in the group), and the share in percent. Long format: one row per
    (group, indicator); indicators nobody is deprived in are absent."""
    scoped = frame.filter(pl.col("klass").is_in(list(classes)))
    totals = (
        scoped.group_by(list(by)).agg(pl.len().cast(pl.Int64).alias("households"))
        if by
        else scoped.select(pl.len().cast(pl.Int64).alias("households"))
    )
    exploded = scoped.select(*by, pl.col("deprived")).explode("deprived").drop_nulls("deprived")
    counts = exploded.group_by([*by, "deprived"]).agg(pl.len().cast(pl.Int64).alias("deprived_households"))
    counts = counts.rename({"deprived": "indicator"})
    joined = counts.join(totals, on=list(by), how="left") if by else counts.join(totals, how="cross")
    return joined.with_columns(rate_expr("deprived_households", "households", "share")).sort(
        [*by, "indicator"]
    )


def cause_counts(
    frame: pl.DataFrame, by: Sequence[str] = (), classes: Sequence[str] = (POOR, NEAR_POOR)
) -> pl.DataFrame:
    """Per group and cause of poverty: households of ``classes`` giving that cause (one household may
    give several). Long format, sorted by group then count (largest first)."""
    scoped = frame.filter(pl.col("klass").is_in(list(classes)))
    exploded = scoped.select(*by, "klass", pl.col("causes")).explode("causes").drop_nulls("causes")
    return (
        exploded.group_by([*by, "causes"])
        .agg(
            pl.len().cast(pl.Int64).alias("households"),
            (pl.col("klass") == POOR).sum().cast(pl.Int64).alias("poor"),
            (pl.col("klass") == NEAR_POOR).sum().cast(pl.Int64).alias("near_poor"),
        )
        .rename({"causes": "cause"})
        .sort([*by, "households", "cause"], descending=[*(False for _ in by), True, False])
    )


def share(numerator: str, denominator: str, alias: str) -> pl.Expr:
    """``numerator`` as a percentage of ``denominator`` (null when the denominator is 0), as every rate
    of this module is computed (:func:`rate_expr`); the forms use it for rates :func:`summary` does not
    give."""
    return rate_expr(numerator, denominator, alias)


def without_cause_counts(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Per group: poor and near-poor households with no cause of poverty recorded (``poor``,
    ``near_poor``, ``households``), the complement of :func:`cause_counts`."""
    scoped = frame.filter(pl.col("klass").is_in([POOR, NEAR_POOR]) & (pl.col("causes").list.len() == 0))
    aggregations = [
        pl.len().cast(pl.Int64).alias("households"),
        (pl.col("klass") == POOR).sum().cast(pl.Int64).alias("poor"),
        (pl.col("klass") == NEAR_POOR).sum().cast(pl.Int64).alias("near_poor"),
    ]
    return scoped.group_by(list(by)).agg(aggregations).sort(list(by)) if by else scoped.select(aggregations)


#: Columns of :func:`transition_summary`, in the order of the transitions form (Biểu 4).
TRANSITION_COLUMNS: Final = (
    "poor_before",
    "escaped_poverty",
    "poor_left",
    "newly_poor",
    "relapsed",
    "poor_moved_in",
    "poor_now",
    "near_poor_before",
    "escaped_near_poverty",
    "near_poor_to_poor",
    "near_poor_left",
    "near_poor_from_poor",
    "newly_near_poor",
    "near_poor_moved_in",
    "near_poor_now",
)

_LEFT: Final = ("moved_out", "died_merged", "not_reviewed", "incomplete")


def transition_summary(per_household: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Transitions (biến động) per group, from the per-household frame of
    :func:`giamngheo.review.transitions.household_transitions` (columns ``previous_class``,
    ``current_class``, ``category`` and the ``by`` columns), the categories added up as the transitions
    form reports them, so that for every group::

        poor_before - escaped_poverty - poor_left + newly_poor + relapsed + poor_moved_in == poor_now
        near_poor_before - escaped_near_poverty - near_poor_to_poor - near_poor_left
            + near_poor_from_poor + newly_near_poor + near_poor_moved_in == near_poor_now

    ``escaped_poverty`` = the review's ``escaped_to_near_poor`` + ``escaped_poverty`` (thoát nghèo);
    ``poor_left`` / ``near_poor_left``: moved out, died or merged, not reviewed again, or now incomplete;
    ``near_poor_to_poor``: near-poor before, poor now (counted by the review as newly poor or relapsed);
    ``near_poor_from_poor`` = ``escaped_to_near_poor``. Columns: ``by`` + :data:`TRANSITION_COLUMNS`.
    """
    p, c = pl.col("previous_class"), pl.col("current_class")
    category = pl.col("category").cast(pl.String)

    def count(condition: pl.Expr, name: str) -> pl.Expr:
        return condition.fill_null(False).sum().cast(pl.Int64).alias(name)

    aggregations = [
        count(p == POOR, "poor_before"),
        count(category.is_in(["escaped_to_near_poor", "escaped_poverty"]), "escaped_poverty"),
        count((p == POOR) & category.is_in(list(_LEFT)), "poor_left"),
        count(category == "newly_poor", "newly_poor"),
        count(category == "relapsed", "relapsed"),
        count((category == "moved_in") & (c == POOR), "poor_moved_in"),
        count(c == POOR, "poor_now"),
        count(p == NEAR_POOR, "near_poor_before"),
        count(category == "escaped_near_poverty", "escaped_near_poverty"),
        count((p == NEAR_POOR) & (c == POOR), "near_poor_to_poor"),
        count((p == NEAR_POOR) & category.is_in(list(_LEFT)), "near_poor_left"),
        count(category == "escaped_to_near_poor", "near_poor_from_poor"),
        count(category == "newly_near_poor", "newly_near_poor"),
        count((category == "moved_in") & (c == NEAR_POOR), "near_poor_moved_in"),
        count(c == NEAR_POOR, "near_poor_now"),
    ]
    if by:
        return per_household.group_by(list(by)).agg(aggregations).sort(list(by), nulls_last=True)
    return per_household.select(aggregations)
