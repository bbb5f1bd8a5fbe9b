"""Biểu số 05 — bao phủ chính sách hỗ trợ: per sub-unit (the communes of a province, the villages of a
commune), for each support policy that applies in the unit, the eligible households or people, those
covered in the year and the share, with the unit's total; the figures of the coverage pages and the API
(:mod:`giamngheo.support.coverage`, read by :mod:`giamngheo.support.coverage_selectors`).

Unlike forms 01-04, which are built from the context's report frame alone, this one reads the support
records of the context's unit and year itself (:func:`giamngheo.support.coverage_selectors.form_unit`,
by the context's key: the form pages checked the unit against the viewer's territory already). A
pre-2025 district has no coverage form: its table is empty, with a note.
"""

from __future__ import annotations

from typing import Any, Final

from giamngheo.documents.report_pdf import Cell, FormColumn, TableForm
from giamngheo.reports.forms.context import TOTAL_LABELS, FormContext, key_columns, pct, table_form, unit_rows

NUMBER: Final = "Biểu số 05"
TITLE: Final = "Bao phủ chính sách hỗ trợ hộ nghèo, hộ cận nghèo"
BASIS_LABELS: Final = {
    "members": "người",
    "households": "hộ",
    "households_with_need": "hộ có nhu cầu",
}
NOTES: Final = (
    "Diện được hưởng: hộ (hoặc người đang sống trong hộ) thuộc diện của chính sách theo kết quả rà soát "
    "định kỳ của năm đã được phê duyệt; chính sách theo nhu cầu chỉ tính hộ đã nêu nhu cầu đó khi rà soát. "
    "Đã được hỗ trợ: trong diện được hưởng, có ít nhất một lần hỗ trợ của chính sách từ 01/01 đến 31/12, "
    "không tính lần đã huỷ.",
    "Tỷ lệ (%) = đã được hỗ trợ / diện được hưởng × 100, làm tròn hai chữ số thập phân.",
)
DISTRICT_NOTE: Final = (
    "Độ bao phủ chính sách hỗ trợ không tính theo đơn vị hành chính cấp huyện trước 01/07/2025."
)


def _values(row: dict[str, Any] | None) -> list[Cell]:
    """Eligible, covered and share of one policy (zeros and no share when it has no figures there)."""
    if row is None:
        return [0, 0, None]
    return [int(row["eligible"]), int(row["covered"]), pct(row["share"])]


def build(context: FormContext) -> TableForm:
    # Read here, not in ``forms.data``: the support records are read only for this form.
    from giamngheo.support.coverage_selectors import form_unit, unit_coverage

    unit = form_unit(key=context.key, year=context.year) if context.level != "district" else None
    result = unit_coverage(unit) if unit is not None else None
    policies = result.policies if result is not None else []
    columns = list(key_columns(context.level))
    names = [p.name for p in policies]
    for policy in policies:
        group = policy.name if names.count(policy.name) == 1 else f"{policy.name} ({policy.code})"
        basis = BASIS_LABELS.get(policy.coverage_basis, policy.coverage_basis)
        columns += [
            FormColumn(f"Diện được hưởng ({basis})", group),
            FormColumn("Đã được hỗ trợ", group),
            FormColumn("Tỷ lệ (%)", group, kind="percent", width=9),
        ]
    values: dict[int | None, list[Cell]] = {}
    total: list[Cell] = ["", TOTAL_LABELS[context.level]]
    if result is not None:
        found = {(r["policy_id"], r["sub_id"]): r for r in result.figures.by_unit.iter_rows(named=True)}
        for sub in context.units:
            cells: list[Cell] = []
            for policy in policies:
                row = found.get((policy.pk, sub.id))
                cells += _values(row)
            values[sub.id] = cells
        for _policy, row in result.total_rows():
            total += _values(row)
    empty: list[Cell] = [cell for _policy in policies for cell in _values(None)]
    notes = NOTES if context.level != "district" else (DISTRICT_NOTE,)
    return table_form(
        context,
        number=NUMBER,
        title=TITLE,
        columns=columns,
        rows=unit_rows(context, values, empty),
        total=tuple(total) if policies else None,
        notes=notes,
        measure="Đơn vị tính: hộ hoặc người (ghi trong tên cột); tỷ lệ: %",
    )
