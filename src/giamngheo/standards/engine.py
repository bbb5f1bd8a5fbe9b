"""``evaluate``: apply one standard to household and member facts, vectorised.

One lazy Polars query: the member frame is aggregated once per household (member count, member-level
indicators, which member facts are missing where needed), joined to the household frame, then the
household-level indicators, the deprivation count and the class are computed in a single
``with_columns``. No Python loop runs over rows; the loops below run over the dozen indicators to build
expressions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Literal

import polars as pl

from giamngheo.standards.facts import PASSTHROUGH_PATTERN, Level
from giamngheo.standards.indicators import N_MEMBERS, BoundIndicator, Need, rules_for
from giamngheo.standards.model import Standard, StandardError
from giamngheo.standards.validation import validate_facts

CLASSES: Final = ("poor", "near_poor", "middle_living", "not_poor", "incomplete")
ClassDtype: Final = pl.Enum(list(CLASSES))
Basis = Literal["income", "score"]


class _NeedColumns:
    """One column name per distinct (level, fact, condition): 'fact missing where needed'."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str, str], str] = {}
        self.needs: dict[str, Need] = {}

    def __call__(self, need: Need) -> str:
        key = (need.level.value, need.fact, "" if need.when is None else str(need.when))
        if key not in self.names:
            self.names[key] = f"__miss_{len(self.names)}_{need.fact}"
            self.needs[self.names[key]] = need
        return self.names[key]


def _missing_flag(need: Need) -> pl.Expr:
    missing = pl.col(need.fact).is_null()
    if need.when is not None:
        missing = missing & need.when.fill_null(True)
    return missing if need.level is Level.HOUSEHOLD else missing.any()


def _area_value(standard: Standard, attribute: str) -> pl.Expr:
    """The per-area value of a line attribute (VND per person per year) as an expression."""
    urban = getattr(standard.lines["urban"], attribute)
    rural = getattr(standard.lines["rural"], attribute)
    return pl.when(pl.col("area") == "urban").then(pl.lit(urban, pl.Int64)).otherwise(pl.lit(rural, pl.Int64))


def _classify(
    standard: Standard, basis: Basis, count: pl.Expr, complete: pl.Expr, n: pl.Expr
) -> tuple[pl.Expr, list[pl.Expr]]:
    """Return the class expression and the income/score columns (per-person income, line applied)."""
    poor_by_count = count >= standard.poor_min_deprivations
    if basis == "income":
        income = pl.col("income_12m")
        # Compare whole đồng per year: income_12m <= line_per_year × members (no rounding anywhere).
        below = income <= _area_value(standard, "poverty") * n
        columns = [
            pl.when(n > 0).then(income / (12 * n)).alias("income_per_person"),
            (_area_value(standard, "poverty") / 12).alias("line"),
        ]
        below_lower = income <= _area_value(standard, "lower") * n if standard.rule == "two_band" else None
        middle = income <= _area_value(standard, "middle_upper") * n if standard.has_middle_living else None
    else:
        if standard.score is None:
            raise StandardError(
                f"standard {standard.id} has no score-card lines",
                f"Chuẩn {standard.id} không có ngưỡng điểm để phân loại theo điểm",
            )
        score_line = (
            pl.when(pl.col("area") == "urban")
            .then(pl.lit(standard.score.urban))
            .otherwise(pl.lit(standard.score.rural))
        )
        below = pl.col("income_score") <= score_line
        columns = [pl.col("income_score"), score_line.alias("line")]
        below_lower = None
        middle = None  # middle-living is identified from measured income (Decision 24/2021/QĐ-TTg, art. 2)
    # The first matching case wins, in this order (the standard's rule, Decree 07/2021 art. 3 cl. 2 or
    # Decision 59/2015 art. 2, as cited in the data file).
    cases: list[tuple[pl.Expr, str]] = [(~complete, "incomplete")]
    if below_lower is not None:
        cases.append((below_lower, "poor"))
    cases += [(below & poor_by_count, "poor"), (below, "near_poor")]
    if middle is not None:
        cases.append((middle, "middle_living"))
    klass: pl.Expr = pl.lit("not_poor")
    for condition, value in reversed(cases):
        klass = pl.when(condition).then(pl.lit(value)).otherwise(klass)
    return klass.cast(ClassDtype), columns


