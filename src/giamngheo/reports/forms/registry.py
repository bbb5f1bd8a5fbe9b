"""The standard report forms (biểu mẫu báo cáo), by number: what each is called on the pages and how it
is built from a :class:`~giamngheo.reports.forms.context.FormContext`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from giamngheo.documents.report_pdf import TableForm
from giamngheo.reports.forms import causes, coverage, deprivation, summary, transitions
from giamngheo.reports.forms.context import FormContext


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One form: its number in URLs (``01``), the name shown on the pages, and its builder."""

    code: str
    name: Promise | str
    description: Promise | str
    build: Callable[[FormContext], TableForm]
    per_unit: bool
    """Rows are sub-units (communes, villages), so the province's rows are its communes' totals."""
    needs_transitions: bool = False


FORMS: Final[dict[str, FormSpec]] = {
    spec.code: spec
    for spec in (
        FormSpec(
            "01",
            _("Biểu 01 — Tổng hợp hộ nghèo, hộ cận nghèo"),
            _(
                "Tổng số hộ, hộ nghèo, hộ cận nghèo và tỷ lệ theo từng đơn vị; theo khu vực thành thị, "
                "nông thôn, hộ dân tộc thiểu số, hộ có người có công, hộ bảo trợ xã hội, hộ không có khả "
                "năng lao động."
            ),
            summary.build,
            per_unit=True,
        ),
        FormSpec(
            "02",
            _("Biểu 02 — Mức độ thiếu hụt các dịch vụ xã hội cơ bản"),
            _("Số hộ nghèo, hộ cận nghèo thiếu hụt từng chỉ số và tỷ lệ."),
            deprivation.build,
            per_unit=False,
        ),
        FormSpec(
            "03",
            _("Biểu 03 — Nguyên nhân nghèo"),
            _("Số hộ nghèo, hộ cận nghèo theo từng nguyên nhân và tỷ lệ."),
            causes.build,
            per_unit=False,
        ),
        FormSpec(
            "04",
            _("Biểu 04 — Biến động hộ nghèo, hộ cận nghèo"),
            _(
                "Đầu kỳ, thoát nghèo, phát sinh mới, tái nghèo, chuyển đến, chuyển đi và cuối kỳ "
                "theo từng đơn vị."
            ),
            transitions.build,
            per_unit=True,
            needs_transitions=True,
        ),
        FormSpec(
            "05",
            _("Biểu 05 — Bao phủ chính sách hỗ trợ"),
            _(
                "Theo từng đơn vị và từng chính sách hỗ trợ: số hộ (hoặc người) thuộc diện được hưởng, số đã "
                "được hỗ trợ trong năm và tỷ lệ bao phủ."
            ),
            coverage.build,
            per_unit=True,
        ),
    )
}


def build_all(context: FormContext) -> dict[str, TableForm]:
    """Every form of the context (Biểu 04 empty when the context has no transitions)."""
    return {code: spec.build(context) for code, spec in FORMS.items()}
