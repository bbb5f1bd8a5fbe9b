"""Biểu số 02 — mức độ thiếu hụt các dịch vụ xã hội cơ bản: for each indicator of the standard, how
many poor and near-poor households are deprived in it and their share of the poor (near-poor)
households of the unit. Indicator names come from the standard (``giamngheo.standards``)."""

from __future__ import annotations

from typing import Final

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm
from giamngheo.reports.aggregation import NEAR_POOR, POOR, deprivation_counts, rate_percent, summary
from giamngheo.reports.forms.context import FormContext, Indicator, table_form

NUMBER: Final = "Biểu số 02"
TITLE: Final = "Mức độ thiếu hụt các dịch vụ xã hội cơ bản của hộ nghèo, hộ cận nghèo"
GROUPS: Final = (("poor", "Hộ nghèo"), ("near_poor", "Hộ cận nghèo"), ("both", "Chung hộ nghèo và cận nghèo"))


def _columns() -> list[FormColumn]:
    columns = [
        FormColumn("STT", kind="text", width=5),
        FormColumn("Chiều thiếu hụt", kind="text", width=16),
        FormColumn("Chỉ số thiếu hụt", kind="text", width=34),
    ]
    for _key, label in GROUPS:
        columns += [
            FormColumn("Số hộ thiếu hụt", label),
            FormColumn("Tỷ lệ (%)", label, kind="percent", width=9),
        ]
    return columns


def build(context: FormContext) -> TableForm:
    frame = context.frame
    totals = summary(frame).row(0, named=True)
    denominators = {"poor": int(totals["poor"]), "near_poor": int(totals["near_poor"])}
    denominators["both"] = denominators["poor"] + denominators["near_poor"]
    counts: dict[str, dict[str, int]] = {}
    for key, classes in (("poor", (POOR,)), ("near_poor", (NEAR_POOR,)), ("both", (POOR, NEAR_POOR))):
        table = deprivation_counts(frame, classes=classes)
        counts[key] = dict(
            zip(table["indicator"].to_list(), table["deprived_households"].to_list(), strict=True)
        )
    indicators = list(context.indicators)
    known = {i.id for i in indicators}
    seen = sorted(set().union(*(set(c) for c in counts.values())) - known)
    indicators += [Indicator(i, "", i) for i in seen]
    rows: list[tuple[Cell, ...]] = []
    for index, indicator in enumerate(indicators, start=1):
        values: list[Cell] = []
        for key, _label in GROUPS:
            deprived = counts[key].get(indicator.id, 0)
            values += [deprived, rate_percent(deprived, denominators[key])]
        rows.append((str(index), indicator.dimension, indicator.label, *values))
    total: list[Cell] = ["", "", "Tổng số hộ (mẫu số tính tỷ lệ)"]
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
            "Tỷ lệ (%) = số hộ thiếu hụt chỉ số / tổng số hộ nghèo (cận nghèo) của địa bàn × 100; "
            "một hộ có thể thiếu hụt nhiều chỉ số.",
        ),
        key_count=3,
    )