def evaluate_lazy(
    households: pl.LazyFrame,
    members: pl.LazyFrame,
    standard: Standard,
    *,
    basis: Basis = "income",
    passthrough: Sequence[str] = (),
) -> pl.LazyFrame:
    """The query behind :func:`evaluate`, on frames already validated and normalised."""
    indicators: tuple[BoundIndicator, ...] = rules_for(standard)
    member_rules = [i for i in indicators if i.rule.level is Level.MEMBER]
    household_rules = [i for i in indicators if i.rule.level is Level.HOUSEHOLD]

    need_column = _NeedColumns()
    for indicator in indicators:
        for need in indicator.rule.needs:
            need_column(need)
    member_needs = {k: n for k, n in need_column.needs.items() if n.level is Level.MEMBER}
    household_needs = {k: n for k, n in need_column.needs.items() if n.level is Level.HOUSEHOLD}

    aggregated = members.group_by("household_id").agg(
        pl.len().cast(pl.Int64).alias(N_MEMBERS),
        *[i.rule.deprived.alias(i.column) for i in member_rules],
        *[_missing_flag(n).alias(k) for k, n in member_needs.items()],
    )
    n = pl.col(N_MEMBERS)
    frame = (
        households.join(aggregated, on="household_id", how="left", maintain_order="left")
        .with_columns(n.fill_null(0), *[pl.col(k).fill_null(False) for k in member_needs])
        .with_columns(
            *[i.rule.deprived.alias(i.column) for i in household_rules],
            *[_missing_flag(n).alias(k) for k, n in household_needs.items()],
        )
    )
    dep_columns = [i.column for i in indicators]
    has_members = n > 0
    count = pl.sum_horizontal([pl.col(c).fill_null(False) for c in dep_columns]).cast(pl.Int32)
    basis_fact = "income_12m" if basis == "income" else "income_score"
    complete = has_members & pl.col(basis_fact).is_not_null()
    for column in dep_columns:
        complete = complete & pl.col(column).is_not_null()
    klass, income_columns = _classify(standard, basis, pl.col("deprivation_count"), pl.col("__complete"), n)

    # A fact is reported missing when it is null where needed by an indicator that came out unknown.
    missing_by_fact: dict[str, pl.Expr] = {}
    for indicator in indicators:
        for need in indicator.rule.needs:
            flag = pl.col(indicator.column).is_null() & pl.col(need_column(need))
            previous = missing_by_fact.get(need.fact)
            missing_by_fact[need.fact] = flag if previous is None else previous | flag
    missing_items = [pl.when(~has_members).then(pl.lit("members"))]
    missing_items.append(pl.when(pl.col(basis_fact).is_null()).then(pl.lit(basis_fact)))
    missing_items += [pl.when(flag).then(pl.lit(fact)) for fact, flag in missing_by_fact.items()]

    staged = (
        frame.with_columns(count.alias("deprivation_count"), complete.alias("__complete"))
        .with_columns(klass.alias("class"), *income_columns)
        .with_row_index("__row")
    )
    listed = staged.filter(~pl.col("__complete")).select(
        "__row", pl.concat_list(missing_items).list.drop_nulls().alias("missing")
    )
    return staged.join(listed, on="__row", how="left", maintain_order="left").select(
        "household_id",
        *passthrough,
        "area",
        n.alias("members"),
        *[column.meta.output_name() for column in income_columns],
        *dep_columns,
        "deprivation_count",
        "class",
        pl.col("missing").fill_null(pl.lit([], dtype=pl.List(pl.String))),
    )


def evaluate(
    households: pl.DataFrame,
    members: pl.DataFrame,
    standard: Standard,
    *,
    basis: Basis = "income",
    validate: bool = True,
) -> pl.DataFrame:
    """Classify every household under ``standard``.

    Parameters
    ----------
    households, members
        Facts, one row per household and one per member (see ``docs/data-format.md``). Columns named
        ``province_code``, ``commune_code``, ``village_code`` (and ``*_name``, ``weight``) are carried
        through for grouping.
    standard
        A :class:`~giamngheo.standards.model.Standard`, e.g. ``standard_for(date, province_code)``.
    basis
        ``"income"`` (income per person from ``income_12m``) or ``"score"`` (score A from the
        score card, ``income_score``; only for standards with score lines).
    validate
        Check and normalise the facts first (raises :class:`FactsError` with a per-row report). Turn
        off only for frames that already passed :func:`validate_facts`.

    Returns
    -------
    polars.DataFrame
        One row per household, in input order: ``household_id``, grouping columns, ``area``,
        ``members``, ``income_per_person`` (VND/month) or ``income_score``, ``line`` (the poverty line
        applied, VND per person per month, or points), one Boolean ``dep_<indicator>`` per indicator
        (null when unknown), ``deprivation_count`` (known deprivations), ``class`` (``poor``,
        ``near_poor``, ``middle_living``, ``not_poor`` or ``incomplete``) and ``missing`` (the facts
        whose absence made the household incomplete).

    Notes
    -----
    A household is ``incomplete`` when it has no member rows, lacks the income (or score) fact, or has
    an indicator whose value cannot be decided from the facts given. Nothing missing is ever assumed.
    Standards without a middle-living band (or the score basis) never return ``middle_living``.
    """
    if validate:
        checked = validate_facts(households, members).raise_if_errors()
        households, members = checked.households, checked.members
    passthrough = [c for c in households.columns if _is_passthrough(c)]
    if members["household_id"].is_sorted():
        members = members.with_columns(pl.col("household_id").set_sorted())
    query = evaluate_lazy(households.lazy(), members.lazy(), standard, basis=basis, passthrough=passthrough)
    return query.collect()


def _is_passthrough(column: str) -> bool:
    return re.match(PASSTHROUGH_PATTERN, column) is not None
