"""Legal deadlines of a review round (thời hạn rà soát), from the procedure file. No Django.

- Ongoing review (thường xuyên, Decision 24/2021/QĐ-TTg art. 5): the recognition decision is due within
  ``ongoing.decision_days`` days of the review's start on the month's ``start_day`` (the 15th); with the
  shipped file the start day is not counted (Civil Code 2015 art. 147), so the decision is due on the
  30th (on 2 March after a 28-day February's 15th).
- Periodic review (định kỳ, art. 3): from ``periodic.start`` to ``periodic.end`` (1/9 – 14/12) of the
  round's year; a round not approved by 14/12 is late.

A round is *open* until its due day (the due day itself included), *overdue* after it while not
approved, *met* when approved on or before the due day and *late* when approved after it.

>>> from giamngheo.review.procedure import procedure
>>> d = round_deadline(procedure(), kind="ongoing", year=2026, month=3, today=dt.date(2026, 4, 2))
>>> d.due, d.state, d.days_over
(datetime.date(2026, 3, 30), 'overdue', 3)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from giamngheo.review.procedure import Procedure

State = Literal["open", "overdue", "met", "late"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A round's legal period: ``start`` to ``due`` (both included), and where ``today`` stands."""

    kind: Literal["periodic", "ongoing"]
    start: dt.date
    due: dt.date
    state: State
    days_left: int  # open: days from today to the due day (0 on the due day); else 0
    days_over: int  # overdue: days past the due day today; late: days past it at the approval; else 0
    citation: str

    @property
    def warning(self) -> bool:
        """Overdue and still not approved: the pages show it in red."""
        return self.state == "overdue"


def _deadline(
    kind: Literal["periodic", "ongoing"],
    start: dt.date,
    due: dt.date,
    *,
    today: dt.date,
    approved_on: dt.date | None,
    citation: str,
) -> Deadline:
    if approved_on is not None:
        late = (approved_on - due).days
        state: State = "late" if late > 0 else "met"
        return Deadline(kind, start, due, state, 0, max(late, 0), citation)
    over = (today - due).days
    if over > 0:
        return Deadline(kind, start, due, "overdue", 0, over, citation)
    return Deadline(kind, start, due, "open", -over, 0, citation)


def ongoing_deadline(
    rules: Procedure, *, year: int, month: int, today: dt.date, approved_on: dt.date | None = None
) -> Deadline:
    """The decision deadline of the ongoing review of ``month``/``year``."""
    rule = rules.ongoing
    return _deadline(
        "ongoing",
        rule.start_of(year, month),
        rule.decision_due(year, month),
        today=today,
        approved_on=approved_on,
        citation=f"{rule.citation}. {rule.deadline_citation}",
    )


def periodic_deadline(
    rules: Procedure, *, year: int, today: dt.date, approved_on: dt.date | None = None
) -> Deadline:
    """The period of the periodic review of ``year`` (1/9 – 14/12 with the shipped file)."""
    start, end = rules.periodic.window(year)
    return _deadline(
        "periodic", start, end, today=today, approved_on=approved_on, citation=rules.periodic.citation
    )


def round_deadline(
    rules: Procedure,
    *,
    kind: str,
    year: int,
    month: int | None = None,
    today: dt.date,
    approved_on: dt.date | None = None,
) -> Deadline:
    """The deadline of a round of ``kind`` (``"periodic"`` or ``"ongoing"``, which needs ``month``)."""
    if kind == "ongoing":
        if month is None:
            raise ValueError("an ongoing round needs its month")
        return ongoing_deadline(rules, year=year, month=month, today=today, approved_on=approved_on)
    if kind == "periodic":
        return periodic_deadline(rules, year=year, today=today, approved_on=approved_on)
    raise ValueError(f"unknown round kind {kind!r}")
