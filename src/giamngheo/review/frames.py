"""Survey facts (Phiếu B) as the engine's Polars frames, and the engine's output as result columns.

Framework-free: takes plain rows (what the ``Survey`` model stores) and returns frames for
:func:`giamngheo.standards.validate_facts` / :func:`giamngheo.standards.evaluate`. Member ``age`` and
``sex`` come from the registry member (age in completed years at the round's reference date) unless
the survey entered them. Everything after the rows are read is vectorised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from giamngheo.standards import HOUSEHOLD_FACTS, MEMBER_FACTS, Standard
from giamngheo.standards.facts import Fact

HOUSEHOLD_FACT_NAMES: Final = tuple(f.name for f in HOUSEHOLD_FACTS if f.name != "household_id")
MEMBER_FACT_NAMES: Final = tuple(f.name for f in MEMBER_FACTS if f.name != "household_id")
_FACTS: Final[dict[str, Fact]] = {f.name: f for f in (*HOUSEHOLD_FACTS, *MEMBER_FACTS)}
REGISTRY_SCHEMA: Final = {"member_id": pl.Int64(), "registry_sex": pl.String(), "date_of_birth": pl.Date()}


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """One household's Phiếu B: the id it is evaluated under and its stored facts."""

    household_id: int
    household_facts: Mapping[str, Any]
    member_facts: Sequence[Mapping[str, Any]]


def _column(name: str, values: list[Any]) -> pl.Series:
    """A column in its canonical type when every value fits; otherwise as Polars reads it, so that
    :func:`validate_facts` reports the values that do not fit (nothing is silently dropped)."""
    fact = _FACTS.get(name)
    if fact is not None:
        try:
            return pl.Series(name, values, dtype=fact.polars_dtype, strict=True)
        except (TypeError, ValueError, pl.exceptions.PolarsError):
            pass
    if all(isinstance(v, bool | None) for v in values) or all(
        isinstance(v, int | float | None) and not isinstance(v, bool) for v in values
    ):
        return pl.Series(name, values, strict=False)
    return pl.Series(name, [None if v is None else str(v) for v in values], dtype=pl.String())


def completed_years(date_of_birth: pl.Expr, on: dt.date) -> pl.Expr:
    """Age in completed years (tuổi tròn) on ``on``; null when the date of birth is unknown."""
    before_birthday = (date_of_birth.dt.month() > on.month) | (
        (date_of_birth.dt.month() == on.month) & (date_of_birth.dt.day() > on.day)
    )
    return (pl.lit(on.year) - date_of_birth.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)).cast(
        pl.Int64
    )


def survey_frames(
    surveys: Sequence[SurveyRow], registry_members: pl.DataFrame, reference_date: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The household and member frames of ``surveys`` (not yet validated).

    ``registry_members`` has ``member_id``, ``registry_sex`` and ``date_of_birth`` (see
    :data:`REGISTRY_SCHEMA`). The member frame keeps ``member_id`` and a ``member_index`` (position in
    the survey's member list, to put errors on the right form row).
    """
    households = pl.DataFrame(
        [
            pl.Series("household_id", [s.household_id for s in surveys], dtype=pl.Int64()),
            *[_column(name, [s.household_facts.get(name) for s in surveys]) for name in HOUSEHOLD_FACT_NAMES],
        ]
    )
    member_rows = [(s.household_id, i, m) for s in surveys for i, m in enumerate(s.member_facts)]
    members = pl.DataFrame(
        [
            pl.Series("household_id", [r[0] for r in member_rows], dtype=pl.Int64()),
            pl.Series("member_index", [r[1] for r in member_rows], dtype=pl.Int64()),
            _member_id_column([r[2].get("member_id") for r in member_rows]),
            *[_column(name, [r[2].get(name) for r in member_rows]) for name in MEMBER_FACT_NAMES],
        ]
    )
    return households, with_registry_facts(members, registry_members, reference_date)


def with_registry_facts(
    members: pl.DataFrame, registry_members: pl.DataFrame, reference_date: dt.date
) -> pl.DataFrame:
    """Fill each member's ``age`` (completed years at ``reference_date``) and ``sex`` from the registry
    member named by ``member_id`` where the survey left them empty; entered values win."""
    registry = registry_members.select(
        [pl.col(name).cast(dtype) for name, dtype in REGISTRY_SCHEMA.items()]
    ).unique("member_id", keep="first")
    if "member_id" not in members.columns:
        members = members.with_columns(pl.lit(None, pl.Int64()).alias("member_id"))
    for name in ("age", "sex"):
        if name not in members.columns:
            members = members.with_columns(pl.lit(None).alias(name))
    joined = members.with_columns(pl.col("member_id").cast(pl.Int64, strict=False)).join(
        registry, on="member_id", how="left", maintain_order="left"
    )
    age_type, sex_type = joined.schema["age"], joined.schema["sex"]
    if age_type == pl.Null:
        age_type = pl.Int64()
    if sex_type == pl.Null:
        sex_type = pl.String()
    derived_age = completed_years(pl.col("date_of_birth"), reference_date)
    return joined.with_columns(
        pl.coalesce(pl.col("age").cast(age_type), derived_age.cast(age_type)).alias("age"),
        pl.coalesce(pl.col("sex").cast(sex_type), pl.col("registry_sex").cast(sex_type)).alias("sex"),
    ).drop("registry_sex", "date_of_birth")


def _member_id_column(values: list[Any]) -> pl.Series:
    ids = [v if isinstance(v, int) and not isinstance(v, bool) else None for v in values]
    return pl.Series("member_id", ids, dtype=pl.Int64())


def result_columns(evaluated: pl.DataFrame, standard: Standard) -> pl.DataFrame:
    """The engine's output reduced to what a ``Result`` row stores: ``deprived`` and ``unknown`` as
    lists of indicator ids (one expression each, no per-row Python)."""
    ids = standard.indicator_ids

    def listed(condition: str) -> pl.Expr:
        items = [
            pl.when(
                pl.col(f"dep_{iid}").fill_null(False)
                if condition == "deprived"
                else pl.col(f"dep_{iid}").is_null()
            ).then(pl.lit(iid))
            for iid in ids
        ]
        if not items:
            return pl.lit([], dtype=pl.List(pl.String))
        return pl.concat_list(items).list.drop_nulls()

    income = "income_per_person" if "income_per_person" in evaluated.columns else "income_score"
    return evaluated.select(
        "household_id",
        pl.col("class").cast(pl.String).alias("klass"),
        pl.col("area").cast(pl.String),
        "members",
        pl.col(income).cast(pl.Float64).alias(income),
        pl.col("line").cast(pl.Float64),
        listed("deprived").alias("deprived"),
        listed("unknown").alias("unknown"),
        "deprivation_count",
        "missing",
    )
