"""Who may receive a support policy on a given day (đối tượng được hưởng chính sách): framework-free.

Eligibility is never typed in. It is read from the household's class in the approved review rounds (the
engine's results, ``review.Result``) in force on the day of the support, and the policy's rule:

- ``class_on(history, day)``: the class of the latest round approved **on or before** ``day``. The
  approval date is the day the class changes: support given on the approval day uses the new class, the
  day before uses the old one (the commune chairperson's decision recognising the poor, near-poor and
  escaped households takes effect when it is signed — Decision 24/2021/QĐ-TTg art. 4 cl. 5; best
  reading). Two rounds approved the same day (a periodic and an ongoing one) are ordered by round id:
  the later round wins.
- ``eligibility(rule, history, facts, day)``: a :class:`Decision` with the class, the round and the reason
  in Vietnamese and English. ``poor``, ``near_poor`` and ``middle_living`` are read directly from the class
  on the day. ``newly_escaped`` (hộ mới thoát nghèo) is a household that is neither poor nor near-poor on
  the day, was poor **or near-poor** in an earlier approved round, and whose escape — the first approved
  round after its last poor or near-poor round — was approved at most ``escaped_within_years`` years
  before the day. Escaping near-poverty counts: Decision 28/2015/QĐ-TTg (credit for newly escaped
  households) art. 2 defines the newly escaped household as one that "used to be a poor or near-poor
  household" and has left the list, for at most 3 years (36 months) since leaving it [best reading: the
  article was not read in the stored sources; keep ``ESCAPED_FROM`` and the policies' years as data].
  The term is counted as the Civil Code counts terms in years (Bộ luật Dân sự 2015 art. 147-148: it
  starts the day after the event and ends at the end of the corresponding day of the last year, or the
  month's last day when that day does not exist): support exactly N years after the escape is still
  within the term, the next day is not.
- A household with no approved round before the day is not eligible ("chưa có kết quả rà soát được phê
  duyệt"); nor is one whose class on the day is ``incomplete`` (the classification was not finished).
- The policy must be in force on the day (``valid_from`` ≤ day ≤ ``valid_to``); that refusal is not a
  matter of eligibility and cannot be overridden (``Decision.overridable`` is false).

Nothing here reads a database or imports Django: the history comes from ``support.history``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CLASS_NAMES_EN",
    "CLASS_NAMES_VI",
    "DIRECT_CLASSES",
    "ELIGIBLE_VALUES",
    "ESCAPED_FROM",
    "ESCAPE_CLASSES",
    "Decision",
    "Facts",
    "HistoryEntry",
    "Rule",
    "add_years",
    "class_on",
    "eligibility",
    "escape_of",
    "rule_in_words",
]

DIRECT_CLASSES: Final = ("poor", "near_poor", "middle_living")
NEWLY_ESCAPED: Final = "newly_escaped"
ELIGIBLE_VALUES: Final = (*DIRECT_CLASSES, NEWLY_ESCAPED)
ESCAPED_FROM: Final = frozenset({"poor", "near_poor"})
"""Classes a household escapes from (Decision 28/2015/QĐ-TTg art. 2: "đã từng là hộ nghèo, hộ cận
nghèo"; best reading)."""
ESCAPE_CLASSES: Final = frozenset({"not_poor", "middle_living"})
"""Classes that mean the household has escaped: above the near-poor line (``incomplete`` is no class)."""
AREAS: Final = ("urban", "rural")

CLASS_NAMES_VI: Final = {
    "poor": "hộ nghèo",
    "near_poor": "hộ cận nghèo",
    "middle_living": "hộ có mức sống trung bình",
    "not_poor": "hộ không nghèo",
    "incomplete": "chưa đủ thông tin để phân loại",
    NEWLY_ESCAPED: "hộ mới thoát nghèo",
}
CLASS_NAMES_EN: Final = {
    "poor": "poor",
    "near_poor": "near-poor",
    "middle_living": "middle-living",
    "not_poor": "not poor",
    "incomplete": "not classified (incomplete)",
    NEWLY_ESCAPED: "newly escaped from poverty",
}
_AREA_VI: Final = {"urban": "khu vực thành thị", "rural": "khu vực nông thôn"}
_AREA_EN: Final = {"urban": "urban areas", "rural": "rural areas"}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One approved round of the household: approval date, round id, the household's class in it, and
    the round in words (``Rà soát định kỳ năm 2025``)."""

    approved_on: dt.date
    round_id: int
    klass: str
    label_vi: str = ""
    label_en: str = ""

    @property
    def key(self) -> tuple[dt.date, int]:
        return (self.approved_on, self.round_id)


@dataclass(frozen=True, slots=True)
class Rule:
    """A policy's eligibility rule (the fields of ``support.Policy`` that decide it)."""

    eligible: frozenset[str]
    valid_from: dt.date
    valid_to: dt.date | None = None
    escaped_within_years: int | None = None
    ethnic_minority_only: bool = False
    area: str = ""

    @classmethod
    def of(
        cls,
        *,
        eligible: Iterable[str],
        valid_from: dt.date,
        valid_to: dt.date | None = None,
        escaped_within_years: int | None = None,
        ethnic_minority_only: bool = False,
        area: str = "",
    ) -> Rule:
        return cls(
            frozenset(eligible), valid_from, valid_to, escaped_within_years, ethnic_minority_only, area or ""
        )

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Facts:
    """What else a rule may ask about the household: ethnic minority (hộ dân tộc thiểu số) and area."""

    ethnic_minority: bool = False
    area: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one household, policy and day.

    ``klass``: the household's class on the day ("" when no approved round); ``round_id``: the round it
    comes from; ``code``: ``eligible``, ``not_in_force``, ``no_round``, ``incomplete``, ``class``,
    ``escaped_too_long_ago``, ``never_poor``, ``ethnic_minority`` or ``area``; ``as_newly_escaped``: the
    household qualified as newly escaped (``escaped_on``: the approval date of its escape)."""

    eligible: bool
    klass: str
    round_id: int | None
    reason_vi: str
    reason_en: str
    code: str
    as_newly_escaped: bool = False
    escaped_on: dt.date | None = None

    @property
    def overridable(self) -> bool:
        """May a supervisor record the support anyway (with a written reason)? Not when the policy is
        not in force on the day: that is a wrong date or a wrong policy, not an exception."""
        return not self.eligible and self.code != "not_in_force"


def _date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February in a common year (the
    month's last day, Bộ luật Dân sự 2015 art. 148)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → a year without it
        return day.replace(year=day.year + years, day=28)


def _sorted(history: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    return sorted(history, key=lambda entry: entry.key)


def class_on(history: Iterable[HistoryEntry], day: dt.date) -> HistoryEntry | None:
    """The household's approved round in force on ``day``: the latest approved on or before ``day``
    (ties by round id), or ``None`` if none was approved yet."""
    current: HistoryEntry | None = None
    for entry in history:
        if entry.approved_on <= day and (current is None or entry.key > current.key):
            current = entry
    return current


def escape_of(history: Iterable[HistoryEntry], day: dt.date) -> tuple[HistoryEntry, HistoryEntry] | None:
    """The household's latest escape by ``day``: (its last poor or near-poor round, the first round after
    it in which it was above the near-poor line), or ``None`` when it never escaped by then or is poor
    or near-poor on ``day``."""
    known = [entry for entry in _sorted(history) if entry.approved_on <= day]
    if not known or known[-1].klass not in ESCAPE_CLASSES:
        return None
    last_poor = max((i for i, entry in enumerate(known) if entry.klass in ESCAPED_FROM), default=None)
    if last_poor is None:
        return None
    after = next((entry for entry in known[last_poor + 1 :] if entry.klass in ESCAPE_CLASSES), None)
    return (known[last_poor], after) if after is not None else None


def _round_vi(entry: HistoryEntry) -> str:
    label = entry.label_vi or f"đợt rà soát số {entry.round_id}"
    return f"{label} (phê duyệt ngày {_date(entry.approved_on)})"


def _round_en(entry: HistoryEntry) -> str:
    label = entry.label_en or f"review round {entry.round_id}"
    return f"{label} (approved {entry.approved_on.isoformat()})"


def _who_vi(rule: Rule) -> str:
    return rule_in_words(rule)[0]


def _who_en(rule: Rule) -> str:
    return rule_in_words(rule)[1]


def rule_in_words(rule: Rule) -> tuple[str, str]:
    """Who is eligible, in Vietnamese and English: "hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo (trong
    vòng 3 năm); chỉ hộ dân tộc thiểu số; khu vực nông thôn"."""
    vi: list[str] = []
    en: list[str] = []
    for value in ELIGIBLE_VALUES:
        if value not in rule.eligible:
            continue
        if value == NEWLY_ESCAPED and rule.escaped_within_years:
            vi.append(f"{CLASS_NAMES_VI[value]} (trong vòng {rule.escaped_within_years} năm)")
            en.append(f"{CLASS_NAMES_EN[value]} (within {rule.escaped_within_years} years)")
        else:
            vi.append(CLASS_NAMES_VI[value])
            en.append(CLASS_NAMES_EN[value])
    text_vi, text_en = [", ".join(vi) or "không ai"], [", ".join(en) or "nobody"]
    if rule.ethnic_minority_only:
        text_vi.append("chỉ hộ dân tộc thiểu số")
        text_en.append("ethnic-minority households only")
    if rule.area in AREAS:
        text_vi.append(_AREA_VI[rule.area])
        text_en.append(_AREA_EN[rule.area])
    return "; ".join(text_vi), "; ".join(text_en)


