"""Due dates of tasks and report periods of plans (``planning.schedule``): pure, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from giamngheo.planning import schedule
from giamngheo.planning.schedule import ReportPeriod, Timing, due_dates

D = dt.date


@dataclass(frozen=True)
class Plan:
    period_start: dt.date
    period_end: dt.date


@dataclass(frozen=True)
class Task:
    timeframe_kind: str
    status: str = "not_started"
    month: int | None = None
    day: int | None = None
    year: int | None = None
    every_months: int | None = None


@dataclass(frozen=True)
class Deadline:
    kind: str
    text: str = ""
    month: int | None = None
    day: int | None = None
    year: int | None = None
    every_months: int | None = None


PLAN = Plan(D(2026, 1, 1), D(2030, 12, 31))


# --- Due dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "start", "end", "expected"),
    [
        (Timing("continuous"), D(2026, 1, 1), D(2030, 12, 31), []),
        (Timing("unspecified"), D(2026, 1, 1), D(2030, 12, 31), []),
        (
            Timing("annual", month=9),
            D(2026, 1, 1),
            D(2028, 12, 31),
            [D(2026, 9, 30), D(2027, 9, 30), D(2028, 9, 30)],
        ),
        (Timing("annual", month=11, day=5), D(2026, 1, 1), D(2027, 12, 31), [D(2026, 11, 5), D(2027, 11, 5)]),
        # No month: the year's last day.
        (Timing("annual"), D(2026, 1, 1), D(2027, 12, 31), [D(2026, 12, 31), D(2027, 12, 31)]),
        # 29/02 in a common year is 28/02; in a leap year it stays.
        (Timing("annual", month=2, day=29), D(2027, 1, 1), D(2028, 12, 31), [D(2027, 2, 28), D(2028, 2, 29)]),
        # February without a day: its last day, 29 in a leap year.
        (Timing("annual", month=2), D(2027, 1, 1), D(2028, 12, 31), [D(2027, 2, 28), D(2028, 2, 29)]),
        # A plan starting mid-year: March of its first year is before it.
        (Timing("annual", month=3), D(2026, 7, 1), D(2028, 6, 30), [D(2027, 3, 31), D(2028, 3, 31)]),
        # A plan ending mid-year: September of its last year is after it.
        (Timing("annual", month=9), D(2026, 7, 1), D(2028, 6, 30), [D(2026, 9, 30), D(2027, 9, 30)]),
        (Timing("annual", month=12, day=31), D(2026, 1, 1), D(2026, 12, 31), [D(2026, 12, 31)]),
        (Timing("dated", month=4, year=2027), D(2026, 1, 1), D(2030, 12, 31), [D(2027, 4, 30)]),
        (Timing("dated", month=12, day=10, year=2019), D(2019, 1, 1), D(2019, 12, 31), [D(2019, 12, 10)]),
        (Timing("dated", year=2027), D(2026, 1, 1), D(2030, 12, 31), [D(2027, 12, 31)]),
        # No year: the first such date on or after the plan's start.
        (Timing("dated", month=4), D(2026, 7, 1), D(2030, 12, 31), [D(2027, 4, 30)]),
        (Timing("dated", month=9, day=15), D(2026, 7, 1), D(2030, 12, 31), [D(2026, 9, 15)]),
        # Outside the plan's period: no due date.
        (Timing("dated", month=4, year=2031), D(2026, 1, 1), D(2030, 12, 31), []),
        (
            Timing("periodic", every_months=6),
            D(2026, 1, 1),
            D(2027, 12, 31),
            [D(2026, 6, 30), D(2026, 12, 31), D(2027, 6, 30), D(2027, 12, 31)],
        ),
        # Quarters of a plan starting in May: the first is the end of June.
        (
            Timing("periodic", every_months=3),
            D(2026, 5, 1),
            D(2027, 3, 31),
            [D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31), D(2027, 3, 31)],
        ),
        # The plan's end closes a shorter last period.
        (Timing("periodic", every_months=6), D(2030, 1, 1), D(2030, 9, 30), [D(2030, 6, 30), D(2030, 9, 30)]),
        # Five months does not divide the year: counted from the plan's start.
        (
            Timing("periodic", every_months=5),
            D(2026, 4, 1),
            D(2027, 3, 31),
            [D(2026, 8, 31), D(2027, 1, 31), D(2027, 3, 31)],
        ),
        (
            Timing("periodic", every_months=12),
            D(2026, 1, 1),
            D(2027, 12, 31),
            [D(2026, 12, 31), D(2027, 12, 31)],
        ),
    ],
)
def test_due_dates(timing: Timing, start: dt.date, end: dt.date, expected: list[dt.date]) -> None:
    assert due_dates(timing, start, end) == expected


def test_month_end_knows_leap_years() -> None:
    assert schedule.month_end(2028, 2) == D(2028, 2, 29)
    assert schedule.month_end(2100, 2) == D(2100, 2, 28)
    assert schedule.month_end(2026, 12) == D(2026, 12, 31)


def test_next_due_and_last_report_due() -> None:
    task = Task("annual", month=9)
    assert schedule.next_due(task, PLAN, D(2027, 9, 30)) == D(2027, 9, 30)
    assert schedule.next_due(task, PLAN, D(2027, 10, 1)) == D(2028, 9, 30)
    assert schedule.next_due(task, PLAN, D(2031, 1, 1)) is None
    assert schedule.last_report_due(task, PLAN, D(2027, 10, 1)) == D(2027, 9, 30)
    assert schedule.last_report_due(task, PLAN, D(2026, 9, 30)) is None
    assert schedule.next_due(Task("continuous"), PLAN, D(2027, 1, 1)) is None


# --- Overdue -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("task", "today", "reported_until", "expected"),
    [
        (Task("continuous"), D(2030, 12, 31), None, False),
        (Task("unspecified"), D(2030, 12, 31), None, False),
        (Task("dated", month=4, year=2027), D(2027, 4, 30), None, False),  # the due day is still in time
        (Task("dated", month=4, year=2027), D(2027, 5, 1), None, True),
        (Task("dated", month=4, year=2027, status="in_progress"), D(2027, 5, 1), D(2027, 6, 30), True),
        (Task("dated", month=4, year=2027, status="done"), D(2027, 5, 1), None, False),
        (Task("dated", month=4, year=2027, status="cancelled"), D(2027, 5, 1), None, False),
        (Task("annual", month=9), D(2026, 9, 30), None, False),  # nothing due before today yet
        (Task("annual", month=9), D(2026, 10, 1), None, True),
        (Task("annual", month=9), D(2026, 10, 1), D(2026, 6, 30), True),  # the half-year report is too early
        (Task("annual", month=9), D(2026, 10, 1), D(2026, 12, 31), False),  # the year's report covers it
        (Task("annual", month=9, status="done"), D(2027, 10, 1), D(2026, 12, 31), True),  # recurs
        (Task("annual", month=9, status="cancelled"), D(2027, 10, 1), None, False),
        (Task("periodic", every_months=6), D(2026, 7, 1), D(2026, 6, 30), False),
        (Task("periodic", every_months=6), D(2027, 1, 1), D(2026, 6, 30), True),
        # After the plan's end, its last due date is what counts.
        (Task("annual", month=9), D(2032, 1, 1), D(2030, 12, 31), False),
        (Task("annual", month=9), D(2032, 1, 1), D(2029, 12, 31), True),
    ],
)
def test_overdue(task: Task, today: dt.date, reported_until: dt.date | None, expected: bool) -> None:
    assert schedule.overdue(task, PLAN, today, reported_until=reported_until) is expected


# --- Report periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "end", "label"),
    [
        (6, D(2026, 6, 30), "6 tháng đầu năm 2026"),
        (6, D(2026, 12, 31), "năm 2026"),
        (3, D(2026, 3, 31), "quý I năm 2026"),
        (3, D(2026, 6, 30), "6 tháng đầu năm 2026"),
        (3, D(2026, 9, 30), "9 tháng năm 2026"),
        (3, D(2026, 12, 31), "năm 2026"),
        (1, D(2026, 5, 31), "tháng 5 năm 2026"),
        (4, D(2026, 4, 30), "4 tháng đầu năm 2026"),
        (4, D(2026, 8, 31), "8 tháng năm 2026"),
        (12, D(2026, 12, 31), "năm 2026"),
    ],
)
def test_period_label(every: int, end: dt.date, label: str) -> None:
    assert schedule.period_label(every, end) == label


def test_six_monthly_deadline_gives_half_year_and_year_periods() -> None:
    periods = schedule.report_periods(PLAN, [Deadline("periodic", "Định kỳ 6 tháng", every_months=6)])
    assert len(periods) == 10
    assert periods[0] == ReportPeriod(
        "6 tháng đầu năm 2026", D(2026, 1, 1), D(2026, 6, 30), D(2026, 6, 30), ("Định kỳ 6 tháng",)
    )
    assert periods[1] == ReportPeriod(
        "năm 2026", D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 31), ("Định kỳ 6 tháng",)
    )
    assert periods[-1].label == "năm 2030"


def test_periodic_deadline_with_a_day_is_due_that_day_of_the_last_month() -> None:
    periods = schedule.report_periods(PLAN, [Deadline("periodic", every_months=6, day=15)])
    assert [(p.label, p.due) for p in periods[:2]] == [
        ("6 tháng đầu năm 2026", D(2026, 6, 15)),
        ("năm 2026", D(2026, 12, 15)),
    ]


def test_annual_deadline_before_the_fifth_of_november() -> None:
    text = "Định kỳ (trước ngày 05 tháng 11 hàng năm) báo cáo kết quả thực hiện"
    periods = schedule.report_periods(PLAN, [Deadline("annual", text, month=11, day=5)])
    assert [(p.label, p.due, p.end) for p in periods] == [
        (f"năm {y}", D(y, 11, 5), D(y, 12, 31)) for y in range(2026, 2031)
    ]
    assert periods[0].sources == (text,)


def test_same_label_from_two_deadlines_is_one_request_due_on_the_earlier_date() -> None:
    periods = schedule.report_periods(
        PLAN,
        [Deadline("periodic", "6 tháng", every_months=6), Deadline("annual", "05/11", month=11, day=5)],
    )
    year = next(p for p in periods if p.label == "năm 2026")
    assert year.due == D(2026, 11, 5)
    assert year.end == D(2026, 12, 31)
    assert year.sources == ("6 tháng", "05/11")
    assert len([p for p in periods if p.label == "năm 2026"]) == 1


def test_dated_deadline_is_one_request() -> None:
    plan = Plan(D(2019, 1, 1), D(2019, 12, 31))
    periods = schedule.report_periods(
        plan, [Deadline("dated", "báo cáo chính thức", month=12, day=10, year=2019)]
    )
    assert periods == [
        ReportPeriod(
            "đến ngày 10/12/2019", D(2019, 1, 1), D(2019, 12, 10), D(2019, 12, 10), ("báo cáo chính thức",)
        )
    ]


def test_no_deadline_means_one_report_a_year_at_the_end_of_the_year() -> None:
    periods = schedule.report_periods(Plan(D(2026, 1, 1), D(2027, 12, 31)), [])
    assert [(p.label, p.due) for p in periods] == [
        ("năm 2026", D(2026, 12, 31)),
        ("năm 2027", D(2027, 12, 31)),
    ]


def test_plan_starting_mid_year_has_no_first_half_year() -> None:
    plan = Plan(D(2026, 7, 1), D(2027, 12, 31))
    periods = schedule.report_periods(plan, [Deadline("periodic", every_months=6)])
    assert [(p.label, p.start, p.due) for p in periods] == [
        ("năm 2026", D(2026, 7, 1), D(2026, 12, 31)),
        ("6 tháng đầu năm 2027", D(2027, 1, 1), D(2027, 6, 30)),
        ("năm 2027", D(2027, 1, 1), D(2027, 12, 31)),
    ]


def test_plan_ending_mid_period_closes_the_year_at_its_end() -> None:
    plan = Plan(D(2030, 1, 1), D(2030, 9, 30))
    periods = schedule.report_periods(plan, [Deadline("periodic", every_months=6)])
    assert [(p.label, p.end, p.due) for p in periods] == [
        ("6 tháng đầu năm 2030", D(2030, 6, 30), D(2030, 6, 30)),
        ("năm 2030", D(2030, 9, 30), D(2030, 9, 30)),
    ]


def test_report_requests_are_the_periods_due_so_far() -> None:
    deadlines = [Deadline("periodic", every_months=6)]
    assert schedule.report_requests(PLAN, deadlines, D(2026, 6, 29)) == []
    assert [p.label for p in schedule.report_requests(PLAN, deadlines, D(2026, 6, 30))] == [
        "6 tháng đầu năm 2026"
    ]
    assert [p.label for p in schedule.report_requests(PLAN, deadlines, D(2027, 7, 15))] == [
        "6 tháng đầu năm 2026",
        "năm 2026",
        "6 tháng đầu năm 2027",
    ]
    # After the plan's end every period is due, and none after it.
    assert len(schedule.report_requests(PLAN, deadlines, D(2035, 1, 1))) == 10


def test_dated_deadline_before_the_plan_asks_for_nothing() -> None:
    assert schedule.report_periods(PLAN, [Deadline("dated", month=12, year=2025)]) == []
