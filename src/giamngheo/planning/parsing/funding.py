"""Funding by source (nguồn vốn): "Vốn Trung ương ước khoảng: 1.621.667 triệu đồng", "ngân sách địa
phương 150 triệu đồng", funding tables.

The label of an amount is the text before it, back to the previous amount, the start of the clause or a
"trong đó:". A label with "Tổng" is the plan's total (the first one is kept). The source comes from the
label, checked in this order:

- ``credit``: tín dụng, vốn vay, cho vay, Ngân hàng Chính sách xã hội;
- ``oda_ngo``: ODA, NGO, phi chính phủ, nước ngoài, viện trợ, quốc tế;
- ``central``: trung ương, NSTW;
- ``community``: cộng đồng, doanh nghiệp, huy động, xã hội hóa, đóng góp, đối ứng, người dân;
- ``local``: địa phương, NSĐP, ngân sách tỉnh / huyện / xã;
- ``other``: any other label that names money (vốn, kinh phí, nguồn, ngân sách, lồng ghép).

"Ngân sách tỉnh / xã / phường …" is ``local`` even when it is a counterpart ("ngân sách tỉnh đối ứng").
When the label names no source but a parenthesis after the amount does ("Kinh phí: 3,6 tỷ đồng (ngân
sách trung ương)"), that one is taken.

Amounts are converted to million VND (triệu đồng): "tỷ đồng" × 1000, "nghìn đồng" ÷ 1000, "đồng" ÷ 10⁶.
An amount per household or person ("20 triệu đồng/hộ") is a norm, not funding, and is skipped. A table
without a stated unit is read in million VND, the usual unit of plan tables.

Tables: a row per source, the amount in the "Tổng/Cộng" column (else the last number). A table with a
column per year ("2026 | 2027 | … | Tổng") gives a line per source and year, each carrying the row's
"Tổng" cell as ``row_total_million_vnd``; :func:`row_total_mismatches` lists rows whose years do not add
up to it. A row that breaks down the row above ("- Vốn đầu tư phát triển" under "1. Ngân sách trung
ương", by its "-", "+", "a", "1.1" numbering) is not counted again, unless the row above names no
source and the parts do ("I. Ngân sách nhà nước" / "1. Ngân sách trung ương" / "2. Ngân sách địa phương").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from giamngheo.planning.parsing.model import FundingLine, FundingSource
from giamngheo.planning.parsing.text import NUMBER, Paragraph, Table, fold, parse_number
from giamngheo.planning.parsing.timeframes import mask_citations

_I = re.IGNORECASE
_MONEY_UNIT = r"triệu(?:\s+đồng)?|tr\.?\s*đ|trđ|tỷ(?!\s*lệ)(?:\s+đồng)?|nghìn\s+đồng|ngàn\s+đồng|đồng|VNĐ|VND"
# The unit is an atomic group: "30 triệu đồng/hộ" must not be read as "30 triệu" followed by " đồng/hộ".
_AMOUNT: Final = re.compile(
    rf"(?<![\d.,/])(?P<value>{NUMBER})\s*(?P<unit>(?>{_MONEY_UNIT}))(?![\w])(?!\s*/)", _I
)
_SOURCES: Final[tuple[tuple[FundingSource, tuple[str, ...]], ...]] = (
    ("credit", ("tin dung", "von vay", "cho vay", "ngan hang chinh sach", "nhcsxh", "vay uu dai")),
    ("oda_ngo", ("oda", "ngo", "phi chinh phu", "nuoc ngoai", "vien tro", "quoc te")),
    ("central", ("trung uong", "nstw", "ns tw", "von tw", "ngan sach tw")),
    (
        "community",
        ("cong dong", "doanh nghiep", "huy dong", "xa hoi hoa", "dong gop", "doi ung", "nguoi dan"),
    ),
    ("local", ("dia phuong", "nsdp", "ngan sach tinh", "ngan sach huyen", "ngan sach xa", "ngan sach cap")),
    ("other", ("von", "kinh phi", "nguon", "ngan sach", "long ghep")),
)
_LABEL_NOISE = re.compile(
    r"^(?:[\s,;:.\-–+•*()]|trong\s+đó|bao\s+gồm|gồm|cụ\s+thể|và\s)+|(?:[\s,;:.\-–(]|ước\s+khoảng|khoảng|dự\s+kiến|"
    r"ước\s+tính|ước|là|đạt|khái\s+toán|tối\s+thiểu)+$",
    _I,
)
_TOTAL = re.compile(r"(?<![\w])tổng(?![\w])|^cộng(?![\w])", _I)


def to_million(value: Decimal, unit: str) -> Decimal:
    """``value`` in ``unit`` as million VND."""
    u = " ".join(fold(unit).split())
    if u.startswith("ty"):
        return value * 1000
    if u.startswith(("nghin", "ngan")):
        return value / 1000
    if u in ("dong", "vnd"):
        return value / 1_000_000
    return value


_LOCAL_BUDGET = re.compile(
    r" (?:ngan sach|ns) (?:dia phuong|tinh|huyen|xa|phuong|thi tran|thi xa|thanh pho|quan|dac khu"
    r"|cap (?:tinh|huyen|xa)) | nsdp "
)


def source_of(label: str) -> FundingSource | None:
    """The funding source a label names, or None when it names no money at all."""
    words = f" {' '.join(fold(label).split())} "
    for source, keys in _SOURCES:
        if source == "community" and _LOCAL_BUDGET.search(words):
            return "local"  # "ngân sách tỉnh đối ứng" is the province's budget
        if any(f" {k} " in words for k in keys):
            return source
    return None


def funding_in_paragraph(paragraph: Paragraph) -> tuple[list[FundingLine], Decimal | None]:
    """Funding lines of one paragraph, and a total if the paragraph states one."""
    text = mask_citations(paragraph.text)
    lines: list[FundingLine] = []
    total: Decimal | None = None
    previous = 0
    for m in _AMOUNT.finditer(text):
        raw_label = text[previous : m.start()]
        previous = m.end()
        for sep in (";", "trong đó", "bao gồm"):
            if sep in raw_label:
                raw_label = raw_label.rsplit(sep, 1)[1]
        label = _LABEL_NOISE.sub("", raw_label).strip()
        value = parse_number(m.group("value"))
        if value is None or not label:
            continue
        amount = to_million(value, m.group("unit"))
        if _TOTAL.search(label):
            total = total if total is not None else amount
            continue
        source = source_of(label)
        aside = _ASIDE.match(text, m.end())
        if aside and source in (None, "other") and source_of(aside.group(1)) not in (None, "other"):
            source = source_of(aside.group(1))
        if source is None:
            continue
        year = _LABEL_YEAR.search(label)
        lines.append(
            FundingLine(
                source, label, amount, paragraph.line_at(m.start()), year=int(year.group(1)) if year else None
            )
        )
    return lines, total


_ASIDE = re.compile(r"\s*\(([^()]{1,80})\)")
_LABEL_YEAR = re.compile(r"(?<![\w])năm\s+(\d{4})(?!\s*[-–]\s*\d)", _I)


def _unit_of(text: str) -> str | None:
    m = re.search(rf"(?:đơn\s+vị(?:\s+tính)?|ĐVT|đvt)\s*:?\s*(?P<unit>{_MONEY_UNIT})", text, _I)
    if m:
        return m.group("unit")
    m = re.search(rf"\((?P<unit>{_MONEY_UNIT})\)", text, _I)
    return m.group("unit") if m else None


_YEAR_CELL = re.compile(r"(?:nam\s+)?((?:19|20)\d{2})")
_ROW_MARK = re.compile(
    r"^(?:(?P<bullet>[-+*•–])|(?P<letter>[a-zđ])\)?|(?P<roman>[IVX]+)\.?|(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?)$"
)
_LABEL_MARK = re.compile(
    r"^(?:(?P<bullet>[-+*•–])\s+|(?P<letter>[a-zđ])\)\s+|(?P<roman>[IVX]+)[.\-]\s+|(?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]\s+)"
)


def _row_level(mark: re.Match[str] | None) -> int | None:
    """Nesting of a table row from its numbering: I. < 1. < 1.1. < a) < "-"."""
    if mark is None:
        return None
    if mark.group("roman"):
        return 0
    if mark.group("num"):
        return mark.group("num").count(".") + 1
    if mark.group("letter"):
        return 5
    return 6


def _depth(row: _Row) -> int:
    """A row without numbering sits where "1." would: its "-" rows are its parts."""
    return row.level if row.level is not None else 1


@dataclass
class _Row:
    level: int | None
    label: str
    source: FundingSource | None
    amount: Decimal | None  # the "Tổng" cell, or the only / last amount
    years: dict[int, Decimal]
    line: int
    parts: list[_Row] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        return self.amount is not None or bool(self.years)

    def lines(self) -> list[FundingLine]:
        """Its own lines, or its parts' when it names no source of its own and they do."""
        specific = self.source not in (None, "other")
        parts = [line for part in self.parts for line in part.lines()]
        if not self.counted or (not specific and any(p.source not in (None, "other") for p in parts)):
            return parts
        if self.source is None:
            return []
        if self.years:
            return [
                FundingLine(
                    self.source, self.label, amount, self.line, year=year, row_total_million_vnd=self.amount
                )
                for year, amount in self.years.items()
            ]
        assert self.amount is not None
        return [FundingLine(self.source, self.label, self.amount, self.line)]


