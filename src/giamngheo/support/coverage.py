"""Coverage of the support policies and the gaps (độ bao phủ chính sách hỗ trợ, hộ có nhu cầu chưa được
hỗ trợ): one computation, in Polars, for the coverage pages, their Excel exports, the API, Biểu 05 and
the dashboards' "Hỗ trợ" card. Framework-free: the frames are read beforehand by
:mod:`giamngheo.support.coverage_selectors` (counted in the database, grouped), so the same functions
run on one household or on a province.

Definitions, for a unit (province, commune or village) and a year ``Y``:

- **the round**: the unit's approved periodic review round of ``Y`` (one per commune; Decision
  24/2021/QĐ-TTg art. 3: the periodic review is carried out once a year), and in it each household's
  current classification result (``Result``, not superseded). Communes without an approved periodic
  round of ``Y`` are left out of everything (as in the report forms).
- **eligible population of a policy** (diện được hưởng): the households of the round whose class is one
  of the classes the policy names (``poor``, ``near_poor``, ``middle_living``), or — when the policy
  names ``newly_escaped`` — newly escaped households as :mod:`giamngheo.support.eligibility` defines them
  (Decision 28/2015/QĐ-TTg art. 2, best reading there): above the near-poor line in the round
  (``not_poor``, ``middle_living``), poor or near-poor in an earlier approved periodic round (of any
  commune: the household's own history, as for a record), and escaped at most ``escaped_within_years``
  years before the round (no limit when unset). Rounds being yearly, the escape is taken to be the round
  of the year after the last poor or near-poor one, and the term is counted in years of rounds
  (``last poor year + 1 + N >= Y``); the record pages count it to the day. Then the policy's other conditions:
  ethnic-minority households only (``ethnic_minority_only``), the area (``area``: ``urban`` / ``rural``,
  empty for both; the household's area in the registry, as for a record) and the issuing unit (a
  commune's own policy applies in that commune only).
  Coverage basis ``households``: those households; ``members``: their members who live in the household
  now (``Member.status = present``); ``households_with_need``: those households that stated the policy's
  ``need`` among their support needs in the round (``RoundHousehold.support_needs``; a policy without a
  ``need`` keeps all of them). Only periodic rounds are read; ongoing (monthly) rounds are not.
- **covered** (đã được hỗ trợ): the part of the eligible population with at least one support record of
  the policy dated within the calendar year ``Y`` (1 January – 31 December, ``given_on``) and not
  cancelled: for ``members``, records naming that member; otherwise any record of the household.
- **share** (tỷ lệ bao phủ) = covered / eligible × 100, two decimals, rounded half up on the exact
  fraction (:func:`giamngheo.reports.aggregation.rate_percent`); ``null`` when nobody is eligible.
- **records** (lượt hỗ trợ): the policy's non-cancelled records of the year in the unit (by the commune
  and village recorded on the record), and **ineligible records** (hỗ trợ ngoài diện): those of them
  recorded as not eligible (``eligible = False``: allowed by a supervisor's written override).
- **gaps** (nhu cầu chưa được đáp ứng): for each household of the round with stated support needs, the
  needs for which it has no non-cancelled record, in the year, of any policy answering that need
  (``Policy.need``) — whether or not it was eligible for that policy. A need no policy of the catalogue
  answers is always unmet.

Sub-units: the communes of a province, the villages of a commune (households without a village in a
row of their own, ``sub_id`` null) — a household's village as listed in the round, a record's village
as recorded. Known quirk: the eligible population is the class of the year's round, approved towards the
end of the year (review season 1 September – 14 December), while the records span the whole year; a
record given in March on the previous round's class to a household that left poverty at the December
approval counts as a record of the year but not as covering anyone eligible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from giamngheo.reports.aggregation import rate_expr
from giamngheo.support.eligibility import DIRECT_CLASSES, ESCAPE_CLASSES, ESCAPED_FROM, NEWLY_ESCAPED

__all__ = [
    "COVERED_SCHEMA",
    "DIRECT_CLASSES",
    "GROUPED_NEEDS_SCHEMA",
    "GROUP_SCHEMA",
    "NEEDS_SCHEMA",
    "POLICY_SCHEMA",
    "POOR_CLASSES",
    "PROFILE",
    "RECORDS_SCHEMA",
    "Coverage",
    "GapCounts",
    "coverage",
    "eligible_expr",
    "empty_frame",
    "gap_counts",
    "gap_summary",
    "policy_frame",
    "unmet_needs",
    "with_needs",
]

POOR_CLASSES: Final = tuple(sorted(ESCAPED_FROM))
"""The classes a household escapes from (:data:`giamngheo.support.eligibility.ESCAPED_FROM`)."""
MEMBERS: Final = "members"
HOUSEHOLDS_WITH_NEED: Final = "households_with_need"

_NEEDS = pl.List(pl.String())

#: One row per policy: its rule (``models.Policy``) and ``unit_commune_id``, the commune of a
#: commune's own policy (null: national or a province's). ``position``: the order of the pages.
POLICY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "policy_id": pl.Int64(),
    "position": pl.Int64(),
    "eligible": _NEEDS,
    "escaped_within_years": pl.Int64(),
    "ethnic_minority_only": pl.Boolean(),
    "area": pl.String(),
    "need": pl.String(),
    "coverage_basis": pl.String(),
    "unit_commune_id": pl.Int64(),
}
#: What eligibility depends on, besides the needs. ``poor_before``: the latest earlier year in which the
#: household was poor or near-poor in an approved periodic round (null: none in the years read);
#: ``area`` (empty) and ``ethnic_minority`` (false) may be left out when no policy asks for them.
PROFILE: Final[dict[str, pl.DataType]] = {
    "commune_id": pl.Int64(),
    "sub_id": pl.Int64(),
    "klass": pl.String(),
    "area": pl.String(),
    "ethnic_minority": pl.Boolean(),
    "poor_before": pl.Int64(),
}
#: The population of the round by profile, in long form: for each profile, a row with ``need`` null
#: (all its households, and their members living there now) and one row per support need with the
#: households of the profile that stated that need (:func:`with_needs` builds it from lists).
GROUP_SCHEMA: Final[dict[str, pl.DataType]] = {
    **PROFILE,
    "need": pl.String(),
    "households": pl.Int64(),
    "members": pl.Int64(),
}
#: Covered households (household policies) or members (member policies) by policy and profile;
#: ``has_need``: the households stated the policy's need.
COVERED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "policy_id": pl.Int64(),
    **PROFILE,
    "has_need": pl.Boolean(),
    "covered": pl.Int64(),
}
#: Records of the year by policy and sub-unit (as recorded on the record).
RECORDS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "policy_id": pl.Int64(),
    "sub_id": pl.Int64(),
    "records": pl.Int64(),
    "ineligible_records": pl.Int64(),
}
#: Households of the round with stated needs (one row each).
NEEDS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "household_id": pl.Int64(),
    "sub_id": pl.Int64(),
    "klass": pl.String(),
    "needs": _NEEDS,
}
ANSWERED_SCHEMA: Final[dict[str, pl.DataType]] = {"household_id": pl.Int64(), "need": pl.String()}
#: Households of the round with stated needs, grouped by the needs they stated (``needs``, as stated) and
#: those of them some record of the year answered (``answered``): ``households`` per group.
GROUPED_NEEDS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "needs": _NEEDS,
    "answered": _NEEDS,
    "households": pl.Int64(),
}

_FIGURES: Final = ("eligible", "covered", "records", "ineligible_records")


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def with_needs(frame: pl.DataFrame) -> pl.DataFrame:
    """:data:`GROUP_SCHEMA` from a frame of :data:`PROFILE` columns, ``needs`` (a list per row),
    ``households`` and ``members``: a row per profile with ``need`` null, and one per stated need."""
    keys = list(PROFILE)
    base = (
        frame.group_by(keys)
        .agg(pl.col("households").sum(), pl.col("members").sum())
        .with_columns(pl.lit(None, pl.String).alias("need"))
    )
    stated = (
        frame.select(*keys, "households", "members", pl.col("needs").alias("need"))
        .explode("need")
        .drop_nulls("need")
        .group_by([*keys, "need"])
        .agg(pl.col("households").sum(), pl.col("members").sum())
    )
    return pl.concat([base, stated], how="diagonal_relaxed").select(list(GROUP_SCHEMA)).cast(GROUP_SCHEMA)  # type: ignore[arg-type]


def _needs_policy() -> pl.Expr:
    """The policy counts only the households that stated its need."""
    return (pl.col("coverage_basis") == HOUSEHOLDS_WITH_NEED) & (pl.col("need") != "")


def eligible_expr(year: int) -> pl.Expr:
    """Whether the profile of a row (:data:`PROFILE` columns and ``has_need``) is in the eligible
    population of the row's policy (:data:`POLICY_SCHEMA` columns, ``policy_area`` for the policy's
    area), for ``year``.

    Classes: the policy names the class (Decision 24/2021/QĐ-TTg gives the classes of the review); newly
    escaped (:mod:`giamngheo.support.eligibility`): above the near-poor line now, and escaped — at the
    round after its last poor or near-poor one — at most ``escaped_within_years`` years before (no limit
    when unset); then ethnic minority, area, the issuing commune and the need (see the module
    docstring)."""
    klass = pl.col("klass")
    named = pl.col("eligible").list.contains(klass) & klass.is_in(DIRECT_CLASSES)
    window = pl.col("escaped_within_years")
    before = pl.col("poor_before")
    escaped = (
        pl.col("eligible").list.contains(pl.lit(NEWLY_ESCAPED))
        & klass.is_in(sorted(ESCAPE_CLASSES))
        & before.is_not_null()
        & (before < year)
        # escaped at the round after the last poor one (``before + 1``), at most ``window`` years before
        & (window.is_null() | (before + 1 + window >= year))
    )
    ethnic = ~pl.col("ethnic_minority_only") | pl.col("ethnic_minority").fill_null(False)
    area = (pl.col("policy_area") == "") | (pl.col("area") == pl.col("policy_area"))
    unit = pl.col("unit_commune_id").is_null() | (pl.col("commune_id") == pl.col("unit_commune_id"))
    need = ~_needs_policy() | pl.col("has_need").fill_null(False)
    return ((named | escaped) & ethnic & area & unit & need).fill_null(False)


def _rules(policies: pl.DataFrame) -> pl.DataFrame:
    return policies.rename({"area": "policy_area"})


@dataclass(frozen=True)
class Coverage:
    """The coverage of the policies of a unit and year.

    ``by_unit``: one row per policy and sub-unit that has any figure (``policy_id``, ``sub_id``,
    ``eligible``, ``covered``, ``share``, ``records``, ``ineligible_records``); ``total``: one row per
    policy, in the policies' order, zeros included. Totals add up the sub-units; shares are recomputed
    from the sums.
    """

    year: int
    by_unit: pl.DataFrame
    total: pl.DataFrame


def coverage(
    policies: pl.DataFrame,
    population: pl.DataFrame,
    covered: pl.DataFrame,
    records: pl.DataFrame,
    *,
    year: int,
) -> Coverage:
    """Eligible, covered, share, records and ineligible records of every policy of ``policies``
    (:data:`POLICY_SCHEMA`), from the round's population by profile (:data:`GROUP_SCHEMA`), the covered
    households or members by policy and profile (:data:`COVERED_SCHEMA`) and the year's records by
    policy and sub-unit (:data:`RECORDS_SCHEMA`); see the module docstring."""
    policies = policies.cast(POLICY_SCHEMA)  # type: ignore[arg-type]
    keys = ["policy_id", "sub_id"]
    population = population.cast(GROUP_SCHEMA).rename({"need": "stated"})  # type: ignore[arg-type]
    eligible = (
        population.join(_rules(policies), how="cross")
        # a policy of a need counts the rows of its need; the others the rows of all households
        .filter(
            pl.when(_needs_policy())
            .then(pl.col("stated") == pl.col("need"))
            .otherwise(pl.col("stated").is_null())
        )
        .with_columns(pl.col("stated").is_not_null().alias("has_need"))
        .filter(eligible_expr(year))
        .group_by(keys)
        .agg(
            pl.when(pl.col("coverage_basis") == MEMBERS)
            .then(pl.col("members"))
            .otherwise(pl.col("households"))
            .sum()
            .alias("eligible")
        )
    )
    reached = (
        covered.cast(COVERED_SCHEMA)  # type: ignore[arg-type]
        .join(_rules(policies), on="policy_id", how="inner")
        .filter(eligible_expr(year))
        .group_by(keys)
        .agg(pl.col("covered").sum())
    )
    given = (
        records.cast(RECORDS_SCHEMA)  # type: ignore[arg-type]
        .filter(pl.col("policy_id").is_in(policies["policy_id"].implode()))
        .group_by(keys)
        .agg(pl.col("records").sum(), pl.col("ineligible_records").sum())
    )
    by_unit = (
        pl.concat(
            [
                eligible.with_columns(*(pl.lit(0, pl.Int64).alias(c) for c in _FIGURES[1:])),
                reached.with_columns(*(pl.lit(0, pl.Int64).alias(c) for c in _FIGURES if c != "covered")),
                given.with_columns(*(pl.lit(0, pl.Int64).alias(c) for c in _FIGURES[:2])),
            ],
            how="diagonal_relaxed",
        )
        .group_by(keys)
        .agg(pl.col(c).cast(pl.Int64).sum() for c in _FIGURES)
        .with_columns(rate_expr("covered", "eligible", "share"))
        .join(policies.select("policy_id", "position"), on="policy_id")
        .sort("position", "sub_id", nulls_last=True)
        .select(*keys, "eligible", "covered", "share", "records", "ineligible_records")
    )
    total = (
        policies.select("policy_id", "position")
        .join(
            by_unit.group_by("policy_id").agg(pl.col(c).sum() for c in _FIGURES),
            on="policy_id",
            how="left",
        )
        .with_columns(pl.col(c).fill_null(0).cast(pl.Int64) for c in _FIGURES)
        .with_columns(rate_expr("covered", "eligible", "share"))
        .sort("position")
        .select("policy_id", "eligible", "covered", "share", "records", "ineligible_records")
    )
    return Coverage(year=year, by_unit=by_unit, total=total)


def unmet_needs(needs: pl.DataFrame, answered: pl.DataFrame) -> pl.DataFrame:
    """Per household with stated needs (:data:`NEEDS_SCHEMA`): ``unmet``, its needs (in the order
    stated) for which ``answered`` (``household_id``, ``need``: the needs of the policies it got a record
    of in the year) has no row. Households whose needs are all met keep an empty list."""
    indexed = needs.cast(NEEDS_SCHEMA).with_row_index("_row")  # type: ignore[arg-type]
    stated = (
        indexed.select("_row", "household_id", pl.col("needs").alias("need"))
        .explode("need")
        .drop_nulls("need")
    )
    kept = stated.join(
        answered.cast(ANSWERED_SCHEMA).unique(),  # type: ignore[arg-type]
        on=["household_id", "need"],
        how="anti",
        maintain_order="left",
    )
    unmet = kept.group_by("_row", maintain_order=True).agg(pl.col("need").alias("unmet"))
    return (
        indexed.join(unmet, on="_row", how="left", maintain_order="left")
        .with_columns(pl.col("unmet").fill_null(pl.lit([], dtype=_NEEDS)))
        .drop("_row")
    )


def gap_summary(unmet: pl.DataFrame, need_ids: Sequence[str], *, weight: str | None = None) -> pl.DataFrame:
    """Per need (the procedure's list first, in its order, then any other need found): households that
    stated it (``households``) and those of them with no support answering it (``unmet``), by the
    output of :func:`unmet_needs` — one household per row, or ``weight`` households (a column) per
    row."""

    def per_need(column: str, name: str) -> pl.DataFrame:
        count = pl.col("_weight").sum() if weight else pl.len()
        return (
            unmet.select(
                pl.col(column).alias("need"),
                (pl.col(weight) if weight else pl.lit(1, pl.Int64)).alias("_weight"),
            )
            .explode("need")
            .drop_nulls("need")
            .group_by("need")
            .agg(count.alias(name))
        )

    stated = per_need("needs", "households")
    missing = per_need("unmet", "unmet")
    order = list(dict.fromkeys([*need_ids, *sorted(stated["need"].to_list())]))
    return (
        pl.DataFrame({"need": order}, schema={"need": pl.String()})
        .with_row_index("position")
        .join(stated, on="need", how="left")
        .join(missing, on="need", how="left")
        .with_columns(pl.col("households", "unmet").fill_null(0).cast(pl.Int64))
        .sort("position")
        .select("need", "households", "unmet")
    )


@dataclass(frozen=True)
class GapCounts:
    """The gaps of a unit in numbers: per need (:func:`gap_summary`), the households that stated a need
    (``stated``) and those with at least one need left without support (``unmet``)."""

    summary: pl.DataFrame
    stated: int
    unmet: int


def gap_counts(groups: pl.DataFrame, need_ids: Sequence[str]) -> GapCounts:
    """:class:`GapCounts` from the households with stated needs grouped alike (:data:`GROUPED_NEEDS_SCHEMA`:
    the needs as stated, those some record of the year answered, how many households): the same rule as
    :func:`unmet_needs`, on one row per group instead of one per household."""
    indexed = (
        groups.cast(GROUPED_NEEDS_SCHEMA)  # type: ignore[arg-type]
        .with_row_index("household_id")
        .cast({"household_id": pl.Int64})
    )
    needs = indexed.select(
        "household_id",
        pl.lit(None, pl.Int64).alias("sub_id"),
        pl.lit("").alias("klass"),
        "needs",
    )
    answered = indexed.select("household_id", pl.col("answered").alias("need")).explode("need").drop_nulls()
    unmet = unmet_needs(needs, answered).with_columns(indexed["households"])
    left = unmet.filter(pl.col("unmet").list.len() > 0)
    return GapCounts(
        summary=gap_summary(unmet, need_ids, weight="households"),
        stated=int(unmet["households"].sum()),
        unmet=int(left["households"].sum()),
    )


def policy_frame(rows: Iterable[dict[str, object]]) -> pl.DataFrame:
    """:data:`POLICY_SCHEMA` from dicts (``position`` set from the order when missing)."""
    listed = [dict(row) for row in rows]
    for index, row in enumerate(listed):
        row.setdefault("position", index)
    return pl.DataFrame(listed, schema=POLICY_SCHEMA, orient="row") if listed else empty_frame(POLICY_SCHEMA)
