"""Validation of input facts against the facts schema, with a per-row error report.

:func:`validate_facts` normalises the types of the two frames (text from CSV or Excel becomes numbers,
Booleans and enumeration codes; Vietnamese labels such as "nông thôn" or "có" are accepted) and lists every
problem as one row of an error frame: which frame, which data row (1 = the first row after the header),
which column, the offending value, a stable code, and the message in Vietnamese and in English. Nothing is
guessed and nothing is dropped: callers refuse the whole batch when the report is not empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import polars as pl

from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS, Fact, Level

ERROR_SCHEMA: Final = {
    "frame": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "code": pl.String(),
    "message_vi": pl.String(),
    "message_en": pl.String(),
}
FRAME_NAMES: Final = {Level.HOUSEHOLD: "households", Level.MEMBER: "members"}
TRUE_WORDS: Final = ("true", "1", "yes", "y", "có", "co", "x", "đúng", "dung")
FALSE_WORDS: Final = ("false", "0", "no", "n", "không", "khong", "sai")
_GROUPED_INT: Final = r"^\d{1,3}([.,\s]\d{3})+$"
_WHOLE_DECIMAL: Final = r"^-?\d+\.0*$"
_ROW: Final = "__row"


class FactsError(ValueError):
    """Input facts failed validation; ``errors`` holds one row per problem (see ``ERROR_SCHEMA``)."""

    def __init__(self, errors: pl.DataFrame) -> None:
        self.errors = errors
        first = errors.row(0, named=True) if errors.height else {}
        super().__init__(f"{errors.height} invalid fact value(s); first: {first.get('message_en', '')}")


@dataclass(frozen=True)
class ValidatedFacts:
    households: pl.DataFrame
    members: pl.DataFrame
    errors: pl.DataFrame

    @property
    def ok(self) -> bool:
        return self.errors.height == 0

    def raise_if_errors(self) -> ValidatedFacts:
        if not self.ok:
            raise FactsError(self.errors)
        return self


def _error_rows(
    frame: pl.DataFrame, mask: pl.Expr, level: Level, column: str, code: str, vi: str, en: str
) -> pl.DataFrame:
    value = pl.col(column).cast(pl.String) if column in frame.columns else pl.lit(None, pl.String)
    return (
        frame.lazy()
        .filter(mask)
        .select(
            pl.lit(FRAME_NAMES[level]).alias("frame"),
            (pl.col(_ROW) + 1).cast(pl.Int64).alias("row"),
            pl.lit(column).alias("column"),
            value.alias("value"),
            pl.lit(code).alias("code"),
            pl.lit(vi).alias("message_vi"),
            pl.lit(en).alias("message_en"),
        )
        .collect()
    )


@dataclass(frozen=True)
class _Check:
    mask: pl.Expr
    column: str
    code: str
    vi: str
    en: str


def _run_checks(frame: pl.DataFrame, checks: list[_Check], level: Level) -> list[pl.DataFrame]:
    """Evaluate every row check in ONE pass over ``frame``, then report the (few) failing rows."""
    if not checks:
        return []
    names = [f"__check_{i}" for i in range(len(checks))]
    failing = (
        frame.lazy()
        .with_columns(check.mask.alias(name) for check, name in zip(checks, names, strict=True))
        .filter(pl.any_horizontal(names))
        .collect()
    )
    if failing.height == 0:
        return []
    return [
        _error_rows(failing, pl.col(name), level, check.column, check.code, check.vi, check.en)
        for check, name in zip(checks, names, strict=True)
    ]


def _column_error(level: Level, column: str, code: str, vi: str, en: str) -> pl.DataFrame:
    return pl.DataFrame(
        [[FRAME_NAMES[level]], [None], [column], [None], [code], [vi], [en]],
        schema=ERROR_SCHEMA,
        orient="col",
    )


def _text(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.strip_chars()


def _parse(frame: pl.DataFrame, fact: Fact) -> pl.Expr:
    """An expression turning ``fact``'s column into its canonical type (null where it cannot)."""
    name, dtype = fact.name, frame.schema[fact.name]
    col = pl.col(name)
    if fact.name == "household_id":
        return col.cast(pl.String).str.strip_chars() if dtype == pl.String else col
    if fact.allowed:
        target = fact.polars_dtype
        if dtype == target:
            return col
        mapping = {code: code for code in fact.allowed}
        mapping.update(
            {label.lower(): code for code, label in zip(fact.allowed, fact.allowed_labels_vi, strict=True)}
        )
        return _text(name).str.to_lowercase().replace_strict(mapping, default=None).cast(target)
    if fact.dtype == pl.Boolean():
        if dtype == pl.Boolean:
            return col
        if dtype.is_integer():
            return pl.when(col == 1).then(True).when(col == 0).then(False).otherwise(None)
        text = _text(name).str.to_lowercase()
        return (
            pl.when(text.is_in(TRUE_WORDS))
            .then(True)
            .when(text.is_in(FALSE_WORDS))
            .then(False)
            .otherwise(None)
        )
    if fact.dtype.is_integer():
        if dtype.is_integer():
            return col
        if dtype.is_float():
            return pl.when(col == col.round(0)).then(col).otherwise(None).cast(pl.Int64, strict=False)
        text = _text(name)
        ungrouped = (
            pl.when(text.str.contains(_GROUPED_INT))
            .then(text.str.replace_all(r"[.,\s]", ""))
            .when(text.str.contains(_WHOLE_DECIMAL))  # Excel numbers read as text: "1500000.0"
            .then(text.str.replace(r"\.0*$", ""))
            .otherwise(text)
        )
        return ungrouped.cast(pl.Int64, strict=False)
    if fact.dtype.is_float():
        if dtype.is_numeric():
            return col.cast(pl.Float64)
        return _text(name).str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    raise AssertionError(f"unhandled fact type for {name}")  # pragma: no cover