def funding_in_table(table: Table) -> tuple[list[FundingLine], Decimal | None]:
    """Funding lines from a table whose rows are sources ("Ngân sách trung ương | 1.621.667"), with a
    line per year when the table has a column per year."""
    head = 0
    for i, row in enumerate(table.rows[:3]):
        if sum(1 for c in row if _YEAR_CELL.fullmatch(" ".join(fold(c).split()))) >= 2:
            head = i
            break
    header_rows = table.rows[: head + 1]
    header = table.rows[head]
    header_words = [" ".join(fold(c).split()) for c in header]
    context = " ".join([table.caption, *(c for row in header_rows for c in row)])
    labels_with_source = [
        row for row in table.rows[head + 1 :] if any(source_of(c) not in (None, "other") for c in row[:2])
    ]
    if not (
        re.search(r"kinh\s+phí|nguồn\s+vốn|vốn|ngân\s+sách", context, _I) or len(labels_with_source) >= 2
    ):
        return [], None
    unit = _unit_of(context) or "triệu đồng"
    year_cols = {
        i: int(m.group(1)) for i, h in enumerate(header_words) if (m := _YEAR_CELL.fullmatch(h)) and i > 0
    }
    if len(year_cols) < 2:
        year_cols = {}
    total_words = [
        " ".join(fold(" ".join(r[i] for r in header_rows if i < len(r))).split()) for i in range(len(header))
    ]
    amount_col = next(
        (
            i
            for i, h in enumerate(total_words)
            if i > 0 and i not in year_cols and ("tong" in h or "cong" in h.split())
        ),
        None,
    )
    roots: list[_Row] = []
    stack: list[_Row] = []
    total: Decimal | None = None
    for row, line in zip(table.rows[head + 1 :], table.lines[head + 1 :], strict=True):
        read = _read_row(row, line, amount_col, year_cols, unit)
        if read is None:
            continue
        if _TOTAL.search(read.label):
            if total is None:
                total = read.amount if read.amount is not None else sum(read.years.values(), Decimal(0))
            continue
        while stack and _depth(stack[-1]) >= _depth(read):
            stack.pop()
        (stack[-1].parts if stack else roots).append(read)
        stack.append(read)
    return [line for root in roots for line in root.lines()], total