def eligibility(rule: Rule, history: Sequence[HistoryEntry], facts: Facts, day: dt.date) -> Decision:
    """May a household with ``history`` (its approved rounds) and ``facts`` receive the policy of
    ``rule`` on ``day``? See the module docstring for the rules."""
    current = class_on(history, day)
    klass = current.klass if current is not None else ""
    round_id = current.round_id if current is not None else None

    def refuse(code: str, vi: str, en: str) -> Decision:
        return Decision(False, klass, round_id, vi, en, code)

    if not rule.in_force(day):
        until_vi = f" đến ngày {_date(rule.valid_to)}" if rule.valid_to else ""
        until_en = f" to {rule.valid_to.isoformat()}" if rule.valid_to else ""
        return refuse(
            "not_in_force",
            f"Ngày {_date(day)} chính sách chưa có hoặc đã hết hiệu lực "
            f"(hiệu lực từ ngày {_date(rule.valid_from)}{until_vi}).",
            f"On {day.isoformat()} the policy is not in force "
            f"(from {rule.valid_from.isoformat()}{until_en}).",
        )
    if current is None:
        return refuse(
            "no_round",
            f"Ngày {_date(day)} hộ chưa có kết quả rà soát được phê duyệt, nên chưa xác định được hộ "
            "thuộc diện nào.",
            f"On {day.isoformat()} the household has no approved review result yet.",
        )
    if rule.ethnic_minority_only and not facts.ethnic_minority:
        return refuse(
            "ethnic_minority",
            "Chính sách chỉ dành cho hộ dân tộc thiểu số; hộ không phải hộ dân tộc thiểu số.",
            "The policy is for ethnic-minority households only.",
        )
    if rule.area in AREAS and facts.area != rule.area:
        return refuse(
            "area",
            f"Chính sách chỉ áp dụng ở {_AREA_VI[rule.area]}; hộ ở "
            f"{_AREA_VI.get(facts.area, 'khu vực chưa xác định')}.",
            f"The policy applies in {_AREA_EN[rule.area]} only.",
        )
    when_vi = f"Ngày {_date(day)} hộ là {CLASS_NAMES_VI.get(klass, klass)} theo {_round_vi(current)}"
    when_en = (
        f"On {day.isoformat()} the household is {CLASS_NAMES_EN.get(klass, klass)} ({_round_en(current)})"
    )
    if klass == "incomplete":
        return refuse(
            "incomplete",
            f"{when_vi}: kết quả chưa phân loại được, chưa xác định được diện hộ.",
            f"{when_en}: no class could be determined.",
        )
    if klass in rule.eligible and klass in DIRECT_CLASSES:
        return Decision(
            True,
            klass,
            round_id,
            f"{when_vi}: thuộc diện được hưởng ({_who_vi(rule)}).",
            f"{when_en}: eligible ({_who_en(rule)}).",
            "eligible",
        )
    if NEWLY_ESCAPED in rule.eligible and klass in ESCAPE_CLASSES:
        escape = escape_of(history, day)
        if escape is None:
            if rule.eligible == {NEWLY_ESCAPED}:
                return refuse(
                    "never_poor",
                    f"{when_vi}; hộ chưa từng là hộ nghèo, hộ cận nghèo trong các đợt rà soát đã phê duyệt, "
                    "nên không phải hộ mới thoát nghèo.",
                    f"{when_en}; it was never poor or near-poor in an approved round, "
                    "so it is not newly escaped.",
                )
        else:
            before, after = escape
            years = rule.escaped_within_years
            ends = add_years(after.approved_on, years) if years is not None else None
            escaped_vi = (
                f"hộ thoát {CLASS_NAMES_VI[before.klass].removeprefix('hộ ')} theo {_round_vi(after)}"
            )
            escaped_en = f"it escaped from {CLASS_NAMES_EN[before.klass]} in {_round_en(after)}"
            if ends is None or day <= ends:
                limit_vi = f", còn trong thời hạn {years} năm (đến hết ngày {_date(ends)})" if ends else ""
                limit_en = f", within {years} years (until {ends.isoformat()})" if ends else ""
                return Decision(
                    True,
                    klass,
                    round_id,
                    f"{when_vi}; {escaped_vi}{limit_vi}: là hộ mới thoát nghèo, thuộc diện được hưởng.",
                    f"{when_en}; {escaped_en}{limit_en}: newly escaped, eligible.",
                    "eligible",
                    as_newly_escaped=True,
                    escaped_on=after.approved_on,
                )
            return refuse(
                "escaped_too_long_ago",
                f"{when_vi}; {escaped_vi}, đã quá {years} năm (hết ngày {_date(ends)}), "
                "nên không còn là hộ mới thoát nghèo.",
                f"{when_en}; {escaped_en}, more than {years} years ago (ended {ends.isoformat()}).",
            )
    return refuse(
        "class",
        f"{when_vi}; chính sách dành cho: {_who_vi(rule)}.",
        f"{when_en}; the policy is for: {_who_en(rule)}.",
    )
