"""What every form is built from (:class:`FormContext`) and the parts all forms share.

Framework-free: the context holds a report frame (:mod:`giamngheo.reports.aggregation`), the sub-units
to list and the labels of indicators and causes, all read beforehand by :mod:`.data` (the only module
of this package that touches the database). So a form can be built, and timed, on any frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import polars as pl

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm

Level = Literal["province", "district", "commune", "village"]
NO_VILLAGE_LABEL: Final = "Hộ chưa gắn thôn"
SUB_UNIT_LABELS: Final[dict[str, str]] = {
    "province": "Xã, phường, đặc khu",
    "district": "Xã, thị trấn (trước 01/07/2025)",
    "commune": "Thôn, tổ dân phố",
    "village": "Thôn, tổ dân phố",
}
TOTAL_LABELS: Final[dict[str, str]] = {
    "province": "Toàn tỉnh",
    "district": "Toàn huyện",
    "commune": "Toàn xã",
    "village": "Cộng",
}
#: The figures column each level's rows are keyed by.
BY_LEVEL: Final[dict[str, str]] = {
    "province": "commune_id",
    "district": "former_commune_id",
    "commune": "village_id",
    "village": "village_id",
}
RATE_NOTE: Final = (
    "Tỷ lệ (%) = số hộ / tổng số hộ dân cư của địa bàn (hoặc của nhóm) × 100, làm tròn hai chữ số thập phân."
)


@dataclass(frozen=True, slots=True)
class SubUnit:
    """One row of a per-unit form: the commune (province form) or village (commune and village forms)
    by its id in the frame (``None``: households without a village) and its printed name."""

    id: int | None
    name: str
    key: str = ""
    """The unit's key on the forms pages (``xa-23485``, ``thon-12``), to open its own form."""


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    dimension: str
    label: str


@dataclass(frozen=True)
class FormContext:
    """The figures and words of one unit and year.

    ``frame``: the report frame or figures frame of the unit (``by`` column: ``commune_id`` for a
    province, ``village_id`` otherwise). ``units``: the rows of per-unit forms, in order.
    ``transitions``: a figures frame with the ``tr.*`` counts (the stored figures), or per-household
    transitions (:func:`giamngheo.review.transitions.household_transitions`) with ``commune_id``, of the
    rounds that have an earlier approved round; ``None`` when not loaded. ``not_compared``: units with no
    earlier approved round (their Biểu 4 row stays empty). ``missing``: communes of the province with no
    approved round of the year (not in any form).
    """

    level: Level
    key: str
    area: str
    issuer: tuple[str, ...]
    place: str
    year: int
    day: dt.date
    frame: pl.DataFrame
    units: tuple[SubUnit, ...]
    indicators: tuple[Indicator, ...] = ()
    causes: tuple[tuple[str, str], ...] = ()
    middle_living: bool = False
    standards: tuple[str, ...] = ()
    transitions: pl.DataFrame | None = None
    previous_years: tuple[int, ...] = ()
    not_compared: frozenset[int | None] = field(default_factory=frozenset)
    missing: tuple[str, ...] = ()

    unattributed: int = 0
    """Households of the district's successor communes left out of a district form: their village has no
    known pre-2025 commune."""

    @property
    def by(self) -> str:
        return BY_LEVEL[self.level]


def key_columns(level: Level) -> tuple[FormColumn, FormColumn]:
    return (
        FormColumn("STT", kind="text", width=5),
        FormColumn(SUB_UNIT_LABELS[level], kind="text", width=28),
    )


def pct(value: float | None) -> float | None:
    """A rate as the forms print it: two decimals."""
    return None if value is None else round(float(value), 2)


def by_unit(table: pl.DataFrame, by: str) -> dict[int | None, dict[str, object]]:
    """Rows of an aggregate keyed by the sub-unit id."""
    return {row[by]: row for row in table.iter_rows(named=True)}


def unit_rows(
    context: FormContext, values: Mapping[int | None, Sequence[Cell]], empty: Sequence[Cell]
) -> tuple[tuple[Cell, ...], ...]:
    """One row per sub-unit of the context: number, name, then its values (``empty`` if it has none)."""
    return tuple(
        (str(index), unit.name, *values.get(unit.id, empty))
        for index, unit in enumerate(context.units, start=1)
    )


def basis_notes(context: FormContext) -> tuple[str, ...]:
    """The legal note every form carries: what the figures are, the standard and what is left out."""
    standards = "; ".join(context.standards) or "chuẩn nghèo của đợt rà soát"
    notes = [
        f"Số liệu theo kết quả rà soát định kỳ năm {context.year} đã được phê duyệt (Quyết định "
        f"24/2021/QĐ-TTg); chuẩn nghèo áp dụng: {standards}.",
    ]
    if context.unattributed:
        notes.append(
            f"Không tính {context.unattributed:,} hộ của các xã mới chưa xác định được xã cũ (thôn chưa ghi "
            "xã trước ngày 01/07/2025).".replace(",", ".")
        )
    if context.missing:
        notes.append(
            f"Chưa có kết quả rà soát được phê duyệt, không tính trong biểu ({len(context.missing)}): "
            + ", ".join(context.missing)
            + "."
        )
    return tuple(notes)


def table_form(
    context: FormContext,
    *,
    number: str,
    title: str,
    columns: Sequence[FormColumn],
    rows: Sequence[tuple[Cell, ...]],
    total: tuple[Cell, ...] | None,
    notes: Sequence[str] = (),
    key_count: int = 2,
    measure: str = "Đơn vị tính: hộ; tỷ lệ: %",
) -> TableForm:
    return TableForm(
        number=number,
        title=title,
        period=f"Năm {context.year}",
        area=context.area,
        issuer=context.issuer,
        columns=tuple(columns),
        rows=tuple(rows),
        total=total,
        notes=(*basis_notes(context), *notes),
        day=context.day,
        place=context.place,
        key_columns=key_count,
        measure=measure,
        subject=f"{number.lower().replace('biểu số ', 'bieu-')}-{context.key}-{context.year}",
    )


def units_from_frame(frame: pl.DataFrame, level: Level) -> tuple[SubUnit, ...]:
    """The sub-units present in a report frame (communes by code; villages by name, no village last)."""
    if level == "province":
        communes = frame.select("commune_id", "commune_code", "commune_name").unique().sort("commune_code")
        return tuple(SubUnit(row[0], row[2]) for row in communes.iter_rows())
    villages = frame.select("village_id", "village_name").unique().sort("village_name", nulls_last=True)
    return tuple(
        SubUnit(row[0], row[1] if row[0] is not None else NO_VILLAGE_LABEL) for row in villages.iter_rows()
    )
