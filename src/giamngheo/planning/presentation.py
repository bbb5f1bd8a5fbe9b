"""How planning's figures read on the pages, the exports and the dashboards: a target's value in its
measure ("5,80 điểm %", "11.869 hộ"), its label, and the words and badge of a progress status.

Display only: the values and statuses come from :mod:`giamngheo.planning.progress`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.planning import progress as calc
from giamngheo.planning.models import Target
from giamngheo.site.standards.presentation import number

STATUS_LABELS: dict[str, Any] = {
    calc.MET: gettext_lazy("Đạt"),
    calc.NOT_YET: gettext_lazy("Chưa đạt"),
    calc.OFF_TRACK: gettext_lazy("Chệch hướng"),
    calc.NO_DATA: gettext_lazy("Chưa có số liệu"),
    calc.NOT_MEASURED: gettext_lazy("Không đo từ kết quả rà soát"),
}
STATUS_CSS: dict[str, str] = {
    calc.MET: "badge badge-ok",
    calc.NOT_YET: "badge badge-reading",
    calc.OFF_TRACK: "badge badge-unconfirmed",
    calc.NO_DATA: "badge",
    calc.NOT_MEASURED: "badge",
}


def amount_text(kind: str, value: float | Decimal) -> str:
    """A value in a kind's measure without its unit ("11.869", "5,80")."""
    return number(float(value), 0 if kind in calc.COUNT_KINDS else 2)


def measure_text(kind: str, value: float | Decimal | None) -> str:
    """A value in a kind's measure: "5,80 điểm %", "11.869 hộ", "1,99 %"; "–" for none."""
    if value is None:
        return "–"
    return _with_unit(kind, amount_text(kind, value))


def _with_unit(kind: str, amount: str) -> str:
    if kind in calc.COUNT_KINDS:
        return _("{value} hộ").format(value=amount)
    if kind in calc.POINTS_KINDS:
        return _("{value} điểm %").format(value=amount)
    if kind in calc.PERCENT_KINDS:
        return _("{value} %").format(value=amount)
    return amount


def value_text(target: Target) -> str:
    """The target's value, or its range ("1,00–1,50 điểm %")."""
    if target.value_max is None or target.value_max == target.value:
        return measure_text(target.kind, target.value)
    return _with_unit(
        target.kind, f"{amount_text(target.kind, target.value)}–{amount_text(target.kind, target.value_max)}"
    )


def target_label(target: Target) -> str:
    label = str(target.get_kind_display())
    return f"{label}: {target.subject}" if target.subject else label


__all__ = [
    "STATUS_CSS",
    "STATUS_LABELS",
    "amount_text",
    "measure_text",
    "target_label",
    "value_text",
]
