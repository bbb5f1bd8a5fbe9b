"""When the tasks of a plan fall due (hạn) and which progress reports (báo cáo định kỳ) are due. No Django.

The plan's own text is the source of every date: its tasks' timeframes ("thường xuyên", "trong tháng 9
hằng năm", "tháng 4/2022", "định kỳ 6 tháng") and its reporting deadlines ("Định kỳ (trước ngày 05
tháng 11 hàng năm) … báo cáo kết quả thực hiện", seed ``plan-kon-ray-2022.md``, Tổ chức thực hiện,
mục 1). Only dates inside the plan's period (``period_start`` .. ``period_end``, both included) count.

Due dates of a task (:func:`due_dates`):

- ``continuous`` / ``unspecified``: none — never overdue; the task is reported on every period;
- ``annual`` (month [, day]): that day of every year of the plan's period; the last day of the month
  without a day, 31/12 without a month; 29/02 is 28/02 in a common year;
- ``dated`` (month/year [/day]): one date (the end of the month without a day, 31/12 of the year
  without a month); without a year, the first such date on or after the plan's start;
- ``periodic`` (every *n* months): the ends of the periods, counted from January when *n* divides 12
  (30/06 and 31/12 for 6 months; quarter ends for 3), else from the plan's start; the plan's end closes
  a last, shorter period.

Report periods of a plan (:func:`report_periods`) follow from its deadlines, with the names the
periodic reports of administrative bodies use (báo cáo quý, 6 tháng, 9 tháng, năm; the kinds of
periodic report of Nghị định 09/2019/NĐ-CP on the reporting regime of state administrative bodies,
Điều 12 — check the article when editing. Its data cut-off days (15/12 – 14/06 …) are *not* applied:
the plans name calendar periods, and so do the labels here):

- ``periodic`` every 6 months → "6 tháng đầu năm 2026" (ends 30/06) and "năm 2026" (ends 31/12); every
  3 → "quý I năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "năm 2026"; every month → "tháng 5
  năm 2026". Due on the period's end, or on ``day`` of the period's last month when a day is given;
- ``annual`` ("trước ngày 05 tháng 11 hằng năm") → "năm 2026", due 05/11/2026 (31/12 without a month);
- ``dated`` ("báo cáo chính thức ngày 10/12/2019") → "đến ngày 10/12/2019", due that day.

Periods with the same label (the 6-monthly "năm 2026" and the yearly "năm 2026") are one request, due
on the earlier date. A plan without any deadline is reported on once a year, at the year's end.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from giamngheo.documents.formatting import date_short

__all__ = [
    "ReportPeriod",
    "Timing",
    "due_dates",
    "last_report_due",
    "month_end",
    "next_due",
    "overdue",
    "period_label",
    "report_periods",
    "report_requests",
    "task_due_dates",
    "timing_of_deadline",
    "timing_of_task",
]

CONTINUOUS: Final = "continuous"
ANNUAL: Final = "annual"
DATED: Final = "dated"
PERIODIC: Final = "periodic"
UNSPECIFIED: Final = "unspecified"
#: Task statuses that end a dated task (``TaskStatus.DONE``, ``TaskStatus.CANCELLED``).
FINISHED: Final = frozenset({"done", "cancelled"})
CANCELLED: Final = "cancelled"
_ROMAN: Final = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, slots=True)
class Timing:
    """When something recurs or falls due: a task's timeframe or a reporting deadline's rule."""

    kind: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    every_months: int | None = None


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """A progress report a plan asks for: ``label`` ("6 tháng đầu năm 2026"), the period it covers
    (``start`` .. ``end``) and the day it is due. ``sources`` are the deadlines' texts it comes from."""

    label: str
    start: dt.date
    end: dt.date
    due: dt.date
    sources: tuple[str, ...] = ()


class PlanPeriod(Protocol):
    @property
    def period_start(self) -> dt.date: ...

    @property
    def period_end(self) -> dt.date: ...


class _Timed(Protocol):
    @property
    def month(self) -> int | None: ...

    @property
    def day(self) -> int | None: ...

    @property
    def year(self) -> int | None: ...

    @property
    def every_months(self) -> int | None: ...