def _validate_frame(frame: pl.DataFrame, level: Level) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    facts = HOUSEHOLD_FACTS if level is Level.HOUSEHOLD else MEMBER_FACTS
    errors: list[pl.DataFrame] = []
    for fact in facts:
        if fact.required and fact.name not in frame.columns:
            errors.append(
                _column_error(
                    level,
                    fact.name,
                    "column.missing",
                    f"Thiếu cột bắt buộc “{fact.name}” ({fact.label_vi}).",
                    f"Required column '{fact.name}' ({fact.label_en}) is missing.",
                )
            )
    # An absent optional column means "not observed" for every row: a standard that needs it will say
    # which households are incomplete for it, instead of failing on an unknown column.
    frame = frame.with_columns(
        pl.lit(None, dtype=f.polars_dtype).alias(f.name)
        for f in facts
        if f.name not in frame.columns and not f.required
    ).with_row_index(_ROW)
    present = [f for f in facts if f.name in frame.columns]
    parsed = frame.with_columns([_parse(frame, f).alias(f"__p_{f.name}") for f in present])
    checks: list[_Check] = []
    for fact in present:
        raw, new = pl.col(fact.name), pl.col(f"__p_{fact.name}")
        dtype = frame.schema[fact.name]
        is_text = dtype in (pl.String, pl.Categorical)
        blank = raw.is_null() | (raw.cast(pl.String).str.strip_chars() == "") if is_text else raw.is_null()
        typed = (
            dtype == fact.polars_dtype
            or (fact.is_integer and dtype.is_integer())
            or fact.name == "household_id"
        )
        if fact.allowed:
            allowed = ", ".join(fact.allowed)
            labelled = ", ".join(
                f"{c} ({v})" for c, v in zip(fact.allowed, fact.allowed_labels_vi, strict=True)
            )
            vi = f"“{fact.label_vi}” phải là một trong: {labelled}."
            en = f"'{fact.name}' must be one of: {allowed}."
        else:
            kind_vi = {"Boolean": "có/không", "Int64": "số nguyên", "Float64": "số"}.get(
                str(fact.dtype), "văn bản"
            )
            vi = f"“{fact.label_vi}” phải là {kind_vi}."
            en = f"'{fact.name}' must be of type {fact.dtype}."
        if not typed:
            checks.append(_Check(~blank & new.is_null(), fact.name, "value.invalid", vi, en))
        if fact.minimum is not None or fact.maximum is not None:
            low = fact.minimum if fact.minimum is not None else float("-inf")
            high = fact.maximum if fact.maximum is not None else float("inf")
            out = ~new.cast(pl.Float64).is_between(low, high)
            span = f"{low:g}–{high:g}" if fact.maximum is not None else f">= {low:g}"
            checks.append(
                _Check(
                    out.fill_null(False),
                    fact.name,
                    "value.out_of_range",
                    f"“{fact.label_vi}” phải trong khoảng {span}.",
                    f"'{fact.name}' must be in {span}.",
                )
            )
        if fact.required:
            checks.append(
                _Check(
                    blank,
                    fact.name,
                    "value.required",
                    f"“{fact.label_vi}” không được để trống.",
                    f"'{fact.name}' must not be empty.",
                )
            )
    errors.extend(_run_checks(parsed, checks, level))
    normalised = parsed.with_columns([pl.col(f"__p_{f.name}").alias(f.name) for f in present]).select(
        pl.exclude("^__p_.*$")
    )
    return normalised, errors


