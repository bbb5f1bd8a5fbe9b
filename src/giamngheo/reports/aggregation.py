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

Every function also accepts a *figures frame* instead: one row per small unit (a village or a commune
of an approved round, as :mod:`giamngheo.reports.figures` stores them) with the unit's columns above
(``province_code`` … ``village_name``) and additive counts (:func:`count_figures`): a household frame is
first counted per group by :func:`count_figures`, a figures frame is summed per group, and every figure
and rate is then computed from those sums — the one path, whichever frame it starts from.

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


# --- figures: additive counts per unit ---------------------------------------------------------

#: Count columns of a figures frame, besides the prefixed ones below.
BASE_COUNTS: Final[tuple[str, ...]] = (
    "households",
    "poor",
    "near_poor",
    "middle_living",
    "incomplete",
    "reviewed",
    *(f"{kind}_{name}" for name in SUBGROUPS for kind in ("households", "poor", "near_poor")),
)
#: ``dep.<class>.<indicator>``: households of the class deprived in the indicator.
DEPRIVED: Final = "dep."
#: ``cause.<class>.<cause>``: households of the class giving the cause of poverty.
CAUSE: Final = "cause."
#: ``no_cause.<class>``: households of the class with no cause recorded.
NO_CAUSE: Final = "no_cause."
#: ``af.<sum>``: the Alkire-Foster sums of :func:`giamngheo.measures.af_sums` (all households).
AF: Final = "af."
#: ``tr.<column>``: the transitions of :data:`TRANSITION_COLUMNS`.
TRANSITION: Final = "tr."
_CLASSES: Final = (POOR, NEAR_POOR)


def is_figures(frame: pl.DataFrame) -> bool:
    """Whether ``frame`` is a figures frame (counts per unit) rather than a household frame."""
    return "klass" not in frame.columns and "category" not in frame.columns


def _base_counts() -> list[pl.Expr]:
    is_poor = pl.col("klass") == POOR
    is_near = pl.col("klass") == NEAR_POOR
    counts: list[pl.Expr] = [
        pl.len().cast(pl.Int64).alias("households"),
        is_poor.sum().cast(pl.Int64).alias("poor"),
        is_near.sum().cast(pl.Int64).alias("near_poor"),
        (pl.col("klass") == "middle_living").sum().cast(pl.Int64).alias("middle_living"),
        (pl.col("klass") == "incomplete").sum().cast(pl.Int64).alias("incomplete"),
        (pl.col("klass") != NOT_REVIEWED).sum().cast(pl.Int64).alias("reviewed"),
    ]
    for name, condition in SUBGROUPS.items():
        counts += [
            condition.fill_null(False).sum().cast(pl.Int64).alias(f"households_{name}"),
            (condition.fill_null(False) & is_poor).sum().cast(pl.Int64).alias(f"poor_{name}"),
            (condition.fill_null(False) & is_near).sum().cast(pl.Int64).alias(f"near_poor_{name}"),
        ]
    return counts


def _grouped(frame: pl.DataFrame, by: Sequence[str], aggregations: Sequence[pl.Expr]) -> pl.DataFrame:
    if by:
        return frame.group_by(list(by)).agg(aggregations)
    return frame.select(aggregations)


def _list_counts(frame: pl.DataFrame, by: Sequence[str], column: str, prefix: str) -> pl.DataFrame:
    """``<prefix><class>.<item>`` per group: households of each class of :data:`_CLASSES` whose list
    ``column`` holds the item (wide: one column per class and item)."""
    scoped = frame.filter(pl.col("klass").is_in(list(_CLASSES)))
    long = (
        scoped.select(*by, "klass", pl.col(column).alias("item"))
        .explode("item")
        .drop_nulls("item")
        .group_by([*by, "klass", "item"])
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .with_columns((pl.lit(prefix) + pl.col("klass") + pl.lit(".") + pl.col("item")).alias("key"))
    )
    if long.height == 0:
        return _grouped(frame, by, []) if by else pl.DataFrame()
    if by:
        return long.pivot("key", index=list(by), values="n", aggregate_function="sum")
    wide = long.with_columns(pl.lit(0).alias("_all")).pivot(
        "key", index="_all", values="n", aggregate_function="sum"
    )
    return wide.drop("_all")


