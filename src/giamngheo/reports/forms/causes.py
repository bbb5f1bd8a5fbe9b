"""Biểu số 03 — nguyên nhân nghèo: for each cause of the review procedure's list, the poor and near-poor
households that gave it and their share of the poor (near-poor) households of the unit, and the
households with no cause recorded. Cause labels come from the procedure file (``review.procedure``)."""

from __future__ import annotations

from typing import Final

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm
from giamngheo.reports.aggregation import cause_counts, rate_percent, summary, without_cause_counts
from giamngheo.reports.forms.context import FormContext, table_form

NUMBER: Final = "Biểu số 03"
TITLE: Final = "Nguyên nhân nghèo của hộ nghèo, hộ cận nghèo"
GROUPS: Final = (
    ("poor", "Hộ nghèo"),
    ("near_poor", "Hộ cận nghèo"),
    ("households", "Chung hộ nghèo và cận nghèo"),
)
NO_CAUSE: Final = "Chưa ghi nhận nguyên nhân"


def _columns() -> list[FormColumn]:
    columns = [FormColumn("STT", kind="text", width=5), FormColumn("Nguyên nhân", kind="text", width=40)]
    for _key, label in GROUPS:
        columns += [FormColumn("Số hộ", label), FormColumn("Tỷ lệ (%)", label, kind="percent", width=9)]
    return columns


def _values(row: dict[str, int], denominators: dict[str, int]) -> list[Cell]:
    values: list[Cell] = []
    for key, _label in GROUPS:
        count = row.get(key, 0)
        values += [count, rate_percent(count, denominators[key])]
    return values


def build(context: FormContext) -> TableForm:
    frame = context.frame
    totals = summary(frame).row(0, named=True)
    denominators = {"poor": int(totals["poor"]), "near_poor": int(totals["near_poor"])}
    denominators["households"] = denominators["poor"] + denominators["near_poor"]
    table = cause_counts(frame)
    counts = {row["cause"]: row for row in table.iter_rows(named=True)}
    causes = list(context.causes) + [(c, c) for c in sorted(set(counts) - {c for c, _ in context.causes})]
    rows: list[tuple[Cell, ...]] = []
    for index, (cause, label) in enumerate(causes, start=1):
        rows.append((str(index), label, *_values(counts.get(cause, {}), denominators)))
    unknown = without_cause_counts(frame).row(0, named=True)
    rows.append((str(len(causes) + 1), NO_CAUSE, *_values(unknown, denominators)))
    total: list[Cell] = ["", "Tổng số hộ (mẫu số tính tỷ lệ)"]
    for key, _label in GROUPS:
        total += [denominators[key], None]
    return table_form(
        context,
        number=NUMBER,
        title=TITLE,
        columns=_columns(),
        rows=rows,
        total=tuple(total),
        notes=(
            "Một hộ có thể có nhiều nguyên nhân; tỷ lệ (%) = số hộ có nguyên nhân / tổng số hộ nghèo "
            "(cận nghèo) của địa bàn × 100.",
        ),
    )