def validate_facts(households: pl.DataFrame, members: pl.DataFrame) -> ValidatedFacts:
    """Check and normalise household and member facts; see the module docstring."""
    hh, errors = _validate_frame(households, Level.HOUSEHOLD)
    mm, member_errors = _validate_frame(members, Level.MEMBER)
    errors.extend(member_errors)
    if "household_id" in hh.columns and "household_id" in mm.columns:
        key = pl.col("household_id")
        # Sorted ids (the usual export order) are duplicated exactly when a neighbour is equal: O(n), no hash.
        sorted_ids = hh["household_id"].is_sorted()
        duplicated = (
            ((key == key.shift(1)) | (key == key.shift(-1))).fill_null(False)
            if sorted_ids
            else key.is_duplicated()
        )
        errors.append(
            _error_rows(
                hh,
                duplicated & key.is_not_null(),
                Level.HOUSEHOLD,
                "household_id",
                "household.duplicate",
                "Mã hộ bị trùng.",
                "Duplicate household_id.",
            )
        )
        hh_type, mm_type = hh.schema["household_id"], mm.schema["household_id"]
        if hh_type != mm_type:
            cast = key.cast(hh_type, strict=False)
            errors.append(
                _error_rows(
                    mm,
                    key.is_not_null() & cast.is_null(),
                    Level.MEMBER,
                    "household_id",
                    "member.unknown_household",
                    "Thành viên thuộc mã hộ không có trong danh sách hộ.",
                    "Member refers to a household_id that is not in the household list.",
                )
            )
            mm = mm.with_columns(cast)
        known = hh.select(key.drop_nulls().unique())
        orphans = mm.join(known, on="household_id", how="anti", nulls_equal=False).filter(key.is_not_null())
        errors.append(
            _error_rows(
                orphans,
                pl.lit(True),
                Level.MEMBER,
                "household_id",
                "member.unknown_household",
                "Thành viên thuộc mã hộ không có trong danh sách hộ.",
                "Member refers to a household_id that is not in the household list.",
            )
        )
    report = pl.concat([pl.DataFrame(schema=ERROR_SCHEMA), *errors], how="vertical_relaxed").sort(
        "frame", "row", "column", descending=[False, False, False], nulls_last=False
    )
    return ValidatedFacts(hh.drop(_ROW), mm.drop(_ROW), report)


def normalise_header(name: str) -> str:
    """Column names from spreadsheets: trimmed, lower-case, spaces to underscores."""
    return re.sub(r"\s+", "_", name.strip().lower())
