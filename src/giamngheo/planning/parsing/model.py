"""What the parser reads out of a plan (kế hoạch): immutable records with the line they came from.

Every record keeps the text it was read from (``text``) and ``source_line``, the 1-based line number in
the text given to :func:`giamngheo.planning.parsing.parse_plan`, so a person can check each item
against the document. Amounts are :class:`~decimal.Decimal` (exact); JSON turns them into numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

TargetKind = Literal[
    "poor_rate_reduction",
    "near_poor_rate_reduction",
    "poor_households_reduction",
    "near_poor_households_reduction",
    "end_rate",
    "coverage",
    "income",
    "other_percent",
    "other_count",
]
TargetUnit = Literal["points", "percent", "households", "persons", "million_vnd"]
Bound = Literal["at_least", "at_most"]
TimeframeKind = Literal["continuous", "annual", "dated", "periodic", "unspecified"]
DeadlineKind = Literal["annual", "periodic", "dated"]
FundingSource = Literal["central", "local", "oda_ngo", "community", "credit", "other"]
TaskStyle = Literal["assignment", "responsibility", "labelled", "schedule", "table", "inline"]


@dataclass(frozen=True, slots=True)
class AgencyRef:
    """An agency named in a plan (cơ quan, đơn vị).

    ``key`` is the catalogue key (``data/agencies.toml``) or ``None`` for a name not in the catalogue,
    which then keeps its text as ``name``. ``name`` is the display name: the level word as written
    (Sở / Phòng / Bộ …) + the canonical name, e.g. "Phòng Lao động - Thương binh và Xã hội" for
    "Phòng LĐ-TB&XH". ``qualifier`` is what followed the name ("huyện", "tỉnh Yên Bái", "Tỉnh ủy");
    party-committee qualifiers and those of agencies that exist at every level (Ủy ban nhân dân …)
    stay in ``name``, the others are dropped from it.
    """

    key: str | None
    name: str
    matched_alias: str | None
    qualifier: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Timeframe:
    """When a task is carried out (thời gian thực hiện).

    - ``continuous``: "thường xuyên", "liên tục";
    - ``annual``: "hằng năm" / "hàng năm", with ``month`` (and ``day``) when given ("trong tháng 9
      hằng năm", "trước ngày 05 tháng 11 hằng năm");
    - ``dated``: a date, month, quarter or year ("tháng 4/2022", "Quý I/2022", "10/12/2019"); for a
      range ("tháng 5-12/2019", "từ ngày 01/9 đến ngày 14/12/2024") the END is kept; for a quarter
      ``quarter`` is set and ``month`` is its last month;
    - ``periodic``: "định kỳ 6 tháng" (``every_months`` = 6), "hằng quý" (3), "hằng tháng" (1);
    - ``unspecified``: nothing recognised.
    """

    kind: TimeframeKind
    month: int | None = None
    day: int | None = None
    year: int | None = None
    every_months: int | None = None
    quarter: int | None = None
    text: str = ""


UNSPECIFIED = Timeframe("unspecified")


@dataclass(frozen=True, slots=True)
class Target:
    """A quantified objective (chỉ tiêu, mục tiêu).

    Rate cuts written "giảm 1-1,5%" are percentage POINTS of the poor-household rate (``unit =
    "points"``); end-of-year rates, coverage and other rates are ``"percent"``. ``value_max`` is the
    top of a range ("1-1,5%" → 1 and 1.5). ``bound`` is ``at_least`` for "trên", "ít nhất", "tối
    thiểu" and ``at_most`` for "dưới", "không quá". ``scope`` is the area the target is for when it is
    not the whole unit ("vùng miền núi", "Huyện Trạm Tấu"); ``subject`` what a coverage or other
    target measures ("thẻ BHYT", "tỷ lệ lao động qua đào tạo").

    ``year`` is the one year a target is for ("năm 2026", "đến năm 2030"). A target for a span of years
    ("giai đoạn 2026 - 2030", "từ năm 2026 đến năm 2030", or a plan for several years whose target names
    no year) has ``year = None`` and ``year_from`` / ``year_to`` set; a one-year target has all three
    equal.
    """

    text: str
    kind: TargetKind
    value: Decimal
    value_max: Decimal | None
    unit: TargetUnit
    per_year: bool
    scope: str | None
    year: int | None
    source_line: int
    bound: Bound | None = None
    subject: str | None = None
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A task (nhiệm vụ) with its lead agency (chủ trì), coordinating agencies (phối hợp) and timeframe.

    ``section`` is the numbering path of the item ("II.1.4", "E.5(2)"). ``style`` says how the
    assignment was written: ``assignment`` ("* Phân công thực hiện: …" after the items), ``labelled``
    ("Cơ quan chủ trì: …"), ``responsibility`` (an agency's item in "Tổ chức thực hiện"),
    ``schedule`` (an item of "Tiến độ thực hiện"), ``table`` (a task table), ``inline`` (an item
    whose own text says "X chủ trì"). ``assignment`` is the assignment text when it is apart from the
    item, with its line. ``product`` is the expected output when the plan names one ("Sản phẩm: …", a
    "Sản phẩm" column). ``lead_inherited`` is true when the item names no agency and its lead was taken
    from the previous item of the same schedule ("Tháng 11/2019, triển khai rà soát …" after "Tháng
    5-12/2019, cấp ủy đảng và chính quyền các cấp triển khai …"): a guess for the reader to confirm.
    """

    text: str
    lead_agencies: tuple[AgencyRef, ...]
    coordinating_agencies: tuple[AgencyRef, ...]
    timeframe: Timeframe
    section: str
    source_line: int
    style: TaskStyle = "assignment"
    assignment: str = ""
    assignment_line: int | None = None
    product: str = ""
    lead_inherited: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """A reporting deadline (thời hạn báo cáo): a clause that asks for a report with a date."""

    text: str
    kind: DeadlineKind
    month: int | None
    day: int | None
    every_months: int | None
    year: int | None
    source_line: int


@dataclass(frozen=True, slots=True)
class FundingLine:
    """One funding source (nguồn vốn) with its amount in million VND (triệu đồng).

    A table with a column per year (2026, 2027, …, Tổng) gives one line per source and year, with
    ``year`` set and ``row_total_million_vnd`` the row's "Tổng" cell: the year lines of a row should add
    up to it (:func:`~giamngheo.planning.parsing.funding.row_total_mismatches`). Elsewhere ``year`` is
    the year the label names ("Ngân sách xã năm 2026"), if any.
    """

    source: FundingSource
    label: str
    amount_million_vnd: Decimal
    source_line: int
    year: int | None = None
    row_total_million_vnd: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CitedAct:
    """A document the plan is based on (căn cứ): "Chỉ thị số 05-CT/TW ngày 23-6-2021 của Ban Bí thư"."""

    kind: str
    number: str
    issued_on: dt.date | None
    issuer: str | None
    text: str
    source_line: int


@dataclass(frozen=True, slots=True)
class PlanDraft:
    """Everything read from one plan; a draft for a person to check, never a decision."""

    title: str | None
    number: str | None
    issued_on: dt.date | None
    issuer: str | None
    basis: tuple[CitedAct, ...]
    period_start: int | None
    period_end: int | None
    targets: tuple[Target, ...]
    tasks: tuple[Task, ...]
    deadlines: tuple[Deadline, ...]
    funding: tuple[FundingLine, ...]
    unit_name: str | None
    funding_total_million_vnd: Decimal | None = None
