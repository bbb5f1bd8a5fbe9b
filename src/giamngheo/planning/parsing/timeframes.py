"""Time expressions in plans: "thường xuyên", "trong tháng 9 hằng năm", "tháng 4/2022", "Quý I/2022",
"định kỳ 6 tháng", "trước ngày 05 tháng 11 hằng năm", "từ ngày 20/4-30/4/2019".

:func:`find_times` returns every expression in a text, in order; :func:`timeframe_of` the first one
(the timeframe of a task as its assignment states it). Dates inside citations of documents ("Chỉ thị số
05-CT/TW ngày 23-6-2021") are not time expressions: :func:`mask_citations` blanks them first.

>>> timeframe_of("triển khai thực hiện trong tháng 9 hằng năm").kind
'annual'
>>> t = timeframe_of("thành lập Ban Chỉ đạo trong tháng 4/2022")
>>> t.kind, t.month, t.year
('dated', 4, 2022)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from giamngheo.planning.parsing.model import UNSPECIFIED, Timeframe
from giamngheo.planning.parsing.text import fold, mask

_I = re.IGNORECASE

#: Kinds of documents cited in plans, before their number ("Kế hoạch số 51-KH/HU").
ACT_KINDS: Final = (
    r"Luật|Bộ luật|Hiến pháp|Nghị quyết liên tịch|Nghị quyết|Nghị định|Quyết định|Thông tư liên tịch|"
    r"Thông tư|Chỉ thị|Kết luận|Kế hoạch|Chương trình hành động|Chương trình|Công văn|Hướng dẫn|"
    r"Thông báo|Đề án|Quy định|Quy chế|Văn bản|Tờ trình|Báo cáo|Công điện"
)
ACT_NUMBER: Final = r"\d+[a-zA-Z]?(?:\s*[-/]\s*[0-9A-Za-zĐđ&.]*[0-9A-Za-zĐđ])+"
DATE_TEXT: Final = r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
CITATION: Final = re.compile(
    rf"(?:{ACT_KINDS})\s+(?:số\s+|số:\s*)?{ACT_NUMBER}(?:\s*,?\s*ngày\s+(?:{DATE_TEXT}))?"
    rf"|(?:Luật|Bộ luật)\s[^;,.()]{{0,80}}?\s+ngày\s+(?:{DATE_TEXT})",
    _I,
)


@lru_cache(maxsize=8192)
def mask_citations(text: str) -> str:
    """``text`` with document citations blanked (same length)."""
    return mask(text, [(m.start(), m.end()) for m in CITATION.finditer(text)])


@dataclass(frozen=True, slots=True)
class TimeMatch:
    start: int
    end: int
    timeframe: Timeframe


_D = r"(\d{1,2})"
_M = r"(\d{1,2})"
_Y = r"(\d{4})"
_S = r"\s*[/.\-]\s*"
_TO = r"\s*(?:-|–|đến|tới)\s*"
_ANNUAL = r"(?:hằng|hàng|mỗi|từng)\s+năm"

_Q = r"(IV|I{1,3}|[1-4])(?![a-zA-Z])"

# (name, pattern), in priority order: an earlier pattern claims its span first.
_PATTERNS: Final = (
    # a cell or label value that is only a range of years ("2026 - 2030"): the end, as for other ranges;
    # "giai đoạn 2026 - 2030" names a programme's period, not when a task is due
    ("year_range", r"^\s*(?:từ\s+năm\s+|năm\s+)?(\d{4})\s*(?:-|–|đến)\s*(?:năm\s+)?(\d{4})\s*\.?\s*$"),
    ("quarter_list", rf"quý\s+{_Q}(?:\s*(?:,|và|-|–|đến)\s*(?:quý\s+)?{_Q})+\s*(?:[/\-]|năm)\s*{_Y}"),
    ("date_range", rf"(?:từ\s+)?ngày\s+{_D}(?:{_S}{_M})?(?:{_S}{_Y})?{_TO}(?:ngày\s+)?{_D}{_S}{_M}{_S}{_Y}"),
    ("date_range", rf"(?:từ\s+)?{_D}/{_M}(?:/{_Y})?{_TO}{_D}/{_M}/{_Y}"),
    ("month_range", rf"(?:từ\s+)?tháng\s+{_M}(?:{_S}{_Y})?{_TO}(?:tháng\s+)?{_M}(?:{_S}|\s+năm\s+){_Y}"),
    ("date", rf"ngày\s+{_D}\s+tháng\s+{_M}\s+năm\s+{_Y}"),
    (
        "day_month_range",
        rf"(?:từ\s+)?ngày\s+{_D}\s*/\s*{_M}{_TO}(?:ngày\s+)?{_D}\s*/\s*{_M}(?!\s*[/.\-]\s*\d)",
    ),
    ("date", rf"(?:ngày\s+)?{_D}{_S}{_M}{_S}{_Y}"),
    ("day_month", rf"ngày\s+{_D}\s+tháng\s+{_M}(?!\s*(?:[/.\-]|năm)\s*\d)"),
    ("day_month", rf"ngày\s+{_D}\s*[/.\-]\s*{_M}(?!\s*[/.\-]\s*\d)"),
    ("quarter", rf"quý\s+(IV|I{{1,3}}|[1-4])(?![a-zA-Z])(?:\s*(?:[/\-]|năm)\s*{_Y})?"),
    ("month_year", rf"tháng\s+{_M}\s*(?:[/\-]|năm)\s*{_Y}"),
    ("month", rf"tháng\s+{_M}(?!\s*[/\-]?\s*\d)"),
    ("monthly_day", r"(?:trước\s+|vào\s+)?ngày\s+(\d{1,2})\s+(?:hằng|hàng|mỗi)\s+tháng"),
    ("every", r"định\s+kỳ\s+(\d{1,2})\s+tháng"),
    ("every", r"(\d{1,2})\s+tháng\s+(?:một|1)\s+lần"),
    ("every_quarter", r"(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi|từng)\s+quý"),
    ("every_month", r"(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi|từng)\s+tháng"),
    ("annual", rf"(?:định\s+kỳ\s+)?{_ANNUAL}"),
    # "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên" is a name, not a timeframe
    ("continuous", r"(?<!dục\s)thường\s+xuyên|liên\s+tục|hằng\s+ngày|hàng\s+ngày"),
    ("year", rf"(?:trong(?:\s+cả)?|hoàn\s+thành(?:\s+trong|\s+trước)?|trước|cuối|từ)\s+năm\s+{_Y}"),
    ("year", rf"^\s*(?:năm\s+)?{_Y}\s*\.?\s*$"),
    ("year", rf"^\s*năm\s+{_Y}"),
)
# "định kỳ 6 tháng, năm", "hằng quý và năm": more periods listed after the first one
_MORE_PERIODS: Final = re.compile(
    r"(?:\s*\([^()]{0,60}\))?\s*(?:,|và|hoặc)\s*(?:định\s+kỳ\s+)?(?:hằng\s+|hàng\s+|mỗi\s+)?(?P<period>quý|năm|6\s+tháng|tháng)"
    r"(?![\w])(?!\s*(?:[/\-]\s*)?\d)",
    _I,
)
_COMPILED: Final = tuple((name, re.compile(pattern, _I)) for name, pattern in _PATTERNS)
_ROMAN_QUARTER: Final = {"I": 1, "II": 2, "III": 3, "IV": 4}
_LEAD_WORDS = re.compile(r"(?:trước|trong|vào|từ|đến|cho đến|chậm nhất)\s+$", _I)
_GAP = re.compile(r"^[\s,(]*(?:vào|trong|trước|của)?[\s,(]*$", _I)


def _ok(day: int | None, month: int | None) -> bool:
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


def _build(name: str, groups: tuple[str | None, ...], text: str) -> Timeframe | None:
    g = [int(x) if x is not None and x.isdigit() else x for x in groups]
    if name == "year_range":
        first, last = g
        assert isinstance(first, int) and isinstance(last, int)
        return Timeframe("dated", year=last, text=text) if 0 <= last - first <= 15 else None
    if name == "quarter_list":
        last_label = [x for x in groups[:-1] if x is not None][-1]
        year_text = groups[-1]
        assert year_text is not None
        last = _ROMAN_QUARTER.get(last_label.upper()) or int(last_label)
        return Timeframe("dated", quarter=last, month=last * 3, year=int(year_text), text=text)
    if name == "monthly_day":
        (day_of_month,) = g
        assert isinstance(day_of_month, int)
        if not _ok(day_of_month, None):
            return None
        return Timeframe("periodic", every_months=1, day=day_of_month, text=text)
    if name == "date_range":
        day, month, year = g[-3], g[-2], g[-1]
        assert isinstance(day, int) and isinstance(month, int) and isinstance(year, int)
        return Timeframe("dated", month=month, day=day, year=year, text=text) if _ok(day, month) else None
    if name == "month_range":
        month, year = g[-2], g[-1]
        assert isinstance(month, int) and isinstance(year, int)
        return Timeframe("dated", month=month, year=year, text=text) if _ok(None, month) else None
    if name == "date":
        day, month, year = g
        assert isinstance(day, int) and isinstance(month, int) and isinstance(year, int)
        return Timeframe("dated", month=month, day=day, year=year, text=text) if _ok(day, month) else None
    if name == "day_month_range":
        day, month = g[-2], g[-1]
        assert isinstance(day, int) and isinstance(month, int)
        return Timeframe("dated", month=month, day=day, text=text) if _ok(day, month) else None
    if name == "day_month":
        day, month = g
        assert isinstance(day, int) and isinstance(month, int)
        return Timeframe("dated", month=month, day=day, text=text) if _ok(day, month) else None
    if name == "quarter":
        label, year = groups
        assert label is not None
        quarter = _ROMAN_QUARTER.get(label.upper()) or int(label)
        return Timeframe(
            "dated", quarter=quarter, month=quarter * 3, year=int(year) if year else None, text=text
        )
    if name == "month_year":
        month, year = g
        assert isinstance(month, int) and isinstance(year, int)
        return Timeframe("dated", month=month, year=year, text=text) if _ok(None, month) else None
    if name == "month":
        (month,) = g
        assert isinstance(month, int)
        return Timeframe("dated", month=month, text=text) if _ok(None, month) else None
    if name == "every":
        (months,) = g
        assert isinstance(months, int)
        return Timeframe("periodic", every_months=months, text=text) if months > 0 else None
    if name == "every_quarter":
        return Timeframe("periodic", every_months=3, text=text)
    if name == "every_month":
        return Timeframe("periodic", every_months=1, text=text)
    if name == "annual":
        return Timeframe("annual", text=text)
    if name == "continuous":
        return Timeframe("continuous", text=text)
    if name == "year":
        (year,) = g
        assert isinstance(year, int)
        return Timeframe("dated", year=year, text=text)
    raise ValueError(name)  # pragma: no cover


def find_times(text: str) -> list[TimeMatch]:
    """Every time expression in ``text``, in order of position; citations are ignored.

    A month or day without a year next to "hằng năm" becomes one annual expression with that month and
    day ("trong tháng 9 hằng năm", "Hằng năm, vào tháng 9").
    """
    return list(_find_times(text))


@lru_cache(maxsize=4096)
def _find_times(text: str) -> tuple[TimeMatch, ...]:
    masked = mask_citations(text)
    taken: list[tuple[int, int]] = []
    found: list[TimeMatch] = []
    for name, pattern in _COMPILED:
        for m in pattern.finditer(masked):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            start = m.start()
            lead = _LEAD_WORDS.search(masked[:start])
            if lead and name not in ("annual", "continuous", "every", "every_quarter", "every_month"):
                start = lead.start()
            timeframe = _build(name, m.groups(), text[start : m.end()].strip())
            if timeframe is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(TimeMatch(start, m.end(), timeframe))
    found.extend(_more_periods(found, masked))
    found.sort(key=lambda t: t.start)
    return tuple(_merge_annual(found, text))


_PERIOD_MONTHS: Final = {"quy": 3, "6 thang": 6, "thang": 1}


def _more_periods(found: list[TimeMatch], text: str) -> list[TimeMatch]:
    """The periods listed after a periodic expression: "định kỳ 6 tháng, năm" is every 6 months and
    every year."""
    extra: list[TimeMatch] = []
    for match in found:
        if match.timeframe.kind != "periodic":
            continue
        end = match.end
        while m := _MORE_PERIODS.match(text, end):
            start = m.start("period")
            if any(f.start < m.end() and start < f.end for f in found):
                break
            period = " ".join(fold(m.group("period")).split())
            if period == "nam":
                timeframe = Timeframe("annual", text=text[start : m.end()])
            else:
                timeframe = Timeframe(
                    "periodic", every_months=_PERIOD_MONTHS[period], text=text[start : m.end()]
                )
            extra.append(TimeMatch(start, m.end(), timeframe))
            end = m.end()
    return extra


def _merge_annual(found: list[TimeMatch], text: str) -> list[TimeMatch]:
    merged: list[TimeMatch] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and _GAP.match(text[cur.end : nxt.start]):
            pair = _annual_pair(cur.timeframe, nxt.timeframe)
            if pair is not None:
                span = text[cur.start : nxt.end].strip()
                merged.append(TimeMatch(cur.start, nxt.end, replace(pair, text=span)))
                i += 2
                continue
        merged.append(cur)
        i += 1
    return merged


def _annual_pair(a: Timeframe, b: Timeframe) -> Timeframe | None:
    """``a`` and ``b`` side by side as one annual timeframe, when one is "hằng năm" and the other a
    month or day without a year."""
    for annual, dated in ((a, b), (b, a)):
        if annual.kind == "annual" and dated.kind == "dated" and dated.year is None:
            return Timeframe(
                "annual", month=dated.month, day=dated.day, quarter=dated.quarter, text=dated.text
            )
    if a.kind == "periodic" and b.kind == "dated" and b.year is None and b.day is not None:
        # "định kỳ 6 tháng (trước ngày 15/6)": every six months, the first time on that day
        return replace(a, month=b.month, day=b.day)
    return None


def timeframe_of(text: str) -> Timeframe:
    """The first time expression of ``text``, or :data:`~.model.UNSPECIFIED`; a bare year ("rà soát hộ
    nghèo cuối năm 2024") gives way to a later date in that year ("hoàn thành trước ngày 15/12/2024")."""
    found = find_times(text)
    if not found:
        return UNSPECIFIED
    first = found[0].timeframe
    if first.kind == "dated" and first.month is None:
        for later in found[1:]:
            t = later.timeframe
            if t.kind == "dated" and t.month is not None and t.year in (first.year, None):
                return t if t.year is not None else replace(t, year=first.year)
    return first


def leading_time(text: str) -> TimeMatch | None:
    """A time expression at the very start of ``text`` ("Tháng 5-12/2019, …"), if any."""
    found = find_times(text)
    if found and not text[: found[0].start].strip(" ,.-–:;"):
        return found[0]
    return None