def _read_row(
    row: tuple[str, ...], line: int, amount_col: int | None, year_cols: dict[int, int], unit: str
) -> _Row | None:
    label_col = None
    level: int | None = None
    for i, cell in enumerate(row):
        text = cell.strip()
        if not text or text.lower() in ("tt", "stt"):
            continue
        mark = _ROW_MARK.match(text)
        if mark is not None and (parse_number(text) is None or i == 0):
            level = _row_level(mark) if level is None else level
            continue
        if parse_number(text) is None:
            label_col = i
            break
    if label_col is None:
        return None
    label = row[label_col].strip()
    own = _LABEL_MARK.match(label)
    if own is not None:
        level = _row_level(own) if level is None else level
        label = label[own.end() :].strip()
    row_unit = _unit_of(row[label_col]) or unit
    numbers = {
        i: to_million(value, row_unit)
        for i, c in enumerate(row)
        if i > label_col and (value := parse_number(c)) is not None
    }
    years = {year: numbers[i] for i, year in year_cols.items() if i in numbers}
    if amount_col is not None:
        amount = numbers.get(amount_col)
    elif year_cols:
        amount = None
    else:
        amount = numbers[max(numbers)] if numbers else None
    if label.lower().rstrip(" :") == "trong đó":
        return None
    return _Row(level, label, source_of(label), amount, years, line)


def row_total_mismatches(
    lines: list[FundingLine] | tuple[FundingLine, ...],
) -> list[tuple[int, Decimal, Decimal]]:
    """Rows of a table by year whose years do not add up to their "Tổng" cell: (line, sum of the years,
    the "Tổng" cell), for a person to check.

    >>> rows = [FundingLine("local", "Ngân sách tỉnh", Decimal(300), 9, 2026, Decimal(700)),
    ...         FundingLine("local", "Ngân sách tỉnh", Decimal(300), 9, 2027, Decimal(700))]
    >>> row_total_mismatches(rows)
    [(9, Decimal('600'), Decimal('700'))]
    """
    sums: dict[int, Decimal] = {}
    stated: dict[int, Decimal] = {}
    for line in lines:
        if line.year is None or line.row_total_million_vnd is None:
            continue
        sums[line.source_line] = sums.get(line.source_line, Decimal(0)) + line.amount_million_vnd
        stated[line.source_line] = line.row_total_million_vnd
    return [(row, total, stated[row]) for row, total in sums.items() if total != stated[row]]
