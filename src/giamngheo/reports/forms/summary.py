"""Biểu số 01 — tổng hợp hộ nghèo, hộ cận nghèo: per sub-unit, all households, poor and near-poor
(count and rate), middle-living households when the standard has them, and the same by area
(thành thị / nông thôn) and special group (dân tộc thiểu số, người có công, bảo trợ xã hội, không có
khả năng lao động). Rates are shares of all households of the unit or of the group."""

from __future__ import annotations

from typing import Final

import polars as pl

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm
from giamngheo.reports.aggregation import SUBGROUPS, share, summary
from giamngheo.reports.forms.context import (
    RATE_NOTE,
    TOTAL_LABELS,
    FormContext,
    by_unit,
    key_columns,
    pct,
    table_form,
    unit_rows,
)

NUMBER: Final = "Biểu số 01"
TITLE: Final = "Tổng hợp hộ nghèo, hộ cận nghèo"
GROUP_LABELS: Final[dict[str, str]] = {
    "urban": "Khu vực thành thị",
    "rural": "Khu vực nông thôn",
    "ethnic_minority": "Hộ dân tộc thiểu số",
    "meritorious_family": "Hộ có người có công",
    "social_protection": "Hộ bảo trợ xã hội",
    "no_labour_capacity": "Hộ không có khả năng lao động",
}
assert set(GROUP_LABELS) == set(SUBGROUPS)


def _fields(middle_living: bool) -> list[tuple[str, FormColumn]]:
    """(aggregate column, form column) in the form's order."""
    fields: list[tuple[str, FormColumn]] = [
        ("households", FormColumn("Tổng số hộ dân cư", width=12)),
        ("poor", FormColumn("Số hộ", "Hộ nghèo")),
        ("poor_rate", FormColumn("Tỷ lệ (%)", "Hộ nghèo", kind="percent", width=9)),
        ("near_poor", FormColumn("Số hộ", "Hộ cận nghèo")),
        ("near_poor_rate", FormColumn("Tỷ lệ (%)", "Hộ cận nghèo", kind="percent", width=9)),
    ]
    if middle_living:
        group = "Hộ có mức sống trung bình"
        fields += [
            ("middle_living", FormColumn("Số hộ", group)),
            ("middle_living_rate", FormColumn("Tỷ lệ (%)", group, kind="percent", width=9)),
        ]
    for name, label in GROUP_LABELS.items():
        fields += [
            (f"households_{name}", FormColumn("Tổng số hộ", label)),
            (f"poor_{name}", FormColumn("Hộ nghèo", label)),
            (f"poor_{name}_rate", FormColumn("Tỷ lệ hộ nghèo (%)", label, kind="percent", width=10)),
            (f"near_poor_{name}", FormColumn("Hộ cận nghèo", label)),
            (f"near_poor_{name}_rate", FormColumn("Tỷ lệ hộ cận nghèo (%)", label, kind="percent", width=10)),
        ]
    return fields


def _values(row: dict[str, object], fields: list[tuple[str, FormColumn]]) -> tuple[Cell, ...]:
    values: list[Cell] = []
    for name, column in fields:
        value = row.get(name)
        if column.kind == "percent":
            values.append(pct(value if isinstance(value, int | float) else None))
        else:
            values.append(int(value) if isinstance(value, int | float) else 0)
    return tuple(values)


def _with_middle_rate(table: pl.DataFrame) -> pl.DataFrame:
    return table.with_columns(share("middle_living", "households", "middle_living_rate"))


def build(context: FormContext) -> TableForm:
    per_unit = _with_middle_rate(summary(context.frame, [context.by]))
    total = _with_middle_rate(summary(context.frame)).row(0, named=True)
    fields = _fields(context.middle_living or bool(total["middle_living"]))
    values = {key: _values(row, fields) for key, row in by_unit(per_unit, context.by).items()}
    empty = _values({}, fields)
    return table_form(
        context,
        number=NUMBER,
        title=TITLE,
        columns=[*key_columns(context.level), *(column for _name, column in fields)],
        rows=unit_rows(context, values, empty),
        total=("", TOTAL_LABELS[context.level], *_values(total, fields)),
        notes=(
            RATE_NOTE,
            "Hộ bảo trợ xã hội: hộ có thành viên hưởng trợ cấp bảo trợ xã hội; "
            "một hộ có thể thuộc nhiều nhóm.",
        ),
    )
