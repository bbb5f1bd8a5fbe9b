"""Column checks shared by the measures (private).

Small helpers that turn the ``by`` argument into a list and refuse missing or clashing column names
with a message that names the columns. Nothing here knows about poverty.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import polars as pl


def group_columns(by: str | Sequence[str] | None) -> list[str]:
    """Return ``by`` as a list of column names (``[]`` when ``None``).

    Raises
    ------
    ValueError
        If a name is repeated.
    """
    if by is None:
        return []
    names = [by] if isinstance(by, str) else list(by)
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"`by` names a column more than once: {', '.join(repeated)}")
    return names


def require_columns(frame: pl.DataFrame, names: Iterable[str], *, what: str) -> None:
    """Raise ``ValueError`` naming every column of ``names`` that ``frame`` lacks.

    Parameters
    ----------
    frame
        The frame that must hold the columns.
    names
        Required column names.
    what
        What the columns are for, used in the message (e.g. ``"indicator"``).
    """
    present = set(frame.columns)
    missing = [name for name in names if name not in present]
    if missing:
        raise ValueError(
            f"unknown {what} column(s): {', '.join(missing)}; the frame has: {', '.join(frame.columns)}"
        )


def refuse_clashes(names: Iterable[str], reserved: Collection[str], *, what: str) -> None:
    """Raise ``ValueError`` if any of ``names`` is one of the ``reserved`` (output) column names."""
    clashing = [name for name in names if name in reserved]
    if clashing:
        raise ValueError(
            f"{what} column(s) {', '.join(clashing)} clash with output column names; rename them first"
        )


def check_sample_weight(frame: pl.DataFrame, name: str) -> None:
    """Raise ``ValueError`` unless column ``name`` holds numeric, present, finite, non-negative weights."""
    dtype = frame.schema[name]
    if not (dtype.is_integer() or dtype.is_float()):
        raise ValueError(f"sample weight column {name!r} must be numeric, not {dtype}")
    column = pl.col(name)
    nulls, negative, non_finite = frame.select(
        column.null_count().alias("nulls"),
        (column < 0).sum().alias("negative"),
        (~column.cast(pl.Float64).is_finite()).sum().alias("non_finite"),
    ).row(0)
    problems = [
        f"{count} {what}"
        for count, what in ((nulls, "null"), (negative, "negative"), (non_finite, "NaN or infinite"))
        if count
    ]
    if problems:
        raise ValueError(f"sample weight column {name!r} has {', '.join(problems)} value(s)")
