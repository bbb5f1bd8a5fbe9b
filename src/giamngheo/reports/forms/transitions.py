"""Biểu số 04 — biến động hộ nghèo, hộ cận nghèo: per sub-unit, the poor (near-poor) households at the
previous approved round, those who left the list (escaped, moved out …), those who joined it (newly
poor, relapsed, moved in) and those at this year's round, so that each row adds up:
đầu kỳ − giảm + tăng = cuối kỳ. Figures are the review's transitions (``review.transitions``) added up
by :func:`giamngheo.reports.aggregation.transition_summary`; a commune's row equals the totals of the
review's transitions page."""

from __future__ import annotations

from typing import Final

import polars as pl

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm
from giamngheo.reports.aggregation import TRANSITION_COLUMNS, transition_summary
from giamngheo.reports.forms.context import TOTAL_LABELS, FormContext, by_unit, key_columns, table_form

NUMBER: Final = "Biểu số 04"
TITLE: Final = "Biến động hộ nghèo, hộ cận nghèo"
_POOR: Final = "Hộ nghèo"
_NEAR: Final = "Hộ cận nghèo"
LABELS: Final[dict[str, FormColumn]] = {
    "poor_before": FormColumn("Đầu kỳ (đợt trước)", _POOR),
    "escaped_poverty": FormColumn("Giảm: thoát nghèo", _POOR),
    "poor_left": FormColumn("Giảm: chuyển đi, chết, không rà soát lại", _POOR, width=14),
    "newly_poor": FormColumn("Tăng: phát sinh mới", _POOR),
    "relapsed": FormColumn("Tăng: tái nghèo", _POOR),
    "poor_moved_in": FormColumn("Tăng: chuyển đến", _POOR),
    "poor_now": FormColumn("Cuối kỳ (đợt này)", _POOR),
    "near_poor_before": FormColumn("Đầu kỳ (đợt trước)", _NEAR),
    "escaped_near_poverty": FormColumn("Giảm: thoát cận nghèo", _NEAR),
    "near_poor_to_poor": FormColumn("Giảm: trở thành hộ nghèo", _NEAR),
    "near_poor_left": FormColumn("Giảm: chuyển đi, chết, không rà soát lại", _NEAR, width=14),
    "near_poor_from_poor": FormColumn("Tăng: từ hộ nghèo", _NEAR),
    "newly_near_poor": FormColumn("Tăng: phát sinh mới", _NEAR),
    "near_poor_moved_in": FormColumn("Tăng: chuyển đến", _NEAR),
    "near_poor_now": FormColumn("Cuối kỳ (đợt này)", _NEAR),
}
assert tuple(LABELS) == TRANSITION_COLUMNS

EMPTY_TRANSITIONS: Final = {
    "household_id": pl.Int64(),
    "village_id": pl.Int64(),
    "commune_id": pl.Int64(),
    "previous_class": pl.String(),
    "current_class": pl.String(),
    "category": pl.String(),
}


def _count(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def build(context: FormContext) -> TableForm:
    per_household = context.transitions
    if per_household is None:
        per_household = pl.DataFrame(schema=EMPTY_TRANSITIONS)
    per_unit = by_unit(transition_summary(per_household, [context.by]), context.by)
    values: dict[int | None, tuple[Cell, ...]] = {}
    for unit in context.units:
        if unit.id in context.not_compared:
            continue
        row = per_unit.get(unit.id, {})
        values[unit.id] = tuple(_count(row.get(c)) for c in TRANSITION_COLUMNS)
    rows = tuple(
        (str(index), unit.name, *values.get(unit.id, (None,) * len(TRANSITION_COLUMNS)))
        for index, unit in enumerate(context.units, start=1)
    )
    total: tuple[Cell, ...] = (
        "",
        TOTAL_LABELS[context.level],
        *(
            sum(_count(v[i]) for v in values.values()) if values else None
            for i in range(len(TRANSITION_COLUMNS))
        ),
    )
    previous = ", ".join(str(y) for y in context.previous_years)
    notes = [
        f"Đầu kỳ: kết quả đợt rà soát đã phê duyệt trước đó của từng xã ({previous or 'không có'}); cuối kỳ: "
        f"kết quả rà soát năm {context.year}. Mỗi dòng: đầu kỳ − giảm + tăng = cuối kỳ.",
        'Thoát nghèo gồm cả hộ thoát nghèo trở thành hộ cận nghèo (cột "Tăng: từ hộ nghèo" '
        "của hộ cận nghèo).",
    ]
    if context.not_compared:
        names = [u.name for u in context.units if u.id in context.not_compared]
        notes.append(
            "Chưa có đợt rà soát đã phê duyệt trước để so sánh (để trống): " + ", ".join(names) + "."
        )
    return table_form(
        context,
        number=NUMBER,
        title=TITLE,
        columns=[*key_columns(context.level), *LABELS.values()],
        rows=rows,
        total=total,
        notes=notes,
        measure="Đơn vị tính: hộ",
    )
