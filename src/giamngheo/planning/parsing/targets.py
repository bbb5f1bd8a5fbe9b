"""Targets (chỉ tiêu): rate cuts, household cuts, end-of-year rates, coverage, other rates.

A clause is read quantity by quantity ("giảm trên 0,7% (giảm 199 hộ), tỷ lệ hộ nghèo cuối năm 2019 còn
1,99%" gives three targets). Each quantity is classified from the words before it (back to the
previous quantity), then after it, then the whole clause, then the lead-in paragraph of a list ("…
giảm tỷ lệ hộ nghèo năm 2019 của từng huyện như sau:" gives the subject and year of the "+ Huyện …"
items that follow):

- "giảm … %" of the poor (near-poor) rate → ``poor_rate_reduction`` (``near_poor_rate_reduction``),
  in percentage points; "giảm N hộ" / "N hộ thoát nghèo" → ``poor_households_reduction``;
- "tỷ lệ hộ nghèo … còn / xuống / dưới N%" → ``end_rate``;
- "N% hộ nghèo có thẻ BHYT", "tỷ lệ người nghèo được … đạt N%" → ``coverage`` with its subject;
- "thu nhập … N triệu đồng" → ``income``; another "tỷ lệ … đạt N%" → ``other_percent``.

A figure right after another one with an area before it is that area's target ("giảm 1-1,5%/năm, vùng
miền núi (giảm) 2-3%/năm", "trong đó các xã đặc biệt khó khăn giảm 6%"); "tương đương N hộ" is the same
cut in households. A target's period is one year (``year``) or a span (``year_from`` / ``year_to``): the
one named before it in the clause, else in the clause, else in the closest heading, else the context's.

Quantities are only read in clauses with a target word (phấn đấu, mục tiêu, chỉ tiêu, giảm, đạt, còn,
tăng, ít nhất …) or in a "Mục tiêu" section, never in "Đánh giá / thực trạng" sections, and a rate
called "đầu năm" / "hiện nay" (a baseline) is not a target. Target tables are read by column headers
(one row per unit: "Giảm (%)", "Số hộ nghèo giảm", "Tỷ lệ hộ nghèo cuối năm (%)") or by rows
(indicator, unit, value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from giamngheo.planning.parsing.model import Bound, Target, TargetKind, TargetUnit
from giamngheo.planning.parsing.text import NUMBER, Paragraph, Table, fold, parse_number
from giamngheo.planning.parsing.timeframes import mask_citations

_I = re.IGNORECASE
_UNIT = r"%|điểm\s+phần\s+trăm|hộ|người|lao\s+động|triệu\s+đồng|tỷ\s+đồng"
_QUANTITY: Final = re.compile(
    rf"(?<![\d.,/])(?P<v1>{NUMBER})\s*(?:%\s*)?(?:-|–|đến|tới)\s*(?P<v2>{NUMBER})\s*(?P<u1>{_UNIT})(?![\w])"
    rf"|(?<![\d.,/])(?P<v>{NUMBER})\s*(?P<u2>{_UNIT})(?![\w])",
    _I,
)
_POVERTY = re.compile(
    r"(?:tỷ|tỉ)\s+lệ\s+(?:hộ\s+|người\s+)?(?P<a>cận\s+nghèo|nghèo)|(?:hộ|người)\s+(?P<b>cận\s+nghèo|nghèo)",
    _I,
)
_REDUCE = re.compile(r"(?<![\w])giảm(?!\s+nghèo)(?![\w])", _I)
_ESCAPE = re.compile(r"thoát\s+nghèo", _I)
_END_CUE = re.compile(r"(?<![\w])(?:còn|xuống|dưới|cuối\s+năm|không\s+quá|không\s+vượt\s+quá)(?![\w])", _I)
_SUBSET = re.compile(r"trong\s+đó|bao\s+gồm|riêng(?!\s+(?:vùng|các|xã|huyện|thôn|địa\s+bàn|khu\s+vực))", _I)
_LIST_GLUE = re.compile(r"/\s*năm|[,;:()\-–]|(?<![\w])(?:và|hoặc)(?![\w])", _I)
_BASELINE = re.compile(r"đầu\s+năm|hiện\s+nay|hiện\s+tại|năm\s+trước|so\s+với", _I)
_CUE = re.compile(
    r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|(?<![\w])giảm(?![\w])|(?<![\w])đạt(?![\w])|(?<![\w])còn(?![\w])|"
    r"xuống|(?<![\w])tăng(?![\w])|ít\s+nhất|tối\s+thiểu|thoát\s+nghèo",
    _I,
)
_AT_LEAST = re.compile(r"(?:trên|hơn|ít\s+nhất|tối\s+thiểu|không\s+dưới)\s*$", _I)
_AT_MOST = re.compile(r"(?:dưới|không\s+quá|tối\s+đa|không\s+vượt\s+quá)\s*$", _I)
_PER_YEAR = re.compile(r"mỗi\s+năm|hằng\s+năm|hàng\s+năm|bình\s+quân|trung\s+bình|/\s*năm|một\s+năm", _I)
_COMPARED = re.compile(r"so\s+với\s+(?:cùng\s+kỳ\s+)?(?:năm\s+)?\d{4}", _I)
_YEAR = re.compile(r"(?:đến\s+|cuối\s+|trong\s+)?năm\s+(\d{4})", _I)
# "có nhu cầu", "có lao động", "có khả năng lao động" describe the population, not what it is to have
_HAS = r"(?:có(?!\s+(?:nhu\s+cầu|lao\s+động|khả\s+năng|đất|việc\s+làm))|được|tham\s+gia|sử\s+dụng|tiếp\s+cận)"
_COVERAGE_AFTER = re.compile(
    r"^\s*(?:số\s+)?(?P<pop>(?:hộ|người|trẻ\s+em|học\s+sinh|lao\s+động|đối\s+tượng|xã|thôn)[^;.]*?)\s+"
    rf"{_HAS}\s+(?P<subject>[^;.()]+)",
    _I,
)
_COVERAGE_BEFORE = re.compile(
    r"(?:tỷ|tỉ)\s+lệ\s+(?P<pop>(?:hộ|người|trẻ\s+em|học\s+sinh|lao\s+động|đối\s+tượng)[^;.]*?)\s+"
    rf"{_HAS}\s+(?P<subject>[^;.()]+?)(?:\s+(?:đạt|là|từ|trên|lên|ở\s+mức|tối\s+thiểu|ít\s+nhất))*\s*$",
    _I,
)
_SUBJECT_VERBS = re.compile(r"^(?:cấp|hỗ\s+trợ|hưởng|tiếp\s+cận|sử\s+dụng|mua)\s+", _I)
_OTHER_SUBJECT = re.compile(
    r"((?:tỷ|tỉ)\s+lệ\s+[^,;:()]+?)\s*(?:đạt|tăng|giảm|là|lên|từ|trên|ở\s+mức)?\s*$", _I
)
_SCOPE_PREP = re.compile(
    r"(?:(?<![\w])ở|tại|riêng|đối\s+với)\s+(?P<scope>(?:các\s+)?(?:vùng|xã|huyện|thôn|bản|địa\s+bàn|khu\s+vực|"
    r"đồng\s+bào)[^,;:()%\d]*)",
    _I,
)
_SCOPE_AFTER = re.compile(
    r"^\s*(?:/\s*năm\s*)?(?:ở|tại)\s+(?P<scope>(?:các\s+)?(?:vùng|xã|huyện|thôn|bản|địa\s+bàn|khu\s+vực|"
    r"đồng\s+bào)[^,;:()%\d]*)",
    _I,
)
_SCOPE_LEAD = re.compile(
    r"^\s*(?:[-+•*]\s*)?(?P<scope>(?:các\s+)?(?:Thành\s+phố|Thị\s+xã|Huyện|Quận|Xã|Phường|Thị\s+trấn|Thôn|Bản|Làng|"
    r"Tổ\s+dân\s+phố|Khu\s+phố|Tỉnh|Đặc\s+khu|Vùng|Khu\s+vực|vùng|xã|thôn|huyện)\s+[^\d,:;(%]+?)\s*"
    r"(?=giảm|:|có|tăng|đạt|còn|-|–)",
)
_AREA = (
    r"(?:vùng|xã|phường|thị\s+trấn|huyện|thôn|bản|làng|buôn|tổ\s+dân\s+phố|khu\s+phố|địa\s+bàn|khu\s+vực|"
    r"đồng\s+bào|thành\s+phố|thị\s+xã|quận|đặc\s+khu|miền\s+núi)(?![\w])"
)
_CUE_WORD = r"(?:giảm|còn(?!\s+lại)|đạt|xuống|tăng|có|là|phấn\s+đấu)(?![\w])"
# The area a figure is for, named just before it: "…, vùng miền núi 2-3%", "…, các huyện nghèo giảm 4%",
# "trong đó các xã đặc biệt khó khăn giảm 6%", "- Các xã, thị trấn còn lại giảm bình quân 2,5%"
_LEAD_SCOPE = re.compile(
    r"^[\s,;:()\-–+•*]*(?:/\s*năm[\s,;]*)?(?:(?:trong\s+đó|riêng|còn|đối\s+với|ở|tại)\s*[,:]?\s*)?"
    rf"(?P<scope>(?:(?:các|những)\s+)?{_AREA}(?:\s*,\s*{_AREA})*"
    rf"(?:(?!\s{_CUE_WORD})[^\d,:;()%])*?)"
    rf"\s*(?:(?:phấn\s+đấu\s+)?(?:giảm|còn(?!\s+lại)|đạt|xuống|tăng)(?:\s+(?:bình\s+quân|trung\s+bình))?)?"
    r"\s*(?:trên|dưới|ít\s+nhất|tối\s+thiểu|tối\s+đa|không\s+quá|từ|khoảng|mỗi\s+năm)?\s*$",
    _I,
)
_EQUIVALENT = re.compile(
    r"(?:^[\s,;(]*(?:bằng|khoảng)|(?:tương\s+đương|tương\s+ứng|ứng\s+với)(?:\s+với)?)(?:\s+giảm)?\s*$", _I
)
_SCOPE_STOP = re.compile(r"\s+(?:giảm|tăng|đạt|còn(?!\s+lại)|có|phấn\s+đấu|là)(?![\w]).*$", _I)
_RATE_OF = re.compile(r"(?:tỷ|tỉ)\s+lệ|thu\s+nhập|chi\s+phí|lao\s+động|trẻ\s+em|suy\s+dinh\s+dưỡng", _I)
_WHOLE_UNIT = re.compile(r"^toàn\s+(?:tỉnh|huyện|xã|thành\s+phố|thị\s+xã|phường|quận)$", _I)


@dataclass(frozen=True, slots=True)
class Context:
    """What a lead-in paragraph says for the list that follows it."""

    poverty: str | None = None  # "poor" or "near_poor"
    year: int | None = None
    per_year: bool = False
    in_targets: bool = False
    year_from: int | None = None  # a span of years ("giai đoạn 2026 - 2030") when ``year`` is None
    year_to: int | None = None

    @property
    def period(self) -> Period:
        if self.year is not None:
            return (self.year, self.year, self.year)
        return (None, self.year_from, self.year_to)


Period = tuple[int | None, int | None, int | None]  # (one year, first year, last year)


def _poverty_of(match: re.Match[str]) -> str:
    word = match.group("a") or match.group("b")
    return "near_poor" if "cận" in word.lower() else "poor"


def _last_poverty(text: str) -> str | None:
    found = list(_POVERTY.finditer(text))
    return _poverty_of(found[-1]) if found else None


def _first_poverty(text: str) -> str | None:
    found = _POVERTY.search(text)
    return _poverty_of(found) if found else None


_RANGE = re.compile(
    r"(?:giai\s+đoạn|thời\s+kỳ)\s+(?P<a>\d{4})\s*(?:-|–|đến)\s*(?P<b>\d{4})"
    r"|từ\s+năm\s+(?P<c>\d{4})\s+(?:đến|tới)\s+(?:hết\s+)?(?:năm\s+)?(?P<d>\d{4})"
    r"|(?<![\d/.,\-])(?P<e>\d{4})\s*[-–]\s*(?P<f>\d{4})(?![\d/.,\-])(?!\s*(?:%|hộ|người|lao|triệu|tỷ|đồng))",
    _I,
)


def periods(text: str) -> list[tuple[int, Period]]:
    """Every period named in ``text`` with its offset: a span ("giai đoạn 2021-2025", "từ năm 2026 đến
    năm 2030", "(2026-2030)") or one year ("năm 2026", "đến năm 2030"); a year of comparison ("so với
    năm 2023") is none."""
    text = _COMPARED.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, Period]] = []
    spans: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        pairs = [(m.group("a"), m.group("b")), (m.group("c"), m.group("d")), (m.group("e"), m.group("f"))]
        first, last = next((int(x), int(y)) for x, y in pairs if x and y)
        if 0 < last - first <= 15:
            found.append((m.start(), (None, first, last)))
            spans.append((m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if not any(start <= m.start(1) < end for start, end in spans):
            year = int(m.group(1))
            found.append((m.start(), (year, year, year)))
    found.sort(key=lambda item: item[0])
    return found


def heading_period(text: str) -> Period | None:
    """The period a short heading gives the targets under it ("3. Chỉ tiêu năm 2026", "Chỉ tiêu chủ yếu
    giai đoạn 2026 - 2030"); None for a heading that is itself a target or names no period."""
    masked = mask_citations(text)
    if len(masked) > 150 or _QUANTITY.search(_RANGE.sub(" ", masked)):
        return None
    found = periods(masked)
    return found[0][1] if found else None


def _period(before: str, clause: str, context: Context) -> Period:
    """The target's period: the last one named before it, else the clause's, else the context's."""
    found = periods(before)
    if found:
        return found[-1][1]
    in_clause = periods(clause)
    if in_clause:
        return in_clause[0][1]
    return context.period


def _bound(before: str, after: str) -> Bound | None:
    if re.match(r"^\s*trở\s+lên", after, _I):
        return "at_least"
    if re.match(r"^\s*trở\s+xuống", after, _I):
        return "at_most"
    tail = before[-25:]
    if re.search(r"không\s+dưới\s*$", tail, _I):
        return "at_least"
    if _AT_MOST.search(tail):
        return "at_most"
    if _AT_LEAST.search(tail):
        return "at_least"
    return None


def _scope(before: str, after: str, clause: str) -> str | None:
    m = _SCOPE_PREP.search(before)
    if m:
        return _tidy_scope(m.group("scope"))
    m = _SCOPE_AFTER.match(after)
    if m:
        return _tidy_scope(m.group("scope"))
    m = _SCOPE_LEAD.match(clause)
    if m:
        return _tidy_scope(m.group("scope"))
    return None


def _tidy_scope(scope: str) -> str | None:
    scope = _SCOPE_STOP.sub("", scope).strip(" ,.-–:")
    if not scope or _WHOLE_UNIT.match(scope):
        return None
    return scope


def _unit_kind(unit: str) -> str:
    u = " ".join(unit.lower().split())
    if u in ("%", "điểm phần trăm"):
        return "percent"
    if u == "hộ":
        return "households"
    if u in ("người", "lao động"):
        return "persons"
    return "money"


def targets_in_clause(clause: str, line: int, context: Context) -> list[Target]:
    """The targets of one clause (a sentence part between semicolons, or a list item)."""
    masked = mask_citations(clause)
    if not (context.in_targets or _CUE.search(masked)):
        return []
    quantities = list(_QUANTITY.finditer(masked))
    targets: list[Target] = []
    for i, q in enumerate(quantities):
        before = masked[quantities[i - 1].end() if i else 0 : q.start()]
        after = masked[q.end() : quantities[i + 1].start() if i + 1 < len(quantities) else len(masked)]
        unit = _unit_kind(q.group("u1") or q.group("u2"))
        if (
            _SUBSET.search(before)
            and any(_unit_kind(p.group("u1") or p.group("u2")) == unit for p in quantities[:i])
            and not _LEAD_SCOPE.match(before)
        ):
            # "giảm 150 hộ, trong đó 120 hộ dân tộc thiểu số": a part, not another target; but "giảm 4-5%,
            # trong đó các xã đặc biệt khó khăn giảm 6%" is the target of an area
            continue
        lead = _LEAD_SCOPE.match(before)
        scope = _tidy_scope(lead.group("scope")) if lead else None
        target = _classify(q, before, after, masked, clause, line, context)
        glued = len(_LIST_GLUE.sub(" ", before).split()) <= 1
        equivalent = i > 0 and _EQUIVALENT.search(before) is not None
        if i and (equivalent or scope is not None or (target is None and glued)):
            # "giảm … 1-1,5%/năm, 2-3% ở vùng miền núi", "…, vùng miền núi (giảm) 2-3%/năm", "giảm 1,2%
            # (tương đương 4.350 hộ)": read the figure with the words of the one before it
            start = quantities[i - 2].end() if i >= 2 else 0
            again = _classify(q, masked[start : q.start()], after, masked, clause, line, context)
            if again is not None and (target is None or equivalent or target.kind in _WEAK_KINDS):
                target = replace(again, bound=_bound(before, after))
        if target is not None and scope is not None and target.scope is None:
            target = replace(target, scope=scope)
        if target is not None:
            targets.append(target)
    return targets


_WEAK_KINDS: Final = ("other_percent", "other_count")


def _classify(
    q: re.Match[str], before: str, after: str, masked: str, clause: str, line: int, context: Context
) -> Target | None:
    low = q.group("v1") or q.group("v")
    high = q.group("v2")
    unit = _unit_kind(q.group("u1") or q.group("u2"))
    value = parse_number(low)
    value_max = parse_number(high) if high else None
    if value is None:
        return None
    baseline = [m.end() for m in _BASELINE.finditer(before[-40:])]
    if baseline and not _CUE.search(before[-40:][baseline[-1] :]):
        return None  # "tỷ lệ hộ nghèo đầu năm 12%" is where the plan starts, not a target
    poverty = _last_poverty(before) or _first_poverty(after) or _first_poverty(masked) or context.poverty
    if poverty is None and context.in_targets and not _RATE_OF.search(masked):
        poverty = "poor"  # "+ Xã Hang Chú giảm 6,5%" in the targets of a poverty-reduction plan
    # "giảm …" or "thoát nghèo cho …" (the share of households that escape poverty)
    reduce_at = max((m.start() for m in (*_REDUCE.finditer(before), *_ESCAPE.finditer(before))), default=-1)
    end_at = max((m.start() for m in _END_CUE.finditer(before)), default=-1)
    per_year = bool(re.match(r"^\s*/\s*năm", after, _I)) or bool(_PER_YEAR.search(masked)) or context.per_year
    kind: TargetKind
    target_unit: TargetUnit
    subject: str | None = None
    if unit == "percent":
        coverage = _COVERAGE_AFTER.match(after) if reduce_at < 0 else None
        coverage_before = _COVERAGE_BEFORE.search(before) if reduce_at < 0 else None
        if coverage or coverage_before:
            found = coverage or coverage_before
            assert found is not None
            kind, target_unit = "coverage", "percent"
            subject = _SUBJECT_VERBS.sub("", found.group("subject").strip(" ,.")).strip(" ,")
        elif reduce_at >= 0 and reduce_at >= end_at:
            if poverty == "near_poor":
                kind, target_unit = "near_poor_rate_reduction", "points"
            elif poverty == "poor":
                kind, target_unit = "poor_rate_reduction", "points"
            else:
                kind, target_unit = "other_percent", "percent"
                subject = _other_subject(before)
        elif end_at >= 0 and poverty is not None:
            kind, target_unit = "end_rate", "percent"
            subject = "hộ cận nghèo" if poverty == "near_poor" else "hộ nghèo"
            per_year = False
        elif re.search(r"tỷ\s+lệ|tỉ\s+lệ|(?<![\w])đạt(?![\w])|(?<![\w])tăng(?![\w])", before, _I):
            kind, target_unit = "other_percent", "percent"
            subject = _other_subject(before)
        else:
            return None
    elif unit == "households":
        escaping = _ESCAPE.search(before) or _ESCAPE.match(after.strip())
        if reduce_at >= 0 or escaping:
            near = _last_poverty(before) == "near_poor" or _first_poverty(after[:20]) == "near_poor"
            kind = "near_poor_households_reduction" if near else "poor_households_reduction"
            target_unit = "households"
        elif context.in_targets:
            kind, target_unit = "other_count", "households"
            subject = _other_subject(before)
        else:
            return None
    elif unit == "persons":
        if not (context.in_targets or re.search(r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu", masked, _I)):
            return None
        kind, target_unit = "other_count", "persons"
        subject = " ".join(before.split()[-8:]) or None
    else:
        if not re.search(r"thu\s+nhập", before, _I):
            return None
        kind, target_unit = "income", "million_vnd"
        if re.match(r"tỷ", q.group("u1") or q.group("u2"), _I):
            value *= 1000
            value_max = value_max * 1000 if value_max is not None else None
        subject = "thu nhập"
    year, year_from, year_to = _period(before, masked, context)
    return Target(
        text=" ".join(clause.split()),
        kind=kind,
        value=value,
        value_max=value_max,
        unit=target_unit,
        per_year=per_year,
        scope=_scope(before, after, clause),
        year=year,
        source_line=line,
        bound=_bound(before, after),
        subject=subject,
        year_from=year_from,
        year_to=year_to,
    )


def _other_subject(before: str) -> str | None:
    m = _OTHER_SUBJECT.search(before.strip(" ,"))
    if m:
        return " ".join(m.group(1).split())
    words = before.strip(" ,;:(").split()
    return " ".join(words[-10:]) or None


def lead_in_context(text: str, in_targets: bool) -> Context:
    """The context a paragraph ending with ":" gives to the list after it."""
    masked = mask_citations(text)
    tail = masked.split("trong đó")[-1] if "trong đó" in masked else masked
    found = periods(tail) or periods(masked)
    year, year_from, year_to = found[0][1] if found else (None, None, None)
    return Context(
        poverty=_first_poverty(tail) or _first_poverty(masked),
        year=year,
        per_year=bool(_PER_YEAR.search(tail)),
        in_targets=in_targets or bool(_CUE.search(masked)),
        year_from=year_from,
        year_to=year_to,
    )


def targets_in_paragraph(paragraph: Paragraph, context: Context) -> list[Target]:
    """Targets of every clause (sentence parts between ";") of ``paragraph``."""
    text = paragraph.body
    offset = paragraph.body_offset
    targets: list[Target] = []
    start = 0
    for m in re.finditer(r";|\.(?=\s+[A-ZĐ])|\.$", text + "."):
        end = min(m.start(), len(text))
        clause = text[start:end]
        if clause.strip():
            targets.extend(targets_in_clause(clause, paragraph.line_at(offset + start), context))
            # "giảm tỷ lệ hộ nghèo 1-1,5%/năm; riêng các xã khó khăn giảm 3%/năm": the subject carries on.
            poverty = _first_poverty(mask_citations(clause))
            if poverty is not None:
                context = replace(context, poverty=poverty)
        start = m.end()
    return targets


# --- Tables -----------------------------------------------------------------------------------------


def _fold_words(text: str) -> str:
    return " ".join(fold(text).split())


def _is_number(cell: str) -> bool:
    return parse_number(cell.strip().rstrip("%").strip()) is not None


def _header_count(table: Table) -> int:
    count = 0
    for row in table.rows:
        if any(_is_number(c) for c in row[1:]) and not all(
            _fold_words(c) in ("", "tt", "stt") or (_is_number(c) and len(c) <= 2) for c in row
        ):
            break
        count += 1
    return max(count, 1)


_TOTAL = re.compile(r"^(?:tổng|cộng|toàn\s+(?:xã|huyện|tỉnh|thành\s+phố|thị\s+xã|phường)|chung)", _I)


def targets_in_table(table: Table, context: Context) -> list[Target]:
    """Targets from a table, by columns (one row per unit) or by rows (indicator, unit, value)."""
    n_head = _header_count(table)
    headers = [
        _fold_words(" ".join(row[c] for row in table.rows[:n_head] if c < len(row)))
        for c in range(max(len(r) for r in table.rows))
    ]
    raw_headers = [
        " ".join(row[c] for row in table.rows[:n_head] if c < len(row)) for c in range(len(headers))
    ]
    year_match = _YEAR.search(" ".join(raw_headers)) or _YEAR.search(table.caption)
    year = int(year_match.group(1)) if year_match else context.year
    year_from, year_to = (year, year) if year is not None else (context.year_from, context.year_to)
    if any(h.startswith(("chi tieu", "noi dung")) for h in headers) and any(
        h in ("don vi tinh", "dvt", "don vi") for h in headers
    ):
        return _row_targets(table, n_head, headers, replace(context, year=year, in_targets=True))
    roles: dict[int, tuple[TargetKind, TargetUnit]] = {}
    for c, (h, raw) in enumerate(zip(headers, raw_headers, strict=True)):
        near = "can ngheo" in h
        percent = "%" in raw or "ty le" in h or "diem" in h
        households = "so ho" in h or h.endswith(" ho") or "(ho)" in raw.lower().replace(" ", "")
        if "giam" in h and percent and not households:
            roles[c] = ("near_poor_rate_reduction" if near else "poor_rate_reduction", "points")
        elif households and ("giam" in h or "thoat ngheo" in h):
            roles[c] = (
                "near_poor_households_reduction" if near else "poor_households_reduction",
                "households",
            )
        elif percent and ("cuoi nam" in h or " con " in f" {h} " or "ket thuc" in h):
            roles[c] = ("end_rate", "percent")
    if not roles:
        return []
    scope_col = next(
        (
            c
            for c, h in enumerate(headers)
            if c not in roles
            and h not in ("tt", "stt", "so tt")
            and not all(_is_number(row[c]) for row in table.rows[n_head:] if c < len(row) and row[c])
        ),
        None,
    )
    targets = []
    for row, line in zip(table.rows[n_head:], table.lines[n_head:], strict=True):
        label = row[scope_col].strip() if scope_col is not None and scope_col < len(row) else ""
        scope = None if not label or _TOTAL.match(label) else label
        for c, (kind, unit) in roles.items():
            if c >= len(row):
                continue
            value = parse_number(row[c].strip().rstrip("%").strip())
            if value is None:
                continue
            targets.append(
                Target(
                    text=" | ".join(cell for cell in row if cell),
                    kind=kind,
                    value=value,
                    value_max=None,
                    unit=unit,
                    per_year=False,
                    scope=scope,
                    year=year,
                    year_from=year_from,
                    year_to=year_to,
                    source_line=line,
                    subject="hộ cận nghèo"
                    if kind == "end_rate" and "can ngheo" in headers[c]
                    else ("hộ nghèo" if kind == "end_rate" else None),
                )
            )
    return targets


def _row_targets(table: Table, n_head: int, headers: list[str], context: Context) -> list[Target]:
    label_col = next(i for i, h in enumerate(headers) if h.startswith(("chi tieu", "noi dung")))
    unit_col = next(i for i, h in enumerate(headers) if h in ("don vi tinh", "dvt", "don vi"))
    value_cols = [
        i
        for i, h in enumerate(headers)
        if i not in (label_col, unit_col) and re.search(r"ke hoach|chi tieu|muc tieu|nam \d{4}|giai doan", h)
    ]
    targets: list[Target] = []
    for row, line in zip(table.rows[n_head:], table.lines[n_head:], strict=True):
        if label_col >= len(row) or not row[label_col]:
            continue
        columns = value_cols or list(range(len(row)))
        values = [
            row[i] for i in columns if i < len(row) and i not in (label_col, unit_col) and _is_number(row[i])
        ]
        if not values:
            continue
        unit = row[unit_col].strip() if unit_col < len(row) else ""
        suffix = "%" if "%" in unit else f" {unit}"
        clause = f"{row[label_col]} {values[-1].strip().rstrip('%')}{suffix}"
        for target in targets_in_clause(clause, line, context):
            targets.append(replace(target, text=" | ".join(c for c in row if c)))
    return targets


def households_total(targets: list[Target] | tuple[Target, ...], *, scoped: bool) -> Decimal:
    """Sum of poor-household cuts with (``scoped``) or without a scope; for checking sub-unit sums."""
    return sum(
        (
            t.value
            for t in targets
            if t.kind == "poor_households_reduction" and (t.scope is not None) == scoped
        ),
        Decimal(0),
    )