class TaskLike(_Timed, Protocol):
    @property
    def timeframe_kind(self) -> str: ...

    @property
    def status(self) -> str: ...


class DeadlineLike(_Timed, Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


def timing_of_task(task: TaskLike) -> Timing:
    return Timing(task.timeframe_kind, task.month, task.day, task.year, task.every_months)


def timing_of_deadline(deadline: DeadlineLike) -> Timing:
    return Timing(deadline.kind, deadline.month, deadline.day, deadline.year, deadline.every_months)


# --- Dates -------------------------------------------------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: ``month_end(2028, 2)`` is 29/02/2028."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _on(year: int, month: int, day: int | None) -> dt.date:
    """``day``/``month``/``year``; the month's last day without a day or when the month is shorter."""
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last) if day else last)


def _valid_month(month: int | None) -> int | None:
    return month if month is not None and 1 <= month <= 12 else None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _period_ends(every: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """Ends of the periods of ``every`` months that overlap ``start`` .. ``end``; the last is ``end``
    when ``end`` cuts a period short."""
    if every <= 0:
        return []
    ends: list[dt.date] = []
    if 12 % every == 0:
        year, month = start.year, every
        while month_end(year, month) < start:
            year, month = _add_months(year, month, every)
    else:
        year, month = _add_months(start.year, start.month, every - 1)
    while True:
        current = month_end(year, month)
        if current >= end:
            ends.append(end)
            return ends
        ends.append(current)
        year, month = _add_months(year, month, every)


def due_dates(timing: Timing, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every due date of ``timing`` within ``start`` .. ``end``, in order (see the module docstring)."""
    kind = timing.kind
    month = _valid_month(timing.month)
    if kind == ANNUAL:
        found = [_on(y, month or 12, timing.day if month else None) for y in range(start.year, end.year + 1)]
        return [d for d in found if start <= d <= end]
    if kind == DATED:
        one = _dated(timing, start)
        return [one] if one is not None and start <= one <= end else []
    if kind == PERIODIC:
        return _period_ends(timing.every_months or 0, start, end)
    return []


def _dated(timing: Timing, start: dt.date) -> dt.date | None:
    """The one date of a ``dated`` timing; without a year, the first one on or after ``start``."""
    month = _valid_month(timing.month)
    if timing.year is not None:
        return _on(timing.year, month or 12, timing.day if month else None)
    if month is None:
        return None
    first = _on(start.year, month, timing.day)
    return first if first >= start else _on(start.year + 1, month, timing.day)


def task_due_dates(task: TaskLike, plan: PlanPeriod) -> list[dt.date]:
    return due_dates(timing_of_task(task), plan.period_start, plan.period_end)


def dated_due(timing: Timing, plan: PlanPeriod) -> dt.date | None:
    """The date a ``dated`` timing names, inside the plan's period or not (to refuse one before it)."""
    return _dated(timing, plan.period_start) if timing.kind == DATED else None


def next_due(task: TaskLike, plan: PlanPeriod, today: dt.date) -> dt.date | None:
    """The first due date of the task on or after ``today``, or ``None`` (continuous, or all past)."""
    return next((d for d in task_due_dates(task, plan) if d >= today), None)


def last_report_due(task: TaskLike, plan: PlanPeriod, today: dt.date) -> dt.date | None:
    """The latest due date of the task before ``today``, or ``None``."""
    past = [d for d in task_due_dates(task, plan) if d < today]
    return past[-1] if past else None


def overdue(
    task: TaskLike, plan: PlanPeriod, today: dt.date, *, reported_until: dt.date | None = None
) -> bool:
    """Whether the task is overdue (quá hạn) on ``today``.

    - a cancelled task, a continuous or unspecified one: never;
    - a dated task: its date is past (the day itself is still in time) and it is not done;
    - an annual or periodic task: its latest due date is past and no report covers it, i.e. the latest
      report's period (``reported_until``) ends before that date. Its status does not end it: it
      recurs until the plan's end.
    """
    if task.status == CANCELLED:
        return False
    timing = timing_of_task(task)
    if timing.kind == DATED:
        due = task_due_dates(task, plan)
        return bool(due) and due[0] < today and task.status not in FINISHED
    if timing.kind in (ANNUAL, PERIODIC):
        latest = last_report_due(task, plan, today)
        return latest is not None and (reported_until is None or reported_until < latest)
    return False


# --- Report periods ----------------------------------------------------------------------------------


def period_label(every: int, end: dt.date) -> str:
    """The name of the period of ``every`` months (counted from January) that ends in ``end``'s month:
    "năm 2026", "6 tháng đầu năm 2026", "quý I năm 2026", "9 tháng năm 2026", "tháng 5 năm 2026"."""
    year, month = end.year, end.month
    if every == 1:
        return f"tháng {month} năm {year}"
    if month == 12:
        return f"năm {year}"
    if month == 6:
        return f"6 tháng đầu năm {year}"
    if every == 3 and month == 3:
        return f"quý {_ROMAN[1]} năm {year}"
    if month == every:
        return f"{month} tháng đầu năm {year}"
    return f"{month} tháng năm {year}"


def _natural_end(every: int, day: dt.date) -> dt.date:
    """The end of the calendar period of ``every`` months (counted from January) containing ``day``."""
    month = -(-day.month // every) * every
    return month_end(day.year, month)


def _periodic_periods(every: int, day: int | None, start: dt.date, end: dt.date) -> list[ReportPeriod]:
    aligned = every > 0 and 12 % every == 0
    periods: list[ReportPeriod] = []
    first_day = start
    for period_end in _period_ends(every, start, end):
        if aligned:
            nominal = _natural_end(every, period_end)
            label = period_label(every, nominal)
            period_start = first_day if every == 1 else dt.date(nominal.year, 1, 1)
        else:
            label = f"đến ngày {date_short(period_end)}"
            period_start = first_day
        due = _on(period_end.year, period_end.month, day) if day else period_end
        periods.append(ReportPeriod(label, max(period_start, start), period_end, min(max(due, start), end)))
        first_day = period_end + dt.timedelta(days=1)
    return periods


def _timing_periods(timing: Timing, start: dt.date, end: dt.date) -> list[ReportPeriod]:
    if timing.kind == PERIODIC:
        return _periodic_periods(timing.every_months or 0, timing.day, start, end)
    if timing.kind == ANNUAL:
        month = _valid_month(timing.month)
        periods = []
        for year in range(start.year, end.year + 1):
            due = _on(year, month or 12, timing.day if month else None)
            if start <= due <= end:
                period = (max(dt.date(year, 1, 1), start), min(dt.date(year, 12, 31), end))
                periods.append(ReportPeriod(f"năm {year}", *period, due))
        return periods
    if timing.kind == DATED:
        one = _dated(timing, start)
        if one is None or one < start:
            return []
        return [ReportPeriod(f"đến ngày {date_short(one)}", start, min(one, end), one)]
    return []


def report_periods(plan: PlanPeriod, deadlines: Iterable[DeadlineLike]) -> list[ReportPeriod]:
    """Every report period the plan's deadlines ask for over its whole period, by due date; periods with
    the same label are merged (the earlier due date wins). No deadline → one report a year, at 31/12."""
    start, end = plan.period_start, plan.period_end
    found: dict[str, ReportPeriod] = {}
    rules: Sequence[tuple[Timing, str]] = [(timing_of_deadline(d), d.text) for d in deadlines] or [
        (Timing(ANNUAL, month=12, day=31), "")
    ]
    for timing, text in rules:
        for period in _timing_periods(timing, start, end):
            sources = (text,) if text else ()
            known = found.get(period.label)
            if known is None:
                found[period.label] = ReportPeriod(
                    period.label, period.start, period.end, period.due, sources
                )
            else:
                found[period.label] = ReportPeriod(
                    known.label,
                    min(known.start, period.start),
                    max(known.end, period.end),
                    min(known.due, period.due),
                    tuple(dict.fromkeys((*known.sources, *sources))),
                )
    return sorted(found.values(), key=lambda p: (p.due, p.end, p.label))


def report_requests(
    plan: PlanPeriod, deadlines: Iterable[DeadlineLike], today: dt.date
) -> list[ReportPeriod]:
    """The report periods due so far (due on or before ``today``), oldest first."""
    return [p for p in report_periods(plan, deadlines) if p.due <= today]
