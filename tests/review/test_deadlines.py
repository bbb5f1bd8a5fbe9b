"""Legal deadlines of a round (``review.deadlines``, no Django) at each edge, and on the pages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from typing import Any

import pytest

from giamngheo.review.deadlines import round_deadline
from giamngheo.review.procedure import DATA_FILE, ProcedureError, parse_procedure, procedure

D = dt.date


@pytest.mark.parametrize(
    ("today", "approved_on", "state", "days_left", "days_over"),
    [
        (D(2026, 3, 14), None, "open", 16, 0),  # before the review starts
        (D(2026, 3, 15), None, "open", 15, 0),  # the start (day 0, not counted)
        (D(2026, 3, 30), None, "open", 0, 0),  # day 15 of the deadline: still in time
        (D(2026, 3, 31), None, "overdue", 0, 1),  # day 16
        (D(2026, 4, 30), None, "overdue", 0, 31),
        (D(2026, 5, 1), D(2026, 3, 30), "met", 0, 0),  # approved on day 15
        (D(2026, 5, 1), D(2026, 3, 31), "late", 0, 1),  # approved on day 16
    ],
)
def test_ongoing_decision_is_due_15_days_after_the_15th(
    today: dt.date, approved_on: dt.date | None, state: str, days_left: int, days_over: int
) -> None:
    d = round_deadline(procedure(), kind="ongoing", year=2026, month=3, today=today, approved_on=approved_on)
    assert (d.start, d.due) == (D(2026, 3, 15), D(2026, 3, 30))
    assert (d.state, d.days_left, d.days_over, d.warning) == (state, days_left, days_over, state == "overdue")
    assert "Điều 5" in d.citation and "Điều 147" in d.citation


def test_the_february_deadline_runs_into_march() -> None:
    d = round_deadline(procedure(), kind="ongoing", year=2026, month=2, today=D(2026, 3, 3))
    assert d.due == D(2026, 3, 2)  # 15/2 + 15 days (28-day February)
    assert (d.state, d.days_over) == ("overdue", 1)
    leap = round_deadline(procedure(), kind="ongoing", year=2028, month=2, today=D(2028, 3, 1))
    assert (leap.due, leap.state, leap.days_left) == (D(2028, 3, 1), "open", 0)


@pytest.mark.parametrize(
    ("today", "approved_on", "state", "days_over"),
    [
        (D(2026, 12, 14), None, "open", 0),  # the last day of the period
        (D(2026, 12, 15), None, "overdue", 1),
        (D(2027, 1, 14), None, "overdue", 31),
        (D(2027, 1, 14), D(2026, 12, 14), "met", 0),
        (D(2027, 1, 14), D(2026, 12, 15), "late", 1),
    ],
)
def test_a_periodic_round_is_late_after_14_december(
    today: dt.date, approved_on: dt.date | None, state: str, days_over: int
) -> None:
    d = round_deadline(procedure(), kind="periodic", year=2026, today=today, approved_on=approved_on)
    assert (d.start, d.due) == (D(2026, 9, 1), D(2026, 12, 14))
    assert (d.state, d.days_over) == (state, days_over)


def test_an_ongoing_round_needs_its_month_and_the_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="month"):
        round_deadline(procedure(), kind="ongoing", year=2026, today=D(2026, 1, 1))
    with pytest.raises(ValueError, match="kind"):
        round_deadline(procedure(), kind="yearly", year=2026, today=D(2026, 1, 1))


def _raw() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_the_day_counts_come_from_the_procedure_file() -> None:
    raw = _raw()
    assert (raw["ongoing"]["decision_days"], raw["ongoing"]["deadline_counts_start_day"]) == (15, False)
    assert raw["ongoing"]["deadline_status"] == "best_reading"
    raw["ongoing"].update(deadline_counts_start_day=True, decision_days=10)
    counted = parse_procedure(raw)
    assert counted.ongoing.decision_due(2026, 3) == D(2026, 3, 24)  # the 15th is day 1 of 10
    raw["ongoing"].update(deadline_counts_start_day="no")
    with pytest.raises(ProcedureError, match="deadline_counts_start_day"):
        parse_procedure(raw)
    raw = _raw()
    raw["ongoing"].update(deadline_day_kind="working")
    with pytest.raises(ProcedureError, match="deadline_day_kind"):
        parse_procedure(raw)


def test_the_date_logic_imports_no_django() -> None:
    code = (
        "import sys, giamngheo.review.deadlines, giamngheo.review.procedure;"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