def count_figures(
    frame: pl.DataFrame,
    by: Sequence[str] = (),
    *,
    lists: bool = True,
    indicators: Sequence[str] = (),
    k: float | None = None,
    transitions: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The figures frame of a household frame: one row per group of ``by`` with the counts of
    :data:`BASE_COUNTS`; with ``lists``, ``dep.*``, ``cause.*`` and ``no_cause.*`` (only the non-zero
    ones); with ``indicators`` and ``k``, the ``af.*`` sums over all households with the ``deprived``
    lists as the deprivation matrix (every indicator weight 1, as the national standards count); with
    ``transitions`` (the per-household frame of :func:`transition_summary`, with the ``by`` columns),
    ``tr.*``. Counts that are 0 may be absent: every reader takes a missing column as 0."""
    by = list(by)
    figures = _grouped(frame, by, _base_counts())
    parts: list[pl.DataFrame] = []
    if lists:
        parts.append(_list_counts(frame, by, "deprived", DEPRIVED))
        parts.append(_list_counts(frame, by, "causes", CAUSE))
        without = frame.filter(pl.col("klass").is_in(list(_CLASSES)) & (pl.col("causes").list.len() == 0))
        parts.append(
            _grouped(
                without,
                by,
                [(pl.col("klass") == c).sum().cast(pl.Int64).alias(f"{NO_CAUSE}{c}") for c in _CLASSES],
            )
        )
    if indicators and k is not None and frame.height:
        from giamngheo.measures import af_sums

        matrix = frame.select(
            *by,
            *(pl.col("deprived").list.contains(pl.lit(i)).fill_null(False).alias(i) for i in indicators),
        )
        sums = af_sums(matrix, dict.fromkeys(indicators, 1.0), k, by=by or None)
        parts.append(sums.rename({c: f"{AF}{c}" for c in sums.columns if c not in by}))
    if transitions is not None and transitions.height:
        table = transition_summary(transitions, by)
        parts.append(table.rename({c: f"{TRANSITION}{c}" for c in TRANSITION_COLUMNS}))
    for part in parts:
        if part.width == 0 or part.width == len(by):
            continue
        figures = (
            figures.join(part, on=by, how="full", coalesce=True, nulls_equal=True)
            if by
            else (pl.concat([figures, part], how="horizontal"))
        )
    counts = [c for c in figures.columns if c not in by]
    return figures.with_columns(pl.col(counts).fill_null(0)).sort(by, nulls_last=True) if by else figures


def _as_figures(frame: pl.DataFrame, by: Sequence[str], *, lists: bool) -> pl.DataFrame:
    return frame if is_figures(frame) else count_figures(frame, by, lists=lists)


def _column(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name).fill_null(0) if name in frame.columns else pl.lit(0, dtype=pl.Int64)


def sum_figures(figures: pl.DataFrame, by: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    """``columns`` summed per group of ``by`` (one row without ``by``; a missing column is 0), sorted by
    ``by``."""
    aggregations = [_column(figures, c).sum().cast(pl.Int64).alias(c) for c in columns]
    if by:
        return figures.group_by(list(by)).agg(aggregations).sort(list(by))
    return (
        figures.select(aggregations)
        if figures.height
        else pl.DataFrame({c: [0] for c in columns}, schema=dict.fromkeys(columns, pl.Int64()))
    )


def summary(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Households, poor and near-poor counts and rates per group (``by`` columns; none → one total row).

    For every subgroup of :data:`SUBGROUPS` also ``households_<g>``, ``poor_<g>``, ``near_poor_<g>`` and
    their rates (shares of the subgroup's households). Groups are sorted by ``by``.
    """
    grouped = sum_figures(_as_figures(frame, by, lists=False), by, BASE_COUNTS)
    rates = [_rate("poor", "households"), _rate("near_poor", "households")]
    for name in SUBGROUPS:
        rates += [
            rate_expr(f"poor_{name}", f"households_{name}", f"poor_{name}_rate"),
            rate_expr(f"near_poor_{name}", f"households_{name}", f"near_poor_{name}_rate"),
        ]
    return grouped.with_columns(rates)


def _items(figures: pl.DataFrame, prefix: str) -> list[str]:
    """The items (indicators, causes) of the ``<prefix><class>.<item>`` columns, sorted."""
    found = {c.split(".", 2)[2] for c in figures.columns if c.startswith(prefix) and c.count(".") >= 2}
    return sorted(found)


def _long(
    figures: pl.DataFrame, by: Sequence[str], prefix: str, items: list[str], classes: Sequence[str], name: str
) -> pl.DataFrame:
    """Per group and item: the households of ``classes`` counted under ``<prefix><class>.<item>``
    (``households``), and per class (``poor``, ``near_poor``; 0 for a class not asked for)."""
    columns = [f"{prefix}{c}.{i}" for c in _CLASSES for i in items]
    sums = sum_figures(figures, by, columns)
    frames = [
        sums.select(
            *by,
            pl.lit(item).alias(name),
            *(
                (pl.col(f"{prefix}{c}.{item}") if c in classes else pl.lit(0, dtype=pl.Int64)).alias(c)
                for c in _CLASSES
            ),
        )
        for item in items
    ]
    schema = {**{b: figures.schema.get(b, pl.Int64()) for b in by}, name: pl.String()}
    if not frames:
        return pl.DataFrame(
            schema={**schema, POOR: pl.Int64(), NEAR_POOR: pl.Int64(), "households": pl.Int64()}
        )
    long = pl.concat(frames, how="vertical")
    return long.with_columns((pl.col(POOR) + pl.col(NEAR_POOR)).alias("households")).filter(
        pl.col("households") > 0
    )


def deprivation_counts(
    frame: pl.DataFrame, by: Sequence[str] = (), classes: Sequence[str] = (POOR, NEAR_POOR)
) -> pl.DataFrame:
    """Per group and indicator: how many households of ``classes`` are deprived in it, out of how many
    (``households`` of those classes in the group), and the share in percent. Long format: one row per
    (group, indicator); indicators nobody is deprived in are absent."""
    figures = _as_figures(frame, by, lists=True)
    long = _long(figures, by, DEPRIVED, _items(figures, DEPRIVED), classes, "indicator")
    counts = long.select(*by, "indicator", pl.col("households").alias("deprived_households"))
    totals = sum_figures(figures, by, list(classes)).select(
        *by, pl.sum_horizontal([pl.col(c) for c in classes]).cast(pl.Int64).alias("households")
    )
    joined = (
        counts.join(totals, on=list(by), how="left", nulls_equal=True)
        if by
        else counts.join(totals, how="cross")
    )
    return joined.with_columns(rate_expr("deprived_households", "households", "share")).sort(
        [*by, "indicator"], nulls_last=True
    )


def cause_counts(
    frame: pl.DataFrame, by: Sequence[str] = (), classes: Sequence[str] = (POOR, NEAR_POOR)
) -> pl.DataFrame:
    """Per group and cause of poverty: households of ``classes`` giving that cause (one household may
    give several). Long format, sorted by group then count (largest first)."""
    figures = _as_figures(frame, by, lists=True)
    long = _long(figures, by, CAUSE, _items(figures, CAUSE), classes, "cause")
    return long.select(*by, "cause", "households", POOR, NEAR_POOR).sort(
        [*by, "households", "cause"], descending=[*(False for _ in by), True, False], nulls_last=True
    )


def share(numerator: str, denominator: str, alias: str) -> pl.Expr:
    """``numerator`` as a percentage of ``denominator`` (null when the denominator is 0), as every rate
    of this module is computed (:func:`rate_expr`); the forms use it for rates :func:`summary` does not
    give."""
    return rate_expr(numerator, denominator, alias)


def without_cause_counts(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Per group: poor and near-poor households with no cause of poverty recorded (``poor``,
    ``near_poor``, ``households``), the complement of :func:`cause_counts`."""
    figures = _as_figures(frame, by, lists=True)
    sums = sum_figures(figures, by, [f"{NO_CAUSE}{c}" for c in _CLASSES])
    return sums.select(
        *by,
        (pl.col(f"{NO_CAUSE}{POOR}") + pl.col(f"{NO_CAUSE}{NEAR_POOR}")).alias("households"),
        pl.col(f"{NO_CAUSE}{POOR}").alias(POOR),
        pl.col(f"{NO_CAUSE}{NEAR_POOR}").alias(NEAR_POOR),
    )


def af_totals(figures: pl.DataFrame) -> dict[str, float]:
    """The Alkire-Foster sums (``n``, ``q``, ``censored_score``, ``censored_<j>``, ``uncensored_<j>``)
    of a figures frame, added up over its rows, for :func:`giamngheo.measures.af_from_sums`."""
    columns = [c for c in figures.columns if c.startswith(AF)]
    if not columns or figures.height == 0:
        return {}
    row = figures.select(pl.col(columns).fill_null(0).sum()).row(0, named=True)
    return {c.removeprefix(AF): float(v) for c, v in row.items()}


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

    A figures frame (``tr.*`` columns, see :func:`count_figures`) is summed per group instead.
    """
    if "category" not in per_household.columns:
        sums = sum_figures(per_household, by, [f"{TRANSITION}{c}" for c in TRANSITION_COLUMNS])
        table = sums.rename({f"{TRANSITION}{c}": c for c in TRANSITION_COLUMNS})
        return table.sort(list(by), nulls_last=True) if by else table
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
