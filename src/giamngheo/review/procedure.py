"""The review procedure as data (quy trình rà soát): ``data/procedure-24-2021.toml`` loaded and checked.

Day counts, the meeting threshold, the Phiếu A questions and the lists of causes of poverty and support
needs live in the data file, each with its citation and status (``confirmed``, ``best_reading``,
``unconfirmed``), like the standards' data files. This module imports nothing from Django.

>>> p = procedure()
>>> p.posting.days, p.meeting.min_agreeing_share
(7, 0.5)
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

DATA_FILE: Final = Path(__file__).with_name("data") / "procedure-24-2021.toml"

Status = Literal["confirmed", "best_reading", "unconfirmed"]
STATUSES: Final = ("confirmed", "best_reading", "unconfirmed")


class ProcedureError(ValueError):
    """The procedure file is malformed (English message for logs, ``message_vi`` for people)."""

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi


@dataclass(frozen=True, slots=True)
class MonthDay:
    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class PeriodicRule:
    """Periodic review window (rà soát định kỳ)."""

    start: MonthDay
    end: MonthDay
    citation: str
    status: Status

    def window(self, year: int) -> tuple[dt.date, dt.date]:
        return self.start.in_year(year), self.end.in_year(year)


@dataclass(frozen=True, slots=True)
class OngoingRule:
    """Ongoing review (rà soát thường xuyên): monthly from ``start_day``; decided within ``decision_days``
    calendar days, the start day itself counted only if ``deadline_counts_start_day``."""

    start_day: int
    decision_days: int
    citation: str
    status: Status
    deadline_counts_start_day: bool
    deadline_citation: str
    deadline_status: Status

    def start_of(self, year: int, month: int) -> dt.date:
        return dt.date(year, month, self.start_day)

    def decision_due(self, year: int, month: int) -> dt.date:
        """The last day for the decision of the month's ongoing review (the 30th with the shipped file:
        the 15th is not counted, then 15 days)."""
        days = self.decision_days - 1 if self.deadline_counts_start_day else self.decision_days
        return self.start_of(year, month) + dt.timedelta(days=days)


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """Village meeting (họp thôn): passed when agreeing / attendees >= ``min_agreeing_share``."""

    min_agreeing_share: float
    citation: str
    status: Status

    def passed(self, attendees: int, agreeing: int) -> bool:
        """Exact integer comparison (no rounding): 5 of 10 passes at 0.5, 4 of 9 does not."""
        if attendees <= 0:
            return False
        numerator, denominator = self.min_agreeing_share.as_integer_ratio()
        return agreeing * denominator >= numerator * attendees


@dataclass(frozen=True, slots=True)
class PostingRule:
    """Public posting (niêm yết): ``days`` days (calendar days), at ``places``."""

    days: int
    day_kind: Literal["calendar"]
    places: tuple[str, ...]
    citation: str
    status: Status

    def end_date(self, start: dt.date) -> dt.date:
        """The last day of a posting that starts on ``start`` (the start day counts as day 1)."""
        return start + dt.timedelta(days=self.days - 1)


@dataclass(frozen=True, slots=True)
class ComplaintRule:
    """Complaints (khiếu nại) are received during ``window`` (only ``posting`` is encoded)."""

    window: Literal["posting"]
    citation: str
    status: Status


@dataclass(frozen=True, slots=True)
class Item:
    """A coded choice with its Vietnamese label (a Phiếu A question, a cause, a support need)."""

    id: str
    vi: str


@dataclass(frozen=True, slots=True)
class Choices:
    items: tuple[Item, ...]
    citation: str
    status: Status

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def label(self, item_id: str) -> str:
        return next((i.vi for i in self.items if i.id == item_id), item_id)


@dataclass(frozen=True, slots=True)
class PhieuARule:
    """Quick identification (Phiếu A): excluded from the survey at ``excluded_at_yes`` "yes" answers."""

    questions: tuple[Item, ...]
    excluded_at_yes: int
    citation: str
    status: Status

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def passes(self, answers: Mapping[str, bool]) -> bool:
        """Whether a household goes on to Phiếu B (fewer "yes" than the exclusion count)."""
        return sum(1 for q in self.questions if answers.get(q.id)) < self.excluded_at_yes


@dataclass(frozen=True, slots=True)
class Forms:
    application: str
    application_citation: str
    application_status: Status
    household_list: str
    quick_identification: str
    household_information: str
    citation: str
    status: Status


@dataclass(frozen=True, slots=True)
class Procedure:
    id: str
    version: int
    title_vi: str
    title_en: str
    legal_basis: str
    periodic: PeriodicRule
    ongoing: OngoingRule
    meeting: MeetingRule
    posting: PostingRule
    complaints: ComplaintRule
    forms: Forms
    phieu_a: PhieuARule
    causes: Choices
    support_needs: Choices

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """Names of the items whose status is ``unconfirmed`` (for the open legal questions)."""
        items: dict[str, str] = {
            "periodic": self.periodic.status,
            "ongoing": self.ongoing.status,
            "ongoing.deadline": self.ongoing.deadline_status,
            "meeting": self.meeting.status,
            "posting": self.posting.status,
            "complaints": self.complaints.status,
            "forms.application": self.forms.application_status,
            "forms": self.forms.status,
            "phieu_a": self.phieu_a.status,
            "causes": self.causes.status,
            "support_needs": self.support_needs.status,
        }
        return tuple(name for name, status in items.items() if status == "unconfirmed")


# --- parsing ------------------------------------------------------------------------------------------


def _get(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ProcedureError(f"{where}: missing key {key!r}", f"{where}: thiếu khóa {key!r}")
    return table[key]


def _status(table: Mapping[str, Any], where: str, key: str = "status") -> Status:
    value = table.get(key)
    if value not in STATUSES:
        raise ProcedureError(
            f"{where}: {key} must be one of {STATUSES}, got {value!r}",
            f"{where}: {key} phải là một trong {STATUSES}, nhận được {value!r}",
        )
    return value  # type: ignore[no-any-return]


def _positive_int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ProcedureError(
            f"{where}: a positive whole number expected", f"{where}: cần một số nguyên dương"
        )
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ProcedureError(f"{where}: true or false expected", f"{where}: cần true hoặc false")
    return value


def _month_day(value: object, where: str) -> MonthDay:
    if not isinstance(value, Mapping):
        raise ProcedureError(f"{where}: {{ month, day }} expected", f"{where}: cần {{ month, day }}")
    month = _positive_int(value.get("month"), f"{where}.month")
    day = _positive_int(value.get("day"), f"{where}.day")
    try:
        dt.date(2024, month, day)  # a leap year: 29 Feb is a valid month-day
    except ValueError:
        raise ProcedureError(f"{where}: not a calendar day", f"{where}: ngày tháng không hợp lệ") from None
    return MonthDay(month, day)


def _items(values: object, where: str) -> tuple[Item, ...]:
    if not isinstance(values, Sequence) or not values:
        raise ProcedureError(f"{where}: a non-empty list expected", f"{where}: cần một danh sách không rỗng")
    items = []
    for i, value in enumerate(values):
        if not isinstance(value, Mapping):
            raise ProcedureError(f"{where}[{i}]: a table expected", f"{where}[{i}]: cần một bảng")
        items.append(Item(str(_get(value, "id", f"{where}[{i}]")), str(_get(value, "vi", f"{where}[{i}]"))))
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise ProcedureError(f"{where}: duplicate ids", f"{where}: trùng mã")
    return tuple(items)


def _choices(table: Mapping[str, Any], where: str) -> Choices:
    return Choices(
        items=_items(_get(table, "items", where), f"{where}.items"),
        citation=str(_get(table, "citation", where)),
        status=_status(table, where),
    )


def parse_procedure(raw: Mapping[str, Any]) -> Procedure:
    """Build a :class:`Procedure` from the TOML mapping, failing loudly on anything malformed."""
    periodic = _get(raw, "periodic", "procedure")
    ongoing = _get(raw, "ongoing", "procedure")
    meeting = _get(raw, "meeting", "procedure")
    posting = _get(raw, "posting", "procedure")
    complaints = _get(raw, "complaints", "procedure")
    forms = _get(raw, "forms", "procedure")
    phieu_a = _get(raw, "phieu_a", "procedure")

    start_day = _positive_int(_get(ongoing, "start_day", "ongoing"), "ongoing.start_day")
    if start_day > 28:
        raise ProcedureError("ongoing.start_day must exist in every month", "ongoing.start_day phải <= 28")
    if ongoing.get("deadline_day_kind") != "calendar":
        raise ProcedureError(
            "ongoing.deadline_day_kind: only 'calendar' days are supported",
            "ongoing.deadline_day_kind: hiện chỉ hỗ trợ ngày lịch (calendar)",
        )
    share = _get(meeting, "min_agreeing_share", "meeting")
    if not isinstance(share, int | float) or isinstance(share, bool) or not 0 < share <= 1:
        raise ProcedureError(
            "meeting.min_agreeing_share must be in (0, 1]", "meeting.min_agreeing_share phải trong (0, 1]"
        )
    if posting.get("day_kind") != "calendar":
        raise ProcedureError(
            "posting.day_kind: only 'calendar' days are supported",
            "posting.day_kind: hiện chỉ hỗ trợ ngày lịch (calendar)",
        )
    if complaints.get("window") != "posting":
        raise ProcedureError(
            "complaints.window: only 'posting' is supported", "complaints.window: hiện chỉ hỗ trợ 'posting'"
        )
    questions = _items(_get(phieu_a, "questions", "phieu_a"), "phieu_a.questions")
    excluded_at = _positive_int(_get(phieu_a, "excluded_at_yes", "phieu_a"), "phieu_a.excluded_at_yes")
    if excluded_at > len(questions):
        raise ProcedureError(
            "phieu_a.excluded_at_yes exceeds the number of questions",
            "phieu_a.excluded_at_yes lớn hơn số câu hỏi",
        )
    places = posting.get("places", [])
    if not isinstance(places, list) or not all(isinstance(p, str) for p in places):
        raise ProcedureError("posting.places: a list of texts expected", "posting.places: cần danh sách chữ")
    return Procedure(
        id=str(_get(raw, "id", "procedure")),
        version=_positive_int(raw.get("version", 1), "version"),
        title_vi=str(_get(raw, "title_vi", "procedure")),
        title_en=str(_get(raw, "title_en", "procedure")),
        legal_basis=str(_get(raw, "legal_basis", "procedure")),
        periodic=PeriodicRule(
            start=_month_day(_get(periodic, "start", "periodic"), "periodic.start"),
            end=_month_day(_get(periodic, "end", "periodic"), "periodic.end"),
            citation=str(_get(periodic, "citation", "periodic")),
            status=_status(periodic, "periodic"),
        ),
        ongoing=OngoingRule(
            start_day=start_day,
            decision_days=_positive_int(_get(ongoing, "decision_days", "ongoing"), "ongoing.decision_days"),
            citation=str(_get(ongoing, "citation", "ongoing")),
            status=_status(ongoing, "ongoing"),
            deadline_counts_start_day=_bool(
                _get(ongoing, "deadline_counts_start_day", "ongoing"), "ongoing.deadline_counts_start_day"
            ),
            deadline_citation=str(_get(ongoing, "deadline_citation", "ongoing")),
            deadline_status=_status(ongoing, "ongoing", "deadline_status"),
        ),
        meeting=MeetingRule(
            min_agreeing_share=float(share),
            citation=str(_get(meeting, "citation", "meeting")),
            status=_status(meeting, "meeting"),
        ),
        posting=PostingRule(
            days=_positive_int(_get(posting, "days", "posting"), "posting.days"),
            day_kind="calendar",
            places=tuple(places),
            citation=str(_get(posting, "citation", "posting")),
            status=_status(posting, "posting"),
        ),
        complaints=ComplaintRule(
            window="posting",
            citation=str(_get(complaints, "citation", "complaints")),
            status=_status(complaints, "complaints"),
        ),
        forms=Forms(
            application=str(_get(forms, "application", "forms")),
            application_citation=str(_get(forms, "application_citation", "forms")),
            application_status=_status(forms, "forms", "application_status"),
            household_list=str(_get(forms, "household_list", "forms")),
            quick_identification=str(_get(forms, "quick_identification", "forms")),
            household_information=str(_get(forms, "household_information", "forms")),
            citation=str(_get(forms, "forms_citation", "forms")),
            status=_status(forms, "forms", "forms_status"),
        ),
        phieu_a=PhieuARule(
            questions=questions,
            excluded_at_yes=excluded_at,
            citation=str(_get(phieu_a, "citation", "phieu_a")),
            status=_status(phieu_a, "phieu_a"),
        ),
        causes=_choices(_get(raw, "causes", "procedure"), "causes"),
        support_needs=_choices(_get(raw, "support_needs", "procedure"), "support_needs"),
    )


def load_procedure(path: Path) -> Procedure:
    with path.open("rb") as handle:
        return parse_procedure(tomllib.load(handle))


@cache
def procedure() -> Procedure:
    """The shipped procedure (Decision 24/2021/QĐ-TTg), loaded once."""
    return load_procedure(DATA_FILE)
